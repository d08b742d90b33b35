/* Calls an AOT-compiled model built with --parallel (header force-included
   as `model`, one 8x1x28x28 input, 8x10 output) with 1, 2 and 3 threads
   and prints whether each run's outputs equal the one-thread run's, bit for
   bit. */
#include <stdio.h>
#include <string.h>

int main(void) {
  static float in[8 * 28 * 28], one[80], out[80];
  for (int i = 0; i < 8 * 28 * 28; ++i)
    in[i] = (float)((i * 7919) % 256) / 255.0f;
  model_set_threads(1);
  model(in, one);
  for (int threads = 2; threads <= 3; ++threads) {
    memset(out, 0, sizeof out);
    model_set_threads(threads);
    model(in, out);
    printf("%d threads: %s\n", threads,
           memcmp(one, out, sizeof out) ? "other outputs" : "same outputs");
  }
  return 0;
}
