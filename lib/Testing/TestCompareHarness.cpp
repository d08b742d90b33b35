//===- TestCompareHarness.cpp - fake-quant vs integer comparison harness --===//
//
// Part of quant-opt. Test-only pass --quantsim-test-compare-harness: for each
// function marked `quantsim.test_compare`, adds a float copy that the QAT
// lowering leaves alone (`quantsim.keep_float`) and a @main that runs both on
// the same seeded random inputs and prints, per result,
//   result N: max_steps M exact E of T
// where M is max |int - float| in units of the result's quantization step
// (rounded) and E the number of bit-equal elements. Inputs span each
// argument's quantization range widened by 10%, so clamps are exercised.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/QuantParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <random>

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// Per-tensor parameters of the fake_quant that defines or consumes `v`.
std::optional<QuantParams> paramsNear(Value v, bool defining) {
  FakeQuantOp fq;
  if (defining) {
    fq = v.getDefiningOp<FakeQuantOp>();
  } else {
    for (Operation *user : v.getUsers())
      if ((fq = dyn_cast<FakeQuantOp>(user)))
        break;
  }
  if (!fq)
    return std::nullopt;
  FailureOr<QuantParams> params =
      getQuantParams(fq.getQtype(), nullptr, [] { return InFlightDiagnostic(); });
  if (failed(params))
    return std::nullopt;
  return *params;
}

struct TestCompareHarnessPass
    : PassWrapper<TestCompareHarnessPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestCompareHarnessPass)

  TestCompareHarnessPass() = default;
  TestCompareHarnessPass(const TestCompareHarnessPass &other)
      : PassWrapper(other) {}

  StringRef getArgument() const final { return "quantsim-test-compare-harness"; }
  StringRef getDescription() const final {
    return "Test only: compare a function with its float (fake-quant) copy "
           "on random inputs";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, math::MathDialect,
                    tensor::TensorDialect, tosa::TosaDialect,
                    vector::VectorDialect>();
  }

  Option<unsigned> seed{*this, "seed", llvm::cl::desc("random seed"),
                        llvm::cl::init(1)};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> targets;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr("quantsim.test_compare"))
        targets.push_back(func);
    if (targets.empty()) {
      module.emitError("no function is marked quantsim.test_compare");
      return signalPassFailure();
    }

    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToEnd(module.getBody());
    Location loc = module.getLoc();
    auto main = func::FuncOp::create(b, loc, "main", b.getFunctionType({}, {}));
    Block *body = main.addEntryBlock();
    OpBuilder mb = OpBuilder::atBlockEnd(body);
    std::mt19937 rng(seed);

    for (func::FuncOp func : targets) {
      if (failed(addComparison(func, mb, rng)))
        return signalPassFailure();
    }
    func::ReturnOp::create(mb, loc);
  }

  LogicalResult addComparison(func::FuncOp func, OpBuilder &mb,
                              std::mt19937 &rng) {
    Location loc = func.getLoc();
    // The float reference, which the QAT lowering skips.
    OpBuilder b(func);
    b.setInsertionPointAfter(func);
    auto reference = cast<func::FuncOp>(b.clone(*func));
    reference.setName((func.getName() + "_float").str());
    reference->removeAttr("quantsim.test_compare");
    reference->setAttr(QuantSimDialect::KeepFloatAttrHelper::getNameStr(),
                       b.getUnitAttr());

    // Output steps, read from the fake_quants that produce the results.
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    SmallVector<double> steps;
    for (Value v : ret.getOperands()) {
      std::optional<QuantParams> params = paramsNear(v, /*defining=*/true);
      if (!params || params->isPerAxis())
        return func.emitError("each result must come from a per-tensor "
                              "quantsim.fake_quant");
      steps.push_back(params->scales[0]);
    }

    // Random inputs.
    SmallVector<Value> inputs;
    for (BlockArgument arg : func.getArguments()) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
        return func.emitError("arguments must be static f32 tensors");
      double lo = -1.0, hi = 1.0;
      if (std::optional<QuantParams> p = paramsNear(arg, /*defining=*/false)) {
        lo = (p->qmin - p->zeroPoints[0]) * p->scales[0];
        hi = (p->qmax - p->zeroPoints[0]) * p->scales[0];
      }
      double margin = 0.1 * (hi - lo);
      std::uniform_real_distribution<float> dist(lo - margin, hi + margin);
      SmallVector<float> values(type.getNumElements());
      for (float &v : values)
        v = dist(rng);
      inputs.push_back(arith::ConstantOp::create(
          mb, loc, DenseElementsAttr::get(type, ArrayRef<float>(values))));
    }

    auto runInt = func::CallOp::create(mb, loc, func, inputs);
    auto runFloat = func::CallOp::create(mb, loc, reference, inputs);
    for (auto [i, pair] : llvm::enumerate(
             llvm::zip(runInt.getResults(), runFloat.getResults()))) {
      auto [a, f] = pair;
      printComparison(mb, loc, func.getName(), i, a, f, steps[i]);
    }
    return success();
  }

  /// Emits the per-result statistics and prints them.
  void printComparison(OpBuilder &b, Location loc, StringRef name,
                       size_t index, Value a, Value f, double step) {
    auto type = cast<RankedTensorType>(a.getType());
    int64_t n = type.getNumElements();
    auto flat = [&](Value v, Type element) -> Value {
      auto flatType = RankedTensorType::get({n}, element);
      SmallVector<ReassociationIndices> all(1);
      for (int64_t d = 0; d < type.getRank(); ++d)
        all[0].push_back(d);
      if (type.getRank() == 1)
        return v;
      return tensor::CollapseShapeOp::create(b, loc, flatType, v, all);
    };
    auto reduceToScalar = [&](Value v, bool max) -> Value {
      auto oneType = RankedTensorType::get({1}, b.getI32Type());
      Value r = max ? Value(tosa::ReduceMaxOp::create(b, loc, oneType, v,
                                                      b.getI32IntegerAttr(0)))
                    : Value(tosa::ReduceSumOp::create(b, loc, oneType, v,
                                                      b.getI32IntegerAttr(0)));
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      return tensor::ExtractOp::create(b, loc, r, ValueRange{zero});
    };
    Type i32 = b.getI32Type();
    auto intType = type.clone(i32);
    Value diff = math::AbsFOp::create(
        b, loc, arith::SubFOp::create(b, loc, a, f).getResult());
    Value stepConst = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(type, static_cast<float>(step)));
    Value steps = math::RoundEvenOp::create(
        b, loc, arith::DivFOp::create(b, loc, diff, stepConst).getResult());
    Value stepsInt = arith::FPToSIOp::create(b, loc, intType, steps);
    Value maxSteps = reduceToScalar(flat(stepsInt, i32), /*max=*/true);
    Value equal =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, a, f);
    Value equalInt = arith::ExtUIOp::create(b, loc, intType, equal);
    Value exact = reduceToScalar(flat(equalInt, i32), /*max=*/false);

    auto print = [&](StringRef text) {
      vector::PrintOp::create(b, loc, text);
    };
    print((name + " result " + Twine(index) + ": max_steps ").str());
    vector::PrintOp::create(b, loc, maxSteps, vector::PrintPunctuation::NoPunctuation);
    print(" exact ");
    vector::PrintOp::create(b, loc, exact, vector::PrintPunctuation::NoPunctuation);
    print((" of " + Twine(n) + "\n").str());
  }
};

} // namespace

namespace mlir {
namespace quantsim {
namespace test {
void registerTestCompareHarnessPass() {
  PassRegistration<TestCompareHarnessPass>();
}
} // namespace test
} // namespace quantsim
} // namespace mlir
