//===- Report.cpp - quant-calibrate's error and mixed-precision reports ---===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "Report.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantsim;

static std::string shapeString(ArrayRef<int64_t> shape) {
  return llvm::join(llvm::map_range(shape,
                                    [](int64_t d) { return std::to_string(d); }),
                    "x");
}

/// SQNR for people: "inf" when exact.
static std::string sqnrString(double db) {
  if (std::isinf(db))
    return db > 0 ? "inf" : "-inf";
  return llvm::formatv("{0:f2}", db).str();
}

void mlir::quantsim::printErrorTable(llvm::raw_ostream &os,
                                     const ErrorReport &report,
                                     const ReportContext &context) {
  os << llvm::formatv("quant-calibrate: error against the float graph on {0} "
                      "items (method {1})\n",
                      report.items, calibrationMethodName(context.method));
  size_t nameWidth = 5, opWidth = 2, shapeWidth = 5;
  auto widen = [&](const ValueError &v) {
    nameWidth = std::max(nameWidth, v.name.size());
    opWidth = std::max(opWidth, v.op.size());
    shapeWidth = std::max(shapeWidth, shapeString(v.shape).size());
  };
  for (const ValueError &v : report.values)
    widen(v);
  for (const ValueError &v : report.outputs)
    widen(v);
  auto row = [&](StringRef name, StringRef op, StringRef shape,
                 StringRef sqnr, StringRef maxErr, StringRef meanErr) {
    os << "  " << llvm::left_justify(name, nameWidth) << "  "
       << llvm::left_justify(op, opWidth) << "  "
       << llvm::left_justify(shape, shapeWidth) << "  "
       << llvm::right_justify(sqnr, 8) << "  "
       << llvm::right_justify(maxErr, 12) << "  "
       << llvm::right_justify(meanErr, 12) << "\n";
  };
  row("value", "op", "shape", "SQNR dB", "max abs err", "mean abs err");
  auto print = [&](const ValueError &v) {
    row(v.name, v.op, shapeString(v.shape), sqnrString(v.error.sqnrDb()),
        llvm::formatv("{0:e3}", v.error.maxAbsError()).str(),
        llvm::formatv("{0:e3}", v.error.meanAbsError()).str());
  };
  for (const ValueError &v : report.values)
    print(v);
  for (const ValueError &v : report.outputs)
    print(v);
  if (context.mixed && !context.mixed->keepFloat.empty())
    os << "  kept in float: " << llvm::join(context.mixed->keepFloat, ", ")
       << "\n";
}

static llvm::json::Value sqnrJson(double db) {
  if (std::isfinite(db))
    return db;
  return nullptr;
}

static llvm::json::Object valueJson(const ValueError &v) {
  return llvm::json::Object{
      {"name", v.name},
      {"op", v.op},
      {"shape", llvm::json::Array(v.shape)},
      {"elements", v.error.elements()},
      {"sqnr_db", sqnrJson(v.error.sqnrDb())},
      {"exact", v.error.maxAbsError() == 0},
      {"max_abs_error", v.error.maxAbsError()},
      {"mean_abs_error", v.error.meanAbsError()},
      {"non_finite", v.error.nonFinite()}};
}

void mlir::quantsim::writeErrorJson(llvm::raw_ostream &os,
                                    const ErrorReport &report,
                                    const ReportContext &context) {
  llvm::json::Array values, outputs;
  for (const ValueError &v : report.values)
    values.push_back(valueJson(v));
  for (const ValueError &v : report.outputs)
    outputs.push_back(valueJson(v));
  llvm::json::Object root{
      {"items", report.items},
      {"method", calibrationMethodName(context.method)},
      {"values", std::move(values)},
      {"outputs", std::move(outputs)}};
  if (const MixedPrecisionResult *mixed = context.mixed) {
    llvm::json::Array ranking;
    for (const OpSensitivity &op : mixed->ranking)
      ranking.push_back(llvm::json::Object{
          {"name", op.name}, {"output_sqnr_db", sqnrJson(op.outputSqnrDb)}});
    root["mixed_precision"] = llvm::json::Object{
        {"quantized_output_sqnr_db", sqnrJson(mixed->quantizedSqnrDb)},
        {"ranking", std::move(ranking)},
        {"keep_float", llvm::json::Array(mixed->keepFloat)},
        {"output_sqnr_db", sqnrJson(mixed->outputSqnrDb)},
        {"target_reached", mixed->targetReached}};
  }
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

/// A CSV field, quoted when it holds a comma, quote or newline.
static std::string csvField(StringRef s) {
  if (s.find_first_of(",\"\n") == StringRef::npos)
    return s.str();
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void mlir::quantsim::writeErrorCsv(llvm::raw_ostream &os,
                                   const ErrorReport &report) {
  os << "kind,name,op,shape,elements,sqnr_db,max_abs_error,mean_abs_error\n";
  auto print = [&](StringRef kind, const ValueError &v) {
    os << kind << ',' << csvField(v.name) << ',' << csvField(v.op) << ','
       << shapeString(v.shape) << ',' << v.error.elements() << ','
       << sqnrString(v.error.sqnrDb()) << ','
       << llvm::formatv("{0:e6}", v.error.maxAbsError()) << ','
       << llvm::formatv("{0:e6}", v.error.meanAbsError()) << "\n";
  };
  for (const ValueError &v : report.values)
    print("value", v);
  for (const ValueError &v : report.outputs)
    print("output", v);
}

void mlir::quantsim::printMixedPrecision(llvm::raw_ostream &os,
                                         const MixedPrecisionResult &result,
                                         int64_t items,
                                         const MixedPrecisionOptions &options) {
  os << llvm::formatv("quant-calibrate: mixed precision on {0} items: output "
                      "SQNR {1} dB with every op quantized; with one op in "
                      "float:\n",
                      items, sqnrString(result.quantizedSqnrDb));
  size_t width = 2;
  for (const OpSensitivity &op : result.ranking)
    width = std::max(width, op.name.size());
  for (const OpSensitivity &op : result.ranking)
    os << "  " << llvm::left_justify(op.name, width) << "  "
       << llvm::right_justify(sqnrString(op.outputSqnrDb), 8) << " dB\n";
  if (result.keepFloat.empty())
    os << "quant-calibrate: no op kept in float";
  else
    os << "quant-calibrate: kept in float: "
       << llvm::join(result.keepFloat, ", ");
  os << llvm::formatv("; output SQNR {0} dB", sqnrString(result.outputSqnrDb));
  if (options.targetSqnrDb)
    os << llvm::formatv(" (target {0} dB{1})",
                        sqnrString(*options.targetSqnrDb),
                        result.targetReached ? "" : ", not reached");
  os << "\n";
}
