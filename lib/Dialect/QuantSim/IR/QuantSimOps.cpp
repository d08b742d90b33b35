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

using namespace mlir;
using namespace mlir::quantsim;

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

LogicalResult FakeQuantOp::verify() {
  return getQuantParams(getQtype(), getInput().getType(),
                        [&] { return emitOpError(); });
}

/// Fake-quantizes a constant with the op's parameters.
static Attribute foldConstant(DenseElementsAttr input, RankedTensorType type,
                              const QuantParams &params) {
  SmallVector<float> scales, zeroPoints;
  for (double s : params.scales)
    scales.push_back(static_cast<float>(s));
  for (int64_t zp : params.zeroPoints)
    zeroPoints.push_back(static_cast<float>(zp));
  float qmin = static_cast<float>(params.qmin);
  float qmax = static_cast<float>(params.qmax);

  if (input.isSplat() && !params.isPerAxis())
    return DenseElementsAttr::get(
        type, fakeQuantize(input.getSplatValue<float>(), scales[0],
                           zeroPoints[0], qmin, qmax));

  // Elements are row-major: the channel of element i is
  // (i / inner) % channels, with `inner` the size of the dims after the axis.
  int64_t inner = 1;
  if (params.isPerAxis())
    for (int64_t d = *params.axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  int64_t channels = static_cast<int64_t>(params.numChannels());

  SmallVector<float> result;
  result.reserve(input.getNumElements());
  int64_t index = 0;
  for (float x : input.getValues<float>()) {
    int64_t c = params.isPerAxis() ? (index / inner) % channels : 0;
    result.push_back(fakeQuantize(x, scales[c], zeroPoints[c], qmin, qmax));
    ++index;
  }
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
