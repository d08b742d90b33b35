//===- Passes.h - quant-opt transforms on float graphs ----------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TRANSFORMS_PASSES_H
#define QUANTOPT_TRANSFORMS_PASSES_H

#include "quant-opt/Support/Calibration.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace tosa {
class TosaDialect;
} // namespace tosa
namespace quant {
class QuantDialect;
} // namespace quant

namespace quantsim {
class QuantSimDialect;

#define GEN_PASS_DECL
#include "quant-opt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quant-opt/Transforms/Passes.h.inc"

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_TRANSFORMS_PASSES_H
