// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids --canonicalize --cse --split-input-file | FileCheck %s
// RUN: quant-opt %s --quantsim-cpu-kernels="target-cpu=sapphirerapids float-kernels=false" --split-input-file | FileCheck %s --check-prefix=OFF

// An f32 conv2d with its clamp: the filter packed into 16-channel vectors,
// the sums start at the bias, a multiply and an add per step (no FMA), the
// clamp on the registers (minimumf with the upper bound, then maximumf).
// CHECK-LABEL: func.func @conv_relu6
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x3x3x3x16xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<32xf32>
// CHECK:         %[[P:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:         scf.for
// CHECK:           %[[B0:.*]] = vector.transfer_read %[[B]]
// CHECK:           scf.for {{.*}} iter_args(%{{.*}} = %[[B0]]
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:                     vector.transfer_read %[[W]]{{.*}} : tensor<2x3x3x3x16xf32>, vector<16xf32>
// CHECK:                     tensor.extract %[[P]]
// CHECK:                     vector.broadcast {{.*}} : f32 to vector<16xf32>
// CHECK:                     arith.mulf {{.*}} : vector<16xf32>
// CHECK-NEXT:                arith.addf {{.*}} : vector<16xf32>
// CHECK-NOT:                 vector.fma
// CHECK:               arith.minimumf {{.*}} : vector<16xf32>
// CHECK-NEXT:          arith.maximumf {{.*}} : vector<16xf32>
// CHECK:               vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x8x8x32xf32>
// CHECK-NOT:   tosa.conv2d
// CHECK-NOT:   tosa.clamp
// OFF-LABEL: func.func @conv_relu6
// OFF:         tosa.conv2d
// OFF:         tosa.clamp
func.func @conv_relu6(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x32xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<32x3x3x3xf32>} : () -> tensor<32x3x3x3xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<32xf32>} : () -> tensor<32xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<32x3x3x3xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x32xf32>
  %c = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %c : tensor<1x8x8x32xf32>
}

// -----

// A matmul with a per-column bias: the sums start at zero and the bias is
// added after them, as tosa.add does.
// CHECK-LABEL: func.func @matmul_bias
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<16xf32>
// CHECK:         tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3]] output_shape [1, 1, 4, 8]
// CHECK:         scf.for {{.*}} iter_args({{.*}} = %[[ZERO]]
// CHECK:         %[[BV:.*]] = vector.transfer_read %[[B]]
// CHECK:         arith.addf %{{.*}}, %[[BV]] : vector<16xf32>
// CHECK:         tensor.collapse_shape
// CHECK-NOT:   tosa.matmul
// CHECK-NOT:   tosa.add
func.func @matmul_bias(%a: tensor<1x4x8xf32>) -> tensor<1x4x10xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<1x8x10xf32>} : () -> tensor<1x8x10xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<1x1x10xf32>} : () -> tensor<1x1x10xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %mm = tosa.matmul %a, %w, %z, %z : (tensor<1x4x8xf32>, tensor<1x8x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x10xf32>
  %y = tosa.add %mm, %b : (tensor<1x4x10xf32>, tensor<1x1x10xf32>) -> tensor<1x4x10xf32>
  return %y : tensor<1x4x10xf32>
}

// -----

// A bias per row and column is not one value per channel: the matmul
// becomes the kernel, the add stays.
// CHECK-LABEL: func.func @matmul_bias_rows
// CHECK:         scf.for
// CHECK:         tosa.add
func.func @matmul_bias_rows(%a: tensor<1x4x8xf32>) -> tensor<1x4x10xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<1x8x10xf32>} : () -> tensor<1x8x10xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<1x4x10xf32>} : () -> tensor<1x4x10xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %mm = tosa.matmul %a, %w, %z, %z : (tensor<1x4x8xf32>, tensor<1x8x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x10xf32>
  %y = tosa.add %mm, %b : (tensor<1x4x10xf32>, tensor<1x4x10xf32>) -> tensor<1x4x10xf32>
  return %y : tensor<1x4x10xf32>
}

// -----

// Weights computed at run time, and a clamp that ignores NaN: the conv
// stays (the generic lowering handles it); the second conv is a kernel
// whose clamp stays a separate op.
// CHECK-LABEL: func.func @not_constant
// CHECK:         tosa.conv2d
// CHECK-LABEL: func.func @nan_ignore
// CHECK-NOT:     tosa.conv2d
// CHECK:         tosa.clamp {{.*}}nan_mode = IGNORE
func.func @not_constant(%x: tensor<1x4x4x2xf32>, %w: tensor<4x1x1x2xf32>) -> tensor<1x4x4x4xf32> {
  %b = "tosa.const"() {values = dense<0.25> : tensor<4xf32>} : () -> tensor<4xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
func.func @nan_ignore(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<4x1x1x2xf32>} : () -> tensor<4x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<4xf32>} : () -> tensor<4xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  %c = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32, nan_mode = IGNORE} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %c : tensor<1x4x4x4xf32>
}

// -----

// An f32 depthwise conv: 16-channel blocks (then the 4 left), a weight
// vector per tap multiplied with each pixel's input vector, the sums from
// zero, then bias + sums and the clamp.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<5.000000e-01> : tensor<3x3x20xf32>
// CHECK:         tensor.pad
// CHECK:         scf.for
// CHECK:             vector.transfer_read %[[W]]{{.*}} : tensor<3x3x20xf32>, vector<16xf32>
// CHECK:             arith.mulf {{.*}} : vector<16xf32>
// CHECK-NEXT:        arith.addf {{.*}} : vector<16xf32>
// CHECK:             arith.minimumf {{.*}} : vector<16xf32>
// CHECK-NEXT:        arith.maximumf {{.*}} : vector<16xf32>
// CHECK:           vector.transfer_read %[[W]]{{.*}} : tensor<3x3x20xf32>, vector<4xf32>
// CHECK-NOT:   tosa.depthwise_conv2d
// CHECK-NOT:   tosa.clamp
func.func @depthwise(%x: tensor<1x6x6x20xf32>) -> tensor<1x6x6x20xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<3x3x20x1xf32>} : () -> tensor<3x3x20x1xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<20xf32>} : () -> tensor<20xf32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x6x20xf32>, tensor<3x3x20x1xf32>, tensor<20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x20xf32>
  %c = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x6x6x20xf32>) -> tensor<1x6x6x20xf32>
  return %c : tensor<1x6x6x20xf32>
}
