/* Force-included in sanitizer builds (QUANT_OPT_SANITIZE). Debian's
   libLLVM/libMLIR are not instrumented, but LLVM's allocators are inline
   templates: compiled into quant-opt's instrumented code they poison the
   unused part of a slab (LLVM_ADDRESS_SANITIZER_BUILD), and the library's
   uninstrumented copy of the same allocator then writes into it without
   unpoisoning (a false "use-after-poison" in StorageUniquer). Manual
   poisoning is turned off; ASan's own checks stay. */
#include <sanitizer/asan_interface.h>
#undef ASAN_POISON_MEMORY_REGION
#define __asan_poison_memory_region(addr, size) ((void)(addr), (void)(size))
