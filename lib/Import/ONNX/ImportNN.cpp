//===- ImportNN.cpp - Conv, pools, matmuls --------------------------------===//
//
// Part of quant-opt's ONNX importer: Conv (depthwise and grouped), MaxPool,
// AveragePool and GlobalAveragePool, BatchNormalization, Gemm, MatMul, LRN and
// ReduceMean.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::onnx_import;

namespace mlir::quantsim::onnx_import {

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
    return error(
        llvm::formatv(
            "bias of shape [{0}] does not broadcast to "
            "[{1}, {2}]",
            llvm::join(llvm::map_range(
                           shape, [](int64_t d) { return std::to_string(d); }),
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

llvm::Expected<Value> Importer::sliceWeight(Value w, int64_t begin,
                                            int64_t count) {
  auto fq = w.getDefiningOp<FakeQuantOp>();
  Value source = fq ? fq.getInput() : w;
  DenseElementsAttr splat;
  auto bytes = constantBytes(source);
  if (!bytes && !matchPattern(source, m_Constant(&splat)))
    return error("the weights must be a constant");
  auto type = bytes ? bytes->first : cast<RankedTensorType>(splat.getType());
  if (!type.getElementType().isF32())
    return error("the weights must be a constant");
  int64_t inner = type.getNumElements() / type.getDimSize(0);
  SmallVector<int64_t> shape(type.getShape());
  shape[0] = count;
  auto partType = type.clone(shape);
  Value c = f32Const(
      bytes ? DenseElementsAttr::getFromRawBuffer(
                  partType, bytes->second.slice(begin * inner * sizeof(float),
                                                count * inner * sizeof(float)))
            : splat.resizeSplat(partType));
  if (!fq)
    return c;
  Type qtype = fq.getQtype();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype);
      perAxis && perAxis.getQuantizedDimension() == 0) {
    SmallVector<double> scales(perAxis.getScales().slice(begin, count));
    SmallVector<int64_t> zps(perAxis.getZeroPoints().slice(begin, count));
    qtype = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), scales, zps, 0, perAxis.getStorageTypeMin(),
        perAxis.getStorageTypeMax());
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
    return nodeError(
        node, llvm::formatv("group {0} does not divide {1} input channels "
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
      first.clone(
          {first.getDimSize(0), first.getDimSize(1), first.getDimSize(2), o}),
      outputs, builder.getI32IntegerAttr(3));
  return defineOutput(node, y, true);
}

} // namespace mlir::quantsim::onnx_import

namespace {

/// BatchNormalization.
llvm::Error importBatchNormalization(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  SmallVector<SmallVector<double>> p;
  for (int i = 1; i <= 4; ++i) {
    auto c = im.constantOf(nb.node.input(i));
    if (!c)
      return nb.fail("parameters must be constants");
    p.push_back(doubles(*c));
    if (p.back().size() != p.front().size())
      return nb.fail("parameter " + llvm::Twine(i) + " has " +
                     llvm::Twine(p.back().size()) +
                     " values but the scale has " +
                     llvm::Twine(p.front().size()));
  }
  if (const onnx::AttributeProto *t = nb.attr("training_mode");
      t && t->i() != 0)
    return nb.fail("training_mode=1 is not supported (inference "
                   "only: export the model in eval mode)");
  const onnx::AttributeProto *eps = nb.attr("epsilon");
  double epsilon = eps ? eps->f() : 1e-5;
  int64_t c = static_cast<int64_t>(p[0].size());
  SmallVector<float> scale, shift;
  for (int64_t i = 0; i < c; ++i) {
    double k = p[0][i] / std::sqrt(p[3][i] + epsilon);
    scale.push_back(static_cast<float>(k));
    shift.push_back(static_cast<float>(p[1][i] - p[2][i] * k));
  }
  *x = im.asNHWC(*x);
  if (!x->nhwc)
    return nb.fail("needs a 4-D NCHW input");
  auto kType = RankedTensorType::get({1, 1, 1, c}, nb.builder.getF32Type());
  Type t = x->value.getType();
  Value m = tosa::MulOp::create(
      nb.builder, nb.loc, t, x->value,
      im.f32Const(DenseElementsAttr::get(kType, ArrayRef<float>(scale))),
      im.i8Zero());
  return nb.define(tosa::AddOp::create(nb.builder, nb.loc, t, m,
                                       im.f32Const(DenseElementsAttr::get(
                                           kType, ArrayRef<float>(shift)))),
                   true);
}

/// Conv.
llvm::Error importConv(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  auto w = nb.input(1);
  if (!x)
    return x.takeError();
  if (!w)
    return w.takeError();
  *x = im.asNHWC(*x);
  if (!x->nhwc)
    return nb.fail("needs a 4-D NCHW input");
  int64_t group = nb.i("group", 1);
  auto wType = typeOf(w->value); // OIHW
  int64_t o = wType.getDimSize(0), kh = wType.getDimSize(2),
          kw = wType.getDimSize(3);
  int64_t channels = typeOf(x->value).getDimSize(3);
  if (group < 1)
    return nb.fail("group must be at least 1");
  if (group != 1 && !(group == channels && wType.getDimSize(1) == 1))
    return im.importGroupedConv(nb.node, *x, *w, group);
  bool depthwise = group != 1;
  if (depthwise && o % channels != 0)
    return nb.fail("a depthwise convolution's output channels "
                   "must be a multiple of its input channels");
  if (!depthwise && wType.getDimSize(1) != channels)
    return nb.fail(llvm::formatv("weights expect {0} input "
                                 "channels, the input has {1}",
                                 wType.getDimSize(1), channels));
  int64_t multiplier = depthwise ? o / channels : 1;
  // conv2d wants OHWI; depthwise_conv2d wants HWCM (O = C * M).
  auto newType = depthwise ? wType.clone({kh, kw, channels, multiplier})
                           : wType.clone({o, kh, kw, wType.getDimSize(1)});
  if (depthwise && multiplier != 1 &&
      isa_and_nonnull<FakeQuantOp>(w->value.getDefiningOp()))
    return nb.fail("quantized depthwise weights need a channel "
                   "multiplier of 1");
  SmallVector<int64_t> sourceShape, perm = {0, 2, 3, 1};
  if (depthwise) {
    sourceShape = {channels, multiplier, kh, kw};
    perm = {2, 3, 0, 1};
  }
  auto weight = im.rebuildWeight(
      w->value, newType, sourceShape, perm,
      [&](int32_t axis) -> int32_t {
        if (depthwise)
          return axis == 0 ? 2 : axis;
        return axis == 0 ? 0 : axis == 1 ? 3 : axis - 1;
      },
      nb.node);
  if (!weight)
    return weight.takeError();
  Value bias;
  if (nb.node.input_size() > 2 && !nb.node.input(2).empty()) {
    auto b = im.constantOf(nb.node.input(2));
    if (!b)
      return nb.fail("bias must be a constant");
    if (b->getNumElements() != o || !b->getElementType().isF32())
      return nb.fail(llvm::formatv("the bias has {0} values of "
                                   "type {1}; the convolution has "
                                   "{2} f32 output channels",
                                   b->getNumElements(), b->getElementType(),
                                   o));
    bias = im.f32Const(
        b->reshape(RankedTensorType::get({o}, nb.builder.getF32Type())));
  } else {
    bias = im.f32Const(DenseElementsAttr::get(
        RankedTensorType::get({o}, nb.builder.getF32Type()), 0.0f));
  }
  SmallVector<int64_t> strides = nb.ints("strides", {1, 1});
  SmallVector<int64_t> dilations = nb.ints("dilations", {1, 1});
  auto window = nb.fitWindow(x->value, {kh, kw}, strides, dilations,
                             /*allowCeil=*/false);
  if (!window)
    return window.takeError();
  auto xType = typeOf(x->value); // NHWC
  auto outType =
      xType.clone({xType.getDimSize(0), window->size[0], window->size[1], o});
  auto padAttr = nb.builder.getDenseI64ArrayAttr(window->pad);
  Value y = depthwise ? Value(tosa::DepthwiseConv2DOp::create(
                            nb.builder, nb.loc, outType, window->input, *weight,
                            bias, im.zeroPoint(), im.zeroPoint(), padAttr,
                            nb.builder.getDenseI64ArrayAttr(strides),
                            nb.builder.getDenseI64ArrayAttr(dilations),
                            TypeAttr::get(nb.builder.getF32Type())))
                      : Value(tosa::Conv2DOp::create(
                            nb.builder, nb.loc, outType, window->input, *weight,
                            bias, im.zeroPoint(), im.zeroPoint(), padAttr,
                            nb.builder.getDenseI64ArrayAttr(strides),
                            nb.builder.getDenseI64ArrayAttr(dilations),
                            TypeAttr::get(nb.builder.getF32Type())));
  return nb.define(y, true);
}

/// MaxPool.
llvm::Error importMaxPool(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  *x = im.asNHWC(*x);
  if (!x->nhwc)
    return nb.fail("needs a 4-D NCHW input");
  SmallVector<int64_t> kernel = nb.ints("kernel_shape", {});
  SmallVector<int64_t> strides = nb.ints("strides", {1, 1});
  SmallVector<int64_t> dilations = nb.ints("dilations", {1, 1});
  if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
    return nb.fail("dilated max pooling is not supported");
  if (nb.node.output_size() > 1 && !nb.node.output(1).empty())
    return nb.fail("the Indices output is not supported");
  auto window = nb.fitWindow(x->value, kernel, strides, dilations,
                             /*allowCeil=*/true);
  if (!window)
    return window.takeError();
  auto xType = typeOf(x->value);
  Value y = tosa::MaxPool2dOp::create(
      nb.builder, nb.loc,
      xType.clone({xType.getDimSize(0), window->size[0], window->size[1],
                   xType.getDimSize(3)}),
      window->input, nb.builder.getDenseI64ArrayAttr(kernel),
      nb.builder.getDenseI64ArrayAttr(strides),
      nb.builder.getDenseI64ArrayAttr(window->pad));
  return nb.define(y, true);
}

/// Gemm.
llvm::Error importGemm(NodeBinder &nb) {
  Importer &im = nb.im;
  auto a = nb.input(0);
  auto b = nb.input(1);
  if (!a)
    return a.takeError();
  if (!b)
    return b.takeError();
  for (StringRef n : {"alpha", "beta"})
    if (const onnx::AttributeProto *s = nb.attr(n); s && s->f() != 1.0f)
      return nb.fail(n + " other than 1 is not supported");
  if (const onnx::AttributeProto *t = nb.attr("transA"); t && t->i())
    return nb.fail("transA is not supported");
  bool transB = nb.i("transB", 0) != 0;
  auto aType = typeOf(a->value);
  auto bType = typeOf(b->value);
  int64_t m = aType.getDimSize(0), k = aType.getDimSize(1);
  int64_t n = transB ? bType.getDimSize(0) : bType.getDimSize(1);
  SmallVector<int64_t> perm;
  if (transB)
    perm = {1, 0};
  auto weight = im.rebuildWeight(
      b->value, bType.clone({1, k, n}), /*sourceShape=*/{}, perm,
      [&](int32_t axis) { return (transB ? 1 - axis : axis) + 1; }, nb.node);
  if (!weight)
    return weight.takeError();
  Value a3 = im.reshape(a->value, {1, m, k});
  Value y = tosa::MatMulOp::create(nb.builder, nb.loc, aType.clone({1, m, n}),
                                   a3, *weight, im.zeroPoint(), im.zeroPoint());
  if (nb.node.input_size() > 2 && !nb.node.input(2).empty()) {
    auto c = im.constantOf(nb.node.input(2));
    if (!c)
      return nb.fail("bias must be a constant");
    auto bias = gemmBias(*c, m, n);
    if (!bias)
      return nb.fail(llvm::toString(bias.takeError()));
    y = tosa::AddOp::create(nb.builder, nb.loc, y.getType(), y,
                            im.f32Const(*bias));
  }
  return nb.define(im.reshape(y, {m, n}), false);
}

/// LRN.
llvm::Error importLRN(NodeBinder &nb) {
  Importer &im = nb.im;
  // y = x / (bias + alpha / size * sum of x^2 over `size` channels
  // around c)^beta. The channel window sum is a conv with ones over the
  // channels laid out as a spatial dimension.
  auto xe = nb.nhwcInput(0);
  if (!xe)
    return xe.takeError();
  Entry x = *xe;
  const onnx::AttributeProto *sizeAttr = nb.attr("size");
  if (!sizeAttr || sizeAttr->i() < 1)
    return nb.fail("needs a positive size");
  int64_t size = sizeAttr->i();
  float alpha = 1e-4f, beta = 0.75f, bias = 1.0f;
  alpha = nb.f("alpha", alpha);
  beta = nb.f("beta", beta);
  bias = nb.f("bias", bias);
  auto t = typeOf(x.value);
  int64_t n = t.getDimSize(0), h = t.getDimSize(1), w = t.getDimSize(2),
          c = t.getDimSize(3);
  Value sq =
      tosa::MulOp::create(nb.builder, nb.loc, t, x.value, x.value, im.i8Zero());
  Value rows = im.reshape(sq, {n, h * w, c, 1});
  auto onesType =
      RankedTensorType::get({1, 1, size, 1}, nb.builder.getF32Type());
  Value ones = im.f32Const(DenseElementsAttr::get(onesType, 1.0f));
  Value noBias = im.f32Const(DenseElementsAttr::get(
      RankedTensorType::get({1}, nb.builder.getF32Type()), 0.0f));
  int64_t before = (size - 1) / 2, after = size - 1 - before;
  Value sums = tosa::Conv2DOp::create(
      nb.builder, nb.loc, typeOf(rows), rows, ones, noBias, im.zeroPoint(),
      im.zeroPoint(), nb.builder.getDenseI64ArrayAttr({0, 0, before, after}),
      nb.builder.getDenseI64ArrayAttr({1, 1}),
      nb.builder.getDenseI64ArrayAttr({1, 1}),
      TypeAttr::get(nb.builder.getF32Type()));
  sums = im.reshape(sums, {n, h, w, c});
  Value scaled = tosa::MulOp::create(
      nb.builder, nb.loc, t, sums, im.scalarLike(alpha / size, 4), im.i8Zero());
  scaled = tosa::AddOp::create(nb.builder, nb.loc, t, scaled,
                               im.scalarLike(bias, 4));
  Value powered = tosa::PowOp::create(nb.builder, nb.loc, t, scaled,
                                      im.scalarLike(beta, 4));
  Value inv = tosa::ReciprocalOp::create(nb.builder, nb.loc, t, powered);
  return nb.define(
      tosa::MulOp::create(nb.builder, nb.loc, t, x.value, inv, im.i8Zero()),
      true);
}

/// ReduceMean.
llvm::Error importReduceMean(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  auto t = typeOf(x->value);
  int64_t rank = t.getRank();
  SmallVector<int64_t> axes = nb.ints("axes", {});
  if (nb.node.input_size() > 1 && !nb.node.input(1).empty()) {
    auto a = nb.intConstant(nb.node.input(1));
    if (!a)
      return a.takeError();
    axes = *a;
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  bool keep = true;
  keep = nb.i("keepdims", keep) != 0;
  SmallVector<int64_t> onnxShape(t.getShape());
  if (x->nhwc)
    onnxShape = {onnxShape[0], onnxShape[3], onnxShape[1], onnxShape[2]};
  // The mean over H and W of an NCHW activation (how ShuffleNet and
  // EfficientNet exports pool globally) is a global average pool, which
  // the QAT lowering and the CPU pipeline know in both float and int8.
  llvm::SmallDenseSet<int64_t> axisSet;
  for (int64_t a : axes)
    axisSet.insert(a < 0 ? a + rank : a);
  if (rank == 4 && axes.size() == 2 && axisSet.contains(2) &&
      axisSet.contains(3)) {
    Entry held = im.asNHWC(*x);
    auto nhwc = typeOf(held.value);
    Value pooled = tosa::AvgPool2dOp::create(
        nb.builder, nb.loc,
        nhwc.clone({nhwc.getDimSize(0), 1, 1, nhwc.getDimSize(3)}),
        held.value, im.zeroPoint(), im.zeroPoint(),
        nb.builder.getDenseI64ArrayAttr(
            {nhwc.getDimSize(1), nhwc.getDimSize(2)}),
        nb.builder.getDenseI64ArrayAttr({1, 1}),
        nb.builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
        TypeAttr::get(nb.builder.getF32Type()));
    if (keep)
      return nb.define(pooled, true);
    return nb.define(
        im.reshape(pooled, {onnxShape[0], onnxShape[1]}), false);
  }
  Value y = x->value;
  SmallVector<int64_t> heldShape(t.getShape());
  int64_t count = 1;
  llvm::SmallDenseSet<int64_t> reduced;
  for (int64_t a : axes) {
    int64_t d = a < 0 ? a + rank : a;
    if (d < 0 || d >= rank || !reduced.insert(d).second)
      return nb.fail("axis " + llvm::Twine(a) + " is out of range or repeated");
    int64_t h = x->nhwc ? (d == 0 ? 0 : d == 1 ? 3 : d - 1) : d;
    count *= heldShape[h];
    heldShape[h] = 1;
    y = tosa::ReduceSumOp::create(nb.builder, nb.loc, t.clone(heldShape), y,
                                  nb.builder.getI32IntegerAttr(h));
  }
  y = tosa::MulOp::create(nb.builder, nb.loc, t.clone(heldShape), y,
                          im.scalarLike(1.0f / static_cast<float>(count), rank),
                          im.i8Zero());
  if (keep)
    return nb.define(y, x->nhwc);
  Entry e = im.asPlain(Entry{y, x->nhwc});
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!reduced.contains(d))
      shape.push_back(onnxShape[d]);
  return nb.define(im.reshape(e.value, shape), false);
}

/// AveragePool, GlobalAveragePool.
llvm::Error importAveragePool(NodeBinder &nb) {
  Importer &im = nb.im;
  auto xe = nb.nhwcInput(0);
  if (!xe)
    return xe.takeError();
  Entry x = *xe;
  auto xType = typeOf(x.value);
  SmallVector<int64_t> kernel{xType.getDimSize(1), xType.getDimSize(2)};
  SmallVector<int64_t> strides{1, 1};
  bool includePad = false;
  if (nb.opType() == "AveragePool") {
    kernel = nb.ints("kernel_shape", {});
    strides = nb.ints("strides", {1, 1});
    includePad = nb.i("count_include_pad", includePad) != 0;
  }
  SmallVector<int64_t> dilations = nb.ints("dilations", {1, 1});
  if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
    return nb.fail("dilated average pooling is not supported");
  auto window = nb.fitWindow(x.value, kernel, strides, dilations,
                             /*allowCeil=*/true);
  if (!window)
    return window.takeError();
  // TOSA averages over the elements inside the input. count_include_pad
  // counts the node's pads too: they become real zeros, and only the
  // rows ceil_mode adds stay outside (as ONNX Runtime and PyTorch count).
  Value input = window->input;
  SmallVector<int64_t> pad = window->pad;
  if (includePad &&
      llvm::any_of(window->onnxPad, [](int64_t p) { return p != 0; })) {
    SmallVector<int64_t> real(4);
    for (int i = 0; i < 4; ++i)
      real[i] = std::min(window->onnxPad[i], pad[i]);
    input = im.padNHWC(input, real);
    for (int i = 0; i < 4; ++i)
      pad[i] -= real[i];
  }
  Value y = tosa::AvgPool2dOp::create(
      nb.builder, nb.loc,
      xType.clone({xType.getDimSize(0), window->size[0], window->size[1],
                   xType.getDimSize(3)}),
      input, im.zeroPoint(), im.zeroPoint(),
      nb.builder.getDenseI64ArrayAttr(kernel),
      nb.builder.getDenseI64ArrayAttr(strides),
      nb.builder.getDenseI64ArrayAttr(pad),
      TypeAttr::get(nb.builder.getF32Type()));
  return nb.define(y, true);
}

/// MatMul.
llvm::Error importMatMul(NodeBinder &nb) {
  Importer &im = nb.im;
  auto ae = nb.input(0);
  auto be = nb.input(1);
  if (!ae)
    return ae.takeError();
  if (!be)
    return be.takeError();
  Value a = im.asPlain(*ae).value, b = im.asPlain(*be).value;
  auto aType = typeOf(a), bType = typeOf(b);
  if (aType.getRank() < 2 || bType.getRank() < 2 || bType.getRank() > 3)
    return nb.fail("operands of rank 2 or 3 are supported");
  int64_t k = aType.getDimSize(aType.getRank() - 1);
  int64_t n = bType.getDimSize(bType.getRank() - 1);
  if (bType.getDimSize(bType.getRank() - 2) != k)
    return nb.fail("inner dimensions differ");
  SmallVector<int64_t> outShape(aType.getShape().drop_back());
  outShape.push_back(n);
  int64_t rows = aType.getNumElements() / k;
  Value a3, b3;
  int64_t batch = 1;
  if (bType.getRank() == 2) {
    // One shared right operand: all rows of A in one batch.
    a3 = im.reshape(a, {1, rows, k});
    auto weight = im.rebuildWeight(
        b, bType.clone({1, k, n}), /*sourceShape=*/{}, /*perm=*/{},
        [](int32_t axis) { return axis + 1; }, nb.node);
    b3 = weight ? *weight
                : (llvm::consumeError(weight.takeError()),
                   im.reshape(b, {1, k, n}));
  } else {
    batch = bType.getDimSize(0);
    if (aType.getRank() != 3 || aType.getDimSize(0) != batch)
      return nb.fail("batched operands must have equal batches");
    a3 = a;
    b3 = b;
    rows = aType.getDimSize(1);
  }
  Value y =
      tosa::MatMulOp::create(nb.builder, nb.loc, aType.clone({batch, rows, n}),
                             a3, b3, im.zeroPoint(), im.zeroPoint());
  return nb.define(im.reshape(y, outShape), false);
}

} // namespace

void mlir::quantsim::onnx_import::registerNNOps(OpTable &table) {
  table.on("BatchNormalization", 13, importBatchNormalization);
  table.on("Conv", 13, importConv);
  table.on("MaxPool", 13, importMaxPool);
  table.on("Gemm", 13, importGemm);
  table.on("LRN", 13, importLRN);
  table.on("ReduceMean", 13, importReduceMean);
  table.on("AveragePool", 13, importAveragePool);
  table.on("GlobalAveragePool", 13, importAveragePool);
  table.on("MatMul", 13, importMatMul);
}
