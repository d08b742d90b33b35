//===- Calibration.h - statistics and range selection for PTQ ---*- C++ -*-===//
//
// Part of quant-opt. What post-training quantization computes outside the
// IR: the statistics an observer accumulates during calibration (min/max,
// moving averages, a histogram on a canonical grid), and the rules that turn
// them into a range and then a scale and zero point (min/max, percentile,
// MSE, entropy). docs/Calibration.md gives the exact definitions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_CALIBRATION_H
#define QUANTOPT_SUPPORT_CALIBRATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir {
namespace quantsim {

/// The integer grid a value is quantized to.
struct QuantScheme {
  unsigned bits = 8;
  bool isSigned = false;
  bool symmetric = false;
  bool narrowRange = false;

  int64_t qmin() const;
  int64_t qmax() const;
};

/// A scale and zero point.
struct ScaleZeroPoint {
  double scale = 1.0;
  int64_t zeroPoint = 0;
};

/// The parameters that represent [lo, hi] (which must contain 0) on
/// `scheme`'s grid. Asymmetric: scale (hi - lo) / (qmax - qmin) and the zero
/// point qmin - lo / scale rounded to an integer, so that 0.0 is exact.
/// Symmetric: amax = max(-lo, hi); signed: zero point 0 and scale
/// amax / qmax; unsigned: zero point (qmin + qmax + 1) / 2 and scale
/// amax / (qmax - zero point). A zero-width range gets scale 1.
ScaleZeroPoint paramsForRange(double lo, double hi, const QuantScheme &scheme);

/// A histogram whose bins have a power-of-two width `w` and start at an
/// integer multiple of it, so that 0.0 is always a bin edge and widening
/// the range (doubling `w`, merging pairs of bins) is exact: the result
/// depends only on the values seen and on the first batch's spread, not on
/// how they were split into batches after it.
class CanonicalHistogram {
public:
  explicit CanonicalHistogram(int64_t bins) : counts(bins, 0) {}

  /// Adds the finite values of `data`; returns how many were not finite
  /// (they are not counted).
  int64_t add(const float *data, int64_t n);
  /// The same when the caller already knows the finite values' range
  /// [lo, hi] and count (at least one).
  void add(const float *data, int64_t n, double lo, double hi,
           int64_t finite);

  bool empty() const { return total == 0; }
  llvm::ArrayRef<int64_t> getCounts() const { return counts; }
  /// [lo, hi] spanned by the bins.
  double lo() const;
  double hi() const;

private:
  /// Widens and shifts the grid so that [lo, hi] fits.
  void fit(double lo, double hi);

  std::vector<int64_t> counts;
  int64_t total = 0;
  double width = 0;   ///< bin width, a power of two
  int64_t origin = 0; ///< index of the first bin on the grid of `width`
  double seenMin = 0, seenMax = 0;
};

/// What one observer accumulates over a calibration run.
struct ObserverStatistics {
  enum class Kind { MinMax, MovingAverageMinMax, Histogram };

  /// `channels` > 1 with `axis` observes per channel along that dimension
  /// of each observed tensor.
  ObserverStatistics(Kind kind, int64_t channels, double momentum,
                     int64_t bins);

  /// Records one batch: `data` with `shape`, per channel along `axis`
  /// when `channels` > 1.
  void observe(const float *data, llvm::ArrayRef<int64_t> shape,
               std::optional<int64_t> axis);

  Kind kind;
  double momentum;
  llvm::SmallVector<double> min, max;
  std::optional<CanonicalHistogram> histogram;
  int64_t batches = 0;
  int64_t finiteValues = 0;
  int64_t nonFiniteValues = 0;
};

enum class CalibrationMethod { MinMax, Percentile, MSE, Entropy };

/// Parses "minmax", "percentile", "mse", "entropy".
std::optional<CalibrationMethod> parseCalibrationMethod(llvm::StringRef name);
llvm::StringRef calibrationMethodName(CalibrationMethod method);

/// The statistics of one channel as the range rules read them.
struct ChannelStatistics {
  double min = 0, max = 0;
  llvm::ArrayRef<int64_t> histogram; ///< empty for min/max observers
  double histogramLo = 0, histogramHi = 0;
};

/// The range [lo, hi] (containing 0) that `method` picks for `stats` on
/// `scheme`'s grid; `percentile` is in (0, 100]. MinMax needs no histogram;
/// the other methods do (the caller checks).
std::pair<double, double> chooseRange(CalibrationMethod method,
                                      const ChannelStatistics &stats,
                                      const QuantScheme &scheme,
                                      double percentile);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_CALIBRATION_H
