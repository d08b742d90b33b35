#!/usr/bin/env bash
# The README's main command: installs what is missing, builds quant-opt, and
# runs the bundled example (examples/quickstart/qat-mlp.mlir) through it:
# constant folding of the fake-quantized weights, the lowering of fake_quant
# to exact arith code, and native execution of the result.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
LLVM_PREFIX="${LLVM_PREFIX:-/usr/lib/llvm-22}"
EXAMPLE="$ROOT/examples/quickstart/qat-mlp.mlir"
QUANT_OPT="$BUILD_DIR/bin/quant-opt"

"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/build.sh" quant-opt

section() { printf '\n==== %s\n' "$*"; }

section "1. The fake-quant graph ($EXAMPLE, function @mlp)"
sed -n '/^func.func @mlp/,/^}/p' "$EXAMPLE"

section "2. quant-opt --canonicalize: weight fake_quant folded into the constant"
"$QUANT_OPT" "$EXAMPLE" --canonicalize | sed -n '/func.func @mlp/,/^  }/p'

section "3. quant-opt --quantsim-lower-fake-quant: activation fake_quant as exact arith"
"$QUANT_OPT" "$EXAMPLE" --canonicalize --quantsim-lower-fake-quant \
  | sed -n '/func.func @mlp/,/^  }/p' | sed -n '1,/linalg.yield/p'
echo "  ..."

section "4. quant-opt --quantsim-reference-to-llvm, run natively on x = [0.5, -0.25, 1.0, 0.75]"
"$QUANT_OPT" "$EXAMPLE" --quantsim-reference-to-llvm \
  | "$LLVM_PREFIX/bin/mlir-runner" -e main -entry-point-result=void \
      -shared-libs="$LLVM_PREFIX/lib/libmlir_runner_utils.so,$LLVM_PREFIX/lib/libmlir_c_runner_utils.so"
