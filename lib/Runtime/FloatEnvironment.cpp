//===- FloatEnvironment.cpp - subnormal numbers flushed to zero -----------===//
//
// Part of quant-opt. See quant-opt/Runtime/FloatEnvironment.h.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/FloatEnvironment.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

using namespace mlir::quantsim;

namespace {
#if defined(__x86_64__) || defined(__i386__)
constexpr uint64_t kFlushBits = kX86FlushSubnormals;
uint64_t get() { return _mm_getcsr(); }
void set(uint64_t bits) { _mm_setcsr(static_cast<unsigned>(bits)); }
#elif defined(__aarch64__)
constexpr uint64_t kFlushBits = kAArch64FlushSubnormals;
uint64_t get() {
  uint64_t fpcr;
  __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
  return fpcr;
}
void set(uint64_t fpcr) { __asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr)); }
#else
constexpr uint64_t kFlushBits = 0;
uint64_t get() { return 0; }
void set(uint64_t) {}
#endif
} // namespace

bool FlushSubnormals::supported() { return kFlushBits != 0; }

FlushSubnormals::FlushSubnormals(bool enable) {
  if (!enable || !supported())
    return;
  saved = get();
  set(saved | kFlushBits);
  active = true;
}

FlushSubnormals::~FlushSubnormals() {
  if (active)
    set(saved);
}
