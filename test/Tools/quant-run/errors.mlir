// Every bad input is a clear error naming what and where, exit code 1.
// RUN: not quant-run %s -i %S/Inputs/x.npy 2>&1 | FileCheck %s --check-prefix=ENTRIES
// RUN: not quant-run %s --entry=nope -i %S/Inputs/x.npy 2>&1 | FileCheck %s --check-prefix=NOENTRY
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/f64.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/wrong-shape.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not quant-run %s --entry=mlp 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/not-npy.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/complex.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/big-endian.npy 2>&1 | FileCheck %s --check-prefix=BIGENDIAN
// RUN: not quant-run %s --entry=dynamic -i %S/Inputs/x.npy 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// RUN: not quant-run %s --entry=mlp -i %S/Inputs/x.npy -o %t.a.npy -o %t.b.npy 2>&1 | FileCheck %s --check-prefix=OUTS
// RUN: not quant-run %S/Inputs/missing.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not quant-run %S/Inputs/x.npy 2>&1 | FileCheck %s --check-prefix=PARSE

// ENTRIES: quant-run: error: the module has several public functions (mlp, dynamic); choose one with --entry
// NOENTRY: quant-run: error: '{{.*}}errors.mlir': no function 'nope' with a body in the module
// DTYPE: quant-run: error: input 0 is 1x1x4xf64 but the entry expects 1x1x4xf32
// SHAPE: quant-run: error: input 0 has shape 1x1x5xf32 but the entry expects 1x1x4xf32
// COUNT: quant-run: error: the entry takes 1 inputs, 0 given
// MISSING: quant-run: error: '{{.*}}missing.npy': cannot open: No such file or directory
// TRUNC: quant-run: error: '{{.*}}truncated.npy': holds 11 data bytes but 1x1x4xf32 needs 16
// MAGIC: quant-run: error: '{{.*}}not-npy.npy': not a .npy file (bad magic)
// FORTRAN: quant-run: error: '{{.*}}fortran.npy': Fortran-order arrays are not supported
// COMPLEX: quant-run: error: '{{.*}}complex.npy': unsupported dtype '<c8' (supported: f32, f64, i8, u8, i32, i64, little-endian)
// BIGENDIAN: quant-run: error: '{{.*}}big-endian.npy': unsupported dtype '>f4'
// DYNAMIC: quant-run: error: '{{.*}}errors.mlir': input 0 of @dynamic has dynamic shape tensor<?x4xf32>; give the entry a static shape (batch 1 runs any batch)
// OUTS: quant-run: error: the entry has 1 outputs but 2 -o files were given
// NOFILE: quant-run: error: cannot open '{{.*}}missing.mlir': No such file or directory
// PARSE: error: {{.*}}
// PARSE: quant-run: error: cannot parse '{{.*}}x.npy'

func.func @mlp(%x: tensor<1x1x4xf32>) -> tensor<1x1x4xf32> {
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:128> : tensor<1x1x4xf32>
  return %xq : tensor<1x1x4xf32>
}

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}
