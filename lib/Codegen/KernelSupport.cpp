//===- KernelSupport.cpp - helpers the kernel lowerings share -------------===//
//
// Part of quant-opt. Constants, padding and matmul-as-image views used by
// the int8, f32, depthwise and pool lowerings of --quantsim-cpu-kernels.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::quantsim;

std::optional<SmallVector<float>> mlir::quantsim::constantFloats(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      !attr.getElementType().isF32())
    return std::nullopt;
  return SmallVector<float>(attr.getValues<float>());
}

bool mlir::quantsim::isZeroF32(Value value) {
  std::optional<SmallVector<float>> values = constantFloats(value);
  return values && llvm::all_of(*values, [](float v) { return v == 0.0f; });
}

Value mlir::quantsim::padSpatially(OpBuilder &b, Location loc, Value x,
                                   ArrayRef<int64_t> low,
                                   ArrayRef<int64_t> high, TypedAttr value) {
  auto type = cast<RankedTensorType>(x.getType());
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return x;
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> lowAttrs, highAttrs;
  for (size_t d = 0; d < shape.size(); ++d) {
    shape[d] += low[d] + high[d];
    lowAttrs.push_back(b.getIndexAttr(low[d]));
    highAttrs.push_back(b.getIndexAttr(high[d]));
  }
  Value padValue = arith::ConstantOp::create(b, loc, value);
  return tensor::PadOp::create(b, loc, type.clone(shape), x, lowAttrs,
                               highAttrs, padValue);
}

Value mlir::quantsim::matmulAsImage(OpBuilder &b, Location loc, Value a) {
  auto type = cast<RankedTensorType>(a.getType());
  auto image = RankedTensorType::get(
      {1, 1, type.getDimSize(1), type.getDimSize(2)}, type.getElementType());
  return tensor::ExpandShapeOp::create(
      b, loc, image, a, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
}

Value mlir::quantsim::imageAsMatmul(OpBuilder &b, Location loc, Value image,
                                    RankedTensorType type) {
  return tensor::CollapseShapeOp::create(
      b, loc, type, image, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
}

std::optional<SmallVector<float>>
mlir::quantsim::perChannelFloats(Value value, int64_t count) {
  std::optional<SmallVector<float>> values = constantFloats(value);
  if (!values || (values->size() != 1 && int64_t(values->size()) != count))
    return std::nullopt;
  if (values->size() == 1)
    values->assign(count, (*values)[0]);
  return values;
}

OpOperand *mlir::quantsim::ownNestDestination(Value value) {
  auto nest = value.getDefiningOp<scf::ForOp>();
  if (!nest || nest.getNumResults() != 1 || !value.hasOneUse())
    return nullptr;
  OpOperand *init = &nest.getInitArgsMutable()[0];
  auto empty = init->get().getDefiningOp<tensor::EmptyOp>();
  return empty && empty->hasOneUse() ? init : nullptr;
}

void mlir::quantsim::writeIntoSlice(OpOperand *destination, Value whole,
                                    ArrayRef<OpFoldResult> offsets,
                                    ArrayRef<OpFoldResult> sizes) {
  OpBuilder b(destination->getOwner());
  SmallVector<OpFoldResult> ones(offsets.size(), b.getIndexAttr(1));
  Operation *empty = destination->get().getDefiningOp();
  destination->assign(tensor::ExtractSliceOp::create(
      b, destination->getOwner()->getLoc(), whole, offsets, sizes, ones));
  empty->erase();
}

void ConvChainBase::readWindow(tosa::Conv2DOp conv,
                               ArrayRef<int64_t> filterShape) {
  producer = conv;
  input = conv.getInput();
  outC = filterShape[0];
  kernelH = filterShape[1];
  kernelW = filterShape[2];
  inC = filterShape[3];
  ArrayRef<int64_t> pad = conv.getPad(), stride = conv.getStride(),
                    dilation = conv.getDilation();
  padTop = pad[0];
  padBottom = pad[1];
  padLeft = pad[2];
  padRight = pad[3];
  strideH = stride[0];
  strideW = stride[1];
  dilationH = dilation[0];
  dilationW = dilation[1];
}

Value mlir::quantsim::markParallel(Value result, int64_t work) {
  auto batch = result.getDefiningOp<scf::ForOp>();
  if (!batch)
    return result;
  auto unit = IntegerAttr::get(IntegerType::get(result.getContext(), 64), work);
  batch->setAttr(kParallelLoopAttr, unit);
  // The row loop, when the batch loop's body is it and the yield of its
  // result.
  scf::ForOp rows = wholeBodyLoop(batch);
  auto yield = cast<scf::YieldOp>(batch.getBody()->getTerminator());
  if (rows && yield->getOperands() == rows->getResults())
    rows->setAttr(kParallelLoopAttr, unit);
  return result;
}

scf::ForOp mlir::quantsim::wholeBodyLoop(scf::ForOp outer) {
  scf::ForOp inner;
  for (Operation &op : outer.getBody()->without_terminator()) {
    if (op.hasTrait<OpTrait::ConstantLike>())
      continue;
    if (inner || !isa<scf::ForOp>(op))
      return {};
    inner = cast<scf::ForOp>(op);
  }
  return inner;
}
