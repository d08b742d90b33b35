//===- InterchangeForVectorization.cpp - contiguous innermost loops -------===//
//
// Part of quant-opt. Implements --quantsim-interchange-for-vectorization.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMINTERCHANGEFORVECTORIZATIONPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

/// The loop to put innermost, if the op allows it: the dimension of the
/// output's last index, parallel, and for every input either absent or its
/// last index (and nowhere else).
std::optional<unsigned> contiguousLoop(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumLoops() < 2)
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return std::nullopt;
  auto last = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!last)
    return std::nullopt;
  unsigned d = last.getPosition();
  if (op.getIteratorTypesArray()[d] != utils::IteratorType::parallel)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    for (auto [i, expr] : llvm::enumerate(map.getResults())) {
      if (!expr.isFunctionOfDim(d))
        continue;
      bool isLastDim = i + 1 == map.getNumResults() &&
                       isa<AffineDimExpr>(expr) &&
                       cast<AffineDimExpr>(expr).getPosition() == d;
      if (!isLastDim)
        return std::nullopt;
    }
  }
  return d;
}

struct QuantSimInterchangeForVectorizationPass
    : quantsim::impl::QuantSimInterchangeForVectorizationPassBase<
          QuantSimInterchangeForVectorizationPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) { ops.push_back(op); });
    for (linalg::GenericOp op : ops) {
      std::optional<unsigned> d = contiguousLoop(op);
      if (!d || *d + 1 == op.getNumLoops())
        continue;
      SmallVector<unsigned> order;
      for (unsigned i = 0, e = op.getNumLoops(); i < e; ++i)
        if (i != *d)
          order.push_back(i);
      order.push_back(*d);
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, order)))
        return signalPassFailure();
    }
  }
};

} // namespace
