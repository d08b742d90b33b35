//===- ONNX.h - ONNX to TOSA + quantsim -------------------------*- C++ -*-===//
//
// Part of quant-opt. Imports an ONNX model (opset 13+, float or QDQ) into a
// module with one function over TOSA and quantsim: QuantizeLinear +
// DequantizeLinear pairs become quantsim.fake_quant, 4-D activations are NHWC
// inside (TOSA's layout) and NCHW at the function's boundary, and every op
// carries its ONNX node name as its location.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_IMPORT_ONNX_H
#define QUANTOPT_IMPORT_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace mlir {
namespace quantsim {

struct ONNXImportOptions {
  /// The value of a symbolic (dynamic) batch dimension.
  int64_t batchSize = 1;
  /// Name of the imported function.
  std::string functionName = "main";
};

/// Imports a serialized ONNX model held in memory; `name` stands for the
/// file in locations and messages.
llvm::Expected<OwningOpRef<ModuleOp>>
importONNXBuffer(llvm::StringRef bytes, llvm::StringRef name,
                 MLIRContext &context, const ONNXImportOptions &options);

/// Imports `path`. Unsupported ops, attributes or element types, malformed
/// files and inconsistent shapes are errors naming the node.
llvm::Expected<OwningOpRef<ModuleOp>>
importONNXFile(llvm::StringRef path, MLIRContext &context,
               const ONNXImportOptions &options);

/// The op types (default ONNX domain) the importer has a handler for, each
/// with the opset version its handler starts at, sorted by name.
std::vector<std::pair<std::string, int>> supportedONNXOps();

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_IMPORT_ONNX_H
