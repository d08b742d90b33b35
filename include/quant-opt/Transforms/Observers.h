//===- Observers.h - what observer insertion quantizes ----------*- C++ -*-===//
//
// Part of quant-opt. Queries that tools (mixed-precision search, reports)
// share with --quantsim-insert-observers.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TRANSFORMS_OBSERVERS_H
#define QUANTOPT_TRANSFORMS_OBSERVERS_H

#include "mlir/IR/Operation.h"

#include <string>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace quantsim {

/// The ops of `func` that --quantsim-insert-observers quantizes when given
/// the op kinds `ops` (TOSA op names without the dialect prefix; empty means
/// its defaults), in program order. Ops and functions marked
/// `quantsim.keep_float` are not among them.
SmallVector<Operation *> quantizableOps(func::FuncOp func,
                                        ArrayRef<std::string> ops = {});

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_TRANSFORMS_OBSERVERS_H
