// f32 3x3 stride-1 convolutions for bench/run.sh: ResNet's four stages
// and a DenseNet layer (128 -> 32 channels), padding 1, bias and ReLU;
// constant weights (the arithmetic does not depend on their values).
// The CPU pipeline computes the first three and the DenseNet one by
// Winograd's F(4x4, 3x3), cpu-exact-math directly; 7x7 stays direct in
// both (too few tiles).
func.func @resnet_56x56x64(%x: tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32> {
  %w = "tosa.const"() <{values = dense<0.01> : tensor<64x3x3x64xf32>}> : () -> tensor<64x3x3x64xf32>
  %b = "tosa.const"() <{values = dense<0.1> : tensor<64xf32>}> : () -> tensor<64xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x56x56x64xf32>, tensor<64x3x3x64xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x56x56x64xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32>
  return %r : tensor<1x56x56x64xf32>
}
func.func @resnet_28x28x128(%x: tensor<1x28x28x128xf32>) -> tensor<1x28x28x128xf32> {
  %w = "tosa.const"() <{values = dense<0.01> : tensor<128x3x3x128xf32>}> : () -> tensor<128x3x3x128xf32>
  %b = "tosa.const"() <{values = dense<0.1> : tensor<128xf32>}> : () -> tensor<128xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x28x28x128xf32>, tensor<128x3x3x128xf32>, tensor<128xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x28x28x128xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<1x28x28x128xf32>) -> tensor<1x28x28x128xf32>
  return %r : tensor<1x28x28x128xf32>
}
func.func @resnet_14x14x256(%x: tensor<1x14x14x256xf32>) -> tensor<1x14x14x256xf32> {
  %w = "tosa.const"() <{values = dense<0.01> : tensor<256x3x3x256xf32>}> : () -> tensor<256x3x3x256xf32>
  %b = "tosa.const"() <{values = dense<0.1> : tensor<256xf32>}> : () -> tensor<256xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x14x14x256xf32>, tensor<256x3x3x256xf32>, tensor<256xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x14x14x256xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<1x14x14x256xf32>) -> tensor<1x14x14x256xf32>
  return %r : tensor<1x14x14x256xf32>
}
func.func @resnet_7x7x512(%x: tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32> {
  %w = "tosa.const"() <{values = dense<0.01> : tensor<512x3x3x512xf32>}> : () -> tensor<512x3x3x512xf32>
  %b = "tosa.const"() <{values = dense<0.1> : tensor<512xf32>}> : () -> tensor<512xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x7x7x512xf32>, tensor<512x3x3x512xf32>, tensor<512xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x7x7x512xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  return %r : tensor<1x7x7x512xf32>
}
func.func @densenet_56x56x128_32(%x: tensor<1x56x56x128xf32>) -> tensor<1x56x56x32xf32> {
  %w = "tosa.const"() <{values = dense<0.01> : tensor<32x3x3x128xf32>}> : () -> tensor<32x3x3x128xf32>
  %b = "tosa.const"() <{values = dense<0.1> : tensor<32xf32>}> : () -> tensor<32xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x56x56x128xf32>, tensor<32x3x3x128xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x56x56x32xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<1x56x56x32xf32>) -> tensor<1x56x56x32xf32>
  return %r : tensor<1x56x56x32xf32>
}
