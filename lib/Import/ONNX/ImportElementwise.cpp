//===- ImportElementwise.cpp - Elementwise ops ----------------------------===//
//
// Part of quant-opt's ONNX importer: Arithmetic with broadcasting (Add, Sub,
// Mul, Div, Sum), Relu, Clip, LeakyRelu, HardSigmoid, HardSwish, Sigmoid, Tanh,
// Softmax and Dropout in inference.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::onnx_import;

namespace {

/// Relu.
llvm::Error importRelu(NodeBinder &nb) {
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  return nb.define(
      tosa::ClampOp::create(
          nb.builder, nb.loc, x->value.getType(), x->value,
          nb.builder.getF32FloatAttr(0.0f),
          nb.builder.getF32FloatAttr(std::numeric_limits<float>::max())),
      x->nhwc);
}

/// Add, Div, Mul, Sub, Sum.
llvm::Error importArithmetic(NodeBinder &nb) {
  Importer &im = nb.im;
  if (nb.node.input_size() < 1 ||
      (nb.opType() != "Sum" && nb.node.input_size() != 2))
    return nb.fail("needs 2 inputs");
  // Operands: constants stay attributes until the layout is known.
  struct Operand {
    Entry entry;
    DenseElementsAttr constant;
    SmallVector<int64_t> shape; ///< in ONNX's layout
  };
  SmallVector<Operand> operands;
  for (int i = 0; i < nb.node.input_size(); ++i) {
    Operand o;
    if (nb.node.input(i).empty())
      return nb.fail("input " + llvm::Twine(i) + " is missing");
    if (im.initializers.count(nb.node.input(i)) &&
        !im.values.count(nb.node.input(i))) {
      auto c = im.constantOf(nb.node.input(i));
      if (!c)
        return c.takeError();
      if (!isa<FloatType>(c->getElementType()))
        return nb.fail("constant '" + nb.node.input(i) +
                       "' is not floating point");
      o.constant = *c;
      llvm::append_range(o.shape, c->getType().getShape());
    } else {
      auto e = nb.input(i);
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
        return nb.fail("operand shapes do not broadcast");
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
      if (nb.opType() == "Div" && i == 1) { // x / k -> x * (1 / k)
        SmallVector<float> inv;
        for (double v : doubles(k))
          inv.push_back(static_cast<float>(1.0 / v));
        k = DenseElementsAttr::get(
            RankedTensorType::get(k.getType().getShape(),
                                  nb.builder.getF32Type()),
            ArrayRef<float>(inv));
      } else if (!k.getElementType().isF32()) {
        SmallVector<float> f;
        for (double v : doubles(k))
          f.push_back(static_cast<float>(v));
        k = DenseElementsAttr::get(
            RankedTensorType::get(k.getType().getShape(),
                                  nb.builder.getF32Type()),
            ArrayRef<float>(f));
      }
      k = k.reshape(RankedTensorType::get(aligned, nb.builder.getF32Type()));
      if (nhwc)
        k = permuteConstant(k, {0, 2, 3, 1});
      vals.push_back(im.f32Const(k));
      continue;
    }
    Entry e = nhwc ? o.entry : im.asPlain(o.entry);
    Value v = e.value;
    if (static_cast<int64_t>(o.shape.size()) != rank)
      v = im.reshape(v, aligned);
    if (nb.opType() == "Div" && i == 1) // x / y -> x * (1 / y)
      v = tosa::ReciprocalOp::create(nb.builder, nb.loc, v.getType(), v);
    vals.push_back(v);
  }
  SmallVector<int64_t> resultShape = shape;
  if (nhwc)
    resultShape = {shape[0], shape[2], shape[3], shape[1]};
  auto t = RankedTensorType::get(resultShape, nb.builder.getF32Type());
  Value r = vals[0];
  for (size_t i = 1; i < vals.size(); ++i) {
    if (nb.opType() == "Add" || nb.opType() == "Sum")
      r = tosa::AddOp::create(nb.builder, nb.loc, t, r, vals[i]);
    else if (nb.opType() == "Sub")
      r = tosa::SubOp::create(nb.builder, nb.loc, t, r, vals[i]);
    else
      r = tosa::MulOp::create(nb.builder, nb.loc, t, r, vals[i], im.i8Zero());
  }
  if (vals.size() == 1 && typeOf(r).getShape() != ArrayRef(resultShape))
    return nb.fail("a Sum of one input must not broadcast");
  return nb.define(r, nhwc);
}

/// Clip.
llvm::Error importClip(NodeBinder &nb) {
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  float lo = std::numeric_limits<float>::lowest();
  float hi = std::numeric_limits<float>::max();
  for (int i : {1, 2}) {
    if (nb.node.input_size() <= i || nb.node.input(i).empty())
      continue;
    auto c = nb.scalarConstant(i, i == 1 ? "min" : "max");
    if (!c)
      return c.takeError();
    (i == 1 ? lo : hi) = static_cast<float>(*c);
  }
  if (!(lo <= hi))
    return nb.fail(llvm::formatv("min {0} is above max {1}", lo, hi));
  return nb.define(tosa::ClampOp::create(nb.builder, nb.loc, x->value.getType(),
                                         x->value,
                                         nb.builder.getF32FloatAttr(lo),
                                         nb.builder.getF32FloatAttr(hi)),
                   x->nhwc);
}

/// LeakyRelu.
llvm::Error importLeakyRelu(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  float alpha = nb.f("alpha", 0.01f);
  if (alpha < 0 || alpha > 1)
    return nb.fail("alpha outside [0, 1] is not supported");
  Type t = x->value.getType();
  Value scaled = tosa::MulOp::create(
      nb.builder, nb.loc, t, x->value,
      im.scalarLike(alpha, typeOf(x->value).getRank()), im.i8Zero());
  return nb.define(
      tosa::MaximumOp::create(nb.builder, nb.loc, t, x->value, scaled),
      x->nhwc);
}

/// HardSigmoid, HardSwish.
llvm::Error importHardSigmoidOrSwish(NodeBinder &nb) {
  Importer &im = nb.im;
  // max(0, min(1, alpha * x + beta)); HardSwish multiplies by x (alpha
  // 1/6, beta 1/2).
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  float alpha = 1.0f / 6.0f, beta = 0.5f;
  if (nb.opType() == "HardSigmoid") {
    alpha = 0.2f;
    alpha = nb.f("alpha", alpha);
    beta = nb.f("beta", beta);
  }
  auto t = typeOf(x->value);
  Value y = tosa::MulOp::create(nb.builder, nb.loc, t, x->value,
                                im.scalarLike(alpha, t.getRank()), im.i8Zero());
  y = tosa::AddOp::create(nb.builder, nb.loc, t, y,
                          im.scalarLike(beta, t.getRank()));
  y = tosa::ClampOp::create(nb.builder, nb.loc, t, y,
                            nb.builder.getF32FloatAttr(0),
                            nb.builder.getF32FloatAttr(1));
  if (nb.opType() == "HardSwish")
    y = tosa::MulOp::create(nb.builder, nb.loc, t, x->value, y, im.i8Zero());
  return nb.define(y, x->nhwc);
}

/// Dropout.
llvm::Error importDropout(NodeBinder &nb) {
  Importer &im = nb.im;
  // Inference: the identity. The mask output is not produced.
  if (nb.node.output_size() > 1 && !nb.node.output(1).empty())
    return nb.fail("the mask output is not supported");
  if (nb.node.input_size() > 2 && !nb.node.input(2).empty()) {
    auto c = im.constantOf(nb.node.input(2));
    if (!c)
      return nb.fail("training_mode must be a constant");
    if (llvm::any_of(doubles(*c), [](double v) { return v != 0; }))
      return nb.fail("training_mode=1 is not supported");
  }
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  im.values[nb.node.output(0)] = *x;
  return llvm::Error::success();
}

/// Sigmoid, Tanh.
llvm::Error importSigmoidOrTanh(NodeBinder &nb) {
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  Value y = nb.opType() == "Sigmoid"
                ? Value(tosa::SigmoidOp::create(nb.builder, nb.loc,
                                                x->value.getType(), x->value))
                : Value(tosa::TanhOp::create(nb.builder, nb.loc,
                                             x->value.getType(), x->value));
  return nb.define(y, x->nhwc);
}

/// Softmax.
llvm::Error importSoftmax(NodeBinder &nb) {
  Importer &im = nb.im;
  auto xe = nb.input(0);
  if (!xe)
    return xe.takeError();
  Entry x = im.asPlain(*xe);
  auto xType = typeOf(x.value);
  int64_t axis = nb.i("axis", -1);
  if (axis < -xType.getRank() || axis >= xType.getRank())
    return nb.fail("axis " + llvm::Twine(axis) +
                   " is out of range for a rank-" +
                   llvm::Twine(xType.getRank()) + " input");
  if (axis < 0)
    axis += xType.getRank();
  SmallVector<int64_t> reduced(xType.getShape());
  reduced[axis] = 1;
  auto redType = xType.clone(reduced);
  auto axis32 = nb.builder.getI32IntegerAttr(static_cast<int32_t>(axis));
  Value m =
      tosa::ReduceMaxOp::create(nb.builder, nb.loc, redType, x.value, axis32);
  Value shifted = tosa::SubOp::create(nb.builder, nb.loc, xType, x.value, m);
  Value e = tosa::ExpOp::create(nb.builder, nb.loc, xType, shifted);
  Value sum = tosa::ReduceSumOp::create(nb.builder, nb.loc, redType, e, axis32);
  Value inv = tosa::ReciprocalOp::create(nb.builder, nb.loc, redType, sum);
  return nb.define(
      tosa::MulOp::create(nb.builder, nb.loc, xType, e, inv, im.i8Zero()),
      false);
}

} // namespace

void mlir::quantsim::onnx_import::registerElementwiseOps(OpTable &table) {
  table.on("Relu", 13, importRelu);
  table.on("Add", 13, importArithmetic);
  table.on("Div", 13, importArithmetic);
  table.on("Mul", 13, importArithmetic);
  table.on("Sub", 13, importArithmetic);
  table.on("Sum", 13, importArithmetic);
  table.on("Clip", 13, importClip);
  table.on("LeakyRelu", 13, importLeakyRelu);
  table.on("HardSigmoid", 13, importHardSigmoidOrSwish);
  table.on("HardSwish", 13, importHardSigmoidOrSwish);
  table.on("Dropout", 13, importDropout);
  table.on("Sigmoid", 13, importSigmoidOrTanh);
  table.on("Tanh", 13, importSigmoidOrTanh);
  table.on("Softmax", 13, importSoftmax);
}
