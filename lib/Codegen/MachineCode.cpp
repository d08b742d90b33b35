//===- MachineCode.cpp - LLVM IR to object code, on several threads -------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/MachineCode.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Support/Timing.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/SplitModule.h"

#include <thread>

using namespace mlir;
using namespace mlir::quantsim;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

unsigned mlir::quantsim::defaultCompileThreads() {
  return std::max(1u, llvm::heavyweight_hardware_concurrency()
                          .compute_thread_count());
}

/// Optimizes `module` at `optLevel` with `machine`'s cost model.
static llvm::Error optimize(llvm::Module &module, llvm::TargetMachine &machine,
                            unsigned optLevel, TimingScope *timing) {
  TimingScope scope =
      timing ? timing->nest("LLVM optimization") : TimingScope();
  return makeOptimizingTransformer(optLevel, 0, &machine)(&module);
}

/// Emits `module`'s object code into `object`; returns why not, or "" when
/// done. Timed under `timing` (from any thread).
static std::string emit(llvm::Module &module, llvm::TargetMachine &machine,
                        llvm::SmallString<0> &object, TimingScope *timing) {
  TimingScope scope = timing ? timing->nest("machine code") : TimingScope();
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return "the target cannot emit object files";
  pm.run(module);
  return "";
}

/// How many partitions to split `module` into: one per thread, but no
/// fewer than this many functions each: below that, writing and reading the
/// partitions' bitcode costs more than the second thread saves. A module
/// with more than 32 MB of initialized globals (a float model's weights)
/// is not split: the partitions' weights cross to the other threads as
/// bitcode, which took VGG-11 float (150 MB of weights, Winograd's
/// transformed filters among them) 25 s to compile instead of 9, and
/// ResNet-50 and DenseNet-121 float compiled no faster split.
static unsigned partitionCount(const llvm::Module &module, unsigned threads) {
  constexpr unsigned kMinFunctionsPerPartition = 32;
  constexpr uint64_t kMaxSplitConstantBytes = 32ull << 20;
  unsigned functions = 0;
  for (const llvm::Function &f : module)
    functions += !f.isDeclaration();
  uint64_t constantBytes = 0;
  const llvm::DataLayout &layout = module.getDataLayout();
  for (const llvm::GlobalVariable &global : module.globals())
    if (global.hasInitializer())
      constantBytes += layout.getTypeAllocSize(global.getValueType());
  if (constantBytes > kMaxSplitConstantBytes)
    return 1;
  return std::max(1u, std::min(threads, functions / kMinFunctionsPerPartition));
}

llvm::Expected<llvm::SmallVector<llvm::SmallString<0>>>
mlir::quantsim::compileToObjects(
    llvm::Module &module, llvm::TargetMachine &machine, unsigned optLevel,
    llvm::function_ref<llvm::Expected<std::unique_ptr<llvm::TargetMachine>>()>
        makeMachine,
    unsigned threads, TimingScope *timing) {
  // The whole module is optimized on this thread: optimized apart, the
  // partitions lost what interprocedural passes propagate from the entry
  // into the layer functions (EfficientNet-B0 int8 ran 63% slower).
  if (llvm::Error err = optimize(module, machine, optLevel, timing))
    return std::move(err);
  unsigned count = partitionCount(module, threads);
  llvm::SmallVector<llvm::SmallString<0>> objects(1);
  if (count == 1) {
    std::string failure = emit(module, machine, objects.front(), timing);
    if (!failure.empty())
      return error(failure);
    return objects;
  }

  // The first partition is compiled here, in the module's own context; the
  // others cross to their threads' contexts as bitcode. Symbols local to
  // the module become hidden globals, so that the partitions can refer to
  // one another's.
  std::unique_ptr<llvm::Module> first;
  llvm::SmallVector<llvm::SmallString<0>> bitcode;
  {
    TimingScope scope =
        timing ? timing->nest("splitting the module") : TimingScope();
    llvm::SplitModule(
        module, count,
        [&](std::unique_ptr<llvm::Module> part) {
          if (!first) {
            first = std::move(part);
            return;
          }
          llvm::raw_svector_ostream os(bitcode.emplace_back());
          llvm::WriteBitcodeToFile(*part, os);
        },
        /*PreserveLocals=*/false, /*RoundRobin=*/true);
  }
  llvm::SmallVector<std::unique_ptr<llvm::TargetMachine>> machines;
  for (size_t i = 0; i < bitcode.size(); ++i) {
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> m = makeMachine();
    if (!m)
      return m.takeError();
    machines.push_back(std::move(*m));
  }
  objects.assign(bitcode.size() + 1, {});
  llvm::SmallVector<std::string> failures(bitcode.size() + 1);
  auto work = [&](size_t i) {
    llvm::LLVMContext context;
    llvm::Expected<std::unique_ptr<llvm::Module>> part =
        llvm::parseBitcodeFile(
            llvm::MemoryBufferRef(bitcode[i], "partition"), context);
    if (!part) {
      failures[i + 1] = llvm::toString(part.takeError());
      return;
    }
    failures[i + 1] = emit(**part, *machines[i], objects[i + 1], timing);
  };
  std::vector<std::thread> workers;
  for (size_t i = 0; i < bitcode.size(); ++i)
    workers.emplace_back(work, i);
  failures[0] = emit(*first, machine, objects[0], timing);
  for (std::thread &worker : workers)
    worker.join();
  for (const std::string &failure : failures)
    if (!failure.empty())
      return error("compiling to machine code failed: " + failure);
  return objects;
}
