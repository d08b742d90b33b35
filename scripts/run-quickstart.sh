#!/usr/bin/env bash
# A walk-through: installs what is missing, builds quant-opt, and runs the
# one-layer example (examples/quickstart/qat-mlp.mlir) through it: the
# QAT-to-integer lowering, and native execution of both the fake-quant float
# graph and the integer graph.
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

section "2. quant-opt --quantsim-qat-to-int: the integer graph (int8, i32 accumulator, rescale)"
"$QUANT_OPT" "$EXAMPLE" --quantsim-qat-to-int | sed -n '/func.func @mlp/,/^  }/p'

RUN=("$LLVM_PREFIX/bin/mlir-runner" -e main -entry-point-result=void
     -shared-libs="$LLVM_PREFIX/lib/libmlir_runner_utils.so,$LLVM_PREFIX/lib/libmlir_c_runner_utils.so")

section "3. Both compiled natively (--quantsim-reference-to-llvm) on x = [0.5, -0.25, 1.0, 0.75]"
printf 'fake-quant float graph: '
"$QUANT_OPT" "$EXAMPLE" --quantsim-reference-to-llvm | "${RUN[@]}" | tail -1
printf 'integer graph:          '
"$QUANT_OPT" "$EXAMPLE" --quantsim-qat-to-int --quantsim-reference-to-llvm | "${RUN[@]}" | tail -1
echo
echo "docs/QATLowering.md derives channel 2's 1.03 by hand from the constants above."
