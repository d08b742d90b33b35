//===- Kernel.h - int8 and f32 conv/GEMM loop nest builders -----*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Codegen: the register-tiled loop nests
// that --quantsim-cpu-kernels emits for an int8 conv2d or matmul with its
// requantize epilogue, and for an f32 one with its bias and activation. See
// docs/CPUKernels.md.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_CODEGEN_INT8KERNEL_H
#define QUANTOPT_LIB_CODEGEN_INT8KERNEL_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "quant-opt/Codegen/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cstdint>

namespace mlir {
namespace quantsim {

/// Output lanes per accumulator vector: 16 x i32 (one zmm register).
constexpr int64_t kLanes = 16;
/// Input channels per dot-product step (one u8x4 . s8x4 in each i32 lane).
constexpr int64_t kGroup = 4;
/// The L2 cache size (per core) the kernels' loop orders and Winograd's
/// chunks are planned for.
constexpr int64_t kL2Bytes = 1 << 20;

/// The shape of a convolution as the kernel sees it: an NHWC input already
/// padded spatially (int8: also to a multiple of kGroup channels, and
/// stored as u8, x + 128) and an NHWC output. A matmul is a 1x1 convolution
/// over a 1 x M image with K channels. `channelGroups` counts the reduction
/// steps over input channels: C / kGroup for int8, C for f32.
struct KernelGeometry {
  int64_t batch, outH, outW, outC;
  int64_t kernelH, kernelW, channelGroups;
  int64_t strideH, strideW, dilationH, dilationW;
  /// int8 only: when not 0, the input is N x Hp x (Wp*rowChannels) and dot
  /// step g of output pixel ow reads the 4 bytes at column
  /// ow*strideW*rowChannels + 4g: a row of taps with their channels
  /// (kernelW is then 1).
  int64_t rowChannels = 0;
  /// f32 only: the matmul reads a flattened transpose, row m and column
  /// k = (c*kernelH + h)*kernelW + w of A being x[m][h][w][c], with x the
  /// N x kernelH x kernelW x C (NHWC) input (a CNN's flatten of NHWC
  /// activations in NCHW order). A tile's pixels are then images of x, its
  /// taps x's (h, w), and the sums run over c, then h, then w: k's order,
  /// so that they round as the matmul's do. The weights are
  /// FB x C x KH x KW x 16.
  bool flattenedTranspose = false;
  /// f32 only: each image has a filter of its own, the weights being
  /// N x FB x KH x KW x C x 16 (Winograd's products: one matmul per point).
  bool filterPerImage = false;
};

/// The requantize + clamp epilogue (tosa.rescale semantics, then clamp);
/// without `requantize`, the i32 sums (compensation included) are stored.
struct Int8KernelEpilogue {
  bool requantize;
  bool doubleRound;
  int32_t outputZp;
  int32_t lo, hi;
};

/// Values the kernel reads, all tensors:
///  - input: N x Hp x Wp x (4*channelGroups) x i8, holding x + 128 (u8 bits);
///  - weights: FB x KH x KW x channelGroups x 64 x i8, FB = ceil(outC/16),
///    element [b][h][w][g][4*l+q] = filter(16*b+l, h, w, 4*g+q), 0 outside;
///  - compensation: FB*16 x i32, bias - (zp + 128) * (sum of the filter);
///  - multiplier: FB*16 x i32; round, shift, doubleRoundTerm: FB*16 x i64,
///    per channel.
struct Int8KernelOperands {
  Value input, weights, compensation;
  Value multiplier, round, shift, doubleRoundTerm;
};

/// What the register file allows: a tile of R output pixels x V vectors of
/// 16 channels keeps R*V accumulators, V <= maxVectors, R*V <= accumulators
/// (R at most 8).
struct KernelTiling {
  int64_t maxVectors, accumulators;
};

/// What the f32 kernel reads, all tensors:
///  - input: N x Hp x Wp x C x f32, padded with zeros;
///  - weights: FB x KH x KW x C x 16 x f32, FB = ceil(outC/16), element
///    [b][h][w][c][l] = filter(16*b+l, h, w, c), 0 outside;
///  - bias: FB*16 x f32.
struct F32KernelOperands {
  Value input, weights, bias;
};

/// The elementwise ops after an f32 kernel's result that its epilogue
/// applies to the registers before storing them, in order: tosa.clamp (NaN
/// propagating), tosa.sigmoid, tosa.mul or tosa.add by a one-element
/// constant, and gates x * f(x) with f made of such steps (SiLU is
/// x * sigmoid(x); HardSwish x * clamp(x * 1/6 + 1/2, 0, 1)).
struct F32Activation {
  enum class Kind { Clamp, Sigmoid, MulScalar, AddScalar, GateBegin, GateEnd };
  struct Step {
    Kind kind;
    /// Clamp: the bounds; MulScalar, AddScalar: the constant in `a`.
    float a, b;
    /// The constant (or, for GateEnd, f(x)) is the op's first operand.
    bool swapped;
  };
  SmallVector<Step> steps;
  /// The ops the steps come from, in order; the kernel's result replaces
  /// the last one's.
  SmallVector<Operation *> ops;
};

/// The steps after `value` whose intermediate values have no other users
/// (none when the first op after it is not one).
F32Activation matchF32Activation(Value value);
/// The steps on `v` (a vector or tensor of f32), with tosa-to-linalg's
/// arithmetic for each op in its operand order.
Value applyF32Activation(OpBuilder &b, Location loc, Value v,
                         const F32Activation &activation);
/// Erases the matched ops, once the kernel's result has replaced the last.
void eraseF32Activation(const F32Activation &activation);

/// Where the f32 bias goes (a conv's sums start at it, a matmul's bias is
/// added to its sums) and what is applied after it.
struct F32KernelEpilogue {
  bool biasFirst, biasAfter;
  F32Activation activation;
};

/// Emits the loop nest into `b` and returns the N x OH x OW x outC result
/// (i8, or i32 without requantize) written into `init`.
Value buildInt8ConvKernel(OpBuilder &b, Location loc,
                          const KernelGeometry &geometry,
                          const Int8KernelOperands &operands,
                          const Int8KernelEpilogue &epilogue,
                          const KernelTiling &tiling, Value init);

/// The f32 loop nest: returns the N x OH x OW x outC f32 result written
/// into `init`, bit-identical to the reference lowering of the same ops.
Value buildF32ConvKernel(OpBuilder &b, Location loc,
                         const KernelGeometry &geometry,
                         const F32KernelOperands &operands,
                         const F32KernelEpilogue &epilogue,
                         const KernelTiling &tiling, Value init);

/// What the int8 and f32 chains share: the conv2d or matmul they start
/// with, its input, and its window. The filter is seen as F x KH x KW x C:
/// a conv2d's is stored that way, a matmul's B is K x N (filter f, channel
/// c at [c][f]), a 1x1 window.
struct ConvChainBase {
  Operation *producer = nullptr;
  Value input;
  int64_t outC = 0, kernelH = 1, kernelW = 1, inC = 0;
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;

  /// Reads a conv2d's filter shape, pads, strides and dilations.
  void readWindow(tosa::Conv2DOp conv, ArrayRef<int64_t> filterShape);
  /// Where filter element (f, h, w, c) is in the filter's storage.
  int64_t filterIndex(int64_t f, int64_t h, int64_t w, int64_t c) const {
    return isa<tosa::MatMulOp>(producer)
               ? c * outC + f
               : ((f * kernelH + h) * kernelW + w) * inC + c;
  }
};

/// The attribute on a kernel's loops over the batch and the output rows (or,
/// for a single output row, over blocks of output channels): their
/// iterations write disjoint parts of the output and read nothing another
/// iteration writes, so they may run in parallel
/// (--quantsim-parallelize-loops). Its value is the whole nest's work in
/// multiply-adds (or taps, for pools).
constexpr llvm::StringLiteral kParallelLoopAttr = "quantsim.parallel";

/// Marks the loop computing `result` (a kernel's loop over the batch) and
/// the loop that is its whole body (over the output rows) with
/// kParallelLoopAttr = `work`; returns `result`.
Value markParallel(Value result, int64_t work);

/// The scf.for that is `outer`'s whole body, constants aside; null when the
/// body holds anything else.
scf::ForOp wholeBodyLoop(scf::ForOp outer);

/// The values of a constant f32 tensor; none when `value` is not one.
std::optional<SmallVector<float>> constantFloats(Value value);
/// Whether `value` is a constant f32 tensor of zeros (an f32 op's zero
/// point).
bool isZeroF32(Value value);
/// `x` padded by `low` and `high` per dimension with `value` (itself when
/// there is no padding).
Value padSpatially(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low,
                   ArrayRef<int64_t> high, TypedAttr value);
/// A matmul's A, [1, M, K], seen as a 1 x 1 x M x K image (no copy).
Value matmulAsImage(OpBuilder &b, Location loc, Value a);
/// The inverse: a 1 x 1 x M x N kernel result as the matmul's `type`.
Value imageAsMatmul(OpBuilder &b, Location loc, Value image,
                    RankedTensorType type);
/// A constant f32 bias of `count` values or one (broadcast), as `count`
/// values; none when `value` is not one.
std::optional<SmallVector<float>> perChannelFloats(Value value, int64_t count);

template <typename T>
Value constantTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                     Type elementType, ArrayRef<T> values) {
  auto type = RankedTensorType::get(shape, elementType);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

/// Replaces an f32 tosa.conv2d or tosa.matmul with a constant filter, and
/// its bias add (matmul) and activation, by the f32 loop nest; false when
/// `producer` is not such a chain (it is then left alone).
/// With `winogradTile` (2 or 4), a 3x3 stride-1 conv that
/// winogradApplies to is computed by F(m x m, 3 x 3) with m = winogradTile.
bool lowerF32Kernel(Operation *producer, const ResolvedTarget &target,
                    int64_t winogradTile = 0);

/// An f32 3x3 stride-1 conv with its bias and activation, as the Winograd
/// lowering reads it.
struct WinogradConv {
  /// N x H x W x C, not padded; the conv pads it by padTop and padLeft.
  Value input;
  int64_t padTop, padLeft, inC;
  /// F x 3 x 3 x C, as tosa.conv2d stores it.
  ArrayRef<float> filter;
  /// F f32 values.
  Value bias;
  F32Activation activation;
  RankedTensorType resultType;
};

/// Whether F(m x m, 3 x 3) computes `chain` (a conv producing
/// `resultType`): a 3x3 window, stride and dilation 1, input and output
/// channels multiples of 16, and enough tiles per image to pay for reading
/// the transformed filters.
bool winogradApplies(const ConvChainBase &chain, RankedTensorType resultType,
                     int64_t m);
/// The N x OH x OW x F result of `conv` by F(m x m, 3 x 3)
/// (WinogradKernels.cpp).
Value buildF32WinogradConv(OpBuilder &b, Location loc, const WinogradConv &conv,
                           int64_t m, const ResolvedTarget &target);

/// Replaces an NHWC i8 or f32 tosa.max_pool2d with static shapes by loops
/// over output pixels that take each window's maximum a vector of channels
/// at a time; false when it is not such a pool (it is then left alone).
bool lowerMaxPool(tosa::MaxPool2dOp pool);

/// The same for an f32 tosa.avg_pool2d without padding: sums from zero over
/// the taps in order, divided by the window size, as the reference does.
bool lowerF32AvgPool(tosa::AvgPool2dOp pool);

/// The initial tensor of the kernel nest (scf.for) that computes `value`,
/// when it is a tensor.empty of its own and `value` is read once: the
/// nest can be given another destination to write into. Null otherwise.
OpOperand *ownNestDestination(Value value);

/// Makes `destination`, a producer's own tensor.empty (ownNestDestination),
/// the slice of `whole` at `offsets` with `sizes` (unit strides), created
/// just before the producer, and erases the tensor.empty: the producer then
/// computes its result in that slice.
void writeIntoSlice(OpOperand *destination, Value whole,
                    ArrayRef<OpFoldResult> offsets,
                    ArrayRef<OpFoldResult> sizes);

/// A tosa.concat some of whose operands are kernel nests read by nothing
/// else: those nests write into slices of the concatenation, which the
/// other operands are copied into (tensor.insert_slice); left alone when
/// none is such a nest.
void writeIntoConcat(tosa::ConcatOp concat);

/// Concats in `block` that each take the operands of an earlier one and
/// more after them (DenseNet's blocks: each layer's concat adds its
/// output): the last of each such chain becomes a tensor that each operand
/// is inserted into once, in order (a kernel nest writing only that
/// operand computes it in its slot), and every concat of the chain the
/// leading slice of it that holds its operands, instead of a copy of all
/// of them per concat.
void growConcatChains(Block &block);

/// Replaces an f32 tosa.depthwise_conv2d with a constant filter of channel
/// multiplier 1 and a constant bias (and its activation) by vector loops over
/// 16-channel blocks; false when it is not such a conv (left alone).
bool lowerF32Depthwise(tosa::DepthwiseConv2DOp conv,
                       const ResolvedTarget &target);

/// Requantizes `accs` (vectors of 16 i32 sums of channels [channel,
/// channel + 16)) as the int8 kernels' epilogue does: tosa.rescale with
/// `ops`' per-channel multiplier, round, shift and doubleRoundTerm, the
/// output zero point, the clamp. Returns vectors of 16 i8.
SmallVector<Value> requantizeInt8(OpBuilder &b, Location loc,
                                  ArrayRef<Value> accs, Value channel,
                                  const Int8KernelOperands &ops,
                                  const Int8KernelEpilogue &e);

/// The rescale (and clamp) an int8 depthwise conv's kernel applies: the
/// per-channel constants in `operands` (multiplier, round, shift,
/// doubleRoundTerm, each padded to whole 16-channel blocks), and the ops
/// whose result it computes (`last`: the clamp, or else the rescale).
struct Int8DepthwiseRequantize {
  Int8KernelOperands operands;
  Int8KernelEpilogue epilogue;
  SmallVector<Operation *> ops;
  Operation *last;
};

/// The same for an int8 tosa.depthwise_conv2d (i8 input and filter, any
/// zero points, a constant i32 bias), to i32 sums or, with `requantize`,
/// through its rescale and clamp to i8. The sums are those of the
/// reference, bit for bit (integer sums in i32 do not depend on their
/// order), and the requantization the int8 conv kernels'.
bool lowerInt8Depthwise(tosa::DepthwiseConv2DOp conv,
                        const Int8DepthwiseRequantize *requantize = nullptr);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_CODEGEN_INT8KERNEL_H
