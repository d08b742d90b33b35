//===- ErrorAnalysis.cpp - fake-quant graph against its float graph -------===//
//
// Part of quant-opt. Both graphs are compiled by the CPU pipeline with the
// compared values appended to the entry's results (as in calibration) and
// run over the same items.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/ErrorAnalysis.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "ItemFeed.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>
#include <limits>

using namespace mlir;
using namespace mlir::quantsim;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

double ErrorReport::outputSqnrDb() const {
  double lowest = std::numeric_limits<double>::infinity();
  for (const ValueError &output : outputs)
    lowest = std::min(lowest, output.error.sqnrDb());
  return lowest;
}

/// The entry of `module`, checked to be a fake-quant graph.
static llvm::Expected<func::FuncOp> fakeQuantEntry(ModuleOp module,
                                                   StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal())
    return error("no function '" + entry + "' with a body in the module");
  WalkResult walk = func.walk([](ObserveOp) { return WalkResult::interrupt(); });
  if (walk.wasInterrupted())
    return error("@" + entry + " still has observers; fold the statistics "
                               "into fake_quants first");
  return func;
}

/// The activation fake_quants that name their observer, in program order.
static SmallVector<FakeQuantOp> namedActivations(func::FuncOp func) {
  SmallVector<FakeQuantOp> ops;
  func.walk([&](FakeQuantOp op) {
    if (op->hasAttr(QuantSimDialect::ObserverAttrHelper::getNameStr()) &&
        !matchPattern(op.getInput(), m_Constant()))
      ops.push_back(op);
  });
  return ops;
}

/// Replaces every fake_quant of `func` by its input.
static void removeFakeQuants(func::FuncOp func) {
  func.walk([](FakeQuantOp op) {
    op.replaceAllUsesWith(op.getInput());
    op.erase();
  });
}

/// The value before any fake_quants.
static Value floatValue(Value v) {
  while (auto fq = v.getDefiningOp<FakeQuantOp>())
    v = fq.getInput();
  return v;
}

/// The op that computes `v`, looking through fake_quants and the epilogue
/// of a conv or matmul (constant bias add, clamp, reshapes).
static std::string producerOf(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (isa<FakeQuantOp, tosa::ClampOp, tosa::ReshapeOp>(def)) {
      v = def->getOperand(0);
    } else if (auto add = dyn_cast<tosa::AddOp>(def);
               add && matchPattern(add.getInput2(), m_Constant())) {
      v = add.getInput1();
    } else if (add && matchPattern(add.getInput1(), m_Constant())) {
      v = add.getInput2();
    } else {
      return def->getName().getStringRef().str();
    }
  }
  return "argument";
}

/// The elements of `a` as floats (a itself when it holds f32).
static const float *floats(const NpyArray &a, std::vector<float> &scratch) {
  if (a.dtype == DType::F32)
    return a.as<float>();
  scratch.resize(static_cast<size_t>(a.numElements()));
  for (int64_t i = 0, e = a.numElements(); i < e; ++i)
    scratch[static_cast<size_t>(i)] = static_cast<float>(a.at(i));
  return scratch.data();
}

static SmallVector<NpyArray> allocate(ArrayRef<TensorSpec> specs) {
  SmallVector<NpyArray> arrays;
  for (const TensorSpec &spec : specs)
    arrays.emplace_back(spec.dtype, spec.shape);
  return arrays;
}

llvm::Expected<std::unique_ptr<FloatReference>>
FloatReference::create(ModuleOp module, StringRef entry,
                       ArrayRef<const NpyArray *> inputs, int64_t maxItems,
                       const CodegenTarget &target, unsigned optLevel) {
  auto func = fakeQuantEntry(module, entry);
  if (!func)
    return func.takeError();
  std::unique_ptr<FloatReference> ref(new FloatReference);
  ref->entry = entry.str();
  ref->inputs.assign(inputs.begin(), inputs.end());
  ref->maxItems = maxItems;
  ref->target = target;
  ref->optLevel = optLevel;

  OwningOpRef<ModuleOp> copy = module.clone();
  removeFakeQuants(copy->lookupSymbol<func::FuncOp>(entry));
  auto start = std::chrono::steady_clock::now();
  auto session =
      JitSession::create(*copy, entry, optLevel, CodegenPipeline::CPU, target);
  if (!session)
    return session.takeError();
  ref->compileSeconds = secondsSince(start);
  auto feed = ItemFeed::create(inputs, (*session)->inputs(), "the", maxItems);
  if (!feed)
    return feed.takeError();
  ref->outputSpecs.assign((*session)->outputs().begin(),
                          (*session)->outputs().end());
  start = std::chrono::steady_clock::now();
  for (int64_t step = 0; step < feed->steps(); ++step) {
    SmallVector<NpyArray> outputs = allocate(ref->outputSpecs);
    if (llvm::Error err = (*session)->run(feed->chunk(step), outputs))
      return std::move(err);
    ref->results.push_back(std::move(outputs));
  }
  ref->runSeconds = secondsSince(start);
  ref->itemCount = feed->items();
  return ref;
}

llvm::Expected<ErrorReport>
FloatReference::compareOutputs(ModuleOp module) const {
  return compare(module, /*values=*/false, {});
}

llvm::Expected<ErrorReport>
FloatReference::compareValues(ModuleOp module,
                              const ErrorProgress &progress) const {
  return compare(module, /*values=*/true, progress);
}

llvm::Expected<ErrorReport>
FloatReference::compare(ModuleOp module, bool values,
                        const ErrorProgress &progress) const {
  auto func = fakeQuantEntry(module, entry);
  if (!func)
    return func.takeError();
  ErrorReport report;

  // The fake-quant graph, and (for values) the float graph, each with the
  // compared values as extra results.
  SmallVector<FakeQuantOp> layers =
      values ? namedActivations(*func) : SmallVector<FakeQuantOp>();
  OwningOpRef<ModuleOp> quantized = module.clone();
  OwningOpRef<ModuleOp> floating;
  if (values) {
    auto quantFunc = quantized->lookupSymbol<func::FuncOp>(entry);
    SmallVector<Value> probes;
    for (FakeQuantOp op : namedActivations(quantFunc))
      probes.push_back(op.getResult());
    appendResults(quantFunc, probes);

    floating = module.clone();
    auto floatFunc = floating->lookupSymbol<func::FuncOp>(entry);
    probes.clear();
    for (FakeQuantOp op : namedActivations(floatFunc))
      probes.push_back(floatValue(op.getInput()));
    appendResults(floatFunc, probes);
    removeFakeQuants(floatFunc);
  }
  for (FakeQuantOp op : layers) {
    ValueError v;
    auto observer = op->getAttrOfType<StringAttr>(
        QuantSimDialect::ObserverAttrHelper::getNameStr());
    v.name = observer ? observer.getValue().str() : std::string();
    v.op = producerOf(op.getInput());
    v.shape.assign(op.getType().getShape().begin(),
                   op.getType().getShape().end());
    report.values.push_back(std::move(v));
  }

  auto start = std::chrono::steady_clock::now();
  auto quantSession =
      JitSession::create(*quantized, entry, optLevel, CodegenPipeline::CPU,
                         target);
  if (!quantSession)
    return quantSession.takeError();
  std::unique_ptr<JitSession> floatSession;
  if (values) {
    auto session =
        JitSession::create(*floating, entry, optLevel, CodegenPipeline::CPU,
                           target);
    if (!session)
      return session.takeError();
    floatSession = std::move(*session);
  }
  report.compileSeconds = secondsSince(start);

  size_t numOutputs = outputSpecs.size();
  ArrayRef<TensorSpec> got = (*quantSession)->outputs();
  if (got.size() != numOutputs + layers.size())
    return error(llvm::formatv("@{0} returns {1} results; its float graph "
                               "returns {2}",
                               entry, got.size() - layers.size(),
                               numOutputs));
  for (size_t i = 0; i < numOutputs; ++i) {
    if (got[i].shape != outputSpecs[i].shape)
      return error(llvm::formatv("result {0} of @{1} is {2}; in the float "
                                 "graph it is {3}",
                                 i, entry, describe(got[i].dtype, got[i].shape),
                                 describe(outputSpecs[i].dtype,
                                          outputSpecs[i].shape)));
    ValueError v;
    v.name = "output" + std::to_string(i);
    v.op = "result";
    v.shape = outputSpecs[i].shape;
    report.outputs.push_back(std::move(v));
  }

  SmallVector<const NpyArray *> inputPtrs(inputs);
  auto feed = ItemFeed::create(inputPtrs, (*quantSession)->inputs(), "the",
                               maxItems);
  if (!feed)
    return feed.takeError();
  if (feed->steps() != static_cast<int64_t>(results.size()))
    return error("the module's entry takes another batch than the float "
                 "graph's");

  SmallVector<NpyArray> quantOut = allocate((*quantSession)->outputs());
  SmallVector<NpyArray> floatOut =
      values ? allocate(floatSession->outputs()) : SmallVector<NpyArray>();
  std::vector<float> scratchA, scratchB;
  start = std::chrono::steady_clock::now();
  for (int64_t step = 0; step < feed->steps(); ++step) {
    ArrayRef<const NpyArray *> chunk = feed->chunk(step);
    if (llvm::Error err = (*quantSession)->run(chunk, quantOut))
      return std::move(err);
    if (values)
      if (llvm::Error err = floatSession->run(chunk, floatOut))
        return std::move(err);
    const SmallVector<NpyArray> &reference = results[step];
    for (size_t i = 0; i < numOutputs; ++i)
      report.outputs[i].error.add(floats(reference[i], scratchA),
                                  floats(quantOut[i], scratchB),
                                  reference[i].numElements());
    for (size_t i = 0; i < layers.size(); ++i) {
      const NpyArray &f = floatOut[numOutputs + i];
      const NpyArray &q = quantOut[numOutputs + i];
      report.values[i].error.add(floats(f, scratchA), floats(q, scratchB),
                                 f.numElements());
    }
    if (progress)
      progress((step + 1) * feed->batch(), feed->items());
  }
  report.runSeconds = secondsSince(start);
  report.items = feed->items();
  return report;
}
