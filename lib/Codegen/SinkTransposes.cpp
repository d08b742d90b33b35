//===- SinkTransposes.cpp - NCHW round trips of NHWC activations ----------===//
//
// Part of quant-opt. Implements --quantsim-sink-transposes: moves the
// importer's NHWC-to-NCHW transposes below the slices, concatenations and
// channel shuffles that read them, where they meet their inverses and fold
// away. Only where data goes changes, so the results are the same.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMSINKTRANSPOSESPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

RankedTensorType staticType(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() ? type : RankedTensorType();
}

Value constShape(PatternRewriter &rewriter, Location loc,
                 ArrayRef<int64_t> values) {
  return tosa::ConstShapeOp::create(
      rewriter, loc, tosa::shapeType::get(rewriter.getContext(), values.size()),
      rewriter.getIndexTensorAttr(values));
}

Value reshape(PatternRewriter &rewriter, Location loc, Value x,
              ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType()).clone(shape);
  return tosa::ReshapeOp::create(rewriter, loc, type, x,
                                 constShape(rewriter, loc, shape));
}

Value transpose(PatternRewriter &rewriter, Location loc, Value x,
                ArrayRef<int32_t> perms) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  for (int32_t p : perms)
    shape.push_back(type.getDimSize(p));
  return tosa::TransposeOp::create(rewriter, loc, type.clone(shape), x, perms);
}

/// slice(transpose(x, P)) -> transpose(slice(x), P), when slices are all
/// that read the transpose (which then goes): the transpose moves a slice's
/// worth of data instead of the whole tensor, and may meet its inverse.
struct SliceOfTranspose : OpRewritePattern<tosa::SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto producer = slice.getInput1().getDefiningOp<tosa::TransposeOp>();
    if (!producer || !staticType(producer.getInput1()) ||
        !llvm::all_of(producer->getUsers(),
                      [](Operation *user) { return isa<tosa::SliceOp>(user); }))
      return failure();
    SmallVector<int64_t> start, size;
    if (!tosa::getConstShapeValues(slice.getStart().getDefiningOp(), start) ||
        !tosa::getConstShapeValues(slice.getSize().getDefiningOp(), size))
      return failure();
    ArrayRef<int32_t> perms = producer.getPerms();
    SmallVector<int64_t> inStart(perms.size()), inSize(perms.size());
    for (auto [i, p] : llvm::enumerate(perms)) {
      inStart[p] = start[i];
      inSize[p] = size[i];
    }
    Location loc = slice.getLoc();
    auto inType = cast<RankedTensorType>(producer.getInput1().getType());
    Value inner = tosa::SliceOp::create(
        rewriter, loc, inType.clone(inSize), producer.getInput1(),
        constShape(rewriter, loc, inStart), constShape(rewriter, loc, inSize));
    rewriter.replaceOp(slice, transpose(rewriter, loc, inner, perms));
    return success();
  }
};

/// concat(transpose(a, P), transpose(b, P), ...) -> transpose(concat(a, b,
/// ...), P), when each transpose is read by the concat alone.
struct ConcatOfTransposes : OpRewritePattern<tosa::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ConcatOp concat,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> inputs;
    std::optional<ArrayRef<int32_t>> perms;
    for (Value operand : concat.getInput1()) {
      auto producer = operand.getDefiningOp<tosa::TransposeOp>();
      if (!producer || !operand.hasOneUse() ||
          !staticType(producer.getInput1()) ||
          (perms && *perms != producer.getPerms()))
        return failure();
      perms = producer.getPerms();
      inputs.push_back(producer.getInput1());
    }
    if (!perms || !staticType(concat.getResult()))
      return failure();
    int32_t axis = (*perms)[concat.getAxis()];
    auto type = cast<RankedTensorType>(inputs.front().getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[axis] = 0;
    for (Value input : inputs)
      shape[axis] += cast<RankedTensorType>(input.getType()).getDimSize(axis);
    Location loc = concat.getLoc();
    Value inner =
        tosa::ConcatOp::create(rewriter, loc, type.clone(shape), inputs, axis);
    rewriter.replaceOp(concat, transpose(rewriter, loc, inner, *perms));
    return success();
  }
};

/// The NCHW channel shuffle of NHWC activations, reshape(transpose(
/// reshape(transpose(y, [0, 3, 1, 2]), [N, G, C/G, H, W]), [0, 2, 1, 3,
/// 4]), [N, C, H, W]) (ShuffleNet's, as PyTorch exports it), done in NHWC:
/// reshape(transpose(reshape(y, [N, H, W, G, C/G]), [0, 1, 2, 4, 3]),
/// [N, H, W, C]), then transposed to NCHW. Output channel i * G + g is input
/// channel g * C/G + i either way.
struct ChannelShuffle : OpRewritePattern<tosa::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ReshapeOp merge,
                                PatternRewriter &rewriter) const override {
    auto swap = merge.getInput1().getDefiningOp<tosa::TransposeOp>();
    if (!swap || !swap->hasOneUse() ||
        swap.getPerms() != ArrayRef<int32_t>{0, 2, 1, 3, 4})
      return failure();
    auto split = swap.getInput1().getDefiningOp<tosa::ReshapeOp>();
    if (!split || !split->hasOneUse())
      return failure();
    auto toNCHW = split.getInput1().getDefiningOp<tosa::TransposeOp>();
    if (!toNCHW || !toNCHW->hasOneUse() ||
        toNCHW.getPerms() != ArrayRef<int32_t>{0, 3, 1, 2})
      return failure();
    RankedTensorType nchw = staticType(toNCHW.getResult());
    RankedTensorType grouped = staticType(split.getResult());
    RankedTensorType out = staticType(merge.getResult());
    if (!nchw || !grouped || !out || nchw.getRank() != 4 ||
        grouped.getRank() != 5 || out.getShape() != nchw.getShape())
      return failure();
    int64_t n = nchw.getDimSize(0), c = nchw.getDimSize(1),
            h = nchw.getDimSize(2), w = nchw.getDimSize(3);
    int64_t groups = grouped.getDimSize(1);
    if (grouped.getShape() !=
        ArrayRef<int64_t>{n, groups, groups ? c / groups : 0, h, w})
      return failure();
    Location loc = merge.getLoc();
    Value y = toNCHW.getInput1();
    Value nhwc = reshape(rewriter, loc, y, {n, h, w, groups, c / groups});
    nhwc = transpose(rewriter, loc, nhwc, {0, 1, 2, 4, 3});
    nhwc = reshape(rewriter, loc, nhwc, {n, h, w, c});
    rewriter.replaceOp(merge, transpose(rewriter, loc, nhwc, {0, 3, 1, 2}));
    return success();
  }
};

struct QuantSimSinkTransposesPass
    : quantsim::impl::QuantSimSinkTransposesPassBase<
          QuantSimSinkTransposesPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<SliceOfTranspose, ConcatOfTransposes, ChannelShuffle>(ctx);
    // Consecutive transposes compose, and an identity one goes.
    tosa::TransposeOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
