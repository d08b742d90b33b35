//===- Pipelines.h - lowering pipelines to native code ----------*- C++ -*-===//
//
// Part of quant-opt. The two lowerings of TOSA + quantsim to the LLVM
// dialect that the QuantOptCodegen library implements, as functions that
// fill an OpPassManager (the way upstream's TosaToLinalg.h declares
// addTosaToLinalgPasses), and the dialects and interface extensions they
// need in the context.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CODEGEN_PIPELINES_H
#define QUANTOPT_CODEGEN_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class DialectRegistry;
class OpPassManager;

namespace quantsim {

/// The target of the CPU pipeline and of LLVM code generation: empty fields
/// mean the host (see quant-opt/Codegen/Target.h).
struct CodegenTarget {
  std::string triple, cpu, features;
};

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
                                  const ReferenceToLLVMOptions &options = {});

/// Options of the CPU code generator. The target options are the same as
/// those of the target-dependent passes it runs (--quantsim-cpu-kernels,
/// --quantsim-lower-dot), which get them from target().
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
      llvm::cl::desc("target CPU name (default: the host CPU for the host "
                     "triple)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("extra LLVM target features, e.g. '-avx512vnni'"),
      llvm::cl::init("")};
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("run the kernels' loops over the batch and the output "
                     "rows on OpenMP threads (the code then calls "
                     "libomp: link it)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> exactMath{
      *this, "exact-math",
      llvm::cl::desc("call libm's expf as the reference lowering does, "
                     "instead of a vectorizable polynomial (a few units in "
                     "the last place apart), and compute f32 3x3 "
                     "convolutions directly, not by Winograd's algorithm: "
                     "float results then equal the reference's bit for "
                     "bit"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> winogradTile{
      *this, "winograd",
      llvm::cl::desc("unless exact-math is set, f32 3x3 stride-1 "
                     "convolutions with enough tiles are computed by "
                     "Winograd's F(m x m, 3 x 3), m = this (2 or 4; 0: "
                     "directly)"),
      llvm::cl::init(4)};
  PassOptions::Option<bool> arena{
      *this, "arena",
      llvm::cl::desc("place the temporaries of each function in one block "
                     "allocated per call, at offsets fixed at compile time "
                     "(--quantsim-plan-arena); otherwise one allocation "
                     "per temporary"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> workspaceArgument{
      *this, "workspace-argument",
      llvm::cl::desc("with arena: public functions take the arena as a "
                     "trailing memref<Nxi8> argument, passed by the caller, "
                     "instead of allocating it (see --quantsim-plan-arena)"),
      llvm::cl::init(false)};

  CodegenTarget target() const {
    return {targetTriple, targetCPU, targetFeatures};
  }
  void setTarget(const CodegenTarget &target) {
    targetTriple = target.triple;
    targetCPU = target.cpu;
    targetFeatures = target.features;
  }
};

/// CPU code generation: int8 conv/matmul chains to register-tiled kernels
/// (--quantsim-cpu-kernels), the reference front end for the rest, constant
/// conv filters repacked to HWCF (--quantsim-pack-conv-weights), named
/// linalg ops generalized and interchanged so that innermost loops are
/// contiguous (--quantsim-interchange-for-vectorization; LLVM's loop
/// vectorizer then uses the target's vector ISA), bufferization, loops,
/// LLVM. Integer results bit-identical to the reference; f32 ones too with
/// exactMath (without it, exp is a polynomial and 3x3 convolutions may use
/// Winograd's algorithm: see CPUCodegenOptions).
/// Registered as `--quantsim-cpu-codegen`.
void buildCPUCodegenPipeline(OpPassManager &pm,
                             const CPUCodegenOptions &options = {});

/// Which lowering to native code: the CPU pipeline, the same with libm's
/// expf and direct convolutions (CPUCodegenOptions::exactMath;
/// bit-identical to the reference), or the reference.
enum class CodegenPipeline { CPU, CPUExactMath, Reference };

/// Everything the two pipelines create or transform beyond their input
/// dialects: the dialects they produce, the bufferization and
/// ConvertToLLVM interface models of those dialects, and the translations
/// of the LLVM dialect to LLVM IR. A context that runs the pipelines (or
/// JIT-compiles their output) needs these, and nothing else of upstream.
void registerCodegenDialects(DialectRegistry &registry);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_CODEGEN_PIPELINES_H
