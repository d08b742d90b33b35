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
    The `quantsim` dialect holds the two operations a quantization compiler
    needs on a float graph before it becomes integer arithmetic:

    * `quantsim.fake_quant` quantizes and dequantizes a float tensor with the
      parameters of an upstream `quant` type, bit-exactly (round half to even,
      saturate).
    * `quantsim.observe` is an identity that names an observer and, once a
      calibration run has filled it, carries the statistics it saw.

    Quantization parameters are upstream `!quant.uniform` types, so storage
    width, signedness, narrow range and per-axis scales interoperate with other
    MLIR tools.
  }];
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
