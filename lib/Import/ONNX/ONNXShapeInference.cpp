//===- ONNXShapeInference.cpp - ONNX's shape inference, exceptions caught -===//
//
// Part of quant-opt. The ONNX library reports inference errors by throwing,
// so this translation unit alone is built with exceptions, and turns them
// into messages.
//
//===----------------------------------------------------------------------===//

#include "ONNXShapeInference.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <exception>

std::string mlir::quantsim::inferONNXShapes(onnx::ModelProto &model,
                                            int64_t batchSize) {
  // Symbolic (batch) dimensions of the inputs take the chosen size, so that
  // every inferred shape is static.
  for (auto &input : *model.mutable_graph()->mutable_input()) {
    if (!input.type().has_tensor_type())
      continue;
    auto *shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (auto &dim : *shape->mutable_dim())
      if (!dim.has_dim_value())
        dim.set_dim_value(batchSize);
  }
  try {
    onnx::ShapeInferenceOptions options;
    options.check_type = true;
    options.error_mode = 1; // throw on errors instead of skipping nodes
    options.enable_data_propagation = true;
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
  return "";
}
