// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-lower-qat \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// conv2d island lowered to integer TOSA and run against its fake-quant
// original on 2 x 6 x 6 x 3 random inputs (seeded; the input range plus 10%,
// so the input clamps too): u8 asymmetric activations, s8 narrow-range
// per-channel weights, bias, stride 1 with padding, fused ReLU6.
// Every output element must be within one quantization step; the test also
// requires at least 95% of them to be exactly equal.

// CHECK: conv_relu6 result 0: max_steps {{[01]}} exact {{(274|275|276|277|278|279|280|281|282|283|284|285|286|287|288)}} of 288
func.func @conv_relu6(%x: tensor<2x6x6x3xf32>) -> tensor<2x6x6x4xf32>
    attributes {quantsim.test_compare} {
  %w = arith.constant dense<[[[[-2.4057943e-01, -3.973077e-01, -7.450849e-02],
   [1.2613358e-01, 3.4081396e-01, 3.291192e-02],
   [-1.657942e-01, -2.354341e-01, 2.2462372e-01]],

  [[4.904349e-01, 8.1830636e-02, -3.699986e-01],
   [-2.8747955e-01, 4.8000574e-01, 6.086473e-02],
   [-5.1964045e-01, -2.5108857e-02, -3.489678e-01]],

  [[-1.8878643e-01, -1.4640175e-01, -2.1399401e-01],
   [1.6601354e-01, -1.8925792e-02, -1.7682938e-01],
   [1.2289135e-01, 2.4895659e-01, -4.9290702e-01]]],


 [[[-7.7019036e-02, -2.942242e-01, -5.194657e-02],
   [-3.8682562e-01, 6.2071183e-03, -1.1365722e-02],
   [-9.130132e-02, -3.1437796e-01, -1.188571e-01]],

  [[-3.2739866e-01, -4.0656263e-01, 6.743572e-02],
   [-3.3280498e-01, 3.5108882e-01, 2.149763e-01],
   [-5.99345e-01, 8.1638664e-02, -3.30515e-01]],

  [[9.917166e-03, 1.3089598e-02, -5.9652895e-01],
   [-7.0026755e-02, -7.673701e-02, 2.8860015e-01],
   [-3.5443404e-01, 2.2141257e-01, -3.2969183e-01]]],


 [[[-9.9387266e-02, -2.5214195e-01, 4.346194e-01],
   [1.7046393e-01, 7.295197e-01, 1.9257492e-01],
   [2.534978e-01, 2.5220487e-01, -1.8198346e-01]],

  [[-2.1008534e-02, 4.0511665e-01, -1.1896523e-01],
   [5.6639858e-02, -6.367038e-03, 1.8276495e-01],
   [-1.09472625e-01, -4.5708567e-02, 7.2714426e-02]],

  [[3.0906942e-02, -2.5949183e-01, 2.687349e-01],
   [-3.8954437e-01, -3.6033466e-01, -3.8474753e-01],
   [2.900917e-01, -1.0818251e-01, -2.913109e-01]]],


 [[[-3.4080642e-01, 1.2633935e-01, -3.164522e-01],
   [-3.8162348e-01, 1.8419792e-01, -3.590123e-01],
   [-9.673145e-02, -2.028462e-03, -1.3360061e-01]],

  [[-1.6228188e-02, 4.0163204e-01, -1.5506825e-01],
   [-3.7779215e-01, -5.510237e-01, -6.1429836e-02],
   [-1.05677105e-01, 7.9527274e-02, -1.3927338e-01]],

  [[-1.4359154e-01, -2.1639472e-01, -1.5592793e-01],
   [4.8068013e-02, -1.1410582e-01, 3.0132556e-02],
   [5.7035613e-01, 1.4373544e-01, -4.7282696e-01]]]]> : tensor<4x3x3x3xf32>
  %b = arith.constant dense<[3.467059e-01, 6.956208e-02, -1.8828265e-01, 1.8140979e-01]> : tensor<4xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0235:117> : tensor<2x6x6x3xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:0, {0.00409166, 0.00471925, 0.00574425, 0.00449099}> : tensor<4x3x3x3xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<2x6x6x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x6x6x4xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.0125> : tensor<2x6x6x4xf32>
  return %rq : tensor<2x6x6x4xf32>
}
