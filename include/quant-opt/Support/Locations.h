//===- Locations.h - names carried by locations ------------------*- C++ -*-===//
//
// Part of quant-opt. The ONNX importer names ops by their node names
// (NameLoc); passes and tools that take op names from users read them here.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_LOCATIONS_H
#define QUANTOPT_SUPPORT_LOCATIONS_H

#include "mlir/IR/Location.h"

#include <string>

namespace mlir {
namespace quantsim {

/// The name a location gives an op: the first NameLoc in it (the ONNX node
/// name after import), or empty.
std::string locationName(Location loc);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_LOCATIONS_H
