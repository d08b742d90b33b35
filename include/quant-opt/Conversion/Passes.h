//===- Passes.h - quant-opt conversion passes -------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CONVERSION_PASSES_H
#define QUANTOPT_CONVERSION_PASSES_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/CommandLine.h"

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

/// The values of a `rounding-mode` option: `single` (TOSA's SINGLE_ROUND)
/// and `double` (DOUBLE_ROUND, TFLite-style results).
llvm::cl::ValuesClass roundingModeValues();

#define GEN_PASS_DECL
#include "quant-opt/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quant-opt/Conversion/Passes.h.inc"

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_CONVERSION_PASSES_H
