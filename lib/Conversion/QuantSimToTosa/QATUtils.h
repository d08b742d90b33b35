//===- QATUtils.h - helpers of the QAT-graph lowering -----------*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Conversion/QuantSimToTosa: matching
// dequantize -> op -> quantize islands and building integer TOSA.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_CONVERSION_QUANTSIMTOTOSA_QATUTILS_H
#define QUANTOPT_LIB_CONVERSION_QUANTSIMTOTOSA_QATUTILS_H

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/QuantParams.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace mlir {
namespace quantsim {
namespace qat {

/// What every pattern needs to know about the lowering.
struct Context {
  tosa::RoundingMode roundingMode = tosa::RoundingMode::SINGLE_ROUND;
  /// Ops a pattern already reported an error on, so that the final check
  /// does not report them twice.
  llvm::DenseSet<Operation *> *diagnosed = nullptr;

  /// Reports an error on `op` once and returns failure.
  LogicalResult fail(Operation *op, const Twine &message) const;
};

/// `dequantize(q, T)`: the integer tensor and its parameters.
struct Dequantized {
  DequantizeOp op;
  Value q;
  QuantParams params;
};

/// Matches `v = dequantize(q, T)` with 8-bit storage (the integer graph's
/// activation and weight width).
std::optional<Dequantized> matchDequantized(Value v);

/// Matches a per-tensor `dequantize`.
std::optional<Dequantized> matchDequantizedPerTensor(Value v);

/// The end of an island: `v` feeds, through an optional `tosa.add` of a
/// constant (a bias) and an optional `tosa.clamp`, each the single user of
/// the previous value, a per-tensor 8-bit `quantize`.
struct QuantizedResult {
  QuantizeOp quantize;
  QuantParams params;
  tosa::AddOp biasAdd;              ///< null when absent
  DenseElementsAttr bias;           ///< the added constant, f32
  tosa::ClampOp clamp;              ///< null when absent
};

/// Matches the chain above. `allowBias` permits the bias add.
std::optional<QuantizedResult> matchQuantizedResult(Value v, bool allowBias);

/// The storage level range [lo, hi] the result may take: the quantize's
/// storage range, narrowed by a fused clamp (relu, relu6, clamp) mapped
/// through the quantizer, which is monotone, so clamping levels is exact.
std::pair<int64_t, int64_t> resultLevelRange(const QuantizedResult &result);

/// A scalar zero-point tensor<1 x iN> as tosa.const.
Value createZeroPoint(OpBuilder &b, Location loc, Type elementType,
                      int64_t value);

/// A constant tensor as tosa.const.
Value createConst(OpBuilder &b, Location loc, DenseElementsAttr value);

/// Checks that every scale has a 32-bit multiplier/shift, reporting the
/// first that does not on `anchor`. Patterns call it before creating any op:
/// a pattern that fails after changing the IR never converges.
LogicalResult checkRescales(Operation *anchor, const Context &ctx,
                            ArrayRef<double> scales);

/// tosa.rescale of `input` by `scales` (one, or one per channel of the last
/// dimension) with the given zero points, to `outputElementType`. Fails with
/// a diagnostic on `anchor` when a scale has no 32-bit multiplier/shift.
FailureOr<Value> createRescale(OpBuilder &b, Location loc, Operation *anchor,
                               const Context &ctx, Value input,
                               ArrayRef<double> scales, int64_t inputZp,
                               int64_t outputZp, Type outputElementType);

/// tosa.clamp on an integer tensor, only when [lo, hi] is narrower than the
/// element type's range; otherwise returns `input`.
Value createIntClamp(OpBuilder &b, Location loc, Value input, int64_t lo,
                     int64_t hi);

/// `shape` with element type `elementType`.
RankedTensorType withElementType(Type shape, Type elementType);

/// Replaces the island's final quantize by `value` and erases the float ops
/// of the epilogue that became dead.
void replaceIsland(PatternRewriter &rewriter, const QuantizedResult &result,
                   Value value);

/// Replaces every fake_quant in `root` by dequantize(quantize(x)). Runs
/// before any pattern so that no fake_quant of a constant is folded to float
/// first: weights must stay quantize(constant), which folds to integers.
void splitFakeQuants(Operation *root);

/// Patterns, by family.
void populateQATSplitPatterns(RewritePatternSet &patterns, const Context &ctx);
void populateQATComputePatterns(RewritePatternSet &patterns,
                                const Context &ctx);
void populateQATDataMovementPatterns(RewritePatternSet &patterns,
                                     const Context &ctx);

} // namespace qat
} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_CONVERSION_QUANTSIMTOTOSA_QATUTILS_H
