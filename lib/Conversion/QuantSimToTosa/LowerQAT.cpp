//===- LowerQAT.cpp - fake-quant TOSA graphs to integer TOSA --------------===//
//
// Part of quant-opt. Implements --quantsim-lower-qat: split fake_quants,
// rewrite every dequantize -> op -> quantize island into integer TOSA, and
// refuse to leave a quantized op silently in float.
//
//===----------------------------------------------------------------------===//

#include "QATUtils.h"

#include "quant-opt/Support/Locations.h"

#include "quant-opt/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMLOWERQATPASS
#include "quant-opt/Conversion/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// An op still between dequantize and quantize: some operand is
/// dequantized and its result reaches a quantize through float ops (a bias
/// add, a clamp, a reshape, the several ops of an unlowered softmax, ...).
bool isStrandedQuantizedOp(Operation *op) {
  if (isa<QuantizeOp, DequantizeOp, FakeQuantOp>(op) ||
      op->hasTrait<OpTrait::ConstantLike>() || op->getNumResults() != 1)
    return false;
  bool quantizedIn = llvm::any_of(op->getOperands(), [](Value v) {
    return v.getDefiningOp<DequantizeOp>() != nullptr;
  });
  if (!quantizedIn)
    return false;
  // Breadth-first over users, a bounded number of ops: far enough for any
  // island an exporter writes.
  SmallVector<Operation *> frontier{op};
  llvm::SmallPtrSet<Operation *, 16> seen{op};
  for (size_t i = 0; i < frontier.size() && i < 64; ++i) {
    for (Operation *user : frontier[i]->getUsers()) {
      if (isa<QuantizeOp>(user))
        return true;
      if (isa<DequantizeOp, FakeQuantOp>(user) || user->getNumResults() == 0 ||
          !seen.insert(user).second)
        continue;
      frontier.push_back(user);
    }
  }
  return false;
}

struct QuantSimLowerQATPass
    : quantsim::impl::QuantSimLowerQATPassBase<QuantSimLowerQATPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (isKeptFloat(func))
      return;

    qat::Context ctx;
    ctx.roundingMode = roundingMode;
    llvm::DenseSet<Operation *> diagnosed;
    ctx.diagnosed = &diagnosed;

    qat::splitFakeQuants(func);
    RewritePatternSet patterns(&getContext());
    qat::populateQATSplitPatterns(patterns, ctx);
    qat::populateQATComputePatterns(patterns, ctx);
    qat::populateQATDataMovementPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(func, std::move(patterns)))) {
      func.emitError("the QAT lowering did not converge");
      return signalPassFailure();
    }

    bool failedAny = !diagnosed.empty();
    func.walk([&](Operation *op) {
      if (!isStrandedQuantizedOp(op) || diagnosed.contains(op) ||
          isKeptFloat(op))
        return;
      // Imported ops carry their ONNX node's name: say which node. The
      // integer graph is int8: name a wider or narrower storage type.
      std::string name = locationName(op->getLoc());
      std::string width;
      for (Value v : op->getOperands()) {
        auto dq = v.getDefiningOp<DequantizeOp>();
        auto q = dq ? dyn_cast<quant::QuantizedType>(dq.getQtype())
                    : quant::QuantizedType();
        if (q && q.getStorageTypeIntegralWidth() != 8)
          width = std::to_string(q.getStorageTypeIntegralWidth());
      }
      std::string reason =
          width.empty() ? "has quantized inputs and a quantized result but "
                          "no integer lowering"
                        : "has " + width + "-bit quantized inputs; the "
                          "integer lowering supports 8-bit storage only";
      if (allowFloatFallback) {
        op->emitWarning() << "'" << op->getName() << "' op"
                          << (name.empty() ? "" : " (node '" + name + "')")
                          << " " << reason << "; it stays float";
        return;
      }
      op->emitOpError() << (name.empty() ? "" : "(node '" + name + "') ")
                        << reason
                        << (width.empty() ? " (use allow-float-fallback to "
                                            "keep it float)"
                                          : "");
      failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace

llvm::cl::ValuesClass mlir::quantsim::roundingModeValues() {
  return llvm::cl::values(
      clEnumValN(tosa::RoundingMode::SINGLE_ROUND, "single",
                 "TOSA SINGLE_ROUND (the default)"),
      clEnumValN(tosa::RoundingMode::DOUBLE_ROUND, "double",
                 "TOSA DOUBLE_ROUND (TFLite-style results)"));
}
