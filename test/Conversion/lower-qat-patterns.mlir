// RUN: quant-opt %s --split-input-file --quantsim-lower-qat --canonicalize | FileCheck %s

// The integer form of the remaining island kinds (see lower-qat.mlir for
// conv2d, matmul, add, max_pool2d, sigmoid, requantize).

// depthwise_conv2d with per-channel weights along axis 2.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[ACC:.*]] = tosa.depthwise_conv2d {{.*}}acc_type = i32{{.*}} : (tensor<1x4x4x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x2xi32>
// CHECK: tosa.rescale %[[ACC]], {{.*}}per_channel = true{{.*}} -> tensor<1x4x4x2xi8>

func.func @depthwise(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<0.25> : tensor<3x3x2x1xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.05:3> : tensor<1x4x4x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.0025, 0.005}> : tensor<3x3x2x1xf32>
  %y = tosa.depthwise_conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.1:-2> : tensor<1x4x4x2xf32>
  return %yq : tensor<1x4x4x2xf32>
}

// -----

// mul: both sides exactly to i32, product, one rescale.
// CHECK-LABEL: func.func @mul
// CHECK: %[[A:.*]] = tosa.rescale {{.*}} : (tensor<4xi8>, {{.*}}) -> tensor<4xi32>
// CHECK: %[[B:.*]] = tosa.rescale {{.*}} : (tensor<4xi8>, {{.*}}) -> tensor<4xi32>
// CHECK: %[[P:.*]] = tosa.mul %[[A]], %[[B]], %{{.*}} : (tensor<4xi32>, tensor<4xi32>, tensor<1xi8>) -> tensor<4xi32>
// CHECK: tosa.rescale %[[P]], {{.*}} -> tensor<4xi8>

func.func @mul(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %shift = arith.constant dense<0> : tensor<1xi8>
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.5:1> : tensor<4xf32>
  %bq = quantsim.fake_quant %b, !quant.uniform<i8:f32, 0.25:-2> : tensor<4xf32>
  %y = tosa.mul %aq, %bq, %shift : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 1.0:3> : tensor<4xf32>
  return %yq : tensor<4xf32>
}

// -----

// avg_pool2d: unpadded, the window sum as an all-ones depthwise conv in i32
// and one rescale; padded, TOSA's integer average and a requantize.
// CHECK-LABEL: func.func @avg_pools
// CHECK-DAG: %[[ONES:.*]] = "tosa.const"() <{values = dense<1> : tensor<2x2x1x1xi8>}>
// CHECK: %[[SUM:.*]] = tosa.depthwise_conv2d %{{.*}}, %[[ONES]], {{.*}}stride = array<i64: 2, 2>{{.*}} -> tensor<1x2x2x1xi32>
// CHECK: tosa.rescale %[[SUM]], {{.*}} -> tensor<1x2x2x1xi8>
// CHECK: %[[AVG:.*]] = tosa.avg_pool2d {{.*}}acc_type = i32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>{{.*}} -> tensor<1x4x4x1xi8>
// CHECK: tosa.rescale %[[AVG]], {{.*}} : (tensor<1x4x4x1xi8>, {{.*}}) -> tensor<1x4x4x1xi8>

func.func @avg_pools(%x: tensor<1x4x4x1xf32>) -> (tensor<1x2x2x1xf32>, tensor<1x4x4x1xf32>) {
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1:5> : tensor<1x4x4x1xf32>
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  %pq = quantsim.fake_quant %p, !quant.uniform<i8:f32, 0.05:0> : tensor<1x2x2x1xf32>
  %q = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32>
  %qq = quantsim.fake_quant %q, !quant.uniform<i8:f32, 0.05:0> : tensor<1x4x4x1xf32>
  return %pq, %qq : tensor<1x2x2x1xf32>, tensor<1x4x4x1xf32>
}

// -----

// Data movement on int8 levels: the identity reshape folds away, transpose
// runs on i8, concat requantizes its input with other parameters, pad pads
// with the level of 0.0 (the zero point, 5).
// CHECK-LABEL: func.func @data_movement
// CHECK-DAG: %[[FIVE:.*]] = "tosa.const"() <{values = dense<5> : tensor<1xi8>}>
// CHECK: %[[T:.*]] = tosa.transpose %{{.*}} {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x2x2x3xi8>) -> tensor<1x2x2x3xi8>
// CHECK: %[[Z:.*]] = tosa.rescale {{.*}} : (tensor<1x2x2x1xi8>, {{.*}}) -> tensor<1x2x2x1xi8>
// CHECK: %[[C:.*]] = tosa.concat %[[T]], %[[Z]] {axis = 3 : i32} : {{.*}} -> tensor<1x2x2x4xi8>
// CHECK: %[[P:.*]] = tosa.pad %[[C]], %{{.*}}, %[[FIVE]] : {{.*}} -> tensor<1x3x3x4xi8>
// CHECK: quantsim.dequantize %[[P]]

func.func @data_movement(%x: tensor<1x2x2x3xf32>, %z: tensor<1x2x2x1xf32>) -> tensor<1x3x3x4xf32> {
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.1:5> : tensor<1x2x2x3xf32>
  %s = tosa.const_shape {values = dense<[1, 2, 2, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %r = tosa.reshape %xq, %s : (tensor<1x2x2x3xf32>, !tosa.shape<4>) -> tensor<1x2x2x3xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<i8:f32, 0.1:5> : tensor<1x2x2x3xf32>
  %t = tosa.transpose %rq {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %tq = quantsim.fake_quant %t, !quant.uniform<i8:f32, 0.1:5> : tensor<1x2x2x3xf32>
  %zq = quantsim.fake_quant %z, !quant.uniform<i8:f32, 0.2:0> : tensor<1x2x2x1xf32>
  %c = tosa.concat %tq, %zq {axis = 3 : i32} : (tensor<1x2x2x3xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x4xf32>
  %cq = quantsim.fake_quant %c, !quant.uniform<i8:f32, 0.1:5> : tensor<1x2x2x4xf32>
  %p = tosa.const_shape {values = dense<[0, 0, 1, 0, 1, 0, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %pc = arith.constant dense<0.0> : tensor<1xf32>
  %d = tosa.pad %cq, %p, %pc : (tensor<1x2x2x4xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x3x3x4xf32>
  %dq = quantsim.fake_quant %d, !quant.uniform<i8:f32, 0.1:5> : tensor<1x3x3x4xf32>
  return %dq : tensor<1x3x3x4xf32>
}

// -----

// A standalone clamp [-1, 2] becomes an integer clamp [-20, 40]; tanh a
// 256-entry table.
// CHECK-LABEL: func.func @clamp_tanh
// CHECK: tosa.clamp %{{.*}} {max_val = 40 : i8, min_val = -20 : i8} : (tensor<4xi8>) -> tensor<4xi8>
// CHECK: tosa.table %{{.*}}, %{{.*}} : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>

func.func @clamp_tanh(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.05:0> : tensor<4xf32>
  %c = tosa.clamp %xq {min_val = -1.0 : f32, max_val = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %cq = quantsim.fake_quant %c, !quant.uniform<i8:f32, 0.05:0> : tensor<4xf32>
  %t = tosa.tanh %xq : (tensor<4xf32>) -> tensor<4xf32>
  %tq = quantsim.fake_quant %t, !quant.uniform<i8:f32, 0.0078125> : tensor<4xf32>
  return %cq, %tq : tensor<4xf32>, tensor<4xf32>
}

