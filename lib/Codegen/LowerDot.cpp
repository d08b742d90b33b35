//===- LowerDot.cpp - quantsim.dot_u8s8 to vpdpbusd or plain vectors ------===//
//
// Part of quant-opt. Implements --quantsim-lower-dot.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Codegen/Target.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMLOWERDOTPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// acc + sum of 4 adjacent zext(a) * sext(b), in i32: widen, multiply, and
/// add the 4 strided lanes of the products to the accumulator.
Value portableDot(OpBuilder &b, Location loc, Value acc, Value a, Value w) {
  auto accType = cast<VectorType>(acc.getType());
  int64_t lanes = accType.getNumElements();
  VectorType wide = VectorType::get({4 * lanes}, accType.getElementType());
  Value aw = arith::ExtUIOp::create(b, loc, wide, a);
  Value ww = arith::ExtSIOp::create(b, loc, wide, w);
  Value prod = arith::MulIOp::create(b, loc, aw, ww);
  Value sum = acc;
  for (int64_t q = 0; q < 4; ++q) {
    SmallVector<int64_t> mask;
    for (int64_t l = 0; l < lanes; ++l)
      mask.push_back(4 * l + q);
    Value part = vector::ShuffleOp::create(b, loc, prod, prod, mask);
    sum = arith::AddIOp::create(b, loc, sum, part);
  }
  return sum;
}

struct QuantSimLowerDotPass
    : quantsim::impl::QuantSimLowerDotPassBase<QuantSimLowerDotPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *) override {
    target.resolve(targetTriple, targetCPU, targetFeatures);
    return success();
  }

  void runOnOperation() override {
    if (failed(target.check(getOperation(), "quantsim-lower-dot")))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](DotU8S8Op dot) {
      rewriter.setInsertionPoint(dot);
      Value result;
      if (target.get().vnni && dot.getAcc().getType().getNumElements() == 16)
        result = LLVM::CallIntrinsicOp::create(
                     rewriter, dot.getLoc(), dot.getType(),
                     rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
                     ValueRange{dot.getAcc(), dot.getA(), dot.getB()})
                     ->getResult(0);
      else
        result = portableDot(rewriter, dot.getLoc(), dot.getAcc(), dot.getA(),
                             dot.getB());
      rewriter.replaceOp(dot, result);
    });
    if (!target.get().avx512dq)
      return;
    // A maximum of 16 floats known not to be NaN (the max pools' nnan
    // maximumf): vrangeps with imm 5 (the larger, its sign from the
    // comparison: +0 above -0) is exactly that in one instruction; LLVM
    // makes four of it.
    getOperation().walk([&](arith::MaximumFOp max) {
      auto type = dyn_cast<VectorType>(max.getType());
      if (!type || type.getNumElements() != 16 ||
          !type.getElementType().isF32() ||
          !bitEnumContainsAll(max.getFastmath(), arith::FastMathFlags::nnan))
        return;
      rewriter.setInsertionPoint(max);
      Location loc = max.getLoc();
      Value imm = LLVM::ConstantOp::create(rewriter, loc,
                                           rewriter.getI32IntegerAttr(5));
      Value mask = LLVM::ConstantOp::create(rewriter, loc,
                                            rewriter.getI16IntegerAttr(-1));
      Value rounding = LLVM::ConstantOp::create(rewriter, loc,
                                                rewriter.getI32IntegerAttr(4));
      Value result =
          LLVM::CallIntrinsicOp::create(
              rewriter, loc, type,
              rewriter.getStringAttr("llvm.x86.avx512.mask.range.ps.512"),
              ValueRange{max.getLhs(), max.getRhs(), imm, max.getLhs(), mask,
                         rounding})
              ->getResult(0);
      rewriter.replaceOp(max, result);
    });
  }

  PassTarget target;
};

} // namespace
