//===- FuseElementwise.cpp - fuse elementwise linalg.generic chains -------===//
//
// Part of quant-opt. Implements --quantsim-fuse-elementwise.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
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
    // Only a producer with one use: fusing one with several would compute
    // it again in each consumer.
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *fused) {
          Operation *producer = fused->get().getDefiningOp();
          return producer && producer->hasOneUse();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
