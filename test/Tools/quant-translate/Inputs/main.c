/* Calls the AOT-compiled integer and float versions of the example network
   (headers force-included by aot.test) on three inputs, prints both outputs
   and counts bit-equal elements. Plain C, no MLIR runtime. */
#include <stdio.h>
#include <string.h>

int main(void) {
  const float inputs[3][4] = {{0.5f, -0.25f, 1.0f, 0.75f},
                              {1.0f, 1.0f, 1.0f, 1.0f},
                              {-1.0f, 0.5f, 0.25f, 2.0f}};
  int equal = 0;
  for (int i = 0; i < 3; ++i) {
    float qi[3], qf[3];
    mlp_int(inputs[i], qi);
    mlp_float(inputs[i], qf);
    printf("int %.9g %.9g %.9g float %.9g %.9g %.9g\n", qi[0], qi[1], qi[2],
           qf[0], qf[1], qf[2]);
    for (int k = 0; k < 3; ++k)
      equal += memcmp(&qi[k], &qf[k], sizeof(float)) == 0;
  }
  printf("bit-equal %d of 9\n", equal);
  return 0;
}
