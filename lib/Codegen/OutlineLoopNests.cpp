//===- OutlineLoopNests.cpp - one function per top-level loop nest --------===//
//
// Part of quant-opt. Implements --quantsim-outline-loop-nests: LLVM's loop
// passes slow down more than linearly with the loops of one function, so
// every top-level loop nest of a lowered model becomes a function of its own.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Support/Locations.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMOUTLINELOOPNESTSPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

/// Whether the op defining a value the nest uses is cloned into the new
/// function rather than passed to it: it has no operands and no effect.
bool isRematerializable(Operation *op) {
  return op && op->getNumOperands() == 0 &&
         (op->hasTrait<OpTrait::ConstantLike>() || isa<memref::GetGlobalOp>(op));
}

/// `caller`_nest`index`[_`layer`], with the layer's name reduced to
/// characters every assembler takes.
std::string nestName(func::FuncOp caller, unsigned index, Operation *loop) {
  std::string name = (caller.getSymName() + "_nest" + Twine(index)).str();
  std::string layer = quantsim::locationName(loop->getLoc());
  if (layer.empty())
    return name;
  name += '_';
  // Runs of other characters (ONNX names like "/layer1/conv/Conv") become
  // one underscore.
  for (char c : layer.substr(0, 64)) {
    if (llvm::isAlnum(c))
      name += c;
    else if (name.back() != '_')
      name += '_';
  }
  if (name.back() == '_')
    name.pop_back();
  return name;
}

struct QuantSimOutlineLoopNestsPass
    : quantsim::impl::QuantSimOutlineLoopNestsPassBase<
          QuantSimOutlineLoopNestsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> callers;
    for (auto fn : module.getOps<func::FuncOp>())
      if (!fn.isExternal())
        callers.push_back(fn);
    for (func::FuncOp caller : callers) {
      SmallVector<Operation *> nests;
      for (Block &block : caller.getBody())
        for (Operation &op : block)
          if (isa<LoopLikeOpInterface>(op))
            nests.push_back(&op);
      if (nests.size() < minNests)
        continue;
      // The new functions follow their caller, in the nests' order.
      Operation *last = caller;
      llvm::SetVector<Operation *> cloned;
      for (auto [index, loop] : llvm::enumerate(nests))
        last = outline(symbols, caller, last, index, loop, cloned);
      // Constants only the nests used.
      for (Operation *op : cloned)
        if (op->use_empty())
          op->erase();
    }
  }

  /// Moves `loop` into a new function placed after `after`; returns it.
  /// The ops cloned into it are added to `cloned`.
  Operation *outline(SymbolTable &symbols, func::FuncOp caller,
                     Operation *after, unsigned index, Operation *loop,
                     llvm::SetVector<Operation *> &cloned) {
    MLIRContext *ctx = &getContext();
    llvm::SetVector<Value> used(loop->getOperands().begin(),
                                loop->getOperands().end());
    getUsedValuesDefinedAbove(loop->getRegions(), used);

    SmallVector<Value> arguments;
    SmallVector<Operation *> clones;
    for (Value v : used) {
      if (isRematerializable(v.getDefiningOp()))
        clones.push_back(v.getDefiningOp());
      else
        arguments.push_back(v);
    }

    OpBuilder b(ctx);
    b.setInsertionPointAfter(after);
    auto type = FunctionType::get(ctx, ValueRange(arguments).getTypes(),
                                  loop->getResultTypes());
    auto callee = func::FuncOp::create(b, loop->getLoc(),
                                       nestName(caller, index, loop), type);
    callee.setPrivate();
    callee->setAttr("llvm.linkage",
                    LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
    callee->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
    symbols.insert(callee);

    Block *entry = callee.addEntryBlock();
    IRMapping map;
    map.map(arguments, entry->getArguments());
    b.setInsertionPointToStart(entry);
    for (Operation *op : clones)
      b.clone(*op, map);
    cloned.insert(clones.begin(), clones.end());
    Operation *moved = b.clone(*loop, map);
    func::ReturnOp::create(b, loop->getLoc(), moved->getResults());

    b.setInsertionPoint(loop);
    auto call = func::CallOp::create(b, loop->getLoc(), callee, arguments);
    loop->replaceAllUsesWith(call.getResults());
    loop->erase();
    return callee;
  }
};

} // namespace
