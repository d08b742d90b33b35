//===- CalibrationTest.cpp - PTQ statistics and range rules ---------------===//
//
// Part of quant-opt. Known answers: parameters of given ranges, the
// canonical histogram's independence from batching, and each range rule on
// synthetic distributions whose right answer is known (a uniform one where
// min/max is right, a Gaussian with one far outlier that every histogram
// method must clip).
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Calibration.h"

#include "gtest/gtest.h"

#include <numeric>
#include <random>

using namespace mlir::quantsim;

namespace {

QuantScheme u8() { return QuantScheme{8, false, false, false}; }
QuantScheme s8Symmetric() { return QuantScheme{8, true, true, true}; }

TEST(Calibration, ParamsForRange) {
  ScaleZeroPoint p = paramsForRange(0.0, 2.55, u8());
  EXPECT_DOUBLE_EQ(p.scale, 0.01);
  EXPECT_EQ(p.zeroPoint, 0);
  // 0 must be exact: the zero point is an integer level.
  p = paramsForRange(-1.0, 1.0, u8());
  EXPECT_DOUBLE_EQ(p.scale, 2.0 / 255.0);
  EXPECT_EQ(p.zeroPoint, 128); // 127.5, ties to even
  // A range that excludes 0 is widened to include it.
  p = paramsForRange(0.5, 2.55, u8());
  EXPECT_DOUBLE_EQ(p.scale, 0.01);
  EXPECT_EQ(p.zeroPoint, 0);
  p = paramsForRange(-0.5, 1.27, s8Symmetric());
  EXPECT_DOUBLE_EQ(p.scale, 0.01);
  EXPECT_EQ(p.zeroPoint, 0);
  QuantScheme u8Symmetric{8, false, true, false};
  p = paramsForRange(-2.54, 1.0, u8Symmetric);
  EXPECT_DOUBLE_EQ(p.scale, 0.02);
  EXPECT_EQ(p.zeroPoint, 128);
  QuantScheme s4{4, true, false, false};
  EXPECT_EQ(s4.qmin(), -8);
  EXPECT_EQ(s4.qmax(), 7);
  p = paramsForRange(0.0, 0.0, u8());
  EXPECT_DOUBLE_EQ(p.scale, 1.0);
}

TEST(Calibration, HistogramIsCanonical) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.5f, 2.0f);
  std::vector<float> data(10000);
  for (float &x : data)
    x = normal(rng);
  CanonicalHistogram whole(256), batched(256);
  whole.add(data.data(), 1000);
  whole.add(data.data() + 1000, 9000);
  batched.add(data.data(), 1000);
  for (int i = 1000; i < 10000; i += 7)
    batched.add(data.data() + i, std::min(7, 10000 - i));
  ASSERT_EQ(whole.getCounts().size(), 256u);
  EXPECT_EQ(whole.lo(), batched.lo());
  EXPECT_EQ(whole.hi(), batched.hi());
  EXPECT_TRUE(std::equal(whole.getCounts().begin(), whole.getCounts().end(),
                         batched.getCounts().begin()));
  int64_t total = std::accumulate(whole.getCounts().begin(),
                                  whole.getCounts().end(), int64_t(0));
  EXPECT_EQ(total, 10000);
  // The range contains every value; 0 lies on a bin edge.
  float lo = *std::min_element(data.begin(), data.end());
  float hi = *std::max_element(data.begin(), data.end());
  EXPECT_LE(whole.lo(), lo);
  EXPECT_GT(whole.hi(), hi);
  double width = (whole.hi() - whole.lo()) / 256;
  EXPECT_EQ(std::exp2(std::round(std::log2(width))), width);
  EXPECT_EQ(std::fmod(whole.lo(), width), 0.0);
  // At least half the bins span the data.
  EXPECT_LE(whole.hi() - whole.lo(), 2 * (hi - lo) + 2 * width);
}

TEST(Calibration, HistogramSkipsNonFinite) {
  CanonicalHistogram h(16);
  float data[] = {1.0f, NAN, INFINITY, 2.0f};
  EXPECT_EQ(h.add(data, 4), 2);
  float none[] = {NAN};
  EXPECT_EQ(h.add(none, 1), 1);
  int64_t total = std::accumulate(h.getCounts().begin(), h.getCounts().end(),
                                  int64_t(0));
  EXPECT_EQ(total, 2);
}

/// Observes `data` with a histogram observer and returns the range `method`
/// picks for `scheme`.
std::pair<double, double> rangeOf(const std::vector<float> &data,
                                  CalibrationMethod method,
                                  const QuantScheme &scheme,
                                  double percentile = 99.99) {
  ObserverStatistics stats(ObserverStatistics::Kind::Histogram, 1, 0, 2048);
  for (size_t i = 0; i < data.size(); i += 1000)
    stats.observe(data.data() + i,
                  {static_cast<int64_t>(std::min<size_t>(1000, data.size() - i))},
                  std::nullopt);
  ChannelStatistics channel;
  channel.min = stats.min[0];
  channel.max = stats.max[0];
  channel.histogram = stats.histogram->getCounts();
  channel.histogramLo = stats.histogram->lo();
  channel.histogramHi = stats.histogram->hi();
  return chooseRange(method, channel, scheme, percentile);
}

TEST(Calibration, UniformKeepsTheFullRange) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> data(100000);
  for (float &x : data)
    x = uniform(rng);
  float max = *std::max_element(data.begin(), data.end());
  auto r = rangeOf(data, CalibrationMethod::MinMax, u8());
  EXPECT_EQ(r.first, 0.0);
  EXPECT_EQ(r.second, max);
  for (CalibrationMethod m : {CalibrationMethod::Percentile,
                              CalibrationMethod::MSE,
                              CalibrationMethod::Entropy}) {
    r = rangeOf(data, m, u8());
    EXPECT_EQ(r.first, 0.0) << calibrationMethodName(m).str();
    EXPECT_NEAR(r.second, 1.0, 0.02) << calibrationMethodName(m).str();
  }
}

TEST(Calibration, OutlierIsClipped) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> data(100000);
  for (float &x : data)
    x = std::clamp(normal(rng), -4.5f, 4.5f);
  data[5000] = 100.0f;
  auto r = rangeOf(data, CalibrationMethod::MinMax, s8Symmetric());
  EXPECT_EQ(r.second, 100.0);
  // The histogram spans [-4.5, 100] in 2048 bins of 1/16: entropy needs at
  // least 128 bins (the levels of |x|), so it cannot go below 8.
  for (CalibrationMethod m :
       {CalibrationMethod::Percentile, CalibrationMethod::Entropy}) {
    r = rangeOf(data, m, s8Symmetric());
    EXPECT_GT(r.second, 3.0) << calibrationMethodName(m).str();
    EXPECT_LE(r.second, 8.0) << calibrationMethodName(m).str();
    EXPECT_LT(r.first, -3.0) << calibrationMethodName(m).str();
  }
  // MSE weighs the outlier's squared clipping error against every other
  // value's rounding error: with one outlier in 100,000 it clips part of
  // the way (to 65), which is its minimum.
  r = rangeOf(data, CalibrationMethod::MSE, s8Symmetric());
  EXPECT_GT(r.second, 10.0);
  EXPECT_LT(r.second, 90.0);
  // The percentile is what it says: 99% keeps about +-2.58 sigma.
  r = rangeOf(data, CalibrationMethod::Percentile, s8Symmetric(), 99.0);
  EXPECT_NEAR(r.second, 2.576, 0.05);
  EXPECT_NEAR(r.first, -2.576, 0.05);
}

TEST(Calibration, MovingAverage) {
  ObserverStatistics stats(ObserverStatistics::Kind::MovingAverageMinMax, 1,
                           0.5, 0);
  float a[] = {-1.0f, 1.0f}, b[] = {-3.0f, 5.0f};
  stats.observe(a, {2}, std::nullopt);
  stats.observe(b, {2}, std::nullopt);
  EXPECT_DOUBLE_EQ(stats.min[0], -2.0);
  EXPECT_DOUBLE_EQ(stats.max[0], 3.0);
  EXPECT_EQ(stats.batches, 2);
}

TEST(Calibration, PerChannel) {
  ObserverStatistics stats(ObserverStatistics::Kind::MinMax, 2, 0, 0);
  // Shape [2, 3] with axis 0: rows are channels.
  float data[] = {1, -2, 3, 10, 20, -30};
  stats.observe(data, {2, 3}, 0);
  EXPECT_DOUBLE_EQ(stats.min[0], -2);
  EXPECT_DOUBLE_EQ(stats.max[0], 3);
  EXPECT_DOUBLE_EQ(stats.min[1], -30);
  EXPECT_DOUBLE_EQ(stats.max[1], 20);
}

TEST(Calibration, ParseMethod) {
  EXPECT_EQ(parseCalibrationMethod("entropy"), CalibrationMethod::Entropy);
  EXPECT_FALSE(parseCalibrationMethod("kl").has_value());
}

} // namespace
