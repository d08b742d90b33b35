//===- Locations.cpp - names carried by locations --------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/Locations.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Visitors.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace mlir;

std::string mlir::quantsim::locationName(Location loc) {
  std::string name;
  loc->walk([&](Location l) {
    if (auto named = dyn_cast<NameLoc>(l)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

/// The file location of an imported node: a NameLoc whose child is the
/// model file at line 0.
static std::optional<std::pair<NameLoc, FileLineColLoc>>
importedNode(Location loc) {
  auto name = dyn_cast<NameLoc>(loc);
  if (!name)
    return std::nullopt;
  auto file = dyn_cast<FileLineColLoc>(name.getChildLoc());
  if (!file || file.getLine() != 0)
    return std::nullopt;
  return std::make_pair(name, file);
}

std::string mlir::quantsim::describeLocation(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto node = importedNode(loc)) {
    os << node->second.getFilename().getValue() << ": node '"
       << node->first.getName().getValue() << "'";
    return text;
  }
  FileLineColLoc file;
  loc->walk([&](Location l) {
    if ((file = dyn_cast<FileLineColLoc>(l)))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (file) {
    os << file.getFilename().getValue() << ":" << file.getLine() << ":"
       << file.getColumn();
    return text;
  }
  std::string name = locationName(loc);
  if (!name.empty())
    os << "node '" << name << "'";
  return text;
}

static llvm::StringRef severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

void mlir::quantsim::registerImportedNodeDiagnosticHandler(
    MLIRContext *context, llvm::raw_ostream &os) {
  context->getDiagEngine().registerHandler([&os](Diagnostic &diag)
                                               -> LogicalResult {
    if (!importedNode(diag.getLocation()))
      return failure();
    auto print = [&os](Diagnostic &d) {
      std::string where = describeLocation(d.getLocation());
      os << (where.empty() ? "" : where + ": ") << severityName(d.getSeverity())
         << ": " << d << "\n";
    };
    print(diag);
    for (Diagnostic &note : diag.getNotes())
      print(note);
    os.flush();
    return success();
  });
}
