//===- InsertObservers.cpp - instrument a float graph for PTQ -------------===//
//
// Part of quant-opt. Implements --quantsim-insert-observers: observers on
// the activations and weights of the ops to quantize, each carrying the
// scheme it will be folded into.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/Locations.h"
#include "quant-opt/Transforms/Observers.h"
#include "quant-opt/Transforms/Passes.h"

#include "ScaleKeeping.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMINSERTOBSERVERSPASS
#include "quant-opt/Transforms/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// The value whose parameters `v` inherits through scale-keeping ops (and
/// observers already inserted).
Value sourceOf(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isScaleKeeping(def) && !isa<ObserveOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

bool isConstant(Value v) { return matchPattern(v, m_Constant()); }

/// The single user of `v`, if it has exactly one use.
Operation *singleUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

/// Where the integer lowering expects an op's output fake_quant: after a
/// constant bias add and a clamp, with reshapes between them, each the
/// single user of the value before. Trailing reshapes are not part of it:
/// the value before them is the one other ops see as their source.
Value epilogueEnd(Value v) {
  bool biasSeen = false, clampSeen = false;
  Value end = v;
  while (Operation *user = singleUser(v)) {
    if (auto add = dyn_cast<tosa::AddOp>(user); add && !biasSeen &&
        !clampSeen && (isConstant(add.getInput1()) ||
                       isConstant(add.getInput2()))) {
      biasSeen = true;
      end = user->getResult(0);
    } else if (isa<tosa::ClampOp>(user) && !clampSeen) {
      clampSeen = true;
      end = user->getResult(0);
    } else if (!isa<tosa::ReshapeOp>(user)) {
      break;
    }
    v = user->getResult(0);
  }
  return end;
}

/// The role of each operand of a quantized op.
struct Operands {
  SmallVector<Value> activations;
  Value weight;
  std::optional<int64_t> weightAxis;
  bool observeResult = true;
};

/// The op kinds quantized by default: everything the integer lowering takes.
constexpr llvm::StringLiteral kDefaultOps[] = {
    "conv2d", "depthwise_conv2d", "matmul",  "add",  "mul",
    "avg_pool2d", "concat",       "sigmoid", "tanh"};

struct QuantSimInsertObserversPass
    : quantsim::impl::QuantSimInsertObserversPassBase<
          QuantSimInsertObserversPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *) override {
    if (activations != "u8" && activations != "s8")
      return emitError(UnknownLoc::get(&getContext()))
             << "activations must be u8 or s8, got '" << activations << "'";
    if (bits < 2 || bits > 16)
      return emitError(UnknownLoc::get(&getContext()))
             << "bits must be in [2, 16], got " << bits;
    std::optional<ObserverKind> kind = symbolizeObserverKind(observer);
    if (!kind)
      return emitError(UnknownLoc::get(&getContext()))
             << "unknown observer '" << observer
             << "' (histogram, min_max, moving_average_min_max)";
    observerKind = *kind;
    if (observerKind == ObserverKind::Histogram && bins < 2)
      return emitError(UnknownLoc::get(&getContext()))
             << "a histogram needs at least 2 bins, got " << bins;
    if (observerKind == ObserverKind::MovingAverageMinMax &&
        !(momentum > 0 && momentum <= 1))
      return emitError(UnknownLoc::get(&getContext()))
             << "momentum must be in (0, 1], got " << momentum;
    for (StringRef op : ops) {
      if (!llvm::is_contained(kDefaultOps, op))
        return emitError(UnknownLoc::get(&getContext()))
               << "cannot quantize '" << op << "'; quantizable ops: "
               << llvm::join(llvm::ArrayRef<llvm::StringLiteral>(kDefaultOps),
                             ", ");
      quantized.insert(op);
    }
    if (ops.empty())
      for (StringRef op : kDefaultOps)
        quantized.insert(op);
    return success();
  }

  void runOnOperation() override;

private:
  /// Observes `v` (once), inserting right after its definition.
  void observe(Value v, StringRef name, bool weight,
               std::optional<int64_t> axis);
  std::string uniqueName(std::string base);

  ObserverKind observerKind = ObserverKind::Histogram;
  llvm::StringSet<> quantized;
  llvm::StringSet<> usedNames;
  llvm::DenseSet<Value> observed;
  unsigned unnamed = 0;
};

} // namespace

/// The roles of `op`'s operands if it is one of the `quantized` kinds with
/// f32 activations and a constant weight (where it has one).
static std::optional<Operands> classify(Operation *op,
                                        const llvm::StringSet<> &quantized,
                                        bool perChannelWeights) {
  StringRef kind = op->getName().stripDialect();
  if (op->getName().getDialectNamespace() != "tosa" ||
      !quantized.contains(kind))
    return std::nullopt;
  auto isFloatTensor = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.getElementType().isF32();
  };
  if (!llvm::all_of(op->getResultTypes(), [](Type t) {
        auto tensor = dyn_cast<RankedTensorType>(t);
        return tensor && tensor.getElementType().isF32();
      }))
    return std::nullopt;

  Operands result;
  auto weightOperand = [&](Value w, std::optional<int64_t> axis) -> bool {
    if (!isConstant(w))
      return false;
    result.weight = w;
    if (perChannelWeights)
      result.weightAxis = axis;
    return true;
  };
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    result.activations.push_back(conv.getInput());
    if (!weightOperand(conv.getWeight(), 0))
      return std::nullopt;
  } else if (auto dw = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    result.activations.push_back(dw.getInput());
    // [KH, KW, C, M]: one scale per input channel when M = 1 (the output
    // channels are then the input channels).
    auto wType = cast<RankedTensorType>(dw.getWeight().getType());
    std::optional<int64_t> axis;
    if (wType.getRank() == 4 && wType.getDimSize(3) == 1)
      axis = 2;
    if (!weightOperand(dw.getWeight(), axis))
      return std::nullopt;
  } else if (auto mm = dyn_cast<tosa::MatMulOp>(op)) {
    result.activations.push_back(mm.getA());
    if (isConstant(mm.getB())) {
      weightOperand(mm.getB(), 2); // [1, K, N]: one scale per column
    } else {
      result.activations.push_back(mm.getB());
    }
    if (isConstant(mm.getA()))
      return std::nullopt;
  } else if (isa<tosa::AddOp, tosa::MulOp>(op)) {
    // Two activations; an add of a constant is a bias (or left float).
    Value a = op->getOperand(0), b = op->getOperand(1);
    if (isConstant(a) || isConstant(b))
      return std::nullopt;
    result.activations = {a, b};
  } else if (isa<tosa::AvgPool2dOp>(op)) {
    result.activations.push_back(op->getOperand(0));
  } else if (auto concat = dyn_cast<tosa::ConcatOp>(op)) {
    for (Value v : concat.getInput1())
      if (!isConstant(v))
        result.activations.push_back(v);
  } else if (isa<tosa::SigmoidOp, tosa::TanhOp>(op)) {
    result.activations.push_back(op->getOperand(0));
    result.observeResult = false;
  } else {
    return std::nullopt;
  }
  if (!llvm::all_of(result.activations, isFloatTensor))
    return std::nullopt;
  return result;
}

std::string QuantSimInsertObserversPass::uniqueName(std::string base) {
  if (base.empty())
    base = "value" + std::to_string(unnamed++);
  std::string name = base;
  for (unsigned i = 1; usedNames.contains(name); ++i)
    name = base + "." + std::to_string(i);
  usedNames.insert(name);
  return name;
}

void QuantSimInsertObserversPass::observe(Value v, StringRef name,
                                          bool weight,
                                          std::optional<int64_t> axis) {
  if (!observed.insert(v).second)
    return;
  OpBuilder b(&getContext());
  if (Operation *def = v.getDefiningOp())
    b.setInsertionPointAfter(def);
  else
    b.setInsertionPointToStart(cast<BlockArgument>(v).getOwner());
  ObserverKind kind = weight ? ObserverKind::MinMax : observerKind;
  auto unit = [&](bool set) { return set ? b.getUnitAttr() : UnitAttr(); };
  auto op = ObserveOp::create(
      b, v.getLoc(), v.getType(), v, b.getStringAttr(uniqueName(name.str())),
      ObserverKindAttr::get(&getContext(), kind),
      axis ? b.getI64IntegerAttr(*axis) : IntegerAttr(),
      kind == ObserverKind::MovingAverageMinMax ? b.getF64FloatAttr(momentum)
                                                : FloatAttr(),
      kind == ObserverKind::Histogram ? b.getI64IntegerAttr(bins)
                                      : IntegerAttr(),
      StatsAttr(), bits == 8 ? IntegerAttr() : b.getI64IntegerAttr(bits),
      unit(weight || activations == "s8"), unit(weight || activations == "s8"),
      unit(weight));
  v.replaceAllUsesExcept(op.getResult(), op);
}

void QuantSimInsertObserversPass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (func.isExternal() || isKeptFloat(func))
    return;
  for (ObserveOp existing : func.getOps<ObserveOp>()) {
    existing.emitError("the function already has observers; insert them "
                       "once, on a float graph");
    return signalPassFailure();
  }

  // Decide first, then rewrite: observers change the use lists that the
  // epilogue walk reads.
  struct Plan {
    Operation *op;
    std::string name;
    Operands operands;
    Value resultEnd;
  };
  SmallVector<Plan> plans;
  llvm::StringSet<> keep;
  for (const std::string &name : keepFloat)
    keep.insert(name);
  func.walk([&](Operation *op) {
    std::optional<Operands> operands =
        classify(op, quantized, perChannelWeights);
    if (!operands)
      return;
    std::string name = locationName(op->getLoc());
    if (!name.empty() && keep.contains(name)) {
      op->setAttr(QuantSimDialect::KeepFloatAttrHelper::getNameStr(),
                  UnitAttr::get(&getContext()));
      return;
    }
    Value end = operands->observeResult ? epilogueEnd(op->getResult(0))
                                        : Value();
    plans.push_back({op, name, *operands, end});
  });

  // Names: arguments first, then ops in order.
  for (Plan &plan : plans) {
    for (Value a : plan.operands.activations) {
      Value source = sourceOf(a);
      std::string name;
      if (auto arg = dyn_cast<BlockArgument>(source))
        name = "input" + std::to_string(arg.getArgNumber());
      else
        name = locationName(source.getLoc());
      observe(source, name, /*weight=*/false, std::nullopt);
    }
    if (plan.operands.weight)
      observe(plan.operands.weight, plan.name.empty() ? "" : plan.name + ".weight",
              /*weight=*/true, plan.operands.weightAxis);
    if (plan.resultEnd)
      observe(plan.resultEnd, plan.name, /*weight=*/false, std::nullopt);
  }
}

SmallVector<Operation *>
mlir::quantsim::quantizableOps(func::FuncOp func, ArrayRef<std::string> ops) {
  llvm::StringSet<> kinds;
  for (const std::string &op : ops)
    kinds.insert(op);
  if (ops.empty())
    for (StringRef op : kDefaultOps)
      kinds.insert(op);
  SmallVector<Operation *> result;
  if (func.isExternal() || isKeptFloat(func))
    return result;
  func.walk([&](Operation *op) {
    if (!isKeptFloat(op) &&
        classify(op, kinds, /*perChannelWeights=*/true))
      result.push_back(op);
  });
  return result;
}
