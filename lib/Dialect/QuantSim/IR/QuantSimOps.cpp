//===- QuantSimOps.cpp - quantsim operations ------------------------------===//
//
// Part of quant-opt. Verifiers and folders of fake_quant and observe.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/Numerics.h"
#include "quant-opt/Support/QuantParams.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantsim;

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

LogicalResult FakeQuantOp::verify() {
  return getQuantParams(getQtype(), getInput().getType(),
                        [&] { return emitOpError(); });
}

/// Applies `fn(x, scale, zeroPoint, qmin, qmax)` to every element of a
/// constant, with the parameters of the element's channel, in row-major
/// order. The channel of element i is (i / inner) % channels, with `inner`
/// the number of elements of the dims after the axis.
template <typename T, typename Range, typename Fn>
static SmallVector<T> mapValues(Range &&values, int64_t count,
                                RankedTensorType type,
                                const QuantParams &params, Fn fn) {
  SmallVector<float> scales, zeroPoints;
  for (auto [s, zp] : llvm::zip(params.scales, params.zeroPoints)) {
    scales.push_back(static_cast<float>(s));
    zeroPoints.push_back(static_cast<float>(zp));
  }
  float qmin = static_cast<float>(params.qmin);
  float qmax = static_cast<float>(params.qmax);
  int64_t inner = 1;
  if (params.isPerAxis())
    for (int64_t d = *params.axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  int64_t channels = static_cast<int64_t>(params.numChannels());

  SmallVector<T> result;
  result.reserve(count);
  int64_t index = 0;
  for (auto x : values) {
    int64_t c = params.isPerAxis() ? (index / inner) % channels : 0;
    result.push_back(fn(x, scales[c], zeroPoints[c], qmin, qmax));
    ++index;
  }
  return result;
}

/// mapValues over the elements of a float constant.
template <typename T, typename Fn>
static SmallVector<T> mapConstant(DenseElementsAttr input,
                                  RankedTensorType type,
                                  const QuantParams &params, Fn fn) {
  return mapValues<T>(input.getValues<float>(), input.getNumElements(), type,
                      params, fn);
}

/// A splat folds to a splat when its parameters are per tensor; per axis it
/// becomes one value per element. That expansion is left alone beyond this
/// many elements (a huge splat costs nothing until it is expanded).
static constexpr int64_t kMaxExpandedSplat = int64_t(1) << 24;

static bool tooLargeToExpand(DenseElementsAttr input,
                             const QuantParams &params) {
  return input.isSplat() && params.isPerAxis() &&
         input.getNumElements() > kMaxExpandedSplat;
}

/// Fake-quantizes a constant with the op's parameters.
static Attribute foldConstant(DenseElementsAttr input, RankedTensorType type,
                              const QuantParams &params) {
  if (tooLargeToExpand(input, params))
    return {};
  if (input.isSplat() && !params.isPerAxis())
    return DenseElementsAttr::get(
        type, fakeQuantize(input.getSplatValue<float>(),
                           static_cast<float>(params.scales[0]),
                           static_cast<float>(params.zeroPoints[0]),
                           static_cast<float>(params.qmin),
                           static_cast<float>(params.qmax)));
  SmallVector<float> result =
      mapConstant<float>(input, type, params, fakeQuantize);
  return DenseElementsAttr::get(type, ArrayRef<float>(result));
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  // Dequantized values re-quantize to themselves, so a repeated fake_quant
  // with the same parameters is the identity.
  if (auto producer = getInput().getDefiningOp<FakeQuantOp>())
    if (producer.getQtype() == getQtype())
      return getInput();

  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!input || !getType().hasStaticShape())
    return {};
  FailureOr<QuantParams> params = getQuantParams(
      getQtype(), getType(), [&] { return emitOpError(); });
  if (failed(params))
    return {};
  return foldConstant(input, getType(), *params);
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

/// Checks the parameters against the float side and the integer side's
/// shape and width.
static LogicalResult verifyQuantCast(Operation *op, Type qtype,
                                     RankedTensorType floatType,
                                     RankedTensorType intType) {
  FailureOr<QuantParams> params =
      getQuantParams(qtype, floatType, [&] { return op->emitOpError(); });
  if (failed(params))
    return failure();
  if (floatType.getShape() != intType.getShape())
    return op->emitOpError() << "float type " << floatType
                             << " and integer type " << intType
                             << " have different shapes";
  if (intType.getElementTypeBitWidth() != params->storageWidth)
    return op->emitOpError()
           << "integer element type " << intType.getElementType()
           << " does not match the " << params->storageWidth
           << "-bit storage of the quantization type";
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantCast(*this, getQtype(), getInput().getType(),
                         getOutput().getType());
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  // quantize(dequantize(q, T), T) == q: dequantized levels re-quantize to
  // themselves (storage of at most 16 bits).
  if (auto producer = getInput().getDefiningOp<DequantizeOp>())
    if (producer.getQtype() == getQtype() &&
        producer.getInput().getType() == getType())
      return producer.getInput();

  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  RankedTensorType inputType = getInput().getType();
  if (!input || !inputType.hasStaticShape())
    return {};
  FailureOr<QuantParams> params = getQuantParams(
      getQtype(), inputType, [&] { return emitOpError(); });
  if (failed(params))
    return {};
  unsigned width = params->storageWidth;
  bool isSigned = params->isSigned;
  auto level = [&](float x, float s, float zp, float lo, float hi) {
    float level = quantizeToLevel(x, s, zp, lo, hi);
    // An integer cannot hold NaN: it quantizes to the zero point.
    int64_t value = static_cast<int64_t>(std::isnan(level) ? zp : level);
    return APInt(width, static_cast<uint64_t>(value), isSigned);
  };
  if (input.isSplat() && !params->isPerAxis())
    return DenseElementsAttr::get(
        getType(), level(input.getSplatValue<float>(),
                         static_cast<float>(params->scales[0]),
                         static_cast<float>(params->zeroPoints[0]),
                         static_cast<float>(params->qmin),
                         static_cast<float>(params->qmax)));
  if (tooLargeToExpand(input, *params))
    return {};
  SmallVector<APInt> levels = mapConstant<APInt>(
      input, inputType, *params, level);
  return DenseElementsAttr::get(getType(), levels);
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantCast(*this, getQtype(), getOutput().getType(),
                         getInput().getType());
}

DenseElementsAttr DequantizeOp::evaluate(DenseElementsAttr input) {
  RankedTensorType type = getType();
  if (!type.hasStaticShape())
    return {};
  FailureOr<QuantParams> params =
      getQuantParams(getQtype(), type, [&] { return emitOpError(); });
  if (failed(params) || tooLargeToExpand(input, *params))
    return {};
  bool isSigned = params->isSigned;
  // What the lowering computes: the level converted exactly to f32, minus
  // the zero point, times the scale, both f32.
  auto value = [&](const APInt &q, float s, float zp, float, float) {
    float level = static_cast<float>(isSigned ? q.getSExtValue()
                                              : static_cast<int64_t>(
                                                    q.getZExtValue()));
    return (level - zp) * s;
  };
  if (input.isSplat() && !params->isPerAxis())
    return DenseElementsAttr::get(
        type, value(input.getSplatValue<APInt>(),
                    static_cast<float>(params->scales[0]),
                    static_cast<float>(params->zeroPoints[0]), 0, 0));
  SmallVector<float> result = mapValues<float>(
      input.getValues<APInt>(), input.getNumElements(), type, *params, value);
  return DenseElementsAttr::get(type, ArrayRef<float>(result));
}

//===----------------------------------------------------------------------===//
// ObserveOp
//===----------------------------------------------------------------------===//

LogicalResult ObserveOp::verify() {
  if (getName().empty())
    return emitOpError("observer name must not be empty");

  RankedTensorType type = getInput().getType();
  int64_t channels = 1;
  if (IntegerAttr axisAttr = getAxisAttr()) {
    int64_t axis = axisAttr.getInt();
    if (axis < 0 || axis >= type.getRank())
      return emitOpError() << "axis " << axis
                           << " is out of range for a tensor of rank "
                           << type.getRank();
    channels = type.getDimSize(axis);
    if (ShapedType::isDynamic(channels))
      return emitOpError() << "per-axis observer needs a static size along "
                              "axis "
                           << axis;
  }

  ObserverKind kind = getKind();
  if (kind == ObserverKind::MovingAverageMinMax) {
    FloatAttr momentumAttr = getMomentumAttr();
    if (!momentumAttr)
      return emitOpError(
          "a moving_average_min_max observer needs a 'momentum' attribute");
    double momentum = momentumAttr.getValueAsDouble();
    if (!(momentum > 0.0 && momentum <= 1.0))
      return emitOpError() << "momentum " << momentum << " must be in (0, 1]";
  } else if (getMomentum()) {
    return emitOpError("'momentum' only applies to a moving_average_min_max "
                       "observer");
  }

  // Signed view of the bin count: the attribute is a signless i64.
  int64_t bins = getBinsAttr() ? getBinsAttr().getInt() : 0;
  if (kind == ObserverKind::Histogram) {
    if (!getBinsAttr())
      return emitOpError("a histogram observer needs a 'bins' attribute");
    if (bins < 2)
      return emitOpError() << "a histogram needs at least 2 bins, got "
                           << bins;
    if (getAxis())
      return emitOpError("per-axis histogram observers are not supported");
  } else if (getBinsAttr()) {
    return emitOpError("'bins' only applies to a histogram observer");
  }

  if (IntegerAttr bitsAttr = getBitsAttr()) {
    int64_t b = bitsAttr.getInt();
    if (b < kMinStorageWidth || b > kMaxStorageWidth)
      return emitOpError() << "bits must be in [" << kMinStorageWidth << ", "
                           << kMaxStorageWidth << "], got " << b;
  }
  if (getNarrowRange() && !getIsSigned())
    return emitOpError("narrow_range needs signed storage (is_signed)");

  if (StatsAttr stats = getStatsAttr()) {
    if (static_cast<int64_t>(stats.getMin().size()) != channels)
      return emitOpError() << "statistics have " << stats.getMin().size()
                           << " channels but the observer has " << channels;
    if (kind == ObserverKind::Histogram) {
      if (static_cast<int64_t>(stats.getHistogram().size()) != bins)
        return emitOpError()
               << "statistics have " << stats.getHistogram().size()
               << " histogram bins but the observer has " << bins;
    } else if (!stats.getHistogram().empty()) {
      return emitOpError("statistics of a non-histogram observer must not "
                         "carry a histogram");
    }
  }
  return success();
}

#define GET_OP_CLASSES
#include "quant-opt/Dialect/QuantSim/IR/QuantSimOps.cpp.inc"

//===----------------------------------------------------------------------===//
// DotU8S8Op
//===----------------------------------------------------------------------===//

LogicalResult DotU8S8Op::verify() {
  int64_t lanes = getAcc().getType().getNumElements();
  int64_t bytes = getA().getType().getNumElements();
  if (bytes != 4 * lanes)
    return emitOpError() << "needs 4 bytes per accumulator lane: " << bytes
                         << " bytes for " << lanes << " lanes";
  return success();
}
