//===- FoldIntegers.cpp - shape arithmetic evaluated at import -------------===//
//
// Part of quant-opt. Semantics follow the ONNX operator specification
// (opset 13+); integer Div truncates toward zero as ONNX Runtime does.
//
//===----------------------------------------------------------------------===//

#include "FoldIntegers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <limits>

using namespace mlir::quantsim;
using llvm::ArrayRef;
using llvm::SmallVector;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                            const char *name) {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

static int64_t intAttr(const onnx::NodeProto &node, const char *name,
                       int64_t dflt) {
  const onnx::AttributeProto *a = findAttr(node, name);
  return a ? a->i() : dflt;
}

static int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// `axis` in [-rank, rank) made non-negative, or an error.
static llvm::Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return error(llvm::formatv("axis {0} is out of range for rank {1}", axis,
                               rank));
  return axis < 0 ? axis + rank : axis;
}

static bool isIntegerType(int64_t onnxType) {
  switch (onnxType) {
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::UINT32:
    return true;
  default:
    return false;
  }
}

bool mlir::quantsim::isFoldableIntegerOp(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  if (op == "Cast")
    return isIntegerType(intAttr(node, "to", 0));
  static const char *const ops[] = {"Gather", "Unsqueeze", "Squeeze",
                                    "Concat", "Slice",     "Add",
                                    "Sub",    "Mul",       "Div",
                                    "Reshape", "Range",    "Transpose"};
  return llvm::is_contained(ops, op);
}

static llvm::Expected<IntTensor> broadcastBinary(const std::string &op,
                                                 const IntTensor &a,
                                                 const IntTensor &b) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  SmallVector<int64_t> sa(rank - a.shape.size(), 1), sb(rank - b.shape.size(), 1);
  sa.append(a.shape.begin(), a.shape.end());
  sb.append(b.shape.begin(), b.shape.end());
  IntTensor r;
  for (size_t i = 0; i < rank; ++i) {
    if (sa[i] != sb[i] && sa[i] != 1 && sb[i] != 1)
      return error("operand shapes do not broadcast");
    r.shape.push_back(sa[i] == 1 ? sb[i] : sa[i]);
  }
  SmallVector<int64_t> stA = stridesOf(sa), stB = stridesOf(sb),
                       stR = stridesOf(r.shape);
  int64_t n = product(r.shape);
  r.data.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t ia = 0, ib = 0, rest = i;
    for (size_t d = 0; d < rank; ++d) {
      int64_t idx = rest / stR[d];
      rest %= stR[d];
      ia += (sa[d] == 1 ? 0 : idx) * stA[d];
      ib += (sb[d] == 1 ? 0 : idx) * stB[d];
    }
    int64_t x = a.data[ia], y = b.data[ib], z;
    bool overflow = false;
    if (op == "Add") {
      overflow = __builtin_add_overflow(x, y, &z);
    } else if (op == "Sub") {
      overflow = __builtin_sub_overflow(x, y, &z);
    } else if (op == "Mul") {
      overflow = __builtin_mul_overflow(x, y, &z);
    } else {
      if (y == 0)
        return error("integer division by zero");
      overflow = x == std::numeric_limits<int64_t>::min() && y == -1;
      z = overflow ? 0 : x / y;
    }
    if (overflow)
      return error(llvm::formatv("{0} overflows int64 ({1} and {2})", op, x,
                                 y));
    r.data[i] = z;
  }
  return r;
}

static llvm::Expected<IntTensor> gather(const onnx::NodeProto &node,
                                        const IntTensor &data,
                                        const IntTensor &indices) {
  int64_t rank = static_cast<int64_t>(data.shape.size());
  if (rank == 0)
    return error("cannot gather from a scalar");
  auto axis = normalizeAxis(intAttr(node, "axis", 0), rank);
  if (!axis)
    return axis.takeError();
  IntTensor r;
  r.shape.append(data.shape.begin(), data.shape.begin() + *axis);
  r.shape.append(indices.shape.begin(), indices.shape.end());
  r.shape.append(data.shape.begin() + *axis + 1, data.shape.end());
  int64_t outer = product(ArrayRef(data.shape).take_front(*axis));
  int64_t inner = product(ArrayRef(data.shape).drop_front(*axis + 1));
  int64_t extent = data.shape[*axis];
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices.data) {
      if (index < -extent || index >= extent)
        return error(llvm::formatv("index {0} is out of range for a "
                                   "dimension of {1}",
                                   index, extent));
      int64_t k = index < 0 ? index + extent : index;
      for (int64_t i = 0; i < inner; ++i)
        r.data.push_back(data.data[(o * extent + k) * inner + i]);
    }
  return r;
}

static llvm::Expected<IntTensor> concat(const onnx::NodeProto &node,
                                        ArrayRef<const IntTensor *> inputs) {
  if (inputs.empty() || !inputs[0])
    return error("needs inputs");
  int64_t rank = static_cast<int64_t>(inputs[0]->shape.size());
  auto axis = normalizeAxis(intAttr(node, "axis", 0), rank);
  if (!axis)
    return axis.takeError();
  IntTensor r;
  r.shape = inputs[0]->shape;
  r.shape[*axis] = 0;
  for (const IntTensor *t : inputs) {
    if (!t || static_cast<int64_t>(t->shape.size()) != rank)
      return error("inputs differ in rank");
    for (int64_t d = 0; d < rank; ++d)
      if (d != *axis && t->shape[d] != r.shape[d])
        return error("inputs differ outside the concatenation axis");
    r.shape[*axis] += t->shape[*axis];
  }
  int64_t outer = product(ArrayRef(r.shape).take_front(*axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const IntTensor *t : inputs) {
      int64_t block = product(ArrayRef(t->shape).drop_front(*axis));
      r.data.append(t->data.begin() + o * block,
                    t->data.begin() + (o + 1) * block);
    }
  return r;
}

static llvm::Expected<IntTensor> slice(ArrayRef<const IntTensor *> inputs) {
  if (inputs.size() < 3 || !inputs[0] || !inputs[1] || !inputs[2])
    return error("needs data, starts and ends");
  const IntTensor &data = *inputs[0];
  int64_t rank = static_cast<int64_t>(data.shape.size());
  size_t n = inputs[1]->data.size();
  SmallVector<int64_t> axes, steps(n, 1);
  if (inputs.size() > 3 && inputs[3])
    axes.assign(inputs[3]->data.begin(), inputs[3]->data.end());
  else
    for (size_t i = 0; i < n; ++i)
      axes.push_back(static_cast<int64_t>(i));
  if (inputs.size() > 4 && inputs[4])
    steps.assign(inputs[4]->data.begin(), inputs[4]->data.end());
  if (inputs[2]->data.size() != n || axes.size() != n || steps.size() != n)
    return error("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> start(rank, 0), step(rank, 1), count(data.shape);
  for (size_t i = 0; i < n; ++i) {
    auto axis = normalizeAxis(axes[i], rank);
    if (!axis)
      return axis.takeError();
    int64_t dim = data.shape[*axis], s = steps[i];
    if (s == 0)
      return error("a slice step is 0");
    int64_t b = inputs[1]->data[i], e = inputs[2]->data[i];
    if (b < 0)
      b += dim;
    if (e < 0)
      e += dim;
    if (s > 0) {
      b = std::clamp<int64_t>(b, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      count[*axis] = e > b ? (e - b + s - 1) / s : 0;
    } else {
      b = std::clamp<int64_t>(b, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      count[*axis] = b > e ? (b - e - s - 1) / -s : 0;
    }
    start[*axis] = b;
    step[*axis] = s;
  }
  IntTensor r;
  r.shape = count;
  SmallVector<int64_t> inStrides = stridesOf(data.shape),
                       outStrides = stridesOf(count);
  int64_t total = product(count);
  for (int64_t i = 0; i < total; ++i) {
    int64_t rest = i, offset = 0;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t idx = rest / outStrides[d];
      rest %= outStrides[d];
      offset += (start[d] + idx * step[d]) * inStrides[d];
    }
    r.data.push_back(data.data[offset]);
  }
  return r;
}

llvm::Expected<IntTensor>
mlir::quantsim::foldIntegerOp(const onnx::NodeProto &node,
                              ArrayRef<const IntTensor *> inputs) {
  const std::string &op = node.op_type();
  auto input = [&](size_t i) -> const IntTensor * {
    return i < inputs.size() ? inputs[i] : nullptr;
  };
  if (!input(0))
    return error("input 0 is missing");
  const IntTensor &x = *inputs[0];

  if (op == "Cast")
    return x;
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    if (!input(1))
      return error("input 1 is missing");
    return broadcastBinary(op, x, *inputs[1]);
  }
  if (op == "Gather") {
    if (!input(1))
      return error("the indices are missing");
    return gather(node, x, *inputs[1]);
  }
  if (op == "Concat")
    return concat(node, inputs);
  if (op == "Slice")
    return slice(inputs);
  if (op == "Unsqueeze" || op == "Squeeze") {
    SmallVector<int64_t> axes;
    if (input(1))
      axes.assign(inputs[1]->data.begin(), inputs[1]->data.end());
    else if (const onnx::AttributeProto *a = findAttr(node, "axes"))
      axes.assign(a->ints().begin(), a->ints().end());
    int64_t inRank = static_cast<int64_t>(x.shape.size());
    int64_t outRank =
        op == "Unsqueeze" ? inRank + static_cast<int64_t>(axes.size()) : inRank;
    for (int64_t &a : axes) {
      auto n = normalizeAxis(a, outRank);
      if (!n)
        return n.takeError();
      a = *n;
    }
    IntTensor r;
    r.data = x.data;
    if (op == "Unsqueeze") {
      for (int64_t d = 0, src = 0; d < outRank; ++d)
        r.shape.push_back(llvm::is_contained(axes, d) ? 1 : x.shape[src++]);
    } else {
      for (int64_t d = 0; d < inRank; ++d) {
        bool drop = axes.empty() ? x.shape[d] == 1 : llvm::is_contained(axes, d);
        if (drop && x.shape[d] != 1)
          return error("cannot squeeze a dimension of size " +
                       llvm::Twine(x.shape[d]));
        if (!drop)
          r.shape.push_back(x.shape[d]);
      }
    }
    return r;
  }
  if (op == "Reshape") {
    if (!input(1))
      return error("the shape is missing");
    IntTensor r;
    r.data = x.data;
    int64_t known = 1, infer = -1;
    for (auto [i, d] : llvm::enumerate(inputs[1]->data)) {
      int64_t dim = d;
      if (d == 0 && intAttr(node, "allowzero", 0) == 0) {
        if (i >= x.shape.size())
          return error("a 0 in the shape copies a dimension the input lacks");
        dim = x.shape[i];
      }
      if (dim == -1) {
        if (infer >= 0)
          return error("more than one -1 in the shape");
        infer = static_cast<int64_t>(i);
        dim = 1;
      } else if (dim < 0) {
        return error("a negative dimension in the shape");
      }
      r.shape.push_back(dim);
      known *= dim;
    }
    int64_t n = static_cast<int64_t>(x.data.size());
    if (infer >= 0) {
      if (known == 0 || n % known != 0)
        return error("cannot infer the -1 dimension");
      r.shape[infer] = n / known;
    }
    if (product(r.shape) != n)
      return error("the shape does not hold the input's elements");
    return r;
  }
  if (op == "Transpose") {
    int64_t rank = static_cast<int64_t>(x.shape.size());
    SmallVector<int64_t> perm;
    if (const onnx::AttributeProto *a = findAttr(node, "perm"))
      perm.assign(a->ints().begin(), a->ints().end());
    else
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    SmallVector<int64_t> sorted(perm);
    llvm::sort(sorted);
    for (int64_t d = 0; d < rank; ++d)
      if (static_cast<int64_t>(sorted.size()) != rank || sorted[d] != d)
        return error("perm is not a permutation of the dimensions");
    IntTensor r;
    for (int64_t p : perm)
      r.shape.push_back(x.shape[p]);
    SmallVector<int64_t> inStrides = stridesOf(x.shape),
                         outStrides = stridesOf(r.shape);
    int64_t n = product(r.shape);
    for (int64_t i = 0; i < n; ++i) {
      int64_t rest = i, offset = 0;
      for (int64_t d = 0; d < rank; ++d) {
        offset += (rest / outStrides[d]) * inStrides[perm[d]];
        rest %= outStrides[d];
      }
      r.data.push_back(x.data[offset]);
    }
    return r;
  }
  if (op == "Range") {
    if (!input(1) || !input(2) || x.data.size() != 1 ||
        inputs[1]->data.size() != 1 || inputs[2]->data.size() != 1)
      return error("needs scalar start, limit and delta");
    int64_t start = x.data[0], limit = inputs[1]->data[0],
            delta = inputs[2]->data[0];
    if (delta == 0)
      return error("delta is 0");
    int64_t count =
        std::max<int64_t>(0, (limit - start + delta + (delta > 0 ? -1 : 1)) /
                                 delta);
    if (count > (1 << 24))
      return error("the range is too long to fold");
    IntTensor r;
    r.shape = {count};
    for (int64_t i = 0; i < count; ++i)
      r.data.push_back(start + i * delta);
    return r;
  }
  return error("cannot fold '" + op + "'");
}
