//===- QATCompute.cpp - conv, matmul, add, mul to integer TOSA ------------===//
//
// Part of quant-opt. Islands dequantize -> op -> [bias add] [clamp] ->
// quantize around the ops that do arithmetic: the integer op accumulates in
// i32 with zero points as operands, the bias is quantized to i32 at scale
// s_in * s_w, and one tosa.rescale by s_in * s_w / s_out (per output channel
// where the weights are) brings the accumulator to the output's int8, with
// the clamp fused as an integer clamp.
//
//===----------------------------------------------------------------------===//

#include "QATUtils.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::qat;

/// Reads a float constant of `numElements` or 1 (broadcast) elements into
/// `values` of size `channels`, adding to what is there.
static LogicalResult accumulateBias(DenseElementsAttr attr, int64_t channels,
                                    SmallVectorImpl<double> &values) {
  if (!isa<FloatType>(attr.getElementType()))
    return failure();
  int64_t n = attr.getNumElements();
  if (n != channels && n != 1)
    return failure();
  auto floats = llvm::to_vector(attr.getValues<APFloat>());
  for (int64_t c = 0; c < channels; ++c)
    values[c] += floats[n == 1 ? 0 : c].convertToDouble();
  return success();
}

/// Quantizes per-channel biases to i32 at scale inputScale * weightScale[c].
static FailureOr<SmallVector<int32_t>>
quantizeBias(Operation *anchor, const Context &ctx, ArrayRef<double> bias,
             double inputScale, ArrayRef<double> weightScales) {
  SmallVector<int32_t> result;
  for (auto [c, b] : llvm::enumerate(bias)) {
    double scale = inputScale * weightScales[c];
    double level = std::nearbyint(b / scale); // ties to even (default mode)
    if (!(std::fabs(level) <= 2147483647.0))
      return ctx.fail(anchor,
                      llvm::formatv("bias {0} of channel {1} does not fit in "
                                    "i32 at scale {2}",
                                    b, c, scale));
    result.push_back(static_cast<int32_t>(level));
  }
  return result;
}

/// The weight zero point as one scalar (TOSA takes one per tensor).
static FailureOr<int64_t> weightZeroPoint(Operation *anchor,
                                          const Context &ctx,
                                          const QuantParams &w) {
  for (int64_t zp : w.zeroPoints)
    if (zp != w.zeroPoints[0])
      return ctx.fail(anchor, "per-channel weights need one zero point for "
                              "all channels (TOSA takes a scalar)");
  return w.zeroPoints[0];
}

/// The output rescale of an accumulator at scale inputScale * weightScale[c]:
/// one multiplier per channel, or one when all channels agree.
static SmallVector<double> islandScales(const QuantizedResult &result,
                                        double inputScale,
                                        ArrayRef<double> weightScales) {
  double outScale = result.params.scales[0];
  SmallVector<double> scales;
  for (double sw : weightScales)
    scales.push_back(inputScale * sw / outScale);
  if (llvm::all_equal(scales))
    scales.resize(1);
  return scales;
}

/// The common tail of conv-like ops: rescale the i32 accumulator per output
/// channel, clamp, and replace the island. The caller has checked the scales.
static LogicalResult finishIsland(PatternRewriter &rewriter, Operation *anchor,
                                  const Context &ctx, Value acc,
                                  const QuantizedResult &result,
                                  double inputScale,
                                  ArrayRef<double> weightScales) {
  SmallVector<double> scales = islandScales(result, inputScale, weightScales);
  FailureOr<Value> rescaled =
      createRescale(rewriter, anchor->getLoc(), anchor, ctx, acc, scales, 0,
                    result.params.zeroPoints[0], rewriter.getI8Type());
  if (failed(rescaled))
    return failure();
  auto [lo, hi] = resultLevelRange(result);
  Value out = createIntClamp(rewriter, anchor->getLoc(), *rescaled, lo, hi);
  replaceIsland(rewriter, result, out);
  rewriter.eraseOp(anchor);
  return success();
}

/// The values of a float constant that varies at most along the last
/// dimension, broadcast to `channels` entries.
static std::optional<SmallVector<double>> channelConstant(Value v,
                                                          int64_t channels) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  ArrayRef<int64_t> shape = attr.getType().getShape();
  for (size_t d = 0; d + 1 < shape.size(); ++d)
    if (shape[d] != 1)
      return std::nullopt;
  int64_t n = attr.getNumElements();
  if (n != 1 && n != channels)
    return std::nullopt;
  SmallVector<double> values;
  for (APFloat x : attr.getValues<APFloat>())
    values.push_back(x.convertToDouble());
  if (n == 1)
    values.assign(channels, values[0]);
  return values;
}

/// `acc` (i32, channels last) times a per-channel +-1.
static Value multiplyBySigns(PatternRewriter &rewriter, Location loc,
                             Value acc, ArrayRef<int32_t> signs) {
  auto type = cast<RankedTensorType>(acc.getType());
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape.back() = static_cast<int64_t>(signs.size());
  Value signConst = createConst(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get(shape, rewriter.getI32Type()), signs));
  return tosa::MulOp::create(
      rewriter, loc, type, acc, signConst,
      createZeroPoint(rewriter, loc, rewriter.getI8Type(), 0));
}

/// Proves that an i32 accumulator of products (x - zx)(w - zw) plus a bias
/// cannot overflow: per accumulator group (an output channel; per batch for
/// a batched matmul), |bias| + max|x - zx| * sum|w - zw| over the group's
/// weights (the constant's levels, or k times the largest level otherwise)
/// must stay below 2^31. A wrapped accumulator would be a silently wrong
/// result, so the worst group is reported instead. `groupOf` maps a flat
/// index of the constant weights to its group.
static LogicalResult checkAccumulator(Operation *anchor, const Context &ctx,
                                      const Dequantized &x,
                                      const Dequantized &w, int64_t wzp,
                                      int64_t k, int64_t groups,
                                      function_ref<int64_t(int64_t)> groupOf,
                                      ArrayRef<int32_t> bias) {
  int64_t xzp = x.params.zeroPoints[0];
  int64_t maxX = std::max(std::abs(x.params.qmin - xzp),
                          std::abs(x.params.qmax - xzp));
  SmallVector<int64_t> sums(groups, 0);
  // The weights' levels: a constant, or the quantize of one that the
  // pattern driver has not folded yet.
  DenseElementsAttr levels;
  if (!matchPattern(w.q, m_Constant(&levels)))
    if (auto quantize = w.q.getDefiningOp<QuantizeOp>()) {
      SmallVector<OpFoldResult> folded;
      if (succeeded(quantize->fold(folded)) && folded.size() == 1)
        levels = dyn_cast_if_present<DenseElementsAttr>(
            dyn_cast<Attribute>(folded[0]));
    }
  if (levels && levels.getElementType().isInteger(8)) {
    ArrayRef<char> raw = levels.getRawData();
    int64_t n = levels.getNumElements();
    for (int64_t i = 0; i < n; ++i) {
      int64_t level = static_cast<int8_t>(raw[levels.isSplat() ? 0 : i]);
      sums[groupOf(i)] += std::abs(level - wzp);
    }
  } else {
    int64_t maxW = std::max(std::abs(w.params.qmin - wzp),
                            std::abs(w.params.qmax - wzp));
    sums.assign(groups, k * maxW);
  }
  int64_t worst = -1, worstGroup = 0;
  for (int64_t g = 0; g < groups; ++g) {
    int64_t b = bias.empty() ? 0 : std::abs(int64_t(bias[g % bias.size()]));
    int64_t bound = maxX * sums[g] + b;
    if (bound > worst) {
      worst = bound;
      worstGroup = g;
    }
  }
  if (worst <= std::numeric_limits<int32_t>::max())
    return success();
  return ctx.fail(
      anchor,
      llvm::formatv("the i32 accumulator can overflow: output channel {0} "
                    "adds {1} products of inputs up to {2} levels from their "
                    "zero point and weights whose levels sum to {3}, a worst "
                    "case of {4} (above 2^31 - 1), which would wrap silently",
                    worstGroup, k, maxX, sums[worstGroup], worst));
}

namespace {

/// tosa.conv2d and tosa.depthwise_conv2d. Output channel c of conv2d uses
/// weight channel c (axis 0, OHWI); output channel c * M + m of depthwise
/// (weights HWCM) uses channel c of axis 2 or m of axis 3.
template <typename ConvOp>
struct LowerConv : OpRewritePattern<ConvOp> {
  LowerConv(MLIRContext *context, const Context &ctx)
      : OpRewritePattern<ConvOp>(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(conv))
      return failure();
    auto resultType = cast<RankedTensorType>(conv.getType());
    if (!isa<FloatType>(resultType.getElementType()))
      return failure();
    std::optional<Dequantized> x = matchDequantizedPerTensor(conv.getInput());
    std::optional<Dequantized> w = matchDequantized(conv.getWeight());
    int64_t channels = resultType.getDimSize(resultType.getRank() - 1);
    if (ShapedType::isDynamic(channels))
      return failure();
    if (channels > kMaxChannels)
      return ctx.fail(conv, llvm::formatv("{0} output channels; the integer "
                                          "lowering supports at most {1}",
                                          channels, kMaxChannels));
    // A per-channel +-1 after the conv: the sign of a negative BatchNorm
    // gamma that --quantsim-fold-affine-chains could not fold into weights
    // at their lowest level. The accumulator is multiplied by it.
    tosa::MulOp signMul;
    SmallVector<double> sign(channels, 1.0);
    if (conv->hasOneUse())
      if (auto mul = dyn_cast<tosa::MulOp>(*conv->getUsers().begin());
          mul && mul.getInput1() == conv.getResult())
        if (std::optional<SmallVector<double>> s =
                channelConstant(mul.getInput2(), channels);
            s && llvm::all_of(*s, [](double v) { return v == 1 || v == -1; })) {
          signMul = mul;
          sign = *s;
        }
    std::optional<QuantizedResult> result = matchQuantizedResult(
        signMul ? signMul.getResult() : conv.getResult(), /*allowBias=*/true);
    if (!x || !w || !result)
      return failure();

    // Weight scale of each output channel.
    SmallVector<double> weightScales(channels, w->params.scales[0]);
    if (w->params.isPerAxis()) {
      auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
      int64_t axis = *w->params.axis;
      bool depthwise = std::is_same_v<ConvOp, tosa::DepthwiseConv2DOp>;
      int64_t multiplier = depthwise ? weightType.getDimSize(3) : 1;
      if (!depthwise && axis != 0)
        return ctx.fail(conv, "per-axis weights must be quantized along the "
                              "output channel (axis 0), not axis " +
                                  Twine(axis));
      if (depthwise && axis != 2 && axis != 3)
        return ctx.fail(conv, "per-axis depthwise weights must be quantized "
                              "along axis 2 or 3, not axis " +
                                  Twine(axis));
      for (int64_t c = 0; c < channels; ++c) {
        int64_t channel = !depthwise ? c
                          : axis == 2 ? c / multiplier
                                      : c % multiplier;
        weightScales[c] = w->params.scales[channel];
      }
    }
    FailureOr<int64_t> wzp = weightZeroPoint(conv, ctx, w->params);
    if (failed(wzp))
      return failure();

    DenseElementsAttr convBias;
    if (!matchPattern(conv.getBias(), m_Constant(&convBias)))
      return ctx.fail(conv, "bias must be a constant to be quantized");
    SmallVector<double> bias(channels, 0.0), after(channels, 0.0);
    if (failed(accumulateBias(convBias, channels, bias)) ||
        (result->bias && failed(accumulateBias(result->bias, channels, after))))
      return ctx.fail(conv, "bias must have one value per output channel");
    // s (y + b) + c = s (y + b + s c).
    for (int64_t c = 0; c < channels; ++c)
      bias[c] += sign[c] * after[c];

    double inputScale = x->params.scales[0];
    FailureOr<SmallVector<int32_t>> biasLevels =
        quantizeBias(conv, ctx, bias, inputScale, weightScales);
    if (failed(biasLevels) ||
        failed(checkRescales(conv, ctx,
                             islandScales(*result, inputScale, weightScales))))
      return failure();
    {
      auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
      bool depthwise = std::is_same_v<ConvOp, tosa::DepthwiseConv2DOp>;
      // conv2d OHWI: a channel's weights are contiguous. depthwise HWCM:
      // output channel c * M + m is the innermost (C, M) position.
      int64_t perChannel = weightType.getNumElements() / channels;
      if (failed(checkAccumulator(
              conv, ctx, *x, *w, *wzp, perChannel, channels,
              [&](int64_t i) {
                return depthwise ? i % channels : i / perChannel;
              },
              *biasLevels)))
        return failure();
    }

    Location loc = conv.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    Value biasConst = createConst(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get({channels}, i32),
                               ArrayRef<int32_t>(*biasLevels)));
    Value acc = ConvOp::create(
        rewriter, loc, withElementType(resultType, i32), x->q, w->q,
        biasConst, createZeroPoint(rewriter, loc, i8, x->params.zeroPoints[0]),
        createZeroPoint(rewriter, loc, i8, *wzp), conv.getPadAttr(),
        conv.getStrideAttr(), conv.getDilationAttr(), TypeAttr::get(i32));
    if (!signMul)
      return finishIsland(rewriter, conv, ctx, acc, *result, inputScale,
                          weightScales);
    SmallVector<int32_t> signLevels;
    for (double v : sign)
      signLevels.push_back(static_cast<int32_t>(v));
    acc = multiplyBySigns(rewriter, loc, acc, signLevels);
    if (failed(finishIsland(rewriter, signMul, ctx, acc, *result, inputScale,
                            weightScales)))
      return failure();
    rewriter.eraseOp(conv);
    return success();
  }

  const Context &ctx;
};

/// tosa.matmul [B, M, K] x [B, K, N]; B may be quantized per axis 2 (N).
/// A following constant add is the bias of a fully-connected layer.
struct LowerMatMul : OpRewritePattern<tosa::MatMulOp> {
  LowerMatMul(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(tosa::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(resultType.getElementType()))
      return failure();
    std::optional<Dequantized> a = matchDequantizedPerTensor(op.getA());
    std::optional<Dequantized> b = matchDequantized(op.getB());
    std::optional<QuantizedResult> result =
        matchQuantizedResult(op.getResult(), /*allowBias=*/true);
    if (!a || !b || !result)
      return failure();

    int64_t channels = resultType.getDimSize(2);
    if (ShapedType::isDynamic(channels))
      return ctx.fail(op, "needs a static number of output columns");
    if (channels * resultType.getDimSize(0) > kMaxChannels)
      return ctx.fail(op, llvm::formatv("{0} batches of {1} output columns; "
                                        "the integer lowering supports at "
                                        "most {2} in all",
                                        resultType.getDimSize(0), channels,
                                        kMaxChannels));
    SmallVector<double> weightScales(channels, b->params.scales[0]);
    if (b->params.isPerAxis()) {
      if (*b->params.axis != 2)
        return ctx.fail(op, "per-axis weights must be quantized along the "
                            "output columns (axis 2), not axis " +
                                Twine(*b->params.axis));
      weightScales.assign(b->params.scales.begin(), b->params.scales.end());
    }
    FailureOr<int64_t> bzp = weightZeroPoint(op, ctx, b->params);
    if (failed(bzp))
      return failure();

    double inputScale = a->params.scales[0];
    std::optional<SmallVector<int32_t>> biasLevels;
    if (result->bias) {
      SmallVector<double> bias(channels, 0.0);
      if (failed(accumulateBias(result->bias, channels, bias)))
        return ctx.fail(op, "bias must have one value per output column");
      FailureOr<SmallVector<int32_t>> levels =
          quantizeBias(op, ctx, bias, inputScale, weightScales);
      if (failed(levels))
        return failure();
      biasLevels = *levels;
    }
    if (failed(checkRescales(op, ctx,
                             islandScales(*result, inputScale, weightScales))))
      return failure();
    // B is [batches, K, N]: one accumulator group per batch and column.
    auto bType = cast<RankedTensorType>(op.getB().getType());
    if (!bType.hasStaticShape())
      return ctx.fail(op, "needs static shapes");
    int64_t k = bType.getDimSize(1);
    if (failed(checkAccumulator(
            op, ctx, *a, *b, *bzp, k, bType.getDimSize(0) * channels,
            [&](int64_t i) {
              return (i / (k * channels)) * channels + i % channels;
            },
            biasLevels ? ArrayRef<int32_t>(*biasLevels) : ArrayRef<int32_t>())))
      return failure();

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto accType = withElementType(resultType, i32);
    Value acc = tosa::MatMulOp::create(
        rewriter, loc, accType, a->q, b->q,
        createZeroPoint(rewriter, loc, i8, a->params.zeroPoints[0]),
        createZeroPoint(rewriter, loc, i8, *bzp));
    if (biasLevels) {
      Value biasConst = createConst(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({1, 1, channels}, i32),
                                 ArrayRef<int32_t>(*biasLevels)));
      acc = tosa::AddOp::create(rewriter, loc, accType, acc, biasConst);
    }
    return finishIsland(rewriter, op, ctx, acc, *result, a->params.scales[0],
                        weightScales);
  }

  const Context &ctx;
};

/// A binary island: two per-tensor dequantized operands, a quantized result.
struct BinaryIsland {
  Dequantized a, b;
  QuantizedResult result;
};

template <typename OpTy>
std::optional<BinaryIsland> matchBinaryIsland(OpTy op) {
  if (!isa<FloatType>(op.getType().getElementType()))
    return std::nullopt;
  std::optional<Dequantized> a = matchDequantizedPerTensor(op.getInput1());
  std::optional<Dequantized> b = matchDequantizedPerTensor(op.getInput2());
  std::optional<QuantizedResult> result =
      matchQuantizedResult(op.getResult(), /*allowBias=*/false);
  if (!a || !b || !result)
    return std::nullopt;
  return BinaryIsland{*a, *b, *result};
}

/// Both operands of a binary island to i32 by their own scale factors,
/// subtracting their zero points. The caller has checked the scales.
std::pair<Value, Value> operandsToI32(PatternRewriter &rewriter, Operation *op,
                                      const Context &ctx,
                                      const BinaryIsland &island,
                                      double scaleA, double scaleB) {
  Location loc = op->getLoc();
  Type i32 = rewriter.getI32Type();
  Value a = *createRescale(rewriter, loc, op, ctx, island.a.q, {scaleA},
                           island.a.params.zeroPoints[0], 0, i32);
  Value b = *createRescale(rewriter, loc, op, ctx, island.b.q, {scaleB},
                           island.b.params.zeroPoints[0], 0, i32);
  return {a, b};
}

/// Both operands to i32 at a common scale, then one rescale to the output.
/// With `shiftBits` = 20 of headroom (as TFLite): a' = (a - za) * sa * 2^20 /
/// (2 max(sa, sb)), likewise b', and out = (a' + b') * 2 max(sa, sb) /
/// (2^20 s_out) + z_out.
struct LowerAdd : OpRewritePattern<tosa::AddOp> {
  static constexpr int kShiftBits = 20;

  LowerAdd(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(tosa::AddOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    std::optional<BinaryIsland> island = matchBinaryIsland(op);
    if (!island)
      return failure();
    double sa = island->a.params.scales[0], sb = island->b.params.scales[0];
    double twiceMax = 2.0 * std::max(sa, sb);
    double headroom = std::ldexp(1.0, kShiftBits);
    double scaleA = sa * headroom / twiceMax, scaleB = sb * headroom / twiceMax;
    if (failed(checkRescales(
            op, ctx,
            {scaleA, scaleB,
             twiceMax / (headroom * island->result.params.scales[0])})))
      return failure();
    auto [a32, b32] =
        operandsToI32(rewriter, op, ctx, *island, scaleA, scaleB);
    Value sum = tosa::AddOp::create(
        rewriter, op.getLoc(),
        withElementType(op.getType(), rewriter.getI32Type()), a32, b32);
    return finishIsland(rewriter, op, ctx, sum, island->result,
                        twiceMax / headroom, {1.0});
  }

  const Context &ctx;
};

/// (a - za) and (b - zb) exactly in i32, their product, one rescale by
/// sa * sb / s_out.
struct LowerMul : OpRewritePattern<tosa::MulOp> {
  LowerMul(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(tosa::MulOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    std::optional<BinaryIsland> island = matchBinaryIsland(op);
    if (!island)
      return failure();
    double productScale =
        island->a.params.scales[0] * island->b.params.scales[0];
    if (failed(checkRescales(
            op, ctx, {productScale / island->result.params.scales[0]})))
      return failure();
    auto [a32, b32] = operandsToI32(rewriter, op, ctx, *island, 1.0, 1.0);
    Value product = tosa::MulOp::create(
        rewriter, op.getLoc(),
        withElementType(op.getType(), rewriter.getI32Type()), a32, b32,
        createZeroPoint(rewriter, op.getLoc(), rewriter.getI8Type(), 0));
    return finishIsland(rewriter, op, ctx, product, island->result,
                        productScale, {1.0});
  }

  const Context &ctx;
};

/// dequantize -> mul by per-channel constants (one or more) -> [constant
/// add] -> [clamp] -> quantize: a standalone BatchNorm (DenseNet's
/// norm-relu-conv), or any per-channel affine map y = a_c x + b_c. In i32:
/// acc = sign(a_c) (q - z_in) 2^K + round(b_c 2^K / (|a_c| s_in)), then one
/// per-channel rescale by |a_c| s_in / (2^K s_out). K = 16 bits keep the
/// bias's rounding far below one output step.
struct LowerChannelAffine : OpRewritePattern<tosa::MulOp> {
  static constexpr int kShiftBits = 16;

  LowerChannelAffine(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(tosa::MulOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()) || type.getRank() < 1)
      return failure();
    std::optional<Dequantized> x = matchDequantizedPerTensor(op.getInput1());
    if (!x || x->q.getType() != withElementType(type, rewriter.getI8Type()))
      return failure();
    int64_t channels = type.getDimSize(type.getRank() - 1);
    if (channels > kMaxChannels)
      return failure();
    std::optional<SmallVector<double>> a =
        channelConstant(op.getInput2(), channels);
    if (!a)
      return failure();
    // Following muls by constants fold into a.
    SmallVector<tosa::MulOp> chain{op};
    while (chain.back()->hasOneUse()) {
      auto next = dyn_cast<tosa::MulOp>(*chain.back()->getUsers().begin());
      if (!next || next.getInput1() != chain.back().getResult() ||
          next.getType() != type)
        break;
      std::optional<SmallVector<double>> more =
          channelConstant(next.getInput2(), channels);
      if (!more)
        break;
      for (int64_t c = 0; c < channels; ++c)
        (*a)[c] *= (*more)[c];
      chain.push_back(next);
    }
    std::optional<QuantizedResult> result =
        matchQuantizedResult(chain.back().getResult(), /*allowBias=*/true);
    if (!result)
      return failure();
    SmallVector<double> b(channels, 0.0);
    if (result->bias &&
        failed(accumulateBias(result->bias, channels, b)))
      return failure();

    double sIn = x->params.scales[0];
    double headroom = std::ldexp(1.0, kShiftBits);
    SmallVector<int32_t> signs, biases;
    SmallVector<double> magnitudes;
    for (int64_t c = 0; c < channels; ++c) {
      if ((*a)[c] == 0 || !std::isfinite((*a)[c]) || !std::isfinite(b[c]))
        return failure();
      double mag = std::fabs((*a)[c]) * sIn;
      double bias = std::round(b[c] * headroom / mag);
      if (std::fabs(bias) > std::ldexp(1.0, 30))
        return failure(); // would not fit next to 255 * 2^K
      signs.push_back((*a)[c] < 0 ? -1 : 1);
      biases.push_back(static_cast<int32_t>(bias));
      magnitudes.push_back(mag);
    }
    SmallVector<double> scales = islandScales(*result, 1.0 / headroom,
                                              magnitudes);
    if (failed(checkRescales(op, ctx, scales)) ||
        failed(checkRescales(op, ctx, {headroom})))
      return failure();

    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    auto i32Type = withElementType(type, i32);
    SmallVector<int64_t> channelShape(type.getRank(), 1);
    channelShape.back() = channels;
    auto channelType = RankedTensorType::get(channelShape, i32);
    Value acc = *createRescale(rewriter, loc, op, ctx, x->q, {headroom},
                               x->params.zeroPoints[0], 0, i32);
    if (llvm::is_contained(signs, -1))
      acc = multiplyBySigns(rewriter, loc, acc, signs);
    acc = tosa::AddOp::create(
        rewriter, loc, i32Type, acc,
        createConst(rewriter, loc,
                    DenseElementsAttr::get(channelType,
                                           ArrayRef<int32_t>(biases))));
    if (failed(finishIsland(rewriter, chain.back(), ctx, acc, *result,
                            1.0 / headroom, magnitudes)))
      return failure();
    for (tosa::MulOp mul : llvm::reverse(ArrayRef(chain).drop_back()))
      rewriter.eraseOp(mul);
    return success();
  }

  const Context &ctx;
};

} // namespace

void qat::populateQATComputePatterns(RewritePatternSet &patterns,
                                     const Context &ctx) {
  MLIRContext *context = patterns.getContext();
  patterns.add<LowerConv<tosa::Conv2DOp>, LowerConv<tosa::DepthwiseConv2DOp>,
               LowerMatMul, LowerAdd, LowerMul, LowerChannelAffine>(context,
                                                                   ctx);
}
