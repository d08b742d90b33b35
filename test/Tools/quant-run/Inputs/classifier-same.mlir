// quant-run's tolerance options compare this "classifier" (the identity)
// with classifier-shifted.mlir (+0.5: argmax unchanged) and
// classifier-negated.mlir (argmax moves).
func.func @f(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  return %x : tensor<1x10xf32>
}
