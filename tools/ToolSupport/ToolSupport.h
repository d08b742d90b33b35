//===- ToolSupport.h - what quant-run and quant-translate share -*- C++ -*-===//
//
// Part of quant-opt. Private to the tools: not installed.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TOOLS_TOOLSUPPORT_H
#define QUANTOPT_TOOLS_TOOLSUPPORT_H

#include "quant-opt/Codegen/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

namespace mlir {
class TimingScope;

namespace quantsim {

/// Every dialect and extension, plus the translations to LLVM IR.
void registerToolDialects(DialectRegistry &registry);

/// Parses `path`; parse diagnostics go to stderr with their locations. With
/// `timing`, the parse is timed under it as "parse".
llvm::Expected<OwningOpRef<ModuleOp>>
parseModuleFile(llvm::StringRef path, MLIRContext &context,
                TimingScope *timing = nullptr);

/// The values of a --pipeline option: cpu (default) and reference.
llvm::cl::ValuesClass codegenPipelineValues();

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_TOOLS_TOOLSUPPORT_H
