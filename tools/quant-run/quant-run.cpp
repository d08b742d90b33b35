//===- quant-run.cpp - JIT-run, benchmark and compare modules -------------===//
//
// Part of quant-opt. JIT-compiles a module (TOSA, quantsim, or any stage the
// reference lowering accepts) and runs an entry function on .npy inputs:
//
//   quant-run model.mlir -i x.npy -o y.npy [--print]
//   quant-run model.mlir --random-inputs=1 --benchmark=100
//   quant-run int.mlir --compare=float.mlir -i x.npy --top1 --step=0.01
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/FloatEnvironment.h"
#include "quant-opt/Runtime/Idx.h"
#include "quant-opt/Runtime/JitSession.h"
#include "quant-opt/Runtime/Npy.h"
#include "ToolSupport.h"
#include "quant-opt/Support/Version.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

using namespace mlir;
using namespace mlir::quantsim;
namespace cl = llvm::cl;

static cl::OptionCategory category("quant-run options");
static cl::opt<std::string> modelFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> entryName(
    "entry", cl::desc("function to run (default: the module's only public "
                      "function with a body)"),
    cl::cat(category));
static cl::list<std::string> inputFiles("i", cl::desc("input .npy, in order"),
                                        cl::value_desc("file"),
                                        cl::cat(category));
static cl::list<std::string> outputFiles("o",
                                         cl::desc("output .npy, in order"),
                                         cl::value_desc("file"),
                                         cl::cat(category));
static cl::opt<std::string> idxFile(
    "idx", cl::desc("input 0 from an IDX image file (gzipped or not, e.g. "
                    "Fashion-MNIST): u8 images, scaled by --input-scale and "
                    "shaped like the entry's input with the image count as "
                    "the batch (a batch-1 entry runs once per image, an "
                    "entry of batch --count once)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<double> inputScale(
    "input-scale", cl::desc("with --idx: multiply the bytes by this"),
    cl::init(1.0), cl::cat(category));
static cl::opt<int64_t> idxOffset("offset",
                                  cl::desc("with --idx: first image to use"),
                                  cl::init(0), cl::cat(category));
static cl::opt<int64_t> idxCount(
    "count", cl::desc("with --idx: number of images (default: all after "
                      "--offset)"),
    cl::init(-1), cl::cat(category));
static cl::opt<std::string> labelsFile(
    "labels", cl::desc("ground-truth labels (IDX or .npy) for output 0's "
                       "argmax over its last dimension: prints accuracy"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> agreeWithFile(
    "agree-with", cl::desc("another model's predicted labels (IDX or .npy): "
                           "prints top-1 agreement with output 0"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> referenceOutput(
    "reference-output", cl::desc("compare output 0 with this .npy (e.g. "
                                 "another framework's logits) like --compare"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<int> randomSeed(
    "random-inputs",
    cl::desc("generate inputs with this seed instead of -i (floats uniform "
             "in [-1, 1], integers over their range)"),
    cl::init(-1), cl::cat(category));
static cl::opt<unsigned> randomBatch(
    "batch", cl::desc("with --random-inputs: generate a batch of N items "
                      "(the entry's leading dimension must be 1)"),
    cl::init(0), cl::cat(category));
static cl::opt<std::string> saveInputs(
    "save-inputs", cl::desc("write the inputs used to <prefix><N>.npy"),
    cl::value_desc("prefix"), cl::cat(category));
static cl::opt<bool> flushDenormals(
    "flush-denormals",
    cl::desc("run the model with subnormal (denormal) numbers flushed to "
             "zero, results and operands (x86: MXCSR FTZ and DAZ; AArch64: "
             "FPCR.FZ), as TensorFlow runs by default: faster where the data "
             "produces them; values differ only where they would have been "
             "subnormal"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> printOutputs("print", cl::desc("print the outputs"),
                                  cl::cat(category));
static cl::opt<unsigned> printLimit(
    "print-limit", cl::desc("elements printed per output"), cl::init(64),
    cl::cat(category));
static cl::opt<unsigned> benchmarkRuns(
    "benchmark", cl::desc("time this many runs; print median and min"),
    cl::init(0), cl::cat(category));
static cl::opt<std::string> compareFile(
    "compare", cl::desc("run this second module on the same inputs and "
                        "print the differences"),
    cl::value_desc("other.mlir"), cl::cat(category));
static cl::opt<bool> top1(
    "top1", cl::desc("with --compare: argmax agreement over the last "
                     "dimension (classifier outputs)"),
    cl::cat(category));
static cl::opt<double> step(
    "step", cl::desc("with --compare: also report the largest difference in "
                     "units of this quantization step"),
    cl::init(0.0), cl::cat(category));
static cl::opt<double> absTolerance(
    "atol", cl::desc("with --compare or --reference-output: exit with status "
                     "2 when an output's largest absolute difference exceeds "
                     "this"),
    cl::init(-1.0), cl::cat(category));
static cl::opt<int64_t> maxSteps(
    "max-steps", cl::desc("with --step: exit with status 2 when an output's "
                          "largest difference exceeds this many steps"),
    cl::init(-1), cl::cat(category));
static cl::opt<double> minTop1(
    "min-top1", cl::desc("with --top1: exit with status 2 when the argmax "
                         "agreement is below this percentage"),
    cl::init(-1.0), cl::cat(category));
static cl::opt<CodegenPipeline> pipeline(
    "pipeline", cl::desc("lowering to native code"),
    cl::init(CodegenPipeline::CPU), codegenPipelineValues(),
    cl::cat(category));
static cl::opt<CodegenPipeline> comparePipeline(
    "compare-pipeline",
    cl::desc("lowering of the --compare module (default: --pipeline)"),
    codegenPipelineValues(), cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::cat(category));
// LLVM registers a hidden --threads of its own.
static cl::opt<unsigned> threads(
    "num-threads",
    cl::desc("run the kernels' loops over the batch and the output rows on "
             "this many threads (OpenMP; default 1). Results are the same "
             "as with one thread"),
    cl::init(1), cl::cat(category));
static cl::opt<unsigned> compileThreads(
    "compile-threads",
    cl::desc("threads for LLVM's machine code (default: the cores "
             "present). A model of many functions is split in as many "
             "parts; the code is the same"),
    cl::init(0), cl::cat(category));
static cl::opt<bool> timing(
    "timing",
    cl::desc("print where compiling the model took its time (parsing, each "
             "MLIR pass, LLVM IR translation, LLVM optimization, machine "
             "code) on stderr"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string> targetCPU(
    "target-cpu",
    cl::desc("compile for this CPU of the host's architecture (default: the "
             "host CPU), e.g. x86-64-v3 to run the code of a CPU without "
             "AVX-512"),
    cl::cat(category));
static cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("adjust target features, e.g. -avx512vnni for the kernels' "
             "portable path"),
    cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-run: error: " << message << "\n";
  return 1;
}

static int fail(llvm::Error err) { return fail(llvm::toString(std::move(err))); }

/// Images [N, ...] from an IDX file as input 0 of the entry: f32 scaled by
/// --input-scale, shaped [count, entry dims after the batch].
static llvm::Expected<NpyArray> idxInput(const TensorSpec &spec) {
  if (spec.dtype != DType::F32 || spec.shape.empty())
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "--idx needs an f32 entry input with a batch dimension; the entry "
        "expects " + describe(spec.dtype, spec.shape));
  auto images = readIdxImages(idxFile, inputScale, idxOffset, idxCount,
                              ArrayRef<int64_t>(spec.shape).drop_front());
  if (!images)
    return images.takeError();
  int64_t count = images->shape[0];
  if (spec.shape[0] != 1 && spec.shape[0] != count)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("--idx needs an entry input of batch 1 (or of the "
                      "image count, {0}); the entry expects {1}",
                      count, describe(spec.dtype, spec.shape)));
  return images;
}

/// Labels from an IDX or .npy file, sliced like --idx when it is given.
static llvm::Expected<SmallVector<int64_t>> readLabels(StringRef path,
                                                       int64_t expected) {
  auto array = path.ends_with(".npy") ? readNpy(path) : readIdx(path);
  if (!array)
    return array.takeError();
  int64_t offset = idxFile.empty() ? 0 : idxOffset.getValue();
  if (array->numElements() < offset + expected)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("'{0}' has {1} labels; {2} are needed from {3}", path,
                      array->numElements(), expected, offset));
  SmallVector<int64_t> labels;
  for (int64_t i = 0; i < expected; ++i)
    labels.push_back(static_cast<int64_t>(array->at(offset + i)));
  return labels;
}

/// Top-1 predictions of a [N, ..., C] output.
static SmallVector<int64_t> argmaxRows(const NpyArray &a) {
  int64_t classes = a.shape.empty() ? 1 : a.shape.back();
  SmallVector<int64_t> predictions;
  if (classes == 0)
    return predictions;
  for (int64_t r = 0; r < a.numElements() / classes; ++r) {
    int64_t best = 0;
    for (int64_t c = 1; c < classes; ++c)
      if (a.at(r * classes + c) > a.at(r * classes + best))
        best = c;
    predictions.push_back(best);
  }
  return predictions;
}

static NpyArray randomArray(const TensorSpec &spec, std::mt19937 &rng) {
  NpyArray a(spec.dtype, spec.shape);
  int64_t n = a.numElements();
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int64_t i = 0; i < n; ++i) {
    switch (spec.dtype) {
    case DType::F32:
      a.as<float>()[i] = static_cast<float>(unit(rng));
      break;
    case DType::F64:
      a.as<double>()[i] = unit(rng);
      break;
    case DType::I8:
      a.as<int8_t>()[i] = static_cast<int8_t>(rng());
      break;
    case DType::U8:
      a.as<uint8_t>()[i] = static_cast<uint8_t>(rng());
      break;
    case DType::I32:
      a.as<int32_t>()[i] = static_cast<int32_t>(rng());
      break;
    case DType::I64:
      a.as<int64_t>()[i] = static_cast<int64_t>(rng());
      break;
    }
  }
  return a;
}

static void print(const NpyArray &a, unsigned index) {
  llvm::outs() << "output " << index << ": " << describe(a.dtype, a.shape)
               << "\n[";
  int64_t n = a.numElements();
  for (int64_t i = 0; i < n && i < printLimit; ++i)
    llvm::outs() << (i ? ", " : "") << llvm::format("%.9g", a.at(i));
  llvm::outs() << (n > printLimit ? ", ...]\n" : "]\n");
}

/// Prints the differences of output `index`; false when they exceed a
/// tolerance given on the command line (each is named on stderr).
static bool compare(const NpyArray &a, const NpyArray &b, unsigned index) {
  int64_t n = a.numElements();
  double maxErr = 0, sumErr = 0;
  int64_t exact = 0;
  for (int64_t i = 0; i < n; ++i) {
    double x = a.at(i), y = b.at(i);
    // NaN against NaN counts as equal; against a number, as infinitely far.
    double err = std::isnan(x) && std::isnan(y) ? 0.0 : std::fabs(x - y);
    if (std::isnan(x) != std::isnan(y))
      err = INFINITY;
    maxErr = std::max(maxErr, err);
    sumErr += err;
    exact += (x == y) || (std::isnan(x) && std::isnan(y));
  }
  llvm::outs() << llvm::formatv(
      "output {0}: max_abs_err {1:e} mean_abs_err {2:e} exact {3}/{4} "
      "({5:f2}%)",
      index, maxErr, n ? sumErr / n : 0.0, exact, n,
      n ? 100.0 * exact / n : 100.0);
  bool within = true;
  auto exceeds = [&](const llvm::Twine &what) {
    llvm::errs() << "quant-run: output " << index << ": " << what << "\n";
    within = false;
  };
  if (absTolerance >= 0 && !(maxErr <= absTolerance))
    exceeds(llvm::formatv("max_abs_err {0:e} exceeds --atol={1}", maxErr,
                          absTolerance.getValue())
                .str());
  if (step > 0) {
    double steps = std::round(maxErr / step);
    std::string shown = std::isfinite(steps)
                            ? std::to_string(static_cast<int64_t>(steps))
                            : std::string("inf");
    llvm::outs() << " max_steps " << shown;
    if (maxSteps >= 0 && !(steps <= static_cast<double>(maxSteps)))
      exceeds("max_steps " + shown + " exceeds --max-steps=" +
              std::to_string(maxSteps.getValue()));
  }
  if (top1 && !a.shape.empty()) {
    SmallVector<int64_t> pa = argmaxRows(a), pb = argmaxRows(b);
    int64_t rows = static_cast<int64_t>(pa.size()), agree = 0;
    for (auto [ia, ib] : llvm::zip(pa, pb))
      agree += ia == ib;
    double percent = rows ? 100.0 * agree / rows : 100.0;
    llvm::outs() << llvm::formatv(" top1 {0}/{1} ({2:f2}%)", agree, rows,
                                  percent);
    if (minTop1 >= 0 && percent < minTop1)
      exceeds(llvm::formatv("top1 agreement {0:f2}% is below --min-top1={1}",
                            percent, minTop1.getValue())
                  .str());
  }
  llvm::outs() << "\n";
  return within;
}

static llvm::Expected<std::unique_ptr<JitSession>>
compile(StringRef path, MLIRContext &context, std::string &entry,
        CodegenPipeline which) {
  // The report prints when the manager goes out of scope, after the root.
  DefaultTimingManager timingManager;
  timingManager.setEnabled(timing);
  TimingScope root = timingManager.getRootScope();
  auto module = parseModuleFile(path, context, &root);
  if (!module)
    return module.takeError();
  if (entry.empty()) {
    auto picked = selectEntry(**module, entryName);
    if (!picked)
      return picked.takeError();
    entry = *picked;
  }
  CodegenTarget target;
  target.cpu = targetCPU;
  target.features = targetFeatures;
  auto session = JitSession::create(
      **module, entry, optLevel, which, target,
      which != CodegenPipeline::Reference ? threads : 1, &root, compileThreads);
  if (!session)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + path + "': " +
                                       llvm::toString(session.takeError()));
  return session;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::quantsim::setVersionPrinter("quant-run");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "quant-run: JIT-run, benchmark and compare "
                              "quant-opt modules\n");

  DialectRegistry registry;
  registerToolDialects(registry);
  MLIRContext context(registry);

  std::string entry = entryName;
  auto session = compile(modelFile, context, entry, pipeline);
  if (!session)
    return fail(session.takeError());

  // Inputs.
  SmallVector<NpyArray> inputs;
  if (randomSeed >= 0) {
    if (!inputFiles.empty())
      return fail("give either -i files or --random-inputs, not both");
    std::mt19937 rng(randomSeed);
    for (TensorSpec spec : (*session)->inputs()) {
      if (randomBatch > 0) {
        if (spec.shape.empty() || spec.shape[0] != 1)
          return fail("--batch needs inputs with a leading dimension of 1");
        spec.shape[0] = randomBatch;
      }
      if (auto bytes = checkedByteSize(spec.dtype, spec.shape,
                                       "--batch=" + Twine(randomBatch));
          !bytes)
        return fail(bytes.takeError());
      inputs.push_back(randomArray(spec, rng));
    }
  } else if (!idxFile.empty()) {
    if (!inputFiles.empty() || (*session)->inputs().size() != 1)
      return fail("--idx supplies the only input of a one-input entry");
    auto array = idxInput((*session)->inputs()[0]);
    if (!array)
      return fail(array.takeError());
    inputs.push_back(std::move(*array));
  } else {
    for (const std::string &file : inputFiles) {
      auto array = readNpy(file);
      if (!array)
        return fail(array.takeError());
      inputs.push_back(std::move(*array));
    }
  }
  if (!saveInputs.empty())
    for (auto [i, a] : llvm::enumerate(inputs))
      if (llvm::Error err = writeNpy(saveInputs + std::to_string(i) + ".npy", a))
        return fail(std::move(err));
  SmallVector<const NpyArray *> inputPtrs;
  for (NpyArray &a : inputs)
    inputPtrs.push_back(&a);
  if (flushDenormals && !FlushSubnormals::supported())
    return fail("--flush-denormals: this host's architecture has no known "
                "way to flush subnormal numbers");
  // Only the model's runs: compiling (constant folding) stays exact.
  auto run = [&](JitSession &model) {
    FlushSubnormals flush(flushDenormals);
    return model.runBatched(inputPtrs);
  };

  auto outputs = run(**session);
  if (!outputs)
    return fail(outputs.takeError());

  if (!outputFiles.empty() && outputFiles.size() != outputs->size())
    return fail(llvm::formatv("the entry has {0} outputs but {1} -o files "
                              "were given",
                              outputs->size(), outputFiles.size())
                    .str());
  for (auto [file, a] : llvm::zip(outputFiles, *outputs))
    if (llvm::Error err = writeNpy(file, a))
      return fail(std::move(err));
  if (printOutputs)
    for (auto [i, a] : llvm::enumerate(*outputs))
      print(a, i);

  for (auto [path, what] : {std::make_pair(&labelsFile, "accuracy"),
                            std::make_pair(&agreeWithFile, "agreement")}) {
    if (path->empty())
      continue;
    SmallVector<int64_t> predictions = argmaxRows(outputs->front());
    auto labels = readLabels(*path, predictions.size());
    if (!labels)
      return fail(labels.takeError());
    int64_t hits = 0;
    for (auto [p, l] : llvm::zip(predictions, *labels))
      hits += p == l;
    llvm::outs() << llvm::formatv("{0} {1:f2}% ({2}/{3})\n", what,
                                  100.0 * hits / predictions.size(), hits,
                                  predictions.size());
  }

  // Cleared when a comparison exceeds a tolerance (--atol, --max-steps,
  // --min-top1): the exit status is then 2, after every report.
  bool withinTolerance = true;
  if ((absTolerance >= 0 || maxSteps >= 0 || minTop1 >= 0) && compareFile.empty() &&
      referenceOutput.empty())
    return fail("--atol, --max-steps and --min-top1 need --compare or "
                "--reference-output");
  if (maxSteps >= 0 && !(step > 0))
    return fail("--max-steps needs --step");
  if (minTop1 >= 0 && !top1)
    return fail("--min-top1 needs --top1");
  if (!referenceOutput.empty()) {
    auto reference = readNpy(referenceOutput);
    if (!reference)
      return fail(reference.takeError());
    const NpyArray &out = outputs->front();
    if (reference->numElements() != out.numElements())
      return fail(llvm::formatv("'{0}' is {1} but output 0 is {2}",
                                referenceOutput,
                                describe(reference->dtype, reference->shape),
                                describe(out.dtype, out.shape))
                      .str());
    reference->shape = out.shape;
    withinTolerance &= compare(out, *reference, 0);
  }

  if (!compareFile.empty()) {
    std::string otherEntry = entry;
    auto other =
        compile(compareFile, context, otherEntry,
                comparePipeline.getNumOccurrences() ? comparePipeline.getValue()
                                                    : pipeline.getValue());
    if (!other)
      return fail(other.takeError());
    auto otherOutputs = run(**other);
    if (!otherOutputs)
      return fail("'" + compareFile + "': " +
                  llvm::toString(otherOutputs.takeError()));
    if (otherOutputs->size() != outputs->size())
      return fail("the two modules have different numbers of outputs");
    for (unsigned i = 0; i < outputs->size(); ++i) {
      const NpyArray &a = (*outputs)[i], &b = (*otherOutputs)[i];
      if (a.shape != b.shape)
        return fail(llvm::formatv("output {0} is {1} in one module and {2} "
                                  "in the other",
                                  i, describe(a.dtype, a.shape),
                                  describe(b.dtype, b.shape))
                        .str());
      withinTolerance &= compare(a, b, i);
    }
  }

  if (benchmarkRuns > 0) {
    if (auto warmUp = run(**session); !warmUp)
      return fail(warmUp.takeError());
    SmallVector<double> ms;
    for (unsigned r = 0; r < benchmarkRuns; ++r) {
      auto start = std::chrono::steady_clock::now();
      auto result = run(**session);
      auto end = std::chrono::steady_clock::now();
      if (!result)
        return fail(result.takeError());
      ms.push_back(std::chrono::duration<double, std::milli>(end - start)
                       .count());
    }
    std::sort(ms.begin(), ms.end());
    int64_t batch = inputs.empty() || inputs[0].shape.empty()
                        ? 1
                        : inputs[0].shape[0];
    llvm::outs() << llvm::formatv(
        "latency: median {0:f4} ms, min {1:f4} ms over {2} runs (batch {3}; "
        "{4:f4} ms per item)\n",
        ms[ms.size() / 2], ms.front(), ms.size(), batch,
        ms[ms.size() / 2] / std::max<int64_t>(batch, 1));
  }
  return withinTolerance ? 0 : 2;
}
