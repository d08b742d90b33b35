#!/usr/bin/env bash
# The whole suite (lit and GoogleTest) built with AddressSanitizer and
# UndefinedBehaviorSanitizer (QUANT_OPT_SANITIZE=ON) in build-asan/, with
# leak detection. Debian's LLVM/MLIR stay uninstrumented; code the compiler
# generates is checked separately under valgrind
# (test/Tools/quant-translate/valgrind.test, in every run of the suite).
# Takes about 15 minutes on 2 cores from scratch. Extra arguments go to lit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${ASAN_BUILD_DIR:-$ROOT/build-asan}"
LLVM_PREFIX="${LLVM_PREFIX:-/usr/lib/llvm-22}"

"$ROOT/scripts/install-deps.sh"
if [[ ! -f "$BUILD/build.ninja" ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$LLVM_PREFIX/bin/clang" -DCMAKE_CXX_COMPILER="$LLVM_PREFIX/bin/clang++" \
    -DLLVM_USE_LINKER=lld -DQUANT_OPT_SANITIZE=ON "${launcher[@]}"
fi
cmake --build "$BUILD" --target quant-opt-test-depends

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
log="$BUILD/sanitizers.log"
set +e
"$LLVM_PREFIX/bin/lit" -sv "$BUILD/test" "$BUILD/test/Unit" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
count() { sed -n "s/^  $1: *\([0-9]*\).*/\1/p" "$log" | tail -1; }
n() { local v; v=$(count "$1"); echo "${v:-0}"; }
passed=$(( $(n Passed) + $(n "Expectedly Failed") ))
failed=$(( $(n Failed) + $(n "Unexpectedly Passed") + $(n Unresolved) + $(n "Timed Out") ))
skipped=$(( $(n Unsupported) + $(n Skipped) + $(n Excluded) ))
if (( status != 0 && failed == 0 )); then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $(( failed > 0 ))
