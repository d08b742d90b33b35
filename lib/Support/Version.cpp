//===- Version.cpp - quant-opt's version ----------------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Version.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

#ifndef QUANT_OPT_VERSION
#error "QUANT_OPT_VERSION must be defined by the build"
#endif

llvm::StringRef mlir::quantsim::getQuantOptVersion() {
  return QUANT_OPT_VERSION;
}

llvm::StringRef mlir::quantsim::getLLVMVersion() {
  return LLVM_VERSION_STRING;
}

void mlir::quantsim::printVersion(llvm::raw_ostream &os,
                                  llvm::StringRef tool) {
  os << "quant-opt version " << getQuantOptVersion();
  if (!tool.empty() && tool != "quant-opt")
    os << " (" << tool << ")";
  os << "\n  LLVM version " << getLLVMVersion() << "\n";
}

void mlir::quantsim::setVersionPrinter(llvm::StringRef tool) {
  llvm::cl::SetVersionPrinter(
      [name = tool.str()](llvm::raw_ostream &os) { printVersion(os, name); });
}
