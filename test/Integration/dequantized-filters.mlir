// A float layer with quantized weights (an op the integer lowering leaves
// in float, or an exporter's float island): its filter is
// quantsim.dequantize of an integer constant. --quantsim-cpu-kernels
// evaluates it at compile time, so the float kernels (which want constant
// filters) take the layer, and the results equal the reference lowering's,
// which dequantizes at run time, bit for bit.
// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids | FileCheck %s
// RUN: quant-run %s --entry=conv_per_channel --random-inputs=1 --compare=%s --compare-pipeline=reference | FileCheck %s --check-prefix=CONV
// RUN: quant-run %s --entry=depthwise_per_channel --random-inputs=2 --compare=%s --compare-pipeline=reference | FileCheck %s --check-prefix=DW
// RUN: quant-run %s --entry=matmul_unsigned --random-inputs=3 --compare=%s --compare-pipeline=reference | FileCheck %s --check-prefix=MM
// CONV: output 0: max_abs_err 0.000000e+00 mean_abs_err 0.000000e+00 exact 252/252 (100.00%)
// DW: output 0: max_abs_err 0.000000e+00 mean_abs_err 0.000000e+00 exact 80/80 (100.00%)
// MM: output 0: max_abs_err 0.000000e+00 mean_abs_err 0.000000e+00 exact 36/36 (100.00%)

// CHECK-LABEL: func.func @conv_per_channel
// CHECK-NOT: quantsim.dequantize
// CHECK-NOT: tosa.conv2d
// CHECK-LABEL: func.func @depthwise_per_channel
// CHECK-NOT: quantsim.dequantize
// CHECK-NOT: tosa.depthwise_conv2d
// CHECK-LABEL: func.func @matmul_unsigned
// CHECK-NOT: quantsim.dequantize
// CHECK-NOT: tosa.matmul
// CHECK: return

func.func @conv_per_channel(%x: tensor<1x6x6x5xf32>) -> tensor<1x6x6x7xf32> {
  %q = "tosa.const"() {values = dense<[[[[32, -62, 62, -36, 76], [49, 114, 88, 62, 39], [109, 8, -120, 88, -8]], [[71, 114, -64, 39, -114], [103, -87, -99, -32, -7], [95, -64, -30, 12, -101]], [[19, -64, -124, 60, -72], [-23, -56, -81, 107, 95], [69, -28, -87, 68, 77]]], [[[-109, -92, 31, 31, -14], [-95, -94, -127, 121, 96], [-126, -74, 71, -72, 118]], [[124, -85, 96, -85, -53], [-47, 119, -77, 11, 97], [46, 33, -75, -81, 113]], [[120, 49, -77, 120, 120], [101, -29, -51, -122, -35], [-21, -85, 112, -90, -60]]], [[[-111, -43, -50, 82, 27], [23, -127, 25, 46, 54], [-41, -111, -48, -37, 82]], [[-49, -4, 51, -47, -80], [-4, -7, 53, -82, -113], [-62, 122, 113, -122, 116]], [[64, -36, 89, -24, -123], [13, 74, -20, -34, -31], [21, 88, -125, -12, -116]]], [[[54, -81, 32, 117, 117], [-77, -97, 66, -65, 110], [82, 114, -9, -39, 4]], [[-37, 101, 7, -63, 71], [-9, -100, 23, 64, 72], [77, -33, 93, -52, -118]], [[-17, 115, 123, -104, -74], [-40, 4, 29, -35, 108], [-90, -40, -57, 109, 52]]], [[[12, -104, -48, 48, -46], [-49, -82, 77, -107, 33], [-89, 57, 49, -48, -4]], [[-86, 57, -115, -107, 125], [26, 9, 109, -24, -119], [-67, 62, 25, -39, 84]], [[-63, -11, 39, -20, -90], [-113, 123, 107, 36, -119], [78, -1, -42, 87, -74]]], [[[-94, 124, 60, 17, 116], [-94, 34, 102, 74, -22], [-100, -84, -16, -32, -89]], [[-112, 89, -20, -52, -91], [-11, 109, 31, 91, -84], [122, 6, -11, 118, -3]], [[49, 59, -46, -5, -57], [-53, -7, -24, 103, -90], [-99, -31, 83, 126, 9]]], [[[118, -82, 33, 112, 0], [95, -41, -81, -105, -2], [-58, 4, 73, 13, 95]], [[1, -35, -111, 74, 76], [71, -36, 50, 23, 42], [-119, 67, -49, -34, 16]], [[53, 44, -56, 86, -3], [-60, 70, 124, 49, 56], [-52, 117, 115, -40, 39]]]]> : tensor<7x3x3x5xi8>} : () -> tensor<7x3x3x5xi8>
  %w = quantsim.dequantize %q, !quant.uniform<i8<-127:127>:f32:0, {0.01000,0.01300,0.01600,0.01900,0.02200,0.02500,0.02800}> : tensor<7x3x3x5xi8> -> tensor<7x3x3x5xf32>
  %b = "tosa.const"() {values = dense<[-0.300, -0.200, -0.100, 0.000, 0.100, 0.200, 0.300]> : tensor<7xf32>} : () -> tensor<7xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x6x5xf32>, tensor<7x3x3x5xf32>, tensor<7xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x7xf32>
  return %y : tensor<1x6x6x7xf32>
}

func.func @depthwise_per_channel(%x: tensor<1x8x8x5xf32>) -> tensor<1x4x4x5xf32> {
  %q = "tosa.const"() {values = dense<[[[[-82], [21], [91], [-125], [-6]], [[13], [71], [-63], [-44], [44]], [[-57], [-9], [-54], [82], [1]]], [[[38], [45], [77], [-36], [-38]], [[-57], [37], [-39], [61], [113]], [[85], [-23], [-38], [109], [88]]], [[[-83], [95], [94], [49], [-12]], [[122], [-34], [117], [-42], [5]], [[-91], [8], [123], [-85], [-77]]]]> : tensor<3x3x5x1xi8>} : () -> tensor<3x3x5x1xi8>
  %w = quantsim.dequantize %q, !quant.uniform<i8<-127:127>:f32:2, {0.02000,0.02200,0.02400,0.02600,0.02800}> : tensor<3x3x5x1xi8> -> tensor<3x3x5x1xf32>
  %b = "tosa.const"() {values = dense<0.25> : tensor<5xf32>} : () -> tensor<5xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x5xf32>, tensor<3x3x5x1xf32>, tensor<5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x5xf32>
  return %y : tensor<1x4x4x5xf32>
}

func.func @matmul_unsigned(%x: tensor<1x4x12xf32>) -> tensor<1x4x9xf32> {
  %q = "tosa.const"() {values = dense<[[[185, 244, 144, 40, 213, 87, 215, 154, 138], [14, 100, 81, 225, 92, 112, 92, 21, 241], [115, 84, 27, 68, 56, 162, 92, 247, 99], [18, 212, 238, 179, 194, 36, 104, 121, 191], [0, 179, 207, 142, 209, 58, 191, 18, 154], [48, 151, 173, 150, 180, 66, 214, 209, 189], [239, 72, 80, 195, 244, 101, 68, 46, 179], [0, 195, 55, 166, 72, 166, 192, 219, 221], [115, 252, 149, 245, 194, 196, 81, 133, 154], [254, 128, 212, 10, 163, 157, 251, 146, 73], [244, 12, 62, 227, 125, 150, 20, 69, 200], [6, 245, 140, 124, 242, 18, 125, 250, 137]]]> : tensor<1x12x9xi8>} : () -> tensor<1x12x9xi8>
  %w = quantsim.dequantize %q, !quant.uniform<u8:f32, 0.0125:131> : tensor<1x12x9xi8> -> tensor<1x12x9xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x12xf32>, tensor<1x12x9xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x9xf32>
  return %y : tensor<1x4x9xf32>
}
