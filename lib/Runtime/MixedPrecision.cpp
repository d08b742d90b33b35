//===- MixedPrecision.cpp - choose the ops to keep in float ----------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/MixedPrecision.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::quantsim;

/// The output SQNR of the graph with `keepFloat` in float.
static llvm::Expected<double>
measure(ArrayRef<std::string> keepFloat, const FakeQuantBuilder &build,
        const FloatReference &reference,
        OwningOpRef<ModuleOp> *keep = nullptr) {
  auto module = build(keepFloat);
  if (!module)
    return module.takeError();
  auto report = reference.compareOutputs(**module);
  if (!report)
    return report.takeError();
  if (keep)
    *keep = std::move(*module);
  return report->outputSqnrDb();
}

llvm::Expected<MixedPrecisionResult> mlir::quantsim::searchMixedPrecision(
    ArrayRef<std::string> candidates, const FakeQuantBuilder &build,
    const FloatReference &reference, const MixedPrecisionOptions &options,
    const MixedPrecisionProgress &progress) {
  MixedPrecisionResult result;
  auto tell = [&](const llvm::Twine &what) {
    if (progress)
      progress(what.str());
  };

  tell("every op quantized");
  auto all = measure({}, build, reference, &result.module);
  if (!all)
    return all.takeError();
  result.quantizedSqnrDb = result.outputSqnrDb = *all;

  for (auto [i, name] : llvm::enumerate(candidates)) {
    tell(llvm::formatv("{0} in float ({1}/{2})", name, i + 1,
                       candidates.size()));
    auto sqnr = measure({name}, build, reference);
    if (!sqnr)
      return sqnr.takeError();
    result.ranking.push_back({name, *sqnr});
  }
  // Highest SQNR first; ties keep program order.
  std::vector<size_t> order(result.ranking.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    double sa = result.ranking[a].outputSqnrDb,
           sb = result.ranking[b].outputSqnrDb;
    return sa != sb ? sa > sb : a < b;
  });
  std::vector<OpSensitivity> ranked;
  for (size_t i : order)
    ranked.push_back(result.ranking[i]);
  result.ranking = std::move(ranked);

  if (options.targetSqnrDb) {
    for (const OpSensitivity &op : result.ranking) {
      if (result.outputSqnrDb >= *options.targetSqnrDb)
        break;
      result.keepFloat.push_back(op.name);
      tell(llvm::formatv("{0} ops in float", result.keepFloat.size()));
      auto sqnr = measure(result.keepFloat, build, reference, &result.module);
      if (!sqnr)
        return sqnr.takeError();
      result.outputSqnrDb = *sqnr;
    }
    result.targetReached = result.outputSqnrDb >= *options.targetSqnrDb;
    return result;
  }

  int64_t count = std::min<int64_t>(options.keepFloatCount,
                                    static_cast<int64_t>(result.ranking.size()));
  if (count <= 0)
    return result;
  for (int64_t i = 0; i < count; ++i)
    result.keepFloat.push_back(result.ranking[static_cast<size_t>(i)].name);
  tell(llvm::formatv("{0} ops in float", count));
  auto sqnr = measure(result.keepFloat, build, reference, &result.module);
  if (!sqnr)
    return sqnr.takeError();
  result.outputSqnrDb = *sqnr;
  return result;
}
