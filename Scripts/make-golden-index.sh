#!/usr/bin/env bash
# Regenerates the golden index fixture Tests/Fixtures/golden-v<N>/, N = the current
# `segmentFormatVersion` (Sources/Poisk/Format/SegmentFile.swift), by indexing seeds/ with
# `poisk index`, and (format 5 and later) Tests/Fixtures/golden-typed-v<N>/ by indexing
# Tests/Fixtures/typed/golden-typed.jsonl with the schema Tests/Fixtures/typed/meta-schema.json
# (typed fields: terms and columns). GoldenIndexTests opens every golden-v* directory and
# TypedSearchTests every golden-typed-v* one, so indexes written by older format versions stay
# covered: never regenerate an old version's directory, add a new one.
#
# Usage: Scripts/make-golden-index.sh [--force]
#   --force                 replace an existing golden-v<N> directory
#   POISK_BIN=path/to/poisk use this binary (default: build and use .build/debug/poisk)
#
# Not for: benchmark corpora or anything but the five seed articles.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VERSION=$(sed -n 's/^package let segmentFormatVersion = \([0-9][0-9]*\).*/\1/p' Sources/Poisk/Format/SegmentFile.swift)
[[ -n "$VERSION" ]] || { echo "make-golden-index: cannot find segmentFormatVersion" >&2; exit 2; }
DEST=Tests/Fixtures/golden-v$VERSION

if [[ -e "$DEST" && "${1:-}" != "--force" ]]; then
    echo "make-golden-index: $DEST exists; pass --force to replace it (only while format version $VERSION is unreleased)" >&2
    exit 1
fi

if [[ -z "${POISK_BIN:-}" ]]; then
    swift build --product poisk >&2
    POISK_BIN=$ROOT/.build/debug/poisk
fi

rm -rf "$DEST"
# Relative paths: document ids are the file names under seeds/.
"$POISK_BIN" index --index "$DEST" --threads 1 seeds
rm -f "$DEST/write.lock"
"$POISK_BIN" check --index "$DEST"
rm -f "$DEST/write.lock"
ls -l "$DEST"
echo "make-golden-index: wrote $DEST (format version $VERSION)"

if (( VERSION >= 5 )); then
    TYPED=Tests/Fixtures/golden-typed-v$VERSION
    rm -rf "$TYPED"
    "$POISK_BIN" index --index "$TYPED" --threads 1 --schema Tests/Fixtures/typed/meta-schema.json \
        Tests/Fixtures/typed/golden-typed.jsonl
    rm -f "$TYPED/write.lock"
    "$POISK_BIN" check --index "$TYPED"
    rm -f "$TYPED/write.lock"
    ls -l "$TYPED"
    echo "make-golden-index: wrote $TYPED (format version $VERSION)"
fi
