//===- PropagateRanges.cpp - ranges and parameters through the graph ------===//
//
// Part of quant-opt. Implements --quantsim-propagate-ranges: a sparse
// forward dataflow analysis of float intervals and quantization parameters,
// then the fake_quant ops and accumulator checks that follow from it.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/Calibration.h"
#include "quant-opt/Support/Numerics.h"
#include "quant-opt/Support/QuantParams.h"
#include "quant-opt/Transforms/Passes.h"

#include "ScaleKeeping.h"

#include "mlir/Analysis/DataFlow/SparseAnalysis.h"
#include "mlir/Analysis/DataFlow/Utils.h"
#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMPROPAGATERANGESPASS
#include "quant-opt/Transforms/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// The lattice: an interval and the quant type a value carries
//===----------------------------------------------------------------------===//

/// What is known of a float value: it lies in [lo, hi], and, when `qtype`
/// is set, it is already on that type's grid (a fake_quant result, or data
/// movement of one). Uninitialized is the bottom; the top is (-inf, inf)
/// with no type.
class QuantRange {
public:
  QuantRange() = default;
  QuantRange(double lo, double hi, Type qtype = {})
      : initialized(true), lo(lo), hi(hi), qtype(qtype) {}
  static QuantRange unknown() { return QuantRange(-kInf, kInf); }

  bool isUninitialized() const { return !initialized; }
  double getLo() const { return lo; }
  double getHi() const { return hi; }
  Type getQType() const { return qtype; }
  bool isBounded() const { return std::isfinite(lo) && std::isfinite(hi); }

  static QuantRange join(const QuantRange &a, const QuantRange &b) {
    if (a.isUninitialized())
      return b;
    if (b.isUninitialized())
      return a;
    return QuantRange(std::min(a.lo, b.lo), std::max(a.hi, b.hi),
                      a.qtype == b.qtype ? a.qtype : Type());
  }
  bool operator==(const QuantRange &o) const {
    return initialized == o.initialized && lo == o.lo && hi == o.hi &&
           qtype == o.qtype;
  }
  void print(raw_ostream &os) const {
    if (!initialized) {
      os << "<uninitialized>";
      return;
    }
    os << "[" << lo << ", " << hi << "]";
    if (qtype)
      os << " " << qtype;
  }

private:
  bool initialized = false;
  double lo = -kInf, hi = kInf;
  Type qtype;
};

using QuantRangeLattice = dataflow::Lattice<QuantRange>;

/// The real interval a quant type can represent (all channels).
std::pair<double, double> representable(const QuantParams &p) {
  double lo = kInf, hi = -kInf;
  for (size_t c = 0; c < p.scales.size(); ++c) {
    double s = static_cast<float>(p.scales[c]);
    lo = std::min(lo, (p.qmin - p.zeroPoints[c]) * s);
    hi = std::max(hi, (p.qmax - p.zeroPoints[c]) * s);
  }
  return {lo, hi};
}

std::optional<QuantParams> paramsOf(Type qtype, Type valueType) {
  auto tensor = dyn_cast<RankedTensorType>(valueType);
  if (!qtype || !tensor)
    return std::nullopt;
  // The type was verified on its fake_quant: no diagnostic can come here.
  FailureOr<QuantParams> p = getQuantParams(
      qtype, tensor, [&] { return emitError(UnknownLoc::get(qtype.getContext())); });
  if (failed(p))
    return std::nullopt;
  return *p;
}

/// A scalar f32 constant operand.
std::optional<double> scalarConstant(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()) || !attr.isSplat())
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

class QuantRangeAnalysis
    : public dataflow::SparseForwardDataFlowAnalysis<QuantRangeLattice> {
public:
  using SparseForwardDataFlowAnalysis::SparseForwardDataFlowAnalysis;

  void setToEntryState(QuantRangeLattice *lattice) override {
    propagateIfChanged(lattice, lattice->join(QuantRange::unknown()));
  }

  LogicalResult visitOperation(Operation *op,
                               ArrayRef<const QuantRangeLattice *> operands,
                               ArrayRef<QuantRangeLattice *> results) override {
    if (results.size() != 1) {
      setAllToEntryStates(results);
      return success();
    }
    auto in = [&](unsigned i) { return operands[i]->getValue(); };
    auto set = [&](const QuantRange &r) {
      propagateIfChanged(results[0], results[0]->join(r));
    };
    if (llvm::any_of(operands, [](const QuantRangeLattice *l) {
          return l->getValue().isUninitialized();
        }))
      return success(); // wait for the operands

    if (auto fq = dyn_cast<FakeQuantOp>(op)) {
      std::optional<QuantParams> p =
          paramsOf(fq.getQtype(), fq.getInput().getType());
      if (!p) {
        set(QuantRange::unknown());
        return success();
      }
      auto [lo, hi] = representable(*p);
      set(QuantRange(std::max(lo, in(0).getLo()), std::min(hi, in(0).getHi()),
                     fq.getQtype()));
    } else if (auto pad = dyn_cast<tosa::PadOp>(op)) {
      std::optional<double> v = scalarConstant(pad.getPadConst());
      QuantRange x = in(0);
      if (!v)
        set(QuantRange::unknown());
      else
        set(QuantRange(std::min(x.getLo(), *v), std::max(x.getHi(), *v),
                       x.getQType()));
    } else if (isa<ObserveOp>(op) || isScaleKeeping(op)) {
      set(in(0));
    } else if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
      auto bound = [](Attribute a, double fallback) {
        auto f = dyn_cast<FloatAttr>(a);
        return f ? f.getValueAsDouble() : fallback;
      };
      double lo = bound(clamp.getMinValAttr(), -kInf);
      double hi = bound(clamp.getMaxValAttr(), kInf);
      QuantRange x = in(0);
      set(QuantRange(std::max(x.getLo(), lo), std::min(x.getHi(), hi),
                     x.getQType()));
    } else if (auto concat = dyn_cast<tosa::ConcatOp>(op)) {
      QuantRange r = in(0);
      for (unsigned i = 1; i < operands.size(); ++i)
        r = QuantRange::join(r, in(i));
      set(r);
    } else if (isa<tosa::SigmoidOp>(op)) {
      set(QuantRange(0.0, 1.0));
    } else if (isa<tosa::TanhOp>(op)) {
      set(QuantRange(-1.0, 1.0));
    } else if (isa<tosa::AddOp>(op)) {
      set(QuantRange(in(0).getLo() + in(1).getLo(),
                     in(0).getHi() + in(1).getHi()));
    } else if (isa<tosa::SubOp>(op)) {
      set(QuantRange(in(0).getLo() - in(1).getHi(),
                     in(0).getHi() - in(1).getLo()));
    } else if (DenseElementsAttr attr;
               matchPattern(op->getResult(0), m_Constant(&attr)) &&
               isa<FloatType>(attr.getElementType())) {
      double lo = kInf, hi = -kInf;
      for (APFloat v : attr.getValues<APFloat>()) {
        lo = std::min(lo, v.convertToDouble());
        hi = std::max(hi, v.convertToDouble());
      }
      set(attr.empty() ? QuantRange::unknown() : QuantRange(lo, hi));
    } else {
      set(QuantRange::unknown());
    }
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// The fake_quant of a constant weight: its levels and parameters.
struct QuantizedWeight {
  DenseElementsAttr values;
  QuantParams params;
};

std::optional<QuantizedWeight> quantizedWeight(Value w) {
  auto fq = w.getDefiningOp<FakeQuantOp>();
  DenseElementsAttr values;
  if (!fq || !matchPattern(fq.getInput(), m_Constant(&values)))
    return std::nullopt;
  std::optional<QuantParams> p = paramsOf(fq.getQtype(), values.getType());
  if (!p)
    return std::nullopt;
  return QuantizedWeight{values, *p};
}

struct QuantSimPropagateRangesPass
    : quantsim::impl::QuantSimPropagateRangesPassBase<
          QuantSimPropagateRangesPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    if (overflow != "error" && overflow != "warn")
      return emitError(UnknownLoc::get(context))
             << "overflow must be error or warn, got '" << overflow << "'";
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || isKeptFloat(func))
      return;
    DataFlowSolver solver;
    dataflow::loadBaselineAnalyses(solver);
    solver.load<QuantRangeAnalysis>();
    if (failed(solver.initializeAndRun(func)))
      return signalPassFailure();
    auto stateOf = [&](Value v) {
      const QuantRangeLattice *l = solver.lookupState<QuantRangeLattice>(v);
      return l ? l->getValue() : QuantRange();
    };

    // Check before rewriting: the checks read the states of the original
    // values.
    bool failedCheck = false;
    func.walk([&](Operation *op) {
      if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(op) &&
          failed(checkAccumulator(op, stateOf(op->getOperand(0)))))
        failedCheck = true;
    });
    if (failedCheck)
      return signalPassFailure();

    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) { ops.push_back(op); });
    for (Operation *op : ops) {
      if (op->getNumResults() != 1 || isKeptFloat(op) ||
          !isa<RankedTensorType>(op->getResult(0).getType()) ||
          !cast<RankedTensorType>(op->getResult(0).getType())
               .getElementType()
               .isF32())
        continue;
      Value result = op->getResult(0);
      if (hasFakeQuantUser(result))
        continue;
      QuantRange r = stateOf(result);
      Type qtype;
      if ((isScaleKeeping(op) || isa<tosa::ClampOp, tosa::ConcatOp>(op)) &&
          r.getQType() && isPerTensor(r.getQType())) {
        qtype = r.getQType();
      } else if (isa<tosa::SigmoidOp, tosa::TanhOp>(op)) {
        qtype = fixedRangeType(op, stateOf(op->getOperand(0)).getQType());
      } else if (isa<tosa::AddOp, tosa::SubOp>(op)) {
        Type a = stateOf(op->getOperand(0)).getQType();
        Type b = stateOf(op->getOperand(1)).getQType();
        // A ReLU/clamp that is the single user fuses into the integer add:
        // the parameters go after it, for its narrower interval.
        if (auto clamp = dyn_cast_or_null<tosa::ClampOp>(
                result.hasOneUse() ? *result.getUsers().begin() : nullptr);
            clamp && !hasFakeQuantUser(clamp.getResult())) {
          op = clamp;
          result = clamp.getResult();
          r = stateOf(result);
        }
        if (r.isBounded() && a && b && isPerTensor(a) && isPerTensor(b)) {
          QuantScheme scheme = schemeOf(*paramsOf(a, result.getType()));
          qtype = buildQuantType(&getContext(), scheme,
                                 {paramsForRange(r.getLo(), r.getHi(), scheme)},
                                 std::nullopt);
        }
      }
      if (!qtype)
        continue;
      OpBuilder b(op->getContext());
      b.setInsertionPointAfter(op);
      auto fq = FakeQuantOp::create(b, op->getLoc(), result,
                                    TypeAttr::get(qtype));
      result.replaceAllUsesExcept(fq.getResult(), fq);
    }
  }

  static bool hasFakeQuantUser(Value v) {
    return llvm::any_of(v.getUsers(),
                        [](Operation *u) { return isa<FakeQuantOp>(u); });
  }

  static bool isPerTensor(Type qtype) {
    return isa<quant::UniformQuantizedType>(qtype);
  }

  /// Sigmoid/tanh outputs at the input's storage: 2^-bits steps over [0, 1]
  /// and 2^-(bits-1) over [-1, 1].
  Type fixedRangeType(Operation *op, Type inputType) {
    auto in = dyn_cast_or_null<quant::UniformQuantizedType>(inputType);
    if (!in)
      return {};
    QuantScheme scheme;
    scheme.bits = in.getStorageTypeIntegralWidth();
    scheme.isSigned = in.isSigned();
    ScaleZeroPoint p;
    if (isa<tosa::SigmoidOp>(op)) {
      p.scale = std::ldexp(1.0, -static_cast<int>(scheme.bits));
      p.zeroPoint = scheme.qmin();
    } else {
      p.scale = std::ldexp(1.0, 1 - static_cast<int>(scheme.bits));
      p.zeroPoint = scheme.isSigned ? 0 : (scheme.qmax() + 1) / 2;
    }
    return buildQuantType(&getContext(), scheme, {p}, std::nullopt);
  }

  /// Proves that the i32 accumulator of a quantized conv/matmul cannot
  /// overflow, or reports the op.
  LogicalResult checkAccumulator(Operation *op, const QuantRange &input);
};

LogicalResult
QuantSimPropagateRangesPass::checkAccumulator(Operation *op,
                                              const QuantRange &input) {
  std::optional<QuantizedWeight> w = quantizedWeight(op->getOperand(1));
  std::optional<QuantParams> x =
      paramsOf(input.getQType(), op->getOperand(0).getType());
  if (!w || !x || x->isPerAxis())
    return success(); // not a quantized island
  float sx = static_cast<float>(x->scales[0]);
  int64_t zx = x->zeroPoints[0];
  auto level = [&](double v) {
    return quantizeToLevel(static_cast<float>(v), sx, zx, x->qmin, x->qmax);
  };
  double lo = input.isBounded() ? level(input.getLo()) : x->qmin;
  double hi = input.isBounded() ? level(input.getHi()) : x->qmax;
  double maxX = std::max(std::fabs(lo - zx), std::fabs(hi - zx));

  // Sum of |w_q - z_w| per output channel.
  auto type = cast<RankedTensorType>(w->values.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = 1, channelStride = 1, channelDim = 0;
  if (isa<tosa::Conv2DOp>(op)) {
    channelDim = 0;
  } else if (isa<tosa::DepthwiseConv2DOp>(op)) {
    channelDim = -1; // (c, m) pairs: the last two dimensions
  } else {
    channelDim = 2;
  }
  if (channelDim >= 0) {
    channels = shape[channelDim];
    for (int64_t d = channelDim + 1; d < type.getRank(); ++d)
      channelStride *= shape[d];
  } else {
    channels = shape[2] * shape[3];
  }
  SmallVector<double> sumW(channels, 0.0);
  std::optional<int32_t> axis = w->params.axis;
  int64_t axisStride = 1;
  if (axis)
    for (int64_t d = *axis + 1; d < type.getRank(); ++d)
      axisStride *= shape[d];
  int64_t i = 0;
  for (APFloat v : w->values.getValues<APFloat>()) {
    size_t pc = axis ? (i / axisStride) % shape[*axis] : 0;
    int64_t zp = w->params.zeroPoints[pc];
    // The levels the lowering folds the weights to (fake_quant's f32 math).
    double q = quantizeToLevel(v.convertToFloat(),
                               static_cast<float>(w->params.scales[pc]), zp,
                               w->params.qmin, w->params.qmax);
    int64_t c = channelDim >= 0 ? (i / channelStride) % channels
                                : i % channels;
    sumW[c] += std::fabs(q - zp);
    ++i;
  }

  // Bias levels at scale s_x * s_w[c].
  DenseElementsAttr bias;
  Value biasValue;
  if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op))
    biasValue = op->getOperand(2);
  else if (auto add = dyn_cast_or_null<tosa::AddOp>(
               op->getResult(0).hasOneUse()
                   ? *op->getResult(0).getUsers().begin()
                   : nullptr))
    biasValue = add.getInput1() == op->getResult(0) ? add.getInput2()
                                                    : add.getInput1();
  if (biasValue)
    matchPattern(biasValue, m_Constant(&bias));
  SmallVector<double> biasValues;
  if (bias && isa<FloatType>(bias.getElementType()))
    for (APFloat v : bias.getValues<APFloat>())
      biasValues.push_back(v.convertToDouble());

  double worst = 0;
  int64_t worstChannel = 0;
  double firstBiasScale = 0;
  for (int64_t c = 0; c < channels; ++c) {
    size_t pc = w->params.isPerAxis() ? c % w->params.scales.size() : 0;
    double biasScale = sx * static_cast<float>(w->params.scales[pc]);
    if (c == 0)
      firstBiasScale = biasScale;
    double b = 0;
    if (!biasValues.empty())
      b = biasValues[biasValues.size() == 1 ? 0 : c % biasValues.size()];
    double bound = sumW[c] * maxX + std::fabs(std::nearbyint(b / biasScale));
    if (bound > worst) {
      worst = bound;
      worstChannel = c;
    }
  }
  constexpr double kMax = 2147483647.0;
  if (report)
    op->emitRemark() << llvm::formatv(
        "input in [{0}, {1}] ({2}); max |x_q - z_x| = {3}; bias scale "
        "s_x * s_w[0] = {4:e}; accumulator bound {5} (channel {6}) of "
        "2147483647",
        input.getLo(), input.getHi(), input.getQType(),
        static_cast<int64_t>(maxX), firstBiasScale,
        static_cast<int64_t>(worst), worstChannel);
  if (worst <= kMax)
    return success();
  auto message = llvm::formatv(
      "the i32 accumulator can overflow: channel {0} can reach {1} "
      "(sum |w_q - z_w| = {2} times max |x_q - z_x| = {3}, plus the bias) "
      "> 2147483647; use fewer input channels per op or a narrower range",
      worstChannel, static_cast<int64_t>(worst),
      static_cast<int64_t>(sumW[worstChannel]), static_cast<int64_t>(maxX));
  if (overflow == "warn") {
    op->emitWarning() << message.str();
    return success();
  }
  return op->emitError() << message.str();
}

} // namespace
