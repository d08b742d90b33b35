//===- ONNXShapeInference.cpp - ONNX's shape inference, exceptions caught -===//
//
// Part of quant-opt. The ONNX library reports inference errors by throwing,
// so this translation unit alone is built with exceptions, and turns them
// into messages.
//
//===----------------------------------------------------------------------===//

#include "ONNXShapeInference.h"

#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"
#include "llvm/ADT/ScopeExit.h"

#include <algorithm>
#include <exception>
#include <map>
#include <set>

bool mlir::quantsim::exceedsElementLimit(const onnx::TensorShapeProto &shape) {
  uint64_t elements = 1;
  for (const auto &dim : shape.dim()) {
    if (!dim.has_dim_value())
      continue;
    uint64_t d = dim.dim_value() < 0 ? 0 : uint64_t(dim.dim_value());
    // Saturate just above the limit instead of multiplying past it.
    elements = d != 0 && elements > kMaxImportedElements / d
                   ? kMaxImportedElements + 1
                   : elements * d;
  }
  return elements > kMaxImportedElements;
}

std::string mlir::quantsim::checkTensorPayload(const onnx::TensorProto &t) {
  using T = onnx::TensorProto;
  if (t.data_location() == T::EXTERNAL)
    return "external data is not supported";
  uint64_t elements = 1;
  for (int64_t d : t.dims()) {
    if (d < 0)
      return "negative dimension";
    if (d != 0 && elements > (uint64_t(1) << 40) / uint64_t(d))
      return "too many elements";
    elements *= uint64_t(d);
  }
  size_t size = 0;   // bytes per element in raw_data
  int64_t typed = 0; // elements in the typed field that holds this type
  switch (t.data_type()) {
  case T::FLOAT:
    size = 4, typed = t.float_data_size();
    break;
  case T::DOUBLE:
    size = 8, typed = t.double_data_size();
    break;
  case T::INT64:
    size = 8, typed = t.int64_data_size();
    break;
  case T::UINT32:
  case T::UINT64:
    size = t.data_type() == T::UINT32 ? 4 : 8, typed = t.uint64_data_size();
    break;
  case T::INT32:
    size = 4, typed = t.int32_data_size();
    break;
  case T::INT8:
  case T::UINT8:
  case T::BOOL:
    size = 1, typed = t.int32_data_size();
    break;
  case T::INT16:
  case T::UINT16:
  case T::FLOAT16:
  case T::BFLOAT16:
    size = 2, typed = t.int32_data_size();
    break;
  default:
    return ""; // strings, complex numbers: not read by the importer
  }
  if (t.has_raw_data()) {
    if (t.raw_data().size() != elements * size)
      return "holds " + std::to_string(t.raw_data().size()) +
             " bytes, its shape needs " + std::to_string(elements * size);
  } else if (uint64_t(typed) != elements) {
    return "holds " + std::to_string(typed) + " values, its shape needs " +
           std::to_string(elements);
  }
  return "";
}

/// The largest pad, stride, dilation or kernel size of a window op.
static constexpr int64_t kMaxWindowValue = int64_t(1) << 24;

/// "node 'NAME' (OP)", for messages.
static std::string describe(const onnx::NodeProto &node) {
  return "node '" + node.name() + "' (" +
         (node.domain().empty() ? "" : node.domain() + ".") + node.op_type() +
         ")";
}

std::string mlir::quantsim::checkBeforeShapeInference(
    onnx::ModelProto &model) {
  const onnx::GraphProto &graph = model.graph();
  // Operators of other domains (ONNX Runtime's com.microsoft contrib ops, a
  // user's own) have no definition here.
  for (const onnx::NodeProto &node : graph.node())
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return describe(node) + ": operators of domain '" + node.domain() +
             "' are not supported (only the default ONNX domain)";
  // Each output is one value, named once.
  std::set<std::string> outputs;
  for (const onnx::ValueInfoProto &output : graph.output())
    if (!outputs.insert(output.name()).second)
      return "the graph lists output '" + output.name() + "' twice";
  // Every output is computed, an input or an initializer (ONNX's version
  // converter dereferences a missing one).
  std::set<std::string> defined;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::TensorProto &t : graph.initializer())
    defined.insert(t.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &name : node.output())
      defined.insert(name);
  for (const onnx::ValueInfoProto &output : graph.output())
    if (!defined.count(output.name()))
      return "output '" + output.name() + "' is not computed by the graph";
  // Graph inputs: no zero-size or negative dimensions (a symbolic one is
  // the batch).
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (!input.type().has_tensor_type() ||
        !input.type().tensor_type().has_shape())
      continue;
    const onnx::TensorShapeProto &shape = input.type().tensor_type().shape();
    for (const auto &dim : shape.dim())
      if (dim.has_dim_value() && dim.dim_value() < 1)
        return "input '" + input.name() + "' has dimension " +
               std::to_string(dim.dim_value()) +
               "; zero-size tensors are not supported";
    if (exceedsElementLimit(shape))
      return "input '" + input.name() + "' has more than 2^32 elements";
  }
  // Initializer payloads the size their shape says: ONNX's shape inference
  // reads constant inputs (Reshape's shape, Unsqueeze's axes) by their
  // dimensions, past the end of a short payload.
  for (const onnx::TensorProto &t : graph.initializer())
    if (std::string bad = checkTensorPayload(t); !bad.empty())
      return "initializer '" + t.name() + "': " + bad;
  // The ONNX checker: operand and result counts and attribute types
  // against each operator's schema, names defined before use and once,
  // initializers well-formed.
  // It also wants a shape on every graph input and output, which exporters
  // may leave out (ONNX Runtime does not require it; shape inference fills
  // it in): those get an empty one for the check only.
  std::vector<onnx::TypeProto_Tensor *> shapeless;
  auto *mutableGraph = model.mutable_graph();
  for (auto *list : {mutableGraph->mutable_input(), mutableGraph->mutable_output()})
    for (onnx::ValueInfoProto &info : *list)
      if (info.type().has_tensor_type() && !info.type().tensor_type().has_shape()) {
        shapeless.push_back(info.mutable_type()->mutable_tensor_type());
        shapeless.back()->mutable_shape();
      }
  llvm::scope_exit restore([&] {
    for (onnx::TypeProto_Tensor *t : shapeless)
      t->clear_shape();
  });
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    std::string message = e.what();
    static constexpr char context[] = "\n\n==> Context: ";
    bool withContext = false;
    for (size_t at; (at = message.find(context)) != std::string::npos;) {
      message.replace(at, sizeof(context) - 1, " (");
      withContext = true;
    }
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    std::replace(message.begin(), message.end(), '\n', ' ');
    return "the ONNX checker rejects it: " + message + (withContext ? ")" : "");
  } catch (...) {
    return "the ONNX checker rejects it";
  }
  // ONNX's window shape inference divides by strides and dilations without
  // checking them.
  static const char *const windowOps[] = {
      "Conv",   "ConvInteger", "ConvTranspose", "QLinearConv",
      "MaxPool", "AveragePool", "LpPool",       "MaxUnpool"};
  for (const onnx::NodeProto &node : graph.node()) {
    bool window = false;
    for (const char *op : windowOps)
      window |= node.op_type() == op;
    if (!window)
      continue;
    for (const onnx::AttributeProto &attr : node.attribute()) {
      // Window arithmetic adds these up: keep them far from overflowing.
      if (attr.name() == "pads" || attr.name() == "strides" ||
          attr.name() == "dilations" || attr.name() == "kernel_shape")
        for (int64_t v : attr.ints())
          if (v > kMaxWindowValue || v < -kMaxWindowValue)
            return describe(node) + ": " + attr.name() + " value " +
                   std::to_string(v) + " is out of range";
      if (attr.name() != "strides" && attr.name() != "dilations" &&
          attr.name() != "kernel_shape")
        continue;
      for (int64_t v : attr.ints())
        if (v < 1)
          return describe(node) + ": " + attr.name() +
                 " must be at least 1, got " +
                 std::to_string(v);
    }
  }
  return "";
}

/// Conv-family nodes without kernel_shape get it from their weights (an
/// initializer or Constant, or one behind Identity, QuantizeLinear and
/// DequantizeLinear, as QDQ exports hold them): ONNX's inference
/// then checks the input's rank against it, where it would otherwise index
/// past the end of the kernel for an input of another rank. Weights that
/// are computed (which the importer refuses anyway) are refused here, before
/// ONNX's inference meets them. Returns the problem, or "".
static std::string makeKernelShapesExplicit(onnx::ModelProto &model) {
  std::map<std::string, const onnx::TensorProto *> initializers;
  for (const onnx::TensorProto &t : model.graph().initializer())
    initializers[t.name()] = &t;
  std::map<std::string, const onnx::NodeProto *> producers;
  for (const onnx::NodeProto &node : model.graph().node())
    for (const std::string &out : node.output())
      producers[out] = &node;
  auto weightTensor = [&](std::string name) -> const onnx::TensorProto * {
    for (int hops = 0; hops < 4; ++hops) {
      if (auto it = initializers.find(name); it != initializers.end())
        return it->second;
      auto it = producers.find(name);
      if (it == producers.end())
        return nullptr;
      const onnx::NodeProto &producer = *it->second;
      if (producer.op_type() == "Constant") {
        for (const onnx::AttributeProto &a : producer.attribute())
          if (a.name() == "value" && a.has_t())
            return &a.t();
        return nullptr;
      }
      if (producer.input_size() == 0 ||
          (producer.op_type() != "Identity" &&
           producer.op_type() != "QuantizeLinear" &&
           producer.op_type() != "DequantizeLinear"))
        return nullptr;
      name = producer.input(0);
    }
    return nullptr;
  };
  for (onnx::NodeProto &node : *model.mutable_graph()->mutable_node()) {
    int weight = node.op_type() == "QLinearConv" ? 3
                 : node.op_type() == "Conv" || node.op_type() == "ConvInteger" ||
                         node.op_type() == "ConvTranspose"
                     ? 1
                     : -1;
    if (weight < 0 || node.input_size() <= weight)
      continue;
    const onnx::TensorProto *w = weightTensor(node.input(weight));
    if (!w)
      return describe(node) + ": the weights must be a constant (an "
                              "initializer or Constant, possibly behind "
                              "QuantizeLinear/DequantizeLinear)";
    bool has = false;
    for (const onnx::AttributeProto &a : node.attribute())
      has |= a.name() == "kernel_shape";
    if (has || w->dims_size() < 3)
      continue;
    onnx::AttributeProto *kernel = node.add_attribute();
    kernel->set_name("kernel_shape");
    kernel->set_type(onnx::AttributeProto::INTS);
    for (int d = 2; d < w->dims_size(); ++d)
      kernel->add_ints(w->dims(d));
  }
  return "";
}

std::string mlir::quantsim::inferONNXShapes(onnx::ModelProto &model,
                                            int64_t batchSize) {
  if (std::string bad = makeKernelShapesExplicit(model); !bad.empty())
    return bad;
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
    // No data propagation: ONNX 1.12's propagators crash on inconsistent
    // shape arithmetic (Add of a rank-0 input's empty Shape and a
    // one-element constant; found by fuzz-onnx-import), and the importer
    // folds shape subgraphs itself (FoldIntegers.cpp).
    options.enable_data_propagation = false;
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
