// RUN: quant-run %s --entry=concat_inputs -i %S/Inputs/x.npy --print | FileCheck %s
// RUN: quant-run %s --entry=concat_inputs --pipeline=reference -i %S/Inputs/x.npy --print | FileCheck %s

// Results that bufferization would not give buffers of their own: the
// inputs of a concat (written in place into the concat's buffer), the
// argument itself, a value returned twice. Each is copied out. Calibration
// returns observed values this way.
// CHECK: output 0: 1x1x4xf32
// CHECK-NEXT: [1, -0.5, 2, 1.5]
// CHECK: output 1: 1x1x4xf32
// CHECK-NEXT: [0.5, -0.25, 1, 0.75]
// CHECK: output 2: 1x2x4xf32
// CHECK-NEXT: [1, -0.5, 2, 1.5, 0.5, -0.25, 1, 0.75]
// CHECK: output 3: 1x1x4xf32
// CHECK-NEXT: [0.5, -0.25, 1, 0.75]
// CHECK: output 4: 1x1x4xf32
// CHECK-NEXT: [1, -0.5, 2, 1.5]
func.func @concat_inputs(%x: tensor<1x1x4xf32>) -> (tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x2x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>) {
  %a = tosa.add %x, %x : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %b = tosa.clamp %x {min_val = -1.0e+30 : f32, max_val = 1.0e+30 : f32} : (tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %c = tosa.concat %a, %b {axis = 1 : i32} : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x2x4xf32>
  return %a, %b, %c, %x, %a : tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x2x4xf32>, tensor<1x1x4xf32>, tensor<1x1x4xf32>
}

// A reshape of a returned value is a view of the same buffer.
// RUN: quant-run %s --entry=views -i %S/Inputs/x.npy --print | FileCheck %s --check-prefix=VIEW
// VIEW: output 0: 1x1x4xf32
// VIEW-NEXT: [1, -0.5, 2, 1.5]
// VIEW: output 1: 1x4xf32
// VIEW-NEXT: [1, -0.5, 2, 1.5]
// VIEW: output 2: 1x2x2xf32
// VIEW-NEXT: [0.5, -0.25, 1, 0.75]
func.func @views(%x: tensor<1x1x4xf32>) -> (tensor<1x1x4xf32>, tensor<1x4xf32>, tensor<1x2x2xf32>) {
  %a = tosa.add %x, %x : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %s2 = tosa.const_shape {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s3 = tosa.const_shape {values = dense<[1, 2, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r = tosa.reshape %a, %s2 : (tensor<1x1x4xf32>, !tosa.shape<2>) -> tensor<1x4xf32>
  %v = tosa.reshape %x, %s3 : (tensor<1x1x4xf32>, !tosa.shape<3>) -> tensor<1x2x2xf32>
  return %a, %r, %v : tensor<1x1x4xf32>, tensor<1x4xf32>, tensor<1x2x2xf32>
}

// A slice of a computed value (a subview of its buffer).
// RUN: quant-run %s --entry=slice -i %S/Inputs/x.npy --print | FileCheck %s --check-prefix=SLICE
// SLICE: output 0: 1x1x2xf32
// SLICE-NEXT: [2, 1.5]
// SLICE: output 1: 1x1x4xf32
// SLICE-NEXT: [1, -0.5, 2, 1.5]
func.func @slice(%x: tensor<1x1x4xf32>) -> (tensor<1x1x2xf32>, tensor<1x1x4xf32>) {
  %a = tosa.add %x, %x : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %start = tosa.const_shape {values = dense<[0, 0, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 1, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s = tosa.slice %a, %start, %size : (tensor<1x1x4xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x2xf32>
  return %s, %a : tensor<1x1x2xf32>, tensor<1x1x4xf32>
}
