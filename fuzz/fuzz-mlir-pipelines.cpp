//===- fuzz-mlir-pipelines.cpp - libFuzzer target: parse, verify, lower ---===//
//
// Part of quant-opt. Any text as MLIR: parsed and verified; a module that
// verifies goes through --quantsim-qat-to-int then --quantsim-cpu-codegen,
// and (a copy of it) through --quantsim-reference-to-llvm, with the verifier
// after each pass. Each step may fail with a diagnostic; none may crash,
// and a pipeline that succeeds must leave IR that verifies.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/InitAll.h"
#include "quant-opt/Codegen/Pipelines.h"
#include "quant-opt/Pipelines.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cstdlib>
#include <string>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry;
    quantsim::registerAllDialects(*r);
    return r;
  }();
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  context.getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
  context.allowUnregisteredDialects(false);
  // MLIR's lexer reads up to a terminating NUL, which files have (the tools
  // read them through MemoryBuffer) and fuzzer inputs do not: copy.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module)
    return 0;
  // Each pipeline on its own copy; QAT-to-int's result also goes through
  // the CPU code generator, as quant-opt's users chain them.
  auto run = [&](ModuleOp m, auto build) {
    PassManager pm(&context);
    pm.enableVerifier(true);
    build(pm);
    bool ok = succeeded(pm.run(m));
    if (ok && failed(verify(m)))
      abort();
    return ok;
  };
  OwningOpRef<ModuleOp> integer = module->clone();
  if (run(*integer, [](OpPassManager &pm) {
        quantsim::buildQATToIntPipeline(pm);
      }))
    run(*integer, [](OpPassManager &pm) {
      quantsim::buildCPUCodegenPipeline(pm);
    });
  OwningOpRef<ModuleOp> reference = module->clone();
  run(*reference, [](OpPassManager &pm) {
    quantsim::buildReferenceToLLVMPipeline(pm);
  });
  return 0;
}
