//===- Passes.h - quant-opt code generation passes --------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CODEGEN_PASSES_H
#define QUANTOPT_CODEGEN_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace arith {
class ArithDialect;
} // namespace arith
namespace math {
class MathDialect;
} // namespace math
namespace scf {
class SCFDialect;
} // namespace scf
namespace tensor {
class TensorDialect;
} // namespace tensor
namespace vector {
class VectorDialect;
} // namespace vector
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
namespace quantsim {
class QuantSimDialect;
} // namespace quantsim

namespace quantsim {

#define GEN_PASS_DECL
#include "quant-opt/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quant-opt/Codegen/Passes.h.inc"

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_CODEGEN_PASSES_H
