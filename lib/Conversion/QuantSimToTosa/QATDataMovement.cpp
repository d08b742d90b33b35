//===- QATDataMovement.cpp - same-scale ops, pools, clamp, tables ---------===//
//
// Part of quant-opt. Ops whose integer form needs no accumulator: data
// movement (reshape, transpose, slice, pad, reverse, tile, concat) and
// max_pool2d run on the int8 levels directly, since a monotone quantizer
// commutes with them; avg_pool2d uses TOSA's integer average; clamp becomes
// an integer clamp; sigmoid and tanh become a 256-entry tosa.table. When the
// output parameters differ from the input's, a rescale requantizes.
//
//===----------------------------------------------------------------------===//

#include "QATUtils.h"

#include "quant-opt/Support/Numerics.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::qat;

static bool sameParams(const QuantParams &a, const QuantParams &b) {
  return a.scales[0] == b.scales[0] && a.zeroPoints[0] == b.zeroPoints[0];
}

/// Brings int8 levels `q` with parameters `in` to the island's output
/// parameters, then applies its level range (fused clamp, narrow range).
static FailureOr<Value> toResult(PatternRewriter &rewriter, Operation *anchor,
                                 const Context &ctx, Value q,
                                 const QuantParams &in,
                                 const QuantizedResult &result) {
  Value out = q;
  if (!sameParams(in, result.params)) {
    FailureOr<Value> rescaled = createRescale(
        rewriter, anchor->getLoc(), anchor, ctx, q,
        {in.scales[0] / result.params.scales[0]}, in.zeroPoints[0],
        result.params.zeroPoints[0], rewriter.getI8Type());
    if (failed(rescaled))
      return failure();
    out = *rescaled;
  }
  auto [lo, hi] = resultLevelRange(result);
  return createIntClamp(rewriter, anchor->getLoc(), out, lo, hi);
}

/// Finishes an island whose anchor became `value` on `in`'s parameters.
static LogicalResult finish(PatternRewriter &rewriter, Operation *anchor,
                            const Context &ctx, Value value,
                            const QuantParams &in,
                            const QuantizedResult &result) {
  FailureOr<Value> out = toResult(rewriter, anchor, ctx, value, in, result);
  if (failed(out))
    return failure();
  replaceIsland(rewriter, result, *out);
  if (anchor->use_empty())
    rewriter.eraseOp(anchor);
  return success();
}

/// A copy of `op` with operand 0 replaced by int8 levels and an i8 result.
static Operation *cloneOnLevels(PatternRewriter &rewriter, Operation *op,
                                Value levels) {
  Operation *clone = rewriter.clone(*op);
  clone->setOperand(0, levels);
  clone->getResult(0).setType(
      withElementType(op->getResult(0).getType(), rewriter.getI8Type()));
  return clone;
}

namespace {

/// Single-input data movement: the same op on the levels.
template <typename OpTy>
struct LowerDataMovement : OpRewritePattern<OpTy> {
  LowerDataMovement(MLIRContext *context, const Context &ctx)
      : OpRewritePattern<OpTy>(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    Operation *operation = op.getOperation();
    if (!isa<FloatType>(
            cast<ShapedType>(operation->getResult(0).getType())
                .getElementType()))
      return failure();
    std::optional<Dequantized> x =
        matchDequantizedPerTensor(operation->getOperand(0));
    std::optional<QuantizedResult> result =
        matchQuantizedResult(operation->getResult(0), /*allowBias=*/false);
    if (!x || !result ||
        failed(checkRescales(op, ctx,
                             {x->params.scales[0] / result->params.scales[0]})))
      return failure();
    if constexpr (std::is_same_v<OpTy, tosa::PadOp>) {
      if (!matchPattern(op.getPadConst(), m_Constant()))
        return ctx.fail(op, "pad value must be a constant to be quantized");
    }
    rewriter.setInsertionPoint(op);
    Operation *clone = cloneOnLevels(rewriter, operation, x->q);
    if constexpr (std::is_same_v<OpTy, tosa::PadOp>) {
      // The pad value becomes its level in the input's quantization.
      DenseElementsAttr padConst;
      (void)matchPattern(op.getPadConst(), m_Constant(&padConst));
      float value = padConst.getSplatValue<APFloat>().convertToFloat();
      float level = quantizeToLevel(
          value, static_cast<float>(x->params.scales[0]),
          static_cast<float>(x->params.zeroPoints[0]),
          static_cast<float>(x->params.qmin), static_cast<float>(x->params.qmax));
      clone->setOperand(2, createZeroPoint(rewriter, op.getLoc(),
                                           rewriter.getI8Type(),
                                           static_cast<int64_t>(level)));
    }
    return finish(rewriter, op, ctx, clone->getResult(0), x->params, *result);
  }

  const Context &ctx;
};

/// An i32 constant of rank `rank` (all dimensions 1), to broadcast.
static Value i32Scalar(OpBuilder &b, Location loc, int64_t rank, int32_t v) {
  auto type =
      RankedTensorType::get(SmallVector<int64_t>(rank, 1), b.getI32Type());
  return createConst(b, loc, DenseElementsAttr::get(type, v));
}

/// The integer `sum / 2^k` rounded to the nearest, ties to even, in i32:
/// (sum + 2^(k-1) - 1 + ((sum >> k) & 1)) >> k with arithmetic shifts, which
/// floor. tosa.rescale rounds ties up, and a 2x2 average of levels is a tie
/// for a quarter of its windows: DenseNet-121's transition pools biased
/// every later layer upwards and its logits a step low on 23% of them.
static Value divideHalfEven(OpBuilder &b, Location loc, Value sum, int64_t k) {
  auto type = cast<RankedTensorType>(sum.getType());
  auto scalar = [&](int32_t v) { return i32Scalar(b, loc, type.getRank(), v); };
  Value shift = scalar(k);
  Value quotient =
      tosa::ArithmeticRightShiftOp::create(b, loc, type, sum, shift, false);
  Value odd = tosa::BitwiseAndOp::create(b, loc, type, quotient, scalar(1));
  Value biased =
      tosa::AddOp::create(b, loc, type, sum, scalar((1 << (k - 1)) - 1));
  biased = tosa::AddOp::create(b, loc, type, biased, odd);
  return tosa::ArithmeticRightShiftOp::create(b, loc, type, biased, shift,
                                              false);
}

/// avg_pool2d. Without padding every window has kernel-area elements, so the
/// window sum is taken in i32 (a depthwise conv with all-ones weights) and
/// one rescale by s_in / (area * s_out) rounds once; with equal scales and
/// a power-of-two area the division rounds ties to even (divideHalfEven),
/// as the fake-quant graph's quantize does. With padding, TOSA's
/// integer average (which excludes padding from the count) on the input's
/// parameters, then a requantize.
struct LowerAvgPool : OpRewritePattern<tosa::AvgPool2dOp> {
  LowerAvgPool(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(tosa::AvgPool2dOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    if (!isa<FloatType>(op.getType().getElementType()))
      return failure();
    std::optional<Dequantized> x = matchDequantizedPerTensor(op.getInput());
    std::optional<QuantizedResult> result =
        matchQuantizedResult(op.getResult(), /*allowBias=*/false);
    if (!x || !result)
      return failure();
    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto inputType = cast<RankedTensorType>(x->q.getType());
    int64_t channels = inputType.getDimSize(3);
    ArrayRef<int64_t> kernel = op.getKernel();
    bool unpadded = llvm::all_of(op.getPad(), [](int64_t p) { return p == 0; });
    double area = static_cast<double>(kernel[0] * kernel[1]);
    double ratio = x->params.scales[0] / result->params.scales[0];
    if (failed(checkRescales(op, ctx, {ratio, ratio / area})))
      return failure();

    if (unpadded && !ShapedType::isDynamic(channels)) {
      auto weightType =
          RankedTensorType::get({kernel[0], kernel[1], channels, 1}, i8);
      Value ones = createConst(rewriter, loc,
                               DenseElementsAttr::get(weightType, int8_t(1)));
      Value bias = createConst(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({channels}, i32),
                                 int32_t(0)));
      Value sum = tosa::DepthwiseConv2DOp::create(
          rewriter, loc, withElementType(op.getType(), i32), x->q, ones, bias,
          createZeroPoint(rewriter, loc, i8, x->params.zeroPoints[0]),
          createZeroPoint(rewriter, loc, i8, 0), op.getPadAttr(),
          op.getStrideAttr(), rewriter.getDenseI64ArrayAttr({1, 1}),
          TypeAttr::get(i32));
      int64_t count = kernel[0] * kernel[1];
      FailureOr<Value> rescaled;
      if (x->params.scales[0] == result->params.scales[0] && count > 1 &&
          llvm::isPowerOf2_64(count)) {
        Value q = divideHalfEven(rewriter, loc, sum, llvm::Log2_64(count));
        auto qType = cast<RankedTensorType>(q.getType());
        Value zpOut =
            i32Scalar(rewriter, loc, qType.getRank(),
                      static_cast<int32_t>(result->params.zeroPoints[0]));
        q = tosa::AddOp::create(rewriter, loc, qType, q, zpOut);
        q = createIntClamp(rewriter, loc, q, -128, 127);
        rescaled = Value(
            tosa::CastOp::create(rewriter, loc, withElementType(qType, i8), q));
      } else {
        rescaled = createRescale(
            rewriter, loc, op, ctx, sum,
            {x->params.scales[0] / (area * result->params.scales[0])}, 0,
            result->params.zeroPoints[0], i8);
      }
      if (failed(rescaled))
        return failure();
      auto [lo, hi] = resultLevelRange(*result);
      replaceIsland(rewriter, *result,
                    createIntClamp(rewriter, loc, *rescaled, lo, hi));
      rewriter.eraseOp(op);
      return success();
    }

    Value zp = createZeroPoint(rewriter, loc, i8, x->params.zeroPoints[0]);
    Value pooled = tosa::AvgPool2dOp::create(
        rewriter, loc, withElementType(op.getType(), i8), x->q, zp, zp,
        op.getKernelAttr(), op.getStrideAttr(), op.getPadAttr(),
        TypeAttr::get(i32));
    return finish(rewriter, op, ctx, pooled, x->params, *result);
  }

  const Context &ctx;
};

/// Concat: inputs requantized to the output's parameters where they differ.
struct LowerConcat : OpRewritePattern<tosa::ConcatOp> {
  LowerConcat(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(tosa::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    if (!isa<FloatType>(op.getType().getElementType()))
      return failure();
    std::optional<QuantizedResult> result =
        matchQuantizedResult(op.getResult(), /*allowBias=*/false);
    if (!result)
      return failure();
    SmallVector<Dequantized> inputs;
    for (Value input : op.getInput1()) {
      std::optional<Dequantized> x = matchDequantizedPerTensor(input);
      if (!x)
        return failure();
      inputs.push_back(*x);
      if (failed(checkRescales(
              op, ctx, {x->params.scales[0] / result->params.scales[0]})))
        return failure();
    }
    Location loc = op.getLoc();
    SmallVector<Value> levels;
    for (const Dequantized &x : inputs) {
      if (sameParams(x.params, result->params)) {
        levels.push_back(x.q);
        continue;
      }
      FailureOr<Value> rescaled = createRescale(
          rewriter, loc, op, ctx, x.q,
          {x.params.scales[0] / result->params.scales[0]},
          x.params.zeroPoints[0], result->params.zeroPoints[0],
          rewriter.getI8Type());
      if (failed(rescaled))
        return failure();
      levels.push_back(*rescaled);
    }
    Value concat = tosa::ConcatOp::create(
        rewriter, loc, withElementType(op.getType(), rewriter.getI8Type()),
        levels, op.getAxisAttr());
    return finish(rewriter, op, ctx, concat, result->params, *result);
  }

  const Context &ctx;
};

/// A clamp that is not the epilogue of another island.
struct LowerClamp : OpRewritePattern<tosa::ClampOp> {
  LowerClamp(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(tosa::ClampOp op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    if (!isa<FloatAttr>(op.getMinValAttr()))
      return failure();
    std::optional<Dequantized> x = matchDequantizedPerTensor(op.getInput());
    std::optional<QuantizedResult> island =
        matchQuantizedResult(op.getResult(), /*allowBias=*/false);
    if (!x || !island || island->clamp ||
        failed(checkRescales(op, ctx,
                             {x->params.scales[0] / island->params.scales[0]})))
      return failure();
    island->clamp = op;
    FailureOr<Value> out =
        toResult(rewriter, op, ctx, x->q, x->params, *island);
    if (failed(out))
      return failure();
    rewriter.replaceOp(island->quantize, *out);
    rewriter.eraseOp(op);
    return success();
  }

  const Context &ctx;
};

/// tosa.table on the int8 levels `q` (parameters `in`): entry `level` is
/// Q_out(f(DQ_in(level))) on the levels [lo, hi], computed in f32.
static Value createLevelTable(PatternRewriter &rewriter, Location loc,
                              Type resultType, Value q, const QuantParams &in,
                              float sOut, float zOut, float lo, float hi,
                              function_ref<float(float)> f) {
  float sIn = static_cast<float>(in.scales[0]);
  float zIn = static_cast<float>(in.zeroPoints[0]);
  SmallVector<int8_t> table;
  for (int level = -128; level <= 127; ++level) {
    float real = (static_cast<float>(level) - zIn) * sIn;
    table.push_back(
        static_cast<int8_t>(quantizeToLevel(f(real), sOut, zOut, lo, hi)));
  }
  Type i8 = rewriter.getI8Type();
  Value tableConst = createConst(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({256}, i8),
                             ArrayRef<int8_t>(table)));
  return tosa::TableOp::create(rewriter, loc, resultType, q, tableConst);
}

/// sigmoid / tanh: out level = Q_out(f(DQ_in(level))) for all 256 levels.
template <typename OpTy>
struct LowerTable : OpRewritePattern<OpTy> {
  LowerTable(MLIRContext *context, const Context &ctx, float (*fn)(float))
      : OpRewritePattern<OpTy>(context), ctx(ctx), fn(fn) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(op))
      return failure();
    if (!isa<FloatType>(op.getType().getElementType()))
      return failure();
    std::optional<Dequantized> x =
        matchDequantizedPerTensor(op->getOperand(0));
    std::optional<QuantizedResult> result =
        matchQuantizedResult(op.getResult(), /*allowBias=*/false);
    if (!x || !result)
      return failure();
    auto [lo, hi] = resultLevelRange(*result);
    Value out = createLevelTable(
        rewriter, op.getLoc(),
        withElementType(op.getType(), rewriter.getI8Type()), x->q, x->params,
        static_cast<float>(result->params.scales[0]),
        static_cast<float>(result->params.zeroPoints[0]),
        static_cast<float>(lo), static_cast<float>(hi), fn);
    replaceIsland(rewriter, *result, out);
    rewriter.eraseOp(op);
    return success();
  }

  const Context &ctx;
  float (*fn)(float);
};

float sigmoidF32(float x);

/// The scalar value of a constant whose elements are all equal.
static std::optional<float> scalarConstant(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()) || attr.getNumElements() == 0)
    return std::nullopt;
  auto values = attr.getValues<APFloat>();
  float first = values[0].convertToFloat();
  for (APFloat x : values)
    if (x.convertToFloat() != first)
      return std::nullopt;
  return first;
}

/// Any function of one quantized value built from elementwise float ops and
/// scalar constants (HardSigmoid's mul-add-clamp, HardSwish's x * that,
/// SiLU's x * sigmoid(x), a scalar affine map): its 256 results are
/// tabulated, as for sigmoid and tanh. Evaluation is in f32, op by op, as
/// the fake-quant graph computes it.
struct LowerElementwiseTable : OpRewritePattern<QuantizeOp> {
  LowerElementwiseTable(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context, /*benefit=*/0), ctx(ctx) {}

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto qtype = dyn_cast<quant::UniformQuantizedType>(quantize.getQtype());
    auto resultType = dyn_cast<RankedTensorType>(quantize.getType());
    if (!qtype || !resultType || qtype.getStorageTypeIntegralWidth() != 8)
      return failure();
    Value root = quantize.getInput();
    auto rootType = dyn_cast<RankedTensorType>(root.getType());
    if (!rootType || !rootType.getElementType().isF32())
      return failure();

    // The ops between one dequantize and the quantize, in use-def order.
    SmallVector<Operation *> ops;
    llvm::SmallPtrSet<Operation *, 8> inside;
    std::optional<Dequantized> leaf;
    bool nonTrivial = false;
    SmallVector<Value> stack{root};
    while (!stack.empty()) {
      Value v = stack.pop_back_val();
      Operation *def = v.getDefiningOp();
      if (!def || inside.contains(def))
        continue;
      if (auto dq = matchDequantizedPerTensor(v)) {
        if (leaf && leaf->op != dq->op)
          return failure(); // two quantized inputs
        leaf = dq;
        continue;
      }
      if (scalarConstant(v))
        continue;
      if (!isa<tosa::MulOp, tosa::AddOp, tosa::SubOp, tosa::ClampOp,
               tosa::SigmoidOp, tosa::TanhOp, tosa::ExpOp, tosa::ReciprocalOp,
               tosa::AbsOp, tosa::MaximumOp, tosa::MinimumOp>(def) ||
          isKeptFloat(def))
        return failure();
      if (cast<RankedTensorType>(def->getResult(0).getType()).getShape() !=
          rootType.getShape())
        return failure(); // broadcasts to a larger shape
      nonTrivial |= !isa<tosa::ClampOp, tosa::SigmoidOp, tosa::TanhOp>(def);
      inside.insert(def);
      ops.push_back(def);
      // tosa.mul's third operand is its (integer) shift.
      for (Value operand : def->getOperands().take_front(
               isa<tosa::MulOp>(def) ? 2 : def->getNumOperands()))
        stack.push_back(operand);
    }
    if (!leaf || !nonTrivial ||
        leaf->q.getType() != RankedTensorType::get(rootType.getShape(),
                                                   rewriter.getI8Type()))
      return failure();
    // Every intermediate value is used only inside (or is the root).
    for (Operation *op : ops)
      for (Operation *user : op->getResult(0).getUsers())
        if (!inside.contains(user) && user != quantize)
          return failure();

    // Evaluate in program order (the ops of one block).
    if (llvm::any_of(ops, [&](Operation *op) {
          return op->getBlock() != quantize->getBlock();
        }))
      return failure();
    llvm::sort(ops, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    // The scalar constants, read once.
    llvm::DenseMap<Value, float> constants;
    for (Operation *op : ops)
      for (Value operand : op->getOperands())
        if (std::optional<float> c = scalarConstant(operand))
          constants[operand] = *c;
    llvm::DenseMap<Value, float> values;
    auto evaluate = [&](float real) {
      values = constants;
      values[leaf->op.getResult()] = real;
      auto get = [&](Value v) { return values.lookup(v); };
      for (Operation *op : ops) {
        float y;
        if (isa<tosa::MulOp>(op))
          y = get(op->getOperand(0)) * get(op->getOperand(1));
        else if (isa<tosa::AddOp>(op))
          y = get(op->getOperand(0)) + get(op->getOperand(1));
        else if (isa<tosa::SubOp>(op))
          y = get(op->getOperand(0)) - get(op->getOperand(1));
        else if (isa<tosa::MaximumOp>(op))
          y = std::max(get(op->getOperand(0)), get(op->getOperand(1)));
        else if (isa<tosa::MinimumOp>(op))
          y = std::min(get(op->getOperand(0)), get(op->getOperand(1)));
        else if (auto clamp = dyn_cast<tosa::ClampOp>(op))
          y = std::clamp(get(clamp.getInput()),
                         cast<FloatAttr>(clamp.getMinValAttr()).getValue().convertToFloat(),
                         cast<FloatAttr>(clamp.getMaxValAttr()).getValue().convertToFloat());
        else if (isa<tosa::SigmoidOp>(op))
          y = sigmoidF32(get(op->getOperand(0)));
        else if (isa<tosa::TanhOp>(op))
          y = std::tanh(get(op->getOperand(0)));
        else if (isa<tosa::ExpOp>(op))
          y = std::exp(get(op->getOperand(0)));
        else if (isa<tosa::ReciprocalOp>(op))
          y = 1.0f / get(op->getOperand(0));
        else
          y = std::fabs(get(op->getOperand(0)));
        values[op->getResult(0)] = y;
      }
      return values.lookup(root);
    };
    Value out = createLevelTable(
        rewriter, quantize.getLoc(), quantize.getType(), leaf->q,
        leaf->params, static_cast<float>(qtype.getScale()),
        static_cast<float>(qtype.getZeroPoint()),
        static_cast<float>(qtype.getStorageTypeMin()),
        static_cast<float>(qtype.getStorageTypeMax()), evaluate);
    rewriter.replaceOp(quantize, out);
    for (Operation *op : llvm::reverse(ops))
      if (op->use_empty())
        rewriter.eraseOp(op);
    return success();
  }

  const Context &ctx;
};

float sigmoidF32(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float tanhF32(float x) { return std::tanh(x); }

} // namespace

void qat::populateQATDataMovementPatterns(RewritePatternSet &patterns,
                                          const Context &ctx) {
  MLIRContext *context = patterns.getContext();
  patterns.add<LowerDataMovement<tosa::ReshapeOp>,
               LowerDataMovement<tosa::TransposeOp>,
               LowerDataMovement<tosa::SliceOp>,
               LowerDataMovement<tosa::PadOp>,
               LowerDataMovement<tosa::ReverseOp>,
               LowerDataMovement<tosa::TileOp>,
               LowerDataMovement<tosa::MaxPool2dOp>, LowerAvgPool, LowerConcat,
               LowerClamp>(context, ctx);
  patterns.add<LowerTable<tosa::SigmoidOp>>(context, ctx, sigmoidF32);
  patterns.add<LowerElementwiseTable>(context, ctx);
  patterns.add<LowerTable<tosa::TanhOp>>(context, ctx, tanhF32);
}
