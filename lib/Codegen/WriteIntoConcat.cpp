//===- WriteIntoConcat.cpp - kernels writing into their concat ------------===//
//
// Part of quant-opt. Part of --quantsim-cpu-kernels: a tosa.concat whose
// operands are kernels' results, read by nothing else, becomes slices of one
// tensor that those kernels write in place; the other operands are copied
// into it. Only where the data goes changes, so results are identical.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::quantsim;

void mlir::quantsim::writeIntoConcat(tosa::ConcatOp concat) {
  auto type = dyn_cast<RankedTensorType>(concat.getType());
  if (!type || !type.hasStaticShape())
    return;
  int64_t axis = concat.getAxis();
  SmallVector<scf::ForOp> nests;
  SmallVector<int64_t> offsets;
  int64_t offset = 0;
  for (Value operand : concat.getInput1()) {
    auto operandType = dyn_cast<RankedTensorType>(operand.getType());
    if (!operandType || !operandType.hasStaticShape())
      return;
    // Read once, by the concat: a nest of its own can write into its slice.
    OpOperand *init = ownNestDestination(operand);
    auto nest = init ? cast<scf::ForOp>(init->getOwner()) : scf::ForOp();
    nests.push_back(nest && nest->getBlock() == concat->getBlock() ? nest
                                                                   : nullptr);
    offsets.push_back(offset);
    offset += operandType.getDimSize(axis);
  }
  // The tensor is created before the first nest that writes into it.
  Operation *first = nullptr;
  for (scf::ForOp nest : nests)
    if (nest && (!first || nest->isBeforeInBlock(first)))
      first = nest;
  if (!first)
    return;

  MLIRContext *ctx = concat.getContext();
  Location loc = concat.getLoc();
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> ones(rank, getAsIndexOpFoldResult(ctx, 1));
  auto slice = [&](int64_t i) {
    SmallVector<int64_t> at(rank, 0);
    at[axis] = offsets[i];
    return std::make_pair(
        getAsIndexOpFoldResult(ctx, at),
        getAsIndexOpFoldResult(
            ctx, cast<RankedTensorType>(concat.getInput1()[i].getType())
                     .getShape()));
  };
  OpBuilder b(first);
  Value whole =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  // Nests in program order: each writes into the slice of the tensor as
  // it stands after the ones before it.
  SmallVector<int64_t> order;
  for (int64_t i = 0, e = nests.size(); i < e; ++i)
    if (nests[i])
      order.push_back(i);
  llvm::sort(order, [&](int64_t a, int64_t c) {
    return nests[a]->isBeforeInBlock(nests[c]);
  });
  for (int64_t i : order) {
    scf::ForOp nest = nests[i];
    auto [at, sizes] = slice(i);
    b.setInsertionPoint(nest);
    Operation *empty = nest.getInitArgs()[0].getDefiningOp();
    nest.getInitArgsMutable()[0].assign(
        tensor::ExtractSliceOp::create(b, loc, whole, at, sizes, ones));
    empty->erase();
    b.setInsertionPointAfter(nest);
    whole = tensor::InsertSliceOp::create(b, loc, nest.getResult(0), whole, at,
                                          sizes, ones);
  }
  b.setInsertionPoint(concat);
  for (int64_t i = 0, e = nests.size(); i < e; ++i) {
    if (nests[i])
      continue;
    auto [at, sizes] = slice(i);
    whole = tensor::InsertSliceOp::create(b, loc, concat.getInput1()[i], whole,
                                          at, sizes, ones);
  }
  concat.replaceAllUsesWith(whole);
  concat->erase();
}
