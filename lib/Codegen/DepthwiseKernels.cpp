//===- DepthwiseKernels.cpp - depthwise conv2d as vector code -------------===//
//
// Part of quant-opt. The depthwise half of --quantsim-cpu-kernels: an f32
// tosa.depthwise_conv2d with a constant filter (channel multiplier 1) and
// bias, and the elementwise ops after it (F32Activation.cpp), becomes
// loops over output rows, 16-channel blocks and tiles of output pixels; each
// tap loads one weight vector and adds its product with each pixel's input
// vector to that pixel's accumulator register. The generic path put the
// multiplier dimension (of size 1) innermost and stayed scalar. Sums start at
// zero and run over the taps in the reference lowering's order, then the bias
// is added, as tosa-to-linalg does: results are bit-identical to it.
// int8 depthwise convs (lowerInt8Depthwise) take the same loops over i32
// lanes, with their rescale and clamp applied by the int8 kernels' epilogue
// code when they follow.
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

/// Windows up to this many taps are unrolled.
constexpr int64_t kMaxUnrolledTaps = 25;

/// A window's taps, in the reference's order (rows, then columns): `tap`
/// takes a tap's (row, column) and the accumulators and returns them
/// updated. Unrolled up to kMaxUnrolledTaps, else a loop carrying them.
SmallVector<Value>
overTaps(OpBuilder &b, Location loc, int64_t kh, int64_t kw,
         SmallVector<Value> accs,
         function_ref<SmallVector<Value>(OpBuilder &, Value, Value, ValueRange)>
             tap) {
  auto index = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  if (kh * kw <= kMaxUnrolledTaps) {
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j)
        accs = tap(b, index(b, i), index(b, j), accs);
    return accs;
  }
  auto loop = scf::ForOp::create(
      b, loc, index(b, 0), index(b, kh * kw), index(b, 1), accs,
      [&](OpBuilder &b, Location, Value t, ValueRange args) {
        Value khi = arith::DivUIOp::create(b, loc, t, index(b, kw));
        Value kwi = arith::RemUIOp::create(b, loc, t, index(b, kw));
        scf::YieldOp::create(b, loc, tap(b, khi, kwi, args));
      });
  return SmallVector<Value>(loop.getResults());
}

/// One tile of a depthwise kernel: `rows` output pixels of row (n, oh) from
/// column ow0, channels [c0, c0 + lanes), written into `out`.
using DepthwiseTile = function_ref<Value(OpBuilder &b, Value n, Value oh,
                                         Value ow0, Value c0, int64_t lanes,
                                         Value out)>;

/// The loops of a depthwise kernel over the N x OH x OW x C output `init`:
/// images, rows, tiles of `rows` pixels and, in each tile, every channel
/// block (16 channels, then the rest). The blocks of a pixel are contiguous
/// in NHWC, so a tile reads whole cache lines one after the other (with the
/// blocks outside, a block's pass over the row touched 64 bytes in every
/// C*4). The last tile overlaps the one before it when `rows` does not
/// divide the width.
Value depthwiseNest(OpBuilder &b, Location loc, ArrayRef<int64_t> outShape,
                    int64_t rows, Value init, DepthwiseTile tile) {
  auto index = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto loop = [&](OpBuilder &b, Value lbv, Value ubv, Value stepv, Value init,
                  function_ref<Value(OpBuilder &, Value, Value)> body) {
    return scf::ForOp::create(
               b, loc, lbv, ubv, stepv, ValueRange{init},
               [&](OpBuilder &b, Location, Value iv, ValueRange args) {
                 scf::YieldOp::create(b, loc, body(b, iv, args[0]));
               })
        .getResult(0);
  };
  int64_t n = outShape[0], oh = outShape[1], ow = outShape[2],
          c = outShape[3];
  int64_t full = c / kLanes, rest = c % kLanes;
  auto blocks = [&](OpBuilder &b, Value ni, Value ohi, Value owv, Value out) {
    Value ow0 = arith::MinSIOp::create(b, loc, owv, index(b, ow - rows));
    if (full > 0)
      out = loop(b, index(b, 0), index(b, full * kLanes), index(b, kLanes), out,
                 [&](OpBuilder &b, Value c0, Value o) {
                   return tile(b, ni, ohi, ow0, c0, kLanes, o);
                 });
    if (rest > 0)
      out = tile(b, ni, ohi, ow0, index(b, full * kLanes), rest, out);
    return out;
  };
  return loop(
      b, index(b, 0), index(b, n), index(b, 1), init,
      [&](OpBuilder &b, Value ni, Value o1) {
        return loop(b, index(b, 0), index(b, oh), index(b, 1), o1,
                    [&](OpBuilder &b, Value ohi, Value o2) {
                      return loop(b, index(b, 0), index(b, ow), index(b, rows),
                                  o2, [&](OpBuilder &b, Value owv, Value o3) {
                                    return blocks(b, ni, ohi, owv, o3);
                                  });
                    });
      });
}

} // namespace

bool mlir::quantsim::lowerF32Depthwise(tosa::DepthwiseConv2DOp conv,
                                       const ResolvedTarget &target) {
  auto inType = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto outType = dyn_cast<RankedTensorType>(conv.getType());
  auto wType = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  if (!inType || !outType || !wType || !inType.hasStaticShape() ||
      !outType.hasStaticShape() || !inType.getElementType().isF32() ||
      !outType.getElementType().isF32() || wType.getDimSize(3) != 1 ||
      !isZeroF32(conv.getInputZp()) || !isZeroF32(conv.getWeightZp()))
    return false;
  std::optional<SmallVector<float>> weights = constantFloats(conv.getWeight());
  int64_t c = outType.getDimSize(3);
  std::optional<SmallVector<float>> bias = perChannelFloats(conv.getBias(), c);
  if (!weights || !bias || inType.getDimSize(3) != c ||
      outType.getNumElements() == 0)
    return false;
  int64_t kh = wType.getDimSize(0), kw = wType.getDimSize(1);
  int64_t n = outType.getDimSize(0), oh = outType.getDimSize(1),
          ow = outType.getDimSize(2);
  ArrayRef<int64_t> pad = conv.getPad(), stride = conv.getStride(),
                    dilation = conv.getDilation();

  F32Activation activation = matchF32Activation(conv.getResult());
  Operation *last =
      activation.ops.empty() ? conv.getOperation() : activation.ops.back();

  OpBuilder b(last);
  Location loc = conv.getLoc();
  Type f32 = b.getF32Type();
  auto index = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value x = padSpatially(b, loc, conv.getInput(), {0, pad[0], pad[2], 0},
                         {0, pad[1], pad[3], 0}, b.getF32FloatAttr(0.0f));
  // Weights KH x KW x C (the multiplier dimension dropped), bias C.
  auto constant = [&](ArrayRef<int64_t> shape, ArrayRef<float> values) {
    auto type = RankedTensorType::get(shape, f32);
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, values));
  };
  Value w = constant({kh, kw, c}, *weights);
  Value biasTensor = constant({c}, *bias);

  // Pixels per tile: their accumulators, the weight vector and an input
  // vector in the register file (32 zmm, or 16-lane vectors as ymm pairs).
  int64_t rows = std::min<int64_t>(target.avx512 ? 8 : 4, ow);
  Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));

  // One tile: `rows` pixels from ow0, channels [c0, c0 + lanes).
  auto tile = [&](OpBuilder &b, Value ni, Value ohi, Value ow0, Value c0,
                  int64_t lanes, Value out) -> Value {
    auto vecType = VectorType::get({lanes}, f32);
    Value zeros = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0.0f)));
    SmallVector<Value> accs(rows, zeros);
    Value h0 = arith::MulIOp::create(b, loc, ohi, index(b, stride[0]));
    auto tap = [&](OpBuilder &b, Value khi, Value kwi, ValueRange in) {
      SmallVector<Value> next(in.begin(), in.end());
      Value wv = vector::TransferReadOp::create(b, loc, vecType, w,
                                                ValueRange{khi, kwi, c0}, zeroF,
                                                ArrayRef<bool>{true});
      Value h = arith::AddIOp::create(
          b, loc, h0, arith::MulIOp::create(b, loc, khi, index(b, dilation[0])));
      Value kwOff = arith::MulIOp::create(b, loc, kwi, index(b, dilation[1]));
      for (int64_t i = 0; i < rows; ++i) {
        Value owi = arith::AddIOp::create(b, loc, ow0, index(b, i));
        Value col = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, owi, index(b, stride[1])),
            kwOff);
        Value xv = vector::TransferReadOp::create(
            b, loc, vecType, x, ValueRange{ni, h, col, c0}, zeroF,
            ArrayRef<bool>{true});
        Value product = arith::MulFOp::create(b, loc, xv, wv);
        next[i] = arith::AddFOp::create(b, loc, next[i], product);
      }
      return next;
    };
    accs = overTaps(b, loc, kh, kw, accs, tap);
    Value bv = vector::TransferReadOp::create(b, loc, vecType, biasTensor,
                                              ValueRange{c0}, zeroF,
                                              ArrayRef<bool>{true});
    for (int64_t i = 0; i < rows; ++i) {
      // tosa-to-linalg adds the bias to the sums: bias + acc.
      Value r = arith::AddFOp::create(b, loc, bv, accs[i]);
      r = applyF32Activation(b, loc, r, activation);
      Value owi = arith::AddIOp::create(b, loc, ow0, index(b, i));
      out = vector::TransferWriteOp::create(b, loc, r, out,
                                            ValueRange{ni, ohi, owi, c0},
                                            ArrayRef<bool>{true})
                .getResult();
    }
    return out;
  };

  Value init = tensor::EmptyOp::create(b, loc, outType.getShape(), f32);
  Value result = depthwiseNest(b, loc, outType.getShape(), rows, init, tile);
  last->getResult(0).replaceAllUsesWith(
      markParallel(result, n * oh * ow * c * kh * kw));
  eraseF32Activation(activation);
  conv->erase();
  return true;
}

bool mlir::quantsim::lowerInt8Depthwise(
    tosa::DepthwiseConv2DOp conv, const Int8DepthwiseRequantize *requantize) {
  auto inType = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto outType = dyn_cast<RankedTensorType>(conv.getType());
  auto wType = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  if (!inType || !outType || !wType || !inType.hasStaticShape() ||
      !outType.hasStaticShape() || !inType.getElementType().isInteger(8) ||
      !outType.getElementType().isInteger(32) ||
      !wType.getElementType().isInteger(8) || wType.getDimSize(3) != 1)
    return false;
  FailureOr<int64_t> inZp = conv.getInputZeroPoint();
  FailureOr<int64_t> wZp = conv.getWeightZeroPoint();
  DenseIntElementsAttr weightAttr, biasAttr;
  if (failed(inZp) || failed(wZp) ||
      !matchPattern(conv.getWeight(), m_Constant(&weightAttr)) ||
      !matchPattern(conv.getBias(), m_Constant(&biasAttr)))
    return false;
  int64_t c = outType.getDimSize(3);
  int64_t biasCount = biasAttr.getNumElements();
  if (inType.getDimSize(3) != c || (biasCount != 1 && biasCount != c) ||
      outType.getNumElements() == 0)
    return false;
  int64_t kh = wType.getDimSize(0), kw = wType.getDimSize(1);
  int64_t n = outType.getDimSize(0), oh = outType.getDimSize(1),
          ow = outType.getDimSize(2);
  ArrayRef<int64_t> pad = conv.getPad(), stride = conv.getStride(),
                    dilation = conv.getDilation();

  // The reference computes bias + sum of (x - inZp) * (w - wZp) in i32,
  // wrapping. Here: (bias - inZp * sum of (w - wZp)) + sum of x * (w - wZp),
  // the same modulo 2^32, with the input padded with inZp (whose terms
  // cancel as the reference's zeros do).
  // Both per-channel constants padded with zeros to whole 16-channel
  // blocks, which the requantizing kernel reads.
  int64_t padded = (c + kLanes - 1) / kLanes * kLanes;
  SmallVector<int32_t> weights(kh * kw * padded, 0), compensation(padded, 0);
  for (auto [i, v] : llvm::enumerate(weightAttr.getValues<APInt>()))
    weights[i / c * padded + i % c] =
        static_cast<int32_t>(v.getSExtValue() - *wZp);
  SmallVector<int64_t> biases;
  for (const APInt &v : biasAttr.getValues<APInt>())
    biases.push_back(v.getSExtValue());
  for (int64_t ch = 0; ch < c; ++ch) {
    uint32_t sum = 0;
    for (int64_t t = 0; t < kh * kw; ++t)
      sum += static_cast<uint32_t>(weights[t * padded + ch]);
    compensation[ch] = static_cast<int32_t>(
        static_cast<uint32_t>(biases[biasCount == 1 ? 0 : ch]) -
        static_cast<uint32_t>(*inZp) * sum);
  }

  Operation *last = requantize ? requantize->last : conv.getOperation();
  OpBuilder b(last);
  Location loc = conv.getLoc();
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto index = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value x = padSpatially(b, loc, conv.getInput(), {0, pad[0], pad[2], 0},
                         {0, pad[1], pad[3], 0},
                         b.getIntegerAttr(i8, static_cast<int8_t>(*inZp)));
  // Stored as narrow as they fit (w - wZp: i8 when wZp is 0, else i16) and
  // widened per tap: as i32, the filters of squeeze-and-excitation pools
  // (windows over the whole image) had made EfficientNet-B0's object 8.4 ->
  // 14.9 MB.
  Type wElement = *wZp == 0 ? i8 : b.getI16Type();
  Value w =
      *wZp == 0
          ? constantTensor<int8_t>(b, loc, {kh, kw, padded}, i8,
                                   SmallVector<int8_t>(weights.begin(),
                                                       weights.end()))
          : constantTensor<int16_t>(b, loc, {kh, kw, padded}, wElement,
                                    SmallVector<int16_t>(weights.begin(),
                                                         weights.end()));
  Value comp = constantTensor<int32_t>(b, loc, {padded}, i32, compensation);
  int64_t rows = std::min<int64_t>(8, ow);
  Value zeroI8 = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value zeroI32 = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0));

  // One tile: `rows` pixels from ow0, channels [c0, c0 + lanes); sums of
  // x * w' in i32 lanes, the compensation added last. Requantizing, the
  // sums are whole 16-lane vectors (the input's lanes past its channels
  // read as zeros) and only `lanes` of the results are stored.
  auto tile = [&](OpBuilder &b, Value ni, Value ohi, Value ow0, Value c0,
                  int64_t lanes, Value out) -> Value {
    int64_t vectorLanes = requantize ? kLanes : lanes;
    bool inputInBounds = vectorLanes == lanes;
    auto accType = VectorType::get({vectorLanes}, i32);
    auto inVecType = VectorType::get({vectorLanes}, i8);
    Value zeros = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(accType, b.getIntegerAttr(i32, 0)));
    SmallVector<Value> accs(rows, zeros);
    Value h0 = arith::MulIOp::create(b, loc, ohi, index(b, stride[0]));
    auto tap = [&](OpBuilder &b, Value khi, Value kwi, ValueRange in) {
      SmallVector<Value> next(in.begin(), in.end());
      Value wv = vector::TransferReadOp::create(
          b, loc, VectorType::get({vectorLanes}, wElement), w,
          ValueRange{khi, kwi, c0},
          arith::ConstantOp::create(b, loc, b.getIntegerAttr(wElement, 0)),
          ArrayRef<bool>{true});
      wv = arith::ExtSIOp::create(b, loc, accType, wv);
      Value h = arith::AddIOp::create(
          b, loc, h0, arith::MulIOp::create(b, loc, khi, index(b, dilation[0])));
      Value kwOff = arith::MulIOp::create(b, loc, kwi, index(b, dilation[1]));
      for (int64_t i = 0; i < rows; ++i) {
        Value owi = arith::AddIOp::create(b, loc, ow0, index(b, i));
        Value col = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, owi, index(b, stride[1])),
            kwOff);
        Value xv = vector::TransferReadOp::create(
            b, loc, inVecType, x, ValueRange{ni, h, col, c0}, zeroI8,
            ArrayRef<bool>{inputInBounds});
        xv = arith::ExtSIOp::create(b, loc, accType, xv);
        next[i] = arith::AddIOp::create(
            b, loc, next[i], arith::MulIOp::create(b, loc, xv, wv));
      }
      return next;
    };
    accs = overTaps(b, loc, kh, kw, accs, tap);
    Value cv = vector::TransferReadOp::create(b, loc, accType, comp,
                                              ValueRange{c0}, zeroI32,
                                              ArrayRef<bool>{true});
    SmallVector<Value> results;
    for (int64_t i = 0; i < rows; ++i)
      results.push_back(arith::AddIOp::create(b, loc, cv, accs[i]));
    if (requantize)
      results = requantizeInt8(b, loc, results, c0, requantize->operands,
                               requantize->epilogue);
    for (int64_t i = 0; i < rows; ++i) {
      Value r = results[i];
      if (vectorLanes != lanes)
        r = vector::ExtractStridedSliceOp::create(
            b, loc, r, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{lanes},
            ArrayRef<int64_t>{1});
      Value owi = arith::AddIOp::create(b, loc, ow0, index(b, i));
      out = vector::TransferWriteOp::create(b, loc, r, out,
                                            ValueRange{ni, ohi, owi, c0},
                                            ArrayRef<bool>{true})
                .getResult();
    }
    return out;
  };

  Value init = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                       requantize ? i8 : i32);
  Value result = depthwiseNest(b, loc, outType.getShape(), rows, init, tile);
  last->getResult(0).replaceAllUsesWith(
      markParallel(result, n * oh * ow * c * kh * kw));
  if (requantize)
    for (Operation *op : llvm::reverse(requantize->ops))
      op->erase();
  conv->erase();
  return true;
}
