//===- ItemFeed.cpp - data sets run item by item through an entry ----------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "ItemFeed.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstring>

using namespace mlir;
using namespace mlir::quantsim;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

void mlir::quantsim::appendResults(func::FuncOp func, ArrayRef<Value> values) {
  auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  results.append(values.begin(), values.end());
  OpBuilder b(ret);
  func::ReturnOp::create(b, ret.getLoc(), results);
  ret.erase();
  func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
}

llvm::Expected<ItemFeed> ItemFeed::create(ArrayRef<const NpyArray *> inputs,
                                          ArrayRef<TensorSpec> specs,
                                          StringRef what, int64_t maxItems) {
  if (inputs.size() != specs.size())
    return error(llvm::formatv("the entry takes {0} inputs, {1} given",
                               specs.size(), inputs.size()));
  ItemFeed feed;
  int64_t items = -1, batch = 1;
  for (auto [i, pair] : llvm::enumerate(llvm::zip(inputs, specs))) {
    auto [input, spec] = pair;
    ArrayRef<int64_t> got = input->shape, want = spec.shape;
    if (input->dtype != spec.dtype || got.size() != want.size() ||
        want.empty() || got.drop_front() != want.drop_front() ||
        want[0] <= 0 || got[0] % want[0] != 0)
      return error(llvm::formatv(
          "{0} input {1} is {2}; the entry expects {3} (any multiple of its "
          "leading dimension is a batch of items)",
          what, i, describe(input->dtype, got),
          describe(spec.dtype, want)));
    if (items != -1 && got[0] != items)
      return error(llvm::formatv("{0} inputs disagree on the number of items "
                                 "({1} and {2})",
                                 what, items, got[0]));
    items = got[0];
    batch = want[0];
  }
  if (specs.empty())
    items = batch = 1;
  if (items <= 0)
    return error("the " + what + " data holds no items");
  if (maxItems > 0 && maxItems < items)
    items = std::max(batch, maxItems / batch * batch);
  feed.inputs.assign(inputs.begin(), inputs.end());
  for (const TensorSpec &spec : specs)
    feed.local.emplace_back(spec.dtype, spec.shape);
  feed.itemCount = items;
  feed.batchSize = batch;
  return feed;
}

ArrayRef<const NpyArray *> ItemFeed::chunk(int64_t step) {
  // Pointers are taken here: the feed may have moved since create().
  localPtrs.clear();
  for (auto [input, l] : llvm::zip(inputs, local)) {
    size_t bytes = l.data.size();
    std::memcpy(l.data.data(), input->data.data() + step * bytes, bytes);
    localPtrs.push_back(&l);
  }
  return localPtrs;
}
