//===- Passes.h - quant-opt conversion passes -------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CONVERSION_PASSES_H
#define QUANTOPT_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace math {
class MathDialect;
} // namespace math
namespace tensor {
class TensorDialect;
} // namespace tensor
namespace tosa {
class TosaDialect;
} // namespace tosa
namespace func {
class FuncOp;
} // namespace func

namespace quantsim {

#define GEN_PASS_DECL
#include "quant-opt/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quant-opt/Conversion/Passes.h.inc"

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_CONVERSION_PASSES_H
