/* Runs an AOT-compiled model (ENTRY, IN_ELEMS f32 in, OUT_ELEMS f32 out;
   header force-included) on 8 deterministic pseudo-random inputs in
   [-1, 1] and prints every output element as its bit pattern and value.
   Built for the host and for another architecture, the two printouts
   compare bit for bit (integer graphs) or within a tolerance (float).
   With -DWORKSPACE=NAME_WORKSPACE_BYTES (quant-translate --workspace), the
   model's memory is a heap block of exactly that many bytes (so that
   valgrind sees any access past it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float in[IN_ELEMS], out[OUT_ELEMS];

int main(void) {
#ifdef WORKSPACE
  void *workspace = malloc(WORKSPACE);
  if (!workspace)
    return 1;
#define CALL ENTRY(in, out, workspace)
#else
#define CALL ENTRY(in, out)
#endif
  uint32_t state = 12345u;
  for (int item = 0; item < 8; ++item) {
    for (int i = 0; i < IN_ELEMS; ++i) {
      state = state * 1664525u + 1013904223u;
      in[i] = (float)(state >> 8) / 8388608.0f - 1.0f;
    }
    CALL;
    for (int i = 0; i < OUT_ELEMS; ++i) {
      uint32_t bits;
      memcpy(&bits, &out[i], sizeof bits);
      printf("%d %d %08x %.9g\n", item, i, bits, out[i]);
    }
  }
#ifdef WORKSPACE
  free(workspace);
#endif
  return 0;
}
