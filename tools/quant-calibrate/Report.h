//===- Report.h - quant-calibrate's error and mixed-precision reports -----===//
//
// Part of quant-opt. The per-value error table a person reads, the same
// figures as JSON or CSV, and the mixed-precision ranking.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TOOLS_QUANTCALIBRATE_REPORT_H
#define QUANTOPT_TOOLS_QUANTCALIBRATE_REPORT_H

#include "quant-opt/Runtime/ErrorAnalysis.h"
#include "quant-opt/Runtime/MixedPrecision.h"
#include "quant-opt/Support/Calibration.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace quantsim {

struct ReportContext {
  CalibrationMethod method;
  const MixedPrecisionResult *mixed = nullptr; ///< when a search ran
};

void printErrorTable(llvm::raw_ostream &os, const ErrorReport &report,
                     const ReportContext &context);
void writeErrorJson(llvm::raw_ostream &os, const ErrorReport &report,
                    const ReportContext &context);
void writeErrorCsv(llvm::raw_ostream &os, const ErrorReport &report);
void printMixedPrecision(llvm::raw_ostream &os,
                         const MixedPrecisionResult &result, int64_t items,
                         const MixedPrecisionOptions &options);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_TOOLS_QUANTCALIBRATE_REPORT_H
