//===- Calibration.cpp - statistics and range selection for PTQ -----------===//
//
// Part of quant-opt. See Calibration.h; docs/Calibration.md has the
// definitions these functions implement.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Calibration.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace mlir::quantsim;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::StringRef;

//===----------------------------------------------------------------------===//
// Schemes and parameters
//===----------------------------------------------------------------------===//

int64_t QuantScheme::qmin() const {
  if (!isSigned)
    return 0;
  int64_t lo = -(int64_t(1) << (bits - 1));
  return narrowRange ? lo + 1 : lo;
}

int64_t QuantScheme::qmax() const {
  return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
}

ScaleZeroPoint mlir::quantsim::paramsForRange(double lo, double hi,
                                              const QuantScheme &scheme) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  int64_t qmin = scheme.qmin(), qmax = scheme.qmax();
  ScaleZeroPoint p;
  if (scheme.symmetric) {
    double amax = std::max(-lo, hi);
    p.zeroPoint = scheme.isSigned ? 0 : (qmin + qmax + 1) / 2;
    p.scale = amax > 0 ? amax / static_cast<double>(qmax - p.zeroPoint) : 1.0;
    return p;
  }
  if (!(hi > lo)) {
    p.scale = 1.0;
    p.zeroPoint = std::clamp<int64_t>(0, qmin, qmax);
    return p;
  }
  p.scale = (hi - lo) / static_cast<double>(qmax - qmin);
  double zp = std::nearbyint(static_cast<double>(qmin) - lo / p.scale);
  p.zeroPoint = std::clamp<int64_t>(static_cast<int64_t>(zp), qmin, qmax);
  return p;
}

//===----------------------------------------------------------------------===//
// CanonicalHistogram
//===----------------------------------------------------------------------===//

static int64_t gridIndex(double x, double width) {
  return static_cast<int64_t>(std::floor(x / width));
}

double CanonicalHistogram::lo() const {
  return static_cast<double>(origin) * width;
}

double CanonicalHistogram::hi() const {
  return static_cast<double>(origin + static_cast<int64_t>(counts.size())) *
         width;
}

void CanonicalHistogram::fit(double newLo, double newHi) {
  int64_t n = static_cast<int64_t>(counts.size());
  auto fits = [&](double w) {
    return gridIndex(newHi, w) - gridIndex(newLo, w) + 1 <= n;
  };
  if (total == 0) {
    // The smallest power of two that holds the first batch's spread; a
    // single value gets a width far below its magnitude.
    double spread = newHi - newLo;
    double base = spread > 0 ? spread / static_cast<double>(n)
                             : std::max(std::fabs(newHi), 1.0) * 0x1p-20;
    width = std::exp2(std::ceil(std::log2(base)));
    while (!fits(width))
      width *= 2;
    origin = gridIndex(newLo, width);
    seenMin = newLo;
    seenMax = newHi;
    return;
  }
  newLo = std::min(newLo, seenMin);
  newHi = std::max(newHi, seenMax);
  while (!fits(width)) {
    // Double the width: grid bin k of width w lies in bin floor(k / 2) of
    // width 2w, so counts merge exactly.
    int64_t newOrigin = origin >= 0 ? origin / 2 : -((-origin + 1) / 2);
    std::vector<int64_t> merged(n, 0);
    for (int64_t j = 0; j < n; ++j) {
      int64_t k = origin + j;
      int64_t half = k >= 0 ? k / 2 : -((-k + 1) / 2);
      merged[half - newOrigin] += counts[j];
    }
    counts = std::move(merged);
    origin = newOrigin;
    width *= 2;
  }
  int64_t newOrigin = gridIndex(newLo, width);
  if (newOrigin < origin) {
    int64_t shift = origin - newOrigin;
    std::vector<int64_t> shifted(n, 0);
    for (int64_t j = 0; j + shift < n; ++j)
      shifted[j + shift] = counts[j];
    counts = std::move(shifted);
    origin = newOrigin;
  }
  seenMin = newLo;
  seenMax = newHi;
}

int64_t CanonicalHistogram::add(const float *data, int64_t n) {
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  int64_t finite = 0;
  for (int64_t i = 0; i < n; ++i) {
    float x = data[i];
    if (!std::isfinite(x))
      continue;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    ++finite;
  }
  if (finite == 0)
    return n;
  add(data, n, lo, hi, finite);
  return n - finite;
}

void CanonicalHistogram::add(const float *data, int64_t n, double lo,
                             double hi, int64_t finite) {
  fit(lo, hi);
  int64_t bins = static_cast<int64_t>(counts.size());
  double inverse = 1.0 / width; // exact: width is a power of two
  for (int64_t i = 0; i < n; ++i) {
    float x = data[i];
    if (!std::isfinite(x))
      continue;
    int64_t k =
        static_cast<int64_t>(std::floor(static_cast<double>(x) * inverse)) -
        origin;
    counts[std::clamp<int64_t>(k, 0, bins - 1)] += 1;
  }
  total += finite;
}

//===----------------------------------------------------------------------===//
// ObserverStatistics
//===----------------------------------------------------------------------===//

ObserverStatistics::ObserverStatistics(Kind kind, int64_t channels,
                                       double momentum, int64_t bins)
    : kind(kind), momentum(momentum), min(channels, 0.0), max(channels, 0.0) {
  if (kind == Kind::Histogram)
    histogram.emplace(bins);
}

void ObserverStatistics::observe(const float *data, ArrayRef<int64_t> shape,
                                 std::optional<int64_t> axis) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  int64_t channels = static_cast<int64_t>(min.size());
  int64_t inner = 1;
  if (channels > 1 && axis)
    for (int64_t d = *axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
      inner *= shape[d];
  SmallVector<double> lo(channels, std::numeric_limits<double>::infinity());
  SmallVector<double> hi(channels, -std::numeric_limits<double>::infinity());
  int64_t finite = 0;
  for (int64_t i = 0; i < n; ++i) {
    float x = data[i];
    if (!std::isfinite(x))
      continue;
    int64_t c = channels > 1 ? (i / inner) % channels : 0;
    lo[c] = std::min(lo[c], static_cast<double>(x));
    hi[c] = std::max(hi[c], static_cast<double>(x));
    ++finite;
  }
  nonFiniteValues += n - finite;
  if (finite == 0)
    return;
  if (histogram)
    histogram->add(data, n, *llvm::min_element(lo), *llvm::max_element(hi),
                   finite);
  for (int64_t c = 0; c < channels; ++c) {
    if (!std::isfinite(lo[c]))
      continue; // this channel saw nothing finite in this batch
    bool first = finiteValues == 0;
    if (first) {
      min[c] = lo[c];
      max[c] = hi[c];
    } else if (kind == Kind::MovingAverageMinMax) {
      min[c] += momentum * (lo[c] - min[c]);
      max[c] += momentum * (hi[c] - max[c]);
    } else {
      min[c] = std::min(min[c], lo[c]);
      max[c] = std::max(max[c], hi[c]);
    }
  }
  finiteValues += finite;
  ++batches;
}

//===----------------------------------------------------------------------===//
// Range selection
//===----------------------------------------------------------------------===//

std::optional<CalibrationMethod>
mlir::quantsim::parseCalibrationMethod(StringRef name) {
  return llvm::StringSwitch<std::optional<CalibrationMethod>>(name)
      .Case("minmax", CalibrationMethod::MinMax)
      .Case("percentile", CalibrationMethod::Percentile)
      .Case("mse", CalibrationMethod::MSE)
      .Case("entropy", CalibrationMethod::Entropy)
      .Default(std::nullopt);
}

StringRef mlir::quantsim::calibrationMethodName(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::MSE:
    return "mse";
  case CalibrationMethod::Entropy:
    return "entropy";
  }
  return "";
}

namespace {
/// The histogram of one channel with its bin geometry.
struct BinnedView {
  ArrayRef<int64_t> counts;
  double lo, width;
  int64_t total;

  explicit BinnedView(const ChannelStatistics &s)
      : counts(s.histogram), lo(s.histogramLo),
        width((s.histogramHi - s.histogramLo) /
              static_cast<double>(s.histogram.size())),
        total(std::accumulate(s.histogram.begin(), s.histogram.end(),
                              int64_t(0))) {}

  /// The value below which a fraction `f` of the observations lie, linear
  /// within a bin.
  double quantile(double f) const {
    double target = f * static_cast<double>(total), seen = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      double c = static_cast<double>(counts[i]);
      if (c > 0 && seen + c >= target)
        return lo + width * (static_cast<double>(i) +
                             std::clamp((target - seen) / c, 0.0, 1.0));
      seen += c;
    }
    return lo + width * static_cast<double>(counts.size());
  }
};
} // namespace

static double fakeQuant(double x, const ScaleZeroPoint &p, int64_t qmin,
                        int64_t qmax) {
  double q = std::nearbyint(x / p.scale) + static_cast<double>(p.zeroPoint);
  q = std::clamp(q, static_cast<double>(qmin), static_cast<double>(qmax));
  return (q - static_cast<double>(p.zeroPoint)) * p.scale;
}

static std::pair<double, double> percentileRange(const ChannelStatistics &s,
                                                 double percentile) {
  BinnedView h(s);
  double tail = 1.0 - percentile / 100.0;
  double lo = s.min, hi = s.max;
  if (s.min >= 0) {
    hi = h.quantile(1.0 - tail);
  } else if (s.max <= 0) {
    lo = h.quantile(tail);
  } else {
    lo = h.quantile(tail / 2);
    hi = h.quantile(1.0 - tail / 2);
  }
  return {std::max(lo, s.min), std::min(hi, s.max)};
}

static std::pair<double, double> mseRange(const ChannelStatistics &s,
                                          const QuantScheme &scheme) {
  constexpr int kCandidates = 200, kSamples = 4;
  BinnedView h(s);
  double lo0 = std::min(s.min, 0.0), hi0 = std::max(s.max, 0.0);
  int64_t qmin = scheme.qmin(), qmax = scheme.qmax();
  std::pair<double, double> best{lo0, hi0};
  double bestError = std::numeric_limits<double>::infinity();
  for (int k = kCandidates; k >= 1; --k) {
    double alpha = static_cast<double>(k) / kCandidates;
    ScaleZeroPoint p = paramsForRange(alpha * lo0, alpha * hi0, scheme);
    double error = 0;
    for (size_t i = 0; i < h.counts.size(); ++i) {
      if (!h.counts[i])
        continue;
      double binError = 0;
      for (int j = 0; j < kSamples; ++j) {
        double x = h.lo + h.width * (static_cast<double>(i) +
                                     (j + 0.5) / kSamples);
        x = std::clamp(x, s.min, s.max);
        double d = x - fakeQuant(x, p, qmin, qmax);
        binError += d * d;
      }
      error += static_cast<double>(h.counts[i]) * binError / kSamples;
    }
    // Strictly better only: among equal errors the widest range wins.
    if (error < bestError) {
      bestError = error;
      best = {alpha * lo0, alpha * hi0};
    }
  }
  return best;
}

/// Smoothed KL divergence of two unnormalized distributions (TensorRT's
/// definition: zeros get a small mass taken from the non-zero bins).
static double klDivergence(ArrayRef<double> p, ArrayRef<double> q) {
  auto smooth = [](ArrayRef<double> d) {
    constexpr double eps = 1e-4;
    int64_t zeros = llvm::count(d, 0.0), n = static_cast<int64_t>(d.size());
    double sum = std::accumulate(d.begin(), d.end(), 0.0);
    std::vector<double> out(d.begin(), d.end());
    if (sum <= 0)
      return out;
    for (double &v : out)
      v /= sum;
    if (zeros == 0 || zeros == n)
      return out;
    double take = eps * static_cast<double>(zeros) /
                  static_cast<double>(n - zeros);
    for (double &v : out)
      v = v == 0 ? eps : v - take;
    return out;
  };
  std::vector<double> ps = smooth(p), qs = smooth(q);
  double kl = 0;
  for (size_t i = 0; i < ps.size(); ++i) {
    if (ps[i] <= 0)
      continue;
    if (qs[i] <= 0)
      return std::numeric_limits<double>::infinity();
    kl += ps[i] * std::log(ps[i] / qs[i]);
  }
  return kl;
}

static std::pair<double, double> entropyRange(const ChannelStatistics &s,
                                              const QuantScheme &scheme) {
  constexpr int64_t kMaxBins = 2048;
  BinnedView h(s);
  // |x| on a grid of the histogram's width: bin k (of [k w, (k+1) w)) holds
  // |x| in bin k for k >= 0 and -k-1 for k < 0. The histogram's bins start
  // at a multiple of the width when calibration wrote them; otherwise this
  // is approximate by up to one bin.
  int64_t origin = static_cast<int64_t>(std::llround(h.lo / h.width));
  int64_t absBins = 0;
  for (size_t j = 0; j < h.counts.size(); ++j) {
    int64_t k = origin + static_cast<int64_t>(j);
    absBins = std::max(absBins, (k >= 0 ? k : -k - 1) + 1);
  }
  int64_t group = (absBins + kMaxBins - 1) / kMaxBins;
  int64_t nbins = (absBins + group - 1) / group;
  std::vector<double> hist(nbins, 0.0);
  for (size_t j = 0; j < h.counts.size(); ++j) {
    int64_t k = origin + static_cast<int64_t>(j);
    hist[(k >= 0 ? k : -k - 1) / group] += static_cast<double>(h.counts[j]);
  }
  double absWidth = h.width * static_cast<double>(group);
  bool twoSided = s.min < 0 && s.max > 0;
  int64_t levels = scheme.qmax() - scheme.qmin() + 1;
  if (scheme.symmetric || twoSided)
    levels /= 2;
  double amax = std::max(-s.min, s.max);
  if (nbins <= levels)
    return {std::min(s.min, 0.0), std::max(s.max, 0.0)};

  double bestKL = std::numeric_limits<double>::infinity();
  int64_t bestI = nbins;
  std::vector<double> p, q;
  for (int64_t i = levels; i <= nbins; ++i) {
    p.assign(hist.begin(), hist.begin() + i);
    for (int64_t j = i; j < nbins; ++j)
      p[i - 1] += hist[j];
    // Merge the first i bins into `levels` groups, then spread each group's
    // count evenly over its bins that are non-zero in p.
    q.assign(i, 0.0);
    int64_t merged = i / levels;
    for (int64_t g = 0; g < levels; ++g) {
      int64_t start = g * merged, stop = g == levels - 1 ? i : start + merged;
      double sum = 0;
      int64_t nonzero = 0;
      for (int64_t j = start; j < stop; ++j) {
        sum += hist[j];
        nonzero += p[j] != 0;
      }
      for (int64_t j = start; j < stop; ++j)
        q[j] = p[j] != 0 ? sum / static_cast<double>(nonzero) : 0.0;
    }
    double kl = klDivergence(p, q);
    if (kl < bestKL) {
      bestKL = kl;
      bestI = i;
    }
  }
  double threshold = std::min(absWidth * static_cast<double>(bestI), amax);
  return {std::max(s.min, -threshold), std::min(s.max, threshold)};
}

std::pair<double, double>
mlir::quantsim::chooseRange(CalibrationMethod method,
                            const ChannelStatistics &stats,
                            const QuantScheme &scheme, double percentile) {
  std::pair<double, double> range{std::min(stats.min, 0.0),
                                  std::max(stats.max, 0.0)};
  bool hasHistogram = !stats.histogram.empty() &&
                      stats.histogramHi > stats.histogramLo;
  if (method == CalibrationMethod::MinMax || !hasHistogram ||
      stats.max <= stats.min)
    return range;
  if (method == CalibrationMethod::Percentile)
    range = percentileRange(stats, percentile);
  else if (method == CalibrationMethod::MSE)
    range = mseRange(stats, scheme);
  else
    range = entropyRange(stats, scheme);
  return {std::min(range.first, 0.0), std::max(range.second, 0.0)};
}
