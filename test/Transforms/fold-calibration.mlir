// RUN: quant-opt %s --split-input-file --quantsim-fold-calibration | FileCheck %s

// min/max of [-1, 1] in u8: scale 2/255, zero point 127.5 rounded to even,
// 128, so that 0.0 is exact; s8 symmetric narrow [-0.5, 1.27]: scale
// 1.27/127 = 0.01 (as f32), zero point 0. Scales are rounded to f32.
// CHECK-LABEL: func.func @minmax
// CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 0.0078431377187371254:128> {quantsim.observer = "a"} : tensor<4xf32>
// CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<i8<-127:127>:f32, 0.0099999997764825821> {quantsim.observer = "b"} : tensor<4xf32>
func.func @minmax(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = quantsim.observe %x as "a" using min_max stats <min = [-1.0], max = [1.0], count = 4> : tensor<4xf32>
  %1 = quantsim.observe %0 as "b" using min_max stats <min = [-0.5], max = [1.27], count = 4> {is_signed, symmetric, narrow_range} : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Weights fold from the constant itself, per channel: channel 0 has
// max |w| = 2 (scale 2/127), channel 1 max |w| = 0.5 (scale 0.5/127).
// CHECK-LABEL: func.func @weights
// CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<i8<-127:127>:f32:0, {0.015748031437397003,0.0039370078593492508}> {quantsim.observer = "w"} : tensor<2x2xf32>
func.func @weights() -> tensor<2x2xf32> {
  %w = "tosa.const"() <{values = dense<[[1.0, -2.0], [0.5, 0.25]]> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %0 = quantsim.observe %w as "w" using min_max axis 0 {is_signed, symmetric, narrow_range} : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
