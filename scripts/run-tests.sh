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

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
/usr/lib/llvm-22/bin/lit -sv "$BUILD_DIR/test" "$BUILD_DIR/test/Unit" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# lit's summary lines look like "  Passed: 41 (97.62%)" (counts are padded).
count() { sed -n "s/^  $1: *\([0-9]*\).*/\1/p" "$log" | tail -1; }
n() { local v; v=$(count "$1"); echo "${v:-0}"; }
passed=$(( $(n Passed) + $(n "Expectedly Failed") ))
failed=$(( $(n Failed) + $(n "Unexpectedly Passed") + $(n Unresolved) + $(n "Timed Out") ))
skipped=$(( $(n Unsupported) + $(n Skipped) + $(n Excluded) ))
if (( status != 0 && failed == 0 )); then failed=1; fi
if (( passed == 0 && failed == 0 )); then
  echo "no test ran" >&2
  failed=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $(( failed > 0 ))
