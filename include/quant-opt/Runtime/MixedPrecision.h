//===- MixedPrecision.h - choose the ops to keep in float -------*- C++ -*-===//
//
// Part of quant-opt. Automatic mixed precision for post-training
// quantization: each quantizable op is ranked by how much the model's output
// gains when it alone stays in float, and the most sensitive ones are kept
// in float, a given number of them or as many as a target output SQNR
// needs.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_RUNTIME_MIXEDPRECISION_H
#define QUANTOPT_RUNTIME_MIXEDPRECISION_H

#include "quant-opt/Runtime/ErrorAnalysis.h"

#include "mlir/IR/OwningOpRef.h"

#include <optional>

namespace mlir {
namespace quantsim {

/// Builds the fake-quant graph of the model with the named ops in float.
using FakeQuantBuilder =
    std::function<llvm::Expected<OwningOpRef<ModuleOp>>(
        llvm::ArrayRef<std::string> keepFloat)>;

struct MixedPrecisionOptions {
  /// Keep this many of the most sensitive ops in float.
  int64_t keepFloatCount = 0;
  /// Or, when set, keep the most sensitive ops in float one by one until
  /// the output SQNR (the lowest over the entry's results) reaches this.
  std::optional<double> targetSqnrDb;
};

struct OpSensitivity {
  std::string name;
  /// The output SQNR with this op alone in float (dB).
  double outputSqnrDb;
};

struct MixedPrecisionResult {
  /// The output SQNR with every candidate quantized.
  double quantizedSqnrDb = 0;
  /// Every candidate, the most sensitive (highest SQNR when float) first.
  std::vector<OpSensitivity> ranking;
  /// The ops chosen to stay float, most sensitive first.
  std::vector<std::string> keepFloat;
  /// The output SQNR of the chosen graph.
  double outputSqnrDb = 0;
  bool targetReached = true;
  OwningOpRef<ModuleOp> module;
};

/// Called before each graph is measured, with a description of it.
using MixedPrecisionProgress = std::function<void(llvm::StringRef)>;

/// Ranks `candidates` (op names that `build` accepts) by output SQNR against
/// `reference` and builds the graph that `options` asks for. Costs one
/// compile and run of the data per candidate, plus one per op added when a
/// target is given.
llvm::Expected<MixedPrecisionResult>
searchMixedPrecision(llvm::ArrayRef<std::string> candidates,
                     const FakeQuantBuilder &build,
                     const FloatReference &reference,
                     const MixedPrecisionOptions &options,
                     const MixedPrecisionProgress &progress = {});

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_RUNTIME_MIXEDPRECISION_H
