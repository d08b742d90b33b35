// RUN: quant-opt %s --split-input-file --quantsim-lower-qat --verify-diagnostics

// A quantized op without an integer lowering is an error naming it, never a
// silently float result.
func.func @unsupported_op(%x: tensor<4xf32>) -> tensor<1xf32> {
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1> : tensor<4xf32>
  // expected-error @+1 {{'tosa.reduce_max' op has quantized inputs and a quantized result but no integer lowering (use allow-float-fallback to keep it float)}}
  %y = tosa.reduce_max %xq {axis = 0 : i32} : (tensor<4xf32>) -> tensor<1xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.1> : tensor<1xf32>
  return %yq : tensor<1xf32>
}

// -----

// s_in * s_w / s_out = 1000 * 1000 / 1e-3 = 1e9 >= 2^29 has no 32-bit
// multiplier with a shift of at least 2.
func.func @multiplier_out_of_range(%a: tensor<1x2x2xf32>, %b: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 1000.0> : tensor<1x2x2xf32>
  %bq = quantsim.fake_quant %b, !quant.uniform<i8:f32, 1000.0> : tensor<1x2x2xf32>
  // expected-error @+1 {{'tosa.matmul' op requantization scale 1.000000e+09 has no 32-bit fixed-point multiplier (it must be positive and below 2^29)}}
  %y = tosa.matmul %aq, %bq, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.001> : tensor<1x2x2xf32>
  return %yq : tensor<1x2x2xf32>
}

// -----

func.func @conv_weights_wrong_axis(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<0.0> : tensor<2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1> : tensor<1x2x2x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32:3, {0.01, 0.02}> : tensor<2x1x1x2xf32>
  // expected-error @+1 {{'tosa.conv2d' op per-axis weights must be quantized along the output channel (axis 0), not axis 3}}
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.1> : tensor<1x2x2x2xf32>
  return %yq : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_bias_not_constant(%x: tensor<1x2x2x2xf32>, %b: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x1x1x2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1> : tensor<1x2x2x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.01> : tensor<2x1x1x2xf32>
  // expected-error @+1 {{'tosa.conv2d' op bias must be a constant to be quantized}}
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.1> : tensor<1x2x2x2xf32>
  return %yq : tensor<1x2x2x2xf32>
}

// -----

func.func @per_channel_weight_zero_points(%a: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %w = arith.constant dense<0.5> : tensor<1x2x2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.1> : tensor<1x2x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32:2, {0.01:0, 0.02:3}> : tensor<1x2x2xf32>
  // expected-error @+1 {{'tosa.matmul' op per-channel weights need one zero point for all channels (TOSA takes a scalar)}}
  %y = tosa.matmul %aq, %wq, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.1> : tensor<1x2x2xf32>
  return %yq : tensor<1x2x2xf32>
}

// -----

// 2^31 output channels (of a splat weight that costs nothing to write) would
// need gigabytes of per-channel scales and biases: refused at once (it took
// 23 GB and was killed before).
func.func @too_many_channels(%x: tensor<1x1x4xf32>) -> tensor<1x1x2147483648xf32> {
  %w = arith.constant dense<0.25> : tensor<1x4x2147483648xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.02> : tensor<1x1x4xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32, 0.01> : tensor<1x4x2147483648xf32>
  // expected-error @+1 {{'tosa.matmul' op 1 batches of 2147483648 output columns; the integer lowering supports at most 16777216 in all}}
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2147483648xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2147483648xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.03> : tensor<1x1x2147483648xf32>
  return %yq : tensor<1x1x2147483648xf32>
}
