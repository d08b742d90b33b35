//===- PackConvWeights.cpp - constant conv filters to HWCF ----------------===//
//
// Part of quant-opt. Implements --quantsim-pack-conv-weights.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

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

/// `value` permuted: result dimension i is source dimension perm[i].
DenseElementsAttr transposeConstant(DenseElementsAttr value,
                                    ArrayRef<int64_t> perm,
                                    RankedTensorType resultType) {
  if (value.isSplat())
    return value.resizeSplat(resultType);
  auto srcType = cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> srcShape = srcType.getShape();
  int64_t rank = srcType.getRank();
  SmallVector<int64_t> srcStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    srcStrides[d] = srcStrides[d + 1] * srcShape[d + 1];
  auto values = llvm::to_vector(value.getValues<Attribute>());
  SmallVector<Attribute> result(values.size());
  ArrayRef<int64_t> dstShape = resultType.getShape();
  SmallVector<int64_t> index(rank, 0);
  for (size_t linear = 0; linear < result.size(); ++linear) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += index[d] * srcStrides[perm[d]];
    result[linear] = values[src];
    for (int64_t d = rank - 1; d >= 0; --d) { // next destination index
      if (++index[d] < dstShape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, result);
}

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
  auto resultType = cast<RankedTensorType>(transpose.getResult()[0].getType());
  rewriter.setInsertionPoint(transpose);
  auto constant = arith::ConstantOp::create(
      rewriter, transpose.getLoc(),
      transposeConstant(value, transpose.getPermutation(), resultType));
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
