//===- FreeAfterLastUse.cpp - free temporaries once they are dead ---------===//
//
// Part of quant-opt. Implements --quantsim-free-after-last-use: moves a
// memref.dealloc of a buffer allocated in the same block to just after the
// last op of that block that uses the buffer or a value derived from it.
// Ownership-based buffer deallocation frees at the end of the block, so a
// model's every intermediate stayed allocated until it returned and each
// layer wrote into memory no other layer had touched in the call. See
// docs/ExecutionPlan.md.
//
//===----------------------------------------------------------------------===//

#include "BufferLiveness.h"

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMFREEAFTERLASTUSEPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

Operation *quantsim::lastUseInBlock(Block *block, Value buffer,
                                     Operation *ignore) {
  SmallVector<Value> work{buffer};
  DenseSet<Value> seen{buffer};
  Operation *last = buffer.getDefiningOp();
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = block->findAncestorOpInBlock(*use.getOwner());
      if (!user)
        return nullptr;
      if (user == ignore)
        continue;
      if (last->isBeforeInBlock(user))
        last = user;
      // Values an op nested in `user` derives are used (and may escape)
      // only through `user`: its results stand for them.
      for (Value result : user->getResults())
        if (seen.insert(result).second)
          work.push_back(result);
    }
  }
  return last;
}

namespace {

struct QuantSimFreeAfterLastUsePass
    : quantsim::impl::QuantSimFreeAfterLastUsePassBase<
          QuantSimFreeAfterLastUsePass> {
  void runOnOperation() override {
    SmallVector<memref::DeallocOp> deallocs;
    getOperation().walk([&](memref::DeallocOp op) { deallocs.push_back(op); });
    for (memref::DeallocOp dealloc : deallocs) {
      auto alloc = dealloc.getMemref().getDefiningOp<memref::AllocOp>();
      Block *block = dealloc->getBlock();
      if (!alloc || alloc->getBlock() != block)
        continue;
      Operation *last = quantsim::lastUseInBlock(block, alloc, dealloc);
      if (last && last->isBeforeInBlock(dealloc))
        dealloc->moveAfter(last);
    }
  }
};

} // namespace
