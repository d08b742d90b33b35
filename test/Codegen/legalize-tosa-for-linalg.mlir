// RUN: quant-opt %s --split-input-file --quantsim-legalize-tosa-for-linalg --verify-diagnostics | FileCheck %s

// The padding of an integer 1x1 depthwise convolution becomes a tosa.pad of
// its input with the input zero point.
// CHECK-LABEL: func.func @depthwise_1x1_padded
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x2xi8>)
// CHECK: %[[XZP:.*]] = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}>
// CHECK: %[[SHAPE:.*]] = tosa.const_shape {values = dense<[0, 0, 1, 2, 0, 1, 0, 0]> : tensor<8xindex>}
// CHECK: %[[P:.*]] = tosa.pad %[[X]], %[[SHAPE]], %[[XZP]] : (tensor<1x4x4x2xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x7x5x2xi8>
// CHECK: tosa.depthwise_conv2d %[[P]], {{.*}}pad = array<i64: 0, 0, 0, 0>{{.*}} -> tensor<1x7x5x2xi32>
func.func @depthwise_1x1_padded(%x: tensor<1x4x4x2xi8>) -> tensor<1x7x5x2xi32> {
  %w = "tosa.const"() <{values = dense<[[[[3], [-2]]]]> : tensor<1x1x2x1xi8>}> : () -> tensor<1x1x2x1xi8>
  %b = "tosa.const"() <{values = dense<[5, -5]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %xzp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 2, 0, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<1x1x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x7x5x2xi32>
  return %y : tensor<1x7x5x2xi32>
}

// -----

// Float convolutions and larger kernels are left alone.
// CHECK-LABEL: func.func @float_depthwise
// CHECK-NOT: tosa.pad
// CHECK: pad = array<i64: 1, 1, 1, 1>
func.func @float_depthwise(%x: tensor<1x4x4x2xf32>) -> tensor<1x6x6x2xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x1x2x1xf32>}> : () -> tensor<1x1x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x2xf32>
  return %y : tensor<1x6x6x2xf32>
}

// -----

// TOSA's verifier accepts a rescale that changes the shape; it is refused
// here, before the kernels or tosa-to-linalg meet it.
func.func @rescale_reshapes(%x: tensor<1x4xi32>) -> tensor<4xi8> {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zi = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %zo = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-error @+1 {{'tosa.rescale' op changes the shape from 'tensor<1x4xi32>' to 'tensor<4xi8>'; a rescale is elementwise (reshape its input or result)}}
  %y = tosa.rescale %x, %m, %s, %zi, %zo {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
  return %y : tensor<4xi8>
}
