//===- LowerFakeQuant.cpp - quantsim.fake_quant to linalg -----------------===//
//
// Part of quant-opt. Implements --quantsim-lower-fake-quant: fake_quant
// becomes an elementwise linalg.generic over arith/math, bit-exact with
// quantsim::fakeQuantize (Support/Numerics.h).
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Conversion/Passes.h"
#include "quant-opt/Conversion/QuantSimToLinalg.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/QuantParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMLOWERFAKEQUANTPASS
#include "quant-opt/Conversion/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

Value mlir::quantsim::buildQuantizeToLevel(OpBuilder &b, Location loc, Value x,
                                           Value scale, Value zeroPoint,
                                           Value qmin, Value qmax) {
  Value scaled = arith::DivFOp::create(b, loc, x, scale);
  Value rounded = math::RoundEvenOp::create(b, loc, scaled);
  // Added even when the zero point is 0: -0.0 + 0.0 is +0.0.
  Value level = arith::AddFOp::create(b, loc, rounded, zeroPoint);
  // maximumf/minimumf propagate NaN, as quantizeToLevel does.
  level = arith::MaximumFOp::create(b, loc, level, qmin);
  return arith::MinimumFOp::create(b, loc, level, qmax);
}

Value mlir::quantsim::buildFakeQuantize(OpBuilder &b, Location loc, Value x,
                                        Value scale, Value zeroPoint,
                                        Value qmin, Value qmax) {
  Value level = buildQuantizeToLevel(b, loc, x, scale, zeroPoint, qmin, qmax);
  Value centered = arith::SubFOp::create(b, loc, level, zeroPoint);
  return arith::MulFOp::create(b, loc, centered, scale);
}

namespace {

struct LowerFakeQuant : OpRewritePattern<FakeQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FakeQuantOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    FailureOr<QuantParams> params = getQuantParams(
        op.getQtype(), type, [&] { return op.emitOpError(); });
    if (failed(params))
      return failure();

    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type();
    auto f32Const = [&](double value) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc, rewriter.getFloatAttr(f32, static_cast<float>(value)));
    };
    Value qmin = f32Const(static_cast<double>(params->qmin));
    Value qmax = f32Const(static_cast<double>(params->qmax));

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, op.getInput());
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes, f32);

    int64_t rank = type.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    SmallVector<Value> inputs{op.getInput()};
    SmallVector<AffineMap> maps{identity};

    Value scale, zeroPoint;
    if (params->isPerAxis()) {
      // Channel parameters as 1-D tensors indexed by the quantized dim.
      SmallVector<float> scales, zeroPoints;
      for (auto [s, zp] : llvm::zip(params->scales, params->zeroPoints)) {
        scales.push_back(static_cast<float>(s));
        zeroPoints.push_back(static_cast<float>(zp));
      }
      auto channelType = RankedTensorType::get(
          {static_cast<int64_t>(scales.size())}, f32);
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(channelType, ArrayRef<float>(scales))));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(channelType, ArrayRef<float>(zeroPoints))));
      AffineMap channelMap = AffineMap::get(
          rank, 0, rewriter.getAffineDimExpr(*params->axis),
          rewriter.getContext());
      maps.append({channelMap, channelMap});
    } else {
      scale = f32Const(params->scales[0]);
      zeroPoint = f32Const(static_cast<double>(params->zeroPoints[0]));
    }
    maps.push_back(identity);

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value s = scale ? scale : args[1];
          Value zp = zeroPoint ? zeroPoint : args[2];
          Value y = buildFakeQuantize(b, nestedLoc, args[0], s, zp, qmin, qmax);
          linalg::YieldOp::create(b, nestedLoc, y);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct QuantSimLowerFakeQuantPass
    : quantsim::impl::QuantSimLowerFakeQuantPassBase<
          QuantSimLowerFakeQuantPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLowerFakeQuantPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // The pattern fails only on ops the verifier rejects; never leave one
    // behind silently.
    WalkResult left = getOperation()->walk([](FakeQuantOp op) {
      op.emitOpError("could not be lowered");
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void mlir::quantsim::populateLowerFakeQuantPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerFakeQuant>(patterns.getContext());
}
