//===- ReferencePipeline.cpp - reference lowering to LLVM -----------------===//
//
// Part of quant-opt. Implements --quantsim-reference-to-llvm and the stages
// it shares with the CPU pipeline.
//
//===----------------------------------------------------------------------===//

#include "PipelineStages.h"

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Conversion/Passes.h"
#include "quant-opt/Codegen/Pipelines.h"

#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::quantsim::addTensorFrontEnd(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(
      quantsim::createQuantSimLegalizeTosaForLinalgPass());
  // No TOSA validation here: its level check rejects valid pads (a rank-4
  // pad's padding is a !tosa.shape<8>, "exceeding" MAX_RANK 6), and this is
  // a lowering, not a profile checker.
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions{},
                              TosaToLinalgNamedOptions{},
                              /*validationOptions=*/std::nullopt);
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());
  pm.addNestedPass<func::FuncOp>(createTosaToSCFPass());
  TosaToArithPassOptions toArith;
  toArith.includeApplyRescale = true;
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass(toArith));
  pm.addPass(quantsim::createQuantSimLowerFakeQuantPass());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::quantsim::addBufferization(OpPassManager &pm,
                                      bool resultsAsOutParams) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (resultsAsOutParams) {
    bufferization::BufferResultsToOutParamsPassOptions outParams;
    outParams.hoistStaticAllocs = true;
    // Entry points are public; their ABI is exactly what is being changed.
    outParams.modifyPublicFunctions = true;
    pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  }
  bufferization::buildBufferDeallocationPipeline(pm);
  // Deallocation clones buffers it cannot prove owned (e.g. a returned
  // argument); lower the clones to alloc + copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Strided copies would call MLIR's C runner library; make them loops.
  pm.addNestedPass<func::FuncOp>(quantsim::createQuantSimLowerStridedCopiesPass());
  // Deallocation freed every buffer at the end of its block.
  pm.addNestedPass<func::FuncOp>(quantsim::createQuantSimFreeAfterLastUsePass());
}

void mlir::quantsim::addLLVMBackEnd(OpPassManager &pm, bool openmp) {
  // One function per layer: LLVM's loop passes slow down more than linearly
  // with the loops of one function.
  pm.addPass(quantsim::createQuantSimOutlineLoopNestsPass());
  pm.addNestedPass<func::FuncOp>(quantsim::createQuantSimLoopHintsPass());
  if (openmp) {
    pm.addPass(createConvertSCFToOpenMPPass());
    // The conversion wraps each loop body in a memref.alloca_scope, which
    // must stay one block; the canonicalizer inlines those holding no
    // alloca (all of them: the kernels allocate nothing), before scf-to-cf
    // splits the body into blocks.
    pm.addPass(createCanonicalizerPass());
  }
  // The conversions that stay inside a function run on each function (the
  // layers' outlined nests: in parallel with MLIR's threads); those that
  // add declarations or change signatures on the module.
  OpPassManager &perFunction = pm.nest<func::FuncOp>();
  perFunction.addPass(createLowerAffinePass());
  perFunction.addPass(createSCFToControlFlowPass());
  perFunction.addPass(memref::createExpandStridedMetadataPass());
  perFunction.addPass(createLowerAffinePass());
  // Vector lowering creates arith ops (e.g. vector.print widens integers), so
  // it runs before arith is lowered.
  perFunction.addPass(createConvertVectorToLLVMPass());
  // Temporaries through _mlir_memref_to_llvm_alloc/free, which the cache
  // below defines.
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  pm.addNestedPass<func::FuncOp>(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addNestedPass<func::FuncOp>(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addNestedPass<LLVM::LLVMFuncOp>(createConvertIndexToLLVMPass());
  if (openmp)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(quantsim::createQuantSimCacheTemporariesPass());
  pm.addPass(quantsim::createQuantSimByteConstantsPass());
}

void mlir::quantsim::buildReferenceToLLVMPipeline(
    OpPassManager &pm, const ReferenceToLLVMOptions &options) {
  addTensorFrontEnd(pm);
  addBufferization(pm, options.resultsAsOutParams);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addLLVMBackEnd(pm);
}
