//===- LoopHints.cpp - LLVM loop metadata for the loops LLVM vectorizes ---===//
//
// Part of quant-opt. Implements --quantsim-loop-hints.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMLOOPHINTSPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

/// Whether `loop` holds explicit vector code (a kernel's).
bool hasVectorOps(scf::ForOp loop) {
  return loop.getBody()
      ->walk([](Operation *op) {
        return llvm::any_of(op->getResultTypes(), llvm::IsaPred<VectorType>)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether `loop` copies rows with `memref.copy` (a concat's or a pad's
/// strided copy, row by row): LLVM expands each row's memcpy inline, so a
/// fully unrolled nest of them becomes one huge block that instruction
/// selection and scheduling take superlinear time over, for no speed.
bool copiesRows(scf::ForOp loop) {
  return loop.getBody()
      ->walk([](memref::CopyOp) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

/// Whether `loop` is scalar code that LLVM's loop vectorizer will turn into
/// vector code, and should not be unrolled beyond what the vectorizer
/// interleaves: no vector ops, and not a short loop (a pooling or
/// convolution window's taps), which LLVM must stay free to unroll fully:
/// that is what lets the loops around it vectorize.
bool leaveUnrolledToVectorizer(scf::ForOp loop) {
  if (copiesRows(loop))
    return true;
  constexpr int64_t kMinTrips = 8;
  std::optional<APInt> trips = loop.getStaticTripCount();
  if (trips && trips->getSExtValue() < kMinTrips)
    return false;
  return !hasVectorOps(loop);
}

struct QuantSimLoopHintsPass
    : quantsim::impl::QuantSimLoopHintsPassBase<QuantSimLoopHintsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    auto noUnroll = LLVM::LoopAnnotationAttr::get(
        ctx, /*disableNonforced=*/{}, /*vectorize=*/{}, /*interleave=*/{},
        LLVM::LoopUnrollAttr::get(ctx, BoolAttr::get(ctx, true), {}, {}, {},
                                  {}, {}, {}),
        {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {});
    getOperation().walk([&](scf::ForOp loop) {
      // scf-to-cf moves this attribute to the loop's latch branch.
      if (leaveUnrolledToVectorizer(loop))
        loop->setAttr("loop_annotation", noUnroll);
    });
  }
};

} // namespace
