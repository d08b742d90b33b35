//===- ImportQuantized.cpp - Quantization ops -----------------------------===//
//
// Part of quant-opt's ONNX importer: QuantizeLinear/DequantizeLinear pairs
// (fake quantization), integer constants behind a DequantizeLinear, the
// QOperator ops (QLinearConv, QLinearMatMul) and dynamic quantization
// (DynamicQuantizeLinear, MatMulInteger, ConvInteger, Cast of their results).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::onnx_import;

namespace mlir::quantsim::onnx_import {

/// The quant type of QuantizeLinear/DequantizeLinear parameters.
llvm::Expected<Type> quantType(DenseElementsAttr scale,
                               DenseElementsAttr zeroPoint, int64_t axis,
                               MLIRContext *ctx, const llvm::Twine &where) {
  SmallVector<double> scales = doubles(scale);
  SmallVector<double> zps =
      zeroPoint ? doubles(zeroPoint) : SmallVector<double>(scales.size(), 0);
  bool isUnsigned =
      !zeroPoint || zeroPoint.getElementType().isUnsignedInteger();
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

llvm::Error Importer::importDequantizedConstant(
    const onnx::NodeProto &node, StringRef input, StringRef output,
    DenseElementsAttr scale, DenseElementsAttr zeroPoint, int64_t axis) {
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
  auto floatType =
      RankedTensorType::get(qType.getShape(), builder.getF32Type());
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
                         "'" + path + "': node '" + node.name() + "' (" +
                             node.op_type() + ")");
  if (!qtype)
    return qtype.takeError();
  Value fq =
      FakeQuantOp::create(builder, loc, floatType, f32Const(floats), *qtype);
  values[output] = Entry{fq, false};
  return llvm::Error::success();
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
      return nodeError(node, "input " + llvm::Twine(i) + " ('" + node.input(i) +
                                 "') must be a constant");
    return *c;
  };
  auto xScale = param(1), xZp = param(2), wScale = param(4), wZp = param(5),
       yScale = param(6), yZp = param(7);
  for (auto *p : {&xScale, &xZp, &wScale, &wZp, &yScale, &yZp})
    if (!*p)
      return p->takeError();
  std::string where =
      "'" + path + "': node '" + node.name() + "' (" + node.op_type() + ")";
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
    return nodeError(node, "input '" + node.input(0) +
                               "' must come from a "
                               "QuantizeLinear or a QLinear op");
  if (it->second.qtype != *xType)
    return nodeError(node, "x_scale and x_zero_point differ from the "
                           "parameters '" +
                               node.input(0) +
                               "' was "
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
    if (llvm::Error err =
            importDequantizedConstant(node, node.input(8), prefix + "b",
                                      biasScale, DenseElementsAttr(), 0))
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

llvm::Error Importer::importDynamicQuantizeLinear(const onnx::NodeProto &node) {
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
  Value lo =
      reshape(tosa::ReduceMinOp::create(builder, loc, reducedType, flat, axis),
              SmallVector<int64_t>(rank, 1));
  Value hi =
      reshape(tosa::ReduceMaxOp::create(builder, loc, reducedType, flat, axis),
              SmallVector<int64_t>(rank, 1));
  lo = tosa::MinimumOp::create(builder, loc, scalarType, lo, constant(0.0f));
  hi = tosa::MaximumOp::create(builder, loc, scalarType, hi, constant(0.0f));
  // scale = (hi - lo) / 255, divided as the specification does (a multiply
  // by 1/255 rounds differently); an all-zero input gets scale 1, as ONNX
  // Runtime does, instead of dividing by zero below.
  Value range = tosa::SubOp::create(builder, loc, scalarType, hi, lo);
  Value scale = arith::DivFOp::create(builder, loc, range, constant(255.0f));
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
  Value scaled =
      arith::DivFOp::create(builder, loc, x,
                            tosa::TileOp::create(builder, loc, xType, scale,
                                                 shapeConst(xType.getShape()))
                                .getResult());
  Value y = tosa::AddOp::create(
      builder, loc, xType, math::RoundEvenOp::create(builder, loc, scaled), zp);
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
                          SmallVectorImpl<int64_t> &weightZeroPoints) {
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
  // One zero point, or one per column (MatMulInteger) or output channel
  // (ConvInteger): the caller checks the count.
  SmallVector<int64_t> zps = {0};
  if (node.input_size() > 3 && !node.input(3).empty()) {
    std::optional<IntTensor> z = intTensor(node.input(3));
    if (!z || z->data.empty() || z->shape.size() > 1)
      return nodeError(node, "the weights' zero point must be an integer "
                             "constant, a scalar or 1-D");
    zps.assign(z->data.begin(), z->data.end());
  }
  // uint8 weights: w - zw == (w - 128) - (zw - 128).
  int64_t shift = bElement.isUnsignedInteger() ? 128 : 0;
  for (int64_t &v : b->data)
    v -= shift;
  for (int64_t &zp : zps) {
    zp -= shift;
    if (zp < -128 || zp > 127)
      return nodeError(node, "the weights' zero point is out of range");
  }
  weights = std::move(*b);
  weightZeroPoints.assign(zps.begin(), zps.end());
  return a;
}

Value Importer::addZeroPointTerm(Value acc, Value zeroPoint, Value sums) {
  auto accType = cast<RankedTensorType>(acc.getType());
  auto sumsType = cast<RankedTensorType>(sums.getType());
  SmallVector<int64_t> ones(accType.getRank(), 1);
  auto unitType = RankedTensorType::get(ones, builder.getF32Type());
  Value offset =
      tosa::SubOp::create(builder, loc, unitType,
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
  SmallVector<int64_t> bZps;
  auto operands = integerOperands(node, bTensor, bZps);
  if (!operands)
    return operands.takeError();
  DynamicQuantized a = *operands;
  IntTensor *b = &bTensor;
  if (b->shape.size() != 2)
    return nodeError(node, "B must be 2-D");
  int64_t k = b->shape[0], n = b->shape[1];
  if (bZps.size() != 1 && static_cast<int64_t>(bZps.size()) != n)
    return nodeError(node, llvm::formatv("{0} weight zero points for {1} "
                                         "columns",
                                         bZps.size(), n));
  // One zero point for all columns is TOSA's weight zero point; one per
  // column leaves the product at zero point 0 and subtracts
  // zb[n] * sum_k (a - 128) below.
  bool perColumn = llvm::any_of(bZps, [&](int64_t z) { return z != bZps[0]; });
  auto zpOf = [&](int64_t column) {
    return bZps.size() == 1 ? bZps[0] : bZps[column];
  };
  int64_t bZp = perColumn ? 0 : bZps[0];
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
    columnSums[i % n] += static_cast<int32_t>(b->data[i] - zpOf(i % n));
  }
  Type i8 = builder.getI8Type(), i32 = builder.getI32Type();
  Value centered =
      tosa::SubOp::create(builder, loc, levelsType, a.levels,
                          scalarLike(128.0f, levelsType.getRank()));
  Value a8 = tosa::CastOp::create(builder, loc, levelsType.clone(i8), centered);
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
  Value acc = tosa::MatMulOp::create(builder, loc, accType, a8, w, i8Scalar(0),
                                     i8Scalar(bZp));
  auto sumsType = RankedTensorType::get({1, 1, n}, i32);
  acc = addZeroPointTerm(
      acc, a.zeroPoint,
      tosa::ConstOp::create(
          builder, loc, sumsType,
          DenseElementsAttr::get(sumsType, ArrayRef<int32_t>(columnSums))));
  if (perColumn) {
    // sum_k (a - 128) zb[n]: the rows' sums times each column's zero point.
    auto rowType = RankedTensorType::get({1, rows, k}, i32);
    Value wide = tosa::CastOp::create(builder, loc, rowType, a8);
    Value rowSums = tosa::ReduceSumOp::create(
        builder, loc, RankedTensorType::get({1, rows, 1}, i32), wide,
        builder.getI32IntegerAttr(2));
    SmallVector<int32_t> zps;
    for (int64_t c = 0; c < n; ++c)
      zps.push_back(static_cast<int32_t>(zpOf(c)));
    Value zpRow = tosa::ConstOp::create(
        builder, loc, sumsType,
        DenseElementsAttr::get(sumsType, ArrayRef<int32_t>(zps)));
    Value term = tosa::MulOp::create(builder, loc, accType, rowSums, zpRow,
                                     i8Zero());
    acc = tosa::SubOp::create(builder, loc, accType, acc, term);
  }
  SmallVector<int64_t> outShape(levelsType.getShape().drop_back());
  outShape.push_back(n);
  return defineOutput(node, reshape(acc, outShape), false);
}

llvm::Error Importer::importConvInteger(const onnx::NodeProto &node) {
  IntTensor w;
  SmallVector<int64_t> wZps;
  auto operands = integerOperands(node, w, wZps);
  if (!operands)
    return operands.takeError();
  // One zero point for all output channels is TOSA's weight zero point; one
  // per channel leaves the conv at weight zero point 0 and subtracts
  // zw[o] * (window sum of x - 128) below.
  bool perChannel =
      llvm::any_of(wZps, [&](int64_t z) { return z != wZps[0]; });
  auto levelsType = cast<RankedTensorType>(operands->levels.getType());
  if (levelsType.getRank() != 4 || w.shape.size() != 4)
    return nodeError(node, "needs a 4-D NCHW input and 4-D weights");
  // c: input channels per group (the weights' dimension 1).
  int64_t o = w.shape[0], c = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  int64_t groups = 1;
  if (const onnx::AttributeProto *groupAttr = attr(node, "group"))
    groups = groupAttr->i();
  if (groups < 1 || o % groups != 0)
    return nodeError(node, llvm::formatv("group {0} does not divide the {1} "
                                         "output channels",
                                         groups, o));
  if (wZps.size() != 1 && static_cast<int64_t>(wZps.size()) != o)
    return nodeError(node, llvm::formatv("{0} weight zero points for {1} "
                                         "output channels",
                                         wZps.size(), o));
  auto zpOf = [&](int64_t channel) {
    return wZps.size() == 1 ? wZps[0] : wZps[channel];
  };
  if (levelsType.getDimSize(1) != c * groups)
    return nodeError(node, llvm::formatv("weights expect {0} input "
                                         "channels ({1} groups of {2}), the "
                                         "input has {3}",
                                         c * groups, groups, c,
                                         levelsType.getDimSize(1)));
  // sum (x - zx)(w - zw) over the taps inside the input = sum (x - 128)(w -
  // zw) with x - 128 as int8, padded with 0 (it contributes nothing, like
  // ONNX's padding with zx), + (128 - zx) * S, where S sums w - zw over the
  // taps inside the input at each output position: a constant map.
  Type i8 = builder.getI8Type(), i32 = builder.getI32Type();
  Value centered = tosa::SubOp::create(builder, loc, levelsType,
                                       operands->levels, scalarLike(128.0f, 4));
  Value x8 = toNHWC(
      tosa::CastOp::create(builder, loc, levelsType.clone(i8), centered));
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
          ohwi[((a * kh + y) * kw + x) * c + ci] =
              static_cast<int8_t>(w.data[((a * c + ci) * kh + y) * kw + x]);
  // S[oh, ow, o]: per tap, the channel sums of w - zw, added where the tap
  // reads inside the input.
  SmallVector<int64_t> tapSums(o * kh * kw, 0);
  for (int64_t a = 0; a < o; ++a)
    for (int64_t t = 0; t < kh * kw; ++t)
      for (int64_t ci = 0; ci < c; ++ci)
        tapSums[a * kh * kw + t] += ohwi[(a * kh * kw + t) * c + ci] - zpOf(a);
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
  auto zp = [&](int64_t v) {
    auto t = RankedTensorType::get({1}, i8);
    return tosa::ConstOp::create(builder, loc, t,
                                 DenseElementsAttr::get(t, int8_t(v)));
  };
  auto conv = [&](RankedTensorType type, Value input, Value filter,
                  int64_t weightZp) -> Value {
    int64_t outC = type.getDimSize(3);
    auto biasType = RankedTensorType::get({outC}, i32);
    Value bias = tosa::ConstOp::create(builder, loc, biasType,
                                       DenseElementsAttr::get(biasType, 0));
    return tosa::Conv2DOp::create(
        builder, loc, type, input, filter, bias, zp(0), zp(weightZp),
        builder.getDenseI64ArrayAttr(window->pad),
        builder.getDenseI64ArrayAttr(strides),
        builder.getDenseI64ArrayAttr(dilations), TypeAttr::get(i32));
  };
  // acc - zw[first..first+count) * windowSums: the per-channel zero
  // points' term, the window sums broadcast over the channels or one per
  // channel.
  auto subtractZeroPointTerm = [&](Value acc, Value windowSums,
                                   int64_t first, int64_t count) -> Value {
    auto type = cast<RankedTensorType>(acc.getType());
    auto zpsType = RankedTensorType::get({1, 1, 1, count}, i32);
    SmallVector<int32_t> channelZps;
    for (int64_t a = first; a < first + count; ++a)
      channelZps.push_back(static_cast<int32_t>(zpOf(a)));
    Value term = tosa::MulOp::create(
        builder, loc, type, windowSums,
        tosa::ConstOp::create(
            builder, loc, zpsType,
            DenseElementsAttr::get(zpsType, ArrayRef<int32_t>(channelZps))),
        i8Zero());
    return tosa::SubOp::create(builder, loc, type, acc, term);
  };
  // Adds (128 - zx) * S and defines the node's output.
  auto finishConvInteger = [&](Value acc) -> llvm::Error {
    auto sumsType = RankedTensorType::get({1, oh, ow, o}, i32);
    acc = addZeroPointTerm(
        acc, operands->zeroPoint,
        tosa::ConstOp::create(
            builder, loc, sumsType,
            DenseElementsAttr::get(sumsType, ArrayRef<int32_t>(sums))));
    return defineOutput(node, acc, /*nhwc=*/true);
  };
  int64_t og = o / groups, batch = inType.getDimSize(0);
  auto accType = RankedTensorType::get({batch, oh, ow, o}, i32);
  if (groups > 1 && c == 1) {
    // Depthwise (one input channel per group): tosa.depthwise_conv2d,
    // whose output channel g*og + m is ONNX's too. Filter HWCM.
    auto depthwise = [&](Value filter, int64_t weightZp) {
      auto biasType = RankedTensorType::get({o}, i32);
      return tosa::DepthwiseConv2DOp::create(
          builder, loc, accType, window->input, filter,
          tosa::ConstOp::create(builder, loc, biasType,
                                DenseElementsAttr::get(biasType, 0)),
          zp(0), zp(weightZp), builder.getDenseI64ArrayAttr(window->pad),
          builder.getDenseI64ArrayAttr(strides),
          builder.getDenseI64ArrayAttr(dilations), TypeAttr::get(i32));
    };
    std::vector<char> hwcm = permuteBytes(
        RankedTensorType::get({o, kh, kw}, i8),
        ArrayRef<char>(reinterpret_cast<const char *>(ohwi.data()),
                       ohwi.size()),
        {1, 2, 0});
    auto wType = RankedTensorType::get({kh, kw, groups, og}, i8);
    Value acc = depthwise(
        tosa::ConstOp::create(builder, loc, wType,
                              DenseElementsAttr::getFromRawBuffer(wType, hwcm)),
        perChannel ? 0 : wZps[0]);
    if (perChannel) {
      // Each output channel's zero point times its input channel's window
      // sums (an all-ones depthwise filter).
      Value windowSums =
          depthwise(tosa::ConstOp::create(
                        builder, loc, wType,
                        DenseElementsAttr::get(wType, int8_t(1))),
                    0);
      acc = subtractZeroPointTerm(acc, windowSums, 0, o);
    }
    return finishConvInteger(acc);
  }
  // Otherwise one conv per group, on its slice of the input channels,
  // concatenated (ONNX's groups: output channels [g*og, (g+1)*og) read
  // input channels [g*c, (g+1)*c)).
  auto groupType = RankedTensorType::get({batch, oh, ow, og}, i32);
  SmallVector<Value> parts;
  for (int64_t g = 0; g < groups; ++g) {
    Value input = window->input;
    if (groups > 1)
      input = tosa::SliceOp::create(
          builder, loc, inType.clone({batch, h, wd, c}), input,
          shapeConst({0, 0, 0, g * c}), shapeConst({batch, h, wd, c}));
    auto wType = RankedTensorType::get({og, kh, kw, c}, i8);
    Value weights = tosa::ConstOp::create(
        builder, loc, wType,
        DenseElementsAttr::get(
            wType, ArrayRef<int8_t>(ohwi).slice(g * og * kh * kw * c,
                                                og * kh * kw * c)));
    Value part = conv(groupType, input, weights, perChannel ? 0 : wZps[0]);
    if (perChannel) {
      // sum (x - 128) zw[o] over the window: the window sums of x - 128 (a
      // conv with one all-ones filter; the padding's zeros add nothing)
      // times each channel's zero point.
      auto onesType = RankedTensorType::get({1, kh, kw, c}, i8);
      Value windowSums =
          conv(RankedTensorType::get({batch, oh, ow, 1}, i32), input,
               tosa::ConstOp::create(
                   builder, loc, onesType,
                   DenseElementsAttr::get(onesType, int8_t(1))),
               0);
      part = subtractZeroPointTerm(part, windowSums, g * og, og);
    }
    parts.push_back(part);
  }
  Value acc = parts.size() == 1
                  ? parts[0]
                  : Value(tosa::ConcatOp::create(builder, loc, accType, parts,
                                                 builder.getI32IntegerAttr(3)));
  return finishConvInteger(acc);
}

} // namespace mlir::quantsim::onnx_import

namespace {

/// QuantizeLinear, DequantizeLinear.
llvm::Error importQuantizeDequantize(NodeBinder &nb) {
  Importer &im = nb.im;
  if (nb.node.input_size() < 2)
    return nb.fail("needs a scale");
  auto scale = im.constantOf(nb.node.input(1));
  if (!scale)
    return nb.fail("scale must be a constant");
  DenseElementsAttr zp;
  if (nb.node.input_size() > 2) {
    std::string zpName = nb.node.input(2);
    while (!im.initializers.count(zpName) && im.identityOf.count(zpName))
      zpName = im.identityOf[zpName];
    auto z = im.constantOf(zpName);
    if (!z)
      return nb.fail("zero point must be a constant");
    zp = *z;
  }
  int64_t axis = nb.i("axis", 1);
  // An integer initializer behind a DequantizeLinear (ONNX Runtime's QDQ
  // weights and int32 biases) is dequantized here.
  if (nb.opType() == "DequantizeLinear" && im.intTensor(nb.node.input(0)))
    return im.importDequantizedConstant(nb.node, nb.node.input(0),
                                        nb.node.output(0), *scale, zp, axis);
  // Per-axis parameters: the axis must name a dimension of the quantized
  // tensor (in ONNX's layout) with one scale per element.
  if (scale->getNumElements() > 1) {
    std::optional<Entry> quantized;
    if (nb.opType() == "QuantizeLinear") {
      auto x = nb.input(0);
      if (!x)
        return x.takeError();
      quantized = *x;
    } else if (auto it = im.pending.find(nb.node.input(0));
               it != im.pending.end()) {
      quantized = it->second.input;
    }
    if (quantized) {
      auto plain = typeOf(im.asPlain(*quantized).value);
      int64_t rank = plain.getRank();
      if (axis < -rank || axis >= rank)
        return nb.fail("axis " + llvm::Twine(axis) +
                       " is out of range for a rank-" + llvm::Twine(rank) +
                       " tensor");
      axis = axis < 0 ? axis + rank : axis;
      if (plain.getDimSize(axis) != scale->getNumElements())
        return nb.fail(llvm::formatv("{0} scales for dimension {1} of size {2}",
                                     scale->getNumElements(), axis,
                                     plain.getDimSize(axis)));
    }
  }
  auto qtype = quantType(*scale, zp, axis, &im.context,
                         "'" + im.path + "': node '" + nb.node.name() + "' (" +
                             nb.node.op_type() + ")");
  if (!qtype)
    return qtype.takeError();
  if (nb.opType() == "QuantizeLinear") {
    auto x = nb.input(0);
    if (!x)
      return x.takeError();
    im.pending[nb.node.output(0)] = PendingQuantize{*x, *qtype};
    return llvm::Error::success();
  }
  auto it = im.pending.find(nb.node.input(0));
  if (it == im.pending.end())
    return nb.fail("DequantizeLinear of '" + nb.node.input(0) +
                   "', which is not a QuantizeLinear output; "
                   "integer inputs are not supported");
  if (it->second.qtype != *qtype)
    return nb.fail("parameters differ from its QuantizeLinear's");
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
  return nb.define(
      FakeQuantOp::create(nb.builder, nb.loc, x.value.getType(), x.value, qt),
      x.nhwc);
}

/// Cast.
llvm::Error importCast(NodeBinder &nb) {
  // Of an activation (integer shape arithmetic folded above): MatMulInteger's
  // i32 result to f32, or f32 to itself.
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  const onnx::AttributeProto *to = nb.attr("to");
  if (!to || to->i() != onnx::TensorProto::FLOAT)
    return nb.fail("only casts of activations to float are "
                   "supported");
  Type element = typeOf(x->value).getElementType();
  if (element.isF32())
    return nb.define(x->value, x->nhwc);
  return nb.define(
      tosa::CastOp::create(nb.builder, nb.loc,
                           typeOf(x->value).clone(nb.builder.getF32Type()),
                           x->value),
      x->nhwc);
}

} // namespace

void mlir::quantsim::onnx_import::registerQuantizedOps(OpTable &table) {
  table.on("QLinearConv", 13,
           [](NodeBinder &nb) { return nb.im.importQLinear(nb.node); });
  table.on("QLinearMatMul", 13,
           [](NodeBinder &nb) { return nb.im.importQLinear(nb.node); });
  table.on("QuantizeLinear", 13, importQuantizeDequantize);
  table.on("DequantizeLinear", 13, importQuantizeDequantize);
  table.on("DynamicQuantizeLinear", 13, [](NodeBinder &nb) {
    return nb.im.importDynamicQuantizeLinear(nb.node);
  });
  table.on("MatMulInteger", 13,
           [](NodeBinder &nb) { return nb.im.importMatMulInteger(nb.node); });
  table.on("ConvInteger", 13,
           [](NodeBinder &nb) { return nb.im.importConvInteger(nb.node); });
  table.on("Cast", 13, importCast);
}
