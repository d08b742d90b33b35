//===- Constants.cpp - compile-time rearrangement of constants ------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Constants.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

#include <cstring>

using namespace mlir;

/// Calls `copy(linear, src)` for each element of `type` permuted by `perm`:
/// destination element `linear` comes from source element `src`, visited
/// in destination order.
template <typename CopyFn>
static void forEachSource(RankedTensorType type, ArrayRef<int64_t> perm,
                          CopyFn &&copy) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * type.getDimSize(d + 1);
  SmallVector<int64_t> index(rank, 0);
  int64_t count = type.getNumElements();
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += index[d] * strides[perm[d]];
    copy(linear, src);
    for (int64_t d = rank - 1; d >= 0; --d) { // next destination index
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

std::vector<char> mlir::quantsim::permuteBytes(RankedTensorType type,
                                               ArrayRef<char> raw,
                                               ArrayRef<int64_t> perm) {
  size_t bytes = type.getElementType().getIntOrFloatBitWidth() / 8;
  assert(raw.size() == type.getNumElements() * bytes &&
         "permuteBytes: the buffer does not hold the type's elements");
  // Moved as bytes: building an Attribute per element took most of the
  // import time of a large model.
  std::vector<char> out(raw.size());
  forEachSource(type, perm, [&](int64_t linear, int64_t src) {
    std::memcpy(out.data() + linear * bytes, raw.data() + src * bytes, bytes);
  });
  return out;
}

DenseElementsAttr mlir::quantsim::permuteConstant(DenseElementsAttr value,
                                                  ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto resultType = type.clone(shape);
  if (value.isSplat())
    return value.resizeSplat(resultType);
  Type element = type.getElementType();
  if (element.isIntOrFloat() && element.getIntOrFloatBitWidth() % 8 == 0)
    return DenseElementsAttr::getFromRawBuffer(
        resultType, permuteBytes(type, value.getRawData(), perm));
  auto elements = llvm::to_vector(value.getValues<Attribute>());
  SmallVector<Attribute> out(elements.size());
  forEachSource(type, perm, [&](int64_t linear, int64_t src) {
    out[linear] = elements[src];
  });
  return DenseElementsAttr::get(resultType, out);
}
