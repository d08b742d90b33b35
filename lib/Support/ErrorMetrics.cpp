//===- ErrorMetrics.cpp - quantization error of a tensor -------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/ErrorMetrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::quantsim;

void QuantizationError::add(const float *reference, const float *result,
                            int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    double x = reference[i], y = result[i];
    if (!std::isfinite(x) || !std::isfinite(y)) {
      ++nonFiniteCount;
      continue;
    }
    double e = x - y;
    signal += x * x;
    noise += e * e;
    absSum += std::fabs(e);
    maxAbs = std::max(maxAbs, std::fabs(e));
    ++count;
  }
}

void QuantizationError::merge(const QuantizationError &other) {
  signal += other.signal;
  noise += other.noise;
  absSum += other.absSum;
  maxAbs = std::max(maxAbs, other.maxAbs);
  count += other.count;
  nonFiniteCount += other.nonFiniteCount;
}

double QuantizationError::sqnrDb() const {
  if (noise == 0)
    return std::numeric_limits<double>::infinity();
  if (signal == 0)
    return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

double QuantizationError::meanAbsError() const {
  return count ? absSum / static_cast<double>(count) : 0.0;
}
