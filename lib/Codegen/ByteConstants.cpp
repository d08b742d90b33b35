//===- ByteConstants.cpp - constant globals as flat byte arrays -----------===//
//
// Part of quant-opt. Implements --quantsim-byte-constants.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMBYTECONSTANTSPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

/// The same bytes as `value`, as a tensor<N x i8> attribute, or null when
/// its elements are not whole bytes or it is a splat (whose raw data is one
/// element).
Attribute asBytes(Attribute value) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return {};
  Type element = elements.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return {};
  int64_t bytes =
      elements.getNumElements() * (element.getIntOrFloatBitWidth() / 8);
  auto type = RankedTensorType::get({bytes}, IntegerType::get(
                                                 value.getContext(), 8));
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || static_cast<int64_t>(blob->getData().size()) != bytes)
      return {};
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return {};
    return DenseElementsAttr::getFromRawBuffer(type, dense.getRawData());
  }
  return {};
}

struct QuantSimByteConstantsPass
    : quantsim::impl::QuantSimByteConstantsPassBase<
          QuantSimByteConstantsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    for (auto global : getOperation().getOps<LLVM::GlobalOp>()) {
      if (!global.getConstant() || !global.getValueOrNull() ||
          !isa<LLVM::LLVMArrayType>(global.getType()))
        continue;
      Attribute bytes = asBytes(global.getValueOrNull());
      if (!bytes)
        continue;
      auto elementType = cast<ElementsAttr>(global.getValueOrNull())
                             .getElementType();
      int64_t count = cast<ShapedType>(
                          cast<TypedAttr>(bytes).getType()).getNumElements();
      // The elements' own alignment, which an i8 array would not have.
      uint64_t align = std::max<uint64_t>(
          global.getAlignment().value_or(0),
          elementType.getIntOrFloatBitWidth() / 8);
      global.setGlobalType(
          LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), count));
      global.setValueAttr(bytes);
      global.setAlignment(align);
    }
  }
};

} // namespace
