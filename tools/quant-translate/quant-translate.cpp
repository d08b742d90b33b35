//===- quant-translate.cpp - AOT: object file + C header ------------------===//
//
// Part of quant-opt. Compiles an entry function ahead of time into an object
// file with a plain C entry point over contiguous buffers, and writes the C
// header declaring it:
//
//   quant-translate model.mlir --entry=mlp -o mlp.o --header=mlp.h
//   cc main.c mlp.o          // void mlp(const float *in0, float *out0);
//
// --target-triple produces objects for other machines (aarch64, ...), and
// --emit=llvm writes LLVM IR instead of an object.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Target.h"
#include "quant-opt/Import/ONNX.h"
#include "quant-opt/Runtime/FloatEnvironment.h"
#include "quant-opt/Runtime/JitSession.h"
#include "ToolSupport.h"
#include "quant-opt/Support/Version.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::quantsim;
namespace cl = llvm::cl;

static cl::OptionCategory category("quant-translate options");
static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o",
                                       cl::desc("output object (or .ll)"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<std::string> headerFile("header",
                                       cl::desc("write the C header here"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<std::string> entryName(
    "entry", cl::desc("function to compile (default: the only public one)"),
    cl::cat(category));
static cl::opt<std::string> cName(
    "c-name", cl::desc("name of the C entry point (default: the entry's)"),
    cl::cat(category));
static cl::opt<std::string> triple(
    "target-triple", cl::desc("target triple (default: the host's)"),
    cl::cat(category));
static cl::opt<std::string> cpu(
    "target-cpu",
    cl::desc("target CPU: 'host' (default for the host triple, with its "
             "features), 'generic', or a name such as skylake-avx512"),
    cl::cat(category));
static cl::opt<std::string> features(
    "target-features", cl::desc("extra target features, e.g. +avx512vnni"),
    cl::cat(category));
static cl::opt<CodegenPipeline> pipeline(
    "pipeline", cl::desc("lowering to native code"),
    cl::init(CodegenPipeline::CPU), codegenPipelineValues(),
    cl::cat(category));
static cl::opt<bool> listOnnxOps(
    "list-onnx-ops",
    cl::desc("print the ONNX op types --import-onnx supports, each with the "
             "opset its handler starts at, and exit"),
    cl::cat(category));
static cl::opt<bool> importOnnx(
    "import-onnx", cl::desc("import an ONNX model (the input) and write it as "
                            "TOSA + quantsim MLIR"),
    cl::cat(category));
static cl::opt<int64_t> batchSize(
    "batch", cl::desc("with --import-onnx: value of a dynamic batch dimension"),
    cl::init(1), cl::cat(category));
static cl::opt<std::string> functionName(
    "function", cl::desc("with --import-onnx: name of the imported function"),
    cl::init("main"), cl::cat(category));
enum class Emit { Object, LLVM };
static cl::opt<Emit> emit(
    "emit", cl::desc("what to write"), cl::init(Emit::Object),
    cl::values(clEnumValN(Emit::Object, "obj", "an object file (default)"),
               clEnumValN(Emit::LLVM, "llvm", "LLVM IR text")),
    cl::cat(category));
static cl::opt<bool> emitBytecode(
    "emit-bytecode",
    cl::desc("with --import-onnx: write MLIR bytecode (weights as raw "
             "bytes: smaller and faster to write and read than text; every "
             "tool reads either)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> parallel(
    "parallel",
    cl::desc("run the kernels' loops over the batch and the output rows on "
             "OpenMP threads: link the object with libomp (-fopenmp); the "
             "header declares NAME_set_threads"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> workspaceFlag(
    "workspace",
    cl::desc("the caller passes the memory for the model's temporaries: the "
             "C function takes a trailing 'void *workspace' of "
             "NAME_WORKSPACE_BYTES bytes (any alignment) and allocates "
             "nothing (CPU pipeline)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> flushDenormals(
    "flush-denormals",
    cl::desc("the C function runs the model with subnormal (denormal) "
             "numbers flushed to zero (x86: MXCSR FTZ and DAZ; AArch64: "
             "FPCR.FZ) and gives the calling thread its setting back on "
             "return"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> timing(
    "timing",
    cl::desc("print where the work took its time (import; or parsing, each "
             "MLIR pass, LLVM IR translation, LLVM optimization, machine "
             "code) on stderr"),
    cl::init(false), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-translate: error: " << message << "\n";
  return 1;
}

static StringRef cType(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "float";
  case DType::F64:
    return "double";
  case DType::I8:
    return "int8_t";
  case DType::U8:
    return "uint8_t";
  case DType::I32:
    return "int32_t";
  case DType::I64:
    return "int64_t";
  }
  llvm_unreachable("unknown dtype");
}

enum class FlushControl { None, X86, AArch64 };

/// Around `call`: the calling thread's subnormal flushing set (x86: MXCSR
/// FTZ and DAZ; AArch64: FPCR.FZ), then restored.
static void flushAround(OpBuilder &b, Location loc, FlushControl control,
                        function_ref<void()> call) {
  MLIRContext *ctx = b.getContext();
  if (control == FlushControl::X86) {
    auto i32 = b.getI32Type();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    Value one = LLVM::ConstantOp::create(b, loc, i32, 1);
    Value saved = LLVM::AllocaOp::create(b, loc, ptr, i32, one);
    Value flushed = LLVM::AllocaOp::create(b, loc, ptr, i32, one);
    LLVM::CallIntrinsicOp::create(b, loc, b.getStringAttr("llvm.x86.sse.stmxcsr"),
                                  ValueRange{saved});
    Value bits = LLVM::LoadOp::create(b, loc, i32, saved);
    bits = LLVM::OrOp::create(
        b, loc, bits,
        LLVM::ConstantOp::create(b, loc, i32, int64_t(kX86FlushSubnormals)));
    LLVM::StoreOp::create(b, loc, bits, flushed);
    LLVM::CallIntrinsicOp::create(b, loc, b.getStringAttr("llvm.x86.sse.ldmxcsr"),
                                  ValueRange{flushed});
    call();
    LLVM::CallIntrinsicOp::create(b, loc, b.getStringAttr("llvm.x86.sse.ldmxcsr"),
                                  ValueRange{saved});
    return;
  }
  if (control == FlushControl::AArch64) {
    auto i64 = b.getI64Type();
    Value saved = LLVM::CallIntrinsicOp::create(
                      b, loc, i64, b.getStringAttr("llvm.aarch64.get.fpcr"),
                      ValueRange{})
                      .getResult(0);
    Value bits = LLVM::OrOp::create(
        b, loc, saved,
        LLVM::ConstantOp::create(b, loc, i64,
                                 int64_t(kAArch64FlushSubnormals)));
    LLVM::CallIntrinsicOp::create(b, loc, b.getStringAttr("llvm.aarch64.set.fpcr"),
                                  ValueRange{bits});
    call();
    LLVM::CallIntrinsicOp::create(b, loc, b.getStringAttr("llvm.aarch64.set.fpcr"),
                                  ValueRange{saved});
    return;
  }
  call();
}

/// `void name(ptr in..., ptr out...[, ptr workspace])`: builds one memref
/// descriptor per buffer on the stack ({ptr, ptr, 0, sizes, row-major
/// strides}) and calls the C interface of the lowered entry. With a
/// workspace of `workspace->bytes` bytes, its pointer is rounded up to
/// `workspace->alignment` and passed as one more, i8, buffer.
/// With `flush`, the call runs with subnormal numbers flushed.
static void addCEntryPoint(ModuleOp module, StringRef name, StringRef impl,
                           ArrayRef<TensorSpec> buffers,
                           const Workspace *workspace, FlushControl flush) {
  MLIRContext *ctx = module.getContext();
  Location loc = module.getLoc();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  SmallVector<Type> argTypes(buffers.size() + (workspace ? 1 : 0), ptr);
  auto wrapper = LLVM::LLVMFuncOp::create(
      b, loc, name,
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), argTypes));
  Block *body = wrapper.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  auto constant = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, v);
  };
  Value one = constant(1);
  SmallVector<Value> descriptors;
  SmallVector<TensorSpec> all(buffers);
  SmallVector<Value> data(body->getArguments().take_front(buffers.size()));
  if (workspace && workspace->bytes > 0) {
    // p + ((-p) & (alignment - 1)): the first aligned byte at or after p.
    Value p = body->getArgument(buffers.size());
    Value address = LLVM::PtrToIntOp::create(b, loc, i64, p);
    Value pad = LLVM::AndOp::create(
        b, loc, LLVM::SubOp::create(b, loc, constant(0), address),
        constant(workspace->alignment - 1));
    data.push_back(LLVM::GEPOp::create(b, loc, ptr, b.getI8Type(), p,
                                       ValueRange{pad}));
    all.push_back(TensorSpec{DType::I8, {workspace->bytes}});
  }
  for (auto [i, spec] : llvm::enumerate(all)) {
    int64_t rank = static_cast<int64_t>(spec.shape.size());
    SmallVector<Type> fields{ptr, ptr, i64};
    if (rank) {
      fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
      fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
    }
    auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
    Value d = LLVM::UndefOp::create(b, loc, structType);
    d = LLVM::InsertValueOp::create(b, loc, d, data[i], ArrayRef<int64_t>{0});
    d = LLVM::InsertValueOp::create(b, loc, d, data[i], ArrayRef<int64_t>{1});
    d = LLVM::InsertValueOp::create(b, loc, d, constant(0),
                                    ArrayRef<int64_t>{2});
    int64_t stride = 1;
    for (int64_t k = rank - 1; k >= 0; --k) {
      d = LLVM::InsertValueOp::create(b, loc, d, constant(spec.shape[k]),
                                      ArrayRef<int64_t>{3, k});
      d = LLVM::InsertValueOp::create(b, loc, d, constant(stride),
                                      ArrayRef<int64_t>{4, k});
      stride *= spec.shape[k];
    }
    Value slot = LLVM::AllocaOp::create(b, loc, ptr, structType, one);
    LLVM::StoreOp::create(b, loc, d, slot);
    descriptors.push_back(slot);
  }
  auto ciface =
      module.lookupSymbol<LLVM::LLVMFuncOp>(("_mlir_ciface_" + impl).str());
  flushAround(b, loc, flush,
              [&] { LLVM::CallOp::create(b, loc, ciface, descriptors); });
  LLVM::ReturnOp::create(b, loc, ValueRange{});
}

static std::string header(StringRef name, StringRef source, StringRef entry,
                          ArrayRef<TensorSpec> inputs,
                          ArrayRef<TensorSpec> outputs, bool parallel,
                          const Workspace *workspace, bool flush) {
  std::string guard = "QUANT_OPT_" + name.upper() + "_H";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* Generated by quant-translate from " << source << ", entry @"
     << entry << ". */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  if (workspace) {
    // Room to round the caller's pointer up to the alignment.
    int64_t bytes =
        workspace->bytes ? workspace->bytes + workspace->alignment - 1 : 0;
    os << "/* Bytes of the memory the call computes its temporaries in\n"
       << "   (any alignment; 0: none, and the pointer may be NULL). */\n"
       << "#define " << name.upper() << "_WORKSPACE_BYTES " << bytes << "\n\n"
       << "/* Buffers are contiguous and row-major; outputs are written by the\n";
    if (workspace->allocationSites == 0)
      os << "   call. The call allocates no memory: its temporaries are in\n"
         << "   `workspace`, which it overwrites. Calls from several threads at\n"
         << "   once each need a workspace of their own. */\n";
    else
      os << "   call. Its temporaries are in `workspace`, which it\n"
         << "   overwrites, but for " << workspace->allocationSites
         << " allocation(s) of dynamic size or in\n"
         << "   loops, from malloc. Calls from several threads at once each\n"
         << "   need a workspace of their own. */\n";
  } else {
    os << "/* Buffers are contiguous and row-major; outputs are written by the\n"
       << "   call. The function allocates only temporaries; freed ones are\n"
       << "   kept (up to 256 blocks) for the next call and released at exit.\n"
       << "   It may be called from several threads at once. */\n";
  }
  auto param = [&](const TensorSpec &spec, bool input, size_t index) {
    os << "    " << (input ? "const " : "") << cType(spec.dtype) << " *"
       << (input ? "in" : "out") << index << " /* "
       << describe(spec.dtype, spec.shape) << " */";
  };
  if (flush)
    os << "/* While it runs, the call flushes subnormal (denormal) numbers to\n"
       << "   zero, results and operands, and then gives the calling thread\n"
       << "   its own setting back. */\n";
  os << "void " << name << "(\n";
  size_t n = inputs.size() + outputs.size(), k = 0;
  for (auto [i, spec] : llvm::enumerate(inputs)) {
    param(spec, true, i);
    os << (++k < n ? ",\n" : "");
  }
  for (auto [i, spec] : llvm::enumerate(outputs)) {
    param(spec, false, i);
    os << (++k < n ? ",\n" : "");
  }
  if (workspace)
    os << ",\n    void *workspace /* " << name.upper()
       << "_WORKSPACE_BYTES bytes */";
  os << ");\n\n";
  if (parallel)
    os << "/* The object was compiled with --parallel: its kernels' loops over\n"
       << "   the batch and the output rows run on OpenMP threads, so link it\n"
       << "   with libomp (clang -fopenmp, or -lomp). The thread count is\n"
       << "   OpenMP's for the whole process: OMP_NUM_THREADS, else one per\n"
       << "   core, or what this sets. Results do not depend on it. */\n"
       << "void omp_set_num_threads(int);\n"
       << "static inline void " << name
       << "_set_threads(int threads) { omp_set_num_threads(threads); }\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return s;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::quantsim::setVersionPrinter("quant-translate");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "quant-translate: compile a module to an object "
                              "file and a C header\n");

  if (listOnnxOps) {
    for (const auto &[op, since] : supportedONNXOps())
      llvm::outs() << op << " " << since << "\n";
    return 0;
  }
  if (inputFile.empty())
    return fail("no input file (see --help)");
  if (outputFile.empty())
    return fail("no output file: give -o FILE");

  DialectRegistry registry;
  registerToolDialects(registry);
  MLIRContext context(registry);
  // The report prints when the manager goes out of scope, after the root.
  DefaultTimingManager timingManager;
  timingManager.setEnabled(timing);
  TimingScope root = timingManager.getRootScope();

  if (importOnnx) {
    ONNXImportOptions options;
    options.batchSize = batchSize;
    options.functionName = functionName;
    if (batchSize < 1)
      return fail("--batch must be at least 1");
    // The importer reports what it did for the user (an opset conversion)
    // as remarks.
    ScopedDiagnosticHandler remarks(&context, [](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Remark)
        return failure();
      llvm::errs() << "quant-translate: remark: " << diag.str() << "\n";
      return success();
    });
    TimingScope importing = root.nest("ONNX import");
    auto imported = importONNXFile(inputFile, context, options);
    importing.stop();
    if (!imported)
      return fail(llvm::toString(imported.takeError()));
    std::error_code ec;
    llvm::ToolOutputFile out(outputFile, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return fail("cannot write '" + outputFile + "': " + ec.message());
    // With locations: later diagnostics name the ONNX node.
    TimingScope printing = root.nest("output");
    if (emitBytecode) {
      if (failed(writeBytecodeToFile(**imported, out.os())))
        return fail("cannot write '" + outputFile + "' as bytecode");
    } else {
      (*imported)->print(out.os(), OpPrintingFlags().enableDebugInfo(
                                       /*enable=*/true, /*prettyForm=*/false));
    }
    out.keep();
    return 0;
  }

  auto parsed = parseModuleFile(inputFile, context, &root);
  if (!parsed)
    return fail(llvm::toString(parsed.takeError()));
  OwningOpRef<ModuleOp> module = std::move(*parsed);

  auto entry = selectEntry(*module, entryName);
  if (!entry)
    return fail(llvm::toString(entry.takeError()));
  std::string name = cName.empty() ? *entry : cName.getValue();
  if (name.empty() || !(isalpha(name[0]) || name[0] == '_') ||
      !llvm::all_of(name, [](char c) { return isalnum(c) || c == '_'; }))
    return fail("'" + name + "' is not a C identifier; choose one with "
                "--c-name");
  // An imported ONNX model's entry is @main: as a C function it would be the
  // program's own entry point.
  if (name == "main")
    return fail("the entry is named 'main', which a C program cannot link "
                "beside its own main(); choose the C name with --c-name");
  static constexpr llvm::StringLiteral keywords[] = {
      "auto",     "break",    "case",     "char",   "const",    "continue",
      "default",  "do",       "double",   "else",   "enum",     "extern",
      "float",    "for",      "goto",     "if",     "inline",   "int",
      "long",     "register", "restrict", "return", "short",    "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef",  "union",
      "unsigned", "void",     "volatile", "while",  "_Bool",    "bool"};
  if (llvm::is_contained(keywords, name))
    return fail("'" + name + "' is a C keyword; choose the C name with "
                "--c-name");

  // The lowered entry keeps an internal name; `name` is the C entry point.
  auto func = module->lookupSymbol<func::FuncOp>(*entry);
  if (!func)
    return fail("no function '" + *entry + "' in the module");
  std::string impl = "_qo_impl_" + name;
  if (failed(SymbolTable::replaceAllSymbolUses(
          func, StringAttr::get(&context, impl), *module)))
    return fail("cannot rename @" + *entry);
  func.setSymName(impl);

  // Target (resolveTarget registers target infos and MC layers).
  llvm::Expected<ResolvedTarget> resolved =
      resolveTarget(triple, cpu, features);
  if (!resolved)
    return fail(llvm::toString(resolved.takeError()));
  llvm::InitializeAllTargets();
  llvm::InitializeAllAsmPrinters();
  const llvm::Triple &targetTriple = resolved->triple;
  const llvm::Target *target = resolved->llvmTarget;
  const std::string &cpuName = resolved->cpu;
  const std::string &featureString = resolved->features;

  if (parallel && pipeline == CodegenPipeline::Reference)
    return fail("--parallel runs the CPU pipeline's kernels on threads; the "
                "reference pipeline is serial");
  FlushControl flush = FlushControl::None;
  if (flushDenormals) {
    if (targetTriple.isX86())
      flush = FlushControl::X86;
    else if (targetTriple.isAArch64())
      flush = FlushControl::AArch64;
    else
      return fail("--flush-denormals: no known way to flush subnormal "
                  "numbers on '" + targetTriple.str() + "' (x86 and AArch64 "
                  "have one)");
    // OpenMP's threads are the process's, created whenever it first needed
    // them: they would keep whatever setting they started with, and rows
    // computed there could differ from the calling thread's.
    if (parallel)
      return fail("--flush-denormals sets the calling thread's flushing, "
                  "not that of OpenMP's threads (--parallel): set it in "
                  "your program before OpenMP starts its threads instead");
  }
  if (workspaceFlag && pipeline == CodegenPipeline::Reference)
    return fail("--workspace places the CPU pipeline's temporaries; the "
                "reference pipeline allocates its own");
  CodegenTarget codegenTarget{triple, cpu, features};
  SmallVector<TensorSpec> inputs, outputs;
  Workspace workspace;
  Workspace *workspacePtr = workspaceFlag ? &workspace : nullptr;
  if (llvm::Error err = lowerForCInterface(*module, impl, inputs, outputs,
                                           pipeline, codegenTarget, parallel,
                                           &root, workspacePtr))
    return fail("'" + inputFile + "': " + llvm::toString(std::move(err)));
  if (workspace.allocationSites > 0)
    llvm::errs() << "quant-translate: warning: --workspace: "
                 << workspace.allocationSites
                 << " allocation(s) of dynamic size or in loops still call "
                    "malloc\n";
  SmallVector<TensorSpec> buffers(inputs);
  buffers.append(outputs.begin(), outputs.end());
  addCEntryPoint(*module, name, impl, buffers, workspacePtr, flush);

  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      targetTriple, cpuName, featureString, llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return fail("cannot create a target machine for '" + targetTriple.str() +
                "' (cpu " + cpuName + ")");

  llvm::LLVMContext llvmContext;
  TimingScope translation = root.nest("LLVM IR translation");
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, name);
  translation.stop();
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(targetTriple);
  TimingScope optimization = root.nest("LLVM optimization");
  if (llvm::Error err =
          makeOptimizingTransformer(3, 0, machine.get())(llvmModule.get()))
    return fail("LLVM optimization failed: " + llvm::toString(std::move(err)));
  optimization.stop();

  std::error_code ec;
  llvm::ToolOutputFile out(outputFile, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail("cannot write '" + outputFile + "': " + ec.message());
  if (emit == Emit::LLVM) {
    llvmModule->print(out.os(), nullptr);
  } else {
    TimingScope machineCode = root.nest("machine code");
    llvm::legacy::PassManager pm;
    if (machine->addPassesToEmitFile(pm, out.os(), nullptr,
                                     llvm::CodeGenFileType::ObjectFile))
      return fail("the target cannot emit object files");
    pm.run(*llvmModule);
  }
  out.keep();

  if (!headerFile.empty()) {
    std::error_code hec;
    llvm::ToolOutputFile h(headerFile, hec, llvm::sys::fs::OF_Text);
    if (hec)
      return fail("cannot write '" + headerFile + "': " + hec.message());
    h.os() << header(name, inputFile, *entry, inputs, outputs, parallel,
                     workspacePtr, flush != FlushControl::None);
    h.keep();
  }
  return 0;
}
