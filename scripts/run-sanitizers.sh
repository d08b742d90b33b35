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

"$ROOT/scripts/install-deps.sh"
BUILD_DIR="$BUILD" QUANT_OPT_CMAKE_ARGS="-DQUANT_OPT_SANITIZE=ON" \
  "$ROOT/scripts/build.sh" quant-opt-test-depends

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
exec "$ROOT/scripts/run-lit.sh" "$BUILD" "$@"
