#!/usr/bin/env bash
# Regenerates docs/generated/ from the TableGen definitions (-gen-dialect-doc,
# -gen-pass-doc). test/docs-up-to-date.test fails when they are stale.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/build.sh" quant-opt-doc
mkdir -p "$ROOT/docs/generated"
cp "$BUILD_DIR/docs/Dialects/QuantSimDialect.md" "$ROOT/docs/generated/QuantSimDialect.md"
cp "$BUILD_DIR/docs/QuantOptConversionPasses.md" "$ROOT/docs/generated/ConversionPasses.md"
cp "$BUILD_DIR/docs/QuantOptTransformsPasses.md" "$ROOT/docs/generated/TransformsPasses.md"
cp "$BUILD_DIR/docs/QuantOptCodegenPasses.md" "$ROOT/docs/generated/CodegenPasses.md"
echo "docs/generated updated"
