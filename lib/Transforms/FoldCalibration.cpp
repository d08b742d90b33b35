//===- FoldCalibration.cpp - observers to fake_quant ----------------------===//
//
// Part of quant-opt. Implements --quantsim-fold-calibration: each observer
// becomes a fake_quant with parameters from its statistics (activations) or
// from its constant input (weights), by the chosen range rule.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/Calibration.h"
#include "quant-opt/Support/QuantParams.h"
#include "quant-opt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMFOLDCALIBRATIONPASS
#include "quant-opt/Transforms/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

QuantScheme schemeOf(ObserveOp op) {
  QuantScheme scheme;
  scheme.bits = op.getStorageBits();
  scheme.isSigned = op.getIsSigned();
  scheme.symmetric = op.getSymmetric();
  scheme.narrowRange = op.getNarrowRange();
  return scheme;
}

/// Per-channel min/max of a constant along `axis` (or of all of it).
LogicalResult constantRanges(ObserveOp op, DenseElementsAttr values,
                             SmallVectorImpl<ChannelStatistics> &channels) {
  auto type = cast<RankedTensorType>(values.getType());
  std::optional<int64_t> axis = op.getAxis();
  int64_t count = axis ? type.getDimSize(*axis) : 1;
  int64_t inner = 1;
  if (axis)
    for (int64_t d = *axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  channels.assign(count, ChannelStatistics{});
  SmallVector<bool> seen(count, false);
  int64_t i = 0;
  for (APFloat v : values.getValues<APFloat>()) {
    double x = v.convertToDouble();
    int64_t c = axis ? (i / inner) % count : 0;
    ++i;
    if (!std::isfinite(x))
      return op.emitError() << "observer '" << op.getName()
                            << "' observes a constant with a non-finite value";
    ChannelStatistics &s = channels[c];
    s.min = seen[c] ? std::min(s.min, x) : x;
    s.max = seen[c] ? std::max(s.max, x) : x;
    seen[c] = true;
  }
  return success();
}

struct QuantSimFoldCalibrationPass
    : quantsim::impl::QuantSimFoldCalibrationPassBase<
          QuantSimFoldCalibrationPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    if (!(percentile > 0 && percentile <= 100))
      return emitError(UnknownLoc::get(context))
             << "percentile must be in (0, 100], got " << percentile;
    return success();
  }

  void runOnOperation() override {
    SmallVector<ObserveOp> observers(getOperation().getOps<ObserveOp>());
    for (ObserveOp op : observers)
      if (failed(fold(op)))
        return signalPassFailure();
  }

  LogicalResult fold(ObserveOp op) {
    SmallVector<ChannelStatistics> channels;
    DenseElementsAttr constant;
    CalibrationMethod rule = method;
    if (matchPattern(op.getInput(), m_Constant(&constant))) {
      if (failed(constantRanges(op, constant, channels)))
        return failure();
      rule = CalibrationMethod::MinMax;
    } else {
      StatsAttr stats = op.getStatsAttr();
      if (!stats)
        return op.emitError()
               << "observer '" << op.getName()
               << "' has no statistics: calibrate the module first "
                  "(quant-calibrate)";
      if (stats.getCount() == 0)
        return op.emitError() << "observer '" << op.getName()
                              << "' saw no finite value during calibration";
      bool hasHistogram = !stats.getHistogram().empty();
      if (method != CalibrationMethod::MinMax && !hasHistogram)
        return op.emitError()
               << "method '" << calibrationMethodName(method)
               << "' needs a histogram, but observer '" << op.getName()
               << "' is " << stringifyObserverKind(op.getKind())
               << " (insert observers with observer=histogram)";
      for (size_t c = 0; c < stats.getMin().size(); ++c) {
        ChannelStatistics s;
        s.min = stats.getMin()[c];
        s.max = stats.getMax()[c];
        if (hasHistogram) {
          s.histogram = stats.getHistogram();
          std::tie(s.histogramLo, s.histogramHi) = stats.getHistogramBounds();
        }
        channels.push_back(s);
      }
    }

    QuantScheme scheme = schemeOf(op);
    SmallVector<ScaleZeroPoint> params;
    for (const ChannelStatistics &s : channels) {
      auto [lo, hi] = chooseRange(rule, s, scheme, percentile);
      params.push_back(paramsForRange(lo, hi, scheme));
    }
    std::optional<int32_t> axis;
    if (op.getAxis())
      axis = static_cast<int32_t>(*op.getAxis());
    Type qtype = buildQuantType(&getContext(), scheme, params, axis);
    OpBuilder b(op);
    auto fq = FakeQuantOp::create(b, op.getLoc(), op.getInput(),
                                  TypeAttr::get(qtype));
    fq->setAttr(QuantSimDialect::ObserverAttrHelper::getNameStr(),
                op.getNameAttr());
    op.replaceAllUsesWith(fq.getResult());
    op.erase();
    return success();
  }
};

} // namespace
