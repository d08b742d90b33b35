//===- Idx.h - IDX datasets (MNIST, Fashion-MNIST) --------------*- C++ -*-===//
//
// Part of quant-opt. Reads the IDX format of the MNIST family of datasets,
// gzipped or not, e.g. Debian's /usr/share/datasets/fashion-mnist.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_RUNTIME_IDX_H
#define QUANTOPT_RUNTIME_IDX_H

#include "quant-opt/Runtime/Npy.h"

namespace mlir {
namespace quantsim {

/// Reads an IDX file of unsigned bytes (images [N, rows, cols] or labels
/// [N]) into a u8 array. Errors name the file and the problem.
llvm::Expected<NpyArray> readIdx(llvm::StringRef path);

/// Images [offset, offset + count) of an IDX file of u8 images as f32
/// values times `scale`, shaped [count, itemShape...] (count < 0: all after
/// offset). Errors name the file: a range outside it, or images that do not
/// have the element count of `itemShape`.
llvm::Expected<NpyArray> readIdxImages(llvm::StringRef path, double scale,
                                       int64_t offset, int64_t count,
                                       llvm::ArrayRef<int64_t> itemShape);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_RUNTIME_IDX_H
