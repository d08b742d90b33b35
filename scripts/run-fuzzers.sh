#!/usr/bin/env bash
# Long fuzzing runs (the suite's test/Fuzz/fuzzers.test is the short one).
# Builds build-fuzz/ with AddressSanitizer + UndefinedBehaviorSanitizer and
# libFuzzer coverage instrumentation of the whole project, seeds each
# corpus from the test suite's inputs (kept across runs in
# build-fuzz/corpus/), and runs each fuzzer for RUNS executions or
# MAX_TIME seconds, whichever comes first. Crashing inputs land in
# build-fuzz/artifacts/: add each to test/Fuzz/regressions/<target>/ (or
# as a hostile-input test) with its fix.
#
#   scripts/run-fuzzers.sh                 # 1,000,000 runs / 600 s each
#   RUNS=100000 MAX_TIME=60 scripts/run-fuzzers.sh npy onnx-import
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
RUNS="${RUNS:-1000000}"
MAX_TIME="${MAX_TIME:-600}"
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(npy fixed-point onnx-import mlir-pipelines)

"$ROOT/scripts/install-deps.sh"
BUILD_DIR="$BUILD" \
  QUANT_OPT_CMAKE_ARGS="-DQUANT_OPT_SANITIZE=ON -DQUANT_OPT_FUZZ_COVERAGE=ON" \
  "$ROOT/scripts/build.sh" $(printf 'fuzz-%s ' "${TARGETS[@]}")

SEEDS="$BUILD/seeds"
rm -rf "$SEEDS"
python3 "$ROOT/test/Fuzz/make-corpus.py" "$ROOT" "$SEEDS"
mkdir -p "$BUILD/artifacts"
declare -A corpus=([npy]=npy [fixed-point]=fixed-point [onnx-import]=onnx [mlir-pipelines]=mlir)
status=0
for t in "${TARGETS[@]}"; do
  dir="$BUILD/corpus/$t"
  mkdir -p "$dir"
  log="$BUILD/artifacts/$t.log"
  echo "== fuzz-$t: up to $RUNS runs or $MAX_TIME s"
  set +e
  ASAN_OPTIONS=detect_leaks=1 "$BUILD/bin/fuzz-$t" -runs="$RUNS" \
    -max_total_time="$MAX_TIME" -timeout=30 -rss_limit_mb=4096 -max_len=16384 \
    -artifact_prefix="$BUILD/artifacts/$t-" -print_final_stats=1 \
    "$dir" "$SEEDS/${corpus[$t]}" > "$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "   exit $rc, $runs executions, corpus $(ls "$dir" | wc -l) files; log $log"
  if ((rc != 0)); then
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
    status=1
  fi
done
exit $status
