// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-lower-qat \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// Fully-connected layers (tosa.matmul + bias add) and an activation x
// activation batched matmul, lowered to integer TOSA and compared with the
// fake-quant originals on seeded random inputs: within one step everywhere,
// at least 95% exactly equal.

// CHECK: fc_per_channel result 0: max_steps {{[01]}} exact {{(31|32)}} of 32
func.func @fc_per_channel(%x: tensor<1x4x16xf32>) -> tensor<1x4x8xf32> attributes {quantsim.test_compare} {
  %w = arith.constant dense<[[[6.8385536e-03, 2.719495e-01, 2.4494421e-01, -1.0206141e-01, -5.95939e-02, -1.0547684e-01, 1.1394527e-01, -1.1212888e-02],  [1.4937712e-01, -3.6946496e-01, 3.1330976e-01, -1.9286431e-02, 1.3607569e-01, -2.7313266e-02, -7.5819716e-02, 9.2622034e-02],  [1.649027e-01, -4.0505975e-02, -3.0557236e-02, 1.3713972e-01, -1.7406812e-01, -3.028767e-01, 7.8996375e-02, -1.3411316e-01],  [-3.8406813e-01, -1.6281073e-01, -9.351951e-02, -2.386405e-01, -2.984928e-01, 7.3275655e-03, 1.7944986e-01, -4.6626415e-02],  [-1.487192e-01, 7.699876e-02, 1.4344716e-01, -6.000212e-02, 1.0893356e-01, 2.085751e-01, -4.1391287e-02, -1.6270311e-01],  [6.953012e-02, 4.950915e-02, 2.1976255e-01, -2.5691617e-01, -1.3232258e-01, -1.676334e-01, -3.4680298e-01, 2.5286911e-02],  [1.0556084e-01, -1.47758e-01, 2.771294e-01, 1.6438487e-01, 1.254753e-01, 8.034142e-02, 1.9113392e-01, -2.6639596e-01],  [1.2278593e-01, 1.2055536e-01, -3.5354373e-01, 6.940602e-02, -5.008427e-02, 1.5630454e-01, -8.781244e-02, -3.6481714e-03],  [6.85703e-02, -1.7525233e-01, 1.1971933e-01, -2.0992639e-02, 9.849653e-02, -1.043675e-01, 2.172403e-01, 1.210404e-01],  [-3.5605006e-02, 1.2639143e-01, 2.5195104e-01, 3.582351e-01, -3.1471527e-01, 1.7662637e-01, 9.3013704e-02, -1.8772157e-02],  [-2.0133299e-01, 2.5143772e-01, -2.523476e-01, 1.1338909e-01, 2.603736e-01, -3.1993386e-01, -6.050357e-02, -2.6184335e-01],  [4.881082e-02, 3.02875e-01, 4.0471122e-01, -3.556229e-01, -1.149898e-01, 1.4070901e-01, 3.1587452e-01, 8.424213e-02],  [-1.492304e-01, 5.94263e-02, -3.3238402e-03, -4.0748145e-02, -1.4689422e-01, 7.745195e-02, 6.1575927e-02, -1.8596826e-02],  [-4.433759e-02, -2.569833e-01, -9.7235136e-02, 2.4128993e-01, -3.8111653e-02, -2.8793946e-01, 2.6688856e-01, 1.06053084e-01],  [4.2161742e-01, 1.2502434e-02, -9.2276916e-02, -2.8952894e-01, 2.6476768e-01, 5.139023e-01, -1.6418698e-01, -1.2941752e-01],  [1.1923776e-01, -1.6606909e-01, -5.4111674e-02, -6.996754e-02, 3.8391776e-02, 2.1896368e-01, 4.413518e-03, 1.8378203e-01]]]> : tensor<1x16x8xf32>
  %b = arith.constant dense<[[[-1.2596667e-01, 9.833956e-02, -6.414677e-01, -4.3498442e-01, 2.3877402e-01, -1.7704482e-01, 1.7397448e-01, 1.6270328e-01]]]> : tensor<1x1x8xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:120> : tensor<1x4x16xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.00331982, 0.00290917, 0.0031867, 0.00282075, 0.00247807, 0.00404647, 0.00273073, 0.00209761}> : tensor<1x16x8xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x4x16xf32>, tensor<1x16x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
  %yb = tosa.add %y, %b : (tensor<1x4x8xf32>, tensor<1x1x8xf32>) -> tensor<1x4x8xf32>
  %r = tosa.clamp %yb {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.03> : tensor<1x4x8xf32>
  return %rq : tensor<1x4x8xf32>
}

// CHECK: fc_per_tensor_s8 result 0: max_steps {{[01]}} exact {{(17|18)}} of 18
func.func @fc_per_tensor_s8(%x: tensor<2x3x5xf32>) -> tensor<2x3x3xf32> attributes {quantsim.test_compare} {
  %w = arith.constant dense<[[[2.6445577e-01, 1.6237181e-01, 2.0339827e-01],  [-2.2334266e-02, -1.3965704e-01, -1.4631176e-01],  [-9.760879e-02, -2.2596583e-01, -1.0948872e-01],  [-1.851381e-02, 5.032239e-02, -6.7778155e-02],  [-3.8473657e-01, -1.4456591e-02, 4.5069158e-02]], [[2.1689512e-01, 1.1557278e-01, -1.2871213e-01],  [-1.4475532e-01, 4.0211952e-01, 1.513276e-01],  [3.6628798e-01, 4.258889e-01, -1.6361673e-01],  [7.705386e-02, 9.16334e-02, 1.1192244e-01],  [1.08380444e-01, 4.041093e-02, 3.482585e-02]]]> : tensor<2x5x3xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.05:-7> : tensor<2x3x5xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.004:3> : tensor<2x5x3xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<2x3x5xf32>, tensor<2x5x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x3x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.02:5> : tensor<2x3x3xf32>
  return %yq : tensor<2x3x3xf32>
}

// CHECK: activation_matmul result 0: max_steps {{[01]}} exact {{(31|32)}} of 32
func.func @activation_matmul(%a: tensor<2x4x6xf32>, %b: tensor<2x6x4xf32>) -> tensor<2x4x4xf32> attributes {quantsim.test_compare} {
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.03:2> : tensor<2x4x6xf32>
  %bq = quantsim.fake_quant %b, !quant.uniform<u8:f32, 0.02:128> : tensor<2x6x4xf32>
  %y = tosa.matmul %aq, %bq, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x4xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.08:-1> : tensor<2x4x4xf32>
  return %yq : tensor<2x4x4xf32>
}
