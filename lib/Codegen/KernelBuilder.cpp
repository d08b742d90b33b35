//===- KernelBuilder.cpp - int8 and f32 conv/GEMM loop nests --------------===//
//
// Part of quant-opt. Emits the register-tiled loop nest of a convolution (a
// matmul is a 1x1 one) on tensors: for each output row, a block of
// `vectors` x 16 output channels and `rows` output pixels keeps rows x
// vectors accumulators in registers while it walks the filter taps and the
// input channels, and the epilogue runs on them before they leave the
// registers.
//  - int8: each step broadcasts 4 input bytes and multiplies them with a
//    64-byte packed weight vector (quantsim.dot_u8s8, which becomes vpdpbusd
//    where the target has it) into i32; requantize + clamp after.
//  - f32: each step broadcasts one input value and multiplies it with 16
//    packed weights (a multiply and an add, not an FMA: the same roundings
//    in the same order as the reference lowering); the activation
//    (clamp, SiLU, ...) after.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// Longest tile along the output width (bounds the unrolled code).
constexpr int64_t kMaxRows = 8;

/// The most output pixels a tile of `vectors` vectors of channels may hold.
int64_t mostRows(const KernelTiling &t, int64_t vectors) {
  return std::min(kMaxRows, t.accumulators / vectors);
}

/// The input extent that `out` outputs read along one dimension.
int64_t inputExtent(int64_t out, int64_t stride, int64_t kernel,
                    int64_t dilation) {
  return (out - 1) * stride + (kernel - 1) * dilation + 1;
}

VectorType vecType(int64_t n, Type elt) { return VectorType::get({n}, elt); }

/// The loop nest over output rows, channel blocks and pixel tiles; what a
/// tile computes is the subclass's.
class KernelEmitter {
public:
  KernelEmitter(Location loc, const KernelGeometry &g, const KernelTiling &t)
      : loc(loc), g(g), t(t), band(bandRows(g, t)), rowsPerImage(g.outH / band),
        rowWidth(band * g.outW) {}
  virtual ~KernelEmitter() = default;

  /// The nest over the whole output; `work` (its multiply-adds) goes on the
  /// loops that may run in parallel (kParallelLoopAttr).
  Value emit(OpBuilder &b, Value init, int64_t work);

protected:
  Value index(OpBuilder &b, int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  /// Output pixels per tile for `vectors` vectors of channels: as few
  /// tiles as the registers allow, sharing the row evenly. The last tile
  /// starts at outW - rows and recomputes what it overlaps: 8-pixel tiles
  /// on a 14-pixel row computed 16 pixels (14% more work), 7-pixel ones
  /// compute 14.
  int64_t rowsFor(int64_t vectors) const {
    int64_t most = mostRows(t, vectors);
    int64_t tiles = (rowWidth + most - 1) / most;
    return (rowWidth + tiles - 1) / tiles;
  }

  /// One block of `vectors` 16-channel vectors starting at vector `block`,
  /// over all output pixels of row (n, oh) (of band oh, in bands).
  /// When `partialLanes` is not 0, the block's last vector holds only that
  /// many output channels.
  /// With `parallelWork`, the tiles that do not overlap run in a loop
  /// marked parallel with that work, and a last tile overlapping them after
  /// it.
  Value emitChannelBlock(OpBuilder &b, Value n, Value oh, Value block,
                         int64_t vectors, int64_t rows, int64_t partialLanes,
                         Value out, int64_t parallelWork = 0);
  /// The register tile at pixel `ow0`: reduction, epilogue, stores.
  virtual Value emitTile(OpBuilder &b, Value n, Value oh, Value ow0,
                         Value block, int64_t vectors, int64_t rows,
                         int64_t partialLanes, Value out) = 0;
  /// A loop of `count` iterations carrying `accs`.
  SmallVector<Value>
  loop(OpBuilder &b, int64_t count, ValueRange accs,
       function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> body)
      const;
  /// The loops over the filter taps (kh, kw) and `steps` input-channel
  /// steps, carrying `init`.
  SmallVector<Value> reduce(
      OpBuilder &b, int64_t steps, ArrayRef<Value> init,
      function_ref<SmallVector<Value>(OpBuilder &, Value, Value, Value,
                                      ValueRange)>
          body) const;
  /// The first output channel of vector `j` of the block at `block`.
  Value channelOf(OpBuilder &b, Value block, int64_t j) const {
    Value blk = arith::AddIOp::create(b, loc, block, index(b, j));
    return arith::MulIOp::create(b, loc, blk, index(b, kLanes));
  }
  /// The output row and column of pixel `i` of the tile at (oh, ow0): in
  /// bands, the tile's row is band oh's pixels, one output row after the
  /// other.
  std::pair<Value, Value> pixel(OpBuilder &b, Value oh, Value ow0,
                                int64_t i) const {
    Value p = arith::AddIOp::create(b, loc, ow0, index(b, i));
    if (band == 1)
      return {oh, p};
    Value first = arith::MulIOp::create(b, loc, oh, index(b, band));
    return {
        arith::AddIOp::create(
            b, loc, first, arith::DivUIOp::create(b, loc, p, index(b, g.outW))),
        arith::RemUIOp::create(b, loc, p, index(b, g.outW))};
  }
  /// The input row that tap row `kh` of output row `oh` reads.
  Value inputRow(OpBuilder &b, Value oh, Value kh) const {
    return arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, oh, index(b, g.strideH)),
        arith::MulIOp::create(b, loc, kh, index(b, g.dilationH)));
  }
  /// The column offset of tap column `kw`.
  Value tapColumn(OpBuilder &b, Value kw) const {
    return arith::MulIOp::create(b, loc, kw, index(b, g.dilationW));
  }
  /// The input column that output column `ow` reads at tap column offset
  /// `tap` (tapColumn).
  Value inputColumn(OpBuilder &b, Value ow, Value tap) const {
    return arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, ow, index(b, g.strideW)), tap);
  }
  /// Stores row `i`'s vector `result` of tile (n, oh, ow0) at `channel`,
  /// the first `lanes` lanes only when fewer than 16.
  Value store(OpBuilder &b, Value result, int64_t lanes, Value n, Value oh,
              Value ow0, int64_t i, Value channel, Value out) const;

  /// Output rows per band: the tiles run over a band's pixels as one row,
  /// output row after output row, so that rows need not end a tile. A
  /// 13-pixel row took tiles of 5, 5 and 5 (overlapping: 15 pixels
  /// computed, 20 accumulators); 169 pixels take 29 tiles of 6 (174, 24).
  /// A band is the most rows dividing the output's whose input fits in
  /// half of L2 (across the blocks of output channels it is read again),
  /// the whole image when it fits; 1 (rows) when not even two rows fit, or
  /// when nearly full tiles fit a row exactly: a band's tiles then cross
  /// rows for nothing, and each of their pixels needs an address of its
  /// own (the Fashion-MNIST CNN's first conv, rows of 28 in tiles of 7,
  /// ran 1.7x slower in one band).
  static int64_t bandRows(const KernelGeometry &g, const KernelTiling &t) {
    if (g.flattenedTranspose)
      return 1;
    int64_t vectors =
        std::min(t.maxVectors, (g.outC + kLanes - 1) / kLanes);
    int64_t most = mostRows(t, vectors);
    int64_t tiles = (g.outW + most - 1) / most;
    if (g.outW % tiles == 0 && 4 * (g.outW / tiles) >= 3 * most)
      return 1;
    int64_t rowBytes = inputExtent(g.outW, g.strideW, g.kernelW, g.dilationW) *
                       g.channelGroups * 4;
    for (int64_t rows = g.outH; rows > 1; --rows) {
      int64_t inRows = inputExtent(rows, g.strideH, g.kernelH, g.dilationH);
      if (g.outH % rows == 0 && inRows * rowBytes <= kL2Bytes / 2)
        return rows;
    }
    return 1;
  }

  Location loc;
  const KernelGeometry &g;
  const KernelTiling &t;
  /// The traversal: rowsPerImage rows (bands of `band` output rows) of
  /// rowWidth pixels per image.
  int64_t band, rowsPerImage, rowWidth;
};

class Int8Emitter : public KernelEmitter {
public:
  Int8Emitter(Location loc, const KernelGeometry &g,
              const Int8KernelOperands &ops, const Int8KernelEpilogue &e,
              const KernelTiling &t)
      : KernelEmitter(loc, g, t), ops(ops), e(e) {}

private:
  Value emitTile(OpBuilder &b, Value n, Value oh, Value ow0, Value block,
                 int64_t vectors, int64_t rows, int64_t partialLanes,
                 Value out) override;

  const Int8KernelOperands &ops;
  const Int8KernelEpilogue &e;
};

/// The requantize + clamp epilogue on vectors of 16 i32 sums: tosa.rescale's
/// arithmetic (i64 products, rounding, shift) on the even and odd lanes,
/// then the output zero point and the clamp.
class Int8Requantizer {
public:
  struct Channels;
  struct Constants;
  Int8Requantizer(Location loc, const Int8KernelOperands &ops,
                  const Int8KernelEpilogue &e)
      : loc(loc), ops(ops), e(e) {}
  Channels loadChannels(OpBuilder &b, Value channel, const Constants &k) const;
  Value requantize(OpBuilder &b, Value acc, const Channels &c,
                   const Constants &k) const;

private:
  Location loc;
  const Int8KernelOperands &ops;
  const Int8KernelEpilogue &e;
};

class F32Emitter : public KernelEmitter {
public:
  F32Emitter(Location loc, const KernelGeometry &g,
             const F32KernelOperands &ops, const F32KernelEpilogue &e,
             const KernelTiling &t)
      : KernelEmitter(loc, g, t), ops(ops), e(e) {}

private:
  Value emitTile(OpBuilder &b, Value n, Value oh, Value ow0, Value block,
                 int64_t vectors, int64_t rows, int64_t partialLanes,
                 Value out) override;

  const F32KernelOperands &ops;
  const F32KernelEpilogue &e;
};

} // namespace

/// Whether a layer's weights are better kept in cache than its input: when
/// they do not fit in half of a (1 MB) L2 cache and the image they are
/// applied to is smaller, each block of output channels runs over the whole
/// image before the next (its weights read from memory once, then from L2),
/// instead of each output row running over all blocks (all weights read
/// once per row). Returns the vectors per block that keep a block's weights
/// in three quarters of L2, or 0 for the row-major order.
static int64_t weightsOuterVectors(const KernelGeometry &g,
                                   const KernelTiling &t, int64_t blocks) {
  if (g.rowChannels || g.flattenedTranspose)
    return 0;
  // 64 bytes per reduction step and vector, f32 (16 lanes) as int8 (16
  // lanes of 4 bytes).
  int64_t perVector = 64 * g.kernelH * g.kernelW * g.channelGroups;
  int64_t image = inputExtent(g.outH, g.strideH, g.kernelH, g.dilationH) *
                  inputExtent(g.outW, g.strideW, g.kernelW, g.dilationW) *
                  g.channelGroups * 4;
  if (perVector * blocks <= kL2Bytes / 2 || image >= perVector * blocks)
    return 0;
  return std::clamp<int64_t>(kL2Bytes * 3 / 4 / perVector, 1,
                             std::min(t.maxVectors, blocks));
}

Value KernelEmitter::emit(OpBuilder &b, Value init, int64_t work) {
  int64_t blocks = (g.outC + kLanes - 1) / kLanes;
  int64_t fullBlocks = g.outC / kLanes;
  int64_t partialLanes = g.outC % kLanes;
  int64_t weightsOuter = weightsOuterVectors(g, t, blocks);
  int64_t vectors =
      weightsOuter ? weightsOuter : std::min(t.maxVectors, blocks);
  // The loop covers whole groups of full vectors; the rest, including a
  // partial last vector, is one statically emitted block.
  int64_t mainBlocks = fullBlocks / vectors * vectors;
  int64_t tailVectors = blocks - mainBlocks;

  using BlockBody = function_ref<Value(OpBuilder &, Value first, int64_t count,
                                       int64_t lanes, Value out)>;
  // The blocks of output channels, `body` emitting one (`count` vectors from
  // vector `first`, its last one of `lanes` lanes when not 0); with
  // `parallel`, the loop over the whole groups may run in parallel.
  auto overBlocks = [&](OpBuilder &b, Value out, bool parallel,
                        BlockBody body) -> Value {
    if (mainBlocks > 0) {
      auto blockLoop = scf::ForOp::create(
          b, loc, index(b, 0), index(b, mainBlocks), index(b, vectors),
          ValueRange{out},
          [&](OpBuilder &b, Location, Value block, ValueRange args) {
            scf::YieldOp::create(b, loc, body(b, block, vectors, 0, args[0]));
          });
      if (parallel && mainBlocks / vectors > 1)
        blockLoop->setAttr(kParallelLoopAttr,
                           b.getI64IntegerAttr(work * mainBlocks / blocks));
      out = blockLoop.getResult(0);
    }
    if (tailVectors > 0)
      out = body(b, index(b, mainBlocks), tailVectors, partialLanes, out);
    return out;
  };
  // `count` iterations of `body` carrying the output tensor.
  using OutBody = function_ref<Value(OpBuilder &, Value, Value)>;
  auto over = [&](OpBuilder &b, int64_t count, Value out, OutBody body) {
    return loop(b, count, out,
                [&](OpBuilder &b, Value iv, ValueRange args) {
                  return SmallVector<Value>{body(b, iv, args[0])};
                })
        .front();
  };
  // The output rows (of one image), and the images.
  auto overRows = [&](OpBuilder &b, Value out, OutBody body) {
    return over(b, rowsPerImage, out, body);
  };
  auto overImages = [&](OutBody body) { return over(b, g.batch, init, body); };

  if (weightsOuter) {
    // Each block over all rows of an image; for one image, its blocks are
    // what may run in parallel.
    Value result = overImages([&](OpBuilder &b, Value n, Value out) {
      return overBlocks(
          b, out, g.batch == 1,
          [&](OpBuilder &b, Value first, int64_t count, int64_t lanes,
              Value out) {
            return overRows(b, out, [&](OpBuilder &b, Value oh, Value out) {
              return emitChannelBlock(b, n, oh, first, count, rowsFor(count),
                                      lanes, out);
            });
          });
    });
    return g.batch > 1 ? markParallel(result, work) : result;
  }

  // One image row (a matmul's rows are its columns): its blocks of output
  // channels are what may run in parallel; with a single block, the tiles
  // along the row.
  bool oneRow = g.batch * rowsPerImage == 1;
  bool parallelBlocks = oneRow && mainBlocks / vectors > 1;
  Value result = overImages([&](OpBuilder &b, Value n, Value out) {
    return overRows(b, out, [&](OpBuilder &b, Value oh, Value out) {
      return overBlocks(
          b, out, oneRow,
          [&](OpBuilder &b, Value first, int64_t count, int64_t lanes,
              Value out) {
            int64_t tileWork =
                oneRow && !parallelBlocks ? work * count / blocks : 0;
            return emitChannelBlock(b, n, oh, first, count, rowsFor(count),
                                    lanes, out, tileWork);
          });
    });
  });
  // Several images or rows: those are what may run in parallel.
  return g.batch * rowsPerImage > 1 ? markParallel(result, work) : result;
}

Value KernelEmitter::emitChannelBlock(OpBuilder &b, Value n, Value oh,
                                      Value block, int64_t vectors,
                                      int64_t rows, int64_t partialLanes,
                                      Value out, int64_t parallelWork) {
  if (parallelWork > 0) {
    // Overlapping tiles would write the same bytes from two threads.
    int64_t whole = rowWidth / rows * rows;
    auto loop = scf::ForOp::create(
        b, loc, index(b, 0), index(b, whole), index(b, rows), ValueRange{out},
        [&](OpBuilder &b, Location, Value ow, ValueRange args) {
          scf::YieldOp::create(b, loc,
                               emitTile(b, n, oh, ow, block, vectors, rows,
                                        partialLanes, args[0]));
        });
    if (whole / rows > 1)
      loop->setAttr(kParallelLoopAttr, b.getI64IntegerAttr(parallelWork));
    out = loop.getResult(0);
    if (whole < rowWidth)
      out = emitTile(b, n, oh, index(b, rowWidth - rows), block, vectors, rows,
                     partialLanes, out);
    return out;
  }
  // The last tile starts at outW - rows and overlaps the one before it when
  // rows does not divide outW: it recomputes (and rewrites) equal values.
  Value lastStart = index(b, rowWidth - rows);
  return scf::ForOp::create(
             b, loc, index(b, 0), index(b, rowWidth), index(b, rows),
             ValueRange{out},
             [&](OpBuilder &b, Location, Value ow, ValueRange args) {
               Value ow0 = arith::MinSIOp::create(b, loc, ow, lastStart);
               scf::YieldOp::create(b, loc,
                                    emitTile(b, n, oh, ow0, block, vectors,
                                             rows, partialLanes, args[0]));
             })
      .getResult(0);
}

/// tosa.rescale (scale32, input zero point 0) exactly as the reference
/// lowering computes it, on 16 lanes: a widening 32x32->64 multiply, the
/// rounding term, an arithmetic shift, truncation, the output zero point and
/// one clamp (the rescale's i8 saturation met with the clamp op).
///
/// The 64-bit arithmetic runs on the even and the odd lanes apart, each as 8
/// i64 lanes holding a sign-extended 32-bit value: x86's vpmuldq multiplies
/// exactly those, and the halves go back together with a shift and an or
/// instead of widening and narrowing shuffles (which took half of a first
/// layer's time). The same values as one 16-lane i64 rescale.
///
/// A tile's rows share their channels' parameters: those are loaded and
/// split once per vector of channels (`Int8Requantizer::Channels`), and each row
/// adds only its own accumulator's arithmetic. Generating them once per row
/// made most of a large model's ops, which CSE merged only after every pass
/// before it had walked them.
struct Int8Requantizer::Channels {
  Value mulEven, mulOdd, roundEven, roundOdd, shiftEven, shiftOdd;
  Value termEven, termOdd;
};

struct Int8Requantizer::Constants {
  Constants(OpBuilder &b, Location loc, const Int8KernelEpilogue &e) {
    VectorType half64 = vecType(kLanes / 2, b.getI64Type());
    VectorType v32 = vecType(kLanes, b.getI32Type());
    auto splat = [&](VectorType type, int64_t v) -> Value {
      return arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              type, b.getIntegerAttr(type.getElementType(), v)));
    };
    c32 = splat(half64, 32);
    zero64 = splat(half64, 0);
    low32 = splat(half64, 0xFFFFFFFF);
    outputZp = splat(v32, e.outputZp);
    lo = splat(v32, e.lo);
    hi = splat(v32, e.hi);
  }
  Value c32, zero64, low32, outputZp, lo, hi;
};

/// (even, odd) lanes of 16 i32, as 8 sign-extended i64 each.
static std::pair<Value, Value> split32(OpBuilder &b, Location loc, Value v,
                                       Value c32) {
  Value q = vector::BitCastOp::create(b, loc, cast<VectorType>(c32.getType()),
                                      v);
  Value even = arith::ShRSIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, q, c32), c32);
  return {even, arith::ShRSIOp::create(b, loc, q, c32)};
}

Int8Requantizer::Channels
Int8Requantizer::loadChannels(OpBuilder &b, Value channel,
                              const Constants &k) const {
  auto load = [&](Value tensor) -> Value {
    auto type = cast<ShapedType>(tensor.getType());
    return vector::TransferReadOp::create(
        b, loc, vecType(kLanes, type.getElementType()), tensor,
        ValueRange{channel}, std::nullopt, ArrayRef<bool>{true});
  };
  SmallVector<int64_t> evenLanes, oddLanes;
  for (int64_t i = 0; i < kLanes / 2; ++i) {
    evenLanes.push_back(2 * i);
    oddLanes.push_back(2 * i + 1);
  }
  // (even, odd) lanes of 16 i64.
  auto split64 = [&](Value v) -> std::pair<Value, Value> {
    return {vector::ShuffleOp::create(b, loc, v, v, evenLanes),
            vector::ShuffleOp::create(b, loc, v, v, oddLanes)};
  };
  Channels c;
  std::tie(c.mulEven, c.mulOdd) = split32(b, loc, load(ops.multiplier), k.c32);
  std::tie(c.roundEven, c.roundOdd) = split64(load(ops.round));
  std::tie(c.shiftEven, c.shiftOdd) = split64(load(ops.shift));
  if (e.doubleRound)
    std::tie(c.termEven, c.termOdd) = split64(load(ops.doubleRoundTerm));
  return c;
}

Value Int8Requantizer::requantize(OpBuilder &b, Value acc,
                                  const Channels &c,
                                  const Constants &k) const {
  auto [accEven, accOdd] = split32(b, loc, acc, k.c32);
  auto rescaleHalf = [&](Value a, Value m, Value round, Value shift,
                         Value term) -> Value {
    Value value = arith::MulIOp::create(b, loc, a, m);
    value = arith::AddIOp::create(b, loc, value, round);
    if (e.doubleRound) {
      Value nonNegative = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sge, a, k.zero64);
      Value negTerm = arith::SubIOp::create(b, loc, k.zero64, term);
      value = arith::AddIOp::create(
          b, loc, value,
          arith::SelectOp::create(b, loc, nonNegative, term, negTerm));
    }
    return arith::ShRSIOp::create(b, loc, value, shift);
  };
  Value even =
      rescaleHalf(accEven, c.mulEven, c.roundEven, c.shiftEven, c.termEven);
  Value odd = rescaleHalf(accOdd, c.mulOdd, c.roundOdd, c.shiftOdd, c.termOdd);
  // Truncation to i32: each result's low 32 bits, odd lanes above even.
  Value joined = arith::OrIOp::create(
      b, loc, arith::AndIOp::create(b, loc, even, k.low32),
      arith::ShLIOp::create(b, loc, odd, k.c32));
  Value narrow = vector::BitCastOp::create(
      b, loc, cast<VectorType>(k.outputZp.getType()), joined);
  narrow = arith::AddIOp::create(b, loc, narrow, k.outputZp);
  narrow = arith::MaxSIOp::create(b, loc, narrow, k.lo);
  narrow = arith::MinSIOp::create(b, loc, narrow, k.hi);
  return arith::TruncIOp::create(b, loc, vecType(kLanes, b.getI8Type()),
                                 narrow);
}

Value Int8Emitter::emitTile(OpBuilder &b, Value n, Value oh, Value ow0,
                              Value block, int64_t vectors, int64_t rows,
                              int64_t partialLanes, Value out) {
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  VectorType accType = vecType(kLanes, i32);
  VectorType wType = vecType(kLanes * kGroup, i8);
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getI32IntegerAttr(0)));
  SmallVector<Value> init(rows * vectors, zeroAcc);
  Value c0 = index(b, 0);
  Value pad8 = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));

  // Reduction over taps (h, w) and channel groups, accumulators carried.
  auto groupBody = [&](OpBuilder &b, Value kh, Value kw, Value grp,
                       ValueRange accs) -> SmallVector<Value> {
    SmallVector<Value> wv;
    for (int64_t j = 0; j < vectors; ++j) {
      Value blk = arith::AddIOp::create(b, loc, block, index(b, j));
      wv.push_back(vector::TransferReadOp::create(
          b, loc, wType, ops.weights, ValueRange{blk, kh, kw, grp, c0}, pad8,
          ArrayRef<bool>{true}));
    }
    Value kwOff = tapColumn(b, kw);
    Value channel = arith::MulIOp::create(b, loc, grp, index(b, kGroup));
    SmallVector<Value> next(accs.begin(), accs.end());
    for (int64_t i = 0; i < rows; ++i) {
      auto [row, column] = pixel(b, oh, ow0, i);
      Value ih = inputRow(b, row, kh);
      Value iw = inputColumn(b, column, kwOff);
      Value bytes;
      if (g.rowChannels) {
        Value column = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, iw, index(b, g.rowChannels)),
            channel);
        bytes = vector::TransferReadOp::create(
            b, loc, vecType(kGroup, i8), ops.input, ValueRange{n, ih, column},
            pad8, ArrayRef<bool>{true});
      } else {
        bytes = vector::TransferReadOp::create(
            b, loc, vecType(kGroup, i8), ops.input,
            ValueRange{n, ih, iw, channel}, pad8, ArrayRef<bool>{true});
      }
      Value word = vector::BitCastOp::create(b, loc, vecType(1, i32), bytes);
      Value scalar = vector::ExtractOp::create(b, loc, word, 0);
      Value splat = vector::BroadcastOp::create(b, loc, accType, scalar);
      Value a = vector::BitCastOp::create(b, loc, wType, splat);
      for (int64_t j = 0; j < vectors; ++j)
        next[i * vectors + j] =
            DotU8S8Op::create(b, loc, next[i * vectors + j], a, wv[j]);
    }
    return next;
  };

  SmallVector<Value> accs = reduce(b, g.channelGroups, init, groupBody);

  // Epilogue: compensation (bias and zero points), requantize, clamp, store.
  // A partial vector is stored as a shorter vector, not with a masked
  // store: LLVM 22's x86 backend turns a 1-lane masked store of v16i8 into
  // a 4-byte vmovd, writing past the row (docs/CPUKernels.md).
  Int8Requantizer requantizer(loc, ops, e);
  std::optional<Int8Requantizer::Constants> constants;
  if (e.requantize)
    constants.emplace(b, loc, e);
  for (int64_t j = 0; j < vectors; ++j) {
    int64_t lanes =
        (j == vectors - 1 && partialLanes != 0) ? partialLanes : kLanes;
    Value channel = channelOf(b, block, j);
    Value comp = vector::TransferReadOp::create(
        b, loc, accType, ops.compensation, ValueRange{channel}, std::nullopt,
        ArrayRef<bool>{true});
    std::optional<Int8Requantizer::Channels> params;
    if (e.requantize)
      params = requantizer.loadChannels(b, channel, *constants);
    for (int64_t i = 0; i < rows; ++i) {
      Value acc = arith::AddIOp::create(b, loc, accs[i * vectors + j], comp);
      Value result = e.requantize ? requantizer.requantize(b, acc, *params,
                                                           *constants)
                                  : acc;
      out = store(b, result, lanes, n, oh, ow0, i, channel, out);
    }
  }
  return out;
}

SmallVector<Value> KernelEmitter::loop(
    OpBuilder &b, int64_t count, ValueRange accs,
    function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> body)
    const {
  auto forOp = scf::ForOp::create(
      b, loc, index(b, 0), index(b, count), index(b, 1), accs,
      [&](OpBuilder &b, Location, Value iv, ValueRange args) {
        scf::YieldOp::create(b, loc, body(b, iv, args));
      });
  return SmallVector<Value>(forOp.getResults());
}

SmallVector<Value> KernelEmitter::reduce(
    OpBuilder &b, int64_t steps, ArrayRef<Value> init,
    function_ref<SmallVector<Value>(OpBuilder &, Value, Value, Value,
                                    ValueRange)>
        body) const {
  if (g.flattenedTranspose)
    return loop(b, steps, init, [&](OpBuilder &b, Value step, ValueRange a1) {
      return loop(b, g.kernelH, a1, [&](OpBuilder &b, Value kh, ValueRange a2) {
        return loop(b, g.kernelW, a2,
                    [&](OpBuilder &b, Value kw, ValueRange a3) {
                      return body(b, kh, kw, step, a3);
                    });
      });
    });
  return loop(b, g.kernelH, init, [&](OpBuilder &b, Value kh, ValueRange a1) {
    return loop(b, g.kernelW, a1, [&](OpBuilder &b, Value kw, ValueRange a2) {
      return loop(b, steps, a2, [&](OpBuilder &b, Value step, ValueRange a3) {
        return body(b, kh, kw, step, a3);
      });
    });
  });
}

Value KernelEmitter::store(OpBuilder &b, Value result, int64_t lanes, Value n,
                           Value oh, Value ow0, int64_t i, Value channel,
                           Value out) const {
  if (lanes != kLanes)
    result = vector::ExtractStridedSliceOp::create(
        b, loc, result, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{lanes},
        ArrayRef<int64_t>{1});
  auto [row, column] = pixel(b, oh, ow0, i);
  return vector::TransferWriteOp::create(b, loc, result, out,
                                         ValueRange{n, row, column, channel},
                                         ArrayRef<bool>{true})
      .getResult();
}

Value F32Emitter::emitTile(OpBuilder &b, Value n, Value oh, Value ow0,
                           Value block, int64_t vectors, int64_t rows,
                           int64_t partialLanes, Value out) {
  Type f32 = b.getF32Type();
  VectorType accType = vecType(kLanes, f32);
  Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  auto biasOf = [&](OpBuilder &b, int64_t j) -> Value {
    return vector::TransferReadOp::create(b, loc, accType, ops.bias,
                                          ValueRange{channelOf(b, block, j)},
                                          zeroF, ArrayRef<bool>{true});
  };
  // A conv's sums start at its bias (as tosa-to-linalg broadcasts it into
  // the output before convolving); a matmul's at zero, its bias added after.
  SmallVector<Value> init;
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0f)));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < vectors; ++j)
      init.push_back(e.biasFirst ? biasOf(b, j) : zeroAcc);

  auto channelBody = [&](OpBuilder &b, Value kh, Value kw, Value c,
                         ValueRange accs) -> SmallVector<Value> {
    SmallVector<Value> wv;
    for (int64_t j = 0; j < vectors; ++j) {
      Value blk = arith::AddIOp::create(b, loc, block, index(b, j));
      SmallVector<Value> at = {blk, kh, kw, c, index(b, 0)};
      if (g.flattenedTranspose)
        at = {blk, c, kh, kw, index(b, 0)};
      if (g.filterPerImage)
        at.insert(at.begin(), n);
      wv.push_back(vector::TransferReadOp::create(
          b, loc, accType, ops.weights, at, zeroF, ArrayRef<bool>{true}));
    }
    Value kwOff = tapColumn(b, kw);
    SmallVector<Value> next(accs.begin(), accs.end());
    for (int64_t i = 0; i < rows; ++i) {
      auto [row, column] = pixel(b, oh, ow0, i);
      SmallVector<Value> at;
      if (g.flattenedTranspose)
        at = {column, kh, kw, c};
      else
        at = {n, inputRow(b, row, kh), inputColumn(b, column, kwOff), c};
      Value x = tensor::ExtractOp::create(b, loc, ops.input, at);
      Value splat = vector::BroadcastOp::create(b, loc, accType, x);
      for (int64_t j = 0; j < vectors; ++j) {
        Value product = arith::MulFOp::create(b, loc, splat, wv[j]);
        next[i * vectors + j] =
            arith::AddFOp::create(b, loc, next[i * vectors + j], product);
      }
    }
    return next;
  };
  SmallVector<Value> accs = reduce(b, g.channelGroups, init, channelBody);

  // Epilogue: a matmul's bias, then the activation.
  for (int64_t j = 0; j < vectors; ++j) {
    int64_t lanes =
        (j == vectors - 1 && partialLanes != 0) ? partialLanes : kLanes;
    Value channel = channelOf(b, block, j);
    Value bias = e.biasAfter ? biasOf(b, j) : Value();
    for (int64_t i = 0; i < rows; ++i) {
      Value result = accs[i * vectors + j];
      if (bias)
        result = arith::AddFOp::create(b, loc, result, bias);
      result = applyF32Activation(b, loc, result, e.activation);
      out = store(b, result, lanes, n, oh, ow0, i, channel, out);
    }
  }
  return out;
}

/// The multiply-adds of a kernel with `group` of them per reduction step.
static int64_t multiplyAdds(const KernelGeometry &g, int64_t group) {
  return g.batch * g.outH * g.outW * g.outC * g.kernelH * g.kernelW *
         g.channelGroups * group;
}

Value mlir::quantsim::buildF32ConvKernel(OpBuilder &b, Location loc,
                                         const KernelGeometry &geometry,
                                         const F32KernelOperands &operands,
                                         const F32KernelEpilogue &epilogue,
                                         const KernelTiling &tiling,
                                         Value init) {
  F32Emitter emitter(loc, geometry, operands, epilogue, tiling);
  return emitter.emit(b, init, multiplyAdds(geometry, 1));
}

Value mlir::quantsim::buildInt8ConvKernel(OpBuilder &b, Location loc,
                                          const KernelGeometry &geometry,
                                          const Int8KernelOperands &operands,
                                          const Int8KernelEpilogue &epilogue,
                                          const KernelTiling &tiling,
                                          Value init) {
  assert(!geometry.flattenedTranspose && "an f32 kernel's input");
  Int8Emitter emitter(loc, geometry, operands, epilogue, tiling);
  return emitter.emit(b, init, multiplyAdds(geometry, kGroup));
}

SmallVector<Value> mlir::quantsim::requantizeInt8(
    OpBuilder &b, Location loc, ArrayRef<Value> accs, Value channel,
    const Int8KernelOperands &ops, const Int8KernelEpilogue &e) {
  Int8Requantizer requantizer(loc, ops, e);
  Int8Requantizer::Constants constants(b, loc, e);
  Int8Requantizer::Channels params =
      requantizer.loadChannels(b, channel, constants);
  SmallVector<Value> results;
  for (Value acc : accs)
    results.push_back(requantizer.requantize(b, acc, params, constants));
  return results;
}
