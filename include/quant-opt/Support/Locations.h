//===- Locations.h - names carried by locations ------------------*- C++ -*-===//
//
// Part of quant-opt. The ONNX importer names ops by their node names
// (NameLoc); passes and tools that take op names from users read them here.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_LOCATIONS_H
#define QUANTOPT_SUPPORT_LOCATIONS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

#include <string>

namespace mlir {
namespace quantsim {

/// The name a location gives an op: the first NameLoc in it (the ONNX node
/// name after import), or empty.
std::string locationName(Location loc);

/// Where `loc` is, for a diagnostic's prefix: `model.onnx: node 'conv1'` for
/// an imported ONNX node (a NameLoc over the model file at line 0),
/// `file:line:col` for a source location, `node 'name'` for a bare name,
/// and "" when unknown.
std::string describeLocation(Location loc);

/// Registers, for the lifetime of `context`, a handler that prints the
/// diagnostics located at an imported ONNX node as
/// `model.onnx: node 'conv1': error: ...` (notes included) on `os`, instead
/// of MLIR's `model.onnx:0:0: error: ...`. Every other diagnostic goes to
/// the handlers registered before it.
void registerImportedNodeDiagnosticHandler(MLIRContext *context,
                                           llvm::raw_ostream &os);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_LOCATIONS_H
