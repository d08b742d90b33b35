//===- F32Activation.cpp - elementwise epilogues of the f32 kernels -------===//
//
// Part of quant-opt. Matches the elementwise ops that follow an f32 conv,
// matmul or depthwise conv (clamps, sigmoid, multiplies and adds by a
// scalar, and gates x * f(x) such as SiLU and HardSwish) and applies them
// to the kernel's registers with the arithmetic tosa-to-linalg gives them,
// so that the fused result is bit-identical to the separate ops'.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::quantsim;

using Kind = F32Activation::Kind;
using Step = F32Activation::Step;

/// The scalar constant operand of a binary op on `x`, and whether it comes
/// first; none when the other operand is not a one-element f32 constant.
static std::optional<std::pair<float, bool>> scalarOperand(Operation *op,
                                                           Value x) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if ((lhs == x) == (rhs == x))
    return std::nullopt;
  bool constantFirst = rhs == x;
  std::optional<SmallVector<float>> values =
      constantFloats(constantFirst ? lhs : rhs);
  if (!values || values->size() != 1)
    return std::nullopt;
  return std::make_pair((*values)[0], constantFirst);
}

/// `op` as one step applied to `x`; none when it is not one the epilogue
/// applies or it changes the type (broadcasts).
static std::optional<Step> matchStep(Operation *op, Value x) {
  if (op->getNumResults() != 1 || op->getResult(0).getType() != x.getType())
    return std::nullopt;
  if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
    auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
    auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
    if (!lo || !hi || clamp.getNanMode() != tosa::NanPropagationMode::PROPAGATE)
      return std::nullopt;
    return Step{Kind::Clamp, static_cast<float>(lo.getValueAsDouble()),
                static_cast<float>(hi.getValueAsDouble()), false};
  }
  if (isa<tosa::SigmoidOp>(op))
    return Step{Kind::Sigmoid, 0, 0, false};
  if (isa<tosa::MulOp, tosa::AddOp>(op))
    if (auto scalar = scalarOperand(op, x))
      return Step{isa<tosa::MulOp>(op) ? Kind::MulScalar : Kind::AddScalar,
                  scalar->first, 0, scalar->second};
  return std::nullopt;
}

/// x * f(x): `x` has two uses, a tosa.mul by a value g and the first of
/// single-use steps that compute g. Appends GateBegin, f's steps and
/// GateEnd, and the ops (the mul last); false when `x` is not so used.
static bool matchGate(Value x, F32Activation &act) {
  SmallVector<Operation *> users(x.getUsers());
  if (users.size() != 2 || users[0] == users[1])
    return false;
  for (int first = 0; first < 2; ++first) {
    auto gate = dyn_cast<tosa::MulOp>(users[1 - first]);
    if (!gate || gate.getType() != x.getType())
      continue;
    bool xFirst = gate.getInput1() == x;
    Value g = xFirst ? gate.getInput2() : gate.getInput1();
    SmallVector<Step> steps;
    SmallVector<Operation *> ops;
    Value v = x;
    Operation *op = users[first];
    while (op != gate) {
      std::optional<Step> step = matchStep(op, v);
      if (!step)
        break;
      steps.push_back(*step);
      ops.push_back(op);
      v = op->getResult(0);
      if (!v.hasOneUse())
        break;
      op = *v.getUsers().begin();
    }
    if (op != gate || v != g || steps.empty())
      continue;
    act.steps.push_back(Step{Kind::GateBegin, 0, 0, false});
    act.steps.append(steps);
    act.steps.push_back(Step{Kind::GateEnd, 0, 0, !xFirst});
    act.ops.append(ops);
    act.ops.push_back(gate);
    return true;
  }
  return false;
}

F32Activation mlir::quantsim::matchF32Activation(Value value) {
  F32Activation act;
  Value x = value;
  while (true) {
    if (x.hasOneUse()) {
      Operation *user = *x.getUsers().begin();
      std::optional<Step> step = matchStep(user, x);
      if (!step)
        break;
      act.steps.push_back(*step);
      act.ops.push_back(user);
    } else if (!matchGate(x, act)) {
      break;
    }
    x = act.ops.back()->getResult(0);
  }
  return act;
}

Value mlir::quantsim::applyF32Activation(OpBuilder &b, Location loc, Value v,
                                         const F32Activation &act) {
  auto splat = [&](float x) -> Value {
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(cast<ShapedType>(v.getType()),
                               b.getF32FloatAttr(x)));
  };
  // In operand order, as tosa-to-linalg writes the op's body.
  auto binary = [&](auto tag, Value lhs, Value rhs, bool swap) -> Value {
    using OpTy = decltype(tag);
    return OpTy::create(b, loc, swap ? rhs : lhs, swap ? lhs : rhs);
  };
  Value saved;
  for (const Step &step : act.steps) {
    switch (step.kind) {
    case Kind::Clamp:
      // minimumf with the upper bound, then maximumf with the lower.
      v = arith::MinimumFOp::create(b, loc, v, splat(step.b));
      v = arith::MaximumFOp::create(b, loc, v, splat(step.a));
      break;
    case Kind::Sigmoid: {
      // 1 / (exp(-x) + 1).
      Value one = splat(1.0f);
      Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
      v = arith::DivFOp::create(b, loc, one,
                                arith::AddFOp::create(b, loc, e, one));
      break;
    }
    case Kind::MulScalar:
      v = binary(arith::MulFOp(), v, splat(step.a), step.swapped);
      break;
    case Kind::AddScalar:
      v = binary(arith::AddFOp(), v, splat(step.a), step.swapped);
      break;
    case Kind::GateBegin:
      saved = v;
      break;
    case Kind::GateEnd:
      v = binary(arith::MulFOp(), saved, v, step.swapped);
      break;
    }
  }
  return v;
}

void mlir::quantsim::eraseF32Activation(const F32Activation &act) {
  for (Operation *op : llvm::reverse(act.ops))
    op->erase();
}
