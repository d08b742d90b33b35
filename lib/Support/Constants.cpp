//===- Constants.cpp - compile-time rearrangement of constants ------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Constants.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

DenseElementsAttr mlir::quantsim::permuteConstant(DenseElementsAttr value,
                                                  ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto resultType = type.clone(shape);
  if (value.isSplat())
    return value.resizeSplat(resultType);
  int64_t rank = type.getRank();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * type.getDimSize(d + 1);
  auto elements = llvm::to_vector(value.getValues<Attribute>());
  SmallVector<Attribute> out(elements.size());
  SmallVector<int64_t> index(rank, 0);
  for (size_t linear = 0; linear < out.size(); ++linear) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += index[d] * strides[perm[d]];
    out[linear] = elements[src];
    for (int64_t d = rank - 1; d >= 0; --d) { // next destination index
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, out);
}
