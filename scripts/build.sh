#!/usr/bin/env bash
# Configures and builds quant-opt in ./build (or $BUILD_DIR): Ninja, clang-22,
# lld, ccache, linked against Debian's libMLIR.so. Re-running only rebuilds
# what changed. Extra arguments are passed to `ninja` (targets);
# QUANT_OPT_CMAKE_ARGS adds CMake options when the tree is first configured.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
LLVM_PREFIX="${LLVM_PREFIX:-/usr/lib/llvm-22}"

if [[ ! -f "$BUILD_DIR/CMakeCache.txt" || ! -f "$BUILD_DIR/build.ninja" ]]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
    -DCMAKE_C_COMPILER="$LLVM_PREFIX/bin/clang" \
    -DCMAKE_CXX_COMPILER="$LLVM_PREFIX/bin/clang++" \
    -DLLVM_USE_LINKER=lld \
    -DQUANT_OPT_LLVM_PREFIX="$LLVM_PREFIX" \
    "${launcher[@]}" ${QUANT_OPT_CMAKE_ARGS:-}
fi
cmake --build "$BUILD_DIR" --target "${@:-all}"
