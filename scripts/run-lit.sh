#!/usr/bin/env bash
# Runs the lit suites of a build tree (test/ and the GoogleTest units) and
# ends with one line "N passed, N failed, N skipped"; exits non-zero on any
# failure. Used by run-tests.sh and run-sanitizers.sh.
#
#   scripts/run-lit.sh BUILD_DIR [lit arguments...]
set -euo pipefail
BUILD_DIR="$1"
shift
LLVM_PREFIX="${LLVM_PREFIX:-/usr/lib/llvm-22}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
"$LLVM_PREFIX/bin/lit" -sv "$BUILD_DIR/test" "$BUILD_DIR/test/Unit" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# lit's summary lines look like "  Passed: 41 (97.62%)", labels padded
# ("  Passed    : 41") when another category is listed.
count() { sed -n "s/^  $1 *: *\([0-9]*\).*/\1/p" "$log" | tail -1; }
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
