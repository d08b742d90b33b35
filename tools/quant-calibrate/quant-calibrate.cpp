//===- quant-calibrate.cpp - post-training quantization in one command ----===//
//
// Part of quant-opt. Turns a float TOSA model into a fake-quant model that
// `quant-opt --quantsim-qat-to-int` lowers to integers:
//
//   quant-calibrate float.mlir -i calib.npy [--method=M] -o fq.mlir
//
// It runs --quantsim-fold-affine-chains and --quantsim-insert-observers
// (unless the module already has observers), the calibration run (JIT of
// the instrumented graph over the data, unless every observer already has
// statistics), --quantsim-fold-calibration and --quantsim-propagate-ranges.
// --stop-at writes the module after insertion or calibration instead.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Runtime/Calibration.h"
#include "quant-opt/Runtime/Idx.h"
#include "quant-opt/Runtime/ToolSupport.h"
#include "quant-opt/Support/Locations.h"
#include "quant-opt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
using namespace mlir::quantsim;
namespace cl = llvm::cl;

static cl::OptionCategory category("quant-calibrate options");
static cl::opt<std::string> modelFile(cl::Positional, cl::Required,
                                      cl::desc("<float.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("output module"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::opt<std::string> entryName(
    "entry", cl::desc("function to calibrate (default: the module's only "
                      "public function with a body)"),
    cl::cat(category));
static cl::list<std::string> inputFiles(
    "i", cl::desc("calibration data, one .npy per entry input, the items "
                  "along dimension 0"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> idxFile(
    "idx", cl::desc("calibration images from an IDX file (gzipped or not) "
                    "as input 0, scaled by --input-scale"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<double> inputScale("input-scale",
                                  cl::desc("with --idx: multiply bytes by"),
                                  cl::init(1.0), cl::cat(category));
static cl::opt<int64_t> idxOffset("offset",
                                  cl::desc("with --idx: first image"),
                                  cl::init(0), cl::cat(category));
static cl::opt<int64_t> idxCount(
    "count", cl::desc("with --idx: number of images (default: all)"),
    cl::init(-1), cl::cat(category));
static cl::opt<CalibrationMethod> method(
    "method", cl::desc("range rule"), cl::init(CalibrationMethod::MinMax),
    cl::values(
        clEnumValN(CalibrationMethod::MinMax, "minmax", "observed min/max"),
        clEnumValN(CalibrationMethod::Percentile, "percentile",
                   "keep --percentile percent of the values"),
        clEnumValN(CalibrationMethod::MSE, "mse",
                   "minimize the squared quantization error"),
        clEnumValN(CalibrationMethod::Entropy, "entropy",
                   "minimize the KL divergence (TensorRT)")),
    cl::cat(category));
static cl::opt<double> percentile("percentile",
                                  cl::desc("with --method=percentile"),
                                  cl::init(99.99), cl::cat(category));
static cl::opt<std::string> activations(
    "activations", cl::desc("activation storage: u8 (asymmetric) or s8 "
                            "(symmetric)"),
    cl::init("u8"), cl::cat(category));
static cl::opt<unsigned> bits("bits", cl::desc("storage width"), cl::init(8),
                              cl::cat(category));
static cl::opt<bool> perChannelWeights(
    "per-channel-weights", cl::desc("one weight scale per output channel"),
    cl::init(true), cl::cat(category));
static cl::opt<std::string> observer(
    "observer", cl::desc("activation observer: histogram, min_max, "
                         "moving_average_min_max"),
    cl::init("histogram"), cl::cat(category));
static cl::opt<int64_t> bins("bins", cl::desc("histogram bins"),
                             cl::init(2048), cl::cat(category));
static cl::list<std::string> ops("ops",
                                 cl::desc("TOSA op kinds to quantize"),
                                 cl::CommaSeparated, cl::cat(category));
static cl::list<std::string> keepFloat(
    "keep-float", cl::desc("location names (ONNX node names) of ops to "
                           "leave in float"),
    cl::CommaSeparated, cl::cat(category));
static cl::opt<std::string> overflow(
    "overflow", cl::desc("an i32 accumulator that can overflow: error or "
                         "warn"),
    cl::init("error"), cl::cat(category));
enum class Stage { Insert, Calibrate, All };
static cl::opt<Stage> stopAfter(
    "stop-at", cl::desc("write the module after this step"),
    cl::init(Stage::All),
    cl::values(clEnumValN(Stage::Insert, "insert", "observers inserted"),
               clEnumValN(Stage::Calibrate, "calibrate",
                          "observers carry statistics")),
    cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("no progress or summary"),
                           cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-calibrate: error: " << message << "\n";
  return 1;
}
static int fail(llvm::Error err) { return fail(llvm::toString(std::move(err))); }

/// Runs function passes that `build` adds over every function.
static LogicalResult runPasses(ModuleOp module,
                               function_ref<void(OpPassManager &)> build) {
  PassManager pm(module.getContext());
  build(pm.nest<func::FuncOp>());
  return pm.run(module);
}

/// Loads the calibration inputs: -i files, or --idx images as input 0.
static llvm::Expected<SmallVector<NpyArray>>
loadData(func::FuncOp func) {
  SmallVector<NpyArray> data;
  if (!idxFile.empty()) {
    if (!inputFiles.empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "give either -i or --idx, not both");
    if (func.getNumArguments() != 1)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "--idx feeds one input; @" + func.getName() + " takes " +
              llvm::Twine(func.getNumArguments()));
    auto type = dyn_cast<RankedTensorType>(func.getArgumentTypes()[0]);
    if (!type || !type.hasStaticShape() || type.getRank() == 0)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "--idx needs a static tensor input "
                                     "with a batch dimension");
    auto images = readIdxImages(idxFile, inputScale, idxOffset, idxCount,
                                type.getShape().drop_front());
    if (!images)
      return images.takeError();
    data.push_back(std::move(*images));
    return data;
  }
  for (const std::string &path : inputFiles) {
    auto array = readNpy(path);
    if (!array)
      return array.takeError();
    data.push_back(std::move(*array));
  }
  return data;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-calibrate: post-training quantization of a float TOSA model "
      "(insert observers, calibrate, fold statistics, propagate ranges)\n");

  DialectRegistry registry;
  registerToolDialects(registry);
  MLIRContext context(registry);
  auto module = parseModuleFile(modelFile, context);
  if (!module)
    return fail(module.takeError());
  auto entry = selectEntry(**module, entryName);
  if (!entry)
    return fail(entry.takeError());
  auto func = (*module)->lookupSymbol<func::FuncOp>(*entry);
  if (!func || func.isExternal())
    return fail("'" + modelFile + "' has no function '" + *entry +
                "' with a body");

  bool hasObservers = false, allCalibrated = true;
  (*module)->walk([&](ObserveOp op) {
    hasObservers = true;
    allCalibrated &= op.getStats().has_value() ||
                     matchPattern(op.getInput(), m_Constant());
  });

  // 1. Observers, unless the module already has them.
  if (!hasObservers) {
    QuantSimInsertObserversPassOptions options;
    options.ops.assign(ops.begin(), ops.end());
    options.activations = activations;
    options.bits = bits;
    options.perChannelWeights = perChannelWeights;
    options.observer = observer;
    options.bins = bins;
    options.keepFloat.assign(keepFloat.begin(), keepFloat.end());
    if (failed(runPasses(**module, [&](OpPassManager &pm) {
          pm.addPass(createQuantSimFoldAffineChainsPass());
          pm.addPass(createQuantSimInsertObserversPass(options));
        })))
      return fail("inserting observers failed");
    for (const std::string &name : keepFloat) {
      bool found = false;
      (*module)->walk([&](Operation *op) {
        if (op->hasAttr("quantsim.keep_float") &&
            locationName(op->getLoc()) == name)
          found = true;
      });
      if (!found)
        return fail("--keep-float: no quantizable op is named '" + name + "'");
    }
    allCalibrated = false;
  }

  // 2. Calibration, unless every observer has its statistics.
  if (stopAfter != Stage::Insert && !allCalibrated) {
    auto data = loadData(func);
    if (!data)
      return fail(data.takeError());
    SmallVector<const NpyArray *> inputs;
    for (NpyArray &a : *data)
      inputs.push_back(&a);
    bool tty = !quiet && llvm::errs().is_displayed();
    int64_t shown = -1;
    auto progress = [&](int64_t done, int64_t total) {
      int64_t percent = done * 100 / total;
      if (!tty || percent == shown)
        return;
      shown = percent;
      llvm::errs() << llvm::formatv("\rcalibrating: {0}/{1} items ({2}%)",
                                    done, total, percent);
      if (done == total)
        llvm::errs() << "\n";
    };
    auto result = calibrate(**module, *entry, inputs, progress);
    if (!result)
      return fail("'" + modelFile + "': " + llvm::toString(result.takeError()));
    if (!quiet)
      llvm::errs() << llvm::formatv(
          "quant-calibrate: {0} items through {1} observers: compiled in "
          "{2:f2} s, ran in {3:f2} s ({4:f3} ms per item)\n",
          result->items, result->observers, result->compileSeconds,
          result->runSeconds, 1000.0 * result->runSeconds / result->items);
  }

  // 3. Statistics to parameters, then ranges.
  if (stopAfter == Stage::All) {
    QuantSimFoldCalibrationPassOptions fold;
    fold.method = method;
    fold.percentile = percentile;
    QuantSimPropagateRangesPassOptions propagate;
    propagate.overflow = overflow;
    if (failed(runPasses(**module, [&](OpPassManager &pm) {
          pm.addPass(createQuantSimFoldCalibrationPass(fold));
          pm.addPass(createQuantSimPropagateRangesPass(propagate));
        })))
      return fail("folding the statistics failed");
  }

  std::string message;
  auto out = openOutputFile(outputFile, &message);
  if (!out)
    return fail(message);
  (*module)->print(out->os());
  out->os() << "\n";
  if (out->os().has_error())
    return fail("cannot write '" + outputFile + "'");
  out->keep();
  return 0;
}
