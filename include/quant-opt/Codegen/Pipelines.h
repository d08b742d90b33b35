//===- Pipelines.h - quant-opt pass pipelines -------------------*- C++ -*-===//
//
// Part of quant-opt. Each pipeline is a function that fills an OpPassManager,
// so another compiler can link the library and run the same passes that
// quant-opt exposes as flags.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CODEGEN_PIPELINES_H
#define QUANTOPT_CODEGEN_PIPELINES_H

namespace mlir {
class OpPassManager;

namespace quantsim {

/// The straightforward reference lowering to the LLVM dialect: TOSA (upstream
/// tosa-to-linalg/-arith/-tensor/-scf) and quantsim (lower-fake-quant) to
/// linalg on tensors, one-shot bufferization, linalg to plain scalar loops,
/// then everything to LLVM. No tiling, no vectorization: it is the yardstick
/// that optimized code must match bit for bit.
/// Registered as `--quantsim-reference-to-llvm`.
void buildReferenceToLLVMPipeline(OpPassManager &pm);

/// Registers the pipelines above with the global pass registry.
void registerCodegenPipelines();

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_CODEGEN_PIPELINES_H
