//===- FoldAffineChains.cpp - fold BN / affine chains into conv, matmul ---===//
//
// Part of quant-opt. Implements --quantsim-fold-affine-chains.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/Numerics.h"
#include "quant-opt/Support/QuantParams.h"
#include "quant-opt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMFOLDAFFINECHAINSPASS
#include "quant-opt/Transforms/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// A conv2d, depthwise_conv2d (channel multiplier 1) or matmul with float
/// result, seen as "output channel c uses weight slice c along weightAxis".
struct ConvLike {
  Operation *op = nullptr;
  OpOperand *weight = nullptr;
  OpOperand *bias = nullptr; ///< null for matmul
  int64_t weightAxis = 0;
  int64_t channels = 0;
};

std::optional<ConvLike> matchConvLike(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op || !v.hasOneUse() || isKeptFloat(op))
    return std::nullopt;
  auto type = cast<RankedTensorType>(v.getType());
  if (!isa<FloatType>(type.getElementType()))
    return std::nullopt;
  ConvLike conv;
  conv.op = op;
  conv.channels = type.getDimSize(type.getRank() - 1);
  if (ShapedType::isDynamic(conv.channels) || conv.channels > kMaxChannels)
    return std::nullopt;
  if (auto c = dyn_cast<tosa::Conv2DOp>(op)) {
    conv.weight = &c.getWeightMutable();
    conv.bias = &c.getBiasMutable();
    conv.weightAxis = 0;
  } else if (auto d = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    if (cast<RankedTensorType>(d.getWeight().getType()).getDimSize(3) != 1)
      return std::nullopt;
    conv.weight = &d.getWeightMutable();
    conv.bias = &d.getBiasMutable();
    conv.weightAxis = 2;
  } else if (auto m = dyn_cast<tosa::MatMulOp>(op)) {
    conv.weight = &m.getBMutable();
    conv.weightAxis = 2;
  } else {
    return std::nullopt;
  }
  return conv;
}

/// The values of a float constant that broadcasts along the last dimension
/// of `type` only ([1, ..., 1, C] or one value), expanded to C.
std::optional<SmallVector<double>> perChannel(Value v, RankedTensorType type) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  int64_t channels = type.getDimSize(type.getRank() - 1);
  if (ShapedType::isDynamic(channels) || channels > kMaxChannels)
    return std::nullopt;
  auto shape = cast<ShapedType>(attr.getType()).getShape();
  int64_t n = attr.getNumElements();
  if (n != 1) {
    if (n != channels || shape.empty() || shape.back() != channels)
      return std::nullopt;
  }
  SmallVector<double> values;
  auto floats = llvm::to_vector(attr.getValues<APFloat>());
  for (int64_t c = 0; c < channels; ++c)
    values.push_back(floats[n == 1 ? 0 : c].convertToDouble());
  return values;
}

/// A per-channel f32 constant shaped [1, ..., 1, C] for a rank-`rank` value.
Value perChannelConst(PatternRewriter &rewriter, Location loc, int64_t rank,
                      ArrayRef<double> values) {
  SmallVector<int64_t> shape(rank, 1);
  shape.back() = static_cast<int64_t>(values.size());
  SmallVector<float> floats(values.begin(), values.end());
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  auto attr = DenseElementsAttr::get(type, ArrayRef<float>(floats));
  return tosa::ConstOp::create(rewriter, loc, type, attr);
}

/// A bias constant of C values (conv bias operand shape [C] or [1]).
std::optional<SmallVector<double>> biasValues(Value bias, int64_t channels) {
  DenseElementsAttr attr;
  if (!matchPattern(bias, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  int64_t n = attr.getNumElements();
  if (n != channels && n != 1)
    return std::nullopt;
  auto floats = llvm::to_vector(attr.getValues<APFloat>());
  SmallVector<double> values;
  for (int64_t c = 0; c < channels; ++c)
    values.push_back(floats[n == 1 ? 0 : c].convertToDouble());
  return values;
}

Value biasConst(PatternRewriter &rewriter, Location loc,
                ArrayRef<double> values) {
  SmallVector<float> floats(values.begin(), values.end());
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    rewriter.getF32Type());
  return tosa::ConstOp::create(
      rewriter, loc, type,
      DenseElementsAttr::get(type, ArrayRef<float>(floats)));
}

/// The channel of element `index` of a row-major tensor of `type` along
/// `axis`.
int64_t channelOf(int64_t index, RankedTensorType type, int64_t axis) {
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  return (index / inner) % type.getDimSize(axis);
}

/// Scales the weights of `conv` by m (per output channel). Returns the new
/// weight value, or failure when the weights are neither a float constant
/// nor fake_quant of one, or when the fold would not be exact.
FailureOr<Value> scaleWeights(PatternRewriter &rewriter, const ConvLike &conv,
                              ArrayRef<double> m) {
  Value weight = conv.weight->get();
  auto weightType = cast<RankedTensorType>(weight.getType());
  if (!weightType.hasStaticShape())
    return failure();
  Location loc = conv.op->getLoc();

  DenseElementsAttr plain;
  if (matchPattern(weight, m_Constant(&plain))) {
    SmallVector<float> values;
    int64_t i = 0;
    for (APFloat x : plain.getValues<APFloat>())
      values.push_back(static_cast<float>(
          x.convertToDouble() * m[channelOf(i++, weightType, conv.weightAxis)]));
    return Value(tosa::ConstOp::create(
        rewriter, loc, weightType,
        DenseElementsAttr::get(weightType, ArrayRef<float>(values))));
  }

  auto fq = weight.getDefiningOp<FakeQuantOp>();
  DenseElementsAttr raw;
  if (!fq || !matchPattern(fq.getInput(), m_Constant(&raw)))
    return failure();
  FailureOr<QuantParams> params = getQuantParams(
      fq.getQtype(), weightType, [&] { return fq.emitOpError(); });
  if (failed(params))
    return failure();
  if (params->isPerAxis() && *params->axis != conv.weightAxis)
    return failure();
  auto scaleOf = [&](int64_t c) {
    return params->scales[params->isPerAxis() ? c : 0];
  };
  auto zeroPointOf = [&](int64_t c) {
    return params->zeroPoints[params->isPerAxis() ? c : 0];
  };

  // New channel c: levels +-q, scale s_c |m_c|, zero point +-zp_c.
  bool symmetric = params->qmin == -params->qmax;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (int64_t c = 0; c < conv.channels; ++c) {
    double s = scaleOf(c);
    int64_t zp = zeroPointOf(c);
    if (!(m[c] != 0.0) || !std::isfinite(m[c]))
      return failure();
    if (m[c] < 0 && zp != 0)
      return failure();
    scales.push_back(s * std::fabs(m[c]));
    zeroPoints.push_back(m[c] < 0 ? -zp : zp);
  }

  SmallVector<float> values;
  int64_t i = 0;
  for (APFloat x : raw.getValues<APFloat>()) {
    int64_t c = channelOf(i++, weightType, conv.weightAxis);
    float s = static_cast<float>(scaleOf(c));
    float zp = static_cast<float>(zeroPointOf(c));
    float level = quantizeToLevel(x.convertToFloat(), s, zp,
                                  static_cast<float>(params->qmin),
                                  static_cast<float>(params->qmax));
    // Negating the minimum level of an asymmetric range would clip.
    if (m[c] < 0 && !symmetric && level == static_cast<float>(params->qmin))
      return failure();
    float dequantized = (level - zp) * s;
    values.push_back(static_cast<float>(dequantized * m[c]));
  }
  for (double s : scales)
    if (!(static_cast<float>(s) > 0.0f) || !std::isfinite(static_cast<float>(s)))
      return failure();

  auto storage = IntegerType::get(rewriter.getContext(), params->storageWidth);
  Type newType = quant::UniformQuantizedPerAxisType::get(
      params->isSigned ? quant::QuantizationFlags::Signed : 0, storage,
      rewriter.getF32Type(), scales, zeroPoints,
      static_cast<int32_t>(conv.weightAxis), params->qmin, params->qmax);
  Value constant = tosa::ConstOp::create(
      rewriter, loc, weightType,
      DenseElementsAttr::get(weightType, ArrayRef<float>(values)));
  return Value(FakeQuantOp::create(rewriter, loc, weightType, constant, newType));
}

/// The operand of a binary op that is not `v`'s side, if the op's other
/// operand is produced by a conv-like op.
struct ChainStep {
  Value producer;        ///< the non-constant operand
  SmallVector<double> k; ///< the per-channel constant
};

std::optional<ChainStep> matchStep(Value lhs, Value rhs,
                                   RankedTensorType type) {
  if (auto k = perChannel(rhs, type))
    return ChainStep{lhs, *k};
  if (auto k = perChannel(lhs, type))
    return ChainStep{rhs, *k};
  return std::nullopt;
}

bool zeroShift(tosa::MulOp op) {
  DenseElementsAttr shift;
  return matchPattern(op.getShift(), m_Constant(&shift)) &&
         llvm::all_of(shift.getValues<APInt>(),
                      [](const APInt &v) { return v.isZero(); });
}

/// A per-channel sign after a conv-like op: mul(convlike, s), s = +-1.
/// Left where negating the weights' levels would clip them (the lowest
/// level of [-128, 127]); the integer lowering multiplies the accumulator.
struct SignedConv {
  ConvLike conv;
  tosa::MulOp mul; ///< null when there is no sign
  SmallVector<double> sign;
};

std::optional<SignedConv> matchSignedConv(Value v, RankedTensorType type) {
  if (std::optional<ConvLike> conv = matchConvLike(v))
    return SignedConv{*conv, nullptr, SmallVector<double>()};
  auto mul = v.getDefiningOp<tosa::MulOp>();
  if (!mul || !v.hasOneUse() || isKeptFloat(mul) || !zeroShift(mul))
    return std::nullopt;
  std::optional<SmallVector<double>> sign = perChannel(mul.getInput2(), type);
  if (!sign || llvm::any_of(*sign, [](double x) { return x != 1 && x != -1; }))
    return std::nullopt;
  std::optional<ConvLike> conv = matchConvLike(mul.getInput1());
  if (!conv)
    return std::nullopt;
  return SignedConv{*conv, mul, *sign};
}

/// mul([sign *] convlike, m): m into the weights (and bias). Where a
/// negative m cannot negate a channel's levels, |m| goes into the weights
/// and the sign stays after the conv.
struct FoldMul : OpRewritePattern<tosa::MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::MulOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()) || !zeroShift(op))
      return failure();
    std::optional<ChainStep> step =
        matchStep(op.getInput1(), op.getInput2(), type);
    if (!step || step->producer.getType() != type)
      return failure();
    std::optional<SignedConv> signed_ = matchSignedConv(step->producer, type);
    if (!signed_)
      return failure();
    ConvLike &conv = signed_->conv;
    SmallVector<double> sign = signed_->mul
                                   ? signed_->sign
                                   : SmallVector<double>(conv.channels, 1.0);
    std::optional<SmallVector<double>> bias;
    if (conv.bias) {
      bias = biasValues(conv.bias->get(), conv.channels);
      if (!bias)
        return failure();
    }
    rewriter.setInsertionPoint(conv.op);
    SmallVector<double> m = step->k;
    FailureOr<Value> weight = scaleWeights(rewriter, conv, m);
    if (failed(weight)) {
      // A mul that is itself a sign: nothing to fold.
      if (llvm::all_of(m, [](double x) { return x == 1 || x == -1; }))
        return failure();
      for (int64_t c = 0; c < conv.channels; ++c) {
        sign[c] *= m[c] < 0 ? -1.0 : 1.0;
        m[c] = std::fabs(m[c]);
      }
      weight = scaleWeights(rewriter, conv, m);
      if (failed(weight))
        return failure();
    }
    rewriter.modifyOpInPlace(conv.op, [&] {
      conv.weight->set(*weight);
      if (bias) {
        for (int64_t c = 0; c < conv.channels; ++c)
          (*bias)[c] *= m[c];
        conv.bias->set(biasConst(rewriter, op.getLoc(), *bias));
      }
    });
    Value result = conv.op->getResult(0);
    if (llvm::any_of(sign, [](double x) { return x < 0; })) {
      rewriter.setInsertionPoint(op);
      Value signConst =
          perChannelConst(rewriter, op.getLoc(), type.getRank(), sign);
      result = tosa::MulOp::create(rewriter, op.getLoc(), type, result,
                                   signConst, op.getShift());
    }
    rewriter.replaceOp(op, result);
    if (signed_->mul)
      rewriter.eraseOp(signed_->mul);
    return success();
  }
};

/// add/sub(conv, c): c into the conv bias.
template <typename OpTy>
struct FoldAddIntoBias : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    constexpr bool isSub = std::is_same_v<OpTy, tosa::SubOp>;
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()))
      return failure();
    std::optional<SmallVector<double>> k = perChannel(op.getInput2(), type);
    Value producer = op.getInput1();
    if (!k && !isSub) { // add is commutative
      k = perChannel(op.getInput1(), type);
      producer = op.getInput2();
    }
    if (!k || producer.getType() != type)
      return failure();
    // Through a sign: s y + c = s (y + s c).
    std::optional<SignedConv> signed_ = matchSignedConv(producer, type);
    if (!signed_ || !signed_->conv.bias)
      return failure();
    std::optional<ConvLike> conv = signed_->conv;
    std::optional<SmallVector<double>> bias =
        biasValues(conv->bias->get(), conv->channels);
    if (!bias)
      return failure();
    for (int64_t c = 0; c < conv->channels; ++c) {
      double s = signed_->mul ? signed_->sign[c] : 1.0;
      (*bias)[c] += s * (isSub ? -(*k)[c] : (*k)[c]);
    }
    rewriter.setInsertionPoint(conv->op);
    Value newBias = biasConst(rewriter, op.getLoc(), *bias);
    rewriter.modifyOpInPlace(conv->op, [&] { conv->bias->set(newBias); });
    rewriter.replaceOp(op, producer);
    return success();
  }
};

/// `op(add(y, c_inner), c_outer)` with per-channel constants, the add used
/// only here and y produced by a conv-like op: the two steps, outer first.
std::optional<std::pair<ChainStep, ChainStep>>
matchStepOverAdd(Value lhs, Value rhs, RankedTensorType type) {
  std::optional<ChainStep> outer = matchStep(lhs, rhs, type);
  if (!outer)
    return std::nullopt;
  auto add = outer->producer.getDefiningOp<tosa::AddOp>();
  if (!add || !add->hasOneUse() || isKeptFloat(add))
    return std::nullopt;
  std::optional<ChainStep> inner =
      matchStep(add.getInput1(), add.getInput2(), type);
  if (!inner || inner->producer.getType() != type ||
      !matchConvLike(inner->producer))
    return std::nullopt;
  return std::make_pair(*outer, *inner);
}

/// mul(add(y, c), m) -> add(mul(y, m), c * m), and add(add(y, c1), c2) ->
/// add(y, c1 + c2), where y comes from a conv-like op (matmul's bias add
/// cannot be folded into the op, so it has to end up last and single).
struct Distribute : OpRewritePattern<tosa::MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::MulOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()) || !zeroShift(op))
      return failure();
    auto steps = matchStepOverAdd(op.getInput1(), op.getInput2(), type);
    if (!steps)
      return failure();
    auto &[mul, inner] = *steps;
    SmallVector<double> scaled;
    for (auto [c, m] : llvm::zip(inner.k, mul.k))
      scaled.push_back(c * m);
    Location loc = op.getLoc();
    Value mConst = perChannelConst(rewriter, loc, type.getRank(), mul.k);
    Value newMul = tosa::MulOp::create(rewriter, loc, type, inner.producer,
                                       mConst, op.getShift());
    Value cConst = perChannelConst(rewriter, loc, type.getRank(), scaled);
    rewriter.replaceOpWithNewOp<tosa::AddOp>(op, type, newMul, cConst);
    return success();
  }
};

struct MergeAdds : OpRewritePattern<tosa::AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::AddOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()))
      return failure();
    auto steps = matchStepOverAdd(op.getInput1(), op.getInput2(), type);
    if (!steps)
      return failure();
    auto &[outer, inner] = *steps;
    SmallVector<double> sum;
    for (auto [a, b] : llvm::zip(inner.k, outer.k))
      sum.push_back(a + b);
    Value cConst = perChannelConst(rewriter, op.getLoc(), type.getRank(), sum);
    rewriter.replaceOpWithNewOp<tosa::AddOp>(op, type, inner.producer, cConst);
    return success();
  }
};

struct QuantSimFoldAffineChainsPass
    : quantsim::impl::QuantSimFoldAffineChainsPassBase<
          QuantSimFoldAffineChainsPass> {
  void runOnOperation() override {
    if (isKeptFloat(getOperation()))
      return;
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldMul, FoldAddIntoBias<tosa::AddOp>,
                 FoldAddIntoBias<tosa::SubOp>, Distribute, MergeAdds>(
        &getContext());
    // No op folding: it would turn fake_quant(constant weights) into float
    // constants, and the QAT lowering needs them as fake_quant to quantize.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      signalPassFailure();
  }
};

} // namespace
