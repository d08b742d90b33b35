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
#include "quant-opt/Runtime/ErrorAnalysis.h"
#include "quant-opt/Runtime/MixedPrecision.h"
#include "quant-opt/Runtime/Idx.h"
#include "ToolSupport.h"
#include "quant-opt/Support/Version.h"
#include "quant-opt/Support/Locations.h"
#include "quant-opt/Transforms/Observers.h"
#include "quant-opt/Transforms/Passes.h"

#include "Report.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <limits>

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
static cl::opt<unsigned> optLevel(
    "O", cl::desc("LLVM optimization level of the JIT runs (0-3)"),
    cl::init(3), cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("no progress or summary"),
                           cl::cat(category));
static cl::opt<bool> report(
    "report", cl::desc("print each quantized value's error against the "
                       "float graph (SQNR, max abs error) on stderr"),
    cl::cat(category));
static cl::opt<std::string> reportFile(
    "report-file", cl::desc("write the error report as JSON (.json) or CSV "
                            "(.csv)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<int64_t> reportCount(
    "report-count", cl::desc("items of the calibration data used for the "
                             "error report and the mixed-precision search "
                             "(default: all)"),
    cl::init(-1), cl::cat(category));
static cl::opt<int64_t> keepFloatAuto(
    "keep-float-auto", cl::desc("keep the N ops whose quantization costs the "
                                "output the most SQNR in float"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));
static cl::opt<double> targetSqnr(
    "target-sqnr", cl::desc("keep the most sensitive ops in float, one by "
                            "one, until the output SQNR reaches this (dB)"),
    cl::value_desc("dB"), cl::init(std::numeric_limits<double>::quiet_NaN()),
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

static QuantSimInsertObserversPassOptions
insertOptions(ArrayRef<std::string> keep) {
  QuantSimInsertObserversPassOptions options;
  options.ops.assign(ops.begin(), ops.end());
  options.activations = activations;
  options.bits = bits;
  options.perChannelWeights = perChannelWeights;
  options.observer = observer;
  options.bins = bins;
  options.keepFloat.assign(keep.begin(), keep.end());
  return options;
}

/// Statistics to parameters, then ranges.
static LogicalResult foldAndPropagate(ModuleOp module) {
  QuantSimFoldCalibrationPassOptions fold;
  fold.method = method;
  fold.percentile = percentile;
  QuantSimPropagateRangesPassOptions propagate;
  propagate.overflow = overflow;
  return runPasses(module, [&](OpPassManager &pm) {
    pm.addPass(createQuantSimFoldCalibrationPass(fold));
    pm.addPass(createQuantSimPropagateRangesPass(propagate));
  });
}

/// A "\r"-updated progress line on a terminal, nothing elsewhere.
static std::function<void(int64_t, int64_t)> progressLine(StringRef what) {
  bool tty = !quiet && llvm::errs().is_displayed();
  auto shown = std::make_shared<int64_t>(-1);
  std::string label = what.str();
  return [=](int64_t done, int64_t total) {
    int64_t percent = done * 100 / total;
    if (!tty || percent == *shown)
      return;
    *shown = percent;
    llvm::errs() << llvm::formatv("\r{0}: {1}/{2} items ({3}%)", label, done,
                                  total, percent);
    if (done == total)
      llvm::errs() << "\n";
  };
}

/// The names of the ops the mixed-precision search may keep in float: the
/// named quantizable ops of `func` not already kept float by name.
static std::vector<std::string> candidateOps(func::FuncOp func) {
  std::vector<std::string> names;
  llvm::StringSet<> seen;
  for (const std::string &name : keepFloat)
    seen.insert(name);
  std::vector<std::string> kinds(ops.begin(), ops.end());
  for (Operation *op : quantizableOps(func, kinds)) {
    std::string name = locationName(op->getLoc());
    if (!name.empty() && seen.insert(name).second)
      names.push_back(name);
  }
  return names;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::quantsim::setVersionPrinter("quant-calibrate");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-calibrate: post-training quantization of a float TOSA model "
      "(insert observers, calibrate, fold statistics, propagate ranges; "
      "error report and automatic mixed precision)\n");

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

  bool search = keepFloatAuto > 0 || !std::isnan(targetSqnr);
  bool wantReport = report || !reportFile.empty();
  if (optLevel > 3)
    return fail("-O must be 0 to 3");
  if (keepFloatAuto < 0)
    return fail("--keep-float-auto must be at least 0");
  if (keepFloatAuto > 0 && !std::isnan(targetSqnr))
    return fail("give either --keep-float-auto or --target-sqnr, not both");
  if (!reportFile.empty() && !StringRef(reportFile).ends_with(".json") &&
      !StringRef(reportFile).ends_with(".csv"))
    return fail("--report-file: '" + reportFile +
                "' must end in .json or .csv");
  if ((search || wantReport) && stopAfter != Stage::All)
    return fail("the error report and the mixed-precision search need the "
                "whole run (no --stop-at)");
  if (search && hasObservers)
    return fail("the mixed-precision search needs a float model; '" +
                modelFile + "' already has observers");

  // 1. Observers, unless the module already has them. The search keeps the
  // float graph to insert observers again with other ops kept float.
  OwningOpRef<ModuleOp> floatModule;
  std::vector<std::string> candidates;
  if (!hasObservers) {
    if (failed(runPasses(**module, [&](OpPassManager &pm) {
          pm.addPass(createQuantSimFoldAffineChainsPass());
        })))
      return fail("folding affine chains failed");
    if (search) {
      floatModule = (*module)->clone();
      candidates =
          candidateOps(floatModule->lookupSymbol<func::FuncOp>(*entry));
    }
    std::vector<std::string> keep(keepFloat.begin(), keepFloat.end());
    if (failed(runPasses(**module, [&](OpPassManager &pm) {
          pm.addPass(createQuantSimInsertObserversPass(insertOptions(keep)));
        })))
      return fail("inserting observers failed");
    for (const std::string &name : keepFloat) {
      bool found = false;
      (*module)->walk([&](Operation *op) {
        if (isKeptFloat(op) &&
            locationName(op->getLoc()) == name)
          found = true;
      });
      if (!found)
        return fail("--keep-float: no quantizable op is named '" + name + "'");
    }
    allCalibrated = false;
  }

  // 2. Calibration, unless every observer has its statistics.
  SmallVector<NpyArray> data;
  SmallVector<const NpyArray *> inputs;
  bool needData = (stopAfter != Stage::Insert && !allCalibrated) ||
                  search || wantReport;
  if (needData) {
    auto loaded = loadData(func);
    if (!loaded)
      return fail(loaded.takeError());
    data = std::move(*loaded);
    for (NpyArray &a : data)
      inputs.push_back(&a);
  }
  if (stopAfter != Stage::Insert && !allCalibrated) {
    auto result = calibrate(**module, *entry, inputs,
                            progressLine("calibrating"), {}, optLevel);
    if (!result)
      return fail("'" + modelFile + "': " + llvm::toString(result.takeError()));
    if (!quiet)
      llvm::errs() << llvm::formatv(
          "quant-calibrate: {0} items through {1} observers: compiled in "
          "{2:f2} s, ran in {3:f2} s ({4:f3} ms per item)\n",
          result->items, result->observers, result->compileSeconds,
          result->runSeconds, 1000.0 * result->runSeconds / result->items);
  }
  OwningOpRef<ModuleOp> calibrated;
  if (search)
    calibrated = (*module)->clone();

  // 3. Statistics to parameters, then ranges.
  if (stopAfter == Stage::All && failed(foldAndPropagate(**module)))
    return fail("folding the statistics failed");

  // 4. The float reference, the mixed-precision search, the report.
  std::unique_ptr<FloatReference> reference;
  std::optional<MixedPrecisionResult> mixed;
  if (search || wantReport) {
    auto ref = FloatReference::create(**module, *entry, inputs, reportCount,
                                      {}, optLevel);
    if (!ref)
      return fail("'" + modelFile + "': " + llvm::toString(ref.takeError()));
    reference = std::move(*ref);
  }
  if (search) {
    if (candidates.empty())
      return fail("the mixed-precision search found no named quantizable op "
                  "to keep in float");
    FakeQuantBuilder build =
        [&](ArrayRef<std::string> extra) -> llvm::Expected<OwningOpRef<ModuleOp>> {
      OwningOpRef<ModuleOp> variant = floatModule->clone();
      std::vector<std::string> keep(keepFloat.begin(), keepFloat.end());
      keep.insert(keep.end(), extra.begin(), extra.end());
      if (failed(runPasses(*variant, [&](OpPassManager &pm) {
            pm.addPass(createQuantSimInsertObserversPass(insertOptions(keep)));
          })))
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "inserting observers failed");
      if (llvm::Error err = copyStatistics(*calibrated, *variant))
        return std::move(err);
      if (failed(foldAndPropagate(*variant)))
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "folding the statistics failed");
      return variant;
    };
    MixedPrecisionOptions options;
    options.keepFloatCount = keepFloatAuto;
    if (!std::isnan(targetSqnr))
      options.targetSqnrDb = targetSqnr;
    bool tty = !quiet && llvm::errs().is_displayed();
    auto result = searchMixedPrecision(
        candidates, build, *reference, options, [&](StringRef what) {
          if (tty)
            llvm::errs() << "\rmixed precision: measuring " << what
                         << "\x1b[K";
        });
    if (tty)
      llvm::errs() << "\r\x1b[K";
    if (!result)
      return fail("'" + modelFile + "': " + llvm::toString(result.takeError()));
    mixed = std::move(*result);
    *module = std::move(mixed->module);
    if (!quiet)
      printMixedPrecision(llvm::errs(), *mixed, reference->items(), options);
  }
  if (wantReport) {
    auto values = reference->compareValues(**module,
                                           progressLine("error report"));
    if (!values)
      return fail("'" + modelFile + "': " + llvm::toString(values.takeError()));
    ReportContext context{CalibrationMethod(method), mixed ? &*mixed : nullptr};
    if (report)
      printErrorTable(llvm::errs(), *values, context);
    if (!reportFile.empty()) {
      std::string message;
      auto file = openOutputFile(reportFile, &message);
      if (!file)
        return fail(message);
      if (StringRef(reportFile).ends_with(".json"))
        writeErrorJson(file->os(), *values, context);
      else
        writeErrorCsv(file->os(), *values);
      if (file->os().has_error())
        return fail("cannot write '" + reportFile + "'");
      file->keep();
    }
  }

  std::string message;
  auto out = openOutputFile(outputFile, &message);
  if (!out)
    return fail(message);
  (*module)->print(out->os(), OpPrintingFlags().enableDebugInfo(
                                  /*enable=*/true, /*prettyForm=*/false));
  out->os() << "\n";
  if (out->os().has_error())
    return fail("cannot write '" + outputFile + "'");
  out->keep();
  return 0;
}
