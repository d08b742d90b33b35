//===- ONNXShapeInference.h - ONNX's shape inference ------------*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Import/ONNX.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_IMPORT_ONNX_ONNXSHAPEINFERENCE_H
#define QUANTOPT_LIB_IMPORT_ONNX_ONNXSHAPEINFERENCE_H

#include "onnx/onnx_pb.h"

#include <string>

namespace mlir {
namespace quantsim {

/// What ONNX's shape inference would crash on instead of reporting (a zero
/// stride, say) and what the importer cannot take (operators of other
/// domains, an output listed twice, zero-size inputs), then the ONNX
/// checker (operand counts, attribute types, names defined before use); the
/// model is left as it was. Returns the first problem, or "".
std::string checkBeforeShapeInference(onnx::ModelProto &model);

/// The most elements of any tensor of an imported model: 2^32.
constexpr uint64_t kMaxImportedElements = uint64_t(1) << 32;

/// Whether the known dimensions of `shape` multiply to more than
/// kMaxImportedElements (counted without overflowing: 2^32 x 2^32 does not
/// wrap to 0).
bool exceedsElementLimit(const onnx::TensorShapeProto &shape);

/// Whether a tensor's payload (raw bytes or its typed field) holds exactly
/// what its dimensions and type say, with at most 2^40 elements and no
/// external data; the problem, or "".
std::string checkTensorPayload(const onnx::TensorProto &t);

/// The newest default-domain opset this ONNX library knows.
int64_t newestKnownOpset();

/// Converts `model` from opset `from` to `target` with ONNX's version
/// converter (after shape inference with the batch set to `batchSize`,
/// which some adapters need); returns its error, or "".
std::string convertONNXOpset(onnx::ModelProto &model, int64_t from,
                             int64_t target, int64_t batchSize);

/// Runs ONNX's shape inference with the inputs' symbolic dimensions set to
/// `batchSize`; returns its error, or "".
std::string inferONNXShapes(onnx::ModelProto &model, int64_t batchSize);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_IMPORT_ONNX_ONNXSHAPEINFERENCE_H
