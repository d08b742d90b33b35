/* Calls an AOT-compiled model of subnormal.mlir (ENTRY: 8 floats in, x *
   2e-38 out; header force-included) and prints each output's class, then
   whether the calling thread computes a subnormal product after the call
   (the entry must give it back its own setting). */
#include <math.h>
#include <stdio.h>

static const char *kind(float v) {
  switch (fpclassify(v)) {
  case FP_SUBNORMAL:
    return "subnormal";
  case FP_ZERO:
    return "zero";
  default:
    return "normal";
  }
}

int main(void) {
  float in[8] = {1.0f, 0.5f, -1.0f, 0.25f, 0.9f, -0.1f, 0.75f, 1e-30f};
  float out[8];
  ENTRY(in, out);
  for (int i = 0; i < 8; ++i)
    printf("%d %s\n", i, kind(out[i]));
  volatile float a = 1e-30f, b = 1e-10f;
  printf("after the call: %s\n", kind(a * b));
  return 0;
}
