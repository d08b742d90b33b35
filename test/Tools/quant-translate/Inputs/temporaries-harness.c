/* Calls an AOT-compiled model (header force-included as `model`, one
   input of IN_ELEMS floats, one output of OUT_ELEMS) three times with malloc and free wrapped
   (-Wl,--wrap=malloc,--wrap=free): prints how many blocks each call
   malloc'ed (and how many bytes) and whether its outputs equal the first
   call's, a hash of the outputs, and, after the model object's
   destructors, the totals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t size);
void __real_free(void *p);
static int mallocs, frees;
static size_t bytes;
void *__wrap_malloc(size_t size) {
  ++mallocs;
  bytes += size;
  return __real_malloc(size);
}
void __wrap_free(void *p) {
  frees += p != NULL;
  __real_free(p);
}

/* Runs after the model object's destructor (priority 65535). */
__attribute__((destructor(101))) static void totals(void) {
  printf("at exit: %d mallocs, %d frees\n", mallocs, frees);
}

/* The input and output sizes (elements), by default the CNN's at batch 4. */
#ifndef IN_ELEMS
#define IN_ELEMS (4 * 28 * 28)
#endif
#ifndef OUT_ELEMS
#define OUT_ELEMS 40
#endif

/* With -DWORKSPACE=NAME_WORKSPACE_BYTES (quant-translate --workspace): the
   model's memory, one byte off any alignment, from before the counting. */
#ifdef WORKSPACE
static unsigned char workspace[WORKSPACE + 1];
#define MODEL_ARGS(in, out) in, out, workspace + 1
#else
#define MODEL_ARGS(in, out) in, out
#endif

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  static float in[IN_ELEMS], first[OUT_ELEMS], out[OUT_ELEMS];
  for (int i = 0; i < IN_ELEMS; ++i)
    in[i] = (float)((i * 7919) % 256) / 255.0f;
  for (int call = 1; call <= 3; ++call) {
    int before = mallocs;
    size_t bytesBefore = bytes;
    model(MODEL_ARGS(in, call == 1 ? first : out));
    printf("call %d: %d mallocs, %zu bytes%s\n", call, mallocs - before,
           bytes - bytesBefore,
           call == 1 ? "" : (memcmp(first, out, sizeof out) ? ", other outputs"
                                                           : ", same outputs"));
  }
  /* FNV-1a of the outputs' bytes, to compare builds. */
  unsigned long hash = 2166136261ul;
  for (size_t i = 0; i < sizeof first; ++i)
    hash = ((hash ^ ((const unsigned char *)first)[i]) * 16777619ul) & 0xfffffffful;
  printf("outputs hash %08lx\n", hash);
  return 0;
}
