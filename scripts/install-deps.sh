#!/usr/bin/env bash
# Installs every Debian package quant-opt needs to build and test. Idempotent:
# packages already present are not downloaded again, and `apt-get update` runs
# only when a package is missing.
#
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --demo     also PyTorch/ONNX Python (comparisons)
set -euo pipefail

PKGS=(
  # toolchain
  cmake ninja-build ccache git
  # LLVM / MLIR 22 (never built from source)
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22
  # clang's sanitizer and libFuzzer runtimes (fuzz/, scripts/run-sanitizers.sh)
  libclang-rt-22-dev
  # the OpenMP runtime that code compiled for several threads calls
  libomp-22-dev
  # libraries
  libgtest-dev libonnx-dev libprotobuf-dev protobuf-compiler libdnnl-dev zlib1g-dev
  # running aarch64 objects under emulation (test/Tools/quant-translate)
  qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
  # checking generated code for invalid accesses and leaks
  valgrind
  # data
  dataset-fashion-mnist
  # lit runs on the system interpreter
  python3
)
if [[ "${1:-}" == "--demo" ]]; then
  PKGS+=(python3-torch python3-onnx python3-numpy)
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all ${#PKGS[@]} packages present"
fi
