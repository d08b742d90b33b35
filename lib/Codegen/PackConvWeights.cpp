//===- PackConvWeights.cpp - constant conv filters to HWCF ----------------===//
//
// Part of quant-opt. Implements --quantsim-pack-conv-weights.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Support/Constants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMPACKCONVWEIGHTSPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

template <typename ConvOp>
LogicalResult packConv(IRRewriter &rewriter, ConvOp conv) {
  if (!matchPattern(conv.getInputs()[1], m_Constant()))
    return failure();
  rewriter.setInsertionPoint(conv);
  FailureOr<Operation *> packed = linalg::transposeConv2D(rewriter, conv);
  if (failed(packed))
    return failure();
  // Fold the filter transpose the rewrite materialized.
  auto linalgOp = cast<linalg::LinalgOp>(*packed);
  Value filter = linalgOp.getDpsInputs()[1];
  auto transpose = filter.getDefiningOp<linalg::TransposeOp>();
  DenseElementsAttr value;
  if (!transpose || !matchPattern(transpose.getInput(), m_Constant(&value)))
    return success();
  rewriter.setInsertionPoint(transpose);
  auto constant = arith::ConstantOp::create(
      rewriter, transpose.getLoc(),
      quantsim::permuteConstant(value, transpose.getPermutation()));
  rewriter.replaceOp(transpose, constant.getResult());
  return success();
}

struct QuantSimPackConvWeightsPass
    : quantsim::impl::QuantSimPackConvWeightsPassBase<
          QuantSimPackConvWeightsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> convs;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::Conv2DNhwcFhwcOp, linalg::Conv2DNhwcFhwcQOp>(op))
        convs.push_back(op);
    });
    for (Operation *op : convs) {
      if (auto conv = dyn_cast<linalg::Conv2DNhwcFhwcOp>(op))
        (void)packConv(rewriter, conv);
      else
        (void)packConv(rewriter, cast<linalg::Conv2DNhwcFhwcQOp>(op));
    }
  }
};

} // namespace
