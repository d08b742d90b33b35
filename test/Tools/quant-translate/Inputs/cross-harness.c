/* Runs an AOT-compiled model (ENTRY, IN_ELEMS f32 in, OUT_ELEMS f32 out;
   header force-included) on 8 deterministic pseudo-random inputs in
   [-1, 1] and prints every output element as its bit pattern and value.
   Built for the host and for another architecture, the two printouts
   compare bit for bit (integer graphs) or within a tolerance (float). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static float in[IN_ELEMS], out[OUT_ELEMS];

int main(void) {
  uint32_t state = 12345u;
  for (int item = 0; item < 8; ++item) {
    for (int i = 0; i < IN_ELEMS; ++i) {
      state = state * 1664525u + 1013904223u;
      in[i] = (float)(state >> 8) / 8388608.0f - 1.0f;
    }
    ENTRY(in, out);
    for (int i = 0; i < OUT_ELEMS; ++i) {
      uint32_t bits;
      memcpy(&bits, &out[i], sizeof bits);
      printf("%d %d %08x %.9g\n", item, i, bits, out[i]);
    }
  }
  return 0;
}
