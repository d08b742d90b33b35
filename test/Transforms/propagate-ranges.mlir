// RUN: quant-opt %s --split-input-file --quantsim-propagate-ranges | FileCheck %s

// Scale-keeping ops carry their input's parameters: max-pool, transpose,
// reshape, pad (by 0, a level of the type) and a standalone clamp each get
// a fake_quant of the same type; a value already followed by one is left.
// CHECK-LABEL: func.func @same_scale
// CHECK: %[[P:.*]] = tosa.max_pool2d
// CHECK-NEXT: %[[PQ:.*]] = quantsim.fake_quant %[[P]], !quant.uniform<u8:f32, 1.000000e-01:3> : tensor<1x2x2x8xf32>
// CHECK-NEXT: %[[T:.*]] = tosa.transpose %[[PQ]]
// CHECK-NEXT: %[[TQ:.*]] = quantsim.fake_quant %[[T]], !quant.uniform<u8:f32, 1.000000e-01:3> : tensor<1x8x2x2xf32>
// CHECK: %[[PAD:.*]] = tosa.pad %[[TQ]]
// CHECK-NEXT: quantsim.fake_quant %[[PAD]], !quant.uniform<u8:f32, 1.000000e-01:3> : tensor<1x8x4x4xf32>
// CHECK: %[[C:.*]] = tosa.clamp
// CHECK-NEXT: quantsim.fake_quant %[[C]], !quant.uniform<u8:f32, 1.000000e-01:3> : tensor<1x8x4x4xf32>
// CHECK: %[[R:.*]] = tosa.reshape
// CHECK-NEXT: quantsim.fake_quant %[[R]], !quant.uniform<u8:f32, 2.000000e-01> : tensor<1x128xf32>
// CHECK-NOT: quantsim.fake_quant
func.func @same_scale(%x: tensor<1x4x4x8xf32>) -> tensor<1x128xf32> {
  %a = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.1:3> : tensor<1x4x4x8xf32>
  %p = tosa.max_pool2d %a {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  %t = tosa.transpose %p {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x2x2x8xf32>) -> tensor<1x8x2x2xf32>
  %padding = tosa.const_shape {values = dense<[0, 0, 0, 0, 1, 1, 1, 1]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %pad = tosa.pad %t, %padding, %zero : (tensor<1x8x2x2xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x8x4x4xf32>
  %c = tosa.clamp %pad {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %s = tosa.const_shape {values = dense<[1, 128]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %c, %s : (tensor<1x8x4x4xf32>, !tosa.shape<2>) -> tensor<1x128xf32>
  %q = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.2> : tensor<1x128xf32>
  return %q : tensor<1x128xf32>
}

// -----

// Fixed ranges at the input's storage: sigmoid in [0, 1] with 2^-8 steps,
// tanh in [-1, 1] with 2^-7 steps (u8: zero point 128; s8: 0).
// CHECK-LABEL: func.func @fixed_ranges
// CHECK: %[[S:.*]] = tosa.sigmoid
// CHECK-NEXT: quantsim.fake_quant %[[S]], !quant.uniform<u8:f32, 3.906250e-03> : tensor<8xf32>
// CHECK: %[[T:.*]] = tosa.tanh
// CHECK-NEXT: quantsim.fake_quant %[[T]], !quant.uniform<u8:f32, 7.812500e-03:128> : tensor<8xf32>
// CHECK: %[[T8:.*]] = tosa.tanh
// CHECK-NEXT: quantsim.fake_quant %[[T8]], !quant.uniform<i8:f32, 7.812500e-03> : tensor<8xf32>
func.func @fixed_ranges(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %a = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.05:128> : tensor<8xf32>
  %s = tosa.sigmoid %a : (tensor<8xf32>) -> tensor<8xf32>
  %t = tosa.tanh %a : (tensor<8xf32>) -> tensor<8xf32>
  %b = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.05> : tensor<8xf32>
  %t8 = tosa.tanh %b : (tensor<8xf32>) -> tensor<8xf32>
  return %s, %t, %t8 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// A residual add of two quantized values without parameters of its own
// gets the sum of their intervals: [0, 2.55] + [-1.28, 1.27] (s8, scale
// 0.01) = [-1.28, 3.82], in u8 (the first input's storage): scale 5.1/255
// = 0.02, zero point 64. With a ReLU after it (fused into the integer
// add), the parameters go after the ReLU, for [0, 3.82]: scale 3.82/255.
// CHECK-LABEL: func.func @residual
// CHECK: %[[S:.*]] = tosa.add
// CHECK-NEXT: quantsim.fake_quant %[[S]], !quant.uniform<u8:f32, 0.019999999552965164:64> : tensor<8xf32>
// CHECK: %[[S2:.*]] = tosa.add
// CHECK-NEXT: %[[R:.*]] = tosa.clamp %[[S2]]
// CHECK-NEXT: quantsim.fake_quant %[[R]], !quant.uniform<u8:f32, 0.014980391599237919> : tensor<8xf32>
func.func @residual(%x: tensor<8xf32>, %y: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %a = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01> : tensor<8xf32>
  %b = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.01> : tensor<8xf32>
  %s = tosa.add %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %s2 = tosa.add %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %r = tosa.clamp %s2 {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<8xf32>) -> tensor<8xf32>
  return %s, %r : tensor<8xf32>, tensor<8xf32>
}
