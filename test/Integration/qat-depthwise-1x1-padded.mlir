// A quantized 1x1 depthwise convolution with padding (a valid QAT layer;
// upstream's decomposition of its integer form failed to verify) compiles
// through both pipelines and gives the fake-quant graph's numbers, within
// one step where the float and the fixed-point rescale round apart. The
// input zero point is not 0: a border padded with anything else would be
// off by many steps (0.4 * 0.5 / 0.05 = 4 and more).
// RUN: quant-opt %s --quantsim-qat-to-int -o %t.int.mlir
// RUN: quant-run %t.int.mlir --random-inputs=1 --batch=4 --compare=%s --step=0.05 --max-steps=1 | FileCheck %s --check-prefix=CPU
// RUN: quant-run %t.int.mlir --random-inputs=2 --batch=4 --pipeline=reference --compare=%s --step=0.05 --max-steps=1 | FileCheck %s --check-prefix=REF
// CPU: output 0: {{.*}} exact {{23[5-9]|240}}/240 {{.*}} max_steps {{[01]}}
// REF: output 0: {{.*}} exact {{23[5-9]|240}}/240 {{.*}} max_steps {{[01]}}

func.func @dw(%x: tensor<1x4x4x2xf32>) -> tensor<1x6x5x2xf32> {
  %w = arith.constant dense<[[[[0.5], [-0.25]]]]> : tensor<1x1x2x1xf32>
  %b = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01:40> : tensor<1x4x4x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32, 0.005> : tensor<1x1x2x1xf32>
  %y = tosa.depthwise_conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 0, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x5x2xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.05:-10> : tensor<1x6x5x2xf32>
  return %yq : tensor<1x6x5x2xf32>
}
