//===- QuantSimBase.td - quantsim dialect definition -------*- tablegen -*-===//
//
// Part of quant-opt. The quantsim dialect models quantization on float graphs:
// fake quantization with exact integer semantics, and observers that collect
// calibration statistics.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIMBASE_TD
#define QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIMBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def QuantSim_Dialect : Dialect {
  let name = "quantsim";
  let cppNamespace = "::mlir::quantsim";
  let summary = "Quantization simulation: fake quantization and observers";
  let description = [{
    The `quantsim` dialect models quantization on float graphs and the
    integer arithmetic they become:

    * `quantsim.fake_quant` quantizes and dequantizes a float tensor with the
      parameters of an upstream `quant` type, bit-exactly (round half to even,
      saturate).
    * `quantsim.observe` is an identity that names an observer and, once a
      calibration run has filled it, carries the statistics it saw
      (`#quantsim.stats`).
    * `quantsim.quantize` and `quantsim.dequantize` are the two halves of a
      fake_quant, between float and integer storage: the QAT lowering splits
      fake_quants into them and rewrites the float ops in between into
      integer TOSA.
    * `quantsim.dot_u8s8` is the u8 x s8 dot-product step of the int8 CPU
      kernels (AVX-512 VNNI's `vpdpbusd`, or plain vector arithmetic).

    Quantization parameters are upstream `!quant.uniform` types, so storage
    width, signedness, narrow range and per-axis scales interoperate with other
    MLIR tools.

    Discardable attributes, checked by the dialect's verifier (an unknown
    `quantsim.*` attribute is an error, so a misspelling is not silently
    ignored):

    * `quantsim.keep_float` (unit), on a function or on an op in one: the op
      (or every op of the function) stays float. Observer insertion skips it,
      range propagation does not cross it, affine-chain folding and the QAT
      lowering leave it alone: its quantized inputs are dequantized, its
      result is quantized again where a fake_quant follows.
    * `quantsim.observer` (string), on a `quantsim.fake_quant`: the name of
      the observer whose statistics chose its parameters.
    * `quantsim.test_compare` (unit), on a function: the function that
      `--quantsim-test-compare-harness` compares against its integer lowering.
    * `quantsim.parallel` (i64), on a loop: the CPU kernels' loops over the
      batch and the output rows, whose iterations are independent, with the
      nest's work in multiply-adds; `--quantsim-parallelize-loops` runs them
      on threads.
    * `quantsim.workspace_bytes` and `quantsim.workspace_alignment` (positive
      i64), on a function: set by `--quantsim-plan-arena=workspace-argument`
      on a function whose last argument it made the memory of its
      temporaries, that memory's size and alignment in bytes (what
      `quant-translate --workspace` tells the caller).
  }];
  let discardableAttrs = (ins
    "::mlir::UnitAttr":$keep_float,
    "::mlir::StringAttr":$observer,
    "::mlir::UnitAttr":$test_compare,
    "::mlir::IntegerAttr":$parallel,
    "::mlir::IntegerAttr":$workspace_bytes,
    "::mlir::IntegerAttr":$workspace_alignment
  );
  let hasOperationAttrVerify = 1;
  let dependentDialects = ["::mlir::quant::QuantDialect", "::mlir::arith::ArithDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class QuantSim_Op<string mnemonic, list<Trait> traits = []>
    : Op<QuantSim_Dialect, mnemonic, traits>;

class QuantSim_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<QuantSim_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIMBASE_TD
