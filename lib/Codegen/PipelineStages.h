//===- PipelineStages.h - stages shared by the lowering pipelines -*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Codegen: the reference and the CPU
// pipelines share their front end, bufferization and LLVM back end, and
// differ in how linalg becomes loops.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_CODEGEN_PIPELINESTAGES_H
#define QUANTOPT_LIB_CODEGEN_PIPELINESTAGES_H

namespace mlir {
class OpPassManager;

namespace quantsim {

/// TOSA and quantsim to linalg/arith/tensor on tensors.
void addTensorFrontEnd(OpPassManager &pm);

/// One-shot bufferization of the whole module, optionally with results as
/// caller-allocated out-parameters, then deallocation.
void addBufferization(OpPassManager &pm, bool resultsAsOutParams);

/// scf/affine/vector/memref/math/arith/func to the LLVM dialect; with
/// `openmp`, scf.parallel loops run on OpenMP threads.
void addLLVMBackEnd(OpPassManager &pm, bool openmp = false);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_CODEGEN_PIPELINESTAGES_H
