#!/usr/bin/env bash
# Runs every benchmark and prints the figures (not part of the test suite):
#   1. GEMM, int8 (u8 x s8 -> s32) and fp32, quant-opt vs oneDNN, one thread;
#   2. latency of the bundled Fashion-MNIST CNN at batch 1 and 64, int8 and
#      float, next to PyTorch's (traced, frozen TorchScript) and ONNX
#      Runtime's on the same models (bench/peers.py);
#   3. one realistic int8 conv2d, reference lowering vs the CPU pipeline;
#      f32 3x3 convolutions, direct vs Winograd's algorithm; a 1x1 conv
#      with SiLU, libm's exp vs the CPU pipeline's SiLU; int8 depthwise
#      layers with their rescale, reference vs the CPU kernel;
#   4. compile time of the full-size zoo (when it is there: examples/zoo/full,
#      or the directory ZOO_DIR names);
#   5. batch-1 latency of the full-size zoo, float and int8, next to ONNX
#      Runtime's on the same ONNX files (bench/zoo_latency.py).
# Absolute times drift on shared machines: compare the ratios of one run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/build.sh" quant-opt quant-run quant-translate quant-opt-gemm-bench
BIN="$BUILD_DIR/bin"
export OMP_NUM_THREADS=1

echo "== 1. GEMM"
"$BIN/quant-opt-gemm-bench" "$@"

echo
echo "== 2. The bundled Fashion-MNIST CNN (examples/fashion-mnist), one thread, us per image"
# conv 3x3 1->16, conv 3x3 16->32 (each + BN, ReLU, max-pool 2), fc
# 1568->64, fc 64->10: 1.22 M multiply-adds per image. quant-opt's int8 is
# PyTorch's QDQ export through --quantsim-qat-to-int; its float the float
# export. Peers (bench/peers.py) on the same files and inputs: PyTorch's
# traced and frozen TorchScript, ONNX Runtime (and its per-call overhead on
# an Identity model).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
EX="$ROOT/examples/fashion-mnist"
IMAGES=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
for batch in 1 64; do
  "$BIN/quant-translate" --import-onnx "$EX/fashion_mnist_float.onnx" --batch=$batch -o "$tmp/float$batch.mlir"
  "$BIN/quant-translate" --import-onnx "$EX/fashion_mnist_qat.onnx" --batch=$batch -o "$tmp/qat$batch.mlir"
  "$BIN/quant-opt" "$tmp/qat$batch.mlir" --quantsim-qat-to-int -o "$tmp/int$batch.mlir"
done
ours() { # variant batch -> us per image
  "$BIN/quant-run" "$tmp/$1$2.mlir" --idx="$IMAGES" --input-scale=0.00392156862745098 \
    --count="$2" --benchmark=200 | sed -n 's/.*; \([0-9.]*\) ms per item).*/\1/p' \
    | awk '{printf "%.2f", $1 * 1000}'
}
declare -A us
for batch in 1 64; do
  us[int8-$batch]=$(ours int "$batch")
  us[float-$batch]=$(ours float "$batch")
done
peers=""
if /usr/bin/python3 -c "import numpy, onnx" 2>/dev/null; then
  peers=$(/usr/bin/python3 -W ignore "$ROOT/bench/peers.py" 200 || true)
fi
peer() { awk -v n="$1" -v b="$2" '$2 == n && $4 == b {print $5}' <<< "$peers"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.2fx", a / b }'; }
printf '%-36s %12s %12s\n' "" "batch 1" "batch 64"
row() { printf '%-36s %12s %12s\n' "$1" "${2:--}" "${3:--}"; }
row "quant-opt int8" "${us[int8-1]}" "${us[int8-64]}"
row "PyTorch int8 (TorchScript, frozen)" "$(peer pytorch-int8 1)" "$(peer pytorch-int8 64)"
row "ONNX Runtime int8 (same QDQ model)" "$(peer ort-int8 1)" "$(peer ort-int8 64)"
row "quant-opt float" "${us[float-1]}" "${us[float-64]}"
row "PyTorch float (TorchScript, frozen)" "$(peer pytorch-float 1)" "$(peer pytorch-float 64)"
row "ONNX Runtime float" "$(peer ort-float 1)" "$(peer ort-float 64)"
row "ONNX Runtime call overhead (Identity)" "$(peer ort-identity 1)" "$(peer ort-identity 64)"
echo "speed-ups (peer time / quant-opt time):"
row "  int8 vs PyTorch int8" "$(ratio "$(peer pytorch-int8 1)" "${us[int8-1]}")" "$(ratio "$(peer pytorch-int8 64)" "${us[int8-64]}")"
row "  int8 vs ONNX Runtime int8" "$(ratio "$(peer ort-int8 1)" "${us[int8-1]}")" "$(ratio "$(peer ort-int8 64)" "${us[int8-64]}")"
row "  float vs PyTorch float" "$(ratio "$(peer pytorch-float 1)" "${us[float-1]}")" "$(ratio "$(peer pytorch-float 64)" "${us[float-64]}")"
row "  float vs ONNX Runtime float" "$(ratio "$(peer ort-float 1)" "${us[float-1]}")" "$(ratio "$(peer ort-float 64)" "${us[float-64]}")"
row "  int8 batch 64 per image vs batch 1" "" "$(ratio "${us[int8-1]}" "${us[int8-64]}")"
[[ -n "$peers" ]] || echo "(peers need /usr/bin/python3 with numpy and onnx: scripts/install-deps.sh --demo)"

echo
cores=$(getconf _NPROCESSORS_ONLN)  # nproc would honour OMP_NUM_THREADS=1
echo "== 2b. Threads (quant-run --num-threads, OpenMP over the kernels' batch and row loops), us per image"
printf '%-36s %12s %12s %12s\n' "" "1 thread" "$cores threads" "speed-up"
for variant in int8 float; do
  file=int; [[ $variant == float ]] && file=float
  for batch in 1 64; do
    one="${us[$variant-$batch]}"
    many=$("$BIN/quant-run" "$tmp/$file$batch.mlir" --idx="$IMAGES" --input-scale=0.00392156862745098 \
      --count="$batch" --benchmark=200 --num-threads="$cores" | sed -n 's/.*; \([0-9.]*\) ms per item).*/\1/p' \
      | awk '{printf "%.2f", $1 * 1000}')
    printf '%-36s %12s %12s %12s\n' "quant-opt $variant batch $batch" "$one" "$many" "$(ratio "$one" "$many")"
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

echo
echo "== 3b. f32 3x3 stride-1 conv + ReLU, one thread, ms: direct (cpu-exact-math) vs Winograd F(4x4, 3x3) (cpu)"
conv3="$ROOT/bench/models/conv3x3-f32.mlir"
printf '%-24s %10s %10s %8s\n' layer direct cpu ratio
for layer in resnet_56x56x64 resnet_28x28x128 resnet_14x14x256 resnet_7x7x512 densenet_56x56x128_32; do
  t=()
  for pipeline in cpu-exact-math cpu; do
    t+=("$("$BIN/quant-run" "$conv3" --entry="$layer" --pipeline="$pipeline" \
      --random-inputs=1 --benchmark=100 | sed -n 's/^latency: median \([0-9.]*\) ms.*/\1/p')")
  done
  printf '%-24s %10s %10s %8s\n' "$layer" "${t[0]}" "${t[1]}" "$(ratio "${t[0]}" "${t[1]}")"
done

echo
echo "== 3c. f32 1x1 conv 16 -> 96 on 112x112 with SiLU in its epilogue, one thread, ms"
# conv: without the SiLU; libm: cpu-exact-math (expf calls); cpu: the
# 18-operation SiLU of --quantsim-approximate-math.
silu="$ROOT/bench/models/conv1x1-silu.mlir"
t=()
for run in "conv cpu" "conv_silu cpu-exact-math" "conv_silu cpu"; do
  set -- $run
  t+=("$("$BIN/quant-run" "$silu" --entry="$1" --pipeline="$2" \
    --random-inputs=1 --benchmark=200 | sed -n 's/^latency: median \([0-9.]*\) ms.*/\1/p')")
done
printf '%10s %10s %10s\n' conv libm cpu "${t[0]}" "${t[1]}" "${t[2]}"
echo "the SiLU: libm $(awk -v a="${t[1]}" -v b="${t[0]}" 'BEGIN { printf "%.3f", a - b }') ms, cpu $(awk -v a="${t[2]}" -v b="${t[0]}" 'BEGIN { printf "%.3f", a - b }') ms"

echo
echo "== 3d. int8 depthwise 3x3 + rescale + clamp (MobileNetV2's layers), one thread, ms: reference lowering vs the CPU kernel"
dw="$ROOT/bench/models/depthwise-i8.mlir"
printf '%-22s %10s %10s %8s %10s\n' layer reference cpu ratio "cpu GMAC/s"
for layer in "mbv2_56x56x144_s1 4064256" "mbv2_112x112x96_s2 2709504"; do
  set -- $layer
  t=()
  for pipeline in reference cpu; do
    t+=("$("$BIN/quant-run" "$dw" --entry="$1" --pipeline="$pipeline" \
      --random-inputs=1 --benchmark=100 | sed -n 's/^latency: median \([0-9.]*\) ms.*/\1/p')")
  done
  printf '%-22s %10s %10s %8s %10s\n' "$1" "${t[0]}" "${t[1]}" "$(ratio "${t[0]}" "${t[1]}")" \
    "$(awk -v m="$2" -v t="${t[1]}" 'BEGIN { printf "%.1f", m / t / 1e6 }')"
done

echo
echo "== 4. Compile time of full-size models (JIT at O3; quant-run --timing)"
# Needs the full-size zoo (examples/zoo/make_zoo.py --full, about 25
# minutes; not in git). Columns: import, then the compile's three largest
# parts and its total (parse included), in seconds.
ZOO="${ZOO_DIR:-$ROOT/examples/zoo/full}"
if [[ -f "$ZOO/resnet50_float.onnx" ]]; then
  printf '%-22s %8s %8s %8s %8s %8s\n' "" "import" "MLIR" "LLVM opt" "codegen" "compile"
  for model in resnet50 densenet121; do
    for variant in float int8; do
      start=$(date +%s.%N)
      if [[ $variant == float ]]; then
        "$BIN/quant-translate" --import-onnx "$ZOO/${model}_float.onnx" --emit-bytecode -o "$tmp/$model.mlirbc"
      else
        "$BIN/quant-translate" --import-onnx "$ZOO/${model}_qdq.onnx" --emit-bytecode -o "$tmp/$model.q.mlirbc"
        "$BIN/quant-opt" "$tmp/$model.q.mlirbc" --quantsim-qat-to-int --emit-bytecode -o "$tmp/$model.mlirbc"
      fi
      import=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
      "$BIN/quant-run" "$tmp/$model.mlirbc" --random-inputs=1 --timing 2>&1 >/dev/null \
        | awk -v name="$model $variant" -v imp="$import" '
            # The wall time is the last number before a "(percent)".
            function wall(   i, w) { for (i = 1; i < NF; ++i) if (substr($(i + 1), 1, 1) == "(") w = $i; return w }
            / MLIR lowering$/ { mlir = wall() }
            / LLVM optimization$/ { opt = wall() }
            / machine code$/ { mc = wall() }
            / Total$/ { total = wall() }
            END { printf "%-22s %8s %8.1f %8.1f %8.1f %8.1f\n", name, imp, mlir, opt, mc, total }'
    done
  done
else
  echo "(no examples/zoo/full: run /usr/bin/python3 examples/zoo/make_zoo.py --full)"
fi

echo
echo "== 5. Full-size zoo, batch 1, one thread, ms: quant-opt next to ONNX Runtime (ratio < 1: quant-opt faster)"
# The models examples/zoo/make_zoo.py --full wrote (trained: hours here;
# --steps 0 gives untrained weights, BatchNorm statistics set on the data,
# in about 30 s a model: enough for latency).
if [[ -f "$ZOO/models.json" ]] && /usr/bin/python3 -c "import numpy, onnx" 2>/dev/null; then
  BUILD_DIR="$BUILD_DIR" /usr/bin/python3 -W ignore "$ROOT/bench/zoo_latency.py" --dir "$ZOO"
else
  echo "(needs $ZOO from examples/zoo/make_zoo.py --full, and /usr/bin/python3 with numpy and onnx)"
fi
