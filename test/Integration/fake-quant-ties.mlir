// RUN: quant-opt %s --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// fake_quant compiled to native code on values at exact .5 ties (of x / s),
// at and beyond the clamp limits, for s8/u8, narrow range, 2/4/16 bits,
// per-axis, and non-finite inputs. Every expected value below is exact in
// f32 (power-of-two scales), so the printed decimals are the bits.
// The kernels are separate functions so the inputs cannot be constant-folded.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<?xf32>) {
  %u = tensor.cast %t : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @s8(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @u8_zp10(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.25:10> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @s8_narrow(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<i8<-127:127>:f32, 0.5> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @s4_zp(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<i4:f32, 0.5:-2> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @u4_zp8(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<u4:f32, 1.0:8> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @s2(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<i2:f32, 1.0> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @s16(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<i16:f32, 0.5> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @u16(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<u16:f32, 1.0> : tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @per_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32:1, {0.5, 0.25:2, 1.0:-1}> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @per_axis_u4(%x: tensor<2x2x2xf32>) -> tensor<2x2x2xf32> {
  %0 = quantsim.fake_quant %x, !quant.uniform<u4:f32:0, {0.5:8, 2.0:0}> : tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

func.func @main() {
  // s8, s = 0.5: x/s = .5, 1.5, 2.5, -.5, -1.5, -2.5 -> 0, 2, 2, 0, -2, -2;
  // saturation at 127 and -128; -0.25 gives +0.
  // CHECK: [0,  1,  1,  0,  -1,  -1,  63.5,  -64]
  %a = arith.constant dense<[0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 1000.0, -1000.0]> : tensor<8xf32>
  %ad = tensor.cast %a : tensor<8xf32> to tensor<?xf32>
  %ady = call @s8(%ad) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%ady) : (tensor<?xf32>) -> ()

  // u8, s = 0.25, zp = 10: clamps at levels 0 and 255; ties on x/s before
  // the zero point: .5 -> 0, 1.5 -> 2, 2.5 -> 2.
  // CHECK: [-2.5,  61.25,  0,  0.5,  0.5,  2.5]
  %b = arith.constant dense<[-100.0, 100.0, 0.125, 0.375, 0.625, 2.5]> : tensor<6xf32>
  %bd = tensor.cast %b : tensor<6xf32> to tensor<?xf32>
  %bdy = call @u8_zp10(%bd) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%bdy) : (tensor<?xf32>) -> ()

  // Narrow-range s8: -127.5 rounds to -128 and clamps to -127, not -128.
  // CHECK: [-63.5,  63.5,  -63.5,  63.5]
  %c = arith.constant dense<[-1000.0, 1000.0, -63.75, 63.75]> : tensor<4xf32>
  %cd = tensor.cast %c : tensor<4xf32> to tensor<?xf32>
  %cdy = call @s8_narrow(%cd) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%cdy) : (tensor<?xf32>) -> ()

  // s4, s = 0.5, zp = -2 (levels -8..7): .5 -> 0, 1.5 -> 2, 5.5 -> 6.
  // CHECK: [0,  1,  4.5,  -3,  3]
  %d = arith.constant dense<[0.25, 0.75, 100.0, -100.0, 2.75]> : tensor<5xf32>
  %dd = tensor.cast %d : tensor<5xf32> to tensor<?xf32>
  %ddy = call @s4_zp(%dd) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%ddy) : (tensor<?xf32>) -> ()

  // u4, s = 1, zp = 8 (levels 0..15): 7.5 -> 8 -> 16 clamps to 15;
  // 8.5 -> 8 -> 16 -> 15; -7.5 -> -8 -> 0.
  // CHECK: [7,  7,  -8,  7,  -8]
  %e = arith.constant dense<[7.5, 8.5, -100.0, 100.0, -7.5]> : tensor<5xf32>
  %ed = tensor.cast %e : tensor<5xf32> to tensor<?xf32>
  %edy = call @u4_zp8(%ed) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%edy) : (tensor<?xf32>) -> ()

  // s2 (levels -2..1): 0.5 -> 0, 1.5 -> 2 -> 1, -2.5 -> -2.
  // CHECK: [0,  1,  -2,  1]
  %f = arith.constant dense<[0.5, 1.5, -2.5, 5.0]> : tensor<4xf32>
  %fd = tensor.cast %f : tensor<4xf32> to tensor<?xf32>
  %fdy = call @s2(%fd) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%fdy) : (tensor<?xf32>) -> ()

  // s16, s = 0.5: 32767.5 -> 32768 clamps to 32767; 1.5 -> 2.
  // CHECK: [16383.5,  16383.5,  -16384,  1]
  %g = arith.constant dense<[16383.75, 20000.0, -20000.0, 0.75]> : tensor<4xf32>
  %gd = tensor.cast %g : tensor<4xf32> to tensor<?xf32>
  %gdy = call @s16(%gd) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%gdy) : (tensor<?xf32>) -> ()

  // u16, s = 1: 65534.5 -> 65534 (even), clamps at 65535 and 0.
  // CHECK: [65534,  65535,  0,  65535]
  %h = arith.constant dense<[65534.5, 70000.0, -1.0, 65535.5]> : tensor<4xf32>
  %hd = tensor.cast %h : tensor<4xf32> to tensor<?xf32>
  %hdy = call @u16(%hd) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%hdy) : (tensor<?xf32>) -> ()

  // Infinities saturate; NaN stays NaN.
  // CHECK: [63.5,  -64,  nan]
  %inf = arith.constant 0x7F800000 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %nan = arith.constant 0x7FC00000 : f32
  %i = tensor.from_elements %inf, %ninf, %nan : tensor<3xf32>
  %id = tensor.cast %i : tensor<3xf32> to tensor<?xf32>
  %idy = call @s8(%id) : (tensor<?xf32>) -> tensor<?xf32>
  call @print(%idy) : (tensor<?xf32>) -> ()

  // Per-axis along dim 1, s8: channel scales 0.5, 0.25, 1 and zero points
  // 0, 2, -1. Ties: 0.5 -> 0 in every channel; 1.5 -> 2 in channel 2.
  // CHECK: {{\[}}[0,   0,   0],
  // CHECK-NEXT:  [63.5,   -32.5,   2]]
  %p = arith.constant dense<[[0.25, 0.125, 0.5], [1000.0, -1000.0, 1.5]]> : tensor<2x3xf32>
  %py = call @per_axis(%p) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %pu = tensor.cast %py : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pu) : (tensor<*xf32>) -> ()

  // Per-axis along dim 0, u4: channel 0 (s 0.5, zp 8) covers [-4, 3.5],
  // channel 1 (s 2, zp 0) covers [0, 30]. Ties: 0.75 / 0.5 = 1.5 -> 2 -> 1.0,
  // 0.25 / 0.5 = 0.5 -> 0, 3 / 2 = 1.5 -> 2 -> 4.
  // CHECK: {{\[\[\[}}-4,    3.5],
  // CHECK-NEXT: [1,    0]],
  // CHECK-NEXT: {{\[\[}}4,    30],
  // CHECK-NEXT: [0,    4]]]
  %q = arith.constant dense<[[[-9.0, 9.0], [0.75, 0.25]], [[5.0, 99.0], [-3.0, 3.0]]]> : tensor<2x2x2xf32>
  %qy = call @per_axis_u4(%q) : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %qu = tensor.cast %qy : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%qu) : (tensor<*xf32>) -> ()
  return
}
