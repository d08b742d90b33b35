//===- quant-opt.cpp - the quant-opt pass driver --------------------------===//
//
// Part of quant-opt. mlir-opt with the quantsim dialect, quant-opt's passes
// and its named pipelines registered next to upstream's. Diagnostics located
// at an imported ONNX node name the node (`model.onnx: node 'conv1':`)
// rather than MLIR's `model.onnx:0:0:`.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/InitAll.h"
#include "quant-opt/Support/Locations.h"
#include "quant-opt/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::quantsim::test {
void registerTestCompareHarnessPass();
} // namespace mlir::quantsim::test

using namespace mlir;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  quantsim::setVersionPrinter("quant-opt");
  DialectRegistry registry;
  quantsim::registerAllDialects(registry);
  quantsim::registerAllPasses();
  quantsim::test::registerTestCompareHarnessPass();

  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "quant-opt: quantization compiler pass driver\n", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects()) {
    llvm::outs() << "Available Dialects: ";
    llvm::interleave(registry.getDialectNames(), llvm::outs(), ",");
    llvm::outs() << "\n";
    return 0;
  }
  if (config.shouldListPasses()) {
    printRegisteredPasses();
    return 0;
  }
  // The handler goes on each context (one per split-input chunk) when its
  // pass manager is set up; -verify-diagnostics must see every diagnostic.
  if (!config.shouldVerifyDiagnostics()) {
    MlirOptMainConfig cli = config;
    config.setPassPipelineSetupFn([cli](PassManager &pm) {
      quantsim::registerImportedNodeDiagnosticHandler(pm.getContext(),
                                                      llvm::errs());
      return cli.setupPassPipeline(pm);
    });
  }

  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &message);
  if (!file) {
    llvm::errs() << "quant-opt: " << message << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &message);
  if (!output) {
    llvm::errs() << "quant-opt: " << message << "\n";
    return 1;
  }
  if (failed(MlirOptMain(output->os(), std::move(file), registry, config)))
    return 1;
  output->keep();
  return 0;
}
