//===- F32Kernels.cpp - f32 conv/matmul chains to tiled kernels -----------===//
//
// Part of quant-opt. The f32 half of --quantsim-cpu-kernels: matches an f32
// tosa.conv2d / tosa.matmul with a constant filter, its bias and the
// elementwise ops after it (F32Activation.cpp),
// packs the filter into 16-channel vectors at compile time and emits the
// loop nest of KernelBuilder.cpp. Its sums are the reference lowering's, in
// the same order with the same roundings, so results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "quant-opt/Support/QuantParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::quantsim;

namespace {

/// An f32 conv2d/matmul chain, with its constants read out.
struct F32Chain : ConvChainBase {
  Operation *biasAdd = nullptr;
  /// A matmul reading reshape(transpose(x)) reads x (the kernel's input)
  /// instead, kernelH, kernelW and inC being x's H, W and C; these are the
  /// reshapes from the matmul up to the transpose, then the transpose.
  SmallVector<Operation *> flatten;
  SmallVector<float> weights, bias;
  F32KernelEpilogue epilogue{};

  Operation *last() const {
    if (!epilogue.activation.ops.empty())
      return epilogue.activation.ops.back();
    return biasAdd ? biasAdd : producer;
  }
  float filterAt(int64_t f, int64_t h, int64_t w, int64_t c) const {
    return weights[filterIndex(f, h, w, c)];
  }
};

bool isF32Tensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32();
}

std::optional<F32Chain> matchConv(tosa::Conv2DOp conv) {
  F32Chain chain;
  chain.producer = conv;
  if (!isF32Tensor(conv.getInput().getType()) ||
      !isF32Tensor(conv.getType()) || !isZeroF32(conv.getInputZp()) ||
      !isZeroF32(conv.getWeightZp()))
    return std::nullopt;
  std::optional<SmallVector<float>> weights = constantFloats(conv.getWeight());
  if (!weights)
    return std::nullopt;
  ArrayRef<int64_t> wShape =
      cast<RankedTensorType>(conv.getWeight().getType()).getShape();
  chain.weights = std::move(*weights);
  chain.readWindow(conv, wShape);
  if (chain.outC > kMaxChannels ||
      cast<RankedTensorType>(chain.input.getType()).getDimSize(3) != chain.inC)
    return std::nullopt;
  std::optional<SmallVector<float>> bias =
      perChannelFloats(conv.getBias(), chain.outC);
  if (!bias)
    return std::nullopt;
  chain.bias = std::move(*bias);
  chain.epilogue.biasFirst = true;
  chain.epilogue.activation = matchF32Activation(conv.getResult());
  return chain;
}

/// Whether the matmul's A is x (N x H x W x C) put in NCHW order and
/// flattened, reshapes of transpose(x, [0, 3, 1, 2]) to 1 x N x C*H*W: then
/// the kernel reads x itself (KernelGeometry::flattenedTranspose), and the
/// copy that the transpose would make is saved.
void matchFlattenedTranspose(F32Chain &chain) {
  SmallVector<Operation *> ops;
  Value source = chain.input;
  while (auto reshape = source.getDefiningOp<tosa::ReshapeOp>()) {
    ops.push_back(reshape);
    source = reshape.getInput1();
  }
  auto transpose = source.getDefiningOp<tosa::TransposeOp>();
  if (ops.empty() || !transpose ||
      transpose.getPerms() != ArrayRef<int32_t>{0, 3, 1, 2})
    return;
  Value x = transpose.getInput1();
  auto xType = cast<RankedTensorType>(x.getType());
  auto aType = cast<RankedTensorType>(chain.input.getType());
  if (!isF32Tensor(xType) || xType.getRank() != 4 ||
      xType.getDimSize(0) != aType.getDimSize(1))
    return;
  int64_t h = xType.getDimSize(1), w = xType.getDimSize(2),
          c = xType.getDimSize(3);
  if (h * w * c != chain.inC)
    return;
  ops.push_back(transpose);
  chain.flatten = std::move(ops);
  chain.input = x;
  chain.kernelH = h;
  chain.kernelW = w;
  chain.inC = c;
}

std::optional<F32Chain> matchMatmul(tosa::MatMulOp matmul) {
  F32Chain chain;
  chain.producer = matmul;
  if (!isF32Tensor(matmul.getA().getType()) ||
      !isF32Tensor(matmul.getType()) || !isZeroF32(matmul.getAZp()) ||
      !isZeroF32(matmul.getBZp()))
    return std::nullopt;
  std::optional<SmallVector<float>> weights = constantFloats(matmul.getB());
  auto aType = cast<RankedTensorType>(matmul.getA().getType());
  ArrayRef<int64_t> bShape =
      cast<RankedTensorType>(matmul.getB().getType()).getShape();
  if (!weights || aType.getDimSize(0) != 1 || bShape[0] != 1)
    return std::nullopt;
  chain.input = matmul.getA();
  chain.weights = std::move(*weights);
  chain.inC = bShape[1];
  chain.outC = bShape[2];
  if (chain.outC > kMaxChannels)
    return std::nullopt;
  matchFlattenedTranspose(chain);
  chain.bias.assign(chain.outC, 0.0f);
  Value acc = matmul.getResult();
  // A constant bias of one value per output column.
  if (acc.hasOneUse())
    if (auto add = dyn_cast<tosa::AddOp>(*acc.getUsers().begin());
        add && add.getType() == acc.getType()) {
      Value other = add.getInput1() == acc ? add.getInput2() : add.getInput1();
      auto otherType = cast<RankedTensorType>(other.getType());
      std::optional<SmallVector<float>> bias = constantFloats(other);
      if (bias && otherType.getNumElements() == chain.outC &&
          otherType.getShape().back() == chain.outC) {
        chain.bias = std::move(*bias);
        chain.biasAdd = add;
        chain.epilogue.biasAfter = true;
        acc = add.getResult();
      }
    }
  chain.epilogue.activation = matchF32Activation(acc);
  return chain;
}

Value lowerChain(OpBuilder &b, const F32Chain &chain,
                 const ResolvedTarget &target) {
  Location loc = chain.producer->getLoc();
  Type f32 = b.getF32Type();
  bool isMatmul = isa<tosa::MatMulOp>(chain.producer);

  bool flattened = !chain.flatten.empty();

  // Input: NHWC, padded with zeros like the reference lowering.
  Value x = chain.input;
  if (isMatmul && !flattened)
    x = matmulAsImage(b, loc, x);
  x = padSpatially(b, loc, x, {0, chain.padTop, chain.padLeft, 0},
                   {0, chain.padBottom, chain.padRight, 0},
                   b.getF32FloatAttr(0.0f));

  // In the order the kernel reads them: the taps inside the channels for a
  // flattened transpose, outside them otherwise.
  int64_t blocks = (chain.outC + kLanes - 1) / kLanes;
  SmallVector<float> packed(
      blocks * chain.kernelH * chain.kernelW * chain.inC * kLanes, 0.0f);
  auto pack = [&](int64_t at, int64_t blk, int64_t h, int64_t w, int64_t c) {
    for (int64_t l = 0; l < kLanes; ++l)
      if (int64_t f = blk * kLanes + l; f < chain.outC)
        packed[at + l] =
            flattened ? chain.weights[((c * chain.kernelH + h) * chain.kernelW +
                                       w) * chain.outC + f]
                      : chain.filterAt(f, h, w, c);
  };
  int64_t at = 0;
  for (int64_t blk = 0; blk < blocks; ++blk) {
    if (flattened) {
      for (int64_t c = 0; c < chain.inC; ++c)
        for (int64_t h = 0; h < chain.kernelH; ++h)
          for (int64_t w = 0; w < chain.kernelW; ++w, at += kLanes)
            pack(at, blk, h, w, c);
      continue;
    }
    for (int64_t h = 0; h < chain.kernelH; ++h)
      for (int64_t w = 0; w < chain.kernelW; ++w)
        for (int64_t c = 0; c < chain.inC; ++c, at += kLanes)
          pack(at, blk, h, w, c);
  }
  SmallVector<float> bias(chain.bias);
  bias.resize(blocks * kLanes, 0.0f);

  F32KernelOperands operands;
  operands.input = x;
  SmallVector<int64_t> packedShape = {blocks, chain.kernelH, chain.kernelW,
                                      chain.inC, kLanes};
  if (flattened)
    packedShape = {blocks, chain.inC, chain.kernelH, chain.kernelW, kLanes};
  operands.weights = constantTensor<float>(b, loc, packedShape, f32, packed);
  operands.bias = constantTensor<float>(b, loc, {blocks * kLanes}, f32, bias);

  auto outType = cast<RankedTensorType>(chain.last()->getResult(0).getType());
  SmallVector<int64_t> outShape(outType.getShape());
  if (isMatmul)
    outShape = {1, 1, outShape[1], outShape[2]};
  KernelGeometry geometry{outShape[0],     outShape[1],   outShape[2],
                          outShape[3],     chain.kernelH, chain.kernelW,
                          chain.inC,       chain.strideH, chain.strideW,
                          chain.dilationH, chain.dilationW};
  geometry.flattenedTranspose = flattened;
  // AVX-512: 24 accumulators, 4 weight vectors, a broadcast and a product
  // in 32 zmm registers. Elsewhere a 16-lane vector takes two ymm (or four
  // xmm) registers: one vector of channels x 6 pixels.
  KernelTiling tiling =
      target.avx512 ? KernelTiling{4, 24} : KernelTiling{1, 6};
  Value init = tensor::EmptyOp::create(b, loc, outShape, f32);
  Value result = buildF32ConvKernel(b, loc, geometry, operands,
                                    chain.epilogue, tiling, init);
  return isMatmul ? imageAsMatmul(b, loc, result, outType) : result;
}

} // namespace

bool mlir::quantsim::lowerF32Kernel(Operation *producer,
                                    const ResolvedTarget &target,
                                    int64_t winogradTile) {
  std::optional<F32Chain> chain;
  if (auto conv = dyn_cast<tosa::Conv2DOp>(producer))
    chain = matchConv(conv);
  else if (auto matmul = dyn_cast<tosa::MatMulOp>(producer))
    chain = matchMatmul(matmul);
  if (!chain)
    return false;
  OpBuilder b(chain->last());
  auto resultType =
      cast<RankedTensorType>(chain->last()->getResult(0).getType());
  Value result;
  if (isa<tosa::Conv2DOp>(producer) &&
      winogradApplies(*chain, resultType, winogradTile)) {
    Location loc = producer->getLoc();
    WinogradConv conv{chain->input,
                      chain->padTop,
                      chain->padLeft,
                      chain->inC,
                      chain->weights,
                      constantTensor<float>(b, loc, {chain->outC},
                                            b.getF32Type(), chain->bias),
                      chain->epilogue.activation,
                      resultType};
    result = buildF32WinogradConv(b, loc, conv, winogradTile, target);
  } else {
    result = lowerChain(b, *chain, target);
  }
  chain->last()->getResult(0).replaceAllUsesWith(result);
  eraseF32Activation(chain->epilogue.activation);
  SmallVector<Operation *> dead = {chain->biasAdd, chain->producer};
  dead.append(chain->flatten);
  for (Operation *op : dead)
    if (op && op->use_empty())
      op->erase();
  return true;
}
