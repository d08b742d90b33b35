//===- Calibration.h - run calibration data through observers --*- C++ -*-===//
//
// Part of quant-opt. The calibration run of post-training quantization: the
// instrumented float graph is compiled with every observed value as an
// extra result, run over the calibration set, and the statistics are
// written back onto the observers (#quantsim.stats), so that calibrating
// and folding are separate steps.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_RUNTIME_CALIBRATION_H
#define QUANTOPT_RUNTIME_CALIBRATION_H

#include "quant-opt/Runtime/JitSession.h"

#include <functional>

namespace mlir {
namespace quantsim {

struct CalibrationResult {
  int64_t items = 0;     ///< calibration items run
  size_t observers = 0;  ///< observers that got statistics
  double compileSeconds = 0, runSeconds = 0;
};

/// Called after each run of the entry with (items done, items in all).
using CalibrationProgress = std::function<void(int64_t, int64_t)>;

/// Runs `inputs` (one array per entry input, each with the calibration items
/// along dimension 0: a batch-1 entry runs once per item, an entry of batch
/// B once per B items) through `entry` of `module` and attaches the
/// statistics of every observer of a non-constant value. Observers of
/// constants are left alone (they are folded from the constant). Errors
/// name the problem: no observers, no or mismatched data, an observer that
/// saw no finite value. `optLevel` is the JIT's LLVM level (0-3).
llvm::Expected<CalibrationResult>
calibrate(ModuleOp module, llvm::StringRef entry,
          llvm::ArrayRef<const NpyArray *> inputs,
          const CalibrationProgress &progress = {},
          const CodegenTarget &target = {}, unsigned optLevel = 3);

/// Copies the statistics of the observers of `from` onto the observers of
/// the same values in `to`, where both are one float module with observers
/// inserted (with any options, any ops kept float): values are matched by
/// their position in the float graph, not by name. Fails, naming the
/// observer, when a non-constant value observed in `to` has no statistics
/// in `from`.
llvm::Error copyStatistics(ModuleOp from, ModuleOp to);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_RUNTIME_CALIBRATION_H
