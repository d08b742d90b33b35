//===- PoolKernels.cpp - tosa.max_pool2d as vector code -------------------===//
//
// Part of quant-opt. The max-pool half of --quantsim-cpu-kernels: an NHWC
// tosa.max_pool2d (i8 or f32, static shapes) becomes loops over output
// pixels whose body takes the maximum of each window tap's channels a
// whole vector register at a time. The generic path (linalg pooling,
// channels innermost) was left scalar by LLVM: unrolled byte compares.
// Maximum is exact in any order, so results equal the reference lowering's.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// Bytes in one vector register the loop works on (a zmm register).
constexpr int64_t kVectorBytes = 64;
/// Windows up to this many taps are unrolled.
constexpr int64_t kMaxUnrolledTaps = 16;

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// `values` combined pairwise as a tree: the depth, not the count, is what
/// a pixel waits for, and maximum is exact in any order.
Value tree(SmallVector<Value> values, function_ref<Value(Value, Value)> op) {
  while (values.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i + 1 < values.size(); i += 2)
      next.push_back(op(values[i], values[i + 1]));
    if (values.size() % 2)
      next.push_back(values.back());
    values = std::move(next);
  }
  return values.front();
}

/// The NaN-propagating maximum of f32 vectors (arith.maximumf's), computed
/// as the maximum of the values assuming no NaN (`nnan`: on x86 four
/// instructions around vmaxps instead of six) and a NaN wherever one of
/// them is NaN (one unordered compare per pair of them).
Value windowMaximumF(OpBuilder &b, Location loc, ArrayRef<Value> values) {
  auto noNaN =
      arith::FastMathFlagsAttr::get(b.getContext(), arith::FastMathFlags::nnan);
  SmallVector<Value> unordered;
  for (size_t i = 0; i < values.size(); i += 2)
    unordered.push_back(
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, values[i],
                              values[std::min(i + 1, values.size() - 1)]));
  Value anyNaN = tree(unordered, [&](Value x, Value y) -> Value {
    return arith::OrIOp::create(b, loc, x, y);
  });
  Value max = tree(SmallVector<Value>(values), [&](Value x, Value y) -> Value {
    return arith::MaximumFOp::create(b, loc, x, y, noNaN);
  });
  Value nan = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          cast<ShapedType>(max.getType()),
          b.getF32FloatAttr(std::numeric_limits<float>::quiet_NaN())));
  return arith::SelectOp::create(b, loc, anyNaN, nan, max);
}

} // namespace

/// Max or average pool `pool` of `input` as vector loops; false when the
/// windows do not fit (left alone).
static bool lowerPool(Operation *pool, Value input, bool average,
                      ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                      ArrayRef<int64_t> pad) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto outType = cast<RankedTensorType>(pool->getResult(0).getType());
  Type element = inType.getElementType();
  bool isFloat = element.isF32();
  int64_t n = outType.getDimSize(0), oh = outType.getDimSize(1),
          ow = outType.getDimSize(2), c = outType.getDimSize(3);
  // The windows must stay inside the padded input (TOSA's verifier checks
  // the output size; a zero-size tensor is left alone).
  if (n == 0 || oh == 0 || ow == 0 || c == 0 ||
      (oh - 1) * stride[0] + kernel[0] >
          inType.getDimSize(1) + pad[0] + pad[1] ||
      (ow - 1) * stride[1] + kernel[1] > inType.getDimSize(2) + pad[2] + pad[3])
    return false;

  OpBuilder b(pool);
  Location loc = pool->getLoc();
  // A max pool reads a tap in the padding as the nearest input element
  // instead: that element is in the same window (pads are smaller than
  // the window), and a maximum does not change for a value it already has,
  // NaN, infinities and signed zeros alike. So no padded copy of the input
  // is made. Otherwise the padding holds the lowest value, which no maximum
  // picks over a real one (each window holds at least one input element).
  int64_t inH = inType.getDimSize(1), inW = inType.getDimSize(2);
  bool clampRows = !average && (pad[0] > 0 || pad[1] > 0) &&
                   pad[0] < kernel[0] && pad[1] < kernel[0];
  bool clampColumns = !average && (pad[2] > 0 || pad[3] > 0) &&
                      pad[2] < kernel[1] && pad[3] < kernel[1];
  Value x = padSpatially(
      b, loc, input, {0, clampRows ? 0 : pad[0], clampColumns ? 0 : pad[2], 0},
      {0, clampRows ? 0 : pad[1], clampColumns ? 0 : pad[3], 0},
      isFloat ? TypedAttr(b.getF32FloatAttr(
                    -std::numeric_limits<float>::infinity()))
              : TypedAttr(b.getIntegerAttr(element, -128)));
  // The input coordinate of padded coordinate `v`, clamped to [0, size).
  auto clamped = [&](OpBuilder &b, Value v, int64_t low, int64_t size) {
    v = arith::SubIOp::create(b, loc, v, index(b, loc, low));
    v = arith::MaxSIOp::create(b, loc, v, index(b, loc, 0));
    return arith::MinSIOp::create(b, loc, v, index(b, loc, size - 1));
  };

  // Channel chunks: whole registers, then one shorter vector.
  int64_t lanes = kVectorBytes / (isFloat ? 4 : 1);
  SmallVector<std::pair<int64_t, int64_t>> chunks; // (offset, width)
  for (int64_t offset = 0; offset < c; offset += lanes)
    chunks.push_back({offset, std::min(lanes, c - offset)});
  int64_t taps = kernel[0] * kernel[1];

  // Average: sums from zero over the taps in order, divided by the window
  // size (the reference's pooling_nhwc_sum, then divf). Max: maximumf /
  // maxsi from the first tap.
  auto combine = [&](OpBuilder &b, Value a, Value v) -> Value {
    if (average)
      return arith::AddFOp::create(b, loc, a, v);
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, a, v);
    return arith::MaxSIOp::create(b, loc, a, v);
  };
  Value pad0 = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
  auto pixel = [&](OpBuilder &b, Value ni, Value ohi, Value owi,
                   Value out) -> Value {
    Value h0 = arith::MulIOp::create(b, loc, ohi, index(b, loc, stride[0]));
    Value w0 = arith::MulIOp::create(b, loc, owi, index(b, loc, stride[1]));
    for (auto [offset, width] : chunks) {
      auto vecType = VectorType::get({width}, element);
      Value ch = index(b, loc, offset);
      auto read = [&](OpBuilder &b, Value kh, Value kw) -> Value {
        Value h = arith::AddIOp::create(b, loc, h0, kh);
        Value w = arith::AddIOp::create(b, loc, w0, kw);
        if (clampRows)
          h = clamped(b, h, pad[0], inH);
        if (clampColumns)
          w = clamped(b, w, pad[2], inW);
        return vector::TransferReadOp::create(b, loc, vecType, x,
                                              ValueRange{ni, h, w, ch}, pad0,
                                              ArrayRef<bool>{true});
      };
      Value acc;
      if (average)
        acc = arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0.0f)));
      if (taps <= kMaxUnrolledTaps) {
        SmallVector<Value> tapValues;
        for (int64_t kh = 0; kh < kernel[0]; ++kh)
          for (int64_t kw = 0; kw < kernel[1]; ++kw)
            tapValues.push_back(read(b, index(b, loc, kh), index(b, loc, kw)));
        if (average) {
          for (Value v : tapValues)
            acc = combine(b, acc, v);
        } else {
          acc = isFloat ? windowMaximumF(b, loc, tapValues)
                        : tree(tapValues, [&](Value x, Value y) {
                            return combine(b, x, y);
                          });
        }
      } else {
        // Max starts from the first tap: taking it twice changes nothing.
        if (!acc)
          acc = read(b, index(b, loc, 0), index(b, loc, 0));
        acc = scf::ForOp::create(
                  b, loc, index(b, loc, 0), index(b, loc, taps),
                  index(b, loc, 1), ValueRange{acc},
                  [&](OpBuilder &b, Location, Value tap, ValueRange args) {
                    Value kh = arith::DivUIOp::create(
                        b, loc, tap, index(b, loc, kernel[1]));
                    Value kw = arith::RemUIOp::create(
                        b, loc, tap, index(b, loc, kernel[1]));
                    scf::YieldOp::create(
                        b, loc, combine(b, args[0], read(b, kh, kw)));
                  })
                  .getResult(0);
      }
      if (average)
        acc = arith::DivFOp::create(
            b, loc, acc,
            arith::ConstantOp::create(
                b, loc,
                DenseElementsAttr::get(
                    vecType, b.getF32FloatAttr(static_cast<float>(taps)))));
      out = vector::TransferWriteOp::create(b, loc, acc, out,
                                            ValueRange{ni, ohi, owi, ch},
                                            ArrayRef<bool>{true})
                .getResult();
    }
    return out;
  };

  auto loop = [&](OpBuilder &b, int64_t count, Value init,
                  function_ref<Value(OpBuilder &, Value, Value)> body) {
    return scf::ForOp::create(
               b, loc, index(b, loc, 0), index(b, loc, count),
               index(b, loc, 1), ValueRange{init},
               [&](OpBuilder &b, Location, Value iv, ValueRange args) {
                 scf::YieldOp::create(b, loc, body(b, iv, args[0]));
               })
        .getResult(0);
  };
  Value init = tensor::EmptyOp::create(b, loc, outType.getShape(), element);
  Value result = loop(b, n, init, [&](OpBuilder &b, Value ni, Value o1) {
    return loop(b, oh, o1, [&](OpBuilder &b, Value ohi, Value o2) {
      return loop(b, ow, o2, [&](OpBuilder &b, Value owi, Value o3) {
        return pixel(b, ni, ohi, owi, o3);
      });
    });
  });
  // In the kernels' unit: one tap of one channel here is a load and a max
  // or add, which costs about what 16 multiply-adds of a vpdpbusd do.
  constexpr int64_t kTapCost = 16;
  pool->getResult(0).replaceAllUsesWith(markParallel(
      result, n * oh * ow * outType.getDimSize(3) * taps * kTapCost));
  pool->erase();
  return true;
}

bool mlir::quantsim::lowerMaxPool(tosa::MaxPool2dOp pool) {
  auto inType = dyn_cast<RankedTensorType>(pool.getInput().getType());
  auto outType = dyn_cast<RankedTensorType>(pool.getType());
  if (!inType || !outType || !inType.hasStaticShape() ||
      !outType.hasStaticShape() || inType.getRank() != 4)
    return false;
  Type element = inType.getElementType();
  if (!element.isF32() && !element.isSignlessInteger(8))
    return false;
  if (element.isF32() &&
      pool.getNanMode() != tosa::NanPropagationMode::PROPAGATE)
    return false;
  return lowerPool(pool, pool.getInput(), /*average=*/false, pool.getKernel(),
                   pool.getStride(), pool.getPad());
}

bool mlir::quantsim::lowerF32AvgPool(tosa::AvgPool2dOp pool) {
  auto inType = dyn_cast<RankedTensorType>(pool.getInput().getType());
  auto outType = dyn_cast<RankedTensorType>(pool.getType());
  // Without padding every window has the same count; f32 throughout.
  if (!inType || !outType || !inType.hasStaticShape() ||
      !outType.hasStaticShape() || inType.getRank() != 4 ||
      !inType.getElementType().isF32() || !outType.getElementType().isF32() ||
      !pool.getAccType().isF32() || !isZeroF32(pool.getInputZp()) ||
      !isZeroF32(pool.getOutputZp()) ||
      llvm::any_of(pool.getPad(), [](int64_t p) { return p != 0; }))
    return false;
  return lowerPool(pool, pool.getInput(), /*average=*/true, pool.getKernel(),
                   pool.getStride(), pool.getPad());
}
