//===- ErrorAnalysis.h - fake-quant graph against its float graph -*- C++ -*-===//
//
// Part of quant-opt. How far a fake-quant model is from the float model it
// was made from, value by value, on a data set: the per-layer error report
// of post-training quantization and the measure that mixed-precision search
// ranks ops by. The float graph is the fake-quant graph with every
// quantsim.fake_quant removed, so one fake-quant module is enough.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_RUNTIME_ERRORANALYSIS_H
#define QUANTOPT_RUNTIME_ERRORANALYSIS_H

#include "quant-opt/Runtime/JitSession.h"
#include "quant-opt/Support/ErrorMetrics.h"

#include <functional>
#include <string>
#include <vector>

namespace mlir {
namespace quantsim {

/// The error of one value of the fake-quant graph against the same value of
/// the float graph, over every item of the data.
struct ValueError {
  /// The observer's name (the op's location name, "input0" for an entry
  /// argument), or "output0", "output1", ... for the entry's results.
  std::string name;
  /// What computes it: "tosa.conv2d" (looking through the bias add, clamp
  /// and reshapes of its epilogue), "argument" or "result".
  std::string op;
  SmallVector<int64_t> shape;
  QuantizationError error;
};

struct ErrorReport {
  int64_t items = 0;
  /// Each activation fake_quant that names its observer, in program order
  /// (empty when only the outputs were compared).
  std::vector<ValueError> values;
  std::vector<ValueError> outputs;
  double compileSeconds = 0, runSeconds = 0;

  /// The lowest SQNR among the outputs (dB).
  double outputSqnrDb() const;
};

/// Called after each run of the entry with (items done, items in all).
using ErrorProgress = std::function<void(int64_t, int64_t)>;

/// The float graph's results on a data set, computed once and compared with
/// any number of fake-quant graphs of the same float model.
class FloatReference {
public:
  /// Compiles the float graph of `module` (a fake-quant module: observers
  /// folded) and runs it over the first `maxItems` items of `inputs` (all
  /// when maxItems <= 0; one array per entry input, items along dimension 0
  /// as in calibration). `inputs` must outlive the reference. Every graph
  /// is compiled at LLVM level `optLevel`.
  static llvm::Expected<std::unique_ptr<FloatReference>>
  create(ModuleOp module, llvm::StringRef entry,
         llvm::ArrayRef<const NpyArray *> inputs, int64_t maxItems = -1,
         const CodegenTarget &target = {}, unsigned optLevel = 3);

  int64_t items() const { return itemCount; }

  /// The error of the entry results of the fake-quant `module`.
  llvm::Expected<ErrorReport> compareOutputs(ModuleOp module) const;

  /// The error of the entry results and of every activation fake_quant that
  /// names its observer (against its input in the float graph).
  llvm::Expected<ErrorReport>
  compareValues(ModuleOp module, const ErrorProgress &progress = {}) const;

private:
  FloatReference() = default;
  llvm::Expected<ErrorReport> compare(ModuleOp module, bool values,
                                      const ErrorProgress &progress) const;

  std::string entry;
  SmallVector<const NpyArray *> inputs;
  int64_t maxItems = -1, itemCount = 0;
  CodegenTarget target;
  unsigned optLevel = 3;
  SmallVector<TensorSpec> outputSpecs;
  /// The float results, step by step (one entry run each).
  std::vector<SmallVector<NpyArray>> results;
  double compileSeconds = 0, runSeconds = 0;
};

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_RUNTIME_ERRORANALYSIS_H
