// RUN: quant-opt %s --verify-roundtrip | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

// Every form of fake_quant and observe prints and parses back unchanged.

// CHECK-LABEL: func.func @fake_quant_per_tensor
func.func @fake_quant_per_tensor(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<i8:f32, 5.000000e-01:-3> : tensor<4xf32>
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5:-3> : tensor<4xf32>
  // CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 2.000000e-02:128> : tensor<4xf32>
  %1 = quantsim.fake_quant %0, !quant.uniform<u8:f32, 0.02:128> : tensor<4xf32>
  // Narrow range (symmetric weights).
  // CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<i8<-127:127>:f32, 1.000000e-01> : tensor<4xf32>
  %2 = quantsim.fake_quant %1, !quant.uniform<i8<-127:127>:f32, 0.1> : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// CHECK-LABEL: func.func @fake_quant_widths
func.func @fake_quant_widths(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // CHECK: !quant.uniform<i2:f32, 1.000000e+00>
  %0 = quantsim.fake_quant %x, !quant.uniform<i2:f32, 1.0> : tensor<2x2xf32>
  // CHECK: !quant.uniform<u4:f32, 2.500000e-01:8>
  %1 = quantsim.fake_quant %0, !quant.uniform<u4:f32, 0.25:8> : tensor<2x2xf32>
  // CHECK: !quant.uniform<i4:f32, 1.250000e-01:-2>
  %2 = quantsim.fake_quant %1, !quant.uniform<i4:f32, 0.125:-2> : tensor<2x2xf32>
  // CHECK: !quant.uniform<i16:f32, 3.000000e-04>
  %3 = quantsim.fake_quant %2, !quant.uniform<i16:f32, 0.0003> : tensor<2x2xf32>
  // CHECK: !quant.uniform<u16:f32, 1.000000e-03:32768>
  %4 = quantsim.fake_quant %3, !quant.uniform<u16:f32, 0.001:32768> : tensor<2x2xf32>
  return %4 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @fake_quant_per_axis
func.func @fake_quant_per_axis(%w: tensor<3x2x1x1xf32>, %a: tensor<?x3xf32>)
    -> (tensor<3x2x1x1xf32>, tensor<?x3xf32>) {
  // CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01,3.000000e-01}> : tensor<3x2x1x1xf32>
  %0 = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:0, {0.1, 0.2, 0.3}> : tensor<3x2x1x1xf32>
  // Dynamic dims other than the axis are fine.
  // CHECK: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32:1, {1.000000e+00:1,2.000000e+00:2,3.000000e+00:3}> : tensor<?x3xf32>
  %1 = quantsim.fake_quant %a, !quant.uniform<u8:f32:1, {1.0:1, 2.0:2, 3.0:3}> : tensor<?x3xf32>
  return %0, %1 : tensor<3x2x1x1xf32>, tensor<?x3xf32>
}

// CHECK-LABEL: func.func @fake_quant_dynamic_scalar
func.func @fake_quant_dynamic_scalar(%x: tensor<?x?xf32>, %s: tensor<f32>)
    -> (tensor<?x?xf32>, tensor<f32>) {
  // CHECK: quantsim.fake_quant %{{.*}} : tensor<?x?xf32>
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5> : tensor<?x?xf32>
  // CHECK: quantsim.fake_quant %{{.*}} : tensor<f32>
  %1 = quantsim.fake_quant %s, !quant.uniform<i8:f32, 0.5> : tensor<f32>
  return %0, %1 : tensor<?x?xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @observers
func.func @observers(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // CHECK: quantsim.observe %{{.*}} as "a" using min_max : tensor<1x3xf32>
  %0 = quantsim.observe %x as "a" using min_max : tensor<1x3xf32>
  // CHECK: quantsim.observe %{{.*}} as "b" using min_max axis 1 : tensor<1x3xf32>
  %1 = quantsim.observe %0 as "b" using min_max axis 1 : tensor<1x3xf32>
  // CHECK: quantsim.observe %{{.*}} as "c" using moving_average_min_max {momentum = 1.000000e-02 : f64} : tensor<1x3xf32>
  %2 = quantsim.observe %1 as "c" using moving_average_min_max {momentum = 0.01 : f64} : tensor<1x3xf32>
  // CHECK: quantsim.observe %{{.*}} as "d" using moving_average_min_max axis 1 {momentum = 1.000000e+00 : f64} : tensor<1x3xf32>
  %3 = quantsim.observe %2 as "d" using moving_average_min_max axis 1 {momentum = 1.0 : f64} : tensor<1x3xf32>
  // CHECK: quantsim.observe %{{.*}} as "e" using histogram {bins = 2048 : i64} : tensor<1x3xf32>
  %4 = quantsim.observe %3 as "e" using histogram {bins = 2048 : i64} : tensor<1x3xf32>
  return %4 : tensor<1x3xf32>
}

// CHECK-LABEL: func.func @calibrated_observers
func.func @calibrated_observers(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // CHECK: quantsim.observe %{{.*}} as "a" using min_max stats <min = [-1.500000e+00], max = [2.250000e+00], count = 16> : tensor<1x3xf32>
  %0 = quantsim.observe %x as "a" using min_max stats <min = [-1.5], max = [2.25], count = 16> : tensor<1x3xf32>
  // CHECK: quantsim.observe %{{.*}} as "b" using min_max axis 1 stats <min = [0.000000e+00, -1.000000e+00, 2.000000e+00], max = [1.000000e+00, 1.000000e+00, 2.000000e+00], count = 1> : tensor<1x3xf32>
  %1 = quantsim.observe %0 as "b" using min_max axis 1 stats <min = [0.0, -1.0, 2.0], max = [1.0, 1.0, 2.0], count = 1> : tensor<1x3xf32>
  // CHECK: quantsim.observe %{{.*}} as "c" using histogram stats <min = [0.000000e+00], max = [4.000000e+00], histogram = [3, 0, 7, 1], count = 2> {bins = 4 : i64} : tensor<1x3xf32>
  %2 = quantsim.observe %1 as "c" using histogram stats <min = [0.0], max = [4.0], histogram = [3, 0, 7, 1], count = 2> {bins = 4 : i64} : tensor<1x3xf32>
  // CHECK: quantsim.observe %{{.*}} as "d" using histogram stats <min = [1.000000e-01], max = [3.500000e+00], histogram = [3, 7] in [0.000000e+00, 4.000000e+00], count = 2> {bins = 2 : i64} : tensor<1x3xf32>
  %3 = quantsim.observe %2 as "d" using histogram stats <min = [0.1], max = [3.5], histogram = [3, 7] in [0.0, 4.0], count = 2> {bins = 2 : i64} : tensor<1x3xf32>
  // Doubles print with every digit they need to read back the same.
  // CHECK: quantsim.observe %{{.*}} as "e" using min_max stats <min = [-1.000000e-01], max = [0.33333333333333331], count = 1> : tensor<1x3xf32>
  %4 = quantsim.observe %3 as "e" using min_max stats <min = [-0.1], max = [0.33333333333333331], count = 1> : tensor<1x3xf32>
  return %4 : tensor<1x3xf32>
}

// CHECK-LABEL: func.func @observer_schemes
func.func @observer_schemes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: quantsim.observe %{{.*}} as "w" using min_max axis 0 {bits = 4 : i64, is_signed, narrow_range, symmetric} : tensor<2x3xf32>
  %0 = quantsim.observe %x as "w" using min_max axis 0 {bits = 4 : i64, is_signed, symmetric, narrow_range} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @stats_attribute_alone
// CHECK-SAME: stats = #quantsim.stats<min = [-2.000000e+00], max = [2.000000e+00], count = 0>
func.func @stats_attribute_alone() attributes {stats = #quantsim.stats<min = [-2.0], max = [2.0], count = 0>} {
  return
}

// CHECK-LABEL: func.func @quantize_dequantize
func.func @quantize_dequantize(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[Q:.*]] = quantsim.quantize %{{.*}}, !quant.uniform<u8:f32, 2.000000e-02:128> : tensor<2x3xf32> -> tensor<2x3xi8>
  %q = quantsim.quantize %x, !quant.uniform<u8:f32, 0.02:128> : tensor<2x3xf32> -> tensor<2x3xi8>
  // CHECK: quantsim.dequantize %[[Q]], !quant.uniform<u8:f32, 2.000000e-02:128> : tensor<2x3xi8> -> tensor<2x3xf32>
  %y = quantsim.dequantize %q, !quant.uniform<u8:f32, 0.02:128> : tensor<2x3xi8> -> tensor<2x3xf32>
  // CHECK: quantsim.quantize %{{.*}}, !quant.uniform<i4:f32:1, {1.000000e+00,2.000000e+00,3.000000e+00}> : tensor<2x3xf32> -> tensor<2x3xi4>
  %q4 = quantsim.quantize %y, !quant.uniform<i4:f32:1, {1.0, 2.0, 3.0}> : tensor<2x3xf32> -> tensor<2x3xi4>
  // CHECK: quantsim.dequantize %{{.*}} : tensor<?x3xi16> -> tensor<?x3xf32>
  %d = tensor.cast %x : tensor<2x3xf32> to tensor<?x3xf32>
  %q16 = quantsim.quantize %d, !quant.uniform<i16:f32, 0.001> : tensor<?x3xf32> -> tensor<?x3xi16>
  %y16 = quantsim.dequantize %q16, !quant.uniform<i16:f32, 0.001> : tensor<?x3xi16> -> tensor<?x3xf32>
  return %y : tensor<2x3xf32>
}

// The dot-product step of the int8 kernels, at the VNNI width and at others.
// CHECK-LABEL: func.func @dot_u8s8
func.func @dot_u8s8(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>,
                    %acc4: vector<4xi32>, %a4: vector<16xi8>, %b4: vector<16xi8>)
    -> (vector<16xi32>, vector<4xi32>) {
  // CHECK: quantsim.dot_u8s8 %{{.*}}, %{{.*}}, %{{.*}} : vector<64xi8> -> vector<16xi32>
  %0 = quantsim.dot_u8s8 %acc, %a, %b : vector<64xi8> -> vector<16xi32>
  // CHECK: quantsim.dot_u8s8 %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi8> -> vector<4xi32>
  %1 = quantsim.dot_u8s8 %acc4, %a4, %b4 : vector<16xi8> -> vector<4xi32>
  return %0, %1 : vector<16xi32>, vector<4xi32>
}

// The dialect's discardable attributes, on the ops they belong on.
// CHECK-LABEL: func.func @discardable_attributes
// CHECK-SAME: attributes {quantsim.keep_float}
func.func @discardable_attributes(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {quantsim.keep_float} {
  // CHECK: quantsim.fake_quant {{.*}} {quantsim.observer = "conv1"}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5> {quantsim.observer = "conv1"} : tensor<4xf32>
  // CHECK: tosa.abs %{{.*}} {quantsim.keep_float}
  %1 = tosa.abs %0 {quantsim.keep_float} : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
