//===- embed.cpp - quant-opt as a compiler's quantization backend ---------===//
//
// What a compiler that links quant-opt does: register the quantsim dialect
// and the passes in its own MLIRContext, lower a fake-quant (QAT) TOSA
// function to integer TOSA, compile both the fake-quant graph and the
// integer graph to native code in the JIT, run them on one input and
// compare. The fake-quant graph is the numerics contract: the integer graph
// must give the same quantized values.
//
//   embed [model.mlir [entry]]    (default: a built-in one-layer network)
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Pipelines.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Pipelines.h"
#include "quant-opt/Runtime/JitSession.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

// u8 activations, per-channel s8 weights, bias, ReLU: the quickstart's layer.
static const char *kBuiltinModel = R"mlir(
func.func @mlp(%x: tensor<1x1x4xf32>) -> tensor<1x1x3xf32> {
  %w = arith.constant dense<[[[0.31, -0.52, 0.13], [0.77, 0.05, -0.91],
                              [-0.24, 0.66, 0.48], [0.12, -0.33, 0.29]]]> : tensor<1x4x3xf32>
  %b = arith.constant dense<[[[0.1, -0.2, 0.05]]]> : tensor<1x1x3xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:128> : tensor<1x1x4xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.0072, 0.0052, 0.0072}> : tensor<1x4x3xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32>
  %yb = tosa.add %y, %b : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
  %r = tosa.clamp %yb {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.01> : tensor<1x1x3xf32>
  return %rq : tensor<1x1x3xf32>
}
)mlir";

static int fail(const llvm::Twine &message) {
  llvm::errs() << "embed: " << message << "\n";
  return 1;
}

/// JIT-compiles `entry` of `module` (lowered in place) and runs it on
/// `input`, a deterministic ramp in [-1, 1] when the entry's first input
/// is f32.
static llvm::Expected<llvm::SmallVector<quantsim::NpyArray>>
compileAndRun(ModuleOp module, llvm::StringRef entry) {
  auto session = quantsim::JitSession::create(module, entry);
  if (!session)
    return session.takeError();
  llvm::SmallVector<quantsim::NpyArray> inputs;
  llvm::SmallVector<const quantsim::NpyArray *> pointers;
  for (const quantsim::TensorSpec &spec : (*session)->inputs()) {
    if (spec.dtype != quantsim::DType::F32)
      return llvm::createStringError("the entry's inputs must be f32");
    quantsim::NpyArray &array = inputs.emplace_back(spec.dtype, spec.shape);
    int64_t n = array.numElements();
    for (int64_t i = 0; i < n; ++i)
      array.as<float>()[i] = n == 1 ? 0.5f : -1.0f + 2.0f * i / (n - 1);
  }
  for (const quantsim::NpyArray &array : inputs)
    pointers.push_back(&array);
  return (*session)->runBatched(pointers);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);

  // The client's own context: the dialects of its input, plus what the
  // code generation pipelines need.
  DialectRegistry registry;
  registry.insert<arith::ArithDialect, func::FuncDialect, quant::QuantDialect,
                  quantsim::QuantSimDialect, tosa::TosaDialect>();
  quantsim::registerCodegenDialects(registry);
  MLIRContext context(registry);

  OwningOpRef<ModuleOp> qat;
  if (argc > 1)
    qat = parseSourceFile<ModuleOp>(argv[1], &context);
  else
    qat = parseSourceString<ModuleOp>(kBuiltinModel, &context);
  if (!qat)
    return fail(llvm::Twine("cannot parse ") + (argc > 1 ? argv[1] : "the built-in model"));
  std::string entry = argc > 2 ? argv[2] : "";
  auto selected = quantsim::selectEntry(*qat, entry);
  if (!selected)
    return fail(llvm::toString(selected.takeError()));
  entry = *selected;

  // Fake-quant TOSA to integer TOSA: the backend's main job.
  OwningOpRef<ModuleOp> integer = qat->clone();
  PassManager pm(&context);
  quantsim::QATToIntOptions options;
  quantsim::buildQATToIntPipeline(pm, options);
  if (failed(pm.run(*integer)))
    return fail("the QAT-to-integer lowering failed");
  int64_t fakeQuants = 0, rescales = 0;
  integer->walk([&](Operation *op) {
    fakeQuants += isa<quantsim::FakeQuantOp>(op);
    rescales += isa<tosa::RescaleOp>(op);
  });
  llvm::outs() << "integer graph: " << rescales << " tosa.rescale, "
               << fakeQuants << " fake_quant left\n";

  // Both graphs to native code, run on the same input.
  auto reference = compileAndRun(*qat, entry);
  if (!reference)
    return fail("fake-quant graph: " + llvm::toString(reference.takeError()));
  auto result = compileAndRun(*integer, entry);
  if (!result)
    return fail("integer graph: " + llvm::toString(result.takeError()));

  int64_t mismatches = 0, total = 0;
  for (auto [r, q] : llvm::zip_equal(*reference, *result)) {
    llvm::outs() << "output:";
    for (int64_t i = 0, n = q.numElements(); i < n; ++i) {
      llvm::outs() << " " << llvm::format("%.6g", q.at(i));
      mismatches += r.at(i) != q.at(i);
      ++total;
    }
    llvm::outs() << "\n";
  }
  llvm::outs() << "integer graph vs fake-quant graph: " << mismatches
               << " of " << total << " values differ\n";
  return mismatches == 0 ? 0 : 2;
}
