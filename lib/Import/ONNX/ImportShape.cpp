//===- ImportShape.cpp - Shapes and data movement -------------------------===//
//
// Part of quant-opt's ONNX importer: Shape and ConstantOfShape (folded to
// constants), Constant, Identity, Flatten, Reshape, Squeeze, Unsqueeze,
// Transpose, Concat, Slice, Split, Gather, Pad and Resize/Upsample.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::quantsim;
using namespace mlir::quantsim::onnx_import;

namespace {

/// Shape.
llvm::Error importShape(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  SmallVector<int64_t> shape(typeOf(x->value).getShape());
  if (x->nhwc)
    shape = {shape[0], shape[3], shape[1], shape[2]};
  int64_t rank = static_cast<int64_t>(shape.size());
  int64_t start = 0, end = rank;
  start = nb.i("start", start);
  end = nb.i("end", end);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  IntTensor t;
  t.data.assign(shape.begin() + start, shape.begin() + std::max(start, end));
  t.shape = {static_cast<int64_t>(t.data.size())};
  im.defineIntConstant(nb.node.output(0), t);
  return llvm::Error::success();
}

/// ConstantOfShape.
llvm::Error importConstantOfShape(NodeBinder &nb) {
  Importer &im = nb.im;
  std::optional<IntTensor> shape = im.intTensor(nb.node.input(0));
  if (!shape)
    return nb.fail("the shape must be a constant");
  const onnx::AttributeProto *value = nb.attr("value");
  int64_t n = 1;
  for (int64_t d : shape->data) {
    if (d < 0 || (d > 0 && n > (int64_t(1) << 26) / d))
      return nb.fail("the shape is negative or too large");
    n *= d;
  }
  int dtype = value && value->has_t() ? value->t().data_type()
                                      : int(onnx::TensorProto::FLOAT);
  auto scalar = [&]() -> llvm::Expected<double> {
    if (!value || !value->has_t())
      return 0.0;
    auto a = im.tensorAttr(value->t());
    if (!a)
      return a.takeError();
    SmallVector<double> v = doubles(*a);
    return v.empty() ? 0.0 : v[0];
  }();
  if (!scalar)
    return nb.fail(llvm::toString(scalar.takeError()));
  if (dtype == onnx::TensorProto::FLOAT) {
    im.defineFloatConstant(nb.node.output(0), shape->data,
                           SmallVector<float>(n, static_cast<float>(*scalar)));
  } else if (dtype == onnx::TensorProto::INT64) {
    IntTensor t;
    t.shape = shape->data;
    // Through a double (exact up to 2^53): refuse what no int64 holds.
    if (!(std::fabs(*scalar) < 0x1p63))
      return nb.fail("the value does not fit in int64");
    t.data.assign(n, static_cast<int64_t>(*scalar));
    im.defineIntConstant(nb.node.output(0), t);
  } else {
    return nb.fail("only float and int64 values are supported");
  }
  return llvm::Error::success();
}

/// Identity.
llvm::Error importIdentity(NodeBinder &nb) {
  Importer &im = nb.im;
  if (im.pending.count(nb.node.input(0))) // zero points shared by PyTorch
    return llvm::Error::success();
  if (im.initializers.count(nb.node.input(0))) {
    im.initializers[nb.node.output(0)] = im.initializers[nb.node.input(0)];
    return llvm::Error::success();
  }
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  im.values[nb.node.output(0)] = *x;
  return llvm::Error::success();
}

/// Constant.
llvm::Error importConstant(NodeBinder &nb) {
  Importer &im = nb.im;
  const onnx::AttributeProto *value = nb.attr("value");
  if (!value || !value->has_t())
    return nb.fail("only tensor 'value' constants are supported");
  // Keep it as an initializer: consumers decide how to use it.
  auto *copy = new onnx::TensorProto(value->t());
  im.ownedTensors.emplace_back(copy);
  im.initializers[nb.node.output(0)] = copy;
  return llvm::Error::success();
}

/// Flatten.
llvm::Error importFlatten(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  const onnx::AttributeProto *axisAttr = nb.attr("axis");
  if (axisAttr && axisAttr->i() != 1)
    return nb.fail("only axis 1 is supported");
  Value v = x->nhwc ? im.toNCHW(x->value) : x->value;
  auto t = typeOf(v);
  if (t.getRank() < 1 || t.getNumElements() == 0)
    return nb.fail("needs a non-empty input of rank 1 or more");
  int64_t rest = t.getNumElements() / t.getDimSize(0);
  return nb.define(im.reshape(v, {t.getDimSize(0), rest}), false);
}

/// Resize, Upsample.
llvm::Error importResize(NodeBinder &nb) {
  Importer &im = nb.im;
  // Nearest-neighbour upsampling by integer factors of H and W, where
  // every coordinate rule in use gives out[i] = in[floor(i / s)]: a tile
  // of each element. Other modes are refused.
  auto xe = nb.nhwcInput(0);
  if (!xe)
    return xe.takeError();
  Entry x = *xe;
  std::string mode = nb.s("mode", "nearest");
  std::string coords = nb.s("coordinate_transformation_mode", "half_pixel");
  std::string nearest = nb.s("nearest_mode", "round_prefer_floor");
  if (mode != "nearest")
    return nb.fail("mode '" + mode +
                   "' is not supported (only "
                   "nearest)");
  if (coords != "asymmetric" && coords != "half_pixel" &&
      coords != "pytorch_half_pixel")
    return nb.fail("coordinate_transformation_mode '" + coords +
                   "' is not supported");
  if (coords == "asymmetric" && nearest != "floor")
    return nb.fail("asymmetric coordinates need nearest_mode "
                   "floor");
  auto t = typeOf(x.value);
  // ONNX's NCHW factors, from `scales` or `sizes` (Resize) or the second
  // input (Upsample).
  SmallVector<double> factors;
  int scalesInput = nb.opType() == "Upsample" ? 1 : 2;
  if (nb.node.input_size() > scalesInput &&
      !nb.node.input(scalesInput).empty()) {
    auto c = im.constantOf(nb.node.input(scalesInput));
    if (!c)
      return nb.fail("the scales must be a constant");
    factors = doubles(*c);
  }
  if (factors.empty() && nb.opType() == "Resize" && nb.node.input_size() > 3 &&
      !nb.node.input(3).empty()) {
    auto sizes = nb.intConstant(nb.node.input(3));
    if (!sizes)
      return sizes.takeError();
    SmallVector<int64_t> in{t.getDimSize(0), t.getDimSize(3), t.getDimSize(1),
                            t.getDimSize(2)};
    if (sizes->size() != 4)
      return nb.fail("needs 4 sizes");
    for (int d = 0; d < 4; ++d)
      factors.push_back(static_cast<double>((*sizes)[d]) / in[d]);
  }
  if (factors.size() != 4)
    return nb.fail("needs 4 scales or sizes");
  if (factors[0] != 1 || factors[1] != 1)
    return nb.fail("only H and W can be resized");
  for (int d = 2; d < 4; ++d)
    if (!(factors[d] >= 1 && factors[d] <= 1024))
      return nb.fail(llvm::formatv("upsampling factor {0} is not "
                                   "in [1, 1024]",
                                   factors[d]));
  int64_t sh = static_cast<int64_t>(factors[2]),
          sw = static_cast<int64_t>(factors[3]);
  if (sh < 1 || sw < 1 || sh != factors[2] || sw != factors[3])
    return nb.fail(llvm::formatv("only integer upsampling factors "
                                 "are supported, got {0} x {1}",
                                 factors[2], factors[3]));
  int64_t n = t.getDimSize(0), h = t.getDimSize(1), w = t.getDimSize(2),
          c = t.getDimSize(3);
  Value v = im.reshape(x.value, {n, h, 1, w, 1, c});
  v = tosa::TileOp::create(nb.builder, nb.loc, t.clone({n, h, sh, w, sw, c}), v,
                           im.shapeConst({1, 1, sh, 1, sw, 1}));
  return nb.define(im.reshape(v, {n, h * sh, w * sw, c}), true);
}

/// Gather.
llvm::Error importGather(NodeBinder &nb) {
  Importer &im = nb.im;
  // On an activation with constant indices (a class token x[:, 0], a
  // channel selection): one slice per index, concatenated; a scalar index
  // drops the axis. (Integer constants fold before this.)
  auto xe = nb.input(0);
  if (!xe)
    return xe.takeError();
  Entry x = im.asPlain(*xe);
  auto t = typeOf(x.value);
  int64_t rank = t.getRank();
  std::optional<IntTensor> indices = im.intTensor(nb.node.input(1));
  if (!indices)
    return nb.fail("the indices must be an integer constant");
  if (indices->shape.size() > 1)
    return nb.fail("indices of rank above 1 are not supported");
  int64_t axis = nb.i("axis", 0);
  if (axis < -rank || axis >= rank)
    return nb.fail("axis " + llvm::Twine(axis) + " is out of range");
  axis = axis < 0 ? axis + rank : axis;
  int64_t dim = t.getDimSize(axis);
  SmallVector<Value> parts;
  for (int64_t index : indices->data) {
    if (index < -dim || index >= dim)
      return nb.fail(llvm::formatv("index {0} is out of range for a "
                                   "dimension of {1}",
                                   index, dim));
    SmallVector<int64_t> start(rank, 0), size(t.getShape());
    start[axis] = index < 0 ? index + dim : index;
    size[axis] = 1;
    parts.push_back(tosa::SliceOp::create(nb.builder, nb.loc, t.clone(size),
                                          x.value, im.shapeConst(start),
                                          im.shapeConst(size)));
  }
  if (parts.empty())
    return nb.fail("no indices");
  SmallVector<int64_t> shape(t.getShape());
  shape[axis] = static_cast<int64_t>(parts.size());
  Value y =
      parts.size() == 1
          ? parts[0]
          : Value(tosa::ConcatOp::create(
                nb.builder, nb.loc, t.clone(shape), parts,
                nb.builder.getI32IntegerAttr(static_cast<int32_t>(axis))));
  if (indices->shape.empty()) { // a scalar index drops the axis
    shape.erase(shape.begin() + axis);
    y = im.reshape(y, shape);
  }
  return nb.define(y, false);
}

/// Split.
llvm::Error importSplit(NodeBinder &nb) {
  Importer &im = nb.im;
  // Consecutive slices along one axis: sizes from the `split` input
  // (opset 13) or equal parts.
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  auto t = typeOf(x->value);
  int64_t rank = t.getRank();
  int64_t axis = nb.i("axis", 0);
  if (axis < -rank || axis >= rank)
    return nb.fail("axis " + llvm::Twine(axis) + " is out of range");
  axis = axis < 0 ? axis + rank : axis;
  int64_t h = x->nhwc ? (axis == 0 ? 0 : axis == 1 ? 3 : axis - 1) : axis;
  int64_t dim = t.getDimSize(h), parts = nb.node.output_size();
  SmallVector<int64_t> sizes;
  if (nb.node.input_size() > 1 && !nb.node.input(1).empty()) {
    auto sp = nb.intConstant(nb.node.input(1));
    if (!sp)
      return sp.takeError();
    sizes = *sp;
  } else if (const onnx::AttributeProto *a = nb.attr("split")) {
    sizes.assign(a->ints().begin(), a->ints().end());
  } else {
    if (parts < 1 || dim % parts != 0)
      return nb.fail(llvm::formatv("cannot split {0} into {1} equal "
                                   "parts",
                                   dim, parts));
    sizes.assign(parts, dim / parts);
  }
  int64_t total = 0;
  for (int64_t v : sizes) {
    if (v < 1)
      return nb.fail("split sizes must be positive");
    total += v;
  }
  if (static_cast<int64_t>(sizes.size()) != parts || total != dim)
    return nb.fail(llvm::formatv("split sizes must be {0} and add "
                                 "up to {1}",
                                 parts, dim));
  int64_t offset = 0;
  for (int64_t i = 0; i < parts; ++i) {
    SmallVector<int64_t> start(rank, 0), size(t.getShape());
    start[h] = offset;
    size[h] = sizes[i];
    offset += sizes[i];
    Value part =
        tosa::SliceOp::create(nb.builder, nb.loc, t.clone(size), x->value,
                              im.shapeConst(start), im.shapeConst(size));
    im.values[nb.node.output(i)] = Entry{part, x->nhwc};
  }
  return llvm::Error::success();
}

/// Slice.
llvm::Error importSlice(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  auto starts = nb.intConstant(nb.node.input(1));
  if (!starts)
    return starts.takeError();
  auto ends = nb.intConstant(nb.node.input(2));
  if (!ends)
    return ends.takeError();
  auto t = typeOf(x->value);
  int64_t rank = t.getRank();
  SmallVector<int64_t> axes;
  for (size_t i = 0; i < starts->size(); ++i)
    axes.push_back(static_cast<int64_t>(i));
  if (nb.node.input_size() > 3 && !nb.node.input(3).empty()) {
    auto a = nb.intConstant(nb.node.input(3));
    if (!a)
      return a.takeError();
    axes = *a;
  }
  SmallVector<int64_t> steps(starts->size(), 1);
  if (nb.node.input_size() > 4 && !nb.node.input(4).empty()) {
    auto st = nb.intConstant(nb.node.input(4));
    if (!st)
      return st.takeError();
    steps = *st;
    if (llvm::any_of(steps, [](int64_t v) { return v < 1; }))
      return nb.fail("only positive steps are supported");
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return nb.fail("starts, ends, axes and steps differ in length");
  // Dimension d of ONNX's layout is dimension held[d] of the value.
  auto held = [&](int64_t d) {
    return x->nhwc ? (d == 0 ? 0 : d == 1 ? 3 : d - 1) : d;
  };
  SmallVector<int64_t> start(rank, 0), size(t.getShape()), step(rank, 1);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (a < 0 || a >= rank)
      return nb.fail("axis " + llvm::Twine(axes[i]) + " is out of range");
    int64_t h = held(a), dim = t.getDimSize(h);
    int64_t b = (*starts)[i], e = (*ends)[i];
    b = std::clamp<int64_t>(b < 0 ? b + dim : b, 0, dim);
    e = std::clamp<int64_t>(e < 0 ? e + dim : e, 0, dim);
    if (e <= b)
      return nb.fail("an empty slice is not supported");
    start[h] = b;
    size[h] = e - b;
    step[h] = steps[i];
  }
  Value y = tosa::SliceOp::create(nb.builder, nb.loc, t.clone(size), x->value,
                                  im.shapeConst(start), im.shapeConst(size));
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
      Value padValue = im.f32Const(DenseElementsAttr::get(
          RankedTensorType::get({1}, nb.builder.getF32Type()), 0.0f));
      y = tosa::PadOp::create(nb.builder, nb.loc, yt.clone(padded), y,
                              im.shapeConst(padding), padValue);
      yt = typeOf(y);
    }
    SmallVector<int64_t> split(yt.getShape().take_front(h));
    split.append({count, s});
    llvm::append_range(split, yt.getShape().drop_front(h + 1));
    y = im.reshape(y, split);
    SmallVector<int64_t> first(split.size(), 0), keep(split);
    keep[h + 1] = 1;
    y = tosa::SliceOp::create(nb.builder, nb.loc, typeOf(y).clone(keep), y,
                              im.shapeConst(first), im.shapeConst(keep));
    SmallVector<int64_t> merged(yt.getShape());
    merged[h] = count;
    y = im.reshape(y, merged);
    size[h] = count;
  }
  return nb.define(y, x->nhwc);
}

/// Pad.
llvm::Error importPad(NodeBinder &nb) {
  Importer &im = nb.im;
  auto x = nb.input(0);
  if (!x)
    return x.takeError();
  const onnx::AttributeProto *mode = nb.attr("mode");
  if (mode && mode->s() != "constant")
    return nb.fail("pad mode " + mode->s() + " is not supported");
  auto pads = nb.intConstant(nb.node.input(1));
  if (!pads)
    return pads.takeError();
  float value = 0.0f;
  if (nb.node.input_size() > 2 && !nb.node.input(2).empty()) {
    auto c = nb.scalarConstant(2, "the pad value");
    if (!c)
      return c.takeError();
    value = static_cast<float>(*c);
  }
  auto xType = typeOf(x->value);
  int64_t rank = xType.getRank();
  // Opset 18's `axes` input names the dimensions `pads` applies to; the
  // others get no padding.
  if (nb.node.input_size() > 3 && !nb.node.input(3).empty()) {
    auto axes = nb.intConstant(nb.node.input(3));
    if (!axes)
      return axes.takeError();
    if (pads->size() != 2 * axes->size())
      return nb.fail("needs 2 pads per entry of 'axes'");
    SmallVector<int64_t> full(2 * rank, 0);
    SmallVector<bool> seen(rank, false);
    for (auto [i, axis] : llvm::enumerate(*axes)) {
      int64_t a = axis < 0 ? axis + rank : axis;
      if (a < 0 || a >= rank || seen[a])
        return nb.fail("axis " + llvm::Twine(axis) +
                       " is out of range or repeated");
      seen[a] = true;
      full[a] = (*pads)[i];
      full[a + rank] = (*pads)[i + axes->size()];
    }
    *pads = std::move(full);
  }
  if (static_cast<int64_t>(pads->size()) != 2 * rank)
    return nb.fail("needs 2 pads per dimension");
  // TOSA: (before, after) per dimension of the value as held.
  SmallVector<int64_t> order;
  for (int64_t d = 0; d < rank; ++d)
    order.push_back(x->nhwc ? (d == 0 ? 0 : d == 3 ? 1 : d + 1) : d);
  SmallVector<int64_t> padding, shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t before = (*pads)[order[d]], after = (*pads)[order[d] + rank];
    if (before < 0 || after < 0)
      return nb.fail("negative pads are not supported");
    padding.append({before, after});
    shape.push_back(xType.getDimSize(d) + before + after);
  }
  Value padShape = tosa::ConstShapeOp::create(
      nb.builder, nb.loc, tosa::shapeType::get(&im.context, padding.size()),
      DenseIntElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(padding.size())},
                                nb.builder.getIndexType()),
          padding));
  Value padValue = im.f32Const(DenseElementsAttr::get(
      RankedTensorType::get({1}, nb.builder.getF32Type()), value));
  return nb.define(tosa::PadOp::create(nb.builder, nb.loc, xType.clone(shape),
                                       x->value, padShape, padValue),
                   x->nhwc);
}

/// Concat.
llvm::Error importConcat(NodeBinder &nb) {
  Importer &im = nb.im;
  const onnx::AttributeProto *axisAttr = nb.attr("axis");
  if (!axisAttr)
    return nb.fail("needs an axis");
  SmallVector<Entry> inputs;
  bool allNHWC = true;
  for (int i = 0; i < nb.node.input_size(); ++i) {
    auto e = nb.input(i);
    if (!e)
      return e.takeError();
    allNHWC &= e->nhwc;
    inputs.push_back(*e);
  }
  int64_t rank = typeOf(inputs[0].value).getRank();
  int64_t axis = axisAttr->i() < 0 ? axisAttr->i() + rank : axisAttr->i();
  if (axis < 0 || axis >= rank)
    return nb.fail("axis out of range");
  if (allNHWC)
    axis = axis == 0 ? 0 : axis == 1 ? 3 : axis - 1;
  SmallVector<Value> operands;
  int64_t size = 0;
  for (Entry &e : inputs) {
    Value v = allNHWC ? e.value : im.asPlain(e).value;
    size += typeOf(v).getDimSize(axis);
    operands.push_back(v);
  }
  auto outType = typeOf(operands[0]);
  SmallVector<int64_t> shape(outType.getShape());
  shape[axis] = size;
  return nb.define(tosa::ConcatOp::create(nb.builder, nb.loc,
                                          outType.clone(shape), operands,
                                          nb.builder.getI32IntegerAttr(axis)),
                   allNHWC);
}

/// Transpose.
llvm::Error importTranspose(NodeBinder &nb) {
  Importer &im = nb.im;
  auto xe = nb.input(0);
  if (!xe)
    return xe.takeError();
  Entry x = im.asPlain(*xe);
  int64_t rank = typeOf(x.value).getRank();
  SmallVector<int64_t> perm = nb.ints("perm", {});
  if (perm.empty())
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  SmallVector<int32_t> perm32(perm.begin(), perm.end());
  return nb.define(im.transpose(x.value, perm32), false);
}

/// Reshape, Unsqueeze, Squeeze.
llvm::Error importReshapeOrSqueeze(NodeBinder &nb) {
  Importer &im = nb.im;
  auto xe = nb.input(0);
  if (!xe)
    return xe.takeError();
  Entry x = im.asPlain(*xe);
  auto xType = typeOf(x.value);
  SmallVector<int64_t> shape;
  if (nb.opType() == "Reshape") {
    auto target = nb.intConstant(nb.node.input(1));
    if (!target)
      return target.takeError();
    int64_t known = 1, infer = -1;
    for (auto [i, d] : llvm::enumerate(*target)) {
      if (d == 0 && static_cast<int64_t>(i) >= xType.getRank())
        return nb.fail("shape entry " + Twine(i) +
                       " copies a dimension the input lacks");
      int64_t dim = d == 0 ? xType.getDimSize(i) : d;
      if (dim == -1 && infer < 0) {
        infer = static_cast<int64_t>(i);
        shape.push_back(1);
        continue;
      }
      if (dim < 1 || dim > xType.getNumElements() ||
          known > xType.getNumElements() / dim)
        return nb.fail("shape entry " + Twine(i) + " (" + Twine(d) +
                       ") does not fit the input's " +
                       Twine(xType.getNumElements()) + " elements");
      shape.push_back(dim);
      known *= dim;
    }
    if (infer >= 0)
      shape[infer] = xType.getNumElements() / std::max<int64_t>(known, 1);
    int64_t total = 1;
    for (int64_t d : shape)
      total *= d;
    if (total != xType.getNumElements())
      return nb.fail("the shape does not hold the input's " +
                     Twine(xType.getNumElements()) + " elements");
  } else {
    SmallVector<int64_t> axes;
    if (nb.node.input_size() > 1 && !nb.node.input(1).empty()) {
      auto a = nb.intConstant(nb.node.input(1));
      if (!a)
        return a.takeError();
      axes = *a;
    }
    int64_t outRank =
        xType.getRank() +
        (nb.opType() == "Unsqueeze" ? static_cast<int64_t>(axes.size()) : 0);
    for (int64_t &a : axes)
      if (a < 0)
        a += nb.opType() == "Unsqueeze" ? outRank : xType.getRank();
    if (nb.opType() == "Unsqueeze") {
      for (int64_t d = 0, src = 0; d < outRank; ++d)
        shape.push_back(llvm::is_contained(axes, d) ? 1
                                                    : xType.getDimSize(src++));
    } else {
      for (int64_t d = 0; d < xType.getRank(); ++d) {
        bool drop = axes.empty() ? xType.getDimSize(d) == 1
                                 : llvm::is_contained(axes, d);
        if (drop && xType.getDimSize(d) != 1)
          return nb.fail("cannot squeeze a dimension of size " +
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
    return nb.fail("cannot reshape " + llvm::Twine(xType.getNumElements()) +
                   " elements to the requested shape");
  return nb.define(im.reshape(x.value, shape), false);
}

} // namespace

void mlir::quantsim::onnx_import::registerShapeOps(OpTable &table) {
  table.on("Shape", 13, importShape);
  table.on("ConstantOfShape", 13, importConstantOfShape);
  table.on("Identity", 13, importIdentity);
  table.on("Constant", 13, importConstant);
  table.on("Flatten", 13, importFlatten);
  table.on("Resize", 13, importResize);
  table.on("Upsample", 13, importResize);
  table.on("Gather", 13, importGather);
  table.on("Split", 13, importSplit);
  table.on("Slice", 13, importSlice);
  table.on("Pad", 13, importPad);
  table.on("Concat", 13, importConcat);
  table.on("Transpose", 13, importTranspose);
  table.on("Reshape", 13, importReshapeOrSqueeze);
  table.on("Unsqueeze", 13, importReshapeOrSqueeze);
  table.on("Squeeze", 13, importReshapeOrSqueeze);
}
