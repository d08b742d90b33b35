// RUN: quant-run %s --entry=mlp -i %S/Inputs/x.npy --print | FileCheck %s --check-prefix=ONE
// RUN: quant-run %s --entry=mlp -i %S/Inputs/v2.npy --print | FileCheck %s --check-prefix=V2
// RUN: quant-opt %s --quantsim-qat-to-int -o %t.int.mlir
// RUN: quant-run %t.int.mlir --entry=mlp -i %S/Inputs/batch3.npy -o %t.out.npy \
// RUN:   --print --compare=%s --top1 --step=0.01 | FileCheck %s --check-prefix=BATCH
// RUN: quant-run %s --entry=rows -i %t.out.npy --print | FileCheck %s --check-prefix=REREAD
// RUN: quant-run %s --entry=mlp --random-inputs=5 --save-inputs=%t.in --benchmark=5 \
// RUN: | FileCheck %s --check-prefix=BENCH
// RUN: quant-run %s --entry=mlp -i %t.in0.npy --print | FileCheck %s --check-prefix=SAVED
// RUN: quant-run %s --entry=mlp -i %S/Inputs/x.npy --timing 2>&1 >/dev/null \
// RUN: | FileCheck %s --check-prefix=TIMING

// quant-run JIT-compiles the README example (fake-quant float graph, and its
// integer lowering) and runs it on .npy inputs. Expected values come from a
// NumPy model of the fake-quant semantics.

// --timing reports the compile's phases, each MLIR pass under its own.
// TIMING: Execution time report
// TIMING: parse
// TIMING-NEXT: MLIR lowering
// TIMING: OneShotBufferizePass
// TIMING: QuantSimOutlineLoopNestsPass
// TIMING: LLVM IR translation
// TIMING-NEXT: LLVM optimization
// TIMING-NEXT: machine code
// TIMING: Total

// ONE: output 0: 1x1x3xf32
// ONE-NEXT: [0, 0, 1.02999997]

// A version-2 .npy header reads too ([1, 2, 3, 4]).
// V2: output 0: 1x1x3xf32
// V2-NEXT: [{{.*}}]

// A batch of 3 through a batch-1 entry: the integer graph runs once per item,
// and agrees exactly with the fake-quant graph.
// BATCH: output 0: 3x1x3xf32
// BATCH-NEXT: [0, 0, 1.02999997, 1.05999994, 0, 0.0399999991, 0.359999985, 0, 0.159999996]
// BATCH-NEXT: output 0: max_abs_err 0.000000e+00 mean_abs_err 0.000000e+00 exact 9/9 (100.00%) max_steps 0 top1 3/3 (100.00%)

// -o wrote the batch as a .npy that reads back.
// REREAD: output 0: 3x1x3xf32
// REREAD-NEXT: [0, 0, 1.02999997, 1.05999994, 0, 0.0399999991, 0.359999985, 0, 0.159999996]

// BENCH: latency: median {{[0-9.]+}} ms, min {{[0-9.]+}} ms over 5 runs (batch 1; {{[0-9.]+}} ms per item)

// --save-inputs wrote the generated input.
// SAVED: output 0: 1x1x3xf32

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

// Identity over one row, to read an output file back through a batch.
func.func @rows(%x: tensor<1x1x3xf32>) -> tensor<1x1x3xf32> {
  return %x : tensor<1x1x3xf32>
}
