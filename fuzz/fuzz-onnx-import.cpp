//===- fuzz-onnx-import.cpp - libFuzzer target: the ONNX importer ---------===//
//
// Part of quant-opt. Any bytes as an ONNX model: the importer returns a
// module that verifies, or an error; never a crash, a hang or a module that
// does not verify.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Import/ONNX.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdlib>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry;
    r->insert<arith::ArithDialect, func::FuncDialect, quant::QuantDialect,
              quantsim::QuantSimDialect, tosa::TosaDialect>();
    return r;
  }();
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  // Remarks (an opset conversion) and errors are expected; stay quiet.
  context.getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = quantsim::importONNXBuffer(bytes, "fuzz.onnx", context,
                                           quantsim::ONNXImportOptions());
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  if (failed(verify(**module)))
    abort(); // the importer verifies what it returns
  return 0;
}
