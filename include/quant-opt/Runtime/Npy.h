//===- Npy.h - NumPy .npy arrays --------------------------------*- C++ -*-===//
//
// Part of quant-opt. Reads and writes the NumPy .npy format (versions 1-3,
// little-endian, C order) for the element types quant-opt's models use.
// Malformed files produce an error naming the file and the problem.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_RUNTIME_NPY_H
#define QUANTOPT_RUNTIME_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace quantsim {

enum class DType { F32, F64, I8, U8, I32, I64 };

/// The NumPy descr of `dtype` ("<f4", "|i1", ...) and a readable name.
llvm::StringRef npyDescr(DType dtype);
llvm::StringRef dtypeName(DType dtype);
size_t dtypeSize(DType dtype);

/// A dense C-order array.
struct NpyArray {
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t> shape;
  std::vector<char> data; ///< numElements() * dtypeSize(dtype) bytes

  NpyArray() = default;
  NpyArray(DType dtype, llvm::ArrayRef<int64_t> shape);

  int64_t numElements() const;
  template <typename T> T *as() { return reinterpret_cast<T *>(data.data()); }
  template <typename T> const T *as() const {
    return reinterpret_cast<const T *>(data.data());
  }
  /// Element `i` converted to double (any dtype).
  double at(int64_t i) const;
};

/// "2x3xf32"-style description, for messages.
std::string describe(DType dtype, llvm::ArrayRef<int64_t> shape);

/// The largest array the tools read, allocate or generate: 4 GiB.
constexpr uint64_t kMaxArrayBytes = uint64_t(1) << 32;

/// The byte size of an array of `shape`, or an error naming `what` when a
/// dimension is negative, the size overflows or it exceeds kMaxArrayBytes.
llvm::Expected<uint64_t> checkedByteSize(DType dtype,
                                         llvm::ArrayRef<int64_t> shape,
                                         const llvm::Twine &what);

llvm::Expected<NpyArray> readNpy(llvm::StringRef path);
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_RUNTIME_NPY_H
