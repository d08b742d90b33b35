//===- Pipelines.h - quant-opt pass pipelines -------------------*- C++ -*-===//
//
// Part of quant-opt. Each pipeline is a function that fills an OpPassManager,
// so another compiler can link the library and run the same passes that
// quant-opt exposes as flags.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_PIPELINES_H
#define QUANTOPT_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class OpPassManager;

namespace quantsim {

/// Options of the QAT-to-integer pipeline (forwarded to
/// --quantsim-lower-qat).
struct QATToIntOptions : public PassPipelineOptions<QATToIntOptions> {
  PassOptions::Option<std::string> roundingMode{
      *this, "rounding-mode",
      llvm::cl::desc("tosa.rescale rounding: 'single' or 'double'"),
      llvm::cl::init("single")};
  PassOptions::Option<bool> allowFloatFallback{
      *this, "allow-float-fallback",
      llvm::cl::desc("keep quantized ops without an integer lowering in "
                     "float, with a warning"),
      llvm::cl::init(false)};
};

/// Fake-quant TOSA graph to integer TOSA in one go: fold BatchNorm and
/// affine chains into conv/matmul (--quantsim-fold-affine-chains), lower
/// the QAT graph (--quantsim-lower-qat), and canonicalize.
/// Registered as `--quantsim-qat-to-int`.
void buildQATToIntPipeline(OpPassManager &pm, const QATToIntOptions &options);

/// Options of the reference lowering.
struct ReferenceToLLVMOptions
    : public PassPipelineOptions<ReferenceToLLVMOptions> {
  PassOptions::Option<bool> resultsAsOutParams{
      *this, "results-as-out-params",
      llvm::cl::desc("turn function results into caller-allocated out "
                     "parameters (what quant-run and C callers use)"),
      llvm::cl::init(false)};
};

/// The straightforward reference lowering to the LLVM dialect: TOSA (upstream
/// tosa-to-linalg/-arith/-tensor/-scf) and quantsim (lower-fake-quant) to
/// linalg on tensors, one-shot bufferization, linalg to plain scalar loops,
/// then everything to LLVM. No tiling, no vectorization: it is the yardstick
/// that optimized code must match bit for bit.
/// Registered as `--quantsim-reference-to-llvm`.
void buildReferenceToLLVMPipeline(OpPassManager &pm,
                                  const ReferenceToLLVMOptions &options);
void buildReferenceToLLVMPipeline(OpPassManager &pm);

/// Options of the CPU code generator.
struct CPUCodegenOptions : public PassPipelineOptions<CPUCodegenOptions> {
  PassOptions::Option<bool> resultsAsOutParams{
      *this, "results-as-out-params",
      llvm::cl::desc("turn function results into caller-allocated out "
                     "parameters"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> targetTriple{
      *this, "target-triple",
      llvm::cl::desc("target triple (default: the host)"), llvm::cl::init("")};
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("target CPU (default: the host CPU on the host triple)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("extra LLVM target features, e.g. '-avx512vnni'"),
      llvm::cl::init("")};
};

/// CPU code generation: the reference front end, constant conv filters
/// repacked to HWCF (--quantsim-pack-conv-weights), named linalg ops
/// generalized and interchanged so that innermost loops are contiguous
/// (--quantsim-interchange-for-vectorization; LLVM's loop vectorizer then
/// uses the host's vector ISA), bufferization, loops, LLVM. Bit-identical to
/// the reference. Registered as `--quantsim-cpu-codegen`.
void buildCPUCodegenPipeline(OpPassManager &pm,
                             const CPUCodegenOptions &options);

/// Which lowering to native code.
enum class CodegenPipeline { CPU, Reference };

/// The target of the CPU pipeline and of LLVM code generation: empty fields
/// mean the host (see quant-opt/Codegen/Target.h).
struct CodegenTarget {
  std::string triple, cpu, features;
};

/// Registers the pipelines above with the global pass registry.
void registerPipelines();

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_PIPELINES_H
