//===- ErrorMetricsTest.cpp - SQNR and absolute error ---------------------===//
//
// Part of quant-opt. Known answers for the quantization error metrics.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/ErrorMetrics.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir::quantsim;

namespace {

TEST(ErrorMetrics, KnownSqnr) {
  // Signal power 1 + 4 + 9 + 16 = 30, noise power 4 * 0.01 = 0.04.
  float x[] = {1, -2, 3, -4};
  float y[] = {1.1f, -2.1f, 2.9f, -3.9f};
  QuantizationError e;
  e.add(x, y, 4);
  EXPECT_NEAR(e.sqnrDb(), 10 * std::log10(30.0 / 0.04), 1e-4);
  EXPECT_NEAR(e.maxAbsError(), 0.1, 1e-6);
  EXPECT_NEAR(e.meanAbsError(), 0.1, 1e-6);
  EXPECT_EQ(e.elements(), 4);
}

TEST(ErrorMetrics, AccumulatesAcrossTensors) {
  // Two halves merged give the ratio of the sums, not a mean of ratios.
  float x1[] = {10}, y1[] = {10};
  float x2[] = {1}, y2[] = {0};
  QuantizationError a, b, whole;
  a.add(x1, y1, 1);
  b.add(x2, y2, 1);
  a.merge(b);
  float x[] = {10, 1}, y[] = {10, 0};
  whole.add(x, y, 2);
  EXPECT_DOUBLE_EQ(a.sqnrDb(), whole.sqnrDb());
  EXPECT_NEAR(a.sqnrDb(), 10 * std::log10(101.0), 1e-9);
  EXPECT_DOUBLE_EQ(a.maxAbsError(), 1.0);
}

TEST(ErrorMetrics, ExactZeroAndNonFinite) {
  float x[] = {1, 2, NAN, 0};
  float y[] = {1, 2, 5, INFINITY};
  QuantizationError e;
  e.add(x, y, 4);
  EXPECT_EQ(e.sqnrDb(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(e.nonFinite(), 2);
  EXPECT_EQ(e.elements(), 2);

  float zero[] = {0}, one[] = {1};
  QuantizationError z;
  z.add(zero, one, 1);
  EXPECT_EQ(z.sqnrDb(), -std::numeric_limits<double>::infinity());
}

} // namespace
