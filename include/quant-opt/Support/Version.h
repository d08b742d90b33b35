//===- Version.h - quant-opt's version --------------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_VERSION_H
#define QUANTOPT_SUPPORT_VERSION_H

#include "llvm/ADT/StringRef.h"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
namespace quantsim {

/// quant-opt's version ("major.minor.patch", the CMake project's).
llvm::StringRef getQuantOptVersion();

/// The version of LLVM/MLIR quant-opt was built against.
llvm::StringRef getLLVMVersion();

/// Prints `quant-opt version X (tool)` and the LLVM version, for --version.
void printVersion(llvm::raw_ostream &os, llvm::StringRef tool);

/// Makes --version of the calling tool print printVersion's text. Call
/// before parsing the command line.
void setVersionPrinter(llvm::StringRef tool);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_VERSION_H
