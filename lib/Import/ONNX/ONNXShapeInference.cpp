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
#include "onnx/version_converter/convert.h"

#include <exception>

std::string mlir::quantsim::checkBeforeShapeInference(
    const onnx::ModelProto &model) {
  // ONNX's window shape inference divides by strides and dilations without
  // checking them.
  static const char *const windowOps[] = {
      "Conv",   "ConvInteger", "ConvTranspose", "QLinearConv",
      "MaxPool", "AveragePool", "LpPool",       "MaxUnpool"};
  for (const onnx::NodeProto &node : model.graph().node()) {
    bool window = false;
    for (const char *op : windowOps)
      window |= node.op_type() == op;
    if (!window)
      continue;
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.name() != "strides" && attr.name() != "dilations" &&
          attr.name() != "kernel_shape")
        continue;
      for (int64_t v : attr.ints())
        if (v < 1)
          return "node '" + node.name() + "' (" + node.op_type() + "): " +
                 attr.name() + " must be at least 1, got " +
                 std::to_string(v);
    }
  }
  return "";
}

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

int64_t mlir::quantsim::newestKnownOpset() {
  const auto &map =
      onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = map.find(onnx::ONNX_DOMAIN);
  return it == map.end() ? 0 : it->second.second;
}

std::string mlir::quantsim::convertONNXOpset(onnx::ModelProto &model,
                                             int64_t from, int64_t target,
                                             int64_t batchSize) {
  // Some adapters need shapes (Softmax 12 -> 13) or attributes that
  // exporters leave at their default (Pad's value before opset 11).
  if (std::string err = inferONNXShapes(model, batchSize); !err.empty())
    return "shape inference before the conversion failed: " + err;
  if (from < 11) {
    for (onnx::NodeProto &node : *model.mutable_graph()->mutable_node()) {
      if (node.op_type() != "Pad")
        continue;
      bool hasValue = false;
      for (const onnx::AttributeProto &a : node.attribute())
        hasValue |= a.name() == "value";
      if (hasValue)
        continue;
      onnx::AttributeProto *value = node.add_attribute();
      value->set_name("value");
      value->set_type(onnx::AttributeProto::FLOAT);
      value->set_f(0.0f);
    }
  }
  try {
    model = onnx::version_conversion::ConvertVersion(
        model, static_cast<int>(target));
  } catch (const std::exception &e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
  return "";
}
