//===- ONNXImporter.cpp - ONNX to TOSA + quantsim -------------------------===//
//
// Part of quant-opt. Walks the (topologically sorted) ONNX graph once and
// emits TOSA, one node at a time through the handler its op type has in
// the OpTable (the handlers live in Import*.cpp, by op family). Layout: 4-D
// activations are kept NHWC, converted at the graph input and wherever NCHW
// order matters (Flatten, the outputs); per-channel constants of elementwise
// ops are permuted to match. Constant weights are transposed at import
// time, under their fake_quant when they are quantized, so the QAT lowering
// sees fake_quant(constant) in the layout TOSA wants.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <google/protobuf/io/zero_copy_stream_impl.h>

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::onnx_import;

void OpTable::on(StringRef opType, int sinceVersion, OpHandler handler) {
  auto &versions = handlers[opType];
  versions.emplace_back(sinceVersion, std::move(handler));
  llvm::sort(versions, [](const auto &a, const auto &b) { return a.first < b.first; });
}

const OpHandler *OpTable::lookup(StringRef opType, int64_t opset) const {
  auto it = handlers.find(opType);
  if (it == handlers.end())
    return nullptr;
  const OpHandler *found = nullptr;
  for (const auto &[since, handler] : it->second)
    if (since <= opset)
      found = &handler;
  return found;
}

std::vector<std::pair<std::string, int>> OpTable::entries() const {
  std::vector<std::pair<std::string, int>> out;
  for (const auto &entry : handlers)
    for (const auto &version : entry.getValue())
      out.emplace_back(entry.getKey().str(), version.first);
  llvm::sort(out);
  return out;
}

const OpTable &Importer::table() {
  static const OpTable table = [] {
    OpTable t;
    registerElementwiseOps(t);
    registerNNOps(t);
    registerQuantizedOps(t);
    registerShapeOps(t);
    return t;
  }();
  return table;
}

namespace mlir::quantsim::onnx_import {

llvm::Error Importer::nodeError(const onnx::NodeProto &node,
                                const llvm::Twine &msg) {
  return error("'" + path + "': node '" + node.name() + "' (" +
               node.op_type() + "): " + msg);
}

/// Elements of a dense constant as doubles.
SmallVector<double> doubles(DenseElementsAttr attr) {
  SmallVector<double> out;
  if (isa<FloatType>(attr.getElementType())) {
    for (APFloat v : attr.getValues<APFloat>())
      out.push_back(v.convertToDouble());
  } else {
    // Two branches: in one conditional expression getZExtValue's uint64_t
    // would promote getSExtValue's negative values to huge unsigned ones.
    bool isUnsigned = attr.getElementType().isUnsignedInteger();
    for (APInt v : attr.getValues<APInt>()) {
      if (isUnsigned)
        out.push_back(static_cast<double>(v.getZExtValue()));
      else
        out.push_back(static_cast<double>(v.getSExtValue()));
    }
  }
  return out;
}


Value Importer::transpose(Value v, ArrayRef<int32_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int32_t p : perm)
    shape.push_back(type.getDimSize(p));
  return tosa::TransposeOp::create(builder, loc, type.clone(shape), v,
                                   builder.getDenseI32ArrayAttr(perm));
}

Value Importer::reshape(Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  auto shapeType = tosa::shapeType::get(&context, shape.size());
  Value shapeValue = tosa::ConstShapeOp::create(
      builder, loc, shapeType,
      DenseIntElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(shape.size())},
                                builder.getIndexType()),
          shape));
  return tosa::ReshapeOp::create(builder, loc, type.clone(shape), v,
                                 shapeValue);
}

Value Importer::shapeConst(ArrayRef<int64_t> values) {
  return tosa::ConstShapeOp::create(
      builder, loc, tosa::shapeType::get(&context, values.size()),
      DenseIntElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(values.size())},
                                builder.getIndexType()),
          values));
}

Value Importer::padNHWC(Value v, ArrayRef<int64_t> pad, float value) {
  auto type = cast<RankedTensorType>(v.getType());
  Value padValue = f32Const(DenseElementsAttr::get(
      RankedTensorType::get({1}, builder.getF32Type()), value));
  return tosa::PadOp::create(
      builder, loc,
      type.clone({type.getDimSize(0), type.getDimSize(1) + pad[0] + pad[1],
                  type.getDimSize(2) + pad[2] + pad[3], type.getDimSize(3)}),
      v, shapeConst({0, 0, pad[0], pad[1], pad[2], pad[3], 0, 0}), padValue);
}

Value Importer::f32Const(DenseElementsAttr attr) {
  return tosa::ConstOp::create(builder, loc, attr.getType(), attr);
}

llvm::Expected<DenseElementsAttr>
Importer::tensorAttr(const onnx::TensorProto &t) {
  // Initializers were checked before shape inference; Constant nodes'
  // tensors are checked here.
  if (std::string bad = checkTensorPayload(t); !bad.empty())
    return error("'" + path + "': tensor '" + t.name() + "': " + bad);
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  auto read = [&](auto tag, Type element) -> llvm::Expected<DenseElementsAttr> {
    using T = decltype(tag);
    auto type = RankedTensorType::get(shape, element);
    // Raw data is little-endian and packed, as the attribute stores it: no
    // intermediate copy (the weights of a large model are most of its
    // import's memory).
    if (t.has_raw_data())
      return DenseElementsAttr::getFromRawBuffer(
          type, ArrayRef<char>(t.raw_data().data(), n * sizeof(T)));
    SmallVector<T> data;
    {
      if constexpr (std::is_same_v<T, float>)
        data.assign(t.float_data().begin(), t.float_data().end());
      else if constexpr (std::is_same_v<T, int64_t>)
        data.assign(t.int64_data().begin(), t.int64_data().end());
      else
        for (int32_t v : t.int32_data())
          data.push_back(static_cast<T>(v));
    }
    return DenseElementsAttr::get(type, ArrayRef<T>(data));
  };
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    return read(float(), builder.getF32Type());
  case onnx::TensorProto::UINT8:
    return read(uint8_t(), builder.getIntegerType(8, /*isSigned=*/false));
  case onnx::TensorProto::INT8:
    return read(int8_t(), builder.getIntegerType(8));
  case onnx::TensorProto::INT32:
    return read(int32_t(), builder.getI32Type());
  case onnx::TensorProto::INT64:
    return read(int64_t(), builder.getI64Type());
  default:
    return error("'" + path + "': tensor '" + t.name() +
                 "' has unsupported data type " +
                 llvm::Twine(t.data_type()));
  }
}

llvm::Expected<DenseElementsAttr> Importer::constantOf(StringRef name) {
  auto it = initializers.find(name);
  if (it == initializers.end())
    return error("'" + name + "' is not a constant");
  return tensorAttr(*it->second);
}

llvm::Expected<double> Importer::scalarConstant(const onnx::NodeProto &node,
                                               int index, StringRef what) {
  auto c = constantOf(node.input(index));
  if (!c)
    return nodeError(node, what + " must be a constant");
  if (c->getNumElements() != 1)
    return nodeError(node, what + " must be one value, got " +
                               llvm::Twine(c->getNumElements()));
  double v = doubles(*c)[0];
  if (std::isnan(v))
    return nodeError(node, what + " is NaN");
  return v;
}

llvm::Expected<SmallVector<int64_t>>
Importer::intConstant(StringRef name, const onnx::NodeProto &node) {
  auto c = constantOf(name);
  if (!c) {
    llvm::consumeError(c.takeError());
    return nodeError(node, "'" + name + "' must be an integer constant");
  }
  if (!isa<IntegerType>(c->getElementType()))
    return nodeError(node, "'" + name + "' must be an integer constant");
  // As integers: through a double, INT64_MAX (Slice's "to the end") rounds
  // to 2^63, which no int64 holds.
  bool isUnsigned = c->getElementType().isUnsignedInteger();
  SmallVector<int64_t> out;
  for (const APInt &v : c->getValues<APInt>())
    out.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                             : v.getSExtValue());
  return out;
}

llvm::Expected<Entry> Importer::nhwcInput(const onnx::NodeProto &node,
                                          int i) {
  auto e = get(node.input(i), node);
  if (!e)
    return e.takeError();
  Entry x = asNHWC(*e);
  if (!x.nhwc)
    return nodeError(node, "needs a 4-D NCHW input");
  return x;
}

std::optional<IntTensor> Importer::intTensor(StringRef name) {
  if (name.empty() || !initializers.count(name) || values.count(name))
    return std::nullopt;
  auto c = constantOf(name);
  if (!c) {
    llvm::consumeError(c.takeError());
    return std::nullopt;
  }
  if (!isa<IntegerType>(c->getElementType()))
    return std::nullopt;
  IntTensor t;
  llvm::append_range(t.shape, c->getType().getShape());
  bool isUnsigned = c->getElementType().isUnsignedInteger();
  for (APInt v : c->getValues<APInt>())
    t.data.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                : v.getSExtValue());
  return t;
}

void Importer::defineFloatConstant(StringRef name, ArrayRef<int64_t> shape,
                                   ArrayRef<float> values) {
  auto *tensor = new onnx::TensorProto();
  tensor->set_name(name.str());
  tensor->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape)
    tensor->add_dims(d);
  for (float v : values)
    tensor->add_float_data(v);
  ownedTensors.emplace_back(tensor);
  initializers[name] = tensor;
}

llvm::Error Importer::defineOutput(const onnx::NodeProto &node, Value v,
                                   bool nhwc) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  if (nhwc)
    shape = {shape[0], shape[3], shape[1], shape[2]};
  if (type.getNumElements() == 0)
    return nodeError(node, "'" + node.output(0) +
                               "' has a zero-size dimension; zero-size "
                               "tensors are not supported");
  auto it = inferred.find(node.output(0));
  if (it != inferred.end() && it->second != shape) {
    auto fmt = [](ArrayRef<int64_t> s) {
      std::string out;
      for (int64_t d : s)
        out += (out.empty() ? "" : "x") + std::to_string(d);
      return out;
    };
    return nodeError(node, "inconsistent shape for '" + node.output(0) +
                               "': ONNX infers " + fmt(it->second) +
                               ", the operands give " + fmt(shape));
  }
  values[node.output(0)] = Entry{v, nhwc};
  return llvm::Error::success();
}

void Importer::defineIntConstant(StringRef name, const IntTensor &t) {
  auto *tensor = new onnx::TensorProto();
  tensor->set_name(name.str());
  tensor->set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : t.shape)
    tensor->add_dims(d);
  for (int64_t v : t.data)
    tensor->add_int64_data(v);
  ownedTensors.emplace_back(tensor);
  initializers[name] = tensor;
}

llvm::Expected<Entry> Importer::get(StringRef name,
                                    const onnx::NodeProto &node) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  if (pending.count(name))
    return nodeError(node, "uses the output of QuantizeLinear '" + name +
                               "' directly; only QuantizeLinear -> "
                               "DequantizeLinear pairs are supported");
  if (dynamicQuantized.count(name))
    return nodeError(node, "uses '" + name + "', an integer output of "
                               "DynamicQuantizeLinear; only MatMulInteger "
                               "and ConvInteger read those");
  if (initializers.count(name)) {
    const onnx::TensorProto *t = initializers.lookup(name);
    if (llvm::any_of(borrowed, [&](const Borrowed &b) {
          return b.tensor == t && b.released;
        }))
      return nodeError(node, "constant '" + name + "' was freed after its "
                             "only reader; it is read again");
    if (t->data_type() == onnx::TensorProto::FLOAT && t->has_raw_data() &&
        t->dims_size() > 0 &&
        reinterpret_cast<uintptr_t>(t->raw_data().data()) % alignof(float) ==
            0) {
      // Borrowed: the model's bytes, not a copy (see finishBorrowing).
      if (std::string bad = checkTensorPayload(*t); !bad.empty())
        return error("'" + path + "': tensor '" + t->name() + "': " + bad);
      SmallVector<int64_t> shape(t->dims().begin(), t->dims().end());
      auto type = RankedTensorType::get(shape, builder.getF32Type());
      if (type.getNumElements() == 0)
        return nodeError(node, "constant '" + name + "' is empty");
      auto attr = DenseResourceElementsAttr::get(
          type, "onnx_weight",
          UnmanagedAsmResourceBlob::allocateWithAlign(
              ArrayRef<char>(t->raw_data().data(), t->raw_data().size()),
              alignof(float)));
      borrowed.push_back(
          {const_cast<onnx::TensorProto *>(t), attr.getRawHandle()});
      Entry e{tosa::ConstOp::create(builder, loc, type, attr), false};
      values[name] = e;
      return e;
    }
    auto attr = constantOf(name);
    if (!attr)
      return attr.takeError();
    if (!attr->getElementType().isF32())
      return nodeError(node, "constant '" + name + "' is not f32");
    if (attr->getNumElements() == 0)
      return nodeError(node, "constant '" + name + "' is empty");
    Entry e{f32Const(*attr), false};
    values[name] = e;
    return e;
  }
  return nodeError(node, "input '" + name + "' is not defined");
}

/// An attribute of `node`, or null.
const onnx::AttributeProto *attr(const onnx::NodeProto &node, StringRef n) {
  for (const auto &a : node.attribute())
    if (a.name() == n)
      return &a;
  return nullptr;
}

SmallVector<int64_t> ints(const onnx::NodeProto &node, StringRef n,
                          ArrayRef<int64_t> dflt) {
  const onnx::AttributeProto *a = attr(node, n);
  if (!a)
    return SmallVector<int64_t>(dflt.begin(), dflt.end());
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

/// One spatial dimension of a window: ONNX's output size (floor, or ceil
/// where the last window still starts inside the input or its leading pad,
/// as ONNX Runtime and PyTorch count), and the trailing pad that makes
/// TOSA's exact division hold for it: input + padBefore + padAfter - kernel
/// must be a multiple of the stride. ONNX floors, so rows past the last
/// window are dropped: a negative trailing pad, returned as a crop of the
/// input; ceil_mode adds rows.
struct FittedDim {
  int64_t padAfter, crop, out;
};
static std::optional<FittedDim> fitDim(int64_t in, int64_t kernel,
                                       int64_t stride, int64_t padBefore,
                                       int64_t padAfter, bool ceil) {
  int64_t span = in + padBefore + padAfter - kernel;
  if (span < 0)
    return std::nullopt;
  int64_t out = span / stride + 1;
  if (ceil && span % stride != 0) {
    ++out;
    if ((out - 1) * stride >= in + padBefore)
      --out;
  }
  int64_t after = (out - 1) * stride + kernel - in - padBefore;
  if (after < 0)
    return FittedDim{0, -after, out};
  return FittedDim{after, 0, out};
}

llvm::Expected<Importer::Window>
Importer::fitWindow(const onnx::NodeProto &node, Value x,
                    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                    ArrayRef<int64_t> dilations, bool allowCeil) {
  auto xType = cast<RankedTensorType>(x.getType()); // NHWC
  int64_t in[2] = {xType.getDimSize(1), xType.getDimSize(2)};
  SmallVector<int64_t> pads = ints(node, "pads", {0, 0, 0, 0});
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2 ||
      pads.size() != 4)
    return nodeError(node, "only 2-D windows are supported (kernel, "
                           "strides, dilations, pads)");
  int64_t effective[2];
  for (int d = 0; d < 2; ++d) {
    if (kernel[d] < 1 || strides[d] < 1 || dilations[d] < 1)
      return nodeError(node, llvm::formatv(
                                 "kernel {0}, stride {1} and dilation {2} "
                                 "must be at least 1",
                                 kernel[d], strides[d], dilations[d]));
    if (pads[d] < 0 || pads[d + 2] < 0)
      return nodeError(node, "negative pads are not supported");
    effective[d] = dilations[d] * (kernel[d] - 1) + 1;
  }
  bool ceil = false;
  if (const onnx::AttributeProto *c = attr(node, "ceil_mode"); c && c->i()) {
    if (!allowCeil)
      return nodeError(node, "ceil_mode is not defined for " + node.op_type());
    ceil = true;
  }
  if (const onnx::AttributeProto *a = attr(node, "auto_pad");
      a && a->s() != "NOTSET") {
    StringRef mode = a->s();
    if (mode != "SAME_UPPER" && mode != "SAME_LOWER" && mode != "VALID")
      return nodeError(node, "unknown auto_pad '" + mode + "'");
    for (int d = 0; d < 2; ++d) {
      int64_t total = 0;
      if (mode != "VALID") {
        int64_t out = (in[d] + strides[d] - 1) / strides[d];
        total = std::max<int64_t>(0, (out - 1) * strides[d] + effective[d] -
                                         in[d]);
      }
      int64_t small = total / 2;
      pads[d] = mode == "SAME_LOWER" ? total - small : small;
      pads[d + 2] = total - pads[d];
    }
  }

  Window w;
  w.onnxPad = {pads[0], pads[2], pads[1], pads[3]};
  int64_t crop[2] = {0, 0};
  for (int d = 0; d < 2; ++d) {
    std::optional<FittedDim> fit = fitDim(in[d], effective[d], strides[d],
                                          pads[d], pads[d + 2], ceil);
    if (!fit)
      return nodeError(node, llvm::formatv(
                                 "the window ({0}) is larger than the padded "
                                 "input ({1} + {2} + {3})",
                                 effective[d], in[d], pads[d], pads[d + 2]));
    w.pad.append({pads[d], fit->padAfter});
    w.size.push_back(fit->out);
    crop[d] = fit->crop;
  }
  w.input = x;
  if (crop[0] || crop[1])
    w.input = tosa::SliceOp::create(
        builder, loc,
        xType.clone({xType.getDimSize(0), in[0] - crop[0], in[1] - crop[1],
                     xType.getDimSize(3)}),
        x, shapeConst({0, 0, 0, 0}),
        shapeConst({xType.getDimSize(0), in[0] - crop[0], in[1] - crop[1],
                    xType.getDimSize(3)}));
  return w;
}

std::optional<std::pair<RankedTensorType, ArrayRef<char>>>
Importer::constantBytes(Value v) {
  auto constant = v.getDefiningOp<tosa::ConstOp>();
  if (!constant)
    return std::nullopt;
  auto type = cast<RankedTensorType>(constant.getType());
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValues())) {
    if (dense.isSplat())
      return std::nullopt;
    return std::make_pair(type, dense.getRawData());
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValues()))
    return std::make_pair(type, resource.getData());
  return std::nullopt;
}

llvm::Expected<Value> Importer::rebuildWeight(
    Value weight, RankedTensorType newType, ArrayRef<int64_t> sourceShape,
    ArrayRef<int64_t> perm, function_ref<int32_t(int32_t)> axisMap,
    const onnx::NodeProto &node) {
  auto fq = weight.getDefiningOp<FakeQuantOp>();
  Value source = fq ? fq.getInput() : weight;
  auto constant = source.getDefiningOp<tosa::ConstOp>();
  if (!constant)
    return nodeError(node, fq ? "quantized weights must be constants"
                              : "weights must be constants");
  // A borrowed initializer read by this node alone dies here: its bytes in
  // the model are freed as soon as they are read, before the rebuilt
  // constant is made, so that a large weight is held twice at most.
  auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValues());
  auto it = llvm::find_if(borrowed, [&](const Borrowed &b) {
    return resource && b.handle == resource.getRawHandle();
  });
  bool release = it != borrowed.end() &&
                 initializers.lookup(it->tensor->name()) == it->tensor &&
                 readers.lookup(it->tensor->name()) == 1 &&
                 weight.use_empty() && (!fq || source.hasOneUse());
  auto releaseSource = [&] {
    if (!release)
      return;
    SmallVector<std::string> stale;
    for (auto &entry : values)
      if (entry.second.value == weight || entry.second.value == source)
        stale.push_back(entry.first().str());
    for (const std::string &name : stale)
      values.erase(name);
    if (fq)
      fq.erase();
    constant.erase();
    it->handle.getResource()->setBlob(AsmResourceBlob());
    std::string().swap(*it->tensor->mutable_raw_data());
    it->released = true;
    release = false;
  };

  Type qtype = fq ? fq.getQtype() : Type();
  DenseElementsAttr attr;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValues());
      dense && dense.isSplat()) {
    attr = dense.resizeSplat(newType);
  } else {
    auto bytes = constantBytes(source);
    if (!bytes)
      return nodeError(node, "weights must be constants");
    auto [type, raw] = *bytes;
    RankedTensorType view =
        sourceShape.empty() ? type : type.clone(sourceShape);
    bool identity =
        perm.empty() || llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()));
    if (identity) {
      attr = DenseElementsAttr::getFromRawBuffer(newType, raw);
    } else {
      std::vector<char> permuted = permuteBytes(view, raw, perm);
      releaseSource();
      attr = DenseElementsAttr::getFromRawBuffer(newType, permuted);
    }
  }
  releaseSource();
  Value rebuilt = f32Const(attr);
  if (!qtype)
    return rebuilt;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype))
    qtype = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), perAxis.getScales(),
        perAxis.getZeroPoints(), axisMap(perAxis.getQuantizedDimension()),
        perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
  return Value(FakeQuantOp::create(builder, loc, newType, rebuilt, qtype));
}

llvm::Error Importer::finishBorrowing(ModuleOp module) {
  llvm::SmallPtrSet<const void *, 16> handles;
  for (const Borrowed &b : borrowed)
    handles.insert(b.handle.getResource());
  auto isBorrowed = [&](DenseResourceElementsAttr attr) {
    return handles.contains(attr.getRawHandle().getResource());
  };
  module.walk([&](tosa::ConstOp op) {
    auto resource = dyn_cast<DenseResourceElementsAttr>(op.getValues());
    if (!resource || !isBorrowed(resource))
      return;
    op.setValuesAttr(DenseElementsAttr::getFromRawBuffer(
        resource.getType(), resource.getData()));
  });
  // Nothing else may hold one: its blob is about to be emptied.
  bool left = false;
  module.walk([&](Operation *op) {
    op->getAttrDictionary().walk([&](DenseResourceElementsAttr attr) {
      left |= isBorrowed(attr);
    });
  });
  if (left)
    return error("'" + path + "': internal error: an attribute other than "
                 "a tosa.const holds an initializer's bytes");
  return llvm::Error::success();
}

void Importer::emptyBorrowedBlobs() {
  for (Borrowed &b : borrowed)
    b.handle.getResource()->setBlob(AsmResourceBlob());
  borrowed.clear();
}

} // namespace mlir::quantsim::onnx_import

llvm::Error Importer::importNode(const onnx::NodeProto &node) {
  loc = NameLoc::get(StringAttr::get(&context, node.name()),
                     FileLineColLoc::get(&context, path, 0, 0));

  // Shape arithmetic on integer constants folds to a constant.
  if (isFoldableIntegerOp(node) && node.output_size() == 1) {
    SmallVector<IntTensor> held;
    SmallVector<int> index;
    bool constant = node.input_size() > 0;
    for (const std::string &name : node.input()) {
      if (name.empty()) {
        index.push_back(-1);
        continue;
      }
      std::optional<IntTensor> t = intTensor(name);
      if (!t) {
        constant = false;
        break;
      }
      index.push_back(static_cast<int>(held.size()));
      held.push_back(std::move(*t));
    }
    if (constant) {
      SmallVector<const IntTensor *> inputs;
      for (int i : index)
        inputs.push_back(i < 0 ? nullptr : &held[i]);
      auto folded = foldIntegerOp(node, inputs);
      if (!folded)
        return nodeError(node, llvm::toString(folded.takeError()));
      defineIntConstant(node.output(0), *folded);
      return llvm::Error::success();
    }
  }
  if (const OpHandler *handler = table().lookup(node.op_type(), opset)) {
    NodeBinder binder(*this, node);
    return (*handler)(binder);
  }
  return nodeError(node, "unsupported op '" + node.op_type() + "'");
}

llvm::Expected<OwningOpRef<ModuleOp>>
Importer::run(onnx::ModelProto &model) {
  int64_t opset = -1;
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
  if (opset < 0)
    return error("'" + path + "': the model imports no opset of the "
                 "default ONNX domain");
  if (opset > newestKnownOpset())
    return error("'" + path + "': opset " + llvm::Twine(opset) +
                 " is newer than this ONNX library knows (" +
                 llvm::Twine(newestKnownOpset()) + ")");
  if (std::string bad = checkBeforeShapeInference(model); !bad.empty())
    return error("'" + path + "': " + bad);
  this->opset = std::max<int64_t>(opset, 13);
  if (opset < 13) {
    // Older models (most of the published ones) go through ONNX's own
    // version converter first.
    if (std::string err =
            convertONNXOpset(model, opset, 13, options.batchSize);
        !err.empty())
      return error("'" + path + "': converting opset " + llvm::Twine(opset) +
                   " to 13 failed: " + err);
    emitRemark(FileLineColLoc::get(&context, path, 0, 0))
        << "converted from opset " << opset
        << " to 13 with ONNX's version converter";
  }
  std::string inference = inferONNXShapes(model, options.batchSize);
  if (!inference.empty())
    return error("'" + path + "': ONNX shape inference failed: " + inference);
  const onnx::GraphProto &graph = model.graph();
  // Inferred shapes; a value of more than 2^32 elements (a Reshape or
  // Resize to an absurd size, say) is refused here, before anything is
  // built for it.
  std::string tooLarge;
  auto record = [&](const onnx::ValueInfoProto &info) {
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return;
    SmallVector<int64_t> shape;
    for (const auto &d : info.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return;
      shape.push_back(d.dim_value());
    }
    if (tooLarge.empty() &&
        exceedsElementLimit(info.type().tensor_type().shape()))
      tooLarge = info.name();
    inferred[info.name()] = shape;
  };
  for (const auto &info : graph.value_info())
    record(info);
  for (const auto &info : graph.output())
    record(info);
  if (!tooLarge.empty())
    return error("'" + path + "': value '" + tooLarge +
                 "' has more than 2^32 elements");
  for (const auto &t : graph.initializer())
    initializers[t.name()] = &t;
  for (const auto &node : graph.node())
    if (node.op_type() == "Identity" && node.input_size() == 1)
      identityOf[node.output(0)] = node.input(0);
  // Readers of each value, through Identity chains.
  auto root = [&](std::string name) {
    for (int hops = 0; identityOf.count(name) && hops < graph.node_size();
         ++hops)
      name = identityOf[name];
    return name;
  };
  for (const auto &node : graph.node())
    if (node.op_type() != "Identity")
      for (const std::string &input : node.input())
        ++readers[root(input)];
  for (const auto &output : graph.output())
    ++readers[root(output.name())];
  // Whatever way this returns, no blob may outlive the model's bytes.
  llvm::scope_exit emptyBlobs([&] { emptyBorrowedBlobs(); });

  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  builder.setInsertionPointToEnd(module->getBody());

  // Inputs: f32 tensors, symbolic dimensions set to the batch size.
  SmallVector<Type> inputTypes;
  SmallVector<std::string> inputNames;
  for (const auto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    const auto &tt = input.type().tensor_type();
    if (tt.elem_type() != onnx::TensorProto::FLOAT)
      return error("'" + path + "': input '" + input.name() +
                   "' is not float32");
    SmallVector<int64_t> shape;
    for (const auto &d : tt.shape().dim())
      shape.push_back(d.has_dim_value() ? d.dim_value() : options.batchSize);
    inputTypes.push_back(RankedTensorType::get(shape, builder.getF32Type()));
    inputNames.push_back(input.name());
  }
  auto func = func::FuncOp::create(builder, loc, options.functionName,
                                   builder.getFunctionType(inputTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  for (auto [i, name] : llvm::enumerate(inputNames)) {
    Value arg = body->getArgument(i);
    bool is4d = cast<RankedTensorType>(arg.getType()).getRank() == 4;
    values[name] = Entry{is4d ? toNHWC(arg) : arg, is4d};
  }

  for (const auto &node : graph.node())
    if (llvm::Error err = importNode(node))
      return std::move(err);

  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end())
      return error("'" + path + "': output '" + output.name() +
                   "' is not computed by the graph");
    results.push_back(it->second.nhwc ? toNCHW(it->second.value)
                                      : it->second.value);
  }
  func::ReturnOp::create(builder, loc, results);
  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
  // Constants no op uses: initializers that a handler read as attributes
  // and replaced (a filter permuted to FHWC, a Gemm weight transposed).
  // Left in, they doubled the size of a large model's output.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (op.use_empty() && op.hasTrait<OpTrait::ConstantLike>())
      op.erase();
  if (llvm::Error err = finishBorrowing(*module))
    return std::move(err);
  if (failed(verify(*module)))
    return error("'" + path + "': the imported module does not verify");
  return module;
}


/// Parses `bytes` (the contents of `name`) into `model`.
static llvm::Error parseModel(StringRef bytes, StringRef name,
                              onnx::ModelProto &model) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return error("'" + name + "' is not a valid ONNX model");
  return llvm::Error::success();
}

static llvm::Expected<OwningOpRef<ModuleOp>>
importModel(onnx::ModelProto &model, StringRef name, MLIRContext &context,
            const ONNXImportOptions &options) {
  context.loadDialect<func::FuncDialect, tosa::TosaDialect, QuantSimDialect,
                      arith::ArithDialect, math::MathDialect,
                      quant::QuantDialect>();
  Importer importer(context, options, name);
  return importer.run(model);
}

llvm::Expected<OwningOpRef<ModuleOp>>
mlir::quantsim::importONNXBuffer(StringRef bytes, StringRef name,
                                 MLIRContext &context,
                                 const ONNXImportOptions &options) {
  onnx::ModelProto model;
  if (llvm::Error err = parseModel(bytes, name, model))
    return std::move(err);
  return importModel(model, name, context, options);
}

llvm::Expected<OwningOpRef<ModuleOp>>
mlir::quantsim::importONNXFile(StringRef path, MLIRContext &context,
                               const ONNXImportOptions &options) {
  onnx::ModelProto model;
  {
    // Parsed from the file in chunks: the file's bytes are never held whole
    // beside the model's (an mmap of a large model doubled the peak).
    if (llvm::sys::fs::is_directory(path))
      return error("cannot open '" + path + "': it is a directory");
    int fd;
    if (std::error_code ec = llvm::sys::fs::openFileForRead(path, fd))
      return error("cannot open '" + path + "': " + ec.message());
    google::protobuf::io::FileInputStream stream(fd);
    stream.SetCloseOnDelete(true);
    if (!model.ParseFromZeroCopyStream(&stream))
      return error("'" + path + "' is not a valid ONNX model");
  }
  return importModel(model, path, context, options);
}

std::vector<std::pair<std::string, int>> mlir::quantsim::supportedONNXOps() {
  return Importer::table().entries();
}
