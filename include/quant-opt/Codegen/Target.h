//===- Target.h - the CPU code is generated for ------------------*- C++ -*-===//
//
// Part of quant-opt. One place that turns the user's target options (triple,
// CPU name, feature string; empty means the host) into what LLVM needs and
// what the kernel generator asks of it.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CODEGEN_TARGET_H
#define QUANTOPT_CODEGEN_TARGET_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/LogicalResult.h"
#include "llvm/Support/Error.h"
#include "llvm/TargetParser/Triple.h"

namespace llvm {
class Target;
} // namespace llvm

#include <string>

namespace mlir {
class Operation;

namespace quantsim {

struct ResolvedTarget {
  llvm::Triple triple;
  /// LLVM's registered target for the triple (target infos and MC layers
  /// are registered; code generators are the caller's to initialize).
  const llvm::Target *llvmTarget = nullptr;
  /// A concrete CPU name ("host" is resolved).
  std::string cpu;
  /// LLVM's feature string, host features included when the CPU is the host.
  std::string features;
  bool isHost = false;
  /// x86 with AVX-512 / with AVX-512 VNNI (vpdpbusd on zmm registers).
  bool avx512 = false;
  bool vnni = false;
  /// x86 with AVX-512 DQ (vrangeps: an exact maximum of non-NaN floats).
  bool avx512dq = false;
};

/// Resolves `triple` (empty: the host's), `cpu` (empty: "host" for the host
/// triple, "generic" otherwise) and `features` ("+a,-b"). Errors name the
/// unknown triple or CPU.
llvm::Expected<ResolvedTarget> resolveTarget(llvm::StringRef triple,
                                             llvm::StringRef cpu,
                                             llvm::StringRef features);

/// The target of a pass with target options: resolved once in the pass's
/// initialize() (LLVM's target registry is not thread-safe, and function
/// passes run in parallel), its error reported on the op it runs on.
class PassTarget {
public:
  void resolve(llvm::StringRef triple, llvm::StringRef cpu,
               llvm::StringRef features);
  /// Emits the resolution error, if any, on `op`, naming `pass`.
  llvm::LogicalResult check(Operation *op, llvm::StringRef pass) const;
  const ResolvedTarget &get() const { return target; }

private:
  ResolvedTarget target;
  std::string error;
};

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_CODEGEN_TARGET_H
