// RUN: quant-opt %s --split-input-file --quantsim-fuse-elementwise | FileCheck %s

// A BatchNorm's multiply and add and the ReLU after them: one generic, the
// operations in their order.
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#ch = affine_map<(n, h, w, c) -> (0, 0, 0, c)>
// CHECK-LABEL: func.func @bn_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x8xf32>, %[[S:.*]]: tensor<1x1x1x8xf32>, %[[B:.*]]: tensor<1x1x1x8xf32>)
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: ins(%[[X]], %[[S]], %[[B]] :
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[SC:.*]]: f32, %[[SH:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[A]], %[[SC]] : f32
// CHECK-NEXT: %[[D:.*]] = arith.addf %[[M]], %[[SH]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.maximumf %[[D]], %{{.*}} : f32
// CHECK-NEXT: linalg.yield %[[Y]] : f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @bn_relu(%x: tensor<1x4x4x8xf32>, %s: tensor<1x1x1x8xf32>, %b: tensor<1x1x1x8xf32>) -> tensor<1x4x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %m = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    linalg.yield %p : f32
  } -> tensor<1x4x4x8xf32>
  %d = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%m, %b : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.addf %a, %c : f32
    linalg.yield %p : f32
  } -> tensor<1x4x4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%d : tensor<1x4x4x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = arith.maximumf %a, %zero : f32
    linalg.yield %p : f32
  } -> tensor<1x4x4x8xf32>
  return %r : tensor<1x4x4x8xf32>
}

// -----

// A producer with two uses is not fused (it would run twice).
#id1 = affine_map<(i) -> (i)>
// CHECK-LABEL: func.func @shared
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: linalg.generic
func.func @shared(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %e = tensor.empty() : tensor<16xf32>
  %m = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = math.exp %a : f32
    linalg.yield %p : f32
  } -> tensor<16xf32>
  %u = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%m : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = arith.addf %a, %a : f32
    linalg.yield %p : f32
  } -> tensor<16xf32>
  %v = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%m : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = arith.mulf %a, %a : f32
    linalg.yield %p : f32
  } -> tensor<16xf32>
  return %u, %v : tensor<16xf32>, tensor<16xf32>
}

// -----

// Reshapes are not propagated through generics (their rank stays).
// CHECK-LABEL: func.func @reshape_stays
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: tensor.expand_shape
func.func @reshape_stays(%x: tensor<4x8xf32>) -> tensor<4x2x4xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = arith.negf %a : f32
    linalg.yield %p : f32
  } -> tensor<4x8xf32>
  %r = tensor.expand_shape %m [[0], [1, 2]] output_shape [4, 2, 4] : tensor<4x8xf32> into tensor<4x2x4xf32>
  return %r : tensor<4x2x4xf32>
}

// -----

// An elementwise generic whose input dies with it (of its type, read at
// the same index) writes its result over that input: its destination is
// the input's tensor instead of a new one, which bufferization keeps in
// place. A function argument (the caller's buffer) or an input read again
// later keeps a new destination.
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#ch = affine_map<(n, h, w, c) -> (0, 0, 0, c)>
// CHECK-LABEL: func.func @over_dead_input
// CHECK: %[[P:.*]] = linalg.exp
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: ins(%[[P]], %{{.*}} : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%[[P]] : tensor<1x4x4x8xf32>)
// CHECK: return %[[R]]
func.func @over_dead_input(%x: tensor<1x4x4x8xf32>, %s: tensor<1x1x1x8xf32>) -> tensor<1x4x4x8xf32> {
  %e0 = tensor.empty() : tensor<1x4x4x8xf32>
  %p = linalg.exp ins(%x : tensor<1x4x4x8xf32>) outs(%e0 : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %e1 = tensor.empty() : tensor<1x4x4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%p, %s : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e1 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// CHECK-LABEL: func.func @inputs_that_live
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x4x4x8xf32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[E]] : tensor<1x4x4x8xf32>)
// CHECK: linalg.exp
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<1x4x4x8xf32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[E2]] : tensor<1x4x4x8xf32>)
func.func @inputs_that_live(%x: tensor<1x4x4x8xf32>, %s: tensor<1x1x1x8xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) {
  %e1 = tensor.empty() : tensor<1x4x4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %s : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e1 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  %e0 = tensor.empty() : tensor<1x4x4x8xf32>
  %p = linalg.exp ins(%x : tensor<1x4x4x8xf32>) outs(%e0 : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %e2 = tensor.empty() : tensor<1x4x4x8xf32>
  %z = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%p, %s : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e2 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  return %y, %z, %p : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
}

// -----

// An input that is a slice of a larger tensor (a growing concat's leading
// channels) is not written over, though it dies: the larger tensor lives
// on, and bufferization would first copy the slice out.
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#ch = affine_map<(n, h, w, c) -> (0, 0, 0, c)>
// CHECK-LABEL: func.func @slice_input
// CHECK: %[[V:.*]] = tensor.extract_slice
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x4x4x8xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[V]], %{{.*}} : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%[[E]] : tensor<1x4x4x8xf32>)
func.func @slice_input(%x: tensor<1x4x4x12xf32>, %s: tensor<1x1x1x8xf32>) -> tensor<1x4x4x8xf32> {
  %v = tensor.extract_slice %x[0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1] : tensor<1x4x4x12xf32> to tensor<1x4x4x8xf32>
  %e1 = tensor.empty() : tensor<1x4x4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v, %s : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e1 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// -----

// A producer the consumer reads through a broadcast (a squeeze-and-
// excitation gate: a sigmoid of 8 values, scaling 4 x 4 pixels) stays a
// loop of its own: fused, it would be computed for each of the 16 pixels.
#id2 = affine_map<(n, h, w, c) -> (n, h, w, c)>
#ch2 = affine_map<(n, h, w, c) -> (0, 0, 0, c)>
// CHECK-LABEL: func.func @broadcast_gate
// CHECK: %[[G:.*]] = linalg.generic
// CHECK: math.exp
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[G]] :
// CHECK-NOT: math.exp
// CHECK: arith.mulf
// CHECK: return %[[R]]
func.func @broadcast_gate(%x: tensor<1x4x4x8xf32>, %g: tensor<1x1x1x8xf32>) -> tensor<1x4x4x8xf32> {
  %one = arith.constant 1.0 : f32
  %eg = tensor.empty() : tensor<1x1x1x8xf32>
  %s = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%g : tensor<1x1x1x8xf32>) outs(%eg : tensor<1x1x1x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %e = math.exp %n : f32
    %d = arith.addf %e, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x1x1x8xf32>
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %m = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    linalg.yield %p : f32
  } -> tensor<1x4x4x8xf32>
  return %m : tensor<1x4x4x8xf32>
}
