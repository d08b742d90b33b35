//===- JitSession.cpp - JIT-compile and run a module ----------------------===//
//
// Part of quant-opt. The entry function gets `llvm.emit_c_interface`, the
// module goes through the reference lowering with results turned into
// out-parameters, and `_mlir_ciface_<entry>` is called with one memref
// descriptor per argument: {allocated, aligned, offset, sizes[r],
// strides[r]} built here over the caller's buffers.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/JitSession.h"
#include "quant-opt/Codegen/MachineCode.h"
#include "quant-opt/Codegen/Target.h"
#include "quant-opt/Support/Locations.h"
#include "quant-opt/Codegen/Pipelines.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SmallVectorMemoryBuffer.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <cstring>

using namespace mlir;
using namespace mlir::quantsim;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string str(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

/// The spec of a tensor or memref type, or an error naming `what`.
static llvm::Expected<TensorSpec> specOf(Type type, const llvm::Twine &what) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank() || !isa<TensorType, MemRefType>(type))
    return error(what + " has type " + llvm::Twine(str(type)) +
                 "; quant-run needs ranked tensors or memrefs");
  if (!shaped.hasStaticShape())
    return error(what + " has dynamic shape " +
                 llvm::Twine(str(type)) +
                 "; give the entry a static shape (batch 1 runs any batch)");
  Type e = shaped.getElementType();
  TensorSpec spec;
  if (e.isF32())
    spec.dtype = DType::F32;
  else if (e.isF64())
    spec.dtype = DType::F64;
  else if (e.isInteger(8))
    spec.dtype = DType::I8;
  else if (e.isInteger(32))
    spec.dtype = DType::I32;
  else if (e.isInteger(64))
    spec.dtype = DType::I64;
  else
    return error(what + " has element type " + llvm::Twine(str(e)) +
                 "; quant-run supports f32, f64, i8, i32, i64");
  spec.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
  if (auto bytes = checkedByteSize(spec.dtype, spec.shape, what); !bytes)
    return bytes.takeError();
  return spec;
}

/// Runs `body`, turning MLIR diagnostics into the returned error.
static llvm::Error captureDiagnostics(MLIRContext *context,
                                      function_ref<LogicalResult()> body) {
  std::string messages;
  ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
    llvm::raw_string_ostream os(messages);
    std::string where = describeLocation(diag.getLocation());
    os << (where.empty() ? "" : where + ": ") << diag << "\n";
    return success();
  });
  if (failed(body()))
    return error(messages.empty() ? "compilation failed" : messages);
  return llvm::Error::success();
}

llvm::Expected<std::string> mlir::quantsim::selectEntry(ModuleOp module,
                                                       StringRef requested) {
  if (!requested.empty())
    return requested.str();
  SmallVector<StringRef> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      candidates.push_back(func.getName());
  if (candidates.size() == 1)
    return candidates.front().str();
  if (candidates.empty())
    return error("the module has no public function with a body");
  std::string names;
  for (StringRef n : candidates)
    names += (names.empty() ? "" : ", ") + n.str();
  return error("the module has several public functions (" + names +
               "); choose one with --entry");
}

llvm::Error mlir::quantsim::lowerForCInterface(
    ModuleOp module, StringRef entry, SmallVectorImpl<TensorSpec> &inputs,
    SmallVectorImpl<TensorSpec> &outputs, CodegenPipeline pipeline,
    const CodegenTarget &target, bool parallel, TimingScope *timing,
    Workspace *workspace) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal())
    return error("no function '" + entry + "' with a body in the module");
  if (workspace && pipeline == CodegenPipeline::Reference)
    return error("a caller-passed workspace needs the CPU pipeline; the "
                 "reference pipeline allocates its temporaries");

  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto spec = specOf(type, "input " + llvm::Twine(i) + " of @" + entry);
    if (!spec)
      return spec.takeError();
    inputs.push_back(*spec);
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto spec = specOf(type, "output " + llvm::Twine(i) + " of @" + entry);
    if (!spec)
      return spec.takeError();
    outputs.push_back(*spec);
  }
  // The pipelines' dialects and interface models, whatever the client
  // registered.
  DialectRegistry codegenDialects;
  registerCodegenDialects(codegenDialects);
  module.getContext()->appendDialectRegistry(codegenDialects);

  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(module.getContext()));
  // Only the entry and what it calls are compiled.
  for (bool erased = true; erased;) {
    erased = false;
    for (auto other :
         llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (other != func && SymbolTable::symbolKnownUseEmpty(other, module)) {
        other.erase();
        erased = true;
      }
    }
  }
  // Inputs are the caller's (const in the C header): bufferization must not
  // compute in place into them.
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    BoolAttr::get(module.getContext(), false));

  // Results become caller-allocated out-parameters, but bufferization only
  // does that for buffers the function allocates, once each and whole:
  // not for arguments, constants, a value returned twice, or a value that
  // bufferization places inside another buffer (an input of a concat,
  // written in place into the concat's buffer). Each result is copied into
  // a fresh tensor of its own.
  module.getContext()
      ->loadDialect<tensor::TensorDialect, linalg::LinalgDialect>();
  func.walk([&](func::ReturnOp ret) {
    OpBuilder b(ret);
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!type)
        continue;
      Value empty = tensor::EmptyOp::create(b, ret.getLoc(), type.getShape(),
                                            type.getElementType());
      operand.set(linalg::CopyOp::create(b, ret.getLoc(), v, empty)
                      .getResult(0));
    }
  });

  if (llvm::Error err = captureDiagnostics(module.getContext(), [&] {
        PassManager pm(module.getContext());
        TimingScope passes;
        if (timing) {
          passes = timing->nest("MLIR lowering");
          pm.enableTiming(passes);
        }
        if (pipeline != CodegenPipeline::Reference) {
          CPUCodegenOptions options;
          options.exactMath = pipeline == CodegenPipeline::CPUExactMath;
          options.resultsAsOutParams = true;
          options.setTarget(target);
          options.parallel = parallel;
          options.workspaceArgument = workspace != nullptr;
          buildCPUCodegenPipeline(pm, options);
        } else {
          ReferenceToLLVMOptions options;
          options.resultsAsOutParams = true;
          buildReferenceToLLVMPipeline(pm, options);
        }
        return pm.run(module);
      }))
    return err;

  // The C interface must take the outputs as trailing out-parameters.
  auto lowered = module.lookupSymbol<LLVM::LLVMFuncOp>(entry);
  if (!lowered ||
      !isa<LLVM::LLVMVoidType>(lowered.getFunctionType().getReturnType()))
    return error("@" + entry + " still returns a value after lowering; "
                 "every result must become an out-parameter");
  // --quantsim-plan-arena's attributes, which the lowering copies onto the
  // llvm.func and its C interface wrapper; not for LLVM IR.
  StringRef bytesName = QuantSimDialect::WorkspaceBytesAttrHelper::getNameStr();
  StringRef alignmentName =
      QuantSimDialect::WorkspaceAlignmentAttrHelper::getNameStr();
  if (workspace) {
    if (auto bytes = lowered->getAttrOfType<IntegerAttr>(bytesName))
      workspace->bytes = bytes.getInt();
    if (auto alignment = lowered->getAttrOfType<IntegerAttr>(alignmentName))
      workspace->alignment = alignment.getInt();
  }
  for (auto fn : module.getOps<LLVM::LLVMFuncOp>()) {
    fn->removeAttr(bytesName);
    fn->removeAttr(alignmentName);
  }
  // Calls of the memref lowering's allocation function (defined by
  // --quantsim-cache-temporaries) from the model's own functions.
  if (workspace)
    module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      if (callee && (*callee == "_mlir_memref_to_llvm_alloc" ||
                     *callee == "malloc") &&
          call->getParentOfType<LLVM::LLVMFuncOp>().getName() !=
              "_mlir_memref_to_llvm_alloc")
        ++workspace->allocationSites;
    });
  return llvm::Error::success();
}

/// Loads the OpenMP runtime the parallel code calls into the process (the
/// JIT resolves its symbols there) and sets its thread count.
static llvm::Error loadOpenMP(unsigned threads) {
#ifdef QUANT_OPT_LIBOMP
  std::string message;
  if (llvm::sys::DynamicLibrary::LoadLibraryPermanently(QUANT_OPT_LIBOMP,
                                                        &message))
    return error("cannot load the OpenMP runtime '" QUANT_OPT_LIBOMP
                 "': " + message);
  auto setThreads = reinterpret_cast<void (*)(int)>(
      llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(
          "omp_set_num_threads"));
  if (!setThreads)
    return error("the OpenMP runtime '" QUANT_OPT_LIBOMP
                 "' has no omp_set_num_threads");
  setThreads(static_cast<int>(threads));
  return llvm::Error::success();
#else
  (void)threads;
  return error("this build has no OpenMP runtime (libomp was not found at "
               "configure time): only one thread");
#endif
}

/// The JIT's own entry points: the entry with its descriptors packed in an
/// array, and the module's destructors.
static constexpr const char *kPackedEntry = "_qo_jit_entry";
static constexpr const char *kRelease = "_qo_jit_release";

/// Adds `void name(void **args)` to `module`, which calls `target` with
/// args[i] as its i-th (pointer) argument.
static llvm::Error addPackedEntry(llvm::Module &module, llvm::StringRef target,
                                  llvm::StringRef name) {
  llvm::Function *callee = module.getFunction(target);
  if (!callee)
    return error("no function '" + target + "' in the LLVM module");
  llvm::LLVMContext &context = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(context);
  auto *fn = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr}, false),
      llvm::GlobalValue::ExternalLinkage, name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", fn));
  SmallVector<llvm::Value *> args;
  for (llvm::Argument &param : callee->args()) {
    if (!param.getType()->isPointerTy())
      return error("'" + target + "' takes a non-pointer argument");
    args.push_back(b.CreateLoad(
        ptr, b.CreateConstGEP1_64(ptr, fn->getArg(0), param.getArgNo())));
  }
  b.CreateCall(callee, args);
  b.CreateRetVoid();
  return llvm::Error::success();
}

/// Replaces `module`'s llvm.global_dtors by an external function `name`
/// that calls them (highest priority first), for the session to call when
/// it ends: the JIT links objects, and runs no initializers or finalizers of
/// its own.
static void gatherDestructors(llvm::Module &module, llvm::StringRef name) {
  llvm::LLVMContext &context = module.getContext();
  auto *fn = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), false),
      llvm::GlobalValue::ExternalLinkage, name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", fn));
  if (llvm::GlobalVariable *dtors = module.getNamedGlobal("llvm.global_dtors")) {
    SmallVector<std::pair<uint64_t, llvm::Function *>> calls;
    if (auto *list = dyn_cast<llvm::ConstantArray>(dtors->getInitializer()))
      for (llvm::Value *entry : list->operands()) {
        auto *item = cast<llvm::ConstantStruct>(entry);
        calls.emplace_back(
            cast<llvm::ConstantInt>(item->getOperand(0))->getZExtValue(),
            cast<llvm::Function>(item->getOperand(1)));
      }
    llvm::sort(calls, [](auto &a, auto &b) { return a.first > b.first; });
    dtors->eraseFromParent();
    for (auto &call : calls)
      b.CreateCall(call.second);
  }
  b.CreateRetVoid();
}

llvm::Expected<std::unique_ptr<JitSession>>
JitSession::create(ModuleOp module, StringRef entry, unsigned optLevel,
                   CodegenPipeline pipeline, const CodegenTarget &target,
                   unsigned threads, TimingScope *timing,
                   unsigned compileThreads) {
  if (!target.triple.empty())
    return error("the JIT runs on the host: no --target-triple");
  llvm::Expected<ResolvedTarget> resolved =
      resolveTarget("", target.cpu, target.features);
  if (!resolved)
    return resolved.takeError();
  if (threads == 0)
    return error("the thread count must be at least 1");
  if (threads > 1) {
    if (pipeline == CodegenPipeline::Reference)
      return error("threads run the CPU pipeline's kernels; the reference "
                   "pipeline is serial");
    if (llvm::Error err = loadOpenMP(threads))
      return std::move(err);
  }
  std::unique_ptr<JitSession> session(new JitSession());
  if (llvm::Error err =
          lowerForCInterface(module, entry, session->inputSpecs,
                             session->outputSpecs, pipeline, target,
                             /*parallel=*/threads > 1, timing))
    return std::move(err);

  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;

  // Optimize for the host CPU: without a TargetMachine, LLVM's vectorizers
  // have no cost model for the host's vector ISA and leave loops scalar.
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  machineBuilder->setCPU(resolved->cpu);
  machineBuilder->getFeatures() = llvm::SubtargetFeatures(resolved->features);
  machineBuilder->setCodeGenOptLevel(
      static_cast<llvm::CodeGenOptLevel>(optLevel));
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();

  // The module's own LLVM context: the objects are all that outlives it.
  llvm::SmallVector<llvm::SmallString<0>> objects;
  {
    llvm::LLVMContext llvmContext;
    TimingScope translation =
        timing ? timing->nest("LLVM IR translation") : TimingScope();
    std::unique_ptr<llvm::Module> llvmModule;
    if (llvm::Error err = captureDiagnostics(module.getContext(), [&] {
          llvmModule = translateModuleToLLVMIR(module, llvmContext, entry);
          return success(llvmModule != nullptr);
        }))
      return error("translation to LLVM IR failed: " +
                   llvm::toString(std::move(err)));
    llvmModule->setDataLayout((*machine)->createDataLayout());
    llvmModule->setTargetTriple((*machine)->getTargetTriple());
    if (llvm::Error err = addPackedEntry(*llvmModule, ("_mlir_ciface_" + entry).str(),
                                         kPackedEntry))
      return std::move(err);
    gatherDestructors(*llvmModule, kRelease);
    translation.stop();
    auto compiled = compileToObjects(
        *llvmModule, **machine, optLevel,
        [&] { return machineBuilder->createTargetMachine(); },
        compileThreads ? compileThreads : defaultCompileThreads(), timing);
    if (!compiled)
      return error("compilation to machine code failed: " +
                   llvm::toString(compiled.takeError()));
    objects = std::move(*compiled);
  }

  TimingScope linking = timing ? timing->nest("linking") : TimingScope();
  auto jit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(*machineBuilder)
          .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
          .setObjectLinkingLayerCreator(
              [](llvm::orc::ExecutionSession &session)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                return std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
                    session, [](const llvm::MemoryBuffer &) {
                      return std::make_unique<llvm::SectionMemoryManager>(
                          nullptr, /*ReserveAlloc=*/true);
                    });
              })
          .create();
  if (!jit)
    return jit.takeError();
  // malloc, libm, and (with threads) the OpenMP runtime come from the
  // process.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process)
    return process.takeError();
  (*jit)->getMainJITDylib().addGenerator(std::move(*process));
  for (auto [i, object] : llvm::enumerate(objects))
    if (llvm::Error err =
            (*jit)->addObjectFile(std::make_unique<llvm::SmallVectorMemoryBuffer>(
                std::move(object), ("partition" + llvm::Twine(i)).str(),
                /*RequiresNullTerminator=*/false)))
      return std::move(err);
  auto entryAddress = (*jit)->lookup(kPackedEntry);
  if (!entryAddress)
    return error("JIT linking of @" + entry + " failed: " +
                 llvm::toString(entryAddress.takeError()));
  auto releaseAddress = (*jit)->lookup(kRelease);
  if (!releaseAddress)
    return error("JIT linking of @" + entry + " failed: " +
                 llvm::toString(releaseAddress.takeError()));
  session->entryPoint = entryAddress->toPtr<void (*)(void **)>();
  session->release = releaseAddress->toPtr<void (*)()>();
  session->jit = std::move(*jit);
  return session;
}

JitSession::~JitSession() {
  if (release)
    release();
}


/// A memref descriptor {allocated, aligned, offset, sizes, strides} over
/// `data` with a row-major layout.
static std::vector<int64_t> descriptor(void *data, ArrayRef<int64_t> shape) {
  std::vector<int64_t> d(3 + 2 * shape.size());
  std::memcpy(&d[0], &data, sizeof(void *));
  std::memcpy(&d[1], &data, sizeof(void *));
  d[2] = 0;
  int64_t stride = 1;
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    d[3 + i] = shape[i];
    d[3 + shape.size() + i] = stride;
    stride *= shape[i];
  }
  return d;
}

llvm::Error JitSession::run(ArrayRef<const NpyArray *> inputs,
                            MutableArrayRef<NpyArray> outputs) {
  std::vector<std::vector<int64_t>> descriptors;
  for (const NpyArray *input : inputs)
    descriptors.push_back(descriptor(
        const_cast<char *>(input->data.data()), input->shape));
  for (NpyArray &output : outputs)
    descriptors.push_back(descriptor(output.data.data(), output.shape));
  // The packed entry takes one pointer per descriptor.
  SmallVector<void *> pointers;
  for (auto &d : descriptors)
    pointers.push_back(d.data());
  entryPoint(pointers.data());
  return llvm::Error::success();
}

llvm::Expected<SmallVector<NpyArray>>
JitSession::runBatched(ArrayRef<const NpyArray *> inputs) {
  if (inputs.size() != inputSpecs.size())
    return error(llvm::formatv("the entry takes {0} inputs, {1} given",
                               inputSpecs.size(), inputs.size()));
  int64_t batch = -1;
  for (auto [i, pair] : llvm::enumerate(llvm::zip(inputs, inputSpecs))) {
    auto [input, spec] = pair;
    if (input->dtype != spec.dtype)
      return error(llvm::formatv("input {0} is {1} but the entry expects {2}",
                                 i, describe(input->dtype, input->shape),
                                 describe(spec.dtype, spec.shape)));
    ArrayRef<int64_t> got = input->shape, want = spec.shape;
    int64_t b = 1;
    if (got != want) {
      if (got.size() != want.size() || want.empty() || want[0] != 1 ||
          got.drop_front() != want.drop_front())
        return error(llvm::formatv(
            "input {0} has shape {1} but the entry expects {2}", i,
            describe(input->dtype, got), describe(spec.dtype, want)));
      b = got[0];
    }
    if (batch != -1 && b != batch)
      return error(llvm::formatv("inputs disagree on the batch size ({0} "
                                 "and {1})",
                                 batch, b));
    batch = b;
  }
  if (batch < 0)
    batch = 1;
  bool batched = llvm::any_of(llvm::zip(inputs, inputSpecs), [](auto pair) {
    return std::get<0>(pair)->shape != std::get<1>(pair).shape;
  });
  if (batched && llvm::any_of(outputSpecs, [](const TensorSpec &s) {
        return s.shape.empty() || s.shape[0] != 1;
      }))
    return error("a batch runs the entry once per item, so every output "
                 "needs a leading dimension of 1");

  SmallVector<NpyArray> results;
  for (const TensorSpec &spec : outputSpecs) {
    SmallVector<int64_t> shape = spec.shape;
    if (batched)
      shape[0] = batch;
    results.emplace_back(spec.dtype, shape);
  }
  if (!batched) {
    if (llvm::Error err = run(inputs, results))
      return std::move(err);
    return results;
  }

  // One item at a time: inputs and outputs are views into the batch.
  SmallVector<NpyArray> itemInputs, itemOutputs;
  for (const TensorSpec &spec : inputSpecs)
    itemInputs.emplace_back(spec.dtype, spec.shape);
  for (const TensorSpec &spec : outputSpecs)
    itemOutputs.emplace_back(spec.dtype, spec.shape);
  SmallVector<const NpyArray *> itemPtrs;
  for (NpyArray &a : itemInputs)
    itemPtrs.push_back(&a);
  for (int64_t item = 0; item < batch; ++item) {
    for (auto [input, local] : llvm::zip(inputs, itemInputs)) {
      size_t bytes = local.data.size();
      std::memcpy(local.data.data(), input->data.data() + item * bytes, bytes);
    }
    if (llvm::Error err = run(itemPtrs, itemOutputs))
      return std::move(err);
    for (auto [local, result] : llvm::zip(itemOutputs, results)) {
      size_t bytes = local.data.size();
      std::memcpy(result.data.data() + item * bytes, local.data.data(), bytes);
    }
  }
  return results;
}
