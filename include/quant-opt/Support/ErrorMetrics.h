//===- ErrorMetrics.h - quantization error of a tensor ----------*- C++ -*-===//
//
// Part of quant-opt. The error of a quantized computation against its float
// reference, accumulated over any number of tensors: signal-to-quantization-
// noise ratio and the largest absolute error.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_ERRORMETRICS_H
#define QUANTOPT_SUPPORT_ERRORMETRICS_H

#include <cstdint>

namespace mlir {
namespace quantsim {

/// Accumulates, over every element pair (x, y) of a reference x and a
/// quantized result y:
///   SQNR = 10 log10( sum x^2 / sum (x - y)^2 )  dB,
///   max |x - y|  and  mean |x - y|.
/// A pair where either side is NaN or infinite is counted apart and not
/// accumulated. A result equal to its reference has infinite SQNR; a zero
/// reference with a nonzero error has -infinity.
class QuantizationError {
public:
  void add(const float *reference, const float *result, int64_t n);
  void merge(const QuantizationError &other);

  double sqnrDb() const;
  double maxAbsError() const { return maxAbs; }
  double meanAbsError() const;
  int64_t elements() const { return count; }
  int64_t nonFinite() const { return nonFiniteCount; }

private:
  double signal = 0, noise = 0, absSum = 0, maxAbs = 0;
  int64_t count = 0, nonFiniteCount = 0;
};

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_ERRORMETRICS_H
