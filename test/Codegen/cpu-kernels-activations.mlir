// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids --canonicalize --cse --split-input-file | FileCheck %s

// SiLU after an f32 conv (x * sigmoid(x), as PyTorch exports it): applied
// to the registers before the store, with tosa-to-linalg's arithmetic for
// sigmoid (1 / (exp(-x) + 1)) and the multiply in the op's operand order.
// The sigmoid and the multiply are gone.
// CHECK-LABEL: func.func @conv_silu
// CHECK:         scf.for
// CHECK:                 arith.mulf {{.*}} : vector<16xf32>
// CHECK-NEXT:            arith.addf {{.*}} : vector<16xf32>
// CHECK:               %[[NEG:.*]] = arith.negf %[[Y:.*]] : vector<16xf32>
// CHECK-NEXT:          %[[E:.*]] = math.exp %[[NEG]] : vector<16xf32>
// CHECK-NEXT:          %[[D:.*]] = arith.addf %[[E]], %[[ONE:.*]] : vector<16xf32>
// CHECK-NEXT:          %[[S:.*]] = arith.divf %[[ONE]], %[[D]] : vector<16xf32>
// CHECK-NEXT:          %[[R:.*]] = arith.mulf %[[Y]], %[[S]] : vector<16xf32>
// CHECK:               vector.transfer_write %[[R]]
// CHECK-NOT:   tosa.conv2d
// CHECK-NOT:   tosa.sigmoid
// CHECK-NOT:   tosa.mul
func.func @conv_silu(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x16xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<16x3x3x3xf32>}> : () -> tensor<16x3x3x3xf32>
  %b = "tosa.const"() <{values = dense<0.25> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  %s = tosa.sigmoid %y : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %r = tosa.mul %y, %s, %shift : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>, tensor<1xi8>) -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
}

// -----

// HardSwish after a depthwise conv, as the ONNX importer writes it:
// x * clamp(x * 1/6 + 1/2, 0, 1). The multiply by x takes f(x) first here.
// CHECK-LABEL: func.func @depthwise_hardswish
// CHECK:               %[[A:.*]] = arith.mulf %[[Y:[0-9]+]], %cst{{[_0-9]*}} : vector<16xf32>
// CHECK-NEXT:          %[[B:.*]] = arith.addf %[[A]], %cst{{[_0-9]*}} : vector<16xf32>
// CHECK-NEXT:          %[[C:.*]] = arith.minimumf %[[B]], %cst{{[_0-9]*}} : vector<16xf32>
// CHECK-NEXT:          %[[D:.*]] = arith.maximumf %[[C]], %cst{{[_0-9]*}} : vector<16xf32>
// CHECK-NEXT:          %[[R:.*]] = arith.mulf %[[D]], %[[Y]] : vector<16xf32>
// CHECK:               vector.transfer_write %[[R]]
// CHECK-NOT:   tosa.depthwise_conv2d
// CHECK-NOT:   tosa.mul
// CHECK-NOT:   tosa.add
// CHECK-NOT:   tosa.clamp
func.func @depthwise_hardswish(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<3x3x16x1xf32>}> : () -> tensor<3x3x16x1xf32>
  %b = "tosa.const"() <{values = dense<0.25> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %sixth = "tosa.const"() <{values = dense<0.166666672> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %half = "tosa.const"() <{values = dense<0.5> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x16xf32>, tensor<3x3x16x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  %a = tosa.mul %y, %sixth, %shift : (tensor<1x8x8x16xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x8x8x16xf32>
  %c = tosa.add %a, %half : (tensor<1x8x8x16xf32>, tensor<1x1x1x1xf32>) -> tensor<1x8x8x16xf32>
  %d = tosa.clamp %c {min_val = 0.0 : f32, max_val = 1.0 : f32} : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %r = tosa.mul %d, %y, %shift : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>, tensor<1xi8>) -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
}

// -----

// The sigmoid's result is used twice (returned too): it has to be written,
// so only the conv is a kernel and the sigmoid and the multiply stay.
// CHECK-LABEL: func.func @sigmoid_used_twice
// CHECK-NOT:     math.exp
// CHECK:         %[[S:.*]] = tosa.sigmoid
// CHECK:         tosa.mul %{{.*}}, %[[S]]
// CHECK-NOT:     tosa.conv2d
func.func @sigmoid_used_twice(%x: tensor<1x8x8x3xf32>) -> (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<16x3x3x3xf32>}> : () -> tensor<16x3x3x3xf32>
  %b = "tosa.const"() <{values = dense<0.25> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  %s = tosa.sigmoid %y : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %r = tosa.mul %y, %s, %shift : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>, tensor<1xi8>) -> tensor<1x8x8x16xf32>
  return %r, %s : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>
}

// -----

// A multiply by a tensor that is not a one-element constant (a
// squeeze-and-excitation scale) is not applied in registers.
// CHECK-LABEL: func.func @mul_by_tensor
// CHECK:         tosa.mul
// CHECK-NOT:     tosa.conv2d
func.func @mul_by_tensor(%x: tensor<1x8x8x3xf32>, %se: tensor<1x1x1x16xf32>) -> tensor<1x8x8x16xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<16x3x3x3xf32>}> : () -> tensor<16x3x3x3xf32>
  %b = "tosa.const"() <{values = dense<0.25> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  %r = tosa.mul %y, %se, %shift : (tensor<1x8x8x16xf32>, tensor<1x1x1x16xf32>, tensor<1xi8>) -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
}
