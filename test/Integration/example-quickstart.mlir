// RUN: quant-opt %S/../../examples/quickstart/qat-mlp.mlir --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s
// RUN: quant-opt %S/../../examples/quickstart/qat-mlp.mlir --quantsim-qat-to-int \
// RUN:   --quantsim-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s
// RUN: quant-opt %S/../../examples/quickstart/qat-mlp.mlir --canonicalize \
// RUN: | FileCheck %s --check-prefix=FOLD

// The README's bundled example compiles and computes what the fake-quant
// semantics say. The expected row was computed independently with NumPy
// (f32 arithmetic, np.round is half-to-even): x quantized as u8 (s 0.02,
// zp 128), weights per channel as narrow s8, f32 matmul + bias, ReLU, output
// quantized as u8 (s 0.01).

// The fake-quant graph and its integer lowering (derived by hand in
// docs/QATLowering.md) both print:
// CHECK: [0,    0,    1.03]

// The weights' fake_quant folds at compile time; the activations' stay.
// FOLD-LABEL: func.func @mlp
// FOLD: arith.constant dense<{{\[\[\[}}3.096000e-01, -5.200000e-01, 1.296000e-01]
// FOLD-COUNT-2: quantsim.fake_quant
// FOLD-NOT: quantsim.fake_quant
// FOLD: return
