//===- ScaleKeeping.h - ops that keep quantization parameters ---*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Transforms: the ops through which a
// value keeps its quantization grid (they only select, reorder or pad with
// a constant), shared by observer insertion and range propagation.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_TRANSFORMS_SCALEKEEPING_H
#define QUANTOPT_LIB_TRANSFORMS_SCALEKEEPING_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

namespace mlir {
namespace quantsim {

/// Data movement, max-pool and constant padding: the result holds input
/// values (and the pad value) only, so it can share the input's parameters.
inline bool isScaleKeeping(Operation *op) {
  return isa<tosa::ReshapeOp, tosa::TransposeOp, tosa::MaxPool2dOp,
             tosa::PadOp, tosa::SliceOp, tosa::ReverseOp, tosa::TileOp,
             tosa::IdentityOp>(op);
}

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_TRANSFORMS_SCALEKEEPING_H
