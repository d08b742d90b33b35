//===- JitSession.h - JIT-compile and run a module --------------*- C++ -*-===//
//
// Part of quant-opt. Lowers a module (TOSA, quantsim, linalg, ... anything
// the reference pipeline accepts) to LLVM, JIT-compiles it for the host CPU
// and calls its entry function on host buffers. The engine behind quant-run,
// calibration and layer-by-layer comparison.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_RUNTIME_JITSESSION_H
#define QUANTOPT_RUNTIME_JITSESSION_H

#include "quant-opt/Codegen/Pipelines.h"
#include "quant-opt/Runtime/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir {
class TimingScope;

namespace quantsim {

/// The type of one argument or result of the entry function.
struct TensorSpec {
  DType dtype;
  llvm::SmallVector<int64_t> shape;
};

/// The module's public function with a body named `requested`, or, when
/// `requested` is empty, its only one (an error lists them when there are
/// several).
llvm::Expected<std::string> selectEntry(ModuleOp module,
                                        llvm::StringRef requested);

/// Lowers `module` to the LLVM dialect for calling `entry` from C: the entry
/// gets a C interface (`_mlir_ciface_<entry>`, one memref descriptor pointer
/// per input, then per output), results become caller-allocated
/// out-parameters, and the entry's inputs/outputs are returned. Fails with a
/// message naming the problem (unsupported types, dynamic shapes, lowering
/// errors). With `parallel` (CPU pipeline only), the kernels' loops over
/// the batch and the output rows run on OpenMP threads. With `timing`, each
/// pass is timed under it. With `workspace` (CPU pipeline only), the
/// entry's temporaries go into memory its caller passes: the C interface
/// takes one more descriptor, of a `workspace->bytes` i8 buffer aligned to
/// `workspace->alignment`, when `workspace->bytes` is not 0 (0: the entry
/// has no temporaries and no such argument). `allocationSites` counts the
/// allocations left in the code (buffers of dynamic shape, or allocated in
/// a loop), which still call malloc.
struct Workspace {
  int64_t bytes = 0, alignment = 1;
  int64_t allocationSites = 0;
};
llvm::Error lowerForCInterface(ModuleOp module, llvm::StringRef entry,
                               llvm::SmallVectorImpl<TensorSpec> &inputs,
                               llvm::SmallVectorImpl<TensorSpec> &outputs,
                               CodegenPipeline pipeline = CodegenPipeline::CPU,
                               const CodegenTarget &target = {},
                               bool parallel = false,
                               TimingScope *timing = nullptr,
                               Workspace *workspace = nullptr);

class JitSession {
public:
  /// Compiles `entry` of `module` (which it modifies: it is lowered in
  /// place). `optLevel` is LLVM's (0-3). `target` may name another CPU or
  /// feature set of the host's architecture (e.g. without VNNI). With
  /// `threads` > 1 (CPU pipeline only), the kernels' loops over the batch
  /// and the output rows run on that many OpenMP threads (libomp is loaded
  /// into the process; the count is OpenMP's, for the whole process).
  /// Results are the same as with one thread. With `timing`, the MLIR
  /// passes, the translation to LLVM IR, LLVM's optimization and machine
  /// code generation are timed under it. Machine code is generated on
  /// `compileThreads` threads (0: the cores present; see
  /// quant-opt/Codegen/MachineCode.h).
  static llvm::Expected<std::unique_ptr<JitSession>>
  create(ModuleOp module, llvm::StringRef entry, unsigned optLevel = 3,
         CodegenPipeline pipeline = CodegenPipeline::CPU,
         const CodegenTarget &target = {}, unsigned threads = 1,
         TimingScope *timing = nullptr, unsigned compileThreads = 0);
  ~JitSession();

  llvm::ArrayRef<TensorSpec> inputs() const { return inputSpecs; }
  llvm::ArrayRef<TensorSpec> outputs() const { return outputSpecs; }

  /// Runs the entry once on inputs that match inputs() exactly, into
  /// outputs shaped like outputs().
  llvm::Error run(llvm::ArrayRef<const NpyArray *> inputs,
                  llvm::MutableArrayRef<NpyArray> outputs);

  /// Runs on inputs that may carry a batch: when every input's leading
  /// dimension is B and the entry's is 1 (other dimensions equal), the entry
  /// runs B times and outputs are concatenated along dimension 0. Checks
  /// counts, dtypes and shapes with messages naming the input.
  llvm::Expected<llvm::SmallVector<NpyArray>>
  runBatched(llvm::ArrayRef<const NpyArray *> inputs);

private:
  JitSession() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// The entry, called with one memref descriptor pointer per argument.
  void (*entryPoint)(void **) = nullptr;
  /// Runs the module's destructors (frees its cached temporaries).
  void (*release)() = nullptr;
  llvm::SmallVector<TensorSpec> inputSpecs, outputSpecs;
};

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_RUNTIME_JITSESSION_H
