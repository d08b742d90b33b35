// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids --split-input-file | FileCheck %s

// A concat of two kernels' results and a value that is not one: one tensor
// for the whole result, the kernels' loops writing into their slices of it
// (extract_slice as the loop's destination, insert_slice of its result at
// the same place, which bufferizes in place), the input copied into its
// slice.
// CHECK-LABEL: func.func @fire
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<1x4x4x40xf32>
// CHECK:         %[[S1:.*]] = tensor.extract_slice %[[E]][0, 0, 0, 0] [1, 4, 4, 16] [1, 1, 1, 1]
// CHECK:         %[[K1:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[S1]])
// CHECK:         %[[W1:.*]] = tensor.insert_slice %[[K1]] into %[[E]][0, 0, 0, 0] [1, 4, 4, 16] [1, 1, 1, 1]
// CHECK:         %[[S2:.*]] = tensor.extract_slice %[[W1]][0, 0, 0, 24] [1, 4, 4, 16] [1, 1, 1, 1]
// CHECK:         %[[K2:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[S2]])
// CHECK:         %[[W2:.*]] = tensor.insert_slice %[[K2]] into %[[W1]][0, 0, 0, 24] [1, 4, 4, 16] [1, 1, 1, 1]
// CHECK:         %[[W3:.*]] = tensor.insert_slice %arg0 into %[[W2]][0, 0, 0, 16] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK:         return %[[W3]]
// CHECK-NOT:   tosa.concat
func.func @fire(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x40xf32> {
  %w1 = "tosa.const"() <{values = dense<0.5> : tensor<16x1x1x8xf32>}> : () -> tensor<16x1x1x8xf32>
  %w3 = "tosa.const"() <{values = dense<0.25> : tensor<16x3x3x8xf32>}> : () -> tensor<16x3x3x8xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %e1 = tosa.conv2d %x, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<16x1x1x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32>
  %e3 = tosa.conv2d %x, %w3, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<16x3x3x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32>
  %y = tosa.concat %e1, %x, %e3 {axis = 3 : i32} : (tensor<1x4x4x16xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x16xf32>) -> tensor<1x4x4x40xf32>
  return %y : tensor<1x4x4x40xf32>
}

// -----

// A kernel result that is also read elsewhere keeps its own tensor: the
// concat stays.
// CHECK-LABEL: func.func @used_twice
// CHECK:         tosa.concat
func.func @used_twice(%x: tensor<1x4x4x8xf32>) -> (tensor<1x4x4x24xf32>, tensor<1x4x4x16xf32>) {
  %w1 = "tosa.const"() <{values = dense<0.5> : tensor<16x1x1x8xf32>}> : () -> tensor<16x1x1x8xf32>
  %b = "tosa.const"() <{values = dense<0.125> : tensor<16xf32>}> : () -> tensor<16xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %e1 = tosa.conv2d %x, %w1, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<16x1x1x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32>
  %y = tosa.concat %e1, %x {axis = 3 : i32} : (tensor<1x4x4x16xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x24xf32>
  return %y, %e1 : tensor<1x4x4x24xf32>, tensor<1x4x4x16xf32>
}

// -----

// Concats each taking the operands of the one before and one more (a
// DenseNet block's): one tensor of the last one's size, each operand
// inserted once, the earlier concats its leading slices.
// CHECK-LABEL: func.func @growing
// CHECK-SAME: (%[[A:.*]]: tensor<1x2x2x4xf32>, %[[B:.*]]: tensor<1x2x2x3xf32>, %[[C:.*]]: tensor<1x2x2x5xf32>)
// CHECK-NOT: tosa.concat
// CHECK: %[[W:.*]] = tensor.empty() : tensor<1x2x2x12xf32>
// CHECK: %[[W1:.*]] = tensor.insert_slice %[[A]] into %[[W]][0, 0, 0, 0] [1, 2, 2, 4]
// CHECK: %[[W2:.*]] = tensor.insert_slice %[[B]] into %[[W1]][0, 0, 0, 4] [1, 2, 2, 3]
// CHECK: %[[W3:.*]] = tensor.insert_slice %[[C]] into %[[W2]][0, 0, 0, 7] [1, 2, 2, 5]
// CHECK: %[[S:.*]] = tensor.extract_slice %[[W2]][0, 0, 0, 0] [1, 2, 2, 7] [1, 1, 1, 1]
// CHECK: return %[[S]], %[[W3]]
func.func @growing(%a: tensor<1x2x2x4xf32>, %b: tensor<1x2x2x3xf32>, %c: tensor<1x2x2x5xf32>) -> (tensor<1x2x2x7xf32>, tensor<1x2x2x12xf32>) {
  %ab = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x2x2x4xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x7xf32>
  %abc = tosa.concat %a, %b, %c {axis = 3 : i32} : (tensor<1x2x2x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x2x5xf32>) -> tensor<1x2x2x12xf32>
  return %ab, %abc : tensor<1x2x2x7xf32>, tensor<1x2x2x12xf32>
}

// -----

// Two concats extending the same one branch: no chain, the concats stay.
// CHECK-LABEL: func.func @branching
// CHECK-COUNT-3: tosa.concat
// CHECK-NOT: tensor.insert_slice
func.func @branching(%a: tensor<1x2x2x4xf32>, %b: tensor<1x2x2x3xf32>, %c: tensor<1x2x2x5xf32>) -> (tensor<1x2x2x7xf32>, tensor<1x2x2x12xf32>, tensor<1x2x2x11xf32>) {
  %ab = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x2x2x4xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x7xf32>
  %abc = tosa.concat %a, %b, %c {axis = 3 : i32} : (tensor<1x2x2x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x2x5xf32>) -> tensor<1x2x2x12xf32>
  %abb = tosa.concat %a, %b, %a {axis = 3 : i32} : (tensor<1x2x2x4xf32>, tensor<1x2x2x3xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x11xf32>
  return %ab, %abc, %abb : tensor<1x2x2x7xf32>, tensor<1x2x2x12xf32>, tensor<1x2x2x11xf32>
}
