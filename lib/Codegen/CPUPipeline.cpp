//===- CPUPipeline.cpp - CPU code generation ------------------------------===//
//
// Part of quant-opt. Implements --quantsim-cpu-codegen: int8 and f32
// conv/matmul chains to register-tiled kernels (--quantsim-cpu-kernels),
// the reference front end for the rest, constant conv filters repacked to
// HWCF at compile time, named linalg ops generalized and their loops
// ordered so the innermost one is contiguous (LLVM's loop vectorizer then
// emits vector code for the host's vector ISA), then the shared
// bufferization and LLVM back end. Same arithmetic in the same order as
// the reference, so results are identical, except two f32 things unless
// exact-math is set: exp becomes a vectorizable polynomial a few units in
// the last place from libm's, and 3x3 stride-1 convolutions with enough
// tiles are computed by Winograd's F(4x4, 3x3) (WinogradKernels.cpp).
//
//===----------------------------------------------------------------------===//

#include "PipelineStages.h"

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Codegen/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// The options of a target-dependent pass, for `target`.
template <typename PassOptions>
static PassOptions targetOptions(const quantsim::CodegenTarget &target) {
  PassOptions options;
  options.targetTriple = target.triple;
  options.targetCPU = target.cpu;
  options.targetFeatures = target.features;
  return options;
}

void mlir::quantsim::buildCPUCodegenPipeline(OpPassManager &pm,
                                             const CPUCodegenOptions &options) {
  // Shape checks first: the kernels rewrite rescales too.
  pm.addNestedPass<func::FuncOp>(createQuantSimLegalizeTosaForLinalgPass());
  // NCHW round trips between NHWC layers go before the kernels see them.
  pm.addNestedPass<func::FuncOp>(createQuantSimSinkTransposesPass());
  auto kernels =
      targetOptions<QuantSimCPUKernelsPassOptions>(options.target());
  // With exact-math, no Winograd; a tile size the kernels do not have
  // still goes to them, which reject it naming the option.
  bool knownTile = llvm::is_contained({0, 2, 4}, options.winogradTile);
  if (!options.exactMath || !knownTile)
    kernels.winograd = options.winogradTile;
  pm.addNestedPass<func::FuncOp>(createQuantSimCPUKernelsPass(kernels));
  addTensorFrontEnd(pm);
  // Chains of elementwise ops (a BatchNorm's multiply and add, then a ReLU;
  // a rescale, add and clamp) become one loop nest: each element's
  // operations and their order are unchanged, and no intermediate tensor is
  // written.
  pm.addNestedPass<func::FuncOp>(createQuantSimFuseElementwisePass());
  pm.addNestedPass<func::FuncOp>(createQuantSimPackConvWeightsPass());
  pm.addNestedPass<func::FuncOp>(createLinalgGeneralizeNamedOpsPass());
  pm.addNestedPass<func::FuncOp>(createQuantSimInterchangeForVectorizationPass());
  addBufferization(pm, options.resultsAsOutParams);
  if (options.arena) {
    QuantSimPlanArenaPassOptions arena;
    arena.workspaceArgument = options.workspaceArgument;
    arena.parallel = options.parallel;
    pm.addNestedPass<func::FuncOp>(createQuantSimPlanArenaPass(arena));
  }
  pm.addNestedPass<func::FuncOp>(createQuantSimLowerDotPass(
      targetOptions<QuantSimLowerDotPassOptions>(options.target())));
  // Before the generic lowering to loops: it lowers the linalg ops it can
  // run in parallel itself.
  if (options.parallel)
    pm.addNestedPass<func::FuncOp>(createQuantSimParallelizeLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  if (!options.exactMath)
    pm.addNestedPass<func::FuncOp>(createQuantSimApproximateMathPass());
  addLLVMBackEnd(pm, options.parallel);
}
