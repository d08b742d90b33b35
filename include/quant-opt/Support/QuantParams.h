//===- QuantParams.h - quantization parameters of a quant type --*- C++ -*-===//
//
// Part of quant-opt. Reads an upstream `!quant.uniform` type into plain
// numbers (scale and zero point per channel, storage range) and checks that
// they describe a fake quantization quant-opt can compute exactly. Verifiers,
// folders and lowerings all go through here so they agree on what is valid.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_QUANTPARAMS_H
#define QUANTOPT_SUPPORT_QUANTPARAMS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace mlir {
namespace quantsim {

/// Storage widths a fake quantization may use. 16 bits is the most for which
/// dequantized f32 values re-quantize to themselves exactly.
constexpr unsigned kMinStorageWidth = 2;
constexpr unsigned kMaxStorageWidth = 16;
/// The most output channels a per-channel rewrite builds vectors for
/// (scales, multipliers, biases): 2^24. Beyond it ops are refused or left
/// alone instead of taking gigabytes.
constexpr int64_t kMaxChannels = int64_t(1) << 24;

/// The numbers behind a uniform quant type. Per-tensor types have one scale
/// and zero point and no axis.
struct QuantParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t qmin = 0;
  int64_t qmax = 0;
  std::optional<int32_t> axis;
  unsigned storageWidth = 0;
  bool isSigned = true;

  bool isPerAxis() const { return axis.has_value(); }
  /// Number of channels (1 when per-tensor).
  size_t numChannels() const { return scales.size(); }
};

/// Checks that `qtype` is a uniform quant type (per-tensor or per-axis) usable
/// for fake quantization of `tensorType`, and returns its numbers. Every
/// failure is reported through `emitError` with a message naming the problem.
/// `tensorType` may be null to check the type alone (no axis/shape checks).
FailureOr<QuantParams>
getQuantParams(Type qtype, RankedTensorType tensorType,
               function_ref<InFlightDiagnostic()> emitError);

struct QuantScheme;
struct ScaleZeroPoint;

/// The `!quant.uniform` type (f32 expressed) of `scheme` with one scale and
/// zero point, or one per channel along `axis`. Scales are rounded to f32
/// (what fake_quant computes with) and kept at or above 2^-100.
Type buildQuantType(MLIRContext *context, const QuantScheme &scheme,
                    ArrayRef<ScaleZeroPoint> params,
                    std::optional<int32_t> axis);

/// The scheme of a quant type (storage width, signedness, narrow range;
/// `symmetric` when every zero point sits where a symmetric scheme puts it).
QuantScheme schemeOf(const QuantParams &params);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_QUANTPARAMS_H
