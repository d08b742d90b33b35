// The README example network (fake-quant graph), the input of aot.test.

func.func @mlp(%x: tensor<1x1x4xf32>) -> tensor<1x1x3xf32> {
  %w = arith.constant dense<[[[0.31, -0.52, 0.13], [0.77, 0.05, -0.91],
                              [-0.24, 0.66, 0.48], [0.12, -0.33, 0.29]]]> : tensor<1x4x3xf32>
  %b = arith.constant dense<[[[0.1, -0.2, 0.05]]]> : tensor<1x1x3xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:128> : tensor<1x1x4xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {0.0072, 0.0052, 0.0072}> : tensor<1x4x3xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32>
  %yb = tosa.add %y, %b : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
  %r = tosa.clamp %yb {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<1x1x3xf32>) -> tensor<1x1x3xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.01> : tensor<1x1x3xf32>
  return %rq : tensor<1x1x3xf32>
}
