//===- ItemFeed.h - data sets run item by item through an entry -*- C++ -*-===//
//
// Part of quant-opt. Shared by the calibration run and the error analysis:
// a data set with its items along dimension 0, fed to an entry of batch B
// one B-item chunk at a time; and a way to expose inner values of an entry
// as extra results.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_RUNTIME_ITEMFEED_H
#define QUANTOPT_LIB_RUNTIME_ITEMFEED_H

#include "quant-opt/Runtime/JitSession.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir {
namespace quantsim {

/// Appends `values`, defined in `func`, to the results of its return.
void appendResults(func::FuncOp func, ArrayRef<Value> values);

class ItemFeed {
public:
  /// Checks `inputs` against the entry's `specs`: the same dtype and item
  /// shape, any multiple of the entry's leading dimension in front, the same
  /// number of items in every input. `what` names the data in messages.
  /// Uses the first `maxItems` items (rounded down to whole batches, at
  /// least one batch) when maxItems > 0.
  static llvm::Expected<ItemFeed> create(ArrayRef<const NpyArray *> inputs,
                                         ArrayRef<TensorSpec> specs,
                                         llvm::StringRef what,
                                         int64_t maxItems = -1);

  int64_t items() const { return itemCount; }
  int64_t batch() const { return batchSize; }
  int64_t steps() const { return itemCount / batchSize; }
  /// The entry inputs of step `step` (items step*B to step*B + B - 1).
  ArrayRef<const NpyArray *> chunk(int64_t step);

private:
  SmallVector<const NpyArray *> inputs;
  SmallVector<NpyArray> local;
  SmallVector<const NpyArray *> localPtrs;
  int64_t itemCount = 0, batchSize = 1;
};

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_RUNTIME_ITEMFEED_H
