//===- ToolSupport.cpp - what quant-run and quant-translate share ---------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "ToolSupport.h"
#include "quant-opt/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

void mlir::quantsim::registerToolDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllToLLVMIRTranslations(registry);
}

llvm::Expected<OwningOpRef<ModuleOp>>
mlir::quantsim::parseModuleFile(StringRef path, MLIRContext &context,
                                TimingScope *timing) {
  TimingScope parsing = timing ? timing->nest("parse") : TimingScope();
  std::string message;
  auto file = openInputFile(path, &message);
  if (!file)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot open '" + path + "': " + message);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot parse '" + path + "'");
  return module;
}

llvm::cl::ValuesClass mlir::quantsim::codegenPipelineValues() {
  return llvm::cl::values(
      clEnumValN(CodegenPipeline::CPU, "cpu",
                 "--quantsim-cpu-codegen (default)"),
      clEnumValN(CodegenPipeline::CPUExactMath, "cpu-exact-math",
                 "--quantsim-cpu-codegen=exact-math=true (libm's expf, "
                 "direct 3x3 convolutions: bit-identical to the reference)"),
      clEnumValN(CodegenPipeline::Reference, "reference",
                 "--quantsim-reference-to-llvm (scalar loops)"));
}
