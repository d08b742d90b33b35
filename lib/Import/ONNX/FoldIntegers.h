//===- FoldIntegers.h - shape arithmetic evaluated at import ----*- C++ -*-===//
//
// Part of quant-opt. Exporters compute shapes with small integer subgraphs
// (Shape -> Gather -> Div -> Concat -> Reshape, PyTorch's channel shuffle
// and F.pad). With static shapes these fold to constants during import.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_IMPORT_ONNX_FOLDINTEGERS_H
#define QUANTOPT_LIB_IMPORT_ONNX_FOLDINTEGERS_H

#include "onnx/onnx_pb.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

namespace mlir {
namespace quantsim {

/// An integer tensor, row-major.
struct IntTensor {
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<int64_t> data;
};

/// Whether `node` is integer arithmetic the importer folds when every input
/// is an integer constant: Gather, Unsqueeze, Squeeze, Concat, Slice, Cast
/// (to an integer type), Add, Sub, Mul, Div, Reshape, Range, Transpose.
bool isFoldableIntegerOp(const onnx::NodeProto &node);

/// Evaluates such a node. `inputs` holds one entry per node input (null for
/// an empty name). Errors describe what is invalid (the caller names the
/// node).
llvm::Expected<IntTensor> foldIntegerOp(const onnx::NodeProto &node,
                                        llvm::ArrayRef<const IntTensor *> inputs);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_IMPORT_ONNX_FOLDINTEGERS_H
