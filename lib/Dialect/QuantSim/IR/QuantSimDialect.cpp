//===- QuantSimDialect.cpp - quantsim dialect registration ----------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
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

LogicalResult
QuantSimDialect::verifyOperationAttribute(Operation *op,
                                          NamedAttribute attribute) {
  StringAttr name = attribute.getName();
  Attribute value = attribute.getValue();
  auto inFunction = [&] {
    return isa<FunctionOpInterface>(op) ||
           op->getParentOfType<FunctionOpInterface>();
  };
  if (name == getKeepFloatAttrHelper().getName()) {
    if (!isa<UnitAttr>(value))
      return op->emitError() << "'" << name.getValue()
                             << "' is a unit attribute";
    if (!inFunction())
      return op->emitError() << "'" << name.getValue()
                             << "' belongs on a function or an op in one";
    return success();
  }
  if (name == getObserverAttrHelper().getName()) {
    if (!isa<StringAttr>(value))
      return op->emitError() << "'" << name.getValue()
                             << "' must be a string";
    if (!isa<FakeQuantOp>(op))
      return op->emitError() << "'" << name.getValue()
                             << "' belongs on a quantsim.fake_quant";
    return success();
  }
  if (name == getTestCompareAttrHelper().getName()) {
    if (!isa<UnitAttr>(value) || !isa<FunctionOpInterface>(op))
      return op->emitError() << "'" << name.getValue()
                             << "' is a unit attribute of a function";
    return success();
  }
  if (name == getParallelAttrHelper().getName()) {
    auto work = dyn_cast<IntegerAttr>(value);
    if (!work || !work.getType().isInteger(64) || work.getInt() < 0 ||
        !isa<LoopLikeOpInterface>(op))
      return op->emitError() << "'" << name.getValue()
                             << "' is a loop's work, a non-negative i64";
    return success();
  }
  if (name == getWorkspaceBytesAttrHelper().getName() ||
      name == getWorkspaceAlignmentAttrHelper().getName()) {
    auto bytes = dyn_cast<IntegerAttr>(value);
    if (!bytes || !bytes.getType().isInteger(64) || bytes.getInt() < 1 ||
        !isa<FunctionOpInterface>(op))
      return op->emitError() << "'" << name.getValue()
                             << "' is a function's positive i64";
    return success();
  }
  return op->emitError() << "unknown quantsim attribute '" << name.getValue()
                         << "'; known: quantsim.keep_float, "
                            "quantsim.observer, quantsim.parallel, "
                            "quantsim.test_compare, quantsim.workspace_bytes, "
                            "quantsim.workspace_alignment";
}

bool mlir::quantsim::isKeptFloat(Operation *op) {
  return op->hasAttr(QuantSimDialect::KeepFloatAttrHelper::getNameStr());
}
