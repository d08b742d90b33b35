// An entry whose output (2^32 floats) is larger than quant-run allocates.
func.func @s() -> tensor<1x1x4294967296xf32> {
  %c = arith.constant dense<0.5> : tensor<1x1x4294967296xf32>
  %q = quantsim.fake_quant %c, !quant.uniform<i8:f32, 0.1> : tensor<1x1x4294967296xf32>
  return %q : tensor<1x1x4294967296xf32>
}
