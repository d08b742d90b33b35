//===- WinogradKernels.cpp - f32 3x3 convolutions by Winograd's algorithm -===//
//
// Part of quant-opt. An f32 3x3, stride-1 convolution computed as
// F(m x m, 3 x 3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): each m x m block of output pixels is A^T [(G g G^T) .
// (B^T d B)] A, d the (m+2) x (m+2) input window around it. The filter
// transform G g G^T is computed at compile time; per tile the input
// transform takes a few additions per value; the products, one per point
// of the (m+2) x (m+2) grid, are matmuls over the input channels (the f32
// kernel of KernelBuilder.cpp, one weight matrix per point) with
// (m+2)^2 / (9 m^2) of the direct convolution's multiply-adds: 16/36 for
// m = 2, 36/144 for m = 4.
//
// The image runs in chunks of tile rows whose transformed input and
// products stay in half of L2: input transform, the (m+2)^2 matmuls, then
// the output transform (bias and activation applied on the registers)
// writes the chunk's output rows.
//
// The sums are not the direct convolution's: the results differ from the
// reference lowering's in the last bits (see docs/CPUKernels.md).
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// The transform matrices of F(m x m, 3 x 3), alpha = m + 2, row-major:
/// bt is alpha x alpha, g alpha x 3, at m x alpha.
struct WinogradMatrices {
  int64_t m, alpha;
  ArrayRef<double> bt, g, at;
};

// Interpolation points 0, 1, -1 and infinity.
constexpr double kBt2[] = {1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1};
constexpr double kG2[] = {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1};
constexpr double kAt2[] = {1, 1, 1, 0, 0, 1, -1, -1};

// Points 0, 1, -1, 2, -2 and infinity.
constexpr double kBt4[] = {4, 0, -5, 0,  1, 0, 0, -4, -4, 1,  1, 0,
                           0, 4, -4, -1, 1, 0, 0, -2, -1, 2,  1, 0,
                           0, 2, -1, -2, 1, 0, 0, 4,  0,  -5, 0, 1};
constexpr double kG4[] = {1.0 / 4,  0,        0,        -1.0 / 6,  -1.0 / 6,
                          -1.0 / 6, -1.0 / 6, 1.0 / 6,  -1.0 / 6,  1.0 / 24,
                          1.0 / 12, 1.0 / 6,  1.0 / 24, -1.0 / 12, 1.0 / 6,
                          0,        0,        1};
constexpr double kAt4[] = {1, 1, 1, 1, 1, 0, 0, 1, -1, 2, -2, 0,
                           0, 1, 1, 4, 4, 0, 0, 1, -1, 8, -8, 1};

WinogradMatrices matricesFor(int64_t m) {
  if (m == 4)
    return {4, 6, kBt4, kG4, kAt4};
  return {2, 4, kBt2, kG2, kAt2};
}

VectorType vec16(OpBuilder &b) {
  return VectorType::get({kLanes}, b.getF32Type());
}

/// sum_k coeffs[k] * xs[k] on vectors, without multiplying by 0 or +-1,
/// starting at a term of coefficient 1 where there is one (y - x, not
/// -x + y: the same value, one op less).
Value combine(OpBuilder &b, Location loc, ArrayRef<double> coeffs,
              ArrayRef<Value> xs) {
  SmallVector<std::pair<double, Value>> terms;
  for (auto [c, x] : llvm::zip(coeffs, xs))
    if (c != 0)
      terms.push_back({c, x});
  auto first = llvm::find_if(terms, [](auto &t) { return t.first == 1; });
  if (first != terms.end())
    std::rotate(terms.begin(), first, first + 1);
  Value sum;
  for (auto [c, x] : terms) {
    if (c == 1 || c == -1) {
      if (!sum)
        sum = c == 1 ? x : arith::NegFOp::create(b, loc, x).getResult();
      else if (c == 1)
        sum = arith::AddFOp::create(b, loc, sum, x);
      else
        sum = arith::SubFOp::create(b, loc, sum, x);
      continue;
    }
    Value k = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vec16(b), b.getF32FloatAttr(float(c))));
    Value term = arith::MulFOp::create(b, loc, k, x);
    sum = sum ? arith::AddFOp::create(b, loc, sum, term).getResult() : term;
  }
  if (!sum)
    sum = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vec16(b), b.getF32FloatAttr(0.0f)));
  return sum;
}

class WinogradEmitter {
public:
  WinogradEmitter(OpBuilder &b, Location loc, const WinogradConv &conv,
                  int64_t m)
      : builder(b), loc(loc), conv(conv), w(matricesFor(m)) {
    RankedTensorType outType = conv.resultType;
    batch = outType.getDimSize(0);
    outH = outType.getDimSize(1);
    outW = outType.getDimSize(2);
    outC = outType.getDimSize(3);
    inC = conv.inC;
    tilesH = (outH + m - 1) / m;
    tilesW = (outW + m - 1) / m;
    chunkRows = chunkRowsFor();
  }

  Value emit(const ResolvedTarget &target);

private:
  Value index(OpBuilder &b, int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value affine(OpBuilder &b, Value x, int64_t mul, Value add) const {
    Value p = arith::MulIOp::create(b, loc, x, index(b, mul));
    return add ? arith::AddIOp::create(b, loc, p, add).getResult() : p;
  }
  /// Tile rows per chunk. Each chunk reads all the transformed filters:
  /// when they are over twice L2 (they then come from memory in a
  /// model), the whole image is one chunk (VGG-11 float: 51-55 ms with
  /// its 28x28x512 layers' 38 MB read once per row of tiles, 39 ms read
  /// once). Otherwise the most rows dividing tilesH whose transformed
  /// input and products fit in half of L2 (at least one), the other half
  /// for the filters.
  int64_t chunkRowsFor() const {
    if (w.alpha * w.alpha * inC * outC * 4 > 2 * kL2Bytes)
      return tilesH;
    int64_t rowBytes = w.alpha * w.alpha * tilesW * (inC + outC) * 4;
    for (int64_t rows = tilesH; rows > 1; --rows)
      if (tilesH % rows == 0 && rows * rowBytes <= kL2Bytes / 2)
        return rows;
    return 1;
  }
  /// The tiles of a point's plane in the transformed input and the
  /// products: the chunk's, made odd, and the channels, made an odd
  /// number of 64-byte lines, so that the planes (36 of them, read and
  /// written together by the transforms) start in different L1 sets.
  /// With a plane of 28 tiles x 128 channels (224 lines) they fell into 2
  /// of L1's 64 sets: a 56x56x128 -> 32 layer took 0.56 ms, against 0.33
  /// with 14 tiles (4 sets).
  int64_t slots() const { return chunkRows * tilesW | 1; }
  static int64_t planeWidth(int64_t channels) {
    return (channels / kLanes) % 2 ? channels : channels + kLanes;
  }
  /// The filter transform, packed for the f32 kernel with one filter per
  /// point: alpha^2 x FB x 1 x 1 x C x 16.
  Value packedFilters(OpBuilder &b) const;
  /// Loops `count` times carrying one tensor.
  Value over(OpBuilder &b, int64_t count, Value init,
             function_ref<Value(OpBuilder &, Value, Value)> body) const {
    return scf::ForOp::create(
               b, loc, index(b, 0), index(b, count), index(b, 1),
               ValueRange{init},
               [&](OpBuilder &b, Location, Value iv, ValueRange args) {
                 scf::YieldOp::create(b, loc, body(b, iv, args[0]));
               })
        .getResult(0);
  }
  /// Loops `count` times carrying two tensors.
  std::pair<Value, Value> overBoth(
      OpBuilder &b, int64_t count, Value first, Value second,
      function_ref<std::pair<Value, Value>(OpBuilder &, Value, Value, Value)>
          body) const {
    auto loop = scf::ForOp::create(
        b, loc, index(b, 0), index(b, count), index(b, 1),
        ValueRange{first, second},
        [&](OpBuilder &b, Location, Value iv, ValueRange args) {
          auto [x, y] = body(b, iv, args[0], args[1]);
          scf::YieldOp::create(b, loc, ValueRange{x, y});
        });
    return {loop.getResult(0), loop.getResult(1)};
  }
  /// The chunk's tiles of the padded input `x`, transformed (B^T d B):
  /// alpha^2 points x 1 x tiles x C.
  Value inputTransform(OpBuilder &b, Value x, Value n, Value chunk) const;
  /// The output pixels of the chunk's tiles (A^T M A, then the bias and
  /// the activation) written into `out`; the products are overwritten.
  Value outputTransform(OpBuilder &b, Value products, Value n, Value chunk,
                        Value out) const;

  OpBuilder &builder;
  Location loc;
  const WinogradConv &conv;
  WinogradMatrices w;
  int64_t batch, outH, outW, outC, inC, tilesH, tilesW, chunkRows;
};

Value WinogradEmitter::packedFilters(OpBuilder &b) const {
  int64_t a = w.alpha, blocks = outC / kLanes;
  SmallVector<float> packed(a * a * blocks * inC * kLanes);
  for (int64_t f = 0; f < outC; ++f)
    for (int64_t c = 0; c < inC; ++c) {
      // G g G^T in double, g the 3 x 3 taps of filter f, channel c.
      double g[9], t[18];
      for (int64_t k = 0; k < 9; ++k)
        g[k] = conv.filter[(f * 9 + k) * inC + c];
      for (int64_t i = 0; i < a; ++i)
        for (int64_t j = 0; j < 3; ++j) {
          t[i * 3 + j] = 0;
          for (int64_t k = 0; k < 3; ++k)
            t[i * 3 + j] += w.g[i * 3 + k] * g[k * 3 + j];
        }
      for (int64_t i = 0; i < a; ++i)
        for (int64_t j = 0; j < a; ++j) {
          double u = 0;
          for (int64_t k = 0; k < 3; ++k)
            u += t[i * 3 + k] * w.g[j * 3 + k];
          int64_t point = i * a + j;
          packed[((point * blocks + f / kLanes) * inC + c) * kLanes +
                 f % kLanes] = float(u);
        }
    }
  return constantTensor<float>(b, loc, {a * a, blocks, 1, 1, inC, kLanes},
                               b.getF32Type(), packed);
}

Value WinogradEmitter::inputTransform(OpBuilder &b, Value x, Value n,
                                      Value chunk) const {
  int64_t a = w.alpha;
  Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value init = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{a * a, 1, slots(), planeWidth(inC)},
      b.getF32Type());
  return over(b, chunkRows, init, [&](OpBuilder &b, Value r, Value v) {
    Value th =
        arith::AddIOp::create(b, loc, affine(b, chunk, chunkRows, {}), r);
    Value row0 = affine(b, th, w.m, {});
    return over(b, tilesW, v, [&](OpBuilder &b, Value tw, Value v) {
      Value col0 = affine(b, tw, w.m, {});
      Value tile = affine(b, r, tilesW, tw);
      return over(b, inC / kLanes, v, [&](OpBuilder &b, Value cb, Value v) {
        Value c = affine(b, cb, kLanes, {});
        auto at = [&](OpBuilder &b, Value point) -> SmallVector<Value> {
          return {point, index(b, 0), tile, c};
        };
        // B^T d, a column of the window at a time, into point (i, j) of
        // the tile's slots; then each row of that times B, in place.
        v = over(b, a, v, [&](OpBuilder &b, Value j, Value v) {
          Value col = arith::AddIOp::create(b, loc, col0, j);
          SmallVector<Value> d;
          for (int64_t i = 0; i < a; ++i)
            d.push_back(vector::TransferReadOp::create(
                b, loc, vec16(b), x,
                ValueRange{n, arith::AddIOp::create(b, loc, row0, index(b, i)),
                           col, c},
                zeroF, ArrayRef<bool>{true}));
          SmallVector<Value> t;
          for (int64_t i = 0; i < a; ++i)
            t.push_back(combine(b, loc, w.bt.slice(i * a, a), d));
          for (int64_t i = 0; i < a; ++i)
            v = vector::TransferWriteOp::create(
                    b, loc, t[i], v, at(b, affine(b, index(b, i), a, j)),
                    ArrayRef<bool>{true})
                    .getResult();
          return v;
        });
        return over(b, a, v, [&](OpBuilder &b, Value i, Value v) {
          Value first = affine(b, i, a, {});
          SmallVector<Value> t;
          for (int64_t k = 0; k < a; ++k)
            t.push_back(vector::TransferReadOp::create(
                b, loc, vec16(b), v,
                at(b, arith::AddIOp::create(b, loc, first, index(b, k))), zeroF,
                ArrayRef<bool>{true}));
          SmallVector<Value> row;
          for (int64_t j = 0; j < a; ++j)
            row.push_back(combine(b, loc, w.bt.slice(j * a, a), t));
          for (int64_t j = 0; j < a; ++j)
            v = vector::TransferWriteOp::create(
                    b, loc, row[j], v,
                    at(b, arith::AddIOp::create(b, loc, first, index(b, j))),
                    ArrayRef<bool>{true})
                    .getResult();
          return v;
        });
      });
    });
  });
}

Value WinogradEmitter::outputTransform(OpBuilder &b, Value products, Value n,
                                       Value chunk, Value out) const {
  int64_t a = w.alpha, m = w.m;
  Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  return overBoth(
             b, chunkRows, products, out,
             [&](OpBuilder &b, Value r, Value p, Value out) {
               Value th = arith::AddIOp::create(
                   b, loc, affine(b, chunk, chunkRows, {}), r);
               Value row0 = affine(b, th, m, {});
               return overBoth(
                   b, tilesW, p, out,
                   [&](OpBuilder &b, Value tw, Value p, Value out) {
                     Value col0 = affine(b, tw, m, {});
                     Value tile = affine(b, r, tilesW, tw);
                     return overBoth(
                         b, outC / kLanes, p, out,
                         [&](OpBuilder &b, Value fb, Value p, Value out) {
                           Value f = affine(b, fb, kLanes, {});
                           auto at = [&](OpBuilder &b,
                                         Value point) -> SmallVector<Value> {
                             return {point, index(b, 0), tile, f};
                           };
                           // A^T M, a column at a time, into the first m rows
                           // of the tile's products; then each of those rows
                           // times A: m output pixels.
                           p = over(
                               b, a, p, [&](OpBuilder &b, Value j, Value p) {
                                 SmallVector<Value> col;
                                 for (int64_t k = 0; k < a; ++k)
                                   col.push_back(vector::TransferReadOp::create(
                                       b, loc, vec16(b), p,
                                       at(b, affine(b, index(b, k), a, j)),
                                       zeroF, ArrayRef<bool>{true}));
                                 SmallVector<Value> s;
                                 for (int64_t i = 0; i < m; ++i)
                                   s.push_back(combine(
                                       b, loc, w.at.slice(i * a, a), col));
                                 for (int64_t i = 0; i < m; ++i)
                                   p = vector::TransferWriteOp::create(
                                           b, loc, s[i], p,
                                           at(b, affine(b, index(b, i), a, j)),
                                           ArrayRef<bool>{true})
                                           .getResult();
                                 return p;
                               });
                           Value bias = vector::TransferReadOp::create(
                               b, loc, vec16(b), conv.bias, ValueRange{f},
                               zeroF, ArrayRef<bool>{true});
                           // Rows from outH % m on may be past the output in
                           // the last tile row: a loop of their own checks
                           // them.
                           auto rows = [&](OpBuilder &b, int64_t from,
                                           int64_t to, bool check, Value out) {
                             return over(
                                 b, to - from, out,
                                 [&](OpBuilder &b, Value ri, Value out) {
                                   Value i = arith::AddIOp::create(
                                       b, loc, ri, index(b, from));
                                   Value first = affine(b, i, a, {});
                                   SmallVector<Value> s;
                                   for (int64_t k = 0; k < a; ++k)
                                     s.push_back(vector::TransferReadOp::create(
                                         b, loc, vec16(b), p,
                                         at(b, arith::AddIOp::create(
                                                   b, loc, first, index(b, k))),
                                         zeroF, ArrayRef<bool>{true}));
                                   Value oh =
                                       arith::AddIOp::create(b, loc, row0, i);
                                   for (int64_t j = 0; j < m; ++j) {
                                     Value result = combine(
                                         b, loc, w.at.slice(j * a, a), s);
                                     result = arith::AddFOp::create(
                                         b, loc, result, bias);
                                     result = applyF32Activation(
                                         b, loc, result, conv.activation);
                                     Value ow = arith::AddIOp::create(
                                         b, loc, col0, index(b, j));
                                     // Only the last tile of a row or column
                                     // reaches past the output, and only when m
                                     // does not divide its size.
                                     Value inside;
                                     auto within = [&](Value at, int64_t size) {
                                       Value lt = arith::CmpIOp::create(
                                           b, loc, arith::CmpIPredicate::ult,
                                           at, index(b, size));
                                       inside = inside ? arith::AndIOp::create(
                                                             b, loc, inside, lt)
                                                             .getResult()
                                                       : lt;
                                     };
                                     if (check)
                                       within(oh, outH);
                                     if (outW % m != 0 && j >= outW % m)
                                       within(ow, outW);
                                     auto write = [&](OpBuilder &b,
                                                      Value out) -> Value {
                                       return vector::TransferWriteOp::create(
                                                  b, loc, result, out,
                                                  ValueRange{n, oh, ow, f},
                                                  ArrayRef<bool>{true})
                                           .getResult();
                                     };
                                     if (!inside) {
                                       out = write(b, out);
                                       continue;
                                     }
                                     out = scf::IfOp::create(
                                               b, loc, inside,
                                               [&](OpBuilder &b, Location) {
                                                 scf::YieldOp::create(
                                                     b, loc, write(b, out));
                                               },
                                               [&](OpBuilder &b, Location) {
                                                 scf::YieldOp::create(b, loc,
                                                                      out);
                                               })
                                               .getResult(0);
                                   }
                                   return out;
                                 });
                           };
                           int64_t whole = outH % m == 0 ? m : outH % m;
                           out = rows(b, 0, whole, false, out);
                           if (whole < m)
                             out = rows(b, whole, m, true, out);
                           return std::pair{p, out};
                         });
                   });
             })
      .second;
}

Value WinogradEmitter::emit(const ResolvedTarget &target) {
  OpBuilder &b = builder;
  int64_t a = w.alpha, m = w.m;
  Type f32 = b.getF32Type();
  // Zeros around the input up to whole tiles: the last tiles' extra
  // outputs are computed and not stored.
  auto inType = cast<RankedTensorType>(conv.input.getType());
  int64_t padBottom = tilesH * m + 2 - inType.getDimSize(1) - conv.padTop;
  int64_t padRight = tilesW * m + 2 - inType.getDimSize(2) - conv.padLeft;
  Value x = padSpatially(b, loc, conv.input, {0, conv.padTop, conv.padLeft, 0},
                         {0, padBottom, padRight, 0}, b.getF32FloatAttr(0.0f));
  F32KernelOperands operands;
  operands.weights = packedFilters(b);
  operands.bias = constantTensor<float>(b, loc, {outC}, f32,
                                        SmallVector<float>(outC, 0.0f));
  KernelGeometry products{a * a, 1, chunkRows * tilesW, outC, 1, 1, inC, 1, 1,
                          1,     1};
  products.filterPerImage = true;
  KernelTiling tiling =
      target.avx512 ? KernelTiling{4, 24} : KernelTiling{1, 6};
  F32KernelEpilogue epilogue{};

  Value init = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{batch, outH, outW, outC}, f32);
  int64_t chunks = tilesH / chunkRows;
  Value result = over(b, batch, init, [&](OpBuilder &b, Value n, Value out) {
    return over(b, chunks, out, [&](OpBuilder &b, Value chunk, Value out) {
      operands.input = inputTransform(b, x, n, chunk);
      Value empty = tensor::EmptyOp::create(
          b, loc, ArrayRef<int64_t>{a * a, 1, slots(), planeWidth(outC)},
          f32);
      Value prods = buildF32ConvKernel(b, loc, products, operands, epilogue,
                                       tiling, empty);
      return outputTransform(b, prods, n, chunk, out);
    });
  });
  // The images and the chunks of tile rows write disjoint outputs.
  return markParallel(result, batch * tilesH * tilesW * a * a * inC * outC);
}

} // namespace

bool mlir::quantsim::winogradApplies(const ConvChainBase &chain,
                                     RankedTensorType resultType, int64_t m) {
  if ((m != 2 && m != 4) || chain.kernelH != 3 || chain.kernelW != 3 ||
      chain.strideH != 1 || chain.strideW != 1 || chain.dilationH != 1 ||
      chain.dilationW != 1 || chain.inC % kLanes != 0 ||
      chain.outC % kLanes != 0 || !resultType.hasStaticShape())
    return false;
  // Each point's filter matrix (C x F) is read once per chunk of tiles:
  // with few tiles per image, reading alpha^2 of them costs more than the
  // multiply-adds saved (a 7x7x512 -> 512 layer: 4 tiles of 4x4). Up to 36
  // tiles, the transforms and the tiles' part past the output weigh more
  // than the products unless there are many output channels: 14x14x256 ->
  // 256 took 0.37 ms instead of 0.87, 14x14x128 -> 32 0.077 instead of
  // 0.056.
  int64_t tiles = ((resultType.getDimSize(1) + m - 1) / m) *
                  ((resultType.getDimSize(2) + m - 1) / m);
  return tiles >= 36 || (tiles >= 16 && chain.outC >= 128);
}

Value mlir::quantsim::buildF32WinogradConv(OpBuilder &b, Location loc,
                                           const WinogradConv &conv, int64_t m,
                                           const ResolvedTarget &target) {
  WinogradEmitter emitter(b, loc, conv, m);
  return emitter.emit(target);
}
