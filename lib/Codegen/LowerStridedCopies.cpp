//===- LowerStridedCopies.cpp - strided memref.copy to linalg.copy --------===//
//
// Part of quant-opt. Implements --quantsim-lower-strided-copies.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMLOWERSTRIDEDCOPIESPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

/// How many innermost dimensions of `type` are laid out contiguously (each
/// dimension's stride is the product of the sizes inside it; size-1
/// dimensions may have any stride), or 0 when the layout is not static.
int64_t contiguousInnerDims(MemRefType type) {
  if (!type.hasStaticShape())
    return 0;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return 0;
  int64_t dims = 0, running = 1;
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    int64_t size = type.getDimSize(d);
    if (size != 1 && strides[d] != running)
      break;
    running *= size;
    ++dims;
  }
  return dims;
}

/// Whether finalize-memref-to-llvm lowers a copy of `type` to memcpy: ranked
/// with the identity layout, or static and contiguous.
bool lowersToMemcpy(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getLayout().isIdentity() ||
                    contiguousInnerDims(memref) == memref.getRank());
}

/// Rewrites `copy` as loops over its outer dimensions around copies of
/// contiguous rows of its `rowDims` innermost ones, which
/// finalize-memref-to-llvm lowers to memcpy.
void copyByRows(IRRewriter &rewriter, memref::CopyOp copy, int64_t rowDims) {
  Location loc = copy.getLoc();
  auto type = cast<MemRefType>(copy.getSource().getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, unit(rank, rewriter.getIndexAttr(1));
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(
        rewriter.getIndexAttr(d < rank - rowDims ? 1 : type.getDimSize(d)));
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(copy);
  for (int64_t d = 0; d < rank - rowDims; ++d) {
    if (type.getDimSize(d) == 1)
      continue;
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, type.getDimSize(d));
    Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ForOp::create(rewriter, loc, lb, ub, step);
    offsets[d] = loop.getInductionVar();
    rewriter.setInsertionPointToStart(loop.getBody());
  }
  Value src = memref::SubViewOp::create(rewriter, loc, copy.getSource(),
                                        offsets, sizes, unit);
  Value dst = memref::SubViewOp::create(rewriter, loc, copy.getTarget(),
                                        offsets, sizes, unit);
  memref::CopyOp::create(rewriter, loc, src, dst);
  rewriter.eraseOp(copy);
}

struct QuantSimLowerStridedCopiesPass
    : quantsim::impl::QuantSimLowerStridedCopiesPassBase<
          QuantSimLowerStridedCopiesPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!lowersToMemcpy(copy.getSource().getType()) ||
          !lowersToMemcpy(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      auto source = dyn_cast<MemRefType>(copy.getSource().getType());
      auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!source || !target)
        continue; // unranked: nothing linalg can express
      int64_t rowDims =
          std::min(contiguousInnerDims(source), contiguousInnerDims(target));
      if (rowDims > 0) {
        copyByRows(rewriter, copy, rowDims);
        continue;
      }
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }
  }
};

} // namespace
