// RUN: quant-opt %s --split-input-file --quantsim-insert-observers | FileCheck %s
// RUN: quant-opt %s --split-input-file --quantsim-insert-observers="activations=s8 bits=4 per-channel-weights=false observer=min_max keep-float=fc2" | FileCheck %s --check-prefix=OPT

// A conv with ReLU: the argument is observed at its source (before the
// layout transpose), the weights per output channel as s8 narrow-range
// symmetric, the output after the clamp.
// CHECK-LABEL: func.func @conv_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x4x4xf32>)
// CHECK: %[[XO:.*]] = quantsim.observe %[[X]] as "input0" using histogram {bins = 2048 : i64} : tensor<1x1x4x4xf32>
// CHECK: %[[W:.*]] = "tosa.const"
// CHECK: %[[WO:.*]] = quantsim.observe %[[W]] as "conv.weight" using min_max axis 0 {is_signed, narrow_range, symmetric} : tensor<2x3x3x1xf32>
// CHECK: %[[T:.*]] = tosa.transpose %[[XO]]
// CHECK: %[[C:.*]] = tosa.conv2d %[[T]], %[[WO]]
// CHECK: %[[R:.*]] = tosa.clamp %[[C]]
// CHECK: %[[RO:.*]] = quantsim.observe %[[R]] as "conv" using histogram {bins = 2048 : i64}
// CHECK: tosa.max_pool2d %[[RO]]
// OPT-LABEL: func.func @conv_relu
// OPT: quantsim.observe %{{.*}} as "input0" using min_max {bits = 4 : i64, is_signed, symmetric} : tensor<1x1x4x4xf32>
// OPT: quantsim.observe %{{.*}} as "conv.weight" using min_max {bits = 4 : i64, is_signed, narrow_range, symmetric} : tensor<2x3x3x1xf32>
func.func @conv_relu(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<2x3x3x1xf32>}> : () -> tensor<2x3x3x1xf32>
  %b = "tosa.const"() <{values = dense<[0.1, -0.1]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %t = tosa.transpose %x {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x4x4x1xf32>
  %c = tosa.conv2d %t, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("conv")
  %r = tosa.clamp %c {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %p = tosa.max_pool2d %r {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  return %p : tensor<1x2x2x2xf32>
}

// -----

// Two fully connected layers as ONNX Gemm imports them (matmul, bias add,
// reshape, ReLU): the output of fc1 is observed after the clamp, before
// the reshape that feeds fc2, so that fc2's input is the same observer;
// matmul weights are per column (axis 2). keep-float=fc2 leaves fc2 float.
// CHECK-LABEL: func.func @fully_connected
// CHECK: quantsim.observe %{{.*}} as "input0" using histogram
// CHECK: quantsim.observe %{{.*}} as "fc1.weight" using min_max axis 2 {is_signed, narrow_range, symmetric} : tensor<1x4x5xf32>
// CHECK: quantsim.observe %{{.*}} as "fc2.weight" using min_max axis 2
// CHECK: %[[R:.*]] = tosa.clamp
// CHECK: %[[RO:.*]] = quantsim.observe %[[R]] as "fc1" using histogram
// CHECK: tosa.reshape %[[RO]]
// CHECK: %[[M2:.*]] = tosa.matmul
// CHECK: %[[A2:.*]] = tosa.add %[[M2]]
// CHECK: quantsim.observe %[[A2]] as "fc2" using histogram
// CHECK-NOT: quantsim.observe
// OPT-LABEL: func.func @fully_connected
// OPT-NOT: "fc2.weight"
// OPT: tosa.matmul {{.*}} {quantsim.keep_float}
// OPT-NOT: as "fc2"
func.func @fully_connected(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w1 = "tosa.const"() <{values = dense<0.25> : tensor<1x4x5xf32>}> : () -> tensor<1x4x5xf32>
  %b1 = "tosa.const"() <{values = dense<0.5> : tensor<1x1x5xf32>}> : () -> tensor<1x1x5xf32>
  %w2 = "tosa.const"() <{values = dense<-0.25> : tensor<1x5x3xf32>}> : () -> tensor<1x5x3xf32>
  %b2 = "tosa.const"() <{values = dense<0.5> : tensor<1x1x3xf32>}> : () -> tensor<1x1x3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %s3a = tosa.const_shape {values = dense<[1, 1, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s2 = tosa.const_shape {values = dense<[1, 5]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s3b = tosa.const_shape {values = dense<[1, 1, 5]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s2b = tosa.const_shape {values = dense<[1, 3]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %x3 = tosa.reshape %x, %s3a : (tensor<1x4xf32>, !tosa.shape<3>) -> tensor<1x1x4xf32>
  %m1 = tosa.matmul %x3, %w1, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x5xf32> loc("fc1")
  %a1 = tosa.add %m1, %b1 : (tensor<1x1x5xf32>, tensor<1x1x5xf32>) -> tensor<1x1x5xf32>
  %h = tosa.reshape %a1, %s2 : (tensor<1x1x5xf32>, !tosa.shape<2>) -> tensor<1x5xf32>
  %r = tosa.clamp %h {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x5xf32>) -> tensor<1x5xf32>
  %r3 = tosa.reshape %r, %s3b : (tensor<1x5xf32>, !tosa.shape<3>) -> tensor<1x1x5xf32>
  %m2 = tosa.matmul %r3, %w2, %zp, %zp : (tensor<1x1x5xf32>, tensor<1x5x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32> loc("fc2")
  %a2 = tosa.add %m2, %b2 : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
  %y = tosa.reshape %a2, %s2b : (tensor<1x1x3xf32>, !tosa.shape<2>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// A residual add observes both inputs and its output; sigmoid observes its
// input only (its output range is fixed); an add of a constant is not an
// op to quantize. Unnamed values get unique names.
// CHECK-LABEL: func.func @residual
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[AO:.*]] = quantsim.observe %[[A]] as "input0"
// CHECK-DAG: %[[BO:.*]] = quantsim.observe %[[B]] as "input1"
// CHECK: %[[S:.*]] = tosa.add %[[AO]], %[[BO]]
// CHECK: %[[SO:.*]] = quantsim.observe %[[S]] as "res" using histogram
// CHECK: %[[G:.*]] = tosa.sigmoid %[[SO]]
// CHECK: tosa.add %[[G]], %{{.*}}
// CHECK-NOT: quantsim.observe
func.func @residual(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %c = "tosa.const"() <{values = dense<1.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %s = tosa.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> loc("res")
  %g = tosa.sigmoid %s : (tensor<4xf32>) -> tensor<4xf32>
  %y = tosa.add %g, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
