#!/usr/bin/env bash
# The README's main command: installs what is missing, builds quant-opt, and
# runs the whole compiler on the bundled Fashion-MNIST models
# (examples/fashion-mnist, exported by PyTorch) and Debian's test set:
#   1. imports the float model and the QAT model (QDQ ONNX),
#   2. lowers the QAT model to an integer graph,
#   3. quantizes the float model after training (quant-calibrate on the
#      first 1,000 training images) and lowers it to an integer graph,
#   4. compiles them to native code (JIT) and runs the 10,000 test images,
#   5. prints accuracy, agreement with PyTorch's own int8 model (QAT) or
#      with the float model (PTQ), and latency per image at batch 1 and 64
#      (one thread), with PyTorch's figures (float, QAT and its own PTQ)
#      measured in the same run when PyTorch is installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/build.sh" quant-opt quant-run quant-calibrate quant-translate

BIN="$BUILD_DIR/bin"
EX="$ROOT/examples/fashion-mnist"
DATA=/usr/share/datasets/fashion-mnist
IMAGES="$DATA/t10k-images-idx3-ubyte.gz"
LABELS="$DATA/t10k-labels-idx1-ubyte.gz"
SCALE=0.00392156862745098 # the models take pixels / 255
export OMP_NUM_THREADS=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== 1. Import (quant-translate --import-onnx)"
"$BIN/quant-translate" --import-onnx "$EX/fashion_mnist_float.onnx" -o "$work/float.mlir"
"$BIN/quant-translate" --import-onnx "$EX/fashion_mnist_qat.onnx" -o "$work/qat.mlir"
# Batch-64 versions, for timing whole batches in one call.
"$BIN/quant-translate" --import-onnx "$EX/fashion_mnist_float.onnx" --batch=64 -o "$work/float64.mlir"
"$BIN/quant-translate" --import-onnx "$EX/fashion_mnist_qat.onnx" --batch=64 -o "$work/qat64.mlir"
echo "float: $(grep -c 'tosa\.' "$work/float.mlir") TOSA ops;" \
     "QAT: $(grep -c 'quantsim.fake_quant' "$work/qat.mlir") fake_quant ops"

echo
echo "== 2. Lower the QAT model to integers (quant-opt --quantsim-qat-to-int)"
"$BIN/quant-opt" "$work/qat.mlir" --quantsim-qat-to-int -o "$work/int.mlir"
"$BIN/quant-opt" "$work/qat64.mlir" --quantsim-qat-to-int -o "$work/int64.mlir"
grep -oE 'tosa\.(conv2d|matmul|rescale|max_pool2d|add|reshape|transpose|clamp)|quantsim\.(quantize|dequantize)' \
  "$work/int.mlir" | sort | uniq -c | awk '{printf "  %3d %s\n", $1, $2}'
echo "  (int8 tensors and i32 accumulators between the one quantize and the one dequantize)"

echo
echo "== 3. Post-training quantization of the float model (quant-calibrate)"
TRAIN="$DATA/train-images-idx3-ubyte.gz"
"$BIN/quant-calibrate" "$work/float.mlir" --idx="$TRAIN" --input-scale=$SCALE --count=1000 \
  --method=percentile -o "$work/ptq.mlir"
"$BIN/quant-opt" "$work/ptq.mlir" --quantsim-qat-to-int -o "$work/ptq-int.mlir"
# The batch-64 entry calibrates on whole batches: the first 1,024 images.
"$BIN/quant-calibrate" "$work/float64.mlir" --idx="$TRAIN" --input-scale=$SCALE --count=1024 \
  --method=percentile --quiet -o "$work/ptq64.mlir"
"$BIN/quant-opt" "$work/ptq64.mlir" --quantsim-qat-to-int -o "$work/ptq-int64.mlir"
echo "  $(grep -c 'quantsim.fake_quant' "$work/ptq.mlir") fake_quant ops from calibration;" \
     "integer graph: $(grep -c 'quantsim.quantize' "$work/ptq-int.mlir") quantize," \
     "$(grep -c 'quantsim.dequantize' "$work/ptq-int.mlir") dequantize"

echo
echo "== 4. Compile (JIT, --quantsim-cpu-codegen) and run 10,000 test images"
run() { # model, extra args...
  local model=$1; shift
  "$BIN/quant-run" "$model" --idx="$IMAGES" --input-scale=$SCALE "$@"
}
accuracy() { run "$1" --labels="$LABELS" | sed -n 's/^accuracy \([0-9.]*\)%.*/\1/p'; }
agreement() { run "$1" --agree-with="$EX/pytorch_int8_predictions.npy" | sed -n 's/^agreement \([0-9.]*\)%.*/\1/p'; }
per_item() { # model, batch -> ms per image
  run "$1" --count="$2" --benchmark=30 | sed -n 's/.*; \([0-9.]*\) ms per item).*/\1/p'
}
float_acc=$(accuracy "$work/float.mlir")
int_acc=$(accuracy "$work/int.mlir")
int_agree=$(agreement "$work/int.mlir")
float_b1=$(per_item "$work/float.mlir" 1); float_b64=$(per_item "$work/float64.mlir" 64)
int_b1=$(per_item "$work/int.mlir" 1); int_b64=$(per_item "$work/int64.mlir" 64)
ptq_acc=$(accuracy "$work/ptq-int.mlir")
ptq_agree=$(run "$work/ptq-int.mlir" --compare="$work/float.mlir" --top1 \
  | sed -n 's/.* top1 [0-9]*\/[0-9]* (\([0-9.]*\)%).*/\1/p')
ptq_b1=$(per_item "$work/ptq-int.mlir" 1); ptq_b64=$(per_item "$work/ptq-int64.mlir" 64)

pytorch=""
if /usr/bin/python3 -c "import torch" 2>/dev/null && [[ -f "$EX/fashion_mnist_int8.pt" ]]; then
  echo "   (and PyTorch's own models, onednn engine, same machine, now)"
  pytorch=$(/usr/bin/python3 -W ignore "$EX/pytorch_reference.py")
fi

echo
printf '%-22s %9s %22s %13s %13s\n' "model" "top-1" "top-1 agreement" "ms/img b=1" "ms/img b=64"
printf '%-22s %8s%% %22s %13s %13s\n' "quant-opt float" "$float_acc" "-" "$float_b1" "$float_b64"
printf '%-22s %8s%% %13s%% PyTorch %13s %13s\n' "quant-opt QAT int8" "$int_acc" "$int_agree" "$int_b1" "$int_b64"
printf '%-22s %8s%% %15s%% float %13s %13s\n' "quant-opt PTQ int8" "$ptq_acc" "$ptq_agree" "$ptq_b1" "$ptq_b64"
if [[ -n "$pytorch" ]]; then
  while read -r _ name _ acc _ b1 _ b64; do
    printf '%-22s %8s%% %22s %13s %13s\n' "PyTorch $name" "$acc" "-" "$b1" "$b64"
  done <<< "$pytorch"
else
  echo "(PyTorch not installed: its figures from training are in examples/fashion-mnist/reference.json)"
fi
echo "(PTQ: percentile calibration on the first 1,000 training images; PyTorch PTQ-int8: FX, onednn, the same images)"
