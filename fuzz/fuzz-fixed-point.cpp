//===- fuzz-fixed-point.cpp - libFuzzer target: requantize numerics -------===//
//
// Part of quant-opt. computeScaleMultiplier and applyScale32 against a
// 128-bit reference of TOSA's apply_scale_32: for any scale (the input's
// first 8 bytes as a double) and any value, the multiplier is in range and
// within 2^-31 (relative) of the scale, and the integer result equals the
// reference bit for bit wherever the specification's preconditions hold.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/FixedPoint.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace mlir::quantsim;

static void check(bool ok, const char *what, double scale, int32_t value) {
  if (ok)
    return;
  fprintf(stderr, "fuzz-fixed-point: %s (scale %.17g, value %d)\n", what,
          scale, value);
  abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size) {
  // 13 bytes: a scale (8), a value (4), a mode byte; shorter inputs are
  // zero-padded, longer ones cut.
  uint8_t data[13] = {0};
  memcpy(data, input, std::min<size_t>(size, sizeof(data)));
  // Most inputs build a scale 2^e * (1 + m) with e in [-72, 33], so that
  // mutations explore the representable range; one in four takes the raw
  // bytes as a double (NaN, infinities, negatives, denormals).
  double scale;
  int32_t value;
  bool doubleRound = data[12] & 1;
  if (data[12] & 6) {
    uint64_t mantissa;
    memcpy(&mantissa, data, 8);
    int exponent = static_cast<int>(data[7] % 106) - 72;
    scale = std::ldexp(1.0 + static_cast<double>(mantissa >> 12) * 0x1p-52,
                       exponent);
  } else {
    memcpy(&scale, data, 8);
  }
  memcpy(&value, data + 8, 4);

  std::optional<ScaleMultiplier> sm = computeScaleMultiplier(scale);
  bool representable = scale > 0 && std::isfinite(scale) && scale < 0x1p29;
  check(sm.has_value() == representable, "accepted the wrong scales", scale,
        value);
  if (!sm)
    return 0;
  check(sm->shift >= kMinRescaleShift && sm->shift <= kMaxRescaleShift,
        "shift out of range", scale, value);
  check(sm->multiplier >= 0, "negative multiplier", scale, value);
  double approx = std::ldexp(static_cast<double>(sm->multiplier), -sm->shift);
  if (scale >= 0x1p-31) {
    check(sm->multiplier >= (1 << 30), "multiplier not normalized", scale,
          value);
    check(std::fabs(approx - scale) <= scale * 0x1p-31,
          "multiplier further than 2^-31 from the scale", scale, value);
  } else {
    // Tiny scales keep shift 62: absolute error at most half a unit.
    check(std::fabs(approx - scale) <= 0x1p-63 * (1 + 1e-9),
          "tiny multiplier further than 2^-63 from the scale", scale, value);
  }

  // TOSA apply_scale_32 in 128-bit arithmetic.
  __int128 round = static_cast<__int128>(1) << (sm->shift - 1);
  if (doubleRound && sm->shift > 31)
    round += value >= 0 ? (static_cast<__int128>(1) << 30)
                        : -(static_cast<__int128>(1) << 30);
  __int128 wide = static_cast<__int128>(value) * sm->multiplier + round;
  __int128 reference = wide >> sm->shift;
  if (reference < INT32_MIN || reference > INT32_MAX)
    return 0; // outside the specification's preconditions
  int32_t got = applyScale32(value, sm->multiplier, sm->shift, doubleRound);
  check(got == static_cast<int32_t>(reference), "differs from the reference",
        scale, value);
  // And it is value * scale rounded, within the multiplier's error.
  double exact = static_cast<double>(value) * scale;
  double slack = 0.5 + std::fabs(static_cast<double>(value)) *
                           std::max(scale * 0x1p-31, 0x1p-62) +
                 (doubleRound ? 1.0 : 0.0) + 1e-6;
  check(std::fabs(static_cast<double>(got) - exact) <= slack,
        "far from value * scale", scale, value);
  return 0;
}
