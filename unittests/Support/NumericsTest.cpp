//===- NumericsTest.cpp - scalar fake quantization ------------------------===//
//
// Part of quant-opt. The scalar definition every lowering must reproduce.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Numerics.h"

#include "gtest/gtest.h"

#include <cfenv>
#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir::quantsim;

namespace {

bool sameBits(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

TEST(RoundHalfToEven, Ties) {
  EXPECT_EQ(roundHalfToEven(0.5f), 0.0f);
  EXPECT_EQ(roundHalfToEven(1.5f), 2.0f);
  EXPECT_EQ(roundHalfToEven(2.5f), 2.0f);
  EXPECT_EQ(roundHalfToEven(-0.5f), -0.0f);
  EXPECT_EQ(roundHalfToEven(-1.5f), -2.0f);
  EXPECT_EQ(roundHalfToEven(-2.5f), -2.0f);
  EXPECT_EQ(roundHalfToEven(2.4999998f), 2.0f);
  EXPECT_EQ(roundHalfToEven(2.5000002f), 3.0f);
  // Largest f32 below 0.5 must not round up (a naive floor(x + 0.5) does).
  EXPECT_EQ(roundHalfToEven(0.49999997f), 0.0f);
  EXPECT_EQ(roundHalfToEven(8388609.0f), 8388609.0f); // 2^23 + 1, odd
}

TEST(RoundHalfToEven, IndependentOfRoundingMode) {
  int saved = std::fegetround();
  std::fesetround(FE_UPWARD);
  float r = roundHalfToEven(2.5f);
  std::fesetround(saved);
  EXPECT_EQ(r, 2.0f);
}

TEST(RoundHalfToEven, NonFinite) {
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(roundHalfToEven(inf), inf);
  EXPECT_EQ(roundHalfToEven(-inf), -inf);
  EXPECT_TRUE(std::isnan(roundHalfToEven(std::nanf(""))));
}

TEST(FakeQuantize, TiesGoToEvenLevels) {
  // s8, scale 0.5, zp 0: x/s = 0.5, 1.5, 2.5, -2.5 -> 0, 2, 2, -2.
  EXPECT_EQ(fakeQuantize(0.25f, 0.5f, 0, -128, 127), 0.0f);
  EXPECT_EQ(fakeQuantize(0.75f, 0.5f, 0, -128, 127), 1.0f);
  EXPECT_EQ(fakeQuantize(1.25f, 0.5f, 0, -128, 127), 1.0f);
  EXPECT_EQ(fakeQuantize(-1.25f, 0.5f, 0, -128, 127), -1.0f);
}

TEST(FakeQuantize, NegativeZeroBecomesPositive) {
  // round(-0.25 / 0.5) is -0; adding the zero point gives +0.
  EXPECT_TRUE(sameBits(fakeQuantize(-0.25f, 0.5f, 0, -128, 127), 0.0f));
}

TEST(FakeQuantize, ZeroPointShiftsTheTie) {
  // u8, zp 3: level = round(x/s) + 3; the tie is on x/s, not on the level.
  EXPECT_EQ(quantizeToLevel(0.75f, 0.5f, 3, 0, 255), 5.0f); // 1.5 -> 2, +3
  EXPECT_EQ(quantizeToLevel(1.25f, 0.5f, 3, 0, 255), 5.0f); // 2.5 -> 2, +3
}

TEST(FakeQuantize, Saturates) {
  EXPECT_EQ(fakeQuantize(1000.0f, 0.5f, 0, -128, 127), 63.5f);
  EXPECT_EQ(fakeQuantize(-1000.0f, 0.5f, 0, -128, 127), -64.0f);
  // Narrow range s8: -127 is the floor.
  EXPECT_EQ(fakeQuantize(-1000.0f, 0.5f, 0, -127, 127), -63.5f);
  // u8 with zp 128: [-(128)s, 127s].
  EXPECT_EQ(fakeQuantize(-1000.0f, 0.25f, 128, 0, 255), -32.0f);
  EXPECT_EQ(fakeQuantize(1000.0f, 0.25f, 128, 0, 255), 31.75f);
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(fakeQuantize(inf, 0.5f, 0, -8, 7), 3.5f);
  EXPECT_EQ(fakeQuantize(-inf, 0.5f, 0, -8, 7), -4.0f);
}

TEST(FakeQuantize, NaNPropagates) {
  EXPECT_TRUE(std::isnan(fakeQuantize(std::nanf(""), 0.5f, 0, -128, 127)));
}

TEST(FakeQuantize, IdempotentUpTo16Bits) {
  // Dequantized values re-quantize to themselves for every level of u16 with
  // an awkward scale; this is what lets fake_quant(fake_quant(x)) fold.
  const float scale = 0.0123456789f;
  for (int level = 0; level <= 65535; ++level) {
    float y = (static_cast<float>(level) - 1000.0f) * scale;
    float again = fakeQuantize(y, scale, 1000, 0, 65535);
    ASSERT_TRUE(sameBits(y, again)) << "level " << level;
  }
}

} // namespace
