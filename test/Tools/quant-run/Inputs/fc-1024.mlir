// A fully connected layer at batch 1 (one row of outputs): 1024 x 1024 f32
// multiply-adds, above --quantsim-parallelize-loops' default min-work, so
// with threads its blocks of output channels are what run in parallel.
func.func @fc(%a: tensor<1x1x1024xf32>) -> tensor<1x1x1024xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<1x1024x1024xf32>}> : () -> tensor<1x1024x1024xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %r = tosa.matmul %a, %w, %zp, %zp : (tensor<1x1x1024xf32>, tensor<1x1024x1024xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1024xf32>
  return %r : tensor<1x1x1024xf32>
}
