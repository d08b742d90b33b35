//===- FixedPoint.h - 32-bit fixed-point requantization ---------*- C++ -*-===//
//
// Part of quant-opt. Real scales become TOSA RESCALE parameters: a 31-bit
// multiplier and a right shift, such that scale ~= multiplier * 2^-shift.
// applyScale32 is the TOSA specification's apply_scale_32, the reference the
// generated integer code must match bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_FIXEDPOINT_H
#define QUANTOPT_SUPPORT_FIXEDPOINT_H

#include <cstdint>
#include <optional>

namespace mlir {
namespace quantsim {

/// TOSA RESCALE with scale32 requires 2 <= shift <= 62.
constexpr int kMinRescaleShift = 2;
constexpr int kMaxRescaleShift = 62;

struct ScaleMultiplier {
  int32_t multiplier; ///< in [2^30, 2^31), or smaller for tiny scales
  int8_t shift;       ///< right shift, in [2, 62]
};

/// Decomposes `scale` > 0 into multiplier * 2^-shift with a 32-bit
/// multiplier, rounding the mantissa to nearest (relative error at most
/// 2^-31). Scales below 2^-31 lose mantissa bits to keep shift <= 62 (and
/// scales below about 2^-63 become multiplier 0). Returns std::nullopt when
/// the scale is not finite and positive, or so large (>= 2^29) that the shift
/// would fall below 2.
std::optional<ScaleMultiplier> computeScaleMultiplier(double scale);

/// TOSA apply_scale_32: (value * multiplier + round) >> shift in 64-bit
/// arithmetic, round = 2^(shift-1) (ties toward +infinity), plus the
/// DOUBLE_ROUND adjustment of +-2^30 when shift > 31. The caller guarantees
/// the specification's preconditions (shift in [2, 62], result in int32).
int32_t applyScale32(int32_t value, int32_t multiplier, int8_t shift,
                     bool doubleRound);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_FIXEDPOINT_H
