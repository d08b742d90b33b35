//===- FixedPoint.cpp - 32-bit fixed-point requantization -----------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/FixedPoint.h"

#include <cmath>

using namespace mlir::quantsim;

std::optional<ScaleMultiplier>
mlir::quantsim::computeScaleMultiplier(double scale) {
  if (!(scale > 0.0) || !std::isfinite(scale))
    return std::nullopt;
  int exponent = 0;
  double mantissa = std::frexp(scale, &exponent); // scale = m * 2^e, m in [.5, 1)
  int64_t multiplier = std::llround(mantissa * 2147483648.0); // m * 2^31
  if (multiplier == (int64_t{1} << 31)) { // m rounded up to 1.0
    multiplier >>= 1;
    ++exponent;
  }
  int shift = 31 - exponent;
  if (shift < kMinRescaleShift)
    return std::nullopt;
  if (shift > kMaxRescaleShift) {
    // Tiny scale: scale * 2^62 rounded to nearest, in one rounding (the
    // 31-bit multiplier above was already rounded once: rounding it again
    // could land a unit away).
    multiplier = std::llround(std::ldexp(scale, kMaxRescaleShift));
    shift = kMaxRescaleShift;
  }
  return ScaleMultiplier{static_cast<int32_t>(multiplier),
                         static_cast<int8_t>(shift)};
}

int32_t mlir::quantsim::applyScale32(int32_t value, int32_t multiplier,
                                     int8_t shift, bool doubleRound) {
  int64_t round = int64_t{1} << (shift - 1);
  if (doubleRound && shift > 31)
    round += value >= 0 ? (int64_t{1} << 30) : -(int64_t{1} << 30);
  int64_t result = static_cast<int64_t>(value) * multiplier + round;
  return static_cast<int32_t>(result >> shift);
}
