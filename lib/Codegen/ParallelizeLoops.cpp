//===- ParallelizeLoops.cpp - kernels' batch and row loops to scf.parallel ===//
//
// Part of quant-opt. Implements --quantsim-parallelize-loops.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMPARALLELIZELOOPSPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

bool isMarked(scf::ForOp loop) {
  return loop->hasAttr(kParallelLoopAttr);
}

/// The work the kernel marked `loop` with.
int64_t work(scf::ForOp loop) {
  auto attr = loop->getAttrOfType<IntegerAttr>(kParallelLoopAttr);
  return attr ? attr.getInt() : 0;
}

/// The marked loop that is `outer`'s whole body, constants aside, when its
/// bounds are constants or defined outside `outer`.
scf::ForOp nestedMarkedLoop(scf::ForOp outer) {
  scf::ForOp inner = wholeBodyLoop(outer);
  if (!inner || !isMarked(inner) || inner.getNumResults() != 0)
    return {};
  for (Value bound : {inner.getLowerBound(), inner.getUpperBound(),
                      inner.getStep()}) {
    Operation *def = bound.getDefiningOp();
    bool inside = outer.getBodyRegion().isAncestor(bound.getParentRegion());
    if (inside && !(def && def->hasTrait<OpTrait::ConstantLike>()))
      return {};
  }
  return inner;
}

/// `loop` (and the marked loop nested in it) as one scf.parallel.
void parallelize(OpBuilder &b, scf::ForOp outer) {
  scf::ForOp inner = nestedMarkedLoop(outer);
  b.setInsertionPoint(outer);
  IRMapping map;
  // Bounds defined by constants in the outer body are cloned before it.
  auto bound = [&](Value v) -> Value {
    Operation *def = v.getDefiningOp();
    if (def && outer->isAncestor(def))
      return b.clone(*def, map)->getResult(0);
    return v;
  };
  SmallVector<Value> lbs{outer.getLowerBound()}, ubs{outer.getUpperBound()},
      steps{outer.getStep()};
  if (inner) {
    lbs.push_back(bound(inner.getLowerBound()));
    ubs.push_back(bound(inner.getUpperBound()));
    steps.push_back(bound(inner.getStep()));
  }
  auto parallel = scf::ParallelOp::create(b, outer.getLoc(), lbs, ubs, steps);
  map.map(outer.getInductionVar(), parallel.getInductionVars()[0]);
  b.setInsertionPointToStart(parallel.getBody());
  Block *body = outer.getBody();
  if (inner) {
    map.map(inner.getInductionVar(), parallel.getInductionVars()[1]);
    for (Operation &op : body->without_terminator())
      if (&op != inner.getOperation())
        b.clone(op, map);
    body = inner.getBody();
  }
  for (Operation &op : body->without_terminator())
    b.clone(op, map);
  outer->erase();
}

/// The iterations of `op`'s loop nest, when its bounds are static.
std::optional<int64_t> iterations(linalg::LinalgOp op) {
  int64_t n = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return std::nullopt;
    n *= range;
  }
  return n;
}

struct QuantSimParallelizeLoopsPass
    : quantsim::impl::QuantSimParallelizeLoopsPassBase<
          QuantSimParallelizeLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    lowerParallelLinalgOps();
    SmallVector<scf::ForOp> outermost;
    getOperation().walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      if (!isMarked(loop))
        return WalkResult::advance();
      // A loop that still carries values (not bufferized), or does too
      // little work to pay for waking threads, is left serial.
      if (loop.getNumResults() == 0 && work(loop) >= minWork)
        outermost.push_back(loop);
      return WalkResult::skip();
    });
    OpBuilder b(&getContext());
    for (scf::ForOp loop : outermost)
      parallelize(b, loop);
  }

  /// Lowers the linalg ops left for the generic path (elementwise chains,
  /// layers without a kernel) whose leading loops are parallel iterators
  /// to loops, marking those (the first two when both are) with the nest's
  /// iteration count, like the kernels mark theirs.
  void lowerParallelLinalgOps() {
    SmallVector<std::pair<linalg::LinalgOp, int64_t>> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      auto iterators = op.getIteratorTypesArray();
      std::optional<int64_t> work = iterations(op);
      if (op.hasPureBufferSemantics() && !iterators.empty() &&
          iterators[0] == utils::IteratorType::parallel && work &&
          *work >= minWork)
        ops.push_back({op, *work});
    });
    IRRewriter rewriter(&getContext());
    for (auto [op, work] : ops) {
      auto iterators = op.getIteratorTypesArray();
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::LinalgLoops> loops = linalg::linalgOpToLoops(rewriter, op);
      if (failed(loops) || loops->empty())
        continue;
      rewriter.eraseOp(op);
      auto attr = rewriter.getI64IntegerAttr(work);
      (*loops)[0]->setAttr(kParallelLoopAttr, attr);
      if (loops->size() > 1 && iterators.size() > 1 &&
          iterators[1] == utils::IteratorType::parallel)
        (*loops)[1]->setAttr(kParallelLoopAttr, attr);
    }
  }
};

} // namespace
