//===- LegalizeTosaForLinalg.cpp - TOSA upstream's lowering gets wrong ----===//
//
// Part of quant-opt. Implements --quantsim-legalize-tosa-for-linalg: a
// rescale that changes the shape is refused; padding of integer 1x1
// depthwise convolutions becomes an explicit tosa.pad.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMLEGALIZETOSAFORLINALGPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

/// Pads the input of an integer 1x1 depthwise convolution explicitly.
LogicalResult padDepthwise1x1(tosa::DepthwiseConv2DOp conv,
                              IRRewriter &rewriter) {
  ArrayRef<int64_t> pad = conv.getPad();
  auto inputType = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto weightType = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  if (!inputType || !weightType || !inputType.hasStaticShape() ||
      !isa<IntegerType>(inputType.getElementType()) ||
      weightType.getDimSize(0) != 1 || weightType.getDimSize(1) != 1 ||
      llvm::all_of(pad, [](int64_t p) { return p == 0; }))
    return failure();
  rewriter.setInsertionPoint(conv);
  Location loc = conv.getLoc();
  SmallVector<int64_t> padding{0, 0, pad[0], pad[1], pad[2], pad[3], 0, 0};
  Value shape = tosa::ConstShapeOp::create(
      rewriter, loc, tosa::shapeType::get(rewriter.getContext(), 8),
      DenseIntElementsAttr::get(
          RankedTensorType::get({8}, rewriter.getIndexType()), padding));
  auto paddedType = inputType.clone(
      {inputType.getDimSize(0), inputType.getDimSize(1) + pad[0] + pad[1],
       inputType.getDimSize(2) + pad[2] + pad[3], inputType.getDimSize(3)});
  // Padded positions hold the input zero point: they contribute nothing.
  Value padded = tosa::PadOp::create(rewriter, loc, paddedType,
                                     conv.getInput(), shape,
                                     conv.getInputZp());
  rewriter.modifyOpInPlace(conv, [&] {
    conv.getInputMutable().assign(padded);
    conv.setPad(SmallVector<int64_t>(4, 0));
  });
  return success();
}

struct QuantSimLegalizeTosaForLinalgPass
    : quantsim::impl::QuantSimLegalizeTosaForLinalgPassBase<
          QuantSimLegalizeTosaForLinalgPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    WalkResult result = getOperation().walk([&](Operation *op) {
      if (auto rescale = dyn_cast<tosa::RescaleOp>(op)) {
        auto in = cast<ShapedType>(rescale.getInput().getType());
        auto out = cast<ShapedType>(rescale.getType());
        if (in.hasRank() && out.hasRank() && in.getShape() != out.getShape()) {
          rescale.emitOpError()
              << "changes the shape from " << in << " to " << out
              << "; a rescale is elementwise (reshape its input or result)";
          return WalkResult::interrupt();
        }
      }
      if (auto conv = dyn_cast<tosa::DepthwiseConv2DOp>(op))
        (void)padDepthwise1x1(conv, rewriter);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
