//===- Importer.h - The ONNX importer's internals ---------------*- C++ -*-===//
//
// Part of quant-opt. Shared by the files of the ONNX importer, not
// installed: the Importer (graph state and the layout, constant and window
// helpers every op uses), the NodeBinder handed to each op's handler, and
// the OpTable that maps an op type and opset to its handler.
//
// Adding an op: write `llvm::Error importFoo(NodeBinder &nb)` in the file
// of its family and register it in that file's register*Ops function with
// `table.on("Foo", sinceVersion, importFoo)`.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_OPT_LIB_IMPORT_ONNX_IMPORTER_H
#define QUANT_OPT_LIB_IMPORT_ONNX_IMPORTER_H

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"
#include "quant-opt/Import/ONNX.h"
#include "quant-opt/Support/Constants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FormatVariadic.h"

#include "FoldIntegers.h"
#include "ONNXShapeInference.h"
#include "onnx/onnx_pb.h"

#include <cmath>

namespace mlir::quantsim::onnx_import {

inline llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

inline RankedTensorType typeOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Elements of a dense constant as doubles.
SmallVector<double> doubles(DenseElementsAttr attr);
/// An attribute of `node`, or null.
const onnx::AttributeProto *attr(const onnx::NodeProto &node, StringRef n);
/// The ints attribute `n` of `node`, or `dflt`.
SmallVector<int64_t> ints(const onnx::NodeProto &node, StringRef n,
                          ArrayRef<int64_t> dflt);
/// The quant type of QuantizeLinear/DequantizeLinear parameters.
llvm::Expected<Type> quantType(DenseElementsAttr scale,
                               DenseElementsAttr zeroPoint, int64_t axis,
                               MLIRContext *ctx, const llvm::Twine &where);

class Importer;
class NodeBinder;

/// Imports one node: defines its outputs in the Importer or returns an
/// error naming the node.
using OpHandler = std::function<llvm::Error(NodeBinder &)>;

/// Handlers by op type (default ONNX domain), each from the opset version
/// it was written for: a model gets, for each op, the handler with the
/// newest version not newer than the model's opset.
class OpTable {
public:
  void on(StringRef opType, int sinceVersion, OpHandler handler);
  /// The handler for `opType` in a model of `opset`; null when there is
  /// none.
  const OpHandler *lookup(StringRef opType, int64_t opset) const;
  /// Every op type with the versions of its handlers, sorted by name.
  std::vector<std::pair<std::string, int>> entries() const;

private:
  llvm::StringMap<SmallVector<std::pair<int, OpHandler>, 1>> handlers;
};

void registerElementwiseOps(OpTable &table);
void registerNNOps(OpTable &table);
void registerQuantizedOps(OpTable &table);
void registerShapeOps(OpTable &table);

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

  llvm::Error importNode(const onnx::NodeProto &node);
  /// The handler table, by op type and opset.
  static const OpTable &table();
  llvm::Expected<Entry> get(StringRef name, const onnx::NodeProto &node);
  llvm::Expected<DenseElementsAttr> constantOf(StringRef name);
  /// Input `index` of `node` as one constant number (a scalar or a
  /// one-element tensor), not NaN; errors name it `what`.
  llvm::Expected<double> scalarConstant(const onnx::NodeProto &node, int index,
                                        StringRef what);
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
  llvm::Error importGroupedConv(const onnx::NodeProto &node, Entry x, Entry w,
                                int64_t group);
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
                  SmallVectorImpl<int64_t> &weightZeroPoints);
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
    Value input;                  ///< x, with rows/columns no window reads cut
    SmallVector<int64_t> pad;     ///< TOSA order: top, bottom, left, right
    SmallVector<int64_t> size;    ///< output H, W
    SmallVector<int64_t> onnxPad; ///< the node's own pads, TOSA order
  };
  llvm::Expected<Window> fitWindow(const onnx::NodeProto &node, Value x,
                                   ArrayRef<int64_t> kernel,
                                   ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> dilations, bool allowCeil);
  Value zeroPoint() {
    return f32Const(DenseElementsAttr::get(
        RankedTensorType::get({1}, builder.getF32Type()), 0.0f));
  }
  /// A constant weight, or fake_quant of one, rebuilt as `newType`: its
  /// elements seen as `sourceShape` (empty: as they are) and permuted by
  /// `perm` (empty: not at all), its quantized axis moved by `axisMap`.
  /// Reads a borrowed initializer's bytes in place, and frees them in the
  /// model when this was their only reader.
  llvm::Expected<Value> rebuildWeight(Value weight, RankedTensorType newType,
                                      ArrayRef<int64_t> sourceShape,
                                      ArrayRef<int64_t> perm,
                                      function_ref<int32_t(int32_t)> axisMap,
                                      const onnx::NodeProto &node);

  /// The type and packed bytes of `v`'s constant (dense or borrowed), or
  /// nullopt when `v` is no constant (or a splat).
  std::optional<std::pair<RankedTensorType, ArrayRef<char>>>
  constantBytes(Value v);

  /// f32 initializers enter the module as `dense_resource` constants over
  /// their bytes in the model (no copy): each a blob borrowed from
  /// `tensor`. Before the model can go, finishBorrowing() turns those still
  /// used into dense constants and empties every blob.
  struct Borrowed {
    onnx::TensorProto *tensor;
    DenseResourceElementsHandle handle;
    bool released = false; ///< freed after its only reader
  };
  llvm::Error finishBorrowing(ModuleOp module);
  void emptyBorrowedBlobs();

  MLIRContext &context;
  /// The model's opset (13 for older models, which are converted).
  int64_t opset = 13;
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
  SmallVector<Borrowed> borrowed;
  /// How many node inputs and graph outputs name each value.
  llvm::StringMap<int> readers;
};

/// One node as its handler sees it: its operands (as graph values or
/// constants), its attributes with their defaults, and where its results go.
/// Errors it makes name the node (`'model.onnx': node 'name' (Op): ...`).
class NodeBinder {
public:
  NodeBinder(Importer &im, const onnx::NodeProto &node)
      : im(im), node(node), builder(im.builder), loc(im.loc) {}

  StringRef opType() const { return node.op_type(); }
  int numInputs() const { return node.input_size(); }
  /// Whether input `i` is given (present and not the empty name).
  bool hasInput(int i) const {
    return i < node.input_size() && !node.input(i).empty();
  }
  /// Input `i` as a graph value.
  llvm::Expected<Entry> input(int i) { return im.get(node.input(i), node); }
  /// Input `i`, a 4-D activation, held NHWC.
  llvm::Expected<Entry> nhwcInput(int i) { return im.nhwcInput(node, i); }
  /// Input `i` as one constant number (errors call it `what`).
  llvm::Expected<double> scalarConstant(int i, StringRef what) {
    return im.scalarConstant(node, i, what);
  }
  /// The integer constant called `name` (one of the inputs) as a vector.
  llvm::Expected<SmallVector<int64_t>> intConstant(StringRef name) {
    return im.intConstant(name, node);
  }

  /// The attribute `name`, or null.
  const onnx::AttributeProto *attr(StringRef name) const {
    return onnx_import::attr(node, name);
  }
  /// Integer, float, string and ints attributes with their defaults.
  int64_t i(StringRef name, int64_t dflt) const {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->i() : dflt;
  }
  float f(StringRef name, float dflt) const {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->f() : dflt;
  }
  std::string s(StringRef name, StringRef dflt) const {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->s() : dflt.str();
  }
  SmallVector<int64_t> ints(StringRef name, ArrayRef<int64_t> dflt) const {
    return onnx_import::ints(node, name, dflt);
  }

  /// The 2-D window of a Conv or pool on the NHWC `x`, fitted to TOSA.
  llvm::Expected<Importer::Window> fitWindow(Value x, ArrayRef<int64_t> kernel,
                                             ArrayRef<int64_t> strides,
                                             ArrayRef<int64_t> dilations,
                                             bool allowCeil) {
    return im.fitWindow(node, x, kernel, strides, dilations, allowCeil);
  }

  /// Defines output 0 as `v` (NHWC when `nhwc`), checked against shape
  /// inference.
  llvm::Error define(Value v, bool nhwc) {
    return im.defineOutput(node, v, nhwc);
  }
  /// An error naming the node.
  llvm::Error fail(const llvm::Twine &message) {
    return im.nodeError(node, message);
  }

  Importer &im;
  const onnx::NodeProto &node;
  /// Where the node's ops go, and their location (the node's name).
  OpBuilder &builder;
  Location loc;
};

} // namespace mlir::quantsim::onnx_import

#endif // QUANT_OPT_LIB_IMPORT_ONNX_IMPORTER_H
