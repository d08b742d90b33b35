//===- fuzz-onnx-import.cpp - libFuzzer target: the ONNX importer ---------===//
//
// Part of quant-opt. Any bytes as an ONNX model: the importer returns a
// module that verifies, or an error; never a crash, a hang or a module that
// does not verify. A structure-aware mutator edits parsed models (operator
// types, operands, attributes, dimensions, tensor payloads) so that most
// inputs still parse, and falls back to byte mutations otherwise.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Import/ONNX.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include "onnx/onnx_pb.h"

#include <cstdlib>
#include <cstring>
#include <random>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry;
    r->insert<arith::ArithDialect, func::FuncDialect, quant::QuantDialect,
              quantsim::QuantSimDialect, tosa::TosaDialect>();
    return r;
  }();
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  // Remarks (an opset conversion) and errors are expected; stay quiet.
  context.getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = quantsim::importONNXBuffer(bytes, "fuzz.onnx", context,
                                           quantsim::ONNXImportOptions());
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  if (failed(verify(**module)))
    abort(); // the importer verifies what it returns
  return 0;
}

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
                                   size_t maxSize);

namespace {

/// One random edit of a parsed model.
void mutateModel(onnx::ModelProto &model, std::mt19937 &rng) {
  auto pick = [&](int n) {
    return static_cast<int>(rng() % static_cast<unsigned>(std::max(n, 1)));
  };
  static const char *const ops[] = {
      "Conv", "Gemm", "MatMul", "Add", "Mul", "Relu", "Clip", "MaxPool",
      "AveragePool", "Concat", "Reshape", "Flatten", "Softmax",
      "BatchNormalization", "QuantizeLinear", "DequantizeLinear", "Pad",
      "Slice", "Transpose", "Resize", "Gather", "QLinearConv", "Sigmoid"};
  static const int64_t values[] = {-1, 0, 1, 2, 3, 7, -(int64_t(1) << 31),
                                   int64_t(1) << 32, INT64_MAX, INT64_MIN};
  onnx::GraphProto *graph = model.mutable_graph();
  switch (pick(8)) {
  case 0: // another operator
    if (graph->node_size())
      graph->mutable_node(pick(graph->node_size()))
          ->set_op_type(ops[pick(sizeof(ops) / sizeof(*ops))]);
    break;
  case 1: // an operand renamed, dropped or repeated
    if (graph->node_size()) {
      onnx::NodeProto *node = graph->mutable_node(pick(graph->node_size()));
      if (node->input_size() && pick(2))
        node->mutable_input()->RemoveLast();
      else if (node->input_size())
        node->add_input(node->input(pick(node->input_size())));
    }
    break;
  case 2: // an integer attribute
    if (graph->node_size()) {
      onnx::NodeProto *node = graph->mutable_node(pick(graph->node_size()));
      if (node->attribute_size()) {
        onnx::AttributeProto *a =
            node->mutable_attribute(pick(node->attribute_size()));
        int64_t v = values[pick(sizeof(values) / sizeof(*values))];
        if (a->ints_size())
          a->set_ints(pick(a->ints_size()), v);
        else
          a->set_i(v);
      }
    }
    break;
  case 3: // an initializer's dimension
    if (graph->initializer_size()) {
      onnx::TensorProto *t =
          graph->mutable_initializer(pick(graph->initializer_size()));
      if (t->dims_size())
        t->set_dims(pick(t->dims_size()),
                    values[pick(sizeof(values) / sizeof(*values))]);
    }
    break;
  case 4: // an initializer's payload truncated or its type changed
    if (graph->initializer_size()) {
      onnx::TensorProto *t =
          graph->mutable_initializer(pick(graph->initializer_size()));
      if (pick(2) && t->has_raw_data())
        t->mutable_raw_data()->resize(t->raw_data().size() / 2);
      else
        t->set_data_type(1 + pick(16));
    }
    break;
  case 5: // an input's dimension
    if (graph->input_size()) {
      auto *shape = graph->mutable_input(pick(graph->input_size()))
                        ->mutable_type()
                        ->mutable_tensor_type()
                        ->mutable_shape();
      if (shape->dim_size())
        shape->mutable_dim(pick(shape->dim_size()))
            ->set_dim_value(values[pick(sizeof(values) / sizeof(*values))]);
    }
    break;
  case 6: // the opset
    if (model.opset_import_size())
      model.mutable_opset_import(0)->set_version(7 + pick(14));
    break;
  default: // two nodes swapped (order matters to the checker)
    if (graph->node_size() > 1)
      graph->mutable_node()->SwapElements(pick(graph->node_size()),
                                          pick(graph->node_size()));
    break;
  }
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  std::mt19937 rng(seed);
  onnx::ModelProto model;
  if (rng() % 4 == 0 || size > static_cast<size_t>(INT32_MAX) ||
      !model.ParseFromArray(data, static_cast<int>(size)))
    return LLVMFuzzerMutate(data, size, maxSize);
  mutateModel(model, rng);
  std::string bytes;
  if (!model.SerializeToString(&bytes) || bytes.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}
