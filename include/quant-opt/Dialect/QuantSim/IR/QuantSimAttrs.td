//===- QuantSimAttrs.td - quantsim attributes --------------*- tablegen -*-===//
//
// Part of quant-opt. Observer kinds and the calibration statistics an observer
// carries once a calibration run has filled it.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIMATTRS_TD
#define QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIMATTRS_TD

include "quant-opt/Dialect/QuantSim/IR/QuantSimBase.td"
include "mlir/IR/EnumAttr.td"

def QuantSim_ObserverKind : I32EnumAttr<"ObserverKind",
    "which statistics an observer collects", [
      I32EnumAttrCase<"MinMax", 0, "min_max">,
      I32EnumAttrCase<"MovingAverageMinMax", 1, "moving_average_min_max">,
      I32EnumAttrCase<"Histogram", 2, "histogram">
    ]> {
  let cppNamespace = "::mlir::quantsim";
}

def QuantSim_StatsAttr : QuantSim_Attr<"Stats", "stats"> {
  let summary = "calibration statistics collected by an observer";
  let description = [{
    What an observer saw during calibration.

    * `min`, `max`: the running minimum and maximum (moving averages of the
      per-batch extremes for `moving_average_min_max`); one entry for a
      per-tensor observer, one per channel for a per-axis observer.
    * `histogram` (histogram observers only): counts of `bins` equal-width
      bins spanning `[lo, hi]`, written `histogram = [...] in [lo, hi]`;
      without `in`, the bins span `[min, max]`. The range must contain
      `[min, max]`. Calibration writes power-of-two bin widths with 0 on a
      bin edge (see docs/Calibration.md).
    * `count`: how many batches were observed.

    Example:

    ```mlir
    #quantsim.stats<min = [-1.5], max = [2.25], count = 16>
    #quantsim.stats<min = [0.0], max = [4.0], histogram = [3, 0, 7, 1], count = 2>
    #quantsim.stats<min = [0.1], max = [3.5], histogram = [3, 7] in [0.0, 4.0], count = 2>
    ```
  }];
  let parameters = (ins
    "::mlir::DenseF64ArrayAttr":$min,
    "::mlir::DenseF64ArrayAttr":$max,
    OptionalArrayRefParameter<"int64_t", "histogram bin counts">:$histogram,
    OptionalParameter<"::mlir::DenseF64ArrayAttr", "[lo, hi] of the histogram">:$histogramRange,
    "int64_t":$count
  );
  let builders = [
    AttrBuilder<(ins "::llvm::ArrayRef<double>":$min,
                     "::llvm::ArrayRef<double>":$max,
                     "::llvm::ArrayRef<int64_t>":$histogram,
                     "::llvm::ArrayRef<double>":$histogramRange,
                     "int64_t":$count), [{
      return $_get($_ctxt, ::mlir::DenseF64ArrayAttr::get($_ctxt, min),
                   ::mlir::DenseF64ArrayAttr::get($_ctxt, max), histogram,
                   histogramRange.empty()
                       ? ::mlir::DenseF64ArrayAttr()
                       : ::mlir::DenseF64ArrayAttr::get($_ctxt, histogramRange),
                   count);
    }]>
  ];
  let extraClassDeclaration = [{
    /// [lo, hi] spanned by the histogram bins.
    std::pair<double, double> getHistogramBounds() const {
      if (getHistogramRange() && getHistogramRange().size() == 2)
        return {getHistogramRange()[0], getHistogramRange()[1]};
      return {getMin()[0], getMax()[0]};
    }
  }];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIMATTRS_TD
