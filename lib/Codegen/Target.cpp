//===- Target.cpp - the CPU code is generated for -------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Target.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <memory>
#include <mutex>

using namespace mlir::quantsim;

llvm::Expected<ResolvedTarget>
mlir::quantsim::resolveTarget(llvm::StringRef triple, llvm::StringRef cpu,
                              llvm::StringRef features) {
  // Registration is not thread-safe; passes on several functions run this
  // concurrently.
  static std::once_flag registered;
  std::call_once(registered, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargetMCs();
  });

  ResolvedTarget target;
  target.isHost = triple.empty();
  target.triple = llvm::Triple(
      target.isHost ? llvm::sys::getDefaultTargetTriple()
                    : llvm::Triple::normalize(triple));
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(target.triple, error);
  target.llvmTarget = llvmTarget;
  if (!llvmTarget)
    return llvm::createStringError("target '" + target.triple.str() +
                                   "': " + error);
  // Weights reach LLVM as the host's bytes (--quantsim-byte-constants).
  if (target.triple.isLittleEndian() !=
      (llvm::endianness::native == llvm::endianness::little))
    return llvm::createStringError(
        "target '" + target.triple.str() +
        "': a target of the other byte order than this host's is not "
        "supported");
  target.cpu = cpu.empty() ? (target.isHost ? "host" : "generic") : cpu.str();
  if (target.cpu == "host") {
    if (!target.isHost)
      return llvm::createStringError(
          "CPU 'host' needs the host triple, not '" + target.triple.str() +
          "'");
    target.cpu = llvm::sys::getHostCPUName().str();
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      target.features += std::string(target.features.empty() ? "" : ",") +
                         (feature.second ? "+" : "-") + feature.first().str();
  }
  if (!features.empty())
    target.features +=
        (target.features.empty() ? "" : ",") + features.str();

  // Check the name first: creating a subtarget for an unknown CPU prints a
  // warning of LLVM's own and carries on.
  std::unique_ptr<llvm::MCSubtargetInfo> probe(
      llvmTarget->createMCSubtargetInfo(target.triple, "", ""));
  if (!probe)
    return llvm::createStringError("no subtarget information for '" +
                                   target.triple.str() + "'");
  if (target.cpu != "generic" && !probe->isCPUStringValid(target.cpu))
    return llvm::createStringError("unknown CPU '" + target.cpu +
                                   "' for target '" + target.triple.str() +
                                   "'");
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      llvmTarget->createMCSubtargetInfo(target.triple, target.cpu,
                                        target.features));
  if (target.triple.isX86()) {
    target.avx512 = subtarget->checkFeatures("+avx512f");
    target.vnni = target.avx512 && subtarget->checkFeatures("+avx512vnni");
    target.avx512dq = target.avx512 && subtarget->checkFeatures("+avx512dq");
  }
  return target;
}

void PassTarget::resolve(llvm::StringRef triple, llvm::StringRef cpu,
                         llvm::StringRef features) {
  llvm::Expected<ResolvedTarget> resolved =
      resolveTarget(triple, cpu, features);
  if (!resolved) {
    error = llvm::toString(resolved.takeError());
    return;
  }
  error.clear();
  target = *resolved;
}

llvm::LogicalResult PassTarget::check(mlir::Operation *op,
                                      llvm::StringRef pass) const {
  if (error.empty())
    return llvm::success();
  op->emitError() << "--" << pass << ": " << error;
  return llvm::failure();
}
