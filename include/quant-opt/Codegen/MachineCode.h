//===- MachineCode.h - LLVM IR to object code, on several threads -*- C++ -*-===//
//
// Part of quant-opt. The last step of both the JIT and the AOT compiler:
// LLVM's optimization pipeline, then machine code. Machine code is
// generated function by function, so for a large module it runs on several
// threads: the optimized module is split into partitions
// (llvm::SplitModule), each compiled on a thread of its own, in its own
// LLVMContext; the objects are linked together afterwards by the JIT's
// linker.
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CODEGEN_MACHINECODE_H
#define QUANTOPT_CODEGEN_MACHINECODE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir {
class TimingScope;

namespace quantsim {

/// How many threads to compile a module's machine code on by default: the
/// cores present.
unsigned defaultCompileThreads();

/// Optimizes `module` at `optLevel` (0-3, LLVM's pipeline for that level)
/// with `machine`'s cost model, on the calling thread, and compiles it to
/// object files on up to `threads` threads: one object per partition, a
/// single one (compiled with `machine`) for a module of few functions or
/// `threads` == 1. Otherwise `makeMachine` is called once per partition, on
/// the calling thread, for a target machine like `machine`. Each function's
/// machine code is the same as from the whole module. With `timing`, "LLVM
/// optimization" and "machine code" are timed under it, the latter on every
/// thread.
llvm::Expected<llvm::SmallVector<llvm::SmallString<0>>> compileToObjects(
    llvm::Module &module, llvm::TargetMachine &machine, unsigned optLevel,
    llvm::function_ref<llvm::Expected<std::unique_ptr<llvm::TargetMachine>>()>
        makeMachine,
    unsigned threads, TimingScope *timing);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_CODEGEN_MACHINECODE_H
