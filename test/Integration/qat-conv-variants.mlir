// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-lower-qat \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// More conv islands against their fake-quant originals: s8 activations with
// per-tensor weights and stride 2 (odd sizes), and depthwise_conv2d with
// per-channel weights (axis 2) and a fused ReLU.

// CHECK: conv_stride2 result 0: max_steps {{[01]}} exact {{(76|77|78|79|80)}} of 80
func.func @conv_stride2(%x: tensor<1x7x7x2xf32>) -> tensor<1x4x4x5xf32> attributes {quantsim.test_compare} {
  %w = arith.constant dense<[[[[-3.7562498e-01, -4.1350298e-02],   [-1.8690492e-01, 3.1521827e-02],   [-1.1688656e-01, 1.5463018e-01]],  [[2.0476893e-01, 7.717309e-02],   [7.904203e-02, 2.3236671e-02],   [-1.1194947e-01, -4.1125316e-02]],  [[-1.23911515e-01, 9.6996784e-02],   [3.528353e-03, 1.453228e-01],   [-3.3216208e-01, 2.2194473e-01]]], [[[-1.9067407e-01, -1.8357055e-01],   [-4.9360745e-02, -1.4084615e-01],   [7.27813e-02, -1.4354119e-01]],  [[-2.673694e-01, -2.114507e-01],   [3.2799584e-01, 1.10645825e-02],   [-2.9188257e-01, 2.0943508e-03]],  [[-3.8898662e-01, 4.4739163e-01],   [-3.8111955e-01, 1.19688176e-01],   [1.3590641e-01, -3.6250195e-01]]], [[[7.506913e-02, 2.4929301e-01],   [1.1689382e-01, 6.525407e-02],   [2.3727417e-01, 4.0226135e-02]],  [[8.410632e-02, -3.1677887e-02],   [1.5795143e-01, -2.3534603e-01],   [1.9794081e-01, -1.2632538e-01]],  [[-2.7266335e-01, 9.131224e-02],   [4.2323887e-01, 2.4041955e-01],   [-1.2891246e-01, 1.7451492e-01]]], [[[-1.1355228e-01, -3.1004865e-02],   [2.2382123e-02, -5.793046e-01],   [4.790369e-02, -2.574023e-01]],  [[-1.7434965e-01, -3.685976e-01],   [-3.7913954e-01, -2.358161e-01],   [2.0639932e-01, 4.1651034e-01]],  [[-6.301276e-03, 2.7294773e-01],   [-6.5995164e-02, -4.7799322e-01],   [3.7479155e-02, 1.1141206e-01]]], [[[-1.0715414e-01, 7.555606e-02],   [1.4313906e-01, -2.1585189e-01],   [-3.692085e-01, -5.5313542e-02]],  [[-5.2765135e-02, -8.8165805e-02],   [2.4681169e-01, 4.313972e-01],   [-1.04161754e-01, 1.7472167e-01]],  [[2.3523279e-01, 1.782891e-01],   [2.6187158e-01, -9.731099e-02],   [1.8495159e-01, 5.061205e-01]]]]> : tensor<5x3x3x2xf32>
  %b = arith.constant dense<[8.036656e-02, -6.1989367e-02, 6.077125e-02, 1.2623803e-01, 3.6898628e-02]> : tensor<5xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.04:-10> : tensor<1x7x7x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.006> : tensor<5x3x3x2xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x7x7x2xf32>, tensor<5x3x3x2xf32>, tensor<5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x5xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.05:3> : tensor<1x4x4x5xf32>
  return %yq : tensor<1x4x4x5xf32>
}

// CHECK: depthwise_relu result 0: max_steps {{[01]}} exact {{(191|192|193|194|195|196|197|198|199|200)}} of 200
func.func @depthwise_relu(%x: tensor<2x5x5x4xf32>) -> tensor<2x5x5x4xf32> attributes {quantsim.test_compare} {
  %w = arith.constant dense<[[[[-1.690202e-01],   [4.6292418e-01],   [-3.749301e-01],   [1.5102752e-01]],  [[-4.852672e-03],   [-3.5809973e-01],   [3.658349e-01],   [1.0436628e-01]],  [[-3.5003945e-01],   [1.8051851e-01],   [-1.2948012e-01],   [-5.7083654e-01]]], [[[-2.0667154e-01],   [7.9065435e-02],   [1.9071087e-01],   [4.966947e-02]],  [[1.3549503e-02],   [1.4099701e-01],   [-6.329283e-02],   [3.5308638e-01]],  [[4.4592496e-02],   [8.817647e-02],   [1.622397e-01],   [-3.1715065e-01]]], [[[-2.1276806e-01],   [4.5857373e-01],   [1.00592606e-01],   [-8.478482e-02]],  [[1.0244506e-01],   [-1.4448667e-01],   [8.3569884e-02],   [-1.9976132e-01]],  [[8.280565e-02],   [-4.7331077e-01],   [3.9927593e-01],   [-1.5388736e-01]]]]> : tensor<3x3x4x1xf32>
  %b = arith.constant dense<[-1.5812412e-01, -2.2384169e-02, -3.709962e-02, 1.5239842e-02]> : tensor<4xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:100> : tensor<2x5x5x4xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.00275622, 0.00372686, 0.00314391, 0.00449478}> : tensor<3x3x4x1xf32>
  %y = tosa.depthwise_conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<2x5x5x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x5x4xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<2x5x5x4xf32>) -> tensor<2x5x5x4xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.01> : tensor<2x5x5x4xf32>
  return %rq : tensor<2x5x5x4xf32>
}
