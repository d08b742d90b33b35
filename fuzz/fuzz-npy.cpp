//===- fuzz-npy.cpp - libFuzzer target: .npy parsing ----------------------===//
//
// Part of quant-opt. Any bytes: parseNpy returns an array whose data size
// matches its shape, or an error; never a crash or an overlong read.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/Npy.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto array = mlir::quantsim::parseNpy(bytes, "fuzz.npy");
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  uint64_t expected = static_cast<uint64_t>(array->numElements()) *
                      mlir::quantsim::dtypeSize(array->dtype);
  if (array->data.size() != expected || array->data.size() > size)
    abort();
  for (int64_t i = 0, n = std::min<int64_t>(array->numElements(), 64); i < n;
       ++i)
    (void)array->at(i);
  return 0;
}
