//===- Pipelines.cpp - quant-opt named pipelines --------------------------===//
//
// Part of quant-opt. The QAT-to-integer pipeline and the registration of
// every named pipeline (the reference lowering lives in lib/Codegen).
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Pipelines.h"
#include "quant-opt/Codegen/Pipelines.h"
#include "quant-opt/Conversion/Passes.h"
#include "quant-opt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::quantsim::buildQATToIntPipeline(OpPassManager &pm,
                                           const QATToIntOptions &options) {
  pm.addNestedPass<func::FuncOp>(createQuantSimFoldAffineChainsPass());
  QuantSimLowerQATPassOptions lower;
  lower.roundingMode = options.roundingMode;
  lower.allowFloatFallback = options.allowFloatFallback;
  pm.addNestedPass<func::FuncOp>(createQuantSimLowerQATPass(lower));
  pm.addPass(createCanonicalizerPass());
}

void mlir::quantsim::registerPipelines() {
  PassPipelineRegistration<QATToIntOptions>(
      "quantsim-qat-to-int",
      "Fake-quant TOSA graph to integer TOSA: fold BN/affine chains, lower "
      "the QAT graph, canonicalize",
      buildQATToIntPipeline);
  PassPipelineRegistration<CPUCodegenOptions>(
      "quantsim-cpu-codegen",
      "CPU code generation of TOSA + quantsim to the LLVM dialect, with "
      "loops ordered for vectorization (bit-identical to the reference)",
      buildCPUCodegenPipeline);
  PassPipelineRegistration<ReferenceToLLVMOptions>(
      "quantsim-reference-to-llvm",
      "Reference lowering of TOSA + quantsim to the LLVM dialect (scalar "
      "loops; the yardstick for optimized code)",
      buildReferenceToLLVMPipeline);
}
