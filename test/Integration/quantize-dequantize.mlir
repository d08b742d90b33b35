// RUN: quant-opt %s --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// quantize/dequantize compiled to native code: integer levels at ties and
// clamps, NaN to the zero point, unsigned levels as bits, and
// dequantize(quantize(x)) bit-identical to fake_quant(x).

func.func private @printMemrefI32(tensor<*xi32>)

func.func @q_s8(%x: tensor<8xf32>) -> tensor<8xi8> {
  %0 = quantsim.quantize %x, !quant.uniform<i8:f32, 0.5:-3> : tensor<8xf32> -> tensor<8xi8>
  return %0 : tensor<8xi8>
}
func.func @q_u8(%x: tensor<8xf32>) -> tensor<8xi8> {
  %0 = quantsim.quantize %x, !quant.uniform<u8:f32, 0.5:128> : tensor<8xf32> -> tensor<8xi8>
  return %0 : tensor<8xi8>
}
func.func @q_u4_axis(%x: tensor<4x2xf32>) -> tensor<4x2xi4> {
  %0 = quantsim.quantize %x, !quant.uniform<u4:f32:1, {0.5:8, 1.0:0}> : tensor<4x2xf32> -> tensor<4x2xi4>
  return %0 : tensor<4x2xi4>
}
func.func @qdq(%x: tensor<8xf32>) -> tensor<8xf32> {
  %q = quantsim.quantize %x, !quant.uniform<u8:f32, 0.0931:117> : tensor<8xf32> -> tensor<8xi8>
  %y = quantsim.dequantize %q, !quant.uniform<u8:f32, 0.0931:117> : tensor<8xi8> -> tensor<8xf32>
  return %y : tensor<8xf32>
}
func.func @fq(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0931:117> : tensor<8xf32>
  return %y : tensor<8xf32>
}

func.func @print_signed(%q: tensor<8xi8>) {
  %w = arith.extsi %q : tensor<8xi8> to tensor<8xi32>
  %u = tensor.cast %w : tensor<8xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func @main() {
  %nan = arith.constant 0x7FC00000 : f32
  %a = arith.constant 0.25 : f32
  %b = arith.constant 0.75 : f32
  %c = arith.constant 1.25 : f32
  %d = arith.constant -1.25 : f32
  %e = arith.constant 1000.0 : f32
  %f = arith.constant -1000.0 : f32
  %g = arith.constant 2.0 : f32
  %x = tensor.from_elements %a, %b, %c, %d, %e, %f, %nan, %g : tensor<8xf32>

  // s8, s 0.5, zp -3: levels round(x / s) - 3 = -3, -1, -1, -5, clamp 127,
  // clamp -128, NaN -> zp -3, 1.
  // CHECK: [-3,  -1,  -1,  -5,  127,  -128,  -3,  1]
  %qs = call @q_s8(%x) : (tensor<8xf32>) -> tensor<8xi8>
  call @print_signed(%qs) : (tensor<8xi8>) -> ()

  // u8, s 0.5, zp 128: levels 128, 130, 130, 126, 255, 0, NaN -> 128, 132,
  // read back as unsigned.
  // CHECK: [128,  130,  130,  126,  255,  0,  128,  132]
  %qu = call @q_u8(%x) : (tensor<8xf32>) -> tensor<8xi8>
  %qw = arith.extui %qu : tensor<8xi8> to tensor<8xi32>
  %qwu = tensor.cast %qw : tensor<8xi32> to tensor<*xi32>
  call @printMemrefI32(%qwu) : (tensor<*xi32>) -> ()

  // u4 per axis on the 4x2 view [[.25, .75], [1.25, -1.25], [1000, -1000],
  // [NaN, 2]]: column 0 (s 0.5, zp 8): .5 -> 0 -> 8, 2.5 -> 2 -> 10, clamp 15,
  // NaN -> 8; column 1 (s 1, zp 0): .75 -> 1, -1.25 -> -1 -> clamp 0, 0, 2.
  // CHECK: {{\[\[}}8,   1],
  // CHECK-NEXT: [10,   0],
  // CHECK-NEXT: [15,   0],
  // CHECK-NEXT: [8,   2]]
  %x4 = tensor.expand_shape %x [[0, 1]] output_shape [4, 2] : tensor<8xf32> into tensor<4x2xf32>
  %q4 = call @q_u4_axis(%x4) : (tensor<4x2xf32>) -> tensor<4x2xi4>
  %w4 = arith.extui %q4 : tensor<4x2xi4> to tensor<4x2xi32>
  %u4 = tensor.cast %w4 : tensor<4x2xi32> to tensor<*xi32>
  call @printMemrefI32(%u4) : (tensor<*xi32>) -> ()

  // dequantize(quantize(x)) == fake_quant(x) bit for bit on an awkward
  // scale, except NaN (element 6), which quantize maps to the zero point.
  // CHECK: [0,  0,  0,  0,  0,  0,  1,  0]
  %y1 = call @qdq(%x) : (tensor<8xf32>) -> tensor<8xf32>
  %y2 = call @fq(%x) : (tensor<8xf32>) -> tensor<8xf32>
  %b1 = arith.bitcast %y1 : tensor<8xf32> to tensor<8xi32>
  %b2 = arith.bitcast %y2 : tensor<8xf32> to tensor<8xi32>
  %ne = arith.cmpi ne, %b1, %b2 : tensor<8xi32>
  %nei = arith.extui %ne : tensor<8xi1> to tensor<8xi32>
  %neu = tensor.cast %nei : tensor<8xi32> to tensor<*xi32>
  call @printMemrefI32(%neu) : (tensor<*xi32>) -> ()
  return
}
