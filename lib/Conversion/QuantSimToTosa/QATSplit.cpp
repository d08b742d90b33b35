//===- QATSplit.cpp - fake_quant to quantize/dequantize, requantize -------===//
//
// Part of quant-opt. The first and last steps of the QAT lowering:
// fake_quant(x, T) becomes dequantize(quantize(x, T'), T') with T' the
// signed-storage equivalent of T, and quantize(dequantize(q, T1), T2)
// becomes a tosa.rescale.
//
//===----------------------------------------------------------------------===//

#include "QATUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::qat;

/// The signed-storage type that represents the same real values as `type`:
/// unsigned levels shifted down by 2^(w-1), zero point and range with them.
/// u8 zp 128 [0, 255] becomes i8 zp 0 [-128, 127]. Quantizing with either
/// gives levels that differ by exactly 2^(w-1), so dequantized values agree
/// to the bit. This is how TOSA, whose int8 ops are signed, carries u8 data.
static Type toSignedStorage(Type qtype) {
  auto quantType = cast<quant::QuantizedType>(qtype);
  if (quantType.isSigned())
    return qtype;
  unsigned width = quantType.getStorageTypeIntegralWidth();
  int64_t offset = int64_t{1} << (width - 1);
  auto storage = IntegerType::get(qtype.getContext(), width);
  int64_t qmin = quantType.getStorageTypeMin() - offset;
  int64_t qmax = quantType.getStorageTypeMax() - offset;
  unsigned flags = quant::QuantizationFlags::Signed;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(qtype))
    return quant::UniformQuantizedType::get(
        flags, storage, uniform.getExpressedType(), uniform.getScale(),
        uniform.getZeroPoint() - offset, qmin, qmax);
  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(qtype);
  SmallVector<int64_t> zeroPoints;
  for (int64_t zp : perAxis.getZeroPoints())
    zeroPoints.push_back(zp - offset);
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, perAxis.getExpressedType(), perAxis.getScales(),
      zeroPoints, perAxis.getQuantizedDimension(), qmin, qmax);
}

namespace {

/// quantize(dequantize(q, T1), T2), T1 != T2: requantize in integers.
struct Requantize : OpRewritePattern<QuantizeOp> {
  Requantize(MLIRContext *context, const Context &ctx)
      : OpRewritePattern(context), ctx(ctx) {}

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<Dequantized> in = matchDequantizedPerTensor(op.getInput());
    if (!in)
      return failure();
    FailureOr<QuantParams> out = getQuantParams(
        op.getQtype(), op.getInput().getType(), [&] { return op.emitOpError(); });
    if (failed(out) || out->isPerAxis() || out->storageWidth != 8 ||
        !out->isSigned)
      return failure();
    double ratio = in->params.scales[0] / out->scales[0];
    if (failed(checkRescales(op, ctx, {ratio})))
      return failure();
    FailureOr<Value> rescaled = createRescale(
        rewriter, op.getLoc(), op, ctx, in->q, {ratio},
        in->params.zeroPoints[0],
        out->zeroPoints[0], rewriter.getI8Type());
    if (failed(rescaled))
      return failure();
    Value result = createIntClamp(rewriter, op.getLoc(), *rescaled, out->qmin,
                                  out->qmax);
    rewriter.replaceOp(op, result);
    return success();
  }

  const Context &ctx;
};

/// quantize(reshape/transpose(v)) -> reshape/transpose(quantize(v)): exact
/// for per-tensor parameters (quantization is elementwise), and it exposes
/// islands that an importer hides behind data movement, such as ONNX Gemm's
/// matmul -> bias add -> reshape -> quantize.
template <typename OpTy>
struct QuantizeBeforeDataMovement : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern<QuantizeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto move = op.getInput().getDefiningOp<OpTy>();
    if (!move || !move->hasOneUse() || isKeptFloat(move) ||
        move->getOperand(0).template getDefiningOp<DequantizeOp>())
      return failure(); // dequantize -> move -> quantize is an island already
    auto qtype = dyn_cast<quant::UniformQuantizedType>(op.getQtype());
    if (!qtype)
      return failure();
    Value source = move->getOperand(0);
    auto sourceType = cast<RankedTensorType>(source.getType());
    Value q = QuantizeOp::create(
        rewriter, op.getLoc(),
        withElementType(sourceType, op.getType().getElementType()), source,
        op.getQtype());
    Operation *moved = rewriter.clone(*move);
    moved->setOperand(0, q);
    moved->getResult(0).setType(op.getType());
    rewriter.replaceOp(op, moved->getResults());
    rewriter.eraseOp(move);
    return success();
  }
};

/// clamp(clamp(x)) -> one clamp on the intersection of the ranges (a ReLU
/// followed by a Clip, as exporters write ReLU6): exact, and the island's
/// epilogue has room for one clamp.
struct MergeClamps : OpRewritePattern<tosa::ClampOp> {
  using OpRewritePattern<tosa::ClampOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ClampOp outer,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(outer))
      return failure();
    auto inner = outer.getInput().getDefiningOp<tosa::ClampOp>();
    if (!inner || !inner->hasOneUse() || isKeptFloat(inner))
      return failure();
    auto lo1 = dyn_cast<FloatAttr>(inner.getMinValAttr());
    auto hi1 = dyn_cast<FloatAttr>(inner.getMaxValAttr());
    auto lo2 = dyn_cast<FloatAttr>(outer.getMinValAttr());
    auto hi2 = dyn_cast<FloatAttr>(outer.getMaxValAttr());
    if (!lo1 || !hi1 || !lo2 || !hi2)
      return failure();
    double lo = std::max(lo1.getValueAsDouble(), lo2.getValueAsDouble());
    double hi = std::min(hi1.getValueAsDouble(), hi2.getValueAsDouble());
    if (lo > hi)
      return failure();
    rewriter.replaceOpWithNewOp<tosa::ClampOp>(
        outer, outer.getType(), inner.getInput(),
        rewriter.getFloatAttr(lo1.getType(), lo),
        rewriter.getFloatAttr(hi1.getType(), hi), outer.getNanMode());
    rewriter.eraseOp(inner);
    return success();
  }
};

/// quantize(concat(a, b, ...)) -> concat(quantize(a), quantize(b), ...) for
/// per-tensor parameters (quantization is elementwise): exposes the islands
/// of ops whose results are only concatenated before their fake-quant, such
/// as the per-group convolutions of an imported grouped conv.
struct QuantizeBeforeConcat : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern<QuantizeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto concat = op.getInput().getDefiningOp<tosa::ConcatOp>();
    if (!concat || !concat->hasOneUse() || isKeptFloat(concat) ||
        !isa<quant::UniformQuantizedType>(op.getQtype()))
      return failure();
    // Only when every operand is computed by an op (not already quantized
    // data: dequantize -> concat -> quantize is an island already).
    for (Value v : concat.getInput1())
      if (!v.getDefiningOp() || v.getDefiningOp<DequantizeOp>() ||
          !v.hasOneUse())
        return failure();
    Type element = op.getType().getElementType();
    SmallVector<Value> parts;
    for (Value v : concat.getInput1())
      parts.push_back(QuantizeOp::create(
          rewriter, op.getLoc(),
          withElementType(v.getType(), element), v, op.getQtype()));
    rewriter.replaceOpWithNewOp<tosa::ConcatOp>(op, op.getType(), parts,
                                                concat.getAxisAttr());
    rewriter.eraseOp(concat);
    return success();
  }
};

/// move(dequantize(q)) -> dequantize(move(q)) for reshape, transpose, slice
/// and max pool (exact for per-tensor parameters: dequantization is
/// elementwise and increasing): the mirror of QuantizeBeforeDataMovement,
/// for islands whose inputs an importer reshapes or crops first (ONNX
/// Gemm's 2-D input made 3-D for matmul, the rows a strided window never
/// reads), and for same-scale ops that an exporter left without a
/// fake-quant of their own (eager-mode QAT's pools).
template <typename OpTy>
struct DequantizeAfterDataMovement : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy move,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(move))
      return failure();
    auto dq = move->getOperand(0).template getDefiningOp<DequantizeOp>();
    if (!dq || !isa<quant::UniformQuantizedType>(dq.getQtype()))
      return failure();
    auto resultType = cast<RankedTensorType>(move->getResult(0).getType());
    Operation *moved = rewriter.clone(*move);
    moved->setOperand(0, dq.getInput());
    moved->getResult(0).setType(
        resultType.clone(dq.getInput().getType().getElementType()));
    rewriter.replaceOpWithNewOp<DequantizeOp>(move, resultType,
                                              moved->getResult(0),
                                              dq.getQtype());
    return success();
  }
};

/// clamp(reshape/transpose(v)) -> reshape/transpose(clamp(v)) for float
/// clamps: an elementwise op commutes with data movement, and moving it up
/// lets a reshape that an importer put between a bias add and its ReLU
/// (ONNX Gemm + Relu) reach the quantize, so the island is complete.
template <typename OpTy>
struct ClampBeforeDataMovement : OpRewritePattern<tosa::ClampOp> {
  using OpRewritePattern<tosa::ClampOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ClampOp clamp,
                                PatternRewriter &rewriter) const override {
    if (isKeptFloat(clamp))
      return failure();
    auto move = clamp.getInput().getDefiningOp<OpTy>();
    if (!move || !move->hasOneUse() || isKeptFloat(move) ||
        !isa<FloatAttr>(clamp.getMinValAttr()))
      return failure();
    Value source = move->getOperand(0);
    Value clamped = tosa::ClampOp::create(
        rewriter, clamp.getLoc(), source.getType(), source,
        clamp.getMinValAttr(), clamp.getMaxValAttr(), clamp.getNanMode());
    Operation *moved = rewriter.clone(*move);
    moved->setOperand(0, clamped);
    rewriter.replaceOp(clamp, moved->getResults());
    rewriter.eraseOp(move);
    return success();
  }
};

} // namespace

void qat::splitFakeQuants(Operation *root) {
  IRRewriter rewriter(root->getContext());
  root->walk([&](FakeQuantOp op) {
    rewriter.setInsertionPoint(op);
    Type qtype = toSignedStorage(op.getQtype());
    auto quantType = cast<quant::QuantizedType>(qtype);
    auto intType = withElementType(
        op.getType(),
        rewriter.getIntegerType(quantType.getStorageTypeIntegralWidth()));
    Value q = QuantizeOp::create(rewriter, op.getLoc(), intType,
                                 op.getInput(), qtype);
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, op.getType(), q, qtype);
  });
}

void qat::populateQATSplitPatterns(RewritePatternSet &patterns,
                                   const Context &ctx) {
  patterns.add<Requantize>(patterns.getContext(), ctx);
  patterns.add<QuantizeBeforeConcat, MergeClamps>(patterns.getContext());
  patterns.add<QuantizeBeforeDataMovement<tosa::ReshapeOp>,
               QuantizeBeforeDataMovement<tosa::TransposeOp>,
               DequantizeAfterDataMovement<tosa::ReshapeOp>,
               DequantizeAfterDataMovement<tosa::TransposeOp>,
               DequantizeAfterDataMovement<tosa::SliceOp>,
               DequantizeAfterDataMovement<tosa::MaxPool2dOp>,
               ClampBeforeDataMovement<tosa::ReshapeOp>,
               ClampBeforeDataMovement<tosa::TransposeOp>>(
      patterns.getContext());
}
