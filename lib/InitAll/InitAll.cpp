//===- InitAll.cpp - register every dialect and pass ----------------------===//
//
// Part of quant-opt. The one translation unit that includes upstream's
// InitAll headers (they are heavy to compile).
//
//===----------------------------------------------------------------------===//

#include "quant-opt/InitAll.h"
#include "quant-opt/Pipelines.h"
#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Conversion/Passes.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Transforms/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mlir::quantsim::registerAllDialects(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<QuantSimDialect>();
}

void mlir::quantsim::registerAllPasses() {
  mlir::registerAllPasses();
  registerQuantOptCodegenPasses();
  registerQuantOptConversionPasses();
  registerQuantOptTransformsPasses();
  registerPipelines();
}
