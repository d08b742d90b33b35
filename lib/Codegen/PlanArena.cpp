//===- PlanArena.cpp - temporaries at offsets fixed at compile time -------===//
//
// Part of quant-opt. Implements --quantsim-plan-arena: the temporaries of a
// function's body that are allocated and freed in it, with static shapes,
// become views at fixed offsets of one block allocated on entry. Two
// temporaries share bytes only when one is freed before the other is
// allocated. See docs/ExecutionPlan.md#memory.
//
//===----------------------------------------------------------------------===//

#include "BufferLiveness.h"

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/MathExtras.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMPLANARENAPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

/// A temporary: live from its allocation to its deallocation, as positions
/// of the function body's ops, both included (for one allocated and freed
/// in a loop's body, the position of the loop: every iteration's buffer
/// dies before the next one's is allocated, so they share the bytes).
struct Temporary {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t first, last;
  Operation *lastOp; // the body's op at `last`
  uint64_t bytes, alignment;
  uint64_t offset = 0;

  bool overlapsInTime(const Temporary &other) const {
    return first <= other.last && other.first <= last;
  }
};

/// Bytes an element of `type` takes in memory, or 0 for types the arena
/// leaves alone (index, whose width is the target's; vectors; complex).
uint64_t elementBytes(Type type) {
  if (!type.isIntOrFloat() || type.isIndex())
    return 0;
  return llvm::PowerOf2Ceil(
      llvm::divideCeil(type.getIntOrFloatBitWidth(), 8));
}

/// The temporary `alloc` makes, if the arena can hold it: a static shape
/// with the identity layout in the default memory space, one deallocation
/// in `block`, every use of it (and of what derives from it) in `block`
/// before that deallocation.
std::optional<Temporary> asTemporary(Block *block, memref::AllocOp alloc,
                                     uint64_t minAlignment) {
  MemRefType type = alloc.getType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace() || !alloc.getSymbolOperands().empty())
    return std::nullopt;
  uint64_t bytes = elementBytes(type.getElementType());
  if (bytes == 0 || type.getNumElements() == 0)
    return std::nullopt;
  memref::DeallocOp dealloc;
  for (Operation *user : alloc->getUsers()) {
    auto op = dyn_cast<memref::DeallocOp>(user);
    if (!op)
      continue;
    if (dealloc || op->getBlock() != block)
      return std::nullopt;
    dealloc = op;
  }
  if (!dealloc)
    return std::nullopt;
  Operation *lastUse = quantsim::lastUseInBlock(block, alloc, dealloc);
  if (!lastUse || !lastUse->isBeforeInBlock(dealloc))
    return std::nullopt;
  uint64_t alignment =
      std::max<uint64_t>(minAlignment, alloc.getAlignment().value_or(1));
  if (!llvm::isPowerOf2_64(alignment))
    return std::nullopt;
  return Temporary{alloc, dealloc, 0, 0, nullptr,
                   bytes * static_cast<uint64_t>(type.getNumElements()),
                   alignment};
}

/// Whether `alloc`, in the function body `body` or in regions of its ops,
/// runs once per execution of its block, one at a time: every op between
/// is an scf.for or scf.if, none of them marked to run its iterations on
/// threads when `parallel` is set.
bool allocatedSequentially(memref::AllocOp alloc, Block *body,
                           bool parallel) {
  for (Block *block = alloc->getBlock(); block != body;) {
    Operation *parent = block->getParentOp();
    if (!parent || !isa<scf::ForOp, scf::IfOp>(parent))
      return false;
    if (parallel &&
        parent->hasAttr(
            quantsim::QuantSimDialect::ParallelAttrHelper::getNameStr()))
      return false;
    block = parent->getBlock();
    if (!block)
      return false;
  }
  return true;
}

/// Offsets for `temps`, largest first, each at the lowest aligned offset
/// where it overlaps no temporary placed before it that is live at the
/// same time. Returns the arena's size.
uint64_t placeBySize(MutableArrayRef<Temporary> temps) {
  SmallVector<Temporary *> order;
  for (Temporary &temp : temps)
    order.push_back(&temp);
  llvm::sort(order, [](const Temporary *a, const Temporary *b) {
    return std::make_pair(b->bytes, a->first) <
           std::make_pair(a->bytes, b->first);
  });
  SmallVector<Temporary *> placed, conflicts;
  uint64_t size = 0;
  for (Temporary *temp : order) {
    conflicts.clear();
    for (Temporary *other : placed)
      if (temp->overlapsInTime(*other))
        conflicts.push_back(other);
    llvm::sort(conflicts, [](const Temporary *a, const Temporary *b) {
      return a->offset < b->offset;
    });
    uint64_t offset = 0;
    for (Temporary *other : conflicts) {
      if (offset + temp->bytes <= other->offset)
        break;
      offset = std::max(offset, llvm::alignTo(other->offset + other->bytes,
                                              temp->alignment));
    }
    temp->offset = offset;
    size = std::max(size, offset + temp->bytes);
    placed.push_back(temp);
  }
  return size;
}

/// Whether two of `temps` live at the same time share a byte (a planner
/// bug that would give wrong numbers, checked on every function).
bool anyConflict(ArrayRef<Temporary> temps) {
  for (auto [i, a] : llvm::enumerate(temps))
    for (const Temporary &b : temps.drop_front(i + 1))
      if (a.overlapsInTime(b) && a.offset < b.offset + b.bytes &&
          b.offset < a.offset + a.bytes)
        return true;
  return false;
}

struct QuantSimPlanArenaPass
    : quantsim::impl::QuantSimPlanArenaPassBase<QuantSimPlanArenaPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    uint64_t minAlignment = this->alignment;
    if (!llvm::isPowerOf2_64(minAlignment)) {
      func.emitError() << "--quantsim-plan-arena: alignment " << minAlignment
                       << " is not a power of two";
      return signalPassFailure();
    }
    Block &block = func.getBody().front();
    DenseMap<Operation *, int64_t> position;
    for (auto [index, op] : llvm::enumerate(block))
      position[&op] = index;

    SmallVector<Temporary> temps;
    func.walk([&](memref::AllocOp alloc) {
      if (!allocatedSequentially(alloc, &block, this->parallel))
        return;
      std::optional<Temporary> temp =
          asTemporary(alloc->getBlock(), alloc, minAlignment);
      if (!temp)
        return;
      if (alloc->getBlock() == &block) {
        temp->first = position[alloc];
        temp->last = position[temp->dealloc];
        temp->lastOp = temp->dealloc;
      } else {
        temp->lastOp = block.findAncestorOpInBlock(*alloc);
        temp->first = temp->last = position[temp->lastOp];
      }
      temps.push_back(*temp);
    });
    // One temporary gains nothing from an arena, unless the caller is to
    // pass the memory.
    bool workspace = this->workspaceArgument && func.isPublic();
    if (temps.size() < (workspace ? 1 : 2))
      return;

    uint64_t size = placeBySize(temps);
    if (anyConflict(temps)) {
      func.emitError("--quantsim-plan-arena: internal error: two live "
                     "temporaries were given overlapping bytes");
      return signalPassFailure();
    }
    uint64_t alignment = 1;
    Operation *lastOp = temps.front().lastOp;
    for (const Temporary &temp : temps) {
      alignment = std::max(alignment, temp.alignment);
      if (lastOp->isBeforeInBlock(temp.lastOp))
        lastOp = temp.lastOp;
    }

    OpBuilder builder(&block, block.begin());
    Location loc = func.getLoc();
    auto arenaType = MemRefType::get({static_cast<int64_t>(size)},
                                     builder.getIntegerType(8));
    Value arena;
    if (workspace) {
      unsigned index = func.getNumArguments();
      if (failed(func.insertArgument(index, arenaType, {}, loc)))
        return signalPassFailure();
      arena = func.getArgument(index);
      using Dialect = quantsim::QuantSimDialect;
      func->setAttr(Dialect::WorkspaceBytesAttrHelper::getNameStr(),
                    builder.getI64IntegerAttr(static_cast<int64_t>(size)));
      func->setAttr(Dialect::WorkspaceAlignmentAttrHelper::getNameStr(),
                    builder.getI64IntegerAttr(
                        static_cast<int64_t>(alignment)));
    } else {
      arena = memref::AllocOp::create(builder, loc, arenaType,
                                      builder.getI64IntegerAttr(alignment));
    }
    for (Temporary &temp : temps) {
      builder.setInsertionPoint(temp.alloc);
      Value offset = arith::ConstantIndexOp::create(
          builder, temp.alloc.getLoc(), static_cast<int64_t>(temp.offset));
      Value view =
          memref::ViewOp::create(builder, temp.alloc.getLoc(),
                                 temp.alloc.getType(), arena, offset,
                                 ValueRange{});
      temp.alloc.replaceAllUsesWith(view);
    }
    if (!workspace) {
      builder.setInsertionPointAfter(lastOp);
      memref::DeallocOp::create(builder, loc, arena);
    }
    for (Temporary &temp : temps) {
      temp.dealloc.erase();
      temp.alloc.erase();
    }
  }
};

} // namespace
