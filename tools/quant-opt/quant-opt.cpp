//===- quant-opt.cpp - the quant-opt pass driver --------------------------===//
//
// Part of quant-opt. mlir-opt with the quantsim dialect, quant-opt's passes
// and its named pipelines registered next to upstream's.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/InitAll.h"
#include "quant-opt/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

namespace mlir::quantsim::test {
void registerTestCompareHarnessPass();
} // namespace mlir::quantsim::test

int main(int argc, char **argv) {
  mlir::quantsim::setVersionPrinter("quant-opt");
  mlir::DialectRegistry registry;
  mlir::quantsim::registerAllDialects(registry);
  mlir::quantsim::registerAllPasses();
  mlir::quantsim::test::registerTestCompareHarnessPass();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "quant-opt: quantization compiler pass driver\n", registry));
}
