//===- Calibration.cpp - run calibration data through observers -----------===//
//
// Part of quant-opt. A copy of the module has each observer replaced by its
// input and the observed values appended to the entry's results; the
// accumulation itself (min/max, moving averages, histograms) is in
// Support/Calibration.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/Calibration.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/Calibration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <chrono>
#include <cstring>

using namespace mlir;
using namespace mlir::quantsim;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static bool observesConstant(ObserveOp op) {
  return matchPattern(op.getInput(), m_Constant());
}

/// The observers of non-constant values in `func`, in program order.
static SmallVector<ObserveOp> dataObservers(func::FuncOp func) {
  SmallVector<ObserveOp> observers;
  func.walk([&](ObserveOp op) {
    if (!observesConstant(op))
      observers.push_back(op);
  });
  return observers;
}

static ObserverStatistics::Kind statisticsKind(ObserverKind kind) {
  switch (kind) {
  case ObserverKind::MinMax:
    return ObserverStatistics::Kind::MinMax;
  case ObserverKind::MovingAverageMinMax:
    return ObserverStatistics::Kind::MovingAverageMinMax;
  case ObserverKind::Histogram:
    return ObserverStatistics::Kind::Histogram;
  }
  return ObserverStatistics::Kind::MinMax;
}

llvm::Expected<CalibrationResult>
mlir::quantsim::calibrate(ModuleOp module, StringRef entry,
                          ArrayRef<const NpyArray *> inputs,
                          const CalibrationProgress &progress,
                          const CodegenTarget &target) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal())
    return error("no function '" + entry + "' with a body in the module");
  bool elsewhere = false;
  module.walk([&](ObserveOp op) {
    elsewhere |= op->getParentOfType<func::FuncOp>() != func;
  });
  if (elsewhere)
    return error("observers outside @" + entry +
                 " are not calibrated; inline the functions it calls first");
  SmallVector<ObserveOp> observers = dataObservers(func);
  if (observers.empty())
    return error("@" + entry + " has no observers of non-constant values "
                               "to calibrate (insert them first)");
  if (inputs.empty() && func.getNumArguments() > 0)
    return error("no calibration data: the entry takes " +
                 llvm::Twine(func.getNumArguments()) +
                 " inputs (give -i FILE.npy or --idx=FILE)");

  // The calibration module: observed values become extra results.
  OwningOpRef<ModuleOp> copy = module.clone();
  auto copyFunc = copy->lookupSymbol<func::FuncOp>(entry);
  SmallVector<ObserveOp> copyObservers = dataObservers(copyFunc);
  SmallVector<Value> observed;
  for (ObserveOp op : copyObservers)
    observed.push_back(op.getInput());
  copyFunc.walk([](ObserveOp op) {
    op.replaceAllUsesWith(op.getInput());
    op.erase();
  });
  auto ret = cast<func::ReturnOp>(copyFunc.getBody().back().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  results.append(observed);
  OpBuilder b(ret);
  func::ReturnOp::create(b, ret.getLoc(), results);
  ret.erase();
  copyFunc.setType(FunctionType::get(module.getContext(),
                                     copyFunc.getArgumentTypes(),
                                     ValueRange(results).getTypes()));

  auto start = std::chrono::steady_clock::now();
  auto session = JitSession::create(*copy, entry, 3, CodegenPipeline::CPU,
                                    target);
  if (!session)
    return session.takeError();
  CalibrationResult result;
  result.compileSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count();

  // Inputs: the entry's shape with any multiple of its batch in front.
  ArrayRef<TensorSpec> specs = (*session)->inputs();
  if (inputs.size() != specs.size())
    return error(llvm::formatv("the entry takes {0} inputs, {1} given",
                               specs.size(), inputs.size()));
  int64_t items = -1, batch = 1;
  for (auto [i, pair] : llvm::enumerate(llvm::zip(inputs, specs))) {
    auto [input, spec] = pair;
    ArrayRef<int64_t> got = input->shape, want = spec.shape;
    if (input->dtype != spec.dtype || got.size() != want.size() ||
        want.empty() || got.drop_front() != want.drop_front() ||
        want[0] <= 0 || got[0] % want[0] != 0)
      return error(llvm::formatv(
          "calibration input {0} is {1}; the entry expects {2} (any multiple "
          "of its leading dimension is a batch of items)",
          i, describe(input->dtype, got), describe(spec.dtype, want)));
    if (items != -1 && got[0] != items)
      return error(llvm::formatv("calibration inputs disagree on the number "
                                 "of items ({0} and {1})",
                                 items, got[0]));
    items = got[0];
    batch = want[0];
  }
  if (specs.empty())
    items = batch = 1;
  if (items <= 0)
    return error("the calibration data holds no items");

  size_t firstObserved = (*session)->outputs().size() - observers.size();
  SmallVector<ObserverStatistics> stats;
  for (auto [op, spec] : llvm::zip(
           observers, (*session)->outputs().drop_front(firstObserved))) {
    int64_t channels =
        op.getAxis() ? spec.shape[static_cast<size_t>(*op.getAxis())] : 1;
    double momentum = op.getMomentum() ? op.getMomentum()->convertToDouble()
                                       : 1.0;
    int64_t bins = op.getBins() ? static_cast<int64_t>(*op.getBins()) : 0;
    stats.emplace_back(statisticsKind(op.getKind()), channels, momentum,
                       bins);
  }

  SmallVector<NpyArray> chunk, outputs;
  for (const TensorSpec &spec : specs)
    chunk.emplace_back(spec.dtype, spec.shape);
  for (const TensorSpec &spec : (*session)->outputs())
    outputs.emplace_back(spec.dtype, spec.shape);
  SmallVector<const NpyArray *> chunkPtrs;
  for (NpyArray &a : chunk)
    chunkPtrs.push_back(&a);

  start = std::chrono::steady_clock::now();
  for (int64_t first = 0; first < items; first += batch) {
    for (auto [input, local] : llvm::zip(inputs, chunk)) {
      size_t bytes = local.data.size();
      std::memcpy(local.data.data(),
                  input->data.data() + (first / batch) * bytes, bytes);
    }
    if (llvm::Error err = (*session)->run(chunkPtrs, outputs))
      return std::move(err);
    for (auto [s, op, out] : llvm::zip(
             stats, observers, ArrayRef(outputs).drop_front(firstObserved)))
      s.observe(out.as<float>(), out.shape, op.getAxis());
    if (progress)
      progress(first + batch, items);
  }
  result.runSeconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  result.items = items;

  for (auto [op, s] : llvm::zip(observers, stats)) {
    if (s.finiteValues == 0)
      return error(llvm::formatv("observer '{0}' saw no finite value in {1} "
                                 "items ({2} values were NaN or infinite)",
                                 op.getName(), items, s.nonFiniteValues));
    SmallVector<int64_t> histogram;
    SmallVector<double> range;
    if (s.histogram) {
      llvm::append_range(histogram, s.histogram->getCounts());
      range = {s.histogram->lo(), s.histogram->hi()};
    }
    op.setStatsAttr(StatsAttr::get(module.getContext(), s.min, s.max,
                                   histogram, range, s.batches));
  }
  result.observers = observers.size();
  return result;
}
