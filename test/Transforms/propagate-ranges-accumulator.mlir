// RUN: quant-opt %s --split-input-file --verify-diagnostics --quantsim-propagate-ranges="report=true"
// RUN: quant-opt %s --split-input-file --quantsim-propagate-ranges="overflow=warn" 2>&1 | FileCheck %s --check-prefix=WARN

// A u8 input at scale 0.01 after ReLU6 holds levels 0..600 clipped to 255:
// max |x_q - z_x| = 255. Weights of 1.0 at scale 1/127 are level 127. With
// K = 70000 the sum of |w_q| is 8,890,000 and the accumulator can reach
// 2,266,950,000 > 2^31 - 1.
func.func @overflow(%x: tensor<1x1x70000xf32>) -> tensor<1x1x1xf32> {
  %a = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01> : tensor<1x1x70000xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x1x70000xf32>) -> tensor<1x1x70000xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x70000x1xf32>}> : () -> tensor<1x70000x1xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.007874015748031496}> : tensor<1x70000x1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-remark @+2 {{input in [0.00, 2.55] (!quant.uniform<u8:f32, 1.000000e-02>); max |x_q - z_x| = 255; bias scale s_x * s_w[0] = 7.874016e-05; accumulator bound 2266950000 (channel 0) of 2147483647}}
  // expected-error @+1 {{the i32 accumulator can overflow: channel 0 can reach 2266950000 (sum |w_q - z_w| = 8890000 times max |x_q - z_x| = 255, plus the bias) > 2147483647}}
  %m = tosa.matmul %r, %wq, %zp, %zp : (tensor<1x1x70000xf32>, tensor<1x70000x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}
// WARN: warning: the i32 accumulator can overflow: channel 0 can reach 2266950000

// -----

// The same with a ReLU6 whose bound 0.5 the dataflow analysis carries to
// the matmul: levels 0..50, so 8,890,000 x 50 = 444,500,000 is safe.
func.func @narrowed(%x: tensor<1x1x70000xf32>) -> tensor<1x1x1xf32> {
  %a = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.01> : tensor<1x1x70000xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 0.5 : f32} : (tensor<1x1x70000xf32>) -> tensor<1x1x70000xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x70000x1xf32>}> : () -> tensor<1x70000x1xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.007874015748031496}> : tensor<1x70000x1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-remark @+1 {{input in [0.00, 0.50] (!quant.uniform<u8:f32, 1.000000e-02>); max |x_q - z_x| = 50; bias scale s_x * s_w[0] = 7.874016e-05; accumulator bound 444500000 (channel 0) of 2147483647}}
  %m = tosa.matmul %r, %wq, %zp, %zp : (tensor<1x1x70000xf32>, tensor<1x70000x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}
