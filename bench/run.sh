#!/usr/bin/env bash
# Runs every benchmark and prints the figures (not part of the test suite):
#   1. GEMM, int8 (u8 x s8 -> s32) and fp32, quant-opt vs oneDNN, one thread;
#   2. latency of a small CNN (conv-bn-relu-pool x2, fc-bn-relu, fc; the
#      model of test/Integration/qat-network-bn.mlir) at batch 1 and 64, its
#      integer lowering and its fake-quant float original;
#   3. one realistic int8 conv2d, reference lowering vs the CPU pipeline.
# Absolute times drift on shared machines: compare the ratios of one run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/build.sh" quant-opt quant-run quant-opt-gemm-bench
BIN="$BUILD_DIR/bin"
export OMP_NUM_THREADS=1

echo "== 1. GEMM"
"$BIN/quant-opt-gemm-bench" "$@"

echo
echo "== 2. Small CNN latency (quant-run --benchmark, one thread)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
model="$ROOT/test/Integration/qat-network-bn.mlir"
"$BIN/quant-opt" "$model" --quantsim-qat-to-int -o "$tmp/int.mlir"
for batch in 1 64; do
  for variant in int float; do
    file="$tmp/int.mlir"; [[ $variant == float ]] && file="$model"
    printf '%-6s batch %-3s ' "$variant" "$batch"
    "$BIN/quant-run" "$file" --entry=cnn_bn --random-inputs=1 --batch="$batch" \
      --benchmark=20 | sed -n 's/^latency: //p'
  done
done

echo
echo "== 3. int8 conv2d 1x28x28x32 -> 64, 3x3 (28.9 M MACs), one thread"
conv="$ROOT/bench/models/conv-28x28x32-64-i8.mlir"
for pipeline in reference cpu; do
  printf '%-9s ' "$pipeline"
  "$BIN/quant-run" "$conv" --pipeline="$pipeline" --random-inputs=1 \
    --benchmark=20 | sed -n 's/^latency: //p'
done
