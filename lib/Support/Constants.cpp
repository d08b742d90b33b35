//===- Constants.cpp - compile-time rearrangement of constants ------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Constants.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cstring>

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
  // Destination element `linear` comes from source element `src`, visited
  // in destination order.
  auto forEachSource = [&](auto &&copy) {
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
  };
  // Whole-byte elements are moved as bytes of the raw buffer: building an
  // Attribute per element took most of the import time of a large model.
  Type element = type.getElementType();
  if (element.isIntOrFloat() && element.getIntOrFloatBitWidth() % 8 == 0) {
    size_t bytes = element.getIntOrFloatBitWidth() / 8;
    ArrayRef<char> raw = value.getRawData();
    SmallVector<char> out(raw.size());
    forEachSource([&](int64_t linear, int64_t src) {
      std::memcpy(out.data() + linear * bytes, raw.data() + src * bytes,
                  bytes);
    });
    return DenseElementsAttr::getFromRawBuffer(resultType, out);
  }
  auto elements = llvm::to_vector(value.getValues<Attribute>());
  SmallVector<Attribute> out(elements.size());
  forEachSource(
      [&](int64_t linear, int64_t src) { out[linear] = elements[src]; });
  return DenseElementsAttr::get(resultType, out);
}
