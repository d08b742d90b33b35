//===- FloatEnvironment.h - subnormal numbers flushed to zero ---*- C++ -*-===//
//
// Part of quant-opt. The calling thread's floating-point environment while
// a compiled model runs: subnormal (denormal) numbers computed exactly, as
// C code computes them (the default), or flushed to zero, which x86 and
// AArch64 cores do without the slow microcode path that subnormal operands
// and results take (see docs/CPUKernels.md#subnormal-numbers).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_RUNTIME_FLOATENVIRONMENT_H
#define QUANTOPT_RUNTIME_FLOATENVIRONMENT_H

#include <cstdint>

namespace mlir {
namespace quantsim {

/// The control-register bits that flush subnormal numbers, per
/// architecture: x86 MXCSR's FTZ (bit 15) and DAZ (bit 6); AArch64 FPCR.FZ
/// (bit 24). The code quant-translate generates sets them too.
constexpr uint64_t kX86FlushSubnormals = 0x8040;
constexpr uint64_t kAArch64FlushSubnormals = uint64_t(1) << 24;

/// While alive (and `enable`), the calling thread flushes subnormal results
/// to zero and reads subnormal operands as zero (x86: MXCSR's FTZ and DAZ;
/// AArch64: FPCR.FZ); the thread's previous setting comes back on
/// destruction. Threads the thread creates meanwhile (an OpenMP pool on a
/// model's first parallel run) start with its setting and keep it.
class FlushSubnormals {
public:
  explicit FlushSubnormals(bool enable);
  ~FlushSubnormals();
  FlushSubnormals(const FlushSubnormals &) = delete;
  FlushSubnormals &operator=(const FlushSubnormals &) = delete;

  /// Whether this host's architecture has a known way to flush them.
  static bool supported();

private:
  bool active = false;
  uint64_t saved = 0;
};

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_RUNTIME_FLOATENVIRONMENT_H
