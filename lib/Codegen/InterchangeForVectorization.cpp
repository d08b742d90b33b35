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

/// The number of results of `map` left when trailing results that are
/// loops of one iteration (a depthwise conv's channel multiplier of 1) are
/// dropped: the last of those is the operand's contiguous index.
unsigned significantResults(AffineMap map, ArrayRef<int64_t> ranges) {
  unsigned n = map.getNumResults();
  while (n > 1) {
    auto dim = dyn_cast<AffineDimExpr>(map.getResult(n - 1));
    if (!dim || ranges[dim.getPosition()] != 1)
      break;
    --n;
  }
  return n;
}

/// The loop to put innermost, if the op allows it: the dimension of the
/// output's last index (trailing unit dimensions aside), parallel, and for
/// every input either absent or its last such index (and nowhere else).
std::optional<unsigned> contiguousLoop(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumLoops() < 2)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return std::nullopt;
  auto last = dyn_cast<AffineDimExpr>(
      outMap.getResult(significantResults(outMap, ranges) - 1));
  if (!last)
    return std::nullopt;
  unsigned d = last.getPosition();
  if (op.getIteratorTypesArray()[d] != utils::IteratorType::parallel)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    unsigned significant = significantResults(map, ranges);
    for (auto [i, expr] : llvm::enumerate(map.getResults())) {
      if (!expr.isFunctionOfDim(d))
        continue;
      bool isLastDim = i + 1 == significant && isa<AffineDimExpr>(expr) &&
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
