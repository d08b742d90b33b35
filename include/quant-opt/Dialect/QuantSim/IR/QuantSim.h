//===- QuantSim.h - quantsim dialect ----------------------------*- C++ -*-===//
//
// Part of quant-opt. The quantsim dialect: fake quantization and observers.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIM_H
#define QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIM_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "quant-opt/Dialect/QuantSim/IR/QuantSimDialect.h.inc"
#include "quant-opt/Dialect/QuantSim/IR/QuantSimEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "quant-opt/Dialect/QuantSim/IR/QuantSimAttrs.h.inc"

#define GET_OP_CLASSES
#include "quant-opt/Dialect/QuantSim/IR/QuantSimOps.h.inc"

namespace mlir {
namespace quantsim {

/// Whether `op` (an op or a function) carries `quantsim.keep_float`.
bool isKeptFloat(Operation *op);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_DIALECT_QUANTSIM_IR_QUANTSIM_H
