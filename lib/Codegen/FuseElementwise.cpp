//===- FuseElementwise.cpp - fuse elementwise linalg.generic chains -------===//
//
// Part of quant-opt. Implements --quantsim-fuse-elementwise.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMFUSEELEMENTWISEPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

struct QuantSimFuseElementwisePass
    : quantsim::impl::QuantSimFuseElementwisePassBase<
          QuantSimFuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Only a producer with one use, which the consumer reads element for
    // element: fusing one with several uses would compute it again in each
    // consumer, and one read through a broadcast again for every element
    // it is broadcast to (a squeeze-and-excitation gate, C values of a
    // sigmoid, computed H x W times over in the multiply that reads it).
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *fused) {
          Operation *producer = fused->get().getDefiningOp();
          auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
          return producer && producer->hasOneUse() && consumer &&
                 consumer.getMatchingIndexingMap(fused).isPermutation();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    getOperation().walk(writeOverDeadInput);
  }

  /// An elementwise generic whose result goes to a new tensor while one of
  /// its inputs, of the same type and read at the same index, dies with it:
  /// the result takes that input's tensor, which bufferization then writes
  /// in place. A new buffer is written-allocated line by line
  /// (EfficientNet-B0's squeeze-and-excitation multiplies spent most of
  /// their time on the stores); the input's lines were just read. Not over
  /// a slice of a larger tensor: that tensor lives on (a growing concat's
  /// leading slice), and bufferization would copy the slice out first.
  static void writeOverDeadInput(linalg::GenericOp generic) {
    if (generic.getNumDpsInits() != 1 ||
        generic.getNumParallelLoops() != generic.getNumLoops())
      return;
    OpOperand *init = generic.getDpsInitOperand(0);
    auto empty = init->get().getDefiningOp<tensor::EmptyOp>();
    if (!empty || !empty->hasOneUse() ||
        !generic.getMatchingIndexingMap(init).isIdentity() ||
        generic.payloadUsesValueFromOperand(init))
      return;
    for (OpOperand *input : generic.getDpsInputOperands()) {
      Value value = input->get();
      Operation *producer = value.getDefiningOp();
      if (value.getType() != init->get().getType() || !value.hasOneUse() ||
          !producer || isa<tensor::EmptyOp, tensor::ExtractSliceOp>(producer) ||
          producer->hasTrait<OpTrait::ConstantLike>() ||
          !generic.getMatchingIndexingMap(input).isIdentity())
        continue;
      init->set(value);
      empty->erase();
      return;
    }
  }
};

} // namespace
