// f32 max pools (arith.maximumf: NaN propagating, +0 above -0) on inputs
// full of NaN, signed zeros and infinities, through the CPU pipeline's
// pool loops (a maximum assuming no NaN, vrangeps where the target has
// AVX-512 DQ, and a NaN wherever a window holds one) and without AVX-512,
// against the reference lowering bit for bit: NaN where its NaNs are and
// zeros of the same sign. The counts show those cases reach the output.
// RUN: %python %S/Inputs/special-values.py write %t.in.npy 1 10 10 20
// RUN: quant-run %s --entry=pool3x3_s1_pad1 -i %t.in.npy --pipeline=reference -o %t.s1.ref.npy
// RUN: %python %S/Inputs/special-values.py count %t.s1.ref.npy | FileCheck %s --check-prefix=COUNT-S1
// RUN: quant-run %s --entry=pool3x3_s1_pad1 -i %t.in.npy -o %t.s1.npy
// RUN: %python %S/Inputs/special-values.py same %t.s1.ref.npy %t.s1.npy | FileCheck %s --check-prefix=S1
// RUN: quant-run %s --entry=pool3x3_s1_pad1 -i %t.in.npy --target-cpu=x86-64-v3 -o %t.s1.avx2.npy
// RUN: %python %S/Inputs/special-values.py same %t.s1.ref.npy %t.s1.avx2.npy | FileCheck %s --check-prefix=S1
// RUN: quant-run %s --entry=pool2x2_s2 -i %t.in.npy --pipeline=reference -o %t.s2.ref.npy
// RUN: %python %S/Inputs/special-values.py count %t.s2.ref.npy | FileCheck %s --check-prefix=COUNT-S2
// RUN: quant-run %s --entry=pool2x2_s2 -i %t.in.npy -o %t.s2.npy
// RUN: %python %S/Inputs/special-values.py same %t.s2.ref.npy %t.s2.npy | FileCheck %s --check-prefix=S2
// RUN: quant-run %s --entry=pool2x2_s2 -i %t.in.npy --target-cpu=x86-64-v3 -o %t.s2.avx2.npy
// RUN: %python %S/Inputs/special-values.py same %t.s2.ref.npy %t.s2.avx2.npy | FileCheck %s --check-prefix=S2
// COUNT-S1: NaN {{[1-9][0-9]*}}, -0 {{[1-9][0-9]*}}, +0 {{[1-9][0-9]*}} of 2000
// COUNT-S2: NaN {{[1-9][0-9]*}}, -0 {{[1-9][0-9]*}}, +0 {{[1-9][0-9]*}} of 500
// S1: bit for bit 2000/2000
// S2: bit for bit 500/500

func.func @pool3x3_s1_pad1(%x: tensor<1x10x10x20xf32>) -> tensor<1x10x10x20xf32> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x10x10x20xf32>) -> tensor<1x10x10x20xf32>
  return %y : tensor<1x10x10x20xf32>
}

func.func @pool2x2_s2(%x: tensor<1x10x10x20xf32>) -> tensor<1x5x5x20xf32> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x10x10x20xf32>) -> tensor<1x5x5x20xf32>
  return %y : tensor<1x5x5x20xf32>
}
