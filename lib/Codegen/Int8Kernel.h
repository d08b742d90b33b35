//===- Int8Kernel.h - int8 conv/GEMM loop nest builder ----------*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Codegen: the register-tiled loop nest
// that --quantsim-cpu-kernels emits for an int8 conv2d or matmul with its
// requantize epilogue. See docs/CPUKernels.md.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_CODEGEN_INT8KERNEL_H
#define QUANTOPT_LIB_CODEGEN_INT8KERNEL_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

#include <cstdint>

namespace mlir {
namespace quantsim {

/// Output lanes per accumulator vector: 16 x i32 (one zmm register).
constexpr int64_t kLanes = 16;
/// Input channels per dot-product step (one u8x4 . s8x4 in each i32 lane).
constexpr int64_t kGroup = 4;

/// The shape of an int8 convolution as the kernel sees it: an NHWC input
/// already padded (spatially and to a multiple of kGroup channels) and
/// stored as u8 (x + 128), and an NHWC i8 output. A matmul is a 1x1
/// convolution over a 1 x M image with K channels.
struct Int8KernelGeometry {
  int64_t batch, outH, outW, outC;
  int64_t kernelH, kernelW, channelGroups;
  int64_t strideH, strideW, dilationH, dilationW;
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
struct Int8KernelTiling {
  int64_t maxVectors, accumulators;
};

/// Emits the loop nest into `b` and returns the N x OH x OW x outC result
/// (i8, or i32 without requantize) written into `init`.
Value buildInt8ConvKernel(OpBuilder &b, Location loc,
                          const Int8KernelGeometry &geometry,
                          const Int8KernelOperands &operands,
                          const Int8KernelEpilogue &epilogue,
                          const Int8KernelTiling &tiling, Value init);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_CODEGEN_INT8KERNEL_H
