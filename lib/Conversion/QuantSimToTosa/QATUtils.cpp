//===- QATUtils.cpp - helpers of the QAT-graph lowering -------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "QATUtils.h"

#include "quant-opt/Support/FixedPoint.h"
#include "quant-opt/Support/Numerics.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::qat;

LogicalResult Context::fail(Operation *op, const Twine &message) const {
  if (diagnosed && diagnosed->insert(op).second)
    op->emitOpError() << message;
  return failure();
}

static std::optional<QuantParams> readParams(Type qtype) {
  FailureOr<QuantParams> params =
      getQuantParams(qtype, nullptr, [] { return InFlightDiagnostic(); });
  if (failed(params))
    return std::nullopt;
  return *params;
}

std::optional<Dequantized> qat::matchDequantized(Value v) {
  auto dq = v.getDefiningOp<DequantizeOp>();
  if (!dq)
    return std::nullopt;
  std::optional<QuantParams> params = readParams(dq.getQtype());
  if (!params || params->storageWidth != 8 || !params->isSigned)
    return std::nullopt;
  return Dequantized{dq, dq.getInput(), *params};
}

std::optional<Dequantized> qat::matchDequantizedPerTensor(Value v) {
  std::optional<Dequantized> dq = matchDequantized(v);
  if (!dq || dq->params.isPerAxis())
    return std::nullopt;
  return dq;
}

/// The single user of `v`, if it has exactly one use.
static Operation *singleUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

std::optional<QuantizedResult> qat::matchQuantizedResult(Value v,
                                                         bool allowBias) {
  QuantizedResult result{};
  Operation *user = singleUser(v);
  // An op kept float ends the island before it.
  if (user && isKeptFloat(user))
    return std::nullopt;
  if (allowBias) {
    if (auto add = dyn_cast_or_null<tosa::AddOp>(user)) {
      Value other = add.getInput1() == v ? add.getInput2() : add.getInput1();
      DenseElementsAttr bias;
      if (add.getInput1() != add.getInput2() &&
          matchPattern(other, m_Constant(&bias)) &&
          add.getType() == v.getType()) {
        result.biasAdd = add;
        result.bias = bias;
        v = add.getResult();
        user = singleUser(v);
        if (user && isKeptFloat(user))
          return std::nullopt;
      }
    }
  }
  if (auto clamp = dyn_cast_or_null<tosa::ClampOp>(user)) {
    if (isa<FloatAttr>(clamp.getMinValAttr())) {
      result.clamp = clamp;
      v = clamp.getResult();
      user = singleUser(v);
    }
  }
  auto quantize = dyn_cast_or_null<QuantizeOp>(user);
  if (!quantize)
    return std::nullopt;
  std::optional<QuantParams> params = readParams(quantize.getQtype());
  if (!params || params->isPerAxis() || params->storageWidth != 8 ||
      !params->isSigned)
    return std::nullopt;
  result.quantize = quantize;
  result.params = *params;
  return result;
}

std::pair<int64_t, int64_t>
qat::resultLevelRange(const QuantizedResult &result) {
  int64_t lo = result.params.qmin, hi = result.params.qmax;
  if (!result.clamp)
    return {lo, hi};
  float s = static_cast<float>(result.params.scales[0]);
  float zp = static_cast<float>(result.params.zeroPoints[0]);
  auto level = [&](Attribute bound) {
    float value = static_cast<float>(cast<FloatAttr>(bound).getValueAsDouble());
    return static_cast<int64_t>(quantizeToLevel(value, s, zp, lo, hi));
  };
  tosa::ClampOp clamp = result.clamp;
  return {level(clamp.getMinValAttr()), level(clamp.getMaxValAttr())};
}

Value qat::createConst(OpBuilder &b, Location loc, DenseElementsAttr value) {
  return tosa::ConstOp::create(b, loc, value.getType(), value);
}

Value qat::createZeroPoint(OpBuilder &b, Location loc, Type elementType,
                           int64_t value) {
  auto type = RankedTensorType::get({1}, elementType);
  unsigned width = elementType.getIntOrFloatBitWidth();
  return createConst(
      b, loc,
      DenseElementsAttr::get(
          type, APInt(width, static_cast<uint64_t>(value), /*isSigned=*/true)));
}

LogicalResult qat::checkRescales(Operation *anchor, const Context &ctx,
                                 ArrayRef<double> scales) {
  for (double scale : scales)
    if (!computeScaleMultiplier(scale))
      return ctx.fail(anchor,
                      llvm::formatv("requantization scale {0:e} has no 32-bit "
                                    "fixed-point multiplier (it must be "
                                    "positive and below 2^29)",
                                    scale));
  return success();
}

FailureOr<Value> qat::createRescale(OpBuilder &b, Location loc,
                                    Operation *anchor, const Context &ctx,
                                    Value input, ArrayRef<double> scales,
                                    int64_t inputZp, int64_t outputZp,
                                    Type outputElementType) {
  SmallVector<int32_t> multipliers;
  SmallVector<int8_t> shifts;
  if (failed(checkRescales(anchor, ctx, scales)))
    return failure();
  for (double scale : scales) {
    ScaleMultiplier sm = *computeScaleMultiplier(scale);
    multipliers.push_back(sm.multiplier);
    shifts.push_back(sm.shift);
  }
  int64_t n = static_cast<int64_t>(scales.size());
  Value multiplier = createConst(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({n}, b.getI32Type()),
                             ArrayRef<int32_t>(multipliers)));
  Value shift = createConst(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({n}, b.getI8Type()),
                             ArrayRef<int8_t>(shifts)));
  Type inputElementType = cast<ShapedType>(input.getType()).getElementType();
  Value izp = createZeroPoint(b, loc, inputElementType, inputZp);
  Value ozp = createZeroPoint(b, loc, outputElementType, outputZp);
  auto resultType = withElementType(input.getType(), outputElementType);
  return tosa::RescaleOp::create(
             b, loc, resultType, input, multiplier, shift, izp, ozp,
             b.getBoolAttr(true),
             tosa::RoundingModeAttr::get(b.getContext(), ctx.roundingMode),
             b.getBoolAttr(n > 1), b.getBoolAttr(false), b.getBoolAttr(false))
      .getResult();
}

Value qat::createIntClamp(OpBuilder &b, Location loc, Value input, int64_t lo,
                          int64_t hi) {
  auto type = cast<RankedTensorType>(input.getType());
  auto intType = cast<IntegerType>(type.getElementType());
  unsigned width = intType.getWidth();
  int64_t typeMin = -(int64_t{1} << (width - 1));
  int64_t typeMax = (int64_t{1} << (width - 1)) - 1;
  if (lo <= typeMin && hi >= typeMax)
    return input;
  return tosa::ClampOp::create(b, loc, type, input,
                               b.getIntegerAttr(intType, lo),
                               b.getIntegerAttr(intType, hi));
}

RankedTensorType qat::withElementType(Type shape, Type elementType) {
  return cast<RankedTensorType>(shape).clone(elementType);
}

void qat::replaceIsland(PatternRewriter &rewriter,
                        const QuantizedResult &result, Value value) {
  rewriter.replaceOp(result.quantize, value);
  // The epilogue ops had a single use each (the chain), now dead.
  if (result.clamp && result.clamp->use_empty())
    rewriter.eraseOp(result.clamp);
  if (result.biasAdd && result.biasAdd->use_empty())
    rewriter.eraseOp(result.biasAdd);
}
