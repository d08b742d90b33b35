//===- CPUPipeline.cpp - CPU code generation ------------------------------===//
//
// Part of quant-opt. Implements --quantsim-cpu-codegen: int8 conv/matmul
// chains to register-tiled kernels (--quantsim-cpu-kernels), the reference
// front end for the rest, constant conv filters repacked to HWCF at compile time, named linalg
// ops generalized and their loops ordered so the innermost one is contiguous (LLVM's loop vectorizer then emits vector code for the
// host's vector ISA), then the shared bufferization and LLVM back end. Same
// arithmetic in the same order as the reference, so results are identical.
//
//===----------------------------------------------------------------------===//

#include "PipelineStages.h"

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::quantsim::buildCPUCodegenPipeline(OpPassManager &pm,
                                             const CPUCodegenOptions &options) {
  QuantSimCPUKernelsPassOptions kernels;
  kernels.targetTriple = options.targetTriple;
  kernels.targetCPU = options.targetCPU;
  kernels.targetFeatures = options.targetFeatures;
  pm.addNestedPass<func::FuncOp>(createQuantSimCPUKernelsPass(kernels));
  addTensorFrontEnd(pm);
  pm.addNestedPass<func::FuncOp>(createQuantSimPackConvWeightsPass());
  pm.addNestedPass<func::FuncOp>(createLinalgGeneralizeNamedOpsPass());
  pm.addNestedPass<func::FuncOp>(createQuantSimInterchangeForVectorizationPass());
  addBufferization(pm, options.resultsAsOutParams);
  QuantSimLowerDotPassOptions dot;
  dot.targetTriple = options.targetTriple;
  dot.targetCPU = options.targetCPU;
  dot.targetFeatures = options.targetFeatures;
  pm.addNestedPass<func::FuncOp>(createQuantSimLowerDotPass(dot));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addLLVMBackEnd(pm);
}
