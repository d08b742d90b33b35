//===- QuantSimDialect.cpp - quantsim dialect registration ----------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace mlir::quantsim;

#include "quant-opt/Dialect/QuantSim/IR/QuantSimDialect.cpp.inc"
#include "quant-opt/Dialect/QuantSim/IR/QuantSimEnums.cpp.inc"

void QuantSimDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "quant-opt/Dialect/QuantSim/IR/QuantSimOps.cpp.inc"
      >();
  registerAttributes();
}

Operation *QuantSimDialect::materializeConstant(OpBuilder &builder,
                                                Attribute value, Type type,
                                                Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}
