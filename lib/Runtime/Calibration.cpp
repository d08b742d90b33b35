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

#include "ItemFeed.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <chrono>
#include <map>

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
                          const CodegenTarget &target, unsigned optLevel) {
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
  appendResults(copyFunc, observed);

  auto start = std::chrono::steady_clock::now();
  auto session = JitSession::create(*copy, entry, optLevel, CodegenPipeline::CPU,
                                    target);
  if (!session)
    return session.takeError();
  CalibrationResult result;
  result.compileSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count();

  auto feed = ItemFeed::create(inputs, (*session)->inputs(), "calibration");
  if (!feed)
    return feed.takeError();

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

  SmallVector<NpyArray> outputs;
  for (const TensorSpec &spec : (*session)->outputs())
    outputs.emplace_back(spec.dtype, spec.shape);

  start = std::chrono::steady_clock::now();
  for (int64_t step = 0; step < feed->steps(); ++step) {
    if (llvm::Error err = (*session)->run(feed->chunk(step), outputs))
      return std::move(err);
    for (auto [s, op, out] : llvm::zip(
             stats, observers, ArrayRef(outputs).drop_front(firstObserved)))
      s.observe(out.as<float>(), out.shape, op.getAxis());
    if (progress)
      progress((step + 1) * feed->batch(), feed->items());
  }
  result.runSeconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  result.items = feed->items();

  for (auto [op, s] : llvm::zip(observers, stats)) {
    if (s.finiteValues == 0)
      return error(llvm::formatv("observer '{0}' saw no finite value in {1} "
                                 "items ({2} values were NaN or infinite)",
                                 op.getName(), feed->items(),
                                 s.nonFiniteValues));
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

namespace {
/// Positions of values in a float graph that observers were inserted into:
/// (-1 - argument number, 0) or (index of the defining op among the
/// non-observer ops in walk order, result number).
class ValuePositions {
public:
  explicit ValuePositions(func::FuncOp func) {
    int64_t index = 0;
    func.walk([&](Operation *op) {
      if (!isa<ObserveOp>(op))
        indices[op] = index++;
    });
  }
  std::pair<int64_t, int64_t> of(Value v) const {
    if (auto arg = dyn_cast<BlockArgument>(v))
      return {-1 - static_cast<int64_t>(arg.getArgNumber()), 0};
    auto result = cast<OpResult>(v);
    return {indices.lookup(result.getOwner()), result.getResultNumber()};
  }

private:
  llvm::DenseMap<Operation *, int64_t> indices;
};
} // namespace

llvm::Error mlir::quantsim::copyStatistics(ModuleOp from, ModuleOp to) {
  for (auto toFunc : to.getOps<func::FuncOp>()) {
    if (toFunc.isExternal())
      continue;
    auto fromFunc = from.lookupSymbol<func::FuncOp>(toFunc.getSymName());
    SmallVector<ObserveOp> targets = dataObservers(toFunc);
    if (targets.empty())
      continue;
    if (!fromFunc)
      return error("no function @" + toFunc.getSymName() +
                   " to take statistics from");
    std::map<std::pair<int64_t, int64_t>, StatsAttr> stats;
    ValuePositions fromPositions(fromFunc);
    for (ObserveOp op : dataObservers(fromFunc))
      if (op.getStats())
        stats[fromPositions.of(op.getInput())] = *op.getStats();
    ValuePositions toPositions(toFunc);
    for (ObserveOp op : targets) {
      auto it = stats.find(toPositions.of(op.getInput()));
      if (it == stats.end())
        return error("observer '" + op.getName() +
                     "' has no calibrated counterpart to take statistics "
                     "from");
      op.setStatsAttr(it->second);
    }
  }
  return llvm::Error::success();
}
