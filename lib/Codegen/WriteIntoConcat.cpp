//===- WriteIntoConcat.cpp - kernels writing into their concat ------------===//
//
// Part of quant-opt. Part of --quantsim-cpu-kernels: a tosa.concat whose
// operands are kernels' results, read by nothing else, becomes slices of one
// tensor that those kernels write in place; the other operands are copied
// into it. Concats that each add operands to the one before (DenseNet's
// blocks) become leading slices of one growing tensor. Only where the data
// goes changes, so results are identical.
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
    writeIntoSlice(&nest.getInitArgsMutable()[0], whole, at, sizes);
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

namespace {

/// The leading `size` elements of `whole` along `axis`.
Value leadingSlice(OpBuilder &b, Location loc, Value whole, int64_t axis,
                   int64_t size) {
  auto type = cast<RankedTensorType>(whole.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> sizes(type.getShape());
  sizes[axis] = size;
  SmallVector<OpFoldResult> zeros(type.getRank(), getAsIndexOpFoldResult(ctx, 0));
  SmallVector<OpFoldResult> ones(type.getRank(), getAsIndexOpFoldResult(ctx, 1));
  return tensor::ExtractSliceOp::create(b, loc, whole, zeros,
                                        getAsIndexOpFoldResult(ctx, sizes),
                                        ones);
}

/// Whether `prefix`'s operands are the first ones of `concat`'s, on the same
/// axis, with fewer operands.
bool extends(tosa::ConcatOp concat, tosa::ConcatOp prefix) {
  OperandRange a = prefix.getInput1(), b = concat.getInput1();
  return prefix.getAxis() == concat.getAxis() && a.size() < b.size() &&
         std::equal(a.begin(), a.end(), b.begin());
}

/// Rewrites `chain` (concats in program order, each extending the one
/// before) as one tensor that each operand is inserted into once, in
/// order, and each concat as the leading slice of it that holds its
/// operands. An operand that is a kernel nest's result read by nothing else
/// is computed in its slot.
void growChain(ArrayRef<tosa::ConcatOp> chain) {
  tosa::ConcatOp last = chain.back();
  auto type = cast<RankedTensorType>(last.getType());
  int64_t axis = last.getAxis();
  Block *block = last->getBlock();
  Location loc = last.getLoc();
  MLIRContext *ctx = last.getContext();
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> ones(rank, getAsIndexOpFoldResult(ctx, 1));

  OpBuilder b(ctx);
  b.setInsertionPointToStart(block);
  Value whole =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  // Operand i's insert; its result is the tensor as it then stands.
  SmallVector<tensor::InsertSliceOp> inserts;
  Operation *position = whole.getDefiningOp();
  int64_t offset = 0;
  for (Value operand : last.getInput1()) {
    auto operandType = cast<RankedTensorType>(operand.getType());
    SmallVector<int64_t> at(rank, 0);
    at[axis] = offset;
    offset += operandType.getDimSize(axis);
    Operation *def = operand.getDefiningOp();
    if (def && def->getBlock() == block && position->isBeforeInBlock(def))
      position = def;
    b.setInsertionPointAfter(position);
    auto insert = tensor::InsertSliceOp::create(
        b, loc, operand, whole, getAsIndexOpFoldResult(ctx, at),
        getAsIndexOpFoldResult(ctx, operandType.getShape()), ones);
    inserts.push_back(insert);
    whole = insert.getResult();
    position = insert;
  }
  for (tosa::ConcatOp concat : chain) {
    int64_t count = concat.getInput1().size();
    Value grown = inserts[count - 1].getResult();
    if (concat != last) {
      b.setInsertionPoint(concat);
      grown = leadingSlice(b, loc, grown, axis,
                           cast<RankedTensorType>(concat.getType())
                               .getDimSize(axis));
    }
    concat.replaceAllUsesWith(grown);
    concat->erase();
  }
  // An operand that a nest computes for its insert alone is computed in
  // its slot, when the tensor it goes into exists before the nest.
  for (tensor::InsertSliceOp insert : inserts) {
    OpOperand *init = ownNestDestination(insert.getSource());
    Operation *dest = insert.getDest().getDefiningOp();
    if (init && init->getOwner()->getBlock() == block && dest &&
        dest->isBeforeInBlock(init->getOwner()))
      writeIntoSlice(init, insert.getDest(), insert.getMixedOffsets(),
                     insert.getMixedSizes());
  }
}

} // namespace

void mlir::quantsim::growConcatChains(Block &block) {
  SmallVector<tosa::ConcatOp> concats;
  for (Operation &op : block)
    if (auto concat = dyn_cast<tosa::ConcatOp>(op)) {
      auto type = dyn_cast<RankedTensorType>(concat.getType());
      if (type && type.hasStaticShape() &&
          llvm::all_of(concat.getInput1(), [](Value v) {
            auto operandType = dyn_cast<RankedTensorType>(v.getType());
            return operandType && operandType.hasStaticShape();
          }))
        concats.push_back(concat);
    }
  // Each concat's parent: the latest earlier concat it extends. A chain
  // follows parents that have exactly one child.
  DenseMap<Operation *, tosa::ConcatOp> parent;
  DenseMap<Operation *, int> children;
  for (size_t i = 0; i < concats.size(); ++i)
    for (size_t j = i; j-- > 0;)
      if (extends(concats[i], concats[j])) {
        parent[concats[i]] = concats[j];
        ++children[concats[j]];
        break;
      }
  SmallVector<SmallVector<tosa::ConcatOp>> chains;
  DenseSet<Operation *> taken;
  for (tosa::ConcatOp concat : llvm::reverse(concats)) {
    if (taken.contains(concat) || children.lookup(concat) != 0)
      continue;
    SmallVector<tosa::ConcatOp> chain = {concat};
    taken.insert(concat);
    while (true) {
      auto it = parent.find(chain.back());
      if (it == parent.end() || children.lookup(it->second) != 1 ||
          taken.contains(it->second))
        break;
      chain.push_back(it->second);
      taken.insert(it->second);
    }
    if (chain.size() < 2)
      continue;
    std::reverse(chain.begin(), chain.end());
    chains.push_back(std::move(chain));
  }
  for (ArrayRef<tosa::ConcatOp> chain : chains)
    growChain(chain);
}
