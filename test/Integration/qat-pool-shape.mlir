// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-lower-qat \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// Pooling and data movement islands against their fake-quant originals.
// max_pool2d, reshape, transpose, pad, slice run on the int8 levels (exact
// when the output parameters equal the input's); different output
// parameters add a rescale. avg_pool2d without padding sums in i32 and
// rounds once; with padding it uses TOSA's integer average and then
// requantizes, rounding twice (within one step, fewer exact). concat
// requantizes the input whose parameters differ from the output's.

// CHECK: maxpool_same result 0: max_steps {{[01]}} exact {{(12)}} of 12
func.func @maxpool_same(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x3xf32>
  %y = tosa.max_pool2d %xq {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x2x2x3xf32>
  return %yq : tensor<1x2x2x3xf32>
}

// CHECK: maxpool_requant result 0: max_steps {{[01]}} exact {{(26|27)}} of 27
func.func @maxpool_requant(%x: tensor<1x4x4x3xf32>) -> tensor<1x3x3x3xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x3xf32>
  %y = tosa.max_pool2d %xq {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>) -> tensor<1x3x3x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.0177:-5> : tensor<1x3x3x3xf32>
  return %yq : tensor<1x3x3x3xf32>
}

// CHECK: avgpool result 0: max_steps {{[01]}} exact {{(12)}} of 12
func.func @avgpool(%x: tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x3xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %y = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0213:110> : tensor<1x2x2x3xf32>
  return %yq : tensor<1x2x2x3xf32>
}

// Equal input and output parameters and a power-of-two window: the 2x2
// average of levels is a tie for a quarter of the windows, and the
// fake-quant graph's quantize rounds those to even (the scale 0.25 keeps
// its float average exact). The integer average rounds them to even too,
// not up as tosa.rescale would: every output exact.
// CHECK: avgpool_ties result 0: max_steps 0 exact 256 of 256
func.func @avgpool_ties(%x: tensor<1x16x16x4xf32>) -> tensor<1x8x8x4xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.25:-3> : tensor<1x16x16x4xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %y = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x16x16x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.25:-3> : tensor<1x8x8x4xf32>
  return %yq : tensor<1x8x8x4xf32>
}

// CHECK: avgpool_padded result 0: max_steps {{[01]}} exact {{(25|26|27|28|29|30|31|32|33|34|35|36|37|38|39|40|41|42|43|44|45|46|47|48)}} of 48
func.func @avgpool_padded(%x: tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x3xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %y = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0213:110> : tensor<1x4x4x3xf32>
  return %yq : tensor<1x4x4x3xf32>
}

// CHECK: reshape_transpose result 0: max_steps {{[01]}} exact {{(46|47|48)}} of 48
func.func @reshape_transpose(%x: tensor<1x4x4x3xf32>) -> tensor<1x3x16xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x3xf32>
  %s = tosa.const_shape {values = dense<[1, 16, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r = tosa.reshape %xq, %s : (tensor<1x4x4x3xf32>, !tosa.shape<3>) -> tensor<1x16x3xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x16x3xf32>
  %y = tosa.transpose %rq {perms = array<i32: 0, 2, 1>} : (tensor<1x16x3xf32>) -> tensor<1x3x16xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x3x16xf32>
  return %yq : tensor<1x3x16xf32>
}

// CHECK: pad_slice result 0: max_steps {{[01]}} exact {{(43|44|45)}} of 45
func.func @pad_slice(%x: tensor<1x4x4x3xf32>) -> tensor<1x5x3x3xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x3xf32>
  %p = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %pc = arith.constant dense<0.0> : tensor<1xf32>
  %y0 = tosa.pad %xq, %p, %pc : (tensor<1x4x4x3xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x6x6x3xf32>
  %y0q = quantsim.fake_quant %y0, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x6x6x3xf32>
  %st = tosa.const_shape {values = dense<[0, 1, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %sz = tosa.const_shape {values = dense<[1, 5, 3, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %y = tosa.slice %y0q, %st, %sz : (tensor<1x6x6x3xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x5x3x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x5x3x3xf32>
  return %yq : tensor<1x5x3x3xf32>
}

// CHECK: concat_requant result 0: max_steps {{[01]}} exact {{(77|78|79|80)}} of 80
func.func @concat_requant(%x: tensor<1x4x4x3xf32>, %z: tensor<1x4x4x2xf32>) -> tensor<1x4x4x5xf32> attributes {quantsim.test_compare} {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x3xf32>
  %zq = quantsim.fake_quant %z, !quant.uniform<i8:f32, 0.0413:7> : tensor<1x4x4x2xf32>
  %y = tosa.concat %xq, %zq {axis = 3 : i32} : (tensor<1x4x4x3xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x5xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x5xf32>
  return %yq : tensor<1x4x4x5xf32>
}

