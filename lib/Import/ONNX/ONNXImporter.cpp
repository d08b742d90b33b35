//===- ONNXImporter.cpp - ONNX to TOSA + quantsim -------------------------===//
//
// Part of quant-opt. Walks the (topologically sorted) ONNX graph once and
// emits TOSA. Layout: 4-D activations are kept NHWC, converted at the graph
// input and wherever NCHW order matters (Flatten, the outputs); per-channel
// constants of elementwise ops are permuted to match. Constant weights are
// transposed at import time, under their fake_quant when they are quantized,
// so the QAT lowering sees fake_quant(constant) in the layout TOSA wants.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Import/ONNX.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Support/Constants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include "FoldIntegers.h"
#include "ONNXShapeInference.h"
#include "onnx/onnx_pb.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantsim;

namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A value of the graph: its MLIR value and whether it is a 4-D activation
/// held NHWC (ONNX sees it NCHW).
struct Entry {
  Value value;
  bool nhwc = false;
};

/// The outputs of a DynamicQuantizeLinear: u8 levels (held as f32 values
/// 0..255) with their run-time scale and zero point (f32, one element
/// each). Only MatMulInteger and ConvInteger read the levels and the zero
/// point.
struct DynamicQuantized {
  Value levels, scale, zeroPoint;
};

/// A QuantizeLinear whose DequantizeLinear has not been seen yet.
struct PendingQuantize {
  Entry input;
  Type qtype;
};

class Importer {
public:
  Importer(MLIRContext &context, const ONNXImportOptions &options,
           StringRef path)
      : context(context), options(options), path(path.str()),
        builder(&context) {}

  llvm::Expected<OwningOpRef<ModuleOp>> run(onnx::ModelProto &model);

private:
  llvm::Error importNode(const onnx::NodeProto &node);
  llvm::Expected<Entry> get(StringRef name, const onnx::NodeProto &node);
  llvm::Expected<DenseElementsAttr> constantOf(StringRef name);
  /// Input `index` of `node` as one constant number (a scalar or a
  /// one-element tensor), not NaN; errors name it `what`.
  llvm::Expected<double> scalarConstant(const onnx::NodeProto &node,
                                        int index, StringRef what);
  llvm::Expected<DenseElementsAttr> tensorAttr(const onnx::TensorProto &t);
  llvm::Error nodeError(const onnx::NodeProto &node, const llvm::Twine &msg);

  // Layout helpers.
  Value transpose(Value v, ArrayRef<int32_t> perm);
  Value toNHWC(Value v) { return transpose(v, {0, 2, 3, 1}); }
  Value toNCHW(Value v) { return transpose(v, {0, 3, 1, 2}); }
  /// The value in ONNX's own layout.
  Entry asPlain(Entry e) { return e.nhwc ? Entry{toNCHW(e.value), false} : e; }
  /// A 4-D value NHWC.
  Entry asNHWC(Entry e) {
    if (e.nhwc || cast<RankedTensorType>(e.value.getType()).getRank() != 4)
      return e;
    return Entry{toNHWC(e.value), true};
  }
  /// The integer constant `name` (null when it is not one).
  std::optional<IntTensor> intTensor(StringRef name);
  /// DequantizeLinear of an integer initializer: int8/uint8 become a
  /// fake_quant of the dequantized constant, int32 a float constant.
  llvm::Error importDequantizedConstant(const onnx::NodeProto &node,
                                        StringRef input, StringRef output,
                                        DenseElementsAttr scale,
                                        DenseElementsAttr zeroPoint,
                                        int64_t axis);
  /// A grouped Conv (ResNeXt, ShuffleNet v1) as one Conv per group on a
  /// slice of the channels, concatenated.
  llvm::Error importGroupedConv(const onnx::NodeProto &node, Entry x,
                                Entry w, int64_t group);
  /// Rows [begin, begin + count) of a constant weight (or fake_quant of
  /// one) along dimension 0, its per-axis parameters sliced along.
  llvm::Expected<Value> sliceWeight(Value w, int64_t begin, int64_t count);
  /// QLinearConv and QLinearMatMul: their float op between the input's and
  /// the output's fake-quant parameters.
  llvm::Error importQLinear(const onnx::NodeProto &node);
  /// Dynamic quantization: DynamicQuantizeLinear (scale and zero point
  /// computed from the input's range at run time) and MatMulInteger on its
  /// levels and an int8/uint8 constant, in i32.
  llvm::Error importDynamicQuantizeLinear(const onnx::NodeProto &node);
  llvm::Error importMatMulInteger(const onnx::NodeProto &node);
  llvm::Error importConvInteger(const onnx::NodeProto &node);
  /// The checks MatMulInteger and ConvInteger share: input 0 (and its zero
  /// point, input 2) from a DynamicQuantizeLinear, input 1 an int8/uint8
  /// constant with one zero point (input 3). Returns the weights as int8
  /// (uint8 ones shifted by -128 with their zero point).
  llvm::Expected<DynamicQuantized>
  integerOperands(const onnx::NodeProto &node, IntTensor &weights,
                  int64_t &weightZeroPoint);
  /// `acc` + (128 - zero point) * `sums` in i32: what the int8 product of
  /// the levels shifted by 128 misses. `sums` broadcasts against `acc`.
  Value addZeroPointTerm(Value acc, Value zeroPoint, Value sums);
  /// Records `t` as the int64 constant `name`.
  void defineIntConstant(StringRef name, const IntTensor &t);
  /// Records `values` of `shape` as the float constant `name`.
  void defineFloatConstant(StringRef name, ArrayRef<int64_t> shape,
                           ArrayRef<float> values);
  /// Defines `node`'s output 0 as `v` (NHWC when `nhwc`), after checking
  /// its shape, seen in ONNX's layout, against shape inference.
  llvm::Error defineOutput(const onnx::NodeProto &node, Value v, bool nhwc);
  /// Input `i` of `node`, a 4-D activation, held NHWC.
  llvm::Expected<Entry> nhwcInput(const onnx::NodeProto &node, int i);
  /// An integer constant (int64 or int32) as a vector, or an error.
  llvm::Expected<SmallVector<int64_t>> intConstant(StringRef name,
                                                   const onnx::NodeProto &node);
  /// The zero shift operand of tosa.mul.
  Value i8Zero() {
    auto type = RankedTensorType::get({1}, builder.getI8Type());
    return tosa::ConstOp::create(builder, loc, type,
                                 DenseElementsAttr::get(type, int8_t(0)));
  }
  /// A rank-`rank` f32 constant of one value (broadcasts everywhere).
  Value scalarLike(float value, int64_t rank) {
    SmallVector<int64_t> shape(rank, 1);
    return f32Const(DenseElementsAttr::get(
        RankedTensorType::get(shape, builder.getF32Type()), value));
  }
  Value reshape(Value v, ArrayRef<int64_t> shape);
  Value shapeConst(ArrayRef<int64_t> values);
  /// `v` (NHWC) zero-padded (or padded with `value`) by TOSA-ordered
  /// (top, bottom, left, right).
  Value padNHWC(Value v, ArrayRef<int64_t> pad, float value = 0.0f);
  Value f32Const(DenseElementsAttr attr);

  /// The 2-D window of a Conv or pool on the NHWC `x`, fitted to TOSA.
  struct Window {
    Value input;                 ///< x, with rows/columns no window reads cut
    SmallVector<int64_t> pad;    ///< TOSA order: top, bottom, left, right
    SmallVector<int64_t> size;   ///< output H, W
    SmallVector<int64_t> onnxPad; ///< the node's own pads, TOSA order
  };
  llvm::Expected<Window> fitWindow(const onnx::NodeProto &node, Value x,
                                   ArrayRef<int64_t> kernel,
                                   ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> dilations,
                                   bool allowCeil);
  Value zeroPoint() {
    return f32Const(DenseElementsAttr::get(
        RankedTensorType::get({1}, builder.getF32Type()), 0.0f));
  }
  /// A constant weight, or fake_quant of one, rebuilt with its elements
  /// rearranged by `transform` and its quantized axis moved by `axisMap`.
  llvm::Expected<Value>
  rebuildWeight(Value weight, RankedTensorType newType,
                function_ref<DenseElementsAttr(DenseElementsAttr)> transform,
                function_ref<int32_t(int32_t)> axisMap,
                const onnx::NodeProto &node);

  MLIRContext &context;
  const ONNXImportOptions &options;
  std::string path;
  OpBuilder builder;
  Location loc = UnknownLoc::get(&context);
  llvm::StringMap<Entry> values;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  llvm::StringMap<PendingQuantize> pending;
  llvm::StringMap<DynamicQuantized> dynamicQuantized;
  llvm::StringMap<std::string> identityOf;
  /// Static shapes ONNX's shape inference found, by value name.
  llvm::StringMap<SmallVector<int64_t>> inferred;
  std::vector<std::unique_ptr<onnx::TensorProto>> ownedTensors;
};

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

/// Gemm's C, broadcast unidirectionally to [M, N] (shapes [], [N], [1, N],
/// [M, 1], [M, N]), as the constant added to the [1, M, N] matmul result:
/// [1, 1, N] when every row is the same, [1, M, N] otherwise.
static llvm::Expected<DenseElementsAttr> gemmBias(DenseElementsAttr c,
                                                  int64_t m, int64_t n) {
  ArrayRef<int64_t> shape = c.getType().getShape();
  if (shape.size() > 2)
    return error("bias of rank " + llvm::Twine(shape.size()) +
                 " does not broadcast to [M, N]");
  int64_t rows = shape.size() == 2 ? shape[0] : 1;
  int64_t cols = shape.empty() ? 1 : shape.back();
  if ((rows != 1 && rows != m) || (cols != 1 && cols != n))
    return error(llvm::formatv("bias of shape [{0}] does not broadcast to "
                               "[{1}, {2}]",
                               llvm::join(llvm::map_range(shape,
                                                          [](int64_t d) {
                                                            return std::to_string(d);
                                                          }),
                                          ", "),
                               m, n)
                     .str());
  SmallVector<double> values = doubles(c);
  SmallVector<float> full;
  bool sameRows = true;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      full.push_back(static_cast<float>(
          values[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)]));
      sameRows &= full.back() == full[j];
    }
  if (sameRows)
    full.resize(n);
  auto type = RankedTensorType::get({1, sameRows ? 1 : m, n},
                                    Float32Type::get(c.getContext()));
  return DenseElementsAttr::get(type, ArrayRef<float>(full));
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
    SmallVector<T> data;
    if (t.has_raw_data()) {
      data.resize(n);
      std::memcpy(data.data(), t.raw_data().data(), n * sizeof(T));
    } else {
      if constexpr (std::is_same_v<T, float>)
        data.assign(t.float_data().begin(), t.float_data().end());
      else if constexpr (std::is_same_v<T, int64_t>)
        data.assign(t.int64_data().begin(), t.int64_data().end());
      else
        for (int32_t v : t.int32_data())
          data.push_back(static_cast<T>(v));
    }
    return DenseElementsAttr::get(RankedTensorType::get(shape, element),
                                  ArrayRef<T>(data));
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

llvm::Expected<Value> Importer::rebuildWeight(
    Value weight, RankedTensorType newType,
    function_ref<DenseElementsAttr(DenseElementsAttr)> transform,
    function_ref<int32_t(int32_t)> axisMap, const onnx::NodeProto &node) {
  auto makeConst = [&](Value c) -> FailureOr<Value> {
    auto constant = c.getDefiningOp<tosa::ConstOp>();
    if (!constant)
      return failure();
    auto attr = cast<DenseElementsAttr>(constant.getValues());
    return f32Const(transform(attr).reshape(newType));
  };
  if (auto fq = weight.getDefiningOp<FakeQuantOp>()) {
    FailureOr<Value> c = makeConst(fq.getInput());
    if (failed(c))
      return nodeError(node, "quantized weights must be constants");
    Type qtype = fq.getQtype();
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype))
      qtype = quant::UniformQuantizedPerAxisType::get(
          perAxis.getFlags(), perAxis.getStorageType(),
          perAxis.getExpressedType(), perAxis.getScales(),
          perAxis.getZeroPoints(), axisMap(perAxis.getQuantizedDimension()),
          perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
    return Value(FakeQuantOp::create(builder, loc, newType, *c, qtype));
  }
  FailureOr<Value> c = makeConst(weight);
  if (failed(c))
    return nodeError(node, "weights must be constants");
  return *c;
}

/// The quant type of QuantizeLinear/DequantizeLinear parameters.
llvm::Expected<Type> quantType(DenseElementsAttr scale,
                               DenseElementsAttr zeroPoint, int64_t axis,
                               MLIRContext *ctx, const llvm::Twine &where) {
  SmallVector<double> scales = doubles(scale);
  SmallVector<double> zps =
      zeroPoint ? doubles(zeroPoint) : SmallVector<double>(scales.size(), 0);
  bool isUnsigned = !zeroPoint || zeroPoint.getElementType().isUnsignedInteger();
  if (zeroPoint && !zeroPoint.getElementType().isInteger(8))
    return error(where + ": zero point must be u8 or i8");
  if (scales.empty())
    return error(where + ": the scale is empty");
  if (scales.size() != zps.size())
    return error(where + ": scale and zero point sizes differ");
  Type storage = IntegerType::get(ctx, 8);
  Type f32 = Float32Type::get(ctx);
  unsigned flags = isUnsigned ? 0 : quant::QuantizationFlags::Signed;
  int64_t qmin = isUnsigned ? 0 : -128, qmax = isUnsigned ? 255 : 127;
  for (double s : scales)
    if (!(s > 0) || !std::isfinite(s))
      return error(where + llvm::formatv(": scale {0} is not positive and "
                                         "finite",
                                         s));
  if (scales.size() == 1)
    return quant::UniformQuantizedType::get(flags, storage, f32, scales[0],
                                            static_cast<int64_t>(zps[0]), qmin,
                                            qmax);
  SmallVector<int64_t> zpInts;
  for (double z : zps)
    zpInts.push_back(static_cast<int64_t>(z));
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, f32, scales, zpInts, static_cast<int32_t>(axis), qmin,
      qmax);
}

llvm::Error Importer::importDequantizedConstant(const onnx::NodeProto &node,
                                                StringRef input,
                                                StringRef output,
                                                DenseElementsAttr scale,
                                                DenseElementsAttr zeroPoint,
                                                int64_t axis) {
  auto q = constantOf(input);
  if (!q)
    return q.takeError();
  auto qType = q->getType();
  auto element = cast<IntegerType>(q->getElementType());
  unsigned width = element.getWidth();
  if (width != 8 && width != 32)
    return nodeError(node, "only int8, uint8 and int32 initializers can be "
                           "dequantized");
  SmallVector<double> levels = doubles(*q);
  SmallVector<double> scales = doubles(scale);
  SmallVector<double> zps =
      zeroPoint ? doubles(zeroPoint) : SmallVector<double>(scales.size(), 0);
  if (zps.size() != scales.size())
    return nodeError(node, "scale and zero point sizes differ");
  int64_t rank = qType.getRank();
  int64_t channels = static_cast<int64_t>(scales.size()), inner = 1;
  if (channels > 1) {
    if (axis < -rank || axis >= rank)
      return nodeError(node, "axis " + llvm::Twine(axis) + " is out of range");
    axis = axis < 0 ? axis + rank : axis;
    if (qType.getDimSize(axis) != channels)
      return nodeError(node, llvm::formatv("{0} scales for a dimension of {1}",
                                           channels, qType.getDimSize(axis)));
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= qType.getDimSize(d);
  }
  SmallVector<float> dequantized;
  for (auto [i, level] : llvm::enumerate(levels)) {
    int64_t c = channels > 1 ? (static_cast<int64_t>(i) / inner) % channels : 0;
    dequantized.push_back(static_cast<float>((level - zps[c]) * scales[c]));
  }
  auto floatType = RankedTensorType::get(qType.getShape(), builder.getF32Type());
  auto floats = DenseElementsAttr::get(floatType, ArrayRef<float>(dequantized));
  if (width == 32) {
    // A bias: consumers read it as a float constant.
    defineFloatConstant(output, qType.getShape(), dequantized);
    return llvm::Error::success();
  }
  // Without a zero point the levels' own type gives the signedness.
  DenseElementsAttr zp = zeroPoint;
  if (!zp)
    zp = DenseElementsAttr::get(
        RankedTensorType::get({channels}, element),
        APInt(8, 0, /*isSigned=*/element.isSigned() || element.isSignless()));
  auto qtype = quantType(scale, zp, axis, &context,
                         "'" + path + "': node '" + node.name() + "' (" + node.op_type() + ")");
  if (!qtype)
    return qtype.takeError();
  Value fq = FakeQuantOp::create(builder, loc, floatType, f32Const(floats),
                                 *qtype);
  values[output] = Entry{fq, false};
  return llvm::Error::success();
}

llvm::Expected<Value> Importer::sliceWeight(Value w, int64_t begin,
                                            int64_t count) {
  auto fq = w.getDefiningOp<FakeQuantOp>();
  Value source = fq ? fq.getInput() : w;
  DenseElementsAttr attr;
  if (!matchPattern(source, m_Constant(&attr)) ||
      !attr.getElementType().isF32())
    return error("the weights must be a constant");
  auto type = cast<RankedTensorType>(attr.getType());
  int64_t inner = type.getNumElements() / type.getDimSize(0);
  SmallVector<float> all(attr.getValues<float>());
  SmallVector<float> part(all.begin() + begin * inner,
                          all.begin() + (begin + count) * inner);
  SmallVector<int64_t> shape(type.getShape());
  shape[0] = count;
  auto partType = type.clone(shape);
  Value c = f32Const(DenseElementsAttr::get(partType, ArrayRef<float>(part)));
  if (!fq)
    return c;
  Type qtype = fq.getQtype();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype);
      perAxis && perAxis.getQuantizedDimension() == 0) {
    SmallVector<double> scales(perAxis.getScales().slice(begin, count));
    SmallVector<int64_t> zps(perAxis.getZeroPoints().slice(begin, count));
    qtype = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), scales, zps, 0,
        perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
  }
  return FakeQuantOp::create(builder, loc, partType, c, qtype).getResult();
}

llvm::Error Importer::importGroupedConv(const onnx::NodeProto &node, Entry x,
                                        Entry w, int64_t group) {
  auto xType = cast<RankedTensorType>(x.value.getType()); // NHWC
  auto wType = cast<RankedTensorType>(w.value.getType()); // OIHW
  int64_t channels = xType.getDimSize(3), o = wType.getDimSize(0);
  int64_t perGroup = wType.getDimSize(1);
  if (channels % group != 0 || o % group != 0 || perGroup * group != channels)
    return nodeError(node, llvm::formatv(
                               "group {0} does not divide {1} input channels "
                               "({2} per group in the weights) and {3} "
                               "outputs",
                               group, channels, perGroup, o));
  int64_t outPerGroup = o / group;
  std::optional<SmallVector<float>> bias;
  if (node.input_size() > 2 && !node.input(2).empty()) {
    auto b = constantOf(node.input(2));
    if (!b)
      return nodeError(node, "bias must be a constant");
    SmallVector<float> values;
    for (double v : doubles(*b))
      values.push_back(static_cast<float>(v));
    if (static_cast<int64_t>(values.size()) != o)
      return nodeError(node, "the bias must have one value per output channel");
    bias = std::move(values);
  }
  std::string prefix = node.output(0) + "/group";
  SmallVector<Value> outputs;
  for (int64_t g = 0; g < group; ++g) {
    std::string name = prefix + std::to_string(g);
    Value part = tosa::SliceOp::create(
        builder, loc,
        xType.clone({xType.getDimSize(0), xType.getDimSize(1),
                     xType.getDimSize(2), perGroup}),
        x.value, shapeConst({0, 0, 0, g * perGroup}),
        shapeConst({xType.getDimSize(0), xType.getDimSize(1),
                    xType.getDimSize(2), perGroup}));
    values[name + "/x"] = Entry{part, true};
    auto weight = sliceWeight(w.value, g * outPerGroup, outPerGroup);
    if (!weight)
      return nodeError(node, llvm::toString(weight.takeError()));
    values[name + "/w"] = Entry{*weight, false};
    onnx::NodeProto conv;
    conv.set_name(node.name());
    conv.set_op_type("Conv");
    conv.add_input(name + "/x");
    conv.add_input(name + "/w");
    if (bias) {
      defineFloatConstant(name + "/b", {outPerGroup},
                          ArrayRef(*bias).slice(g * outPerGroup, outPerGroup));
      conv.add_input(name + "/b");
    }
    conv.add_output(name + "/y");
    for (const onnx::AttributeProto &a : node.attribute())
      if (a.name() != "group")
        *conv.add_attribute() = a;
    if (llvm::Error err = importNode(conv))
      return err;
    outputs.push_back(values[name + "/y"].value);
  }
  auto first = cast<RankedTensorType>(outputs[0].getType());
  Value y = tosa::ConcatOp::create(
      builder, loc,
      first.clone({first.getDimSize(0), first.getDimSize(1),
                   first.getDimSize(2), o}),
      outputs, builder.getI32IntegerAttr(3));
  return defineOutput(node, y, true);
}

llvm::Error Importer::importQLinear(const onnx::NodeProto &node) {
  StringRef op = node.op_type();
  bool conv = op == "QLinearConv";
  if (node.input_size() < 8)
    return nodeError(node, "needs 8 inputs (x, x_scale, x_zero_point, w, "
                           "w_scale, w_zero_point, y_scale, y_zero_point)");
  auto param = [&](int i) -> llvm::Expected<DenseElementsAttr> {
    auto c = constantOf(node.input(i));
    if (!c)
      return nodeError(node, "input " + llvm::Twine(i) + " ('" +
                                 node.input(i) + "') must be a constant");
    return *c;
  };
  auto xScale = param(1), xZp = param(2), wScale = param(4), wZp = param(5),
       yScale = param(6), yZp = param(7);
  for (auto *p : {&xScale, &xZp, &wScale, &wZp, &yScale, &yZp})
    if (!*p)
      return p->takeError();
  std::string where = "'" + path + "': node '" + node.name() + "' (" + node.op_type() + ")";
  auto xType = quantType(*xScale, *xZp, 1, &context, where);
  auto yType = quantType(*yScale, *yZp, 1, &context, where);
  if (!xType)
    return xType.takeError();
  if (!yType)
    return yType.takeError();
  if (!isa<quant::UniformQuantizedType>(*xType) ||
      !isa<quant::UniformQuantizedType>(*yType))
    return nodeError(node, "input and output parameters must be per tensor");

  // The quantized input: a QuantizeLinear or another QLinear op's output.
  auto it = pending.find(node.input(0));
  if (it == pending.end())
    return nodeError(node, "input '" + node.input(0) + "' must come from a "
                           "QuantizeLinear or a QLinear op");
  if (it->second.qtype != *xType)
    return nodeError(node, "x_scale and x_zero_point differ from the "
                           "parameters '" + node.input(0) + "' was "
                           "quantized with");
  std::string prefix = node.output(0) + "/";
  Entry x = it->second.input;
  values[prefix + "x"] = Entry{
      FakeQuantOp::create(builder, loc, x.value.getType(), x.value, *xType),
      x.nhwc};
  // Weights per output channel: axis 0 of a conv's OIHW, the last of a
  // matmul's [K, N].
  int64_t wAxis = conv ? 0 : -1;
  if (!intTensor(node.input(3)))
    return nodeError(node, "the weights must be an integer constant");
  if (llvm::Error err = importDequantizedConstant(
          node, node.input(3), prefix + "w", *wScale, *wZp, wAxis))
    return err;

  onnx::NodeProto floatNode;
  floatNode.set_name(node.name());
  floatNode.set_op_type(conv ? "Conv" : "MatMul");
  floatNode.add_input(prefix + "x");
  floatNode.add_input(prefix + "w");
  if (conv && node.input_size() > 8 && !node.input(8).empty()) {
    // The int32 bias at scale x_scale * w_scale.
    SmallVector<double> scales;
    for (double s : doubles(*wScale))
      scales.push_back(s * doubles(*xScale)[0]);
    SmallVector<float> f(scales.begin(), scales.end());
    auto biasScale = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(f.size())},
                              builder.getF32Type()),
        ArrayRef<float>(f));
    if (!intTensor(node.input(8)))
      return nodeError(node, "the bias must be an integer constant");
    if (llvm::Error err = importDequantizedConstant(
            node, node.input(8), prefix + "b", biasScale, DenseElementsAttr(),
            0))
      return err;
    floatNode.add_input(prefix + "b");
  }
  floatNode.add_output(prefix + "y");
  for (const onnx::AttributeProto &a : node.attribute())
    *floatNode.add_attribute() = a;
  auto inferredY = inferred.find(node.output(0));
  if (inferredY != inferred.end())
    inferred[prefix + "y"] = inferredY->second;
  if (llvm::Error err = importNode(floatNode))
    return err;
  pending[node.output(0)] = PendingQuantize{values[prefix + "y"], *yType};
  return llvm::Error::success();
}


llvm::Error
Importer::importDynamicQuantizeLinear(const onnx::NodeProto &node) {
  auto xe = get(node.input(0), node);
  if (!xe)
    return xe.takeError();
  Value x = asPlain(*xe).value;
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t rank = xType.getRank();
  Type f32 = builder.getF32Type();
  auto scalarType = RankedTensorType::get(SmallVector<int64_t>(rank, 1), f32);
  auto constant = [&](float v) {
    return f32Const(DenseElementsAttr::get(scalarType, v));
  };
  // The range of x, widened to include 0 (ONNX's definition).
  Value flat = reshape(x, {1, xType.getNumElements()});
  auto reducedType = RankedTensorType::get({1, 1}, f32);
  auto axis = builder.getI32IntegerAttr(1);
  Value lo = reshape(tosa::ReduceMinOp::create(builder, loc, reducedType, flat,
                                               axis),
                     SmallVector<int64_t>(rank, 1));
  Value hi = reshape(tosa::ReduceMaxOp::create(builder, loc, reducedType, flat,
                                               axis),
                     SmallVector<int64_t>(rank, 1));
  lo = tosa::MinimumOp::create(builder, loc, scalarType, lo, constant(0.0f));
  hi = tosa::MaximumOp::create(builder, loc, scalarType, hi, constant(0.0f));
  // scale = (hi - lo) / 255, divided as the specification does (a multiply
  // by 1/255 rounds differently); an all-zero input gets scale 1, as ONNX
  // Runtime does, instead of dividing by zero below.
  Value range = tosa::SubOp::create(builder, loc, scalarType, hi, lo);
  Value scale =
      arith::DivFOp::create(builder, loc, range, constant(255.0f));
  Value isZero = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OEQ,
                                       range, constant(0.0f));
  scale = arith::SelectOp::create(builder, loc, isZero, constant(1.0f), scale);
  auto clampLevels = [&](Value v) {
    return tosa::ClampOp::create(builder, loc, v.getType(), v,
                                 builder.getF32FloatAttr(0.0f),
                                 builder.getF32FloatAttr(255.0f));
  };
  // zero point = saturate(round(0 - lo / scale)), ties to even.
  Value zp = arith::DivFOp::create(builder, loc, lo, scale);
  zp = tosa::SubOp::create(builder, loc, scalarType, constant(0.0f), zp);
  zp = clampLevels(math::RoundEvenOp::create(builder, loc, zp));
  // y = saturate(round(x / scale) + zero point).
  Value scaled = arith::DivFOp::create(
      builder, loc, x,
      tosa::TileOp::create(builder, loc, xType, scale,
                           shapeConst(xType.getShape()))
          .getResult());
  Value y = tosa::AddOp::create(builder, loc, xType,
                                math::RoundEvenOp::create(builder, loc, scaled),
                                zp);
  y = clampLevels(y);
  // The scale is an ordinary float value (ONNX: a scalar); the levels and
  // the zero point are only for MatMulInteger.
  if (node.output_size() > 1 && !node.output(1).empty())
    values[node.output(1)] = Entry{reshape(scale, {}), false};
  dynamicQuantized[node.output(0)] = DynamicQuantized{y, scale, zp};
  if (node.output_size() > 2 && !node.output(2).empty())
    dynamicQuantized[node.output(2)] = DynamicQuantized{y, scale, zp};
  return llvm::Error::success();
}

llvm::Expected<DynamicQuantized>
Importer::integerOperands(const onnx::NodeProto &node, IntTensor &weights,
                          int64_t &weightZeroPoint) {
  auto it = dynamicQuantized.find(node.input(0));
  if (it == dynamicQuantized.end())
    return nodeError(node, "the first input must be a DynamicQuantizeLinear "
                           "output (dynamic quantization); other integer "
                           "inputs are not supported");
  DynamicQuantized a = it->second;
  if (node.input_size() > 2 && !node.input(2).empty()) {
    auto zpIt = dynamicQuantized.find(node.input(2));
    if (zpIt == dynamicQuantized.end() || zpIt->second.levels != a.levels)
      return nodeError(node, "the first input's zero point must be its "
                             "DynamicQuantizeLinear's");
  }
  std::optional<IntTensor> b = intTensor(node.input(1));
  auto bConst = constantOf(node.input(1));
  if (!b || !bConst) {
    if (!bConst)
      llvm::consumeError(bConst.takeError());
    return nodeError(node, "the weights must be an int8 or uint8 constant");
  }
  auto bElement = dyn_cast<IntegerType>(bConst->getElementType());
  if (!bElement || bElement.getWidth() != 8)
    return nodeError(node, "the weights must be an int8 or uint8 constant");
  int64_t bZp = 0;
  if (node.input_size() > 3 && !node.input(3).empty()) {
    std::optional<IntTensor> z = intTensor(node.input(3));
    if (!z || z->data.empty())
      return nodeError(node, "the weights' zero point must be an integer "
                             "constant");
    for (int64_t v : z->data)
      if (v != z->data[0])
        return nodeError(node, "per-channel weight zero points are not "
                               "supported (they must be equal)");
    bZp = z->data[0];
  }
  // uint8 weights: w - zw == (w - 128) - (zw - 128).
  int64_t shift = bElement.isUnsignedInteger() ? 128 : 0;
  for (int64_t &v : b->data)
    v -= shift;
  bZp -= shift;
  if (bZp < -128 || bZp > 127)
    return nodeError(node, "the weights' zero point is out of range");
  weights = std::move(*b);
  weightZeroPoint = bZp;
  return a;
}

Value Importer::addZeroPointTerm(Value acc, Value zeroPoint, Value sums) {
  auto accType = cast<RankedTensorType>(acc.getType());
  auto sumsType = cast<RankedTensorType>(sums.getType());
  SmallVector<int64_t> ones(accType.getRank(), 1);
  auto unitType = RankedTensorType::get(ones, builder.getF32Type());
  Value offset = tosa::SubOp::create(
      builder, loc, unitType,
      f32Const(DenseElementsAttr::get(unitType, 128.0f)),
      reshape(zeroPoint, ones));
  Value offset32 = tosa::CastOp::create(
      builder, loc, unitType.clone(builder.getI32Type()), offset);
  Value term =
      tosa::MulOp::create(builder, loc, sumsType, offset32, sums, i8Zero());
  return tosa::AddOp::create(builder, loc, accType, acc, term);
}

llvm::Error Importer::importMatMulInteger(const onnx::NodeProto &node) {
  IntTensor bTensor;
  int64_t bZp = 0;
  auto operands = integerOperands(node, bTensor, bZp);
  if (!operands)
    return operands.takeError();
  DynamicQuantized a = *operands;
  IntTensor *b = &bTensor;
  if (b->shape.size() != 2)
    return nodeError(node, "B must be 2-D");
  int64_t k = b->shape[0], n = b->shape[1];
  auto levelsType = cast<RankedTensorType>(a.levels.getType());
  if (levelsType.getDimSize(levelsType.getRank() - 1) != k)
    return nodeError(node, "inner dimensions differ");
  int64_t rows = levelsType.getNumElements() / k;
  // sum_k (a - za)(b - zb) = sum_k (a - 128)(b - zb) + (128 - za) sum_k (b -
  // zb): a - 128 is int8, so the product is an int8 matmul (B's zero point
  // a TOSA weight zero point); the run-time zero point only scales a
  // constant column sum.
  SmallVector<int8_t> weights;
  SmallVector<int32_t> columnSums(n, 0);
  for (int64_t i = 0; i < k * n; ++i) {
    weights.push_back(static_cast<int8_t>(b->data[i]));
    columnSums[i % n] += static_cast<int32_t>(b->data[i] - bZp);
  }
  Type i8 = builder.getI8Type(), i32 = builder.getI32Type();
  Value centered = tosa::SubOp::create(
      builder, loc, levelsType, a.levels,
      scalarLike(128.0f, levelsType.getRank()));
  Value a8 = tosa::CastOp::create(
      builder, loc, levelsType.clone(i8), centered);
  a8 = reshape(a8, {1, rows, k});
  auto wType = RankedTensorType::get({1, k, n}, i8);
  Value w = tosa::ConstOp::create(
      builder, loc, wType,
      DenseElementsAttr::get(wType, ArrayRef<int8_t>(weights)));
  auto i8Scalar = [&](int64_t v) {
    auto t = RankedTensorType::get({1}, i8);
    return tosa::ConstOp::create(builder, loc, t,
                                 DenseElementsAttr::get(t, int8_t(v)));
  };
  auto accType = RankedTensorType::get({1, rows, n}, i32);
  Value acc = tosa::MatMulOp::create(builder, loc, accType, a8, w,
                                     i8Scalar(0), i8Scalar(bZp));
  auto sumsType = RankedTensorType::get({1, 1, n}, i32);
  acc = addZeroPointTerm(
      acc, a.zeroPoint,
      tosa::ConstOp::create(
          builder, loc, sumsType,
          DenseElementsAttr::get(sumsType, ArrayRef<int32_t>(columnSums))));
  SmallVector<int64_t> outShape(levelsType.getShape().drop_back());
  outShape.push_back(n);
  return defineOutput(node, reshape(acc, outShape), false);
}

llvm::Error Importer::importConvInteger(const onnx::NodeProto &node) {
  IntTensor w;
  int64_t wZp = 0;
  auto operands = integerOperands(node, w, wZp);
  if (!operands)
    return operands.takeError();
  const onnx::AttributeProto *groupAttr = attr(node, "group");
  if (groupAttr && groupAttr->i() != 1)
    return nodeError(node, "grouped integer convolutions are not supported");
  auto levelsType = cast<RankedTensorType>(operands->levels.getType());
  if (levelsType.getRank() != 4 || w.shape.size() != 4)
    return nodeError(node, "needs a 4-D NCHW input and 4-D weights");
  int64_t o = w.shape[0], c = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  if (levelsType.getDimSize(1) != c)
    return nodeError(node, llvm::formatv("weights expect {0} input "
                                         "channels, the input has {1}",
                                         c, levelsType.getDimSize(1)));
  // sum (x - zx)(w - zw) over the taps inside the input = sum (x - 128)(w -
  // zw) with x - 128 as int8, padded with 0 (it contributes nothing, like
  // ONNX's padding with zx), + (128 - zx) * S, where S sums w - zw over the
  // taps inside the input at each output position: a constant map.
  Type i8 = builder.getI8Type(), i32 = builder.getI32Type();
  Value centered = tosa::SubOp::create(builder, loc, levelsType,
                                       operands->levels, scalarLike(128.0f, 4));
  Value x8 = toNHWC(tosa::CastOp::create(builder, loc, levelsType.clone(i8),
                                         centered));
  SmallVector<int64_t> strides = ints(node, "strides", {1, 1});
  SmallVector<int64_t> dilations = ints(node, "dilations", {1, 1});
  auto window = fitWindow(node, x8, {kh, kw}, strides, dilations,
                          /*allowCeil=*/false);
  if (!window)
    return window.takeError();
  auto inType = cast<RankedTensorType>(window->input.getType()); // NHWC
  int64_t h = inType.getDimSize(1), wd = inType.getDimSize(2);
  int64_t oh = window->size[0], ow = window->size[1];
  // OIHW -> OHWI.
  SmallVector<int8_t> ohwi(o * kh * kw * c);
  for (int64_t a = 0; a < o; ++a)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x)
          ohwi[((a * kh + y) * kw + x) * c + ci] = static_cast<int8_t>(
              w.data[((a * c + ci) * kh + y) * kw + x]);
  // S[oh, ow, o]: per tap, the channel sums of w - zw, added where the tap
  // reads inside the input.
  SmallVector<int64_t> tapSums(o * kh * kw, 0);
  for (int64_t a = 0; a < o; ++a)
    for (int64_t t = 0; t < kh * kw; ++t)
      for (int64_t ci = 0; ci < c; ++ci)
        tapSums[a * kh * kw + t] += ohwi[(a * kh * kw + t) * c + ci] - wZp;
  SmallVector<int32_t> sums(oh * ow * o, 0);
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x)
      for (int64_t ty = 0; ty < kh; ++ty) {
        int64_t iy = y * strides[0] - window->pad[0] + ty * dilations[0];
        if (iy < 0 || iy >= h)
          continue;
        for (int64_t tx = 0; tx < kw; ++tx) {
          int64_t ix = x * strides[1] - window->pad[2] + tx * dilations[1];
          if (ix < 0 || ix >= wd)
            continue;
          for (int64_t a = 0; a < o; ++a)
            sums[(y * ow + x) * o + a] +=
                static_cast<int32_t>(tapSums[a * kh * kw + ty * kw + tx]);
        }
      }
  auto wType = RankedTensorType::get({o, kh, kw, c}, i8);
  Value weights = tosa::ConstOp::create(
      builder, loc, wType, DenseElementsAttr::get(wType, ArrayRef<int8_t>(ohwi)));
  auto biasType = RankedTensorType::get({o}, i32);
  Value bias = tosa::ConstOp::create(builder, loc, biasType,
                                     DenseElementsAttr::get(biasType, 0));
  auto zp = [&](int64_t v) {
    auto t = RankedTensorType::get({1}, i8);
    return tosa::ConstOp::create(builder, loc, t,
                                 DenseElementsAttr::get(t, int8_t(v)));
  };
  auto accType = RankedTensorType::get({inType.getDimSize(0), oh, ow, o}, i32);
  Value acc = tosa::Conv2DOp::create(
      builder, loc, accType, window->input, weights, bias, zp(0), zp(wZp),
      builder.getDenseI64ArrayAttr(window->pad),
      builder.getDenseI64ArrayAttr(strides),
      builder.getDenseI64ArrayAttr(dilations), TypeAttr::get(i32));
  auto sumsType = RankedTensorType::get({1, oh, ow, o}, i32);
  acc = addZeroPointTerm(
      acc, operands->zeroPoint,
      tosa::ConstOp::create(
          builder, loc, sumsType,
          DenseElementsAttr::get(sumsType, ArrayRef<int32_t>(sums))));
  return defineOutput(node, acc, /*nhwc=*/true);
}

llvm::Error Importer::importNode(const onnx::NodeProto &node) {
  loc = NameLoc::get(StringAttr::get(&context, node.name()),
                     FileLineColLoc::get(&context, path, 0, 0));
  StringRef op = node.op_type();
  auto in = [&](int i) { return get(node.input(i), node); };
  auto define = [&](Value v, bool nhwc) {
    return defineOutput(node, v, nhwc);
  };
  auto typeOf = [](Value v) { return cast<RankedTensorType>(v.getType()); };

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
  if (op == "Shape") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    SmallVector<int64_t> shape(typeOf(x->value).getShape());
    if (x->nhwc)
      shape = {shape[0], shape[3], shape[1], shape[2]};
    int64_t rank = static_cast<int64_t>(shape.size());
    int64_t start = 0, end = rank;
    if (const onnx::AttributeProto *a = attr(node, "start"))
      start = a->i();
    if (const onnx::AttributeProto *a = attr(node, "end"))
      end = a->i();
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    IntTensor t;
    t.data.assign(shape.begin() + start,
                  shape.begin() + std::max(start, end));
    t.shape = {static_cast<int64_t>(t.data.size())};
    defineIntConstant(node.output(0), t);
    return llvm::Error::success();
  }
  if (op == "ConstantOfShape") {
    std::optional<IntTensor> shape = intTensor(node.input(0));
    if (!shape)
      return nodeError(node, "the shape must be a constant");
    const onnx::AttributeProto *value = attr(node, "value");
    int64_t n = 1;
    for (int64_t d : shape->data) {
      if (d < 0 || (d > 0 && n > (int64_t(1) << 26) / d))
        return nodeError(node, "the shape is negative or too large");
      n *= d;
    }
    int dtype = value && value->has_t() ? value->t().data_type()
                                        : int(onnx::TensorProto::FLOAT);
    auto scalar = [&]() -> llvm::Expected<double> {
      if (!value || !value->has_t())
        return 0.0;
      auto a = tensorAttr(value->t());
      if (!a)
        return a.takeError();
      SmallVector<double> v = doubles(*a);
      return v.empty() ? 0.0 : v[0];
    }();
    if (!scalar)
      return nodeError(node, llvm::toString(scalar.takeError()));
    if (dtype == onnx::TensorProto::FLOAT) {
      defineFloatConstant(node.output(0), shape->data,
                          SmallVector<float>(n, static_cast<float>(*scalar)));
    } else if (dtype == onnx::TensorProto::INT64) {
      IntTensor t;
      t.shape = shape->data;
      // Through a double (exact up to 2^53): refuse what no int64 holds.
      if (!(std::fabs(*scalar) < 0x1p63))
        return nodeError(node, "the value does not fit in int64");
      t.data.assign(n, static_cast<int64_t>(*scalar));
      defineIntConstant(node.output(0), t);
    } else {
      return nodeError(node, "only float and int64 values are supported");
    }
    return llvm::Error::success();
  }

  if (op == "Identity") {
    if (pending.count(node.input(0))) // zero points shared by PyTorch
      return llvm::Error::success();
    if (initializers.count(node.input(0))) {
      initializers[node.output(0)] = initializers[node.input(0)];
      return llvm::Error::success();
    }
    auto x = in(0);
    if (!x)
      return x.takeError();
    values[node.output(0)] = *x;
    return llvm::Error::success();
  }
  if (op == "Constant") {
    const onnx::AttributeProto *value = attr(node, "value");
    if (!value || !value->has_t())
      return nodeError(node, "only tensor 'value' constants are supported");
    // Keep it as an initializer: consumers decide how to use it.
    auto *copy = new onnx::TensorProto(value->t());
    ownedTensors.emplace_back(copy);
    initializers[node.output(0)] = copy;
    return llvm::Error::success();
  }
  if (op == "QLinearConv" || op == "QLinearMatMul")
    return importQLinear(node);
  if (op == "QuantizeLinear" || op == "DequantizeLinear") {
    if (node.input_size() < 2)
      return nodeError(node, "needs a scale");
    auto scale = constantOf(node.input(1));
    if (!scale)
      return nodeError(node, "scale must be a constant");
    DenseElementsAttr zp;
    if (node.input_size() > 2) {
      std::string zpName = node.input(2);
      while (!initializers.count(zpName) && identityOf.count(zpName))
        zpName = identityOf[zpName];
      auto z = constantOf(zpName);
      if (!z)
        return nodeError(node, "zero point must be a constant");
      zp = *z;
    }
    const onnx::AttributeProto *axisAttr = attr(node, "axis");
    int64_t axis = axisAttr ? axisAttr->i() : 1;
    // An integer initializer behind a DequantizeLinear (ONNX Runtime's QDQ
    // weights and int32 biases) is dequantized here.
    if (op == "DequantizeLinear" && intTensor(node.input(0)))
      return importDequantizedConstant(node, node.input(0), node.output(0),
                                       *scale, zp, axis);
    // Per-axis parameters: the axis must name a dimension of the quantized
    // tensor (in ONNX's layout) with one scale per element.
    if (scale->getNumElements() > 1) {
      std::optional<Entry> quantized;
      if (op == "QuantizeLinear") {
        auto x = in(0);
        if (!x)
          return x.takeError();
        quantized = *x;
      } else if (auto it = pending.find(node.input(0)); it != pending.end()) {
        quantized = it->second.input;
      }
      if (quantized) {
        auto plain = typeOf(asPlain(*quantized).value);
        int64_t rank = plain.getRank();
        if (axis < -rank || axis >= rank)
          return nodeError(node, "axis " + llvm::Twine(axis) +
                                     " is out of range for a rank-" +
                                     llvm::Twine(rank) + " tensor");
        axis = axis < 0 ? axis + rank : axis;
        if (plain.getDimSize(axis) != scale->getNumElements())
          return nodeError(node, llvm::formatv(
                                     "{0} scales for dimension {1} of size {2}",
                                     scale->getNumElements(), axis,
                                     plain.getDimSize(axis)));
      }
    }
    auto qtype = quantType(*scale, zp, axis, &context,
                           "'" + path + "': node '" + node.name() + "' (" + node.op_type() + ")");
    if (!qtype)
      return qtype.takeError();
    if (op == "QuantizeLinear") {
      auto x = in(0);
      if (!x)
        return x.takeError();
      pending[node.output(0)] = PendingQuantize{*x, *qtype};
      return llvm::Error::success();
    }
    auto it = pending.find(node.input(0));
    if (it == pending.end())
      return nodeError(node, "DequantizeLinear of '" + node.input(0) +
                                 "', which is not a QuantizeLinear output; "
                                 "integer inputs are not supported");
    if (it->second.qtype != *qtype)
      return nodeError(node, "parameters differ from its QuantizeLinear's");
    Entry x = it->second.input;
    Type qt = *qtype;
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qt)) {
      int32_t a = perAxis.getQuantizedDimension();
      if (a < 0)
        a += typeOf(x.value).getRank();
      if (x.nhwc) // ONNX's axis refers to NCHW
        a = a == 0 ? 0 : a == 1 ? 3 : a - 1;
      qt = quant::UniformQuantizedPerAxisType::get(
          perAxis.getFlags(), perAxis.getStorageType(),
          perAxis.getExpressedType(), perAxis.getScales(),
          perAxis.getZeroPoints(), a, perAxis.getStorageTypeMin(),
          perAxis.getStorageTypeMax());
    }
    return define(FakeQuantOp::create(builder, loc, x.value.getType(),
                                      x.value, qt),
                  x.nhwc);
  }
  if (op == "Relu") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    return define(tosa::ClampOp::create(
                      builder, loc, x->value.getType(), x->value,
                      builder.getF32FloatAttr(0.0f),
                      builder.getF32FloatAttr(
                          std::numeric_limits<float>::max())),
                  x->nhwc);
  }
  if (op == "Add" || op == "Div" || op == "Mul" || op == "Sub" ||
      op == "Sum") {
    if (node.input_size() < 1 || (op != "Sum" && node.input_size() != 2))
      return nodeError(node, "needs 2 inputs");
    // Operands: constants stay attributes until the layout is known.
    struct Operand {
      Entry entry;
      DenseElementsAttr constant;
      SmallVector<int64_t> shape; ///< in ONNX's layout
    };
    SmallVector<Operand> operands;
    for (int i = 0; i < node.input_size(); ++i) {
      Operand o;
      if (node.input(i).empty())
        return nodeError(node, "input " + llvm::Twine(i) + " is missing");
      if (initializers.count(node.input(i)) && !values.count(node.input(i))) {
        auto c = constantOf(node.input(i));
        if (!c)
          return c.takeError();
        if (!isa<FloatType>(c->getElementType()))
          return nodeError(node, "constant '" + node.input(i) +
                                     "' is not floating point");
        o.constant = *c;
        llvm::append_range(o.shape, c->getType().getShape());
      } else {
        auto e = in(i);
        if (!e)
          return e.takeError();
        o.entry = *e;
        llvm::append_range(o.shape, typeOf(e->value).getShape());
        if (e->nhwc)
          o.shape = {o.shape[0], o.shape[3], o.shape[1], o.shape[2]};
      }
      operands.push_back(std::move(o));
    }
    // ONNX (numpy) broadcasting: align ranks from the right; each pair of
    // dimensions is equal or one of them is 1.
    SmallVector<int64_t> shape;
    for (const Operand &o : operands) {
      SmallVector<int64_t> next(std::max(shape.size(), o.shape.size()), 1);
      for (size_t i = 0; i < next.size(); ++i) {
        int64_t x = i < next.size() - shape.size()
                        ? 1
                        : shape[i - (next.size() - shape.size())];
        int64_t y = i < next.size() - o.shape.size()
                        ? 1
                        : o.shape[i - (next.size() - o.shape.size())];
        if (x != y && x != 1 && y != 1)
          return nodeError(node, "operand shapes do not broadcast");
        next[i] = x == 1 ? y : x;
      }
      shape = std::move(next);
    }
    int64_t rank = static_cast<int64_t>(shape.size());
    // NHWC when every non-constant operand is (and the result is 4-D).
    bool nhwc = rank == 4;
    bool anyValue = false;
    for (const Operand &o : operands)
      if (!o.constant) {
        anyValue = true;
        nhwc &= o.entry.nhwc;
      }
    nhwc &= anyValue;
    SmallVector<Value> vals;
    for (auto [i, o] : llvm::enumerate(operands)) {
      SmallVector<int64_t> aligned(rank - o.shape.size(), 1);
      llvm::append_range(aligned, o.shape);
      if (o.constant) {
        DenseElementsAttr k = o.constant;
        if (op == "Div" && i == 1) { // x / k -> x * (1 / k)
          SmallVector<float> inv;
          for (double v : doubles(k))
            inv.push_back(static_cast<float>(1.0 / v));
          k = DenseElementsAttr::get(
              RankedTensorType::get(k.getType().getShape(),
                                    builder.getF32Type()),
              ArrayRef<float>(inv));
        } else if (!k.getElementType().isF32()) {
          SmallVector<float> f;
          for (double v : doubles(k))
            f.push_back(static_cast<float>(v));
          k = DenseElementsAttr::get(
              RankedTensorType::get(k.getType().getShape(),
                                    builder.getF32Type()),
              ArrayRef<float>(f));
        }
        k = k.reshape(RankedTensorType::get(aligned, builder.getF32Type()));
        if (nhwc)
          k = permuteConstant(k, {0, 2, 3, 1});
        vals.push_back(f32Const(k));
        continue;
      }
      Entry e = nhwc ? o.entry : asPlain(o.entry);
      Value v = e.value;
      if (static_cast<int64_t>(o.shape.size()) != rank)
        v = reshape(v, aligned);
      if (op == "Div" && i == 1) // x / y -> x * (1 / y)
        v = tosa::ReciprocalOp::create(builder, loc, v.getType(), v);
      vals.push_back(v);
    }
    SmallVector<int64_t> resultShape = shape;
    if (nhwc)
      resultShape = {shape[0], shape[2], shape[3], shape[1]};
    auto t = RankedTensorType::get(resultShape, builder.getF32Type());
    Value r = vals[0];
    for (size_t i = 1; i < vals.size(); ++i) {
      if (op == "Add" || op == "Sum")
        r = tosa::AddOp::create(builder, loc, t, r, vals[i]);
      else if (op == "Sub")
        r = tosa::SubOp::create(builder, loc, t, r, vals[i]);
      else
        r = tosa::MulOp::create(builder, loc, t, r, vals[i], i8Zero());
    }
    if (vals.size() == 1 && typeOf(r).getShape() != ArrayRef(resultShape))
      return nodeError(node, "a Sum of one input must not broadcast");
    return define(r, nhwc);
  }
  if (op == "BatchNormalization") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    SmallVector<SmallVector<double>> p;
    for (int i = 1; i <= 4; ++i) {
      auto c = constantOf(node.input(i));
      if (!c)
        return nodeError(node, "parameters must be constants");
      p.push_back(doubles(*c));
      if (p.back().size() != p.front().size())
        return nodeError(node, "parameter " + llvm::Twine(i) + " has " +
                                   llvm::Twine(p.back().size()) +
                                   " values but the scale has " +
                                   llvm::Twine(p.front().size()));
    }
    if (const onnx::AttributeProto *t = attr(node, "training_mode");
        t && t->i() != 0)
      return nodeError(node, "training_mode=1 is not supported (inference "
                             "only: export the model in eval mode)");
    const onnx::AttributeProto *eps = attr(node, "epsilon");
    double epsilon = eps ? eps->f() : 1e-5;
    int64_t c = static_cast<int64_t>(p[0].size());
    SmallVector<float> scale, shift;
    for (int64_t i = 0; i < c; ++i) {
      double k = p[0][i] / std::sqrt(p[3][i] + epsilon);
      scale.push_back(static_cast<float>(k));
      shift.push_back(static_cast<float>(p[1][i] - p[2][i] * k));
    }
    *x = asNHWC(*x);
    if (!x->nhwc)
      return nodeError(node, "needs a 4-D NCHW input");
    auto kType = RankedTensorType::get({1, 1, 1, c}, builder.getF32Type());
    Type t = x->value.getType();
    Value m = tosa::MulOp::create(
        builder, loc, t, x->value,
        f32Const(DenseElementsAttr::get(kType, ArrayRef<float>(scale))),
        i8Zero());
    return define(
        tosa::AddOp::create(
            builder, loc, t, m,
            f32Const(DenseElementsAttr::get(kType, ArrayRef<float>(shift)))),
        true);
  }
  if (op == "Conv") {
    auto x = in(0);
    auto w = in(1);
    if (!x)
      return x.takeError();
    if (!w)
      return w.takeError();
    *x = asNHWC(*x);
    if (!x->nhwc)
      return nodeError(node, "needs a 4-D NCHW input");
    const onnx::AttributeProto *groupAttr = attr(node, "group");
    int64_t group = groupAttr ? groupAttr->i() : 1;
    auto wType = typeOf(w->value); // OIHW
    int64_t o = wType.getDimSize(0), kh = wType.getDimSize(2),
            kw = wType.getDimSize(3);
    int64_t channels = typeOf(x->value).getDimSize(3);
    if (group < 1)
      return nodeError(node, "group must be at least 1");
    if (group != 1 && !(group == channels && wType.getDimSize(1) == 1))
      return importGroupedConv(node, *x, *w, group);
    bool depthwise = group != 1;
    if (depthwise && o % channels != 0)
      return nodeError(node, "a depthwise convolution's output channels "
                             "must be a multiple of its input channels");
    if (!depthwise && wType.getDimSize(1) != channels)
      return nodeError(node, llvm::formatv("weights expect {0} input "
                                           "channels, the input has {1}",
                                           wType.getDimSize(1), channels));
    int64_t multiplier = depthwise ? o / channels : 1;
    // conv2d wants OHWI; depthwise_conv2d wants HWCM (O = C * M).
    auto newType = depthwise ? wType.clone({kh, kw, channels, multiplier})
                             : wType.clone({o, kh, kw, wType.getDimSize(1)});
    if (depthwise && multiplier != 1 &&
        isa_and_nonnull<FakeQuantOp>(w->value.getDefiningOp()))
      return nodeError(node, "quantized depthwise weights need a channel "
                             "multiplier of 1");
    auto weight = rebuildWeight(
        w->value, newType,
        [&](DenseElementsAttr a) {
          if (!depthwise)
            return permuteConstant(a, {0, 2, 3, 1});
          auto cm = a.reshape(cast<RankedTensorType>(a.getType()).clone(
              {channels, multiplier, kh, kw}));
          return permuteConstant(cm, {2, 3, 0, 1});
        },
        [&](int32_t axis) -> int32_t {
          if (depthwise)
            return axis == 0 ? 2 : axis;
          return axis == 0 ? 0 : axis == 1 ? 3 : axis - 1;
        },
        node);
    if (!weight)
      return weight.takeError();
    Value bias;
    if (node.input_size() > 2 && !node.input(2).empty()) {
      auto b = constantOf(node.input(2));
      if (!b)
        return nodeError(node, "bias must be a constant");
      if (b->getNumElements() != o || !b->getElementType().isF32())
        return nodeError(node, llvm::formatv("the bias has {0} values of "
                                             "type {1}; the convolution has "
                                             "{2} f32 output channels",
                                             b->getNumElements(),
                                             b->getElementType(), o));
      bias = f32Const(b->reshape(RankedTensorType::get({o},
                                                       builder.getF32Type())));
    } else {
      bias = f32Const(DenseElementsAttr::get(
          RankedTensorType::get({o}, builder.getF32Type()), 0.0f));
    }
    SmallVector<int64_t> strides = ints(node, "strides", {1, 1});
    SmallVector<int64_t> dilations = ints(node, "dilations", {1, 1});
    auto window = fitWindow(node, x->value, {kh, kw}, strides, dilations,
                            /*allowCeil=*/false);
    if (!window)
      return window.takeError();
    auto xType = typeOf(x->value); // NHWC
    auto outType =
        xType.clone({xType.getDimSize(0), window->size[0], window->size[1], o});
    auto padAttr = builder.getDenseI64ArrayAttr(window->pad);
    Value y =
        depthwise
            ? Value(tosa::DepthwiseConv2DOp::create(
                  builder, loc, outType, window->input, *weight, bias,
                  zeroPoint(),
                  zeroPoint(), padAttr, builder.getDenseI64ArrayAttr(strides),
                  builder.getDenseI64ArrayAttr(dilations),
                  TypeAttr::get(builder.getF32Type())))
            : Value(tosa::Conv2DOp::create(
                  builder, loc, outType, window->input, *weight, bias,
                  zeroPoint(),
                  zeroPoint(), padAttr, builder.getDenseI64ArrayAttr(strides),
                  builder.getDenseI64ArrayAttr(dilations),
                  TypeAttr::get(builder.getF32Type())));
    return define(y, true);
  }
  if (op == "MaxPool") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    *x = asNHWC(*x);
    if (!x->nhwc)
      return nodeError(node, "needs a 4-D NCHW input");
    SmallVector<int64_t> kernel = ints(node, "kernel_shape", {});
    SmallVector<int64_t> strides = ints(node, "strides", {1, 1});
    SmallVector<int64_t> dilations = ints(node, "dilations", {1, 1});
    if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
      return nodeError(node, "dilated max pooling is not supported");
    if (node.output_size() > 1 && !node.output(1).empty())
      return nodeError(node, "the Indices output is not supported");
    auto window = fitWindow(node, x->value, kernel, strides, dilations,
                            /*allowCeil=*/true);
    if (!window)
      return window.takeError();
    auto xType = typeOf(x->value);
    Value y = tosa::MaxPool2dOp::create(
        builder, loc,
        xType.clone({xType.getDimSize(0), window->size[0], window->size[1],
                     xType.getDimSize(3)}),
        window->input, builder.getDenseI64ArrayAttr(kernel),
        builder.getDenseI64ArrayAttr(strides),
        builder.getDenseI64ArrayAttr(window->pad));
    return define(y, true);
  }
  if (op == "Flatten") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    const onnx::AttributeProto *axisAttr = attr(node, "axis");
    if (axisAttr && axisAttr->i() != 1)
      return nodeError(node, "only axis 1 is supported");
    Value v = x->nhwc ? toNCHW(x->value) : x->value;
    auto t = typeOf(v);
    if (t.getRank() < 1 || t.getNumElements() == 0)
      return nodeError(node, "needs a non-empty input of rank 1 or more");
    int64_t rest = t.getNumElements() / t.getDimSize(0);
    return define(reshape(v, {t.getDimSize(0), rest}), false);
  }
  if (op == "Gemm") {
    auto a = in(0);
    auto b = in(1);
    if (!a)
      return a.takeError();
    if (!b)
      return b.takeError();
    for (StringRef n : {"alpha", "beta"})
      if (const onnx::AttributeProto *s = attr(node, n); s && s->f() != 1.0f)
        return nodeError(node, n + " other than 1 is not supported");
    if (const onnx::AttributeProto *t = attr(node, "transA"); t && t->i())
      return nodeError(node, "transA is not supported");
    const onnx::AttributeProto *tb = attr(node, "transB");
    bool transB = tb && tb->i();
    auto aType = typeOf(a->value);
    auto bType = typeOf(b->value);
    int64_t m = aType.getDimSize(0), k = aType.getDimSize(1);
    int64_t n = transB ? bType.getDimSize(0) : bType.getDimSize(1);
    auto weight = rebuildWeight(
        b->value, bType.clone({1, k, n}),
        [&](DenseElementsAttr attr) {
          return transB ? permuteConstant(attr, {1, 0}) : attr;
        },
        [&](int32_t axis) { return (transB ? 1 - axis : axis) + 1; }, node);
    if (!weight)
      return weight.takeError();
    Value a3 = reshape(a->value, {1, m, k});
    Value y = tosa::MatMulOp::create(builder, loc, aType.clone({1, m, n}), a3,
                                     *weight, zeroPoint(), zeroPoint());
    if (node.input_size() > 2 && !node.input(2).empty()) {
      auto c = constantOf(node.input(2));
      if (!c)
        return nodeError(node, "bias must be a constant");
      auto bias = gemmBias(*c, m, n);
      if (!bias)
        return nodeError(node, llvm::toString(bias.takeError()));
      y = tosa::AddOp::create(builder, loc, y.getType(), y, f32Const(*bias));
    }
    return define(reshape(y, {m, n}), false);
  }
  if (op == "Clip") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    float lo = std::numeric_limits<float>::lowest();
    float hi = std::numeric_limits<float>::max();
    for (int i : {1, 2}) {
      if (node.input_size() <= i || node.input(i).empty())
        continue;
      auto c = scalarConstant(node, i, i == 1 ? "min" : "max");
      if (!c)
        return c.takeError();
      (i == 1 ? lo : hi) = static_cast<float>(*c);
    }
    if (!(lo <= hi))
      return nodeError(node, llvm::formatv("min {0} is above max {1}", lo, hi));
    return define(tosa::ClampOp::create(builder, loc, x->value.getType(),
                                        x->value, builder.getF32FloatAttr(lo),
                                        builder.getF32FloatAttr(hi)),
                  x->nhwc);
  }
  if (op == "LeakyRelu") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    const onnx::AttributeProto *alphaAttr = attr(node, "alpha");
    float alpha = alphaAttr ? alphaAttr->f() : 0.01f;
    if (alpha < 0 || alpha > 1)
      return nodeError(node, "alpha outside [0, 1] is not supported");
    Type t = x->value.getType();
    Value scaled = tosa::MulOp::create(
        builder, loc, t, x->value, scalarLike(alpha, typeOf(x->value).getRank()),
        i8Zero());
    return define(tosa::MaximumOp::create(builder, loc, t, x->value, scaled),
                  x->nhwc);
  }
  if (op == "HardSigmoid" || op == "HardSwish") {
    // max(0, min(1, alpha * x + beta)); HardSwish multiplies by x (alpha
    // 1/6, beta 1/2).
    auto x = in(0);
    if (!x)
      return x.takeError();
    float alpha = 1.0f / 6.0f, beta = 0.5f;
    if (op == "HardSigmoid") {
      alpha = 0.2f;
      if (const onnx::AttributeProto *a = attr(node, "alpha"))
        alpha = a->f();
      if (const onnx::AttributeProto *b = attr(node, "beta"))
        beta = b->f();
    }
    auto t = typeOf(x->value);
    Value y = tosa::MulOp::create(builder, loc, t, x->value,
                                  scalarLike(alpha, t.getRank()), i8Zero());
    y = tosa::AddOp::create(builder, loc, t, y, scalarLike(beta, t.getRank()));
    y = tosa::ClampOp::create(builder, loc, t, y, builder.getF32FloatAttr(0),
                              builder.getF32FloatAttr(1));
    if (op == "HardSwish")
      y = tosa::MulOp::create(builder, loc, t, x->value, y, i8Zero());
    return define(y, x->nhwc);
  }
  if (op == "Dropout") {
    // Inference: the identity. The mask output is not produced.
    if (node.output_size() > 1 && !node.output(1).empty())
      return nodeError(node, "the mask output is not supported");
    if (node.input_size() > 2 && !node.input(2).empty()) {
      auto c = constantOf(node.input(2));
      if (!c)
        return nodeError(node, "training_mode must be a constant");
      if (llvm::any_of(doubles(*c), [](double v) { return v != 0; }))
        return nodeError(node, "training_mode=1 is not supported");
    }
    auto x = in(0);
    if (!x)
      return x.takeError();
    values[node.output(0)] = *x;
    return llvm::Error::success();
  }
  if (op == "Resize" || op == "Upsample") {
    // Nearest-neighbour upsampling by integer factors of H and W, where
    // every coordinate rule in use gives out[i] = in[floor(i / s)]: a tile
    // of each element. Other modes are refused.
    auto xe = nhwcInput(node, 0);
    if (!xe)
      return xe.takeError();
    Entry x = *xe;
    auto str = [&](StringRef name, StringRef dflt) -> std::string {
      const onnx::AttributeProto *a = attr(node, name);
      return a ? a->s() : dflt.str();
    };
    std::string mode = str("mode", "nearest");
    std::string coords = str("coordinate_transformation_mode", "half_pixel");
    std::string nearest = str("nearest_mode", "round_prefer_floor");
    if (mode != "nearest")
      return nodeError(node, "mode '" + mode + "' is not supported (only "
                             "nearest)");
    if (coords != "asymmetric" && coords != "half_pixel" &&
        coords != "pytorch_half_pixel")
      return nodeError(node, "coordinate_transformation_mode '" + coords +
                                 "' is not supported");
    if (coords == "asymmetric" && nearest != "floor")
      return nodeError(node, "asymmetric coordinates need nearest_mode "
                             "floor");
    auto t = typeOf(x.value);
    // ONNX's NCHW factors, from `scales` or `sizes` (Resize) or the second
    // input (Upsample).
    SmallVector<double> factors;
    int scalesInput = op == "Upsample" ? 1 : 2;
    if (node.input_size() > scalesInput && !node.input(scalesInput).empty()) {
      auto c = constantOf(node.input(scalesInput));
      if (!c)
        return nodeError(node, "the scales must be a constant");
      factors = doubles(*c);
    }
    if (factors.empty() && op == "Resize" && node.input_size() > 3 &&
        !node.input(3).empty()) {
      auto sizes = intConstant(node.input(3), node);
      if (!sizes)
        return sizes.takeError();
      SmallVector<int64_t> in{t.getDimSize(0), t.getDimSize(3),
                              t.getDimSize(1), t.getDimSize(2)};
      if (sizes->size() != 4)
        return nodeError(node, "needs 4 sizes");
      for (int d = 0; d < 4; ++d)
        factors.push_back(static_cast<double>((*sizes)[d]) / in[d]);
    }
    if (factors.size() != 4)
      return nodeError(node, "needs 4 scales or sizes");
    if (factors[0] != 1 || factors[1] != 1)
      return nodeError(node, "only H and W can be resized");
    for (int d = 2; d < 4; ++d)
      if (!(factors[d] >= 1 && factors[d] <= 1024))
        return nodeError(node, llvm::formatv("upsampling factor {0} is not "
                                             "in [1, 1024]",
                                             factors[d]));
    int64_t sh = static_cast<int64_t>(factors[2]),
            sw = static_cast<int64_t>(factors[3]);
    if (sh < 1 || sw < 1 || sh != factors[2] || sw != factors[3])
      return nodeError(node, llvm::formatv("only integer upsampling factors "
                                           "are supported, got {0} x {1}",
                                           factors[2], factors[3]));
    int64_t n = t.getDimSize(0), h = t.getDimSize(1), w = t.getDimSize(2),
            c = t.getDimSize(3);
    Value v = reshape(x.value, {n, h, 1, w, 1, c});
    v = tosa::TileOp::create(builder, loc,
                             t.clone({n, h, sh, w, sw, c}), v,
                             shapeConst({1, 1, sh, 1, sw, 1}));
    return define(reshape(v, {n, h * sh, w * sw, c}), true);
  }
  if (op == "LRN") {
    // y = x / (bias + alpha / size * sum of x^2 over `size` channels
    // around c)^beta. The channel window sum is a conv with ones over the
    // channels laid out as a spatial dimension.
    auto xe = nhwcInput(node, 0);
    if (!xe)
      return xe.takeError();
    Entry x = *xe;
    const onnx::AttributeProto *sizeAttr = attr(node, "size");
    if (!sizeAttr || sizeAttr->i() < 1)
      return nodeError(node, "needs a positive size");
    int64_t size = sizeAttr->i();
    float alpha = 1e-4f, beta = 0.75f, bias = 1.0f;
    if (const onnx::AttributeProto *a = attr(node, "alpha"))
      alpha = a->f();
    if (const onnx::AttributeProto *a = attr(node, "beta"))
      beta = a->f();
    if (const onnx::AttributeProto *a = attr(node, "bias"))
      bias = a->f();
    auto t = typeOf(x.value);
    int64_t n = t.getDimSize(0), h = t.getDimSize(1), w = t.getDimSize(2),
            c = t.getDimSize(3);
    Value sq = tosa::MulOp::create(builder, loc, t, x.value, x.value, i8Zero());
    Value rows = reshape(sq, {n, h * w, c, 1});
    auto onesType = RankedTensorType::get({1, 1, size, 1}, builder.getF32Type());
    Value ones = f32Const(DenseElementsAttr::get(onesType, 1.0f));
    Value noBias = f32Const(DenseElementsAttr::get(
        RankedTensorType::get({1}, builder.getF32Type()), 0.0f));
    int64_t before = (size - 1) / 2, after = size - 1 - before;
    Value sums = tosa::Conv2DOp::create(
        builder, loc, typeOf(rows), rows, ones, noBias, zeroPoint(),
        zeroPoint(), builder.getDenseI64ArrayAttr({0, 0, before, after}),
        builder.getDenseI64ArrayAttr({1, 1}),
        builder.getDenseI64ArrayAttr({1, 1}),
        TypeAttr::get(builder.getF32Type()));
    sums = reshape(sums, {n, h, w, c});
    Value scaled = tosa::MulOp::create(builder, loc, t, sums,
                                       scalarLike(alpha / size, 4), i8Zero());
    scaled = tosa::AddOp::create(builder, loc, t, scaled, scalarLike(bias, 4));
    Value powered = tosa::PowOp::create(builder, loc, t, scaled,
                                        scalarLike(beta, 4));
    Value inv = tosa::ReciprocalOp::create(builder, loc, t, powered);
    return define(tosa::MulOp::create(builder, loc, t, x.value, inv, i8Zero()),
                  true);
  }
  if (op == "Gather") {
    // On an activation with constant indices (a class token x[:, 0], a
    // channel selection): one slice per index, concatenated; a scalar index
    // drops the axis. (Integer constants fold before this.)
    auto xe = in(0);
    if (!xe)
      return xe.takeError();
    Entry x = asPlain(*xe);
    auto t = typeOf(x.value);
    int64_t rank = t.getRank();
    std::optional<IntTensor> indices = intTensor(node.input(1));
    if (!indices)
      return nodeError(node, "the indices must be an integer constant");
    if (indices->shape.size() > 1)
      return nodeError(node, "indices of rank above 1 are not supported");
    const onnx::AttributeProto *axisAttr = attr(node, "axis");
    int64_t axis = axisAttr ? axisAttr->i() : 0;
    if (axis < -rank || axis >= rank)
      return nodeError(node, "axis " + llvm::Twine(axis) + " is out of range");
    axis = axis < 0 ? axis + rank : axis;
    int64_t dim = t.getDimSize(axis);
    SmallVector<Value> parts;
    for (int64_t index : indices->data) {
      if (index < -dim || index >= dim)
        return nodeError(node, llvm::formatv("index {0} is out of range for a "
                                             "dimension of {1}",
                                             index, dim));
      SmallVector<int64_t> start(rank, 0), size(t.getShape());
      start[axis] = index < 0 ? index + dim : index;
      size[axis] = 1;
      parts.push_back(tosa::SliceOp::create(builder, loc, t.clone(size),
                                            x.value, shapeConst(start),
                                            shapeConst(size)));
    }
    if (parts.empty())
      return nodeError(node, "no indices");
    SmallVector<int64_t> shape(t.getShape());
    shape[axis] = static_cast<int64_t>(parts.size());
    Value y = parts.size() == 1
                  ? parts[0]
                  : Value(tosa::ConcatOp::create(builder, loc, t.clone(shape),
                                                 parts,
                                                 builder.getI32IntegerAttr(
                                                     static_cast<int32_t>(axis))));
    if (indices->shape.empty()) { // a scalar index drops the axis
      shape.erase(shape.begin() + axis);
      y = reshape(y, shape);
    }
    return define(y, false);
  }
  if (op == "Split") {
    // Consecutive slices along one axis: sizes from the `split` input
    // (opset 13) or equal parts.
    auto x = in(0);
    if (!x)
      return x.takeError();
    auto t = typeOf(x->value);
    int64_t rank = t.getRank();
    const onnx::AttributeProto *axisAttr = attr(node, "axis");
    int64_t axis = axisAttr ? axisAttr->i() : 0;
    if (axis < -rank || axis >= rank)
      return nodeError(node, "axis " + llvm::Twine(axis) + " is out of range");
    axis = axis < 0 ? axis + rank : axis;
    int64_t h = x->nhwc ? (axis == 0 ? 0 : axis == 1 ? 3 : axis - 1) : axis;
    int64_t dim = t.getDimSize(h), parts = node.output_size();
    SmallVector<int64_t> sizes;
    if (node.input_size() > 1 && !node.input(1).empty()) {
      auto sp = intConstant(node.input(1), node);
      if (!sp)
        return sp.takeError();
      sizes = *sp;
    } else if (const onnx::AttributeProto *a = attr(node, "split")) {
      sizes.assign(a->ints().begin(), a->ints().end());
    } else {
      if (parts < 1 || dim % parts != 0)
        return nodeError(node, llvm::formatv("cannot split {0} into {1} equal "
                                             "parts",
                                             dim, parts));
      sizes.assign(parts, dim / parts);
    }
    int64_t total = 0;
    for (int64_t v : sizes) {
      if (v < 1)
        return nodeError(node, "split sizes must be positive");
      total += v;
    }
    if (static_cast<int64_t>(sizes.size()) != parts || total != dim)
      return nodeError(node, llvm::formatv("split sizes must be {0} and add "
                                           "up to {1}",
                                           parts, dim));
    int64_t offset = 0;
    for (int64_t i = 0; i < parts; ++i) {
      SmallVector<int64_t> start(rank, 0), size(t.getShape());
      start[h] = offset;
      size[h] = sizes[i];
      offset += sizes[i];
      Value part = tosa::SliceOp::create(builder, loc, t.clone(size),
                                         x->value, shapeConst(start),
                                         shapeConst(size));
      values[node.output(i)] = Entry{part, x->nhwc};
    }
    return llvm::Error::success();
  }
  if (op == "Slice") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    auto starts = intConstant(node.input(1), node);
    if (!starts)
      return starts.takeError();
    auto ends = intConstant(node.input(2), node);
    if (!ends)
      return ends.takeError();
    auto t = typeOf(x->value);
    int64_t rank = t.getRank();
    SmallVector<int64_t> axes;
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(static_cast<int64_t>(i));
    if (node.input_size() > 3 && !node.input(3).empty()) {
      auto a = intConstant(node.input(3), node);
      if (!a)
        return a.takeError();
      axes = *a;
    }
    SmallVector<int64_t> steps(starts->size(), 1);
    if (node.input_size() > 4 && !node.input(4).empty()) {
      auto st = intConstant(node.input(4), node);
      if (!st)
        return st.takeError();
      steps = *st;
      if (llvm::any_of(steps, [](int64_t v) { return v < 1; }))
        return nodeError(node, "only positive steps are supported");
    }
    if (ends->size() != starts->size() || axes.size() != starts->size() ||
        steps.size() != starts->size())
      return nodeError(node, "starts, ends, axes and steps differ in length");
    // Dimension d of ONNX's layout is dimension held[d] of the value.
    auto held = [&](int64_t d) {
      return x->nhwc ? (d == 0 ? 0 : d == 1 ? 3 : d - 1) : d;
    };
    SmallVector<int64_t> start(rank, 0), size(t.getShape()), step(rank, 1);
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (a < 0 || a >= rank)
        return nodeError(node, "axis " + llvm::Twine(axes[i]) +
                                   " is out of range");
      int64_t h = held(a), dim = t.getDimSize(h);
      int64_t b = (*starts)[i], e = (*ends)[i];
      b = std::clamp<int64_t>(b < 0 ? b + dim : b, 0, dim);
      e = std::clamp<int64_t>(e < 0 ? e + dim : e, 0, dim);
      if (e <= b)
        return nodeError(node, "an empty slice is not supported");
      start[h] = b;
      size[h] = e - b;
      step[h] = steps[i];
    }
    Value y = tosa::SliceOp::create(builder, loc, t.clone(size), x->value,
                                    shapeConst(start), shapeConst(size));
    // A step s keeps every s-th element: pad the extent to a multiple of s,
    // split it into (count, s) and keep index 0 of each group.
    for (int64_t h = 0; h < rank; ++h) {
      int64_t s = step[h];
      if (s == 1)
        continue;
      auto yt = typeOf(y);
      int64_t count = (size[h] + s - 1) / s;
      if (count * s != size[h]) {
        SmallVector<int64_t> padding(2 * rank, 0), padded(yt.getShape());
        padding[2 * h + 1] = count * s - size[h];
        padded[h] = count * s;
        Value padValue = f32Const(DenseElementsAttr::get(
            RankedTensorType::get({1}, builder.getF32Type()), 0.0f));
        y = tosa::PadOp::create(builder, loc, yt.clone(padded), y,
                                shapeConst(padding), padValue);
        yt = typeOf(y);
      }
      SmallVector<int64_t> split(yt.getShape().take_front(h));
      split.append({count, s});
      llvm::append_range(split, yt.getShape().drop_front(h + 1));
      y = reshape(y, split);
      SmallVector<int64_t> first(split.size(), 0), keep(split);
      keep[h + 1] = 1;
      y = tosa::SliceOp::create(builder, loc, typeOf(y).clone(keep), y,
                                shapeConst(first), shapeConst(keep));
      SmallVector<int64_t> merged(yt.getShape());
      merged[h] = count;
      y = reshape(y, merged);
      size[h] = count;
    }
    return define(y, x->nhwc);
  }
  if (op == "ReduceMean") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    auto t = typeOf(x->value);
    int64_t rank = t.getRank();
    SmallVector<int64_t> axes = ints(node, "axes", {});
    if (node.input_size() > 1 && !node.input(1).empty()) {
      auto a = intConstant(node.input(1), node);
      if (!a)
        return a.takeError();
      axes = *a;
    }
    if (axes.empty())
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    bool keep = true;
    if (const onnx::AttributeProto *k = attr(node, "keepdims"))
      keep = k->i() != 0;
    SmallVector<int64_t> onnxShape(t.getShape());
    if (x->nhwc)
      onnxShape = {onnxShape[0], onnxShape[3], onnxShape[1], onnxShape[2]};
    Value y = x->value;
    SmallVector<int64_t> heldShape(t.getShape());
    int64_t count = 1;
    llvm::SmallDenseSet<int64_t> reduced;
    for (int64_t a : axes) {
      int64_t d = a < 0 ? a + rank : a;
      if (d < 0 || d >= rank || !reduced.insert(d).second)
        return nodeError(node, "axis " + llvm::Twine(a) +
                                   " is out of range or repeated");
      int64_t h = x->nhwc ? (d == 0 ? 0 : d == 1 ? 3 : d - 1) : d;
      count *= heldShape[h];
      heldShape[h] = 1;
      y = tosa::ReduceSumOp::create(builder, loc, t.clone(heldShape), y,
                                    builder.getI32IntegerAttr(h));
    }
    y = tosa::MulOp::create(builder, loc, t.clone(heldShape), y,
                            scalarLike(1.0f / static_cast<float>(count), rank),
                            i8Zero());
    if (keep)
      return define(y, x->nhwc);
    Entry e = asPlain(Entry{y, x->nhwc});
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < rank; ++d)
      if (!reduced.contains(d))
        shape.push_back(onnxShape[d]);
    return define(reshape(e.value, shape), false);
  }
  if (op == "Sigmoid" || op == "Tanh") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    Value y = op == "Sigmoid"
                  ? Value(tosa::SigmoidOp::create(builder, loc,
                                                  x->value.getType(), x->value))
                  : Value(tosa::TanhOp::create(builder, loc, x->value.getType(),
                                               x->value));
    return define(y, x->nhwc);
  }
  if (op == "Pad") {
    auto x = in(0);
    if (!x)
      return x.takeError();
    const onnx::AttributeProto *mode = attr(node, "mode");
    if (mode && mode->s() != "constant")
      return nodeError(node, "pad mode " + mode->s() + " is not supported");
    auto pads = intConstant(node.input(1), node);
    if (!pads)
      return pads.takeError();
    float value = 0.0f;
    if (node.input_size() > 2 && !node.input(2).empty()) {
      auto c = scalarConstant(node, 2, "the pad value");
      if (!c)
        return c.takeError();
      value = static_cast<float>(*c);
    }
    auto xType = typeOf(x->value);
    int64_t rank = xType.getRank();
    // Opset 18's `axes` input names the dimensions `pads` applies to; the
    // others get no padding.
    if (node.input_size() > 3 && !node.input(3).empty()) {
      auto axes = intConstant(node.input(3), node);
      if (!axes)
        return axes.takeError();
      if (pads->size() != 2 * axes->size())
        return nodeError(node, "needs 2 pads per entry of 'axes'");
      SmallVector<int64_t> full(2 * rank, 0);
      SmallVector<bool> seen(rank, false);
      for (auto [i, axis] : llvm::enumerate(*axes)) {
        int64_t a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank || seen[a])
          return nodeError(node, "axis " + llvm::Twine(axis) +
                                     " is out of range or repeated");
        seen[a] = true;
        full[a] = (*pads)[i];
        full[a + rank] = (*pads)[i + axes->size()];
      }
      *pads = std::move(full);
    }
    if (static_cast<int64_t>(pads->size()) != 2 * rank)
      return nodeError(node, "needs 2 pads per dimension");
    // TOSA: (before, after) per dimension of the value as held.
    SmallVector<int64_t> order;
    for (int64_t d = 0; d < rank; ++d)
      order.push_back(x->nhwc ? (d == 0 ? 0 : d == 3 ? 1 : d + 1) : d);
    SmallVector<int64_t> padding, shape;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t before = (*pads)[order[d]], after = (*pads)[order[d] + rank];
      if (before < 0 || after < 0)
        return nodeError(node, "negative pads are not supported");
      padding.append({before, after});
      shape.push_back(xType.getDimSize(d) + before + after);
    }
    Value padShape = tosa::ConstShapeOp::create(
        builder, loc, tosa::shapeType::get(&context, padding.size()),
        DenseIntElementsAttr::get(
            RankedTensorType::get({static_cast<int64_t>(padding.size())},
                                  builder.getIndexType()),
            padding));
    Value padValue = f32Const(DenseElementsAttr::get(
        RankedTensorType::get({1}, builder.getF32Type()), value));
    return define(tosa::PadOp::create(builder, loc, xType.clone(shape),
                                      x->value, padShape, padValue),
                  x->nhwc);
  }
  if (op == "AveragePool" || op == "GlobalAveragePool") {
    auto xe = nhwcInput(node, 0);
    if (!xe)
      return xe.takeError();
    Entry x = *xe;
    auto xType = typeOf(x.value);
    SmallVector<int64_t> kernel{xType.getDimSize(1), xType.getDimSize(2)};
    SmallVector<int64_t> strides{1, 1};
    bool includePad = false;
    if (op == "AveragePool") {
      kernel = ints(node, "kernel_shape", {});
      strides = ints(node, "strides", {1, 1});
      if (const onnx::AttributeProto *c = attr(node, "count_include_pad"))
        includePad = c->i() != 0;
    }
    SmallVector<int64_t> dilations = ints(node, "dilations", {1, 1});
    if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
      return nodeError(node, "dilated average pooling is not supported");
    auto window = fitWindow(node, x.value, kernel, strides, dilations,
                            /*allowCeil=*/true);
    if (!window)
      return window.takeError();
    // TOSA averages over the elements inside the input. count_include_pad
    // counts the node's pads too: they become real zeros, and only the
    // rows ceil_mode adds stay outside (as ONNX Runtime and PyTorch count).
    Value input = window->input;
    SmallVector<int64_t> pad = window->pad;
    if (includePad && llvm::any_of(window->onnxPad,
                                   [](int64_t p) { return p != 0; })) {
      SmallVector<int64_t> real(4);
      for (int i = 0; i < 4; ++i)
        real[i] = std::min(window->onnxPad[i], pad[i]);
      input = padNHWC(input, real);
      for (int i = 0; i < 4; ++i)
        pad[i] -= real[i];
    }
    Value y = tosa::AvgPool2dOp::create(
        builder, loc,
        xType.clone({xType.getDimSize(0), window->size[0], window->size[1],
                     xType.getDimSize(3)}),
        input, zeroPoint(), zeroPoint(), builder.getDenseI64ArrayAttr(kernel),
        builder.getDenseI64ArrayAttr(strides),
        builder.getDenseI64ArrayAttr(pad),
        TypeAttr::get(builder.getF32Type()));
    return define(y, true);
  }
  if (op == "Concat") {
    const onnx::AttributeProto *axisAttr = attr(node, "axis");
    if (!axisAttr)
      return nodeError(node, "needs an axis");
    SmallVector<Entry> inputs;
    bool allNHWC = true;
    for (int i = 0; i < node.input_size(); ++i) {
      auto e = in(i);
      if (!e)
        return e.takeError();
      allNHWC &= e->nhwc;
      inputs.push_back(*e);
    }
    int64_t rank = typeOf(inputs[0].value).getRank();
    int64_t axis = axisAttr->i() < 0 ? axisAttr->i() + rank : axisAttr->i();
    if (axis < 0 || axis >= rank)
      return nodeError(node, "axis out of range");
    if (allNHWC)
      axis = axis == 0 ? 0 : axis == 1 ? 3 : axis - 1;
    SmallVector<Value> operands;
    int64_t size = 0;
    for (Entry &e : inputs) {
      Value v = allNHWC ? e.value : asPlain(e).value;
      size += typeOf(v).getDimSize(axis);
      operands.push_back(v);
    }
    auto outType = typeOf(operands[0]);
    SmallVector<int64_t> shape(outType.getShape());
    shape[axis] = size;
    return define(tosa::ConcatOp::create(builder, loc, outType.clone(shape),
                                         operands,
                                         builder.getI32IntegerAttr(axis)),
                  allNHWC);
  }
  if (op == "Transpose") {
    auto xe = in(0);
    if (!xe)
      return xe.takeError();
    Entry x = asPlain(*xe);
    int64_t rank = typeOf(x.value).getRank();
    SmallVector<int64_t> perm = ints(node, "perm", {});
    if (perm.empty())
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    SmallVector<int32_t> perm32(perm.begin(), perm.end());
    return define(transpose(x.value, perm32), false);
  }
  if (op == "Reshape" || op == "Unsqueeze" || op == "Squeeze") {
    auto xe = in(0);
    if (!xe)
      return xe.takeError();
    Entry x = asPlain(*xe);
    auto xType = typeOf(x.value);
    SmallVector<int64_t> shape;
    if (op == "Reshape") {
      auto target = intConstant(node.input(1), node);
      if (!target)
        return target.takeError();
      int64_t known = 1, infer = -1;
      for (auto [i, d] : llvm::enumerate(*target)) {
        if (d == 0 && static_cast<int64_t>(i) >= xType.getRank())
          return nodeError(node, "shape entry " + Twine(i) +
                                     " copies a dimension the input lacks");
        int64_t dim = d == 0 ? xType.getDimSize(i) : d;
        if (dim == -1 && infer < 0) {
          infer = static_cast<int64_t>(i);
          shape.push_back(1);
          continue;
        }
        if (dim < 1 || dim > xType.getNumElements() ||
            known > xType.getNumElements() / dim)
          return nodeError(node, "shape entry " + Twine(i) + " (" +
                                     Twine(d) + ") does not fit the input's " +
                                     Twine(xType.getNumElements()) +
                                     " elements");
        shape.push_back(dim);
        known *= dim;
      }
      if (infer >= 0)
        shape[infer] = xType.getNumElements() / std::max<int64_t>(known, 1);
      int64_t total = 1;
      for (int64_t d : shape)
        total *= d;
      if (total != xType.getNumElements())
        return nodeError(node, "the shape does not hold the input's " +
                                   Twine(xType.getNumElements()) +
                                   " elements");
    } else {
      SmallVector<int64_t> axes;
      if (node.input_size() > 1 && !node.input(1).empty()) {
        auto a = intConstant(node.input(1), node);
        if (!a)
          return a.takeError();
        axes = *a;
      }
      int64_t outRank = xType.getRank() +
                        (op == "Unsqueeze" ? static_cast<int64_t>(axes.size()) : 0);
      for (int64_t &a : axes)
        if (a < 0)
          a += op == "Unsqueeze" ? outRank : xType.getRank();
      if (op == "Unsqueeze") {
        for (int64_t d = 0, src = 0; d < outRank; ++d)
          shape.push_back(llvm::is_contained(axes, d) ? 1
                                                      : xType.getDimSize(src++));
      } else {
        for (int64_t d = 0; d < xType.getRank(); ++d) {
          bool drop = axes.empty() ? xType.getDimSize(d) == 1
                                   : llvm::is_contained(axes, d);
          if (drop && xType.getDimSize(d) != 1)
            return nodeError(node, "cannot squeeze a dimension of size " +
                                       llvm::Twine(xType.getDimSize(d)));
          if (!drop)
            shape.push_back(xType.getDimSize(d));
        }
      }
    }
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    if (n != xType.getNumElements())
      return nodeError(node, "cannot reshape " + llvm::Twine(xType.getNumElements()) +
                                 " elements to the requested shape");
    return define(reshape(x.value, shape), false);
  }
  if (op == "DynamicQuantizeLinear")
    return importDynamicQuantizeLinear(node);
  if (op == "MatMulInteger")
    return importMatMulInteger(node);
  if (op == "ConvInteger")
    return importConvInteger(node);
  if (op == "Cast") {
    // Of an activation (integer shape arithmetic folded above): MatMulInteger's
    // i32 result to f32, or f32 to itself.
    auto x = in(0);
    if (!x)
      return x.takeError();
    const onnx::AttributeProto *to = attr(node, "to");
    if (!to || to->i() != onnx::TensorProto::FLOAT)
      return nodeError(node, "only casts of activations to float are "
                             "supported");
    Type element = typeOf(x->value).getElementType();
    if (element.isF32())
      return define(x->value, x->nhwc);
    return define(tosa::CastOp::create(builder, loc,
                                       typeOf(x->value).clone(
                                           builder.getF32Type()),
                                       x->value),
                  x->nhwc);
  }
  if (op == "MatMul") {
    auto ae = in(0);
    auto be = in(1);
    if (!ae)
      return ae.takeError();
    if (!be)
      return be.takeError();
    Value a = asPlain(*ae).value, b = asPlain(*be).value;
    auto aType = typeOf(a), bType = typeOf(b);
    if (aType.getRank() < 2 || bType.getRank() < 2 || bType.getRank() > 3)
      return nodeError(node, "operands of rank 2 or 3 are supported");
    int64_t k = aType.getDimSize(aType.getRank() - 1);
    int64_t n = bType.getDimSize(bType.getRank() - 1);
    if (bType.getDimSize(bType.getRank() - 2) != k)
      return nodeError(node, "inner dimensions differ");
    SmallVector<int64_t> outShape(aType.getShape().drop_back());
    outShape.push_back(n);
    int64_t rows = aType.getNumElements() / k;
    Value a3, b3;
    int64_t batch = 1;
    if (bType.getRank() == 2) {
      // One shared right operand: all rows of A in one batch.
      a3 = reshape(a, {1, rows, k});
      auto weight = rebuildWeight(
          b, bType.clone({1, k, n}), [](DenseElementsAttr x) { return x; },
          [](int32_t axis) { return axis + 1; }, node);
      b3 = weight ? *weight : (llvm::consumeError(weight.takeError()),
                               reshape(b, {1, k, n}));
    } else {
      batch = bType.getDimSize(0);
      if (aType.getRank() != 3 || aType.getDimSize(0) != batch)
        return nodeError(node, "batched operands must have equal batches");
      a3 = a;
      b3 = b;
      rows = aType.getDimSize(1);
    }
    Value y = tosa::MatMulOp::create(builder, loc,
                                     aType.clone({batch, rows, n}), a3, b3,
                                     zeroPoint(), zeroPoint());
    return define(reshape(y, outShape), false);
  }
  if (op == "Softmax") {
    auto xe = in(0);
    if (!xe)
      return xe.takeError();
    Entry x = asPlain(*xe);
    auto xType = typeOf(x.value);
    const onnx::AttributeProto *axisAttr = attr(node, "axis");
    int64_t axis = axisAttr ? axisAttr->i() : -1;
    if (axis < -xType.getRank() || axis >= xType.getRank())
      return nodeError(node, "axis " + llvm::Twine(axis) +
                                 " is out of range for a rank-" +
                                 llvm::Twine(xType.getRank()) + " input");
    if (axis < 0)
      axis += xType.getRank();
    SmallVector<int64_t> reduced(xType.getShape());
    reduced[axis] = 1;
    auto redType = xType.clone(reduced);
    auto axis32 = builder.getI32IntegerAttr(static_cast<int32_t>(axis));
    Value m = tosa::ReduceMaxOp::create(builder, loc, redType, x.value, axis32);
    Value shifted = tosa::SubOp::create(builder, loc, xType, x.value, m);
    Value e = tosa::ExpOp::create(builder, loc, xType, shifted);
    Value sum = tosa::ReduceSumOp::create(builder, loc, redType, e, axis32);
    Value inv = tosa::ReciprocalOp::create(builder, loc, redType, sum);
    return define(tosa::MulOp::create(builder, loc, xType, e, inv, i8Zero()),
                  false);
  }
  return nodeError(node, "unsupported op '" + op + "'");
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
  if (failed(verify(*module)))
    return error("'" + path + "': the imported module does not verify");
  return module;
}

} // namespace

llvm::Expected<OwningOpRef<ModuleOp>>
mlir::quantsim::importONNXBuffer(StringRef bytes, StringRef name,
                                 MLIRContext &context,
                                 const ONNXImportOptions &options) {
  context.loadDialect<func::FuncDialect, tosa::TosaDialect, QuantSimDialect,
                      arith::ArithDialect, math::MathDialect,
                      quant::QuantDialect>();
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return error("'" + name + "' is not a valid ONNX model");
  Importer importer(context, options, name);
  return importer.run(model);
}

llvm::Expected<OwningOpRef<ModuleOp>>
mlir::quantsim::importONNXFile(StringRef path, MLIRContext &context,
                               const ONNXImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return error("cannot open '" + path + "': " + buffer.getError().message());
  return importONNXBuffer((*buffer)->getBuffer(), path, context, options);
}
