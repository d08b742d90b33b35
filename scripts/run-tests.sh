#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the
# whole suite (lit FileCheck + execution tests + GoogleTest units) through lit.
# Ends with one line "N passed, N failed" (skipped/unsupported counted apart).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/build.sh" quant-opt-test-depends \
  $(grep -q "^QUANT_OPT_DNNL_LIBRARY:FILEPATH=/" "$BUILD_DIR/CMakeCache.txt" 2>/dev/null && echo quant-opt-gemm-bench)

exec "$ROOT/scripts/run-lit.sh" "$BUILD_DIR" "$@"
