//===- Int8Kernels.cpp - int8 conv/matmul chains to tiled kernels ---------===//
//
// Part of quant-opt. Implements --quantsim-cpu-kernels: matches an int8
// tosa.conv2d / tosa.matmul with a constant filter, its requantize and
// clamp, packs the filter and folds zero points and bias into compensation
// terms at compile time, and emits the loop nest of Int8KernelBuilder.cpp.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"
#include "quant-opt/Support/Constants.h"
#include "quant-opt/Support/QuantParams.h"

#include "quant-opt/Codegen/Passes.h"
#include "quant-opt/Codegen/Target.h"
#include "quant-opt/Dialect/QuantSim/IR/QuantSim.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMCPUKERNELSPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// An int8 conv2d/matmul chain the kernel implements, with its constants
/// read out.
struct Int8Chain : ConvChainBase {
  Operation *biasAdd = nullptr;
  tosa::RescaleOp rescale;
  tosa::ClampOp clamp;
  int64_t inputZp = 0;
  DenseIntElementsAttr weights;
  SmallVector<int64_t> bias, multiplier, shift;
  Int8KernelEpilogue epilogue{};

  Operation *last() const {
    if (clamp)
      return clamp;
    if (rescale)
      return rescale;
    return biasAdd ? biasAdd : producer;
  }
  int8_t filterAt(int64_t f, int64_t h, int64_t w, int64_t c) const {
    return *(weights.value_begin<int8_t>() + filterIndex(f, h, w, c));
  }
};

/// Replaces `filter`, when it is a `quantsim.dequantize` of a constant, by
/// the float constant it computes (the same bits as at run time).
void evaluateDequantizedFilter(OpOperand &filter) {
  auto dequantize = filter.get().getDefiningOp<quantsim::DequantizeOp>();
  DenseElementsAttr levels;
  if (!dequantize || !matchPattern(dequantize.getInput(), m_Constant(&levels)))
    return;
  DenseElementsAttr values = dequantize.evaluate(levels);
  if (!values)
    return;
  OpBuilder b(filter.getOwner());
  filter.set(tosa::ConstOp::create(b, dequantize.getLoc(), values.getType(),
                                   values));
  if (dequantize->use_empty())
    dequantize->erase();
}

/// An integer matmul reading a flattened transpose (`reshape(transpose(x))`,
/// a CNN's NHWC activations put in NCHW order for its flatten) with a
/// constant B reads `reshape(x)` instead, B's rows permuted to match at
/// compile time: the copy disappears, and integer sums do not depend on
/// their order.
void foldFlattenTranspose(tosa::MatMulOp matmul) {
  auto aType = cast<RankedTensorType>(matmul.getA().getType());
  auto reshape = matmul.getA().getDefiningOp<tosa::ReshapeOp>();
  DenseElementsAttr b;
  if (!reshape || !aType.getElementType().isInteger(8) ||
      aType.getDimSize(0) != 1 ||
      !matchPattern(matmul.getB(), m_Constant(&b)) || b.isSplat())
    return;
  auto transpose = reshape.getInput1().getDefiningOp<tosa::TransposeOp>();
  if (!transpose)
    return;
  auto x = transpose.getInput1();
  auto xType = cast<RankedTensorType>(x.getType());
  ArrayRef<int32_t> perm = transpose.getPerms();
  int64_t rows = aType.getDimSize(1), k = aType.getDimSize(2);
  if (!xType.hasStaticShape() || perm.empty() || perm[0] != 0 ||
      xType.getDimSize(0) != rows || xType.getNumElements() != rows * k)
    return;
  // B's rows, seen in the transpose's dims, reordered to x's: x's dim e is
  // the transpose's dim d with perm[d] == e.
  auto tType = cast<RankedTensorType>(transpose.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  int64_t rank = xType.getRank();
  SmallVector<int64_t> rowsShape, order(rank - 1);
  for (int64_t d = 1; d < rank; ++d) {
    rowsShape.push_back(tType.getDimSize(d));
    order[perm[d] - 1] = d - 1;
  }
  rowsShape.push_back(bType.getDimSize(2));
  order.push_back(rank - 1);
  std::vector<char> permuted = permuteBytes(
      RankedTensorType::get(rowsShape, bType.getElementType()), b.getRawData(),
      order);
  OpBuilder builder(matmul);
  Location loc = matmul.getLoc();
  SmallVector<int64_t> shape = {1, rows, k};
  auto shapeValue = tosa::ConstShapeOp::create(
      builder, loc, tosa::shapeType::get(builder.getContext(), 3),
      builder.getIndexTensorAttr(shape));
  Value a = tosa::ReshapeOp::create(builder, loc, aType, x, shapeValue);
  Value newB = tosa::ConstOp::create(
      builder, loc, bType,
      DenseElementsAttr::getFromRawBuffer(bType, permuted));
  matmul.getAMutable().assign(a);
  matmul.getBMutable().assign(newB);
  for (Operation *op : {reshape.getOperation(), transpose.getOperation()})
    if (op->use_empty())
      op->erase();
}

/// The operand through which `source`'s producer writes it, when that is a
/// tensor.empty of its own: a kernel nest's initial tensor, or the
/// destination of the linalg.transpose a tosa.transpose becomes (the
/// NCHW-to-NHWC transpose of a model's input, before its first conv).
OpOperand *ownDestination(Value source) {
  if (OpOperand *init = ownNestDestination(source))
    return init;
  auto transpose = source.getDefiningOp<tosa::TransposeOp>();
  auto type = transpose ? dyn_cast<RankedTensorType>(transpose.getType())
                        : RankedTensorType();
  if (!type || !type.hasStaticShape() || !source.hasOneUse())
    return nullptr;
  OpBuilder b(transpose);
  Value init = tensor::EmptyOp::create(b, transpose.getLoc(), type.getShape(),
                                       type.getElementType());
  SmallVector<int64_t> perms(transpose.getPerms());
  auto linalgTranspose = linalg::TransposeOp::create(
      b, transpose.getLoc(), transpose.getInput1(), init, perms);
  transpose.replaceAllUsesWith(linalgTranspose->getResult(0));
  transpose->erase();
  return &linalgTranspose.getInitMutable();
}

/// A kernel's padded input whose unpadded values are another kernel's
/// result (or the transposed model input), read by nothing else: that
/// kernel writes them straight into the padded tensor's interior, whose
/// border alone is filled. tensor.pad bufferized to a fill of the whole
/// buffer and a copy of the interior (MobileNetV2 float, whose depthwise
/// layers read the padded outputs of 1x1 convs: 4.45 -> 3.85 ms).
void writeIntoPadded(tensor::PadOp pad) {
  Value source = pad.getSource();
  Attribute padValue;
  auto padType = pad.getResultType();
  if (!padType.hasStaticShape() || !pad.getConstantPaddingValue() ||
      ShapedType::isDynamicShape(pad.getStaticLow()) ||
      ShapedType::isDynamicShape(pad.getStaticHigh()) ||
      !matchPattern(pad.getConstantPaddingValue(), m_Constant(&padValue)))
    return;
  OpOperand *destination = ownDestination(source);
  if (!destination)
    return;
  // A tosa.transpose has become a linalg.transpose.
  source = pad.getSource();
  Operation *producer = destination->getOwner();
  auto sourceType = cast<RankedTensorType>(source.getType());
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  int64_t rank = padType.getRank();
  MLIRContext *ctx = pad.getContext();
  SmallVector<OpFoldResult> ones(rank, getAsIndexOpFoldResult(ctx, 1));
  Location loc = pad.getLoc();
  OpBuilder b(producer);
  Value value = arith::ConstantOp::create(b, loc, cast<TypedAttr>(padValue));
  // Only the border is filled, slab by slab: the kernel writes the rest.
  // Slab d covers the pad of one side of dimension d, the source's extent
  // along the dimensions before d (their pads are earlier slabs) and all of
  // those after it.
  Value filled = tensor::EmptyOp::create(b, loc, padType.getShape(),
                                         padType.getElementType());
  auto fill = [&](ArrayRef<int64_t> at, ArrayRef<int64_t> extent) {
    SmallVector<OpFoldResult> o = getAsIndexOpFoldResult(ctx, at),
                              z = getAsIndexOpFoldResult(ctx, extent);
    Value slab = tensor::ExtractSliceOp::create(b, loc, filled, o, z, ones);
    slab = linalg::FillOp::create(b, loc, value, slab).getResult(0);
    filled = tensor::InsertSliceOp::create(b, loc, slab, filled, o, z, ones);
  };
  for (int64_t d = 0; d < rank; ++d) {
    SmallVector<int64_t> at(rank, 0), extent(padType.getShape());
    for (int64_t j = 0; j < d; ++j) {
      at[j] = low[j];
      extent[j] = sourceType.getDimSize(j);
    }
    if (low[d] > 0) {
      extent[d] = low[d];
      fill(at, extent);
    }
    if (high[d] > 0) {
      at[d] = low[d] + sourceType.getDimSize(d);
      extent[d] = high[d];
      fill(at, extent);
    }
  }
  SmallVector<OpFoldResult> offsets = getAsIndexOpFoldResult(ctx, low);
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(ctx, sourceType.getShape());
  writeIntoSlice(destination, filled, offsets, sizes);
  b.setInsertionPoint(pad);
  pad.replaceAllUsesWith(tensor::InsertSliceOp::create(
                             b, loc, source, filled, offsets, sizes, ones)
                             .getResult());
  pad->erase();
}

bool isIntTensor(Type type, unsigned width) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         tensor.getElementType().isSignlessInteger(width);
}

/// i8 activations, i32 result and a constant i8 filter: what every chain
/// starts with.
bool matchInt8Producer(Value input, Value result, Value filter,
                       DenseIntElementsAttr &weights) {
  return isIntTensor(input.getType(), 8) && isIntTensor(result.getType(), 32) &&
         matchPattern(filter, m_Constant(&weights)) &&
         weights.getElementType().isSignlessInteger(8);
}

/// The values of a constant integer tensor, sign-extended.
std::optional<SmallVector<int64_t>> constantInts(Value value) {
  DenseIntElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

/// Per-channel values from a constant of `count` or 1 elements.
bool perChannel(Value value, int64_t count, SmallVectorImpl<int64_t> &out) {
  std::optional<SmallVector<int64_t>> values = constantInts(value);
  if (!values || (values->size() != 1 && int64_t(values->size()) != count))
    return false;
  for (int64_t i = 0; i < count; ++i)
    out.push_back((*values)[values->size() == 1 ? 0 : i]);
  return true;
}

/// Matches bias add (matmul only), rescale and clamp after `acc`. Without a
/// rescale the kernel stores the i32 accumulators.
bool matchEpilogue(Value acc, Int8Chain &chain) {
  chain.epilogue.requantize = false;
  if (!acc.hasOneUse())
    return true;
  Operation *user = *acc.getUsers().begin();
  if (auto add = dyn_cast<tosa::AddOp>(user);
      add && isa<tosa::MatMulOp>(chain.producer)) {
    Value other = add.getInput1() == acc ? add.getInput2() : add.getInput1();
    auto otherType = dyn_cast<RankedTensorType>(other.getType());
    if (!otherType || add.getType() != acc.getType() ||
        otherType.getNumElements() != chain.outC ||
        otherType.getShape().back() != chain.outC)
      return false;
    std::optional<SmallVector<int64_t>> bias = constantInts(other);
    if (bias) {
      chain.bias = *bias;
      chain.biasAdd = add;
      acc = add.getResult();
      if (!acc.hasOneUse())
        return true;
      user = *acc.getUsers().begin();
    }
  }
  // A rescale the kernel cannot do exactly stays for the generic lowering,
  // after the kernel's i32 result.
  auto rescale = dyn_cast<tosa::RescaleOp>(user);
  // The kernel writes the rescaled tile where the accumulator would have
  // gone: the rescale must keep the shape (TOSA's verifier does not check
  // that it does).
  if (!rescale || !isIntTensor(rescale.getType(), 8) ||
      cast<ShapedType>(rescale.getType()).getShape() !=
          cast<ShapedType>(rescale.getInput().getType()).getShape() ||
      !rescale.getScale32() || rescale.getInputUnsigned() ||
      rescale.getOutputUnsigned())
    return true;
  tosa::RoundingMode mode = rescale.getRoundingMode();
  if (mode != tosa::RoundingMode::SINGLE_ROUND &&
      mode != tosa::RoundingMode::DOUBLE_ROUND)
    return true;
  FailureOr<int64_t> inZp = rescale.getInputZeroPoint();
  FailureOr<int64_t> outZp = rescale.getOutputZeroPoint();
  if (failed(inZp) || *inZp != 0 || failed(outZp))
    return true;
  SmallVector<int64_t> multiplier, shift;
  if (!perChannel(rescale.getMultiplier(), chain.outC, multiplier) ||
      !perChannel(rescale.getShift(), chain.outC, shift))
    return true;
  for (int64_t s : shift)
    if (s < 1 || s > 62)
      return true;
  chain.multiplier = multiplier;
  chain.shift = shift;
  chain.epilogue.requantize = true;
  chain.rescale = rescale;
  chain.epilogue.doubleRound = mode == tosa::RoundingMode::DOUBLE_ROUND;
  chain.epilogue.outputZp = static_cast<int32_t>(*outZp);
  chain.epilogue.lo = -128;
  chain.epilogue.hi = 127;
  if (rescale->hasOneUse()) {
    if (auto clamp = dyn_cast<tosa::ClampOp>(*rescale->getUsers().begin())) {
      auto lo = dyn_cast<IntegerAttr>(clamp.getMinValAttr());
      auto hi = dyn_cast<IntegerAttr>(clamp.getMaxValAttr());
      if (lo && hi && clamp.getType() == rescale.getType()) {
        chain.clamp = clamp;
        chain.epilogue.lo = std::max<int64_t>(-128, lo.getInt());
        chain.epilogue.hi = std::min<int64_t>(127, hi.getInt());
      }
    }
  }
  return true;
}

std::optional<Int8Chain> matchConv(tosa::Conv2DOp conv) {
  Int8Chain chain;
  chain.producer = conv;
  if (!matchInt8Producer(conv.getInput(), conv.getResult(), conv.getWeight(),
                         chain.weights))
    return std::nullopt;
  FailureOr<int64_t> inZp = conv.getInputZeroPoint();
  FailureOr<int64_t> wZp = conv.getWeightZeroPoint();
  if (failed(inZp) || failed(wZp) || *wZp != 0)
    return std::nullopt;
  chain.inputZp = *inZp;
  chain.readWindow(conv, chain.weights.getType().getShape());
  if (chain.outC > kMaxChannels ||
      cast<RankedTensorType>(chain.input.getType()).getDimSize(3) !=
          chain.inC)
    return std::nullopt;
  if (!perChannel(conv.getBias(), chain.outC, chain.bias))
    return std::nullopt;
  if (!matchEpilogue(conv.getResult(), chain))
    return std::nullopt;
  return chain;
}

std::optional<Int8Chain> matchMatmul(tosa::MatMulOp matmul) {
  Int8Chain chain;
  chain.producer = matmul;
  if (!matchInt8Producer(matmul.getA(), matmul.getResult(), matmul.getB(),
                         chain.weights))
    return std::nullopt;
  auto aType = cast<RankedTensorType>(matmul.getA().getType());
  ArrayRef<int64_t> bShape = chain.weights.getType().getShape();
  if (aType.getDimSize(0) != 1 || bShape[0] != 1)
    return std::nullopt;
  FailureOr<int64_t> aZp = matmul.getAZeroPoint();
  FailureOr<int64_t> bZp = matmul.getBZeroPoint();
  if (failed(aZp) || failed(bZp) || *bZp != 0)
    return std::nullopt;
  int64_t k = bShape[1], n = bShape[2];
  chain.input = matmul.getA();
  chain.inputZp = *aZp;
  chain.outC = n;
  chain.inC = k;
  if (chain.outC > kMaxChannels)
    return std::nullopt;
  if (!matchEpilogue(matmul.getResult(), chain))
    return std::nullopt;
  if (!chain.biasAdd)
    chain.bias.assign(n, 0);
  if (!chain.epilogue.requantize && n < kLanes)
    return std::nullopt; // Not worth a kernel (and not what it is tuned for).
  return chain;
}

/// The per-channel constants of `chain`'s requantize epilogue (its rescale's
/// multiplier and shift, the rounding terms), padded to `padded` channels.
void addRequantizeOperands(OpBuilder &b, Location loc, const Int8Chain &chain,
                           int64_t padded, Int8KernelOperands &operands) {
  SmallVector<int32_t> multiplier(padded, 0);
  SmallVector<int64_t> round(padded, 0), shift(padded, 1),
      doubleRound(padded, 0);
  for (int64_t f = 0; f < chain.outC; ++f) {
    multiplier[f] = chain.multiplier[f];
    shift[f] = chain.shift[f];
    round[f] = (int64_t(1) << shift[f]) >> 1;
    if (chain.epilogue.doubleRound && shift[f] > 31)
      doubleRound[f] = int64_t(1) << 30;
  }
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  operands.multiplier =
      constantTensor<int32_t>(b, loc, {padded}, i32, multiplier);
  operands.round = constantTensor<int64_t>(b, loc, {padded}, i64, round);
  operands.shift = constantTensor<int64_t>(b, loc, {padded}, i64, shift);
  operands.doubleRoundTerm =
      constantTensor<int64_t>(b, loc, {padded}, i64, doubleRound);
}

/// Lowers an int8 depthwise conv with the rescale and clamp after it when
/// the int8 kernels' epilogue computes them, else to its i32 sums.
bool lowerDepthwiseChain(tosa::DepthwiseConv2DOp conv) {
  auto outType = dyn_cast<RankedTensorType>(conv.getType());
  if (!outType || !outType.hasStaticShape() || outType.getRank() != 4)
    return false;
  Int8Chain chain;
  chain.producer = conv;
  chain.outC = outType.getDimSize(3);
  if (!matchEpilogue(conv.getResult(), chain) || !chain.epilogue.requantize)
    return lowerInt8Depthwise(conv);
  Int8DepthwiseRequantize requantize;
  requantize.epilogue = chain.epilogue;
  requantize.ops.push_back(chain.rescale);
  if (chain.clamp)
    requantize.ops.push_back(chain.clamp);
  requantize.last = chain.last();
  OpBuilder b(conv);
  addRequantizeOperands(b, conv.getLoc(), chain,
                        (chain.outC + kLanes - 1) / kLanes * kLanes,
                        requantize.operands);
  if (lowerInt8Depthwise(conv, &requantize))
    return true;
  // Not an int8 depthwise conv the kernel takes: the constants go.
  for (Value v : {requantize.operands.multiplier, requantize.operands.round,
                  requantize.operands.shift,
                  requantize.operands.doubleRoundTerm})
    v.getDefiningOp()->erase();
  return false;
}

/// Rewrites a matched chain. Returns the value replacing its last op.
Value lowerChain(OpBuilder &b, const Int8Chain &chain,
                 const ResolvedTarget &target) {
  Location loc = chain.producer->getLoc();
  Type i8 = b.getI8Type(), i32 = b.getI32Type(), i64 = b.getI64Type();
  bool isMatmul = isa<tosa::MatMulOp>(chain.producer);

  // Input: NHWC, padded with the zero point, channels to a multiple of 4,
  // shifted to u8.
  Value x = isMatmul ? matmulAsImage(b, loc, chain.input) : chain.input;
  auto inType = cast<RankedTensorType>(x.getType());
  // A convolution with fewer input channels than one dot step takes (a
  // network's first layer: C = 1 or 3) would spend most of each step on
  // channel padding. It reads window rows instead: the KW*C bytes of a row
  // of taps are contiguous in the NHWC input, so each dot step takes 4 of
  // them (a C = 1 3x3 conv: 3 steps per output instead of 9). The filter is
  // packed to match, with zero weights for the bytes past the row, and the
  // input gets enough extra zero-point columns on the right that those
  // reads stay inside it.
  auto outShape4 = cast<RankedTensorType>(chain.producer->getResult(0).getType())
                       .getShape();
  bool rowUnfold = !isMatmul && chain.inC < kGroup && chain.kernelW > 1 &&
                   chain.dilationW == 1;
  int64_t rowBytes = chain.kernelW * chain.inC;
  int64_t groups = rowUnfold ? (rowBytes + kGroup - 1) / kGroup
                             : (chain.inC + kGroup - 1) / kGroup;
  int64_t channels = rowUnfold ? chain.inC : groups * kGroup;
  int64_t padRight = chain.padRight;
  if (rowUnfold) {
    // The last read of a row ends at byte ((OW-1)*strideW)*C + 4*groups.
    int64_t bytesNeeded =
        (outShape4[2] - 1) * chain.strideW * chain.inC + groups * kGroup;
    int64_t widthNeeded = (bytesNeeded + chain.inC - 1) / chain.inC;
    padRight = std::max(padRight, widthNeeded - inType.getDimSize(2) -
                                      chain.padLeft);
  }
  x = padSpatially(b, loc, x, {0, chain.padTop, chain.padLeft, 0},
                   {0, chain.padBottom, padRight, channels - chain.inC},
                   b.getIntegerAttr(i8, static_cast<int8_t>(chain.inputZp)));
  inType = cast<RankedTensorType>(x.getType());
  Value flip = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(inType, b.getIntegerAttr(i8, -128)));
  x = arith::XOrIOp::create(b, loc, x, flip);
  if (rowUnfold) // N x Hp x (Wp*C): rows of bytes
    x = tensor::CollapseShapeOp::create(
        b, loc, x, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  int64_t kernelW = rowUnfold ? 1 : chain.kernelW;

  // Packed filter and per-channel epilogue constants.
  int64_t blocks = (chain.outC + kLanes - 1) / kLanes;
  int64_t padded = blocks * kLanes;
  SmallVector<int8_t> packed(blocks * chain.kernelH * kernelW * groups *
                                 kLanes * kGroup,
                             0);
  int64_t at = 0;
  for (int64_t blk = 0; blk < blocks; ++blk)
    for (int64_t h = 0; h < chain.kernelH; ++h)
      for (int64_t w = 0; w < kernelW; ++w)
        for (int64_t g = 0; g < groups; ++g)
          for (int64_t l = 0; l < kLanes; ++l)
            for (int64_t q = 0; q < kGroup; ++q, ++at) {
              int64_t f = blk * kLanes + l, j = g * kGroup + q;
              if (f >= chain.outC)
                continue;
              // Byte j of the step: channel j of tap w, or byte j of the
              // row of taps.
              if (!rowUnfold && j < chain.inC)
                packed[at] = chain.filterAt(f, h, w, j);
              else if (rowUnfold && j < rowBytes)
                packed[at] = chain.filterAt(f, h, j / chain.inC, j % chain.inC);
            }
  SmallVector<int32_t> compensation(padded, 0);
  for (int64_t f = 0; f < chain.outC; ++f) {
    // Modulo 2^32, like the i32 accumulation it corrects.
    uint32_t sum = 0;
    for (int64_t h = 0; h < chain.kernelH; ++h)
      for (int64_t w = 0; w < chain.kernelW; ++w)
        for (int64_t c = 0; c < chain.inC; ++c)
          sum += static_cast<uint32_t>(
              static_cast<int32_t>(chain.filterAt(f, h, w, c)));
    uint32_t shiftZp = static_cast<uint32_t>(chain.inputZp + 128);
    compensation[f] = static_cast<int32_t>(
        static_cast<uint32_t>(chain.bias[f]) - shiftZp * sum);
  }

  Int8KernelOperands operands;
  operands.input = x;
  operands.weights = constantTensor<int8_t>(
      b, loc, {blocks, chain.kernelH, kernelW, groups, kLanes * kGroup}, i8,
      packed);
  operands.compensation =
      constantTensor<int32_t>(b, loc, {padded}, i32, compensation);
  if (chain.epilogue.requantize)
    addRequantizeOperands(b, loc, chain, padded, operands);

  auto outType = cast<RankedTensorType>(chain.last()->getResult(0).getType());
  SmallVector<int64_t> outShape(outType.getShape());
  if (isMatmul)
    outShape = {1, 1, outShape[1], outShape[2]};
  KernelGeometry geometry{outShape[0],     outShape[1],   outShape[2],
                          outShape[3],     chain.kernelH, kernelW,
                          groups,          chain.strideH, chain.strideW,
                          chain.dilationH, chain.dilationW,
                          rowUnfold ? chain.inC : 0};
  // AVX-512: 32 zmm registers hold 24 accumulators, 4 weight vectors and a
  // broadcast; elsewhere (16 registers, or 2 per 16-lane vector) fewer.
  KernelTiling tiling = target.avx512 ? KernelTiling{4, 24}
                                          : KernelTiling{2, 8};
  Value init =
      tensor::EmptyOp::create(b, loc, outShape, outType.getElementType());
  Value result = buildInt8ConvKernel(b, loc, geometry, operands,
                                     chain.epilogue, tiling, init);
  return isMatmul ? imageAsMatmul(b, loc, result, outType) : result;
}

struct QuantSimCPUKernelsPass
    : quantsim::impl::QuantSimCPUKernelsPassBase<QuantSimCPUKernelsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    target.resolve(targetTriple, targetCPU, targetFeatures);
    if (winograd != 0 && winograd != 2 && winograd != 4)
      return emitError(UnknownLoc::get(context))
             << "quantsim-cpu-kernels: winograd=" << int64_t(winograd)
             << " is not a tile size it has (0: none, 2 or 4)";
    return success();
  }

  void runOnOperation() override {
    if (failed(target.check(getOperation(), "quantsim-cpu-kernels")))
      return signalPassFailure();
    // Match each producer only when it is rewritten: an earlier rewrite
    // replaces the values later chains read.
    SmallVector<Operation *> producers;
    SmallVector<tosa::MaxPool2dOp> pools;
    SmallVector<tosa::DepthwiseConv2DOp> depthwise;
    SmallVector<tosa::AvgPool2dOp> averages;
    getOperation().walk([&](Operation *op) {
      if (isa<tosa::Conv2DOp, tosa::MatMulOp>(op))
        producers.push_back(op);
      else if (auto pool = dyn_cast<tosa::MaxPool2dOp>(op))
        pools.push_back(pool);
      else if (auto conv = dyn_cast<tosa::DepthwiseConv2DOp>(op))
        depthwise.push_back(conv);
      else if (auto pool = dyn_cast<tosa::AvgPool2dOp>(op))
        averages.push_back(pool);
    });
    for (Operation *op : producers)
      if (auto matmul = dyn_cast<tosa::MatMulOp>(op))
        foldFlattenTranspose(matmul);
    for (tosa::MaxPool2dOp pool : pools)
      lowerMaxPool(pool);
    llvm::erase_if(depthwise, [](tosa::DepthwiseConv2DOp conv) {
      return lowerDepthwiseChain(conv);
    });
    if (floatKernels) {
      // A float layer's quantized weights (an op the integer lowering left
      // in float): the float kernels want constant filters.
      for (Operation *op : producers)
        evaluateDequantizedFilter(op->getOpOperand(1));
      for (tosa::DepthwiseConv2DOp conv : depthwise)
        evaluateDequantizedFilter(conv->getOpOperand(1));
      for (tosa::DepthwiseConv2DOp conv : depthwise)
        lowerF32Depthwise(conv, target.get());
      for (tosa::AvgPool2dOp pool : averages)
        lowerF32AvgPool(pool);
    }
    for (Operation *op : producers) {
      if (floatKernels && lowerF32Kernel(op, target.get(), winograd))
        continue;
      std::optional<Int8Chain> chain;
      if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
        chain = matchConv(conv);
      else
        chain = matchMatmul(cast<tosa::MatMulOp>(op));
      if (!chain)
        continue;
      OpBuilder b(chain->last());
      Value result = lowerChain(b, *chain, target.get());
      chain->last()->getResult(0).replaceAllUsesWith(result);
      SmallVector<Operation *> dead = {chain->clamp, chain->rescale,
                                       chain->biasAdd, chain->producer};
      for (Operation *deadOp : dead)
        if (deadOp && deadOp->use_empty())
          deadOp->erase();
    }
    SmallVector<tensor::PadOp> pads;
    getOperation().walk([&](tensor::PadOp pad) { pads.push_back(pad); });
    for (tensor::PadOp pad : pads)
      writeIntoPadded(pad);
    SmallVector<Block *> blocks;
    getOperation().walk([&](Block *block) { blocks.push_back(block); });
    for (Block *block : blocks)
      growConcatChains(*block);
    SmallVector<tosa::ConcatOp> concats;
    getOperation().walk(
        [&](tosa::ConcatOp concat) { concats.push_back(concat); });
    for (tosa::ConcatOp concat : concats)
      writeIntoConcat(concat);
  }

  PassTarget target;
};

} // namespace
