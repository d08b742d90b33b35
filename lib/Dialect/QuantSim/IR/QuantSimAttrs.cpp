//===- QuantSimAttrs.cpp - calibration statistics attribute ---------------===//
//
// Part of quant-opt. Custom syntax and verification of #quantsim.stats:
//   #quantsim.stats<min = [-1.0], max = [2.0], histogram = [1, 2], count = 3>
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantsim;

#define GET_ATTRDEF_CLASSES
#include "quant-opt/Dialect/QuantSim/IR/QuantSimAttrs.cpp.inc"

void QuantSimDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "quant-opt/Dialect/QuantSim/IR/QuantSimAttrs.cpp.inc"
      >();
}

/// Parses `name = [v, v, ...]`.
template <typename T>
static ParseResult parseNamedList(AsmParser &parser, StringRef name,
                                  SmallVectorImpl<T> &values) {
  if (parser.parseKeyword(name) || parser.parseEqual())
    return failure();
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        T value;
        if constexpr (std::is_floating_point_v<T>) {
          if (parser.parseFloat(value))
            return failure();
        } else {
          if (parser.parseInteger(value))
            return failure();
        }
        values.push_back(value);
        return success();
      });
}

Attribute StatsAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<double> min, max;
  SmallVector<int64_t> histogram;
  SmallVector<double> range;
  int64_t count = 0;
  if (parser.parseLess() || parseNamedList(parser, "min", min) ||
      parser.parseComma() || parseNamedList(parser, "max", max) ||
      parser.parseComma())
    return {};
  if (succeeded(parser.parseOptionalKeyword("histogram"))) {
    if (parser.parseEqual() ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                       [&]() -> ParseResult {
                                         return parser.parseInteger(
                                             histogram.emplace_back());
                                       }))
      return {};
    if (succeeded(parser.parseOptionalKeyword("in")) &&
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                       [&]() -> ParseResult {
                                         return parser.parseFloat(
                                             range.emplace_back());
                                       }))
      return {};
    if (parser.parseComma())
      return {};
  }
  if (parser.parseKeyword("count") || parser.parseEqual() ||
      parser.parseInteger(count) || parser.parseGreater())
    return {};
  MLIRContext *ctx = parser.getContext();
  return StatsAttr::getChecked([&] { return parser.emitError(loc); }, ctx,
                               DenseF64ArrayAttr::get(ctx, min),
                               DenseF64ArrayAttr::get(ctx, max), histogram,
                               range.empty() ? DenseF64ArrayAttr()
                                             : DenseF64ArrayAttr::get(ctx, range),
                               count);
}

static void printFloatList(AsmPrinter &printer, ArrayRef<double> values) {
  printer << '[';
  llvm::interleaveComma(values, printer, [&](double value) {
    printer.printFloat(llvm::APFloat(value));
  });
  printer << ']';
}

void StatsAttr::print(AsmPrinter &printer) const {
  printer << "<min = ";
  printFloatList(printer, getMin().asArrayRef());
  printer << ", max = ";
  printFloatList(printer, getMax().asArrayRef());
  if (!getHistogram().empty()) {
    printer << ", histogram = [";
    llvm::interleaveComma(getHistogram(), printer);
    printer << ']';
    if (getHistogramRange()) {
      printer << " in ";
      printFloatList(printer, getHistogramRange().asArrayRef());
    }
  }
  printer << ", count = " << getCount() << '>';
}

LogicalResult StatsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                DenseF64ArrayAttr minAttr,
                                DenseF64ArrayAttr maxAttr,
                                ArrayRef<int64_t> histogram,
                                DenseF64ArrayAttr rangeAttr, int64_t count) {
  if (!minAttr || !maxAttr)
    return emitError() << "statistics need 'min' and 'max'";
  ArrayRef<double> min = minAttr.asArrayRef(), max = maxAttr.asArrayRef();
  if (min.empty() || min.size() != max.size())
    return emitError() << "statistics need as many 'min' as 'max' values, "
                          "at least one; got "
                       << min.size() << " and " << max.size();
  for (size_t i = 0, e = min.size(); i < e; ++i) {
    if (!std::isfinite(min[i]) || !std::isfinite(max[i]))
      return emitError() << "statistics for channel " << i
                         << " are not finite";
    if (min[i] > max[i])
      return emitError() << "statistics for channel " << i << " have min "
                         << min[i] << " greater than max " << max[i];
  }
  if (rangeAttr) {
    ArrayRef<double> range = rangeAttr.asArrayRef();
    if (histogram.empty())
      return emitError() << "a histogram range needs a histogram";
    if (range.size() != 2 || !std::isfinite(range[0]) ||
        !std::isfinite(range[1]) || !(range[0] < range[1]))
      return emitError() << "a histogram range must be two finite values "
                            "[lo, hi] with lo < hi";
    if (min.size() != 1 || range[0] > min[0] || range[1] < max[0])
      return emitError() << "the histogram range [" << range[0] << ", "
                         << range[1] << "] does not contain [min, max]";
  }
  if (llvm::any_of(histogram, [](int64_t c) { return c < 0; }))
    return emitError() << "histogram counts must not be negative";
  if (count < 0)
    return emitError() << "observation count must not be negative, got "
                       << count;
  return success();
}
