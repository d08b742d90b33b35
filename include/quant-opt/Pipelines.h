//===- Pipelines.h - quant-opt's named pipelines ----------------*- C++ -*-===//
//
// Part of quant-opt. The QAT-to-integer pipeline (fake-quant TOSA to integer
// TOSA) and the registration of every named pipeline with the pass registry.
// The lowerings to native code are in quant-opt/Codegen/Pipelines.h.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_PIPELINES_H
#define QUANTOPT_PIPELINES_H

#include "quant-opt/Conversion/Passes.h"

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace quantsim {

/// Options of the QAT-to-integer pipeline (forwarded to
/// --quantsim-lower-qat).
struct QATToIntOptions : public PassPipelineOptions<QATToIntOptions> {
  PassOptions::Option<tosa::RoundingMode> roundingMode{
      *this, "rounding-mode", llvm::cl::desc("tosa.rescale rounding"),
      llvm::cl::init(tosa::RoundingMode::SINGLE_ROUND), roundingModeValues()};
  PassOptions::Option<bool> allowFloatFallback{
      *this, "allow-float-fallback",
      llvm::cl::desc("keep quantized ops without an integer lowering in "
                     "float, with a warning"),
      llvm::cl::init(false)};
};

/// Fake-quant TOSA graph to integer TOSA in one go: fold BatchNorm and
/// affine chains into conv/matmul (--quantsim-fold-affine-chains), lower
/// the QAT graph (--quantsim-lower-qat), and canonicalize.
/// Registered as `--quantsim-qat-to-int`.
void buildQATToIntPipeline(OpPassManager &pm,
                           const QATToIntOptions &options = {});

/// Registers `--quantsim-qat-to-int`, `--quantsim-cpu-codegen` and
/// `--quantsim-reference-to-llvm` with the global pass registry.
void registerPipelines();

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_PIPELINES_H
