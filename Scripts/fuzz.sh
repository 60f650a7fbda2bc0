#!/usr/bin/env bash
# Builds one libFuzzer target (Fuzz/<TARGET>) with the fuzzer and address sanitizers and runs it
# for SECONDS, starting from the committed seed corpus Tests/FuzzCorpus/<TARGET>/.
#
# Usage: Scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags…]
#   TARGET: FuzzSegment | FuzzQuery | FuzzAnalyzer | FuzzGzip
#   FUZZ_WORK=dir       working corpus and crash artifacts (default /tmp/poisk-fuzz); the
#                       working corpus grows across runs and is never written into the repository
#   FUZZ_CONFIG=release build optimized (faster, but without the debug-only bounds checks of
#                       unsafe buffer pointers); default debug
#
# Prints libFuzzer's final statistics (executions, coverage) and exits non-zero when libFuzzer
# found a crash, a trap, a timeout (-timeout=10), an out-of-memory (-rss_limit_mb=2048) or a
# leak; the input that did it is saved as $FUZZ_WORK/<TARGET>-artifacts/crash-… and is replayed with
#   .build-fuzz/debug/<TARGET> FILE          (or, without sanitizers: swift run <TARGET> FILE)
#
# Linux only (libFuzzer ships with the swift.org Linux toolchains). Not for: CI (it runs for as
# long as it is told); the seed corpora are replayed by any ordinary build of the targets.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [[ $# -lt 2 ]]; then
    echo "usage: Scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]" >&2
    exit 2
fi
TARGET=$1
SECONDS_TO_RUN=$2
shift 2
case "$TARGET" in
    FuzzSegment | FuzzQuery | FuzzAnalyzer | FuzzGzip) ;;
    *) echo "fuzz: unknown target '$TARGET' (FuzzSegment, FuzzQuery, FuzzAnalyzer, FuzzGzip)" >&2; exit 2 ;;
esac
[[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number" >&2; exit 2; }

CONFIG=${FUZZ_CONFIG:-debug}
WORK=${FUZZ_WORK:-/tmp/poisk-fuzz}
SEEDS=$ROOT/Tests/FuzzCorpus/$TARGET
CORPUS=$WORK/$TARGET-corpus
ARTIFACTS=$WORK/$TARGET-artifacts
LOG=$WORK/$TARGET.log
mkdir -p "$CORPUS" "$ARTIFACTS"

# SwiftPM links executables with `--defsym main=<module>_main`, so libFuzzer's own main is not
# used: the target's main.swift calls LLVMFuzzerRunDriver, found with dlsym, which needs the
# symbol exported. lld keeps the link quiet (gold warns about every ASan helper symbol).
LINKER=()
if command -v ld.lld > /dev/null 2>&1 || [[ -x "$(dirname "$(command -v swift)")/ld.lld" ]]; then
    LINKER=(-Xswiftc -use-ld=lld)
fi
echo "fuzz: building $TARGET ($CONFIG, -sanitize=fuzzer,address)…" >&2
BUILD_LOG=$WORK/$TARGET-build.log
if ! swift build --scratch-path "$ROOT/.build-fuzz" -c "$CONFIG" \
    -Xswiftc -sanitize=fuzzer,address "${LINKER[@]}" \
    -Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver \
    --product "$TARGET" > "$BUILD_LOG" 2>&1; then
    grep -v "Cannot export local symbol" "$BUILD_LOG" >&2
    echo "fuzz: build failed" >&2
    exit 1
fi
BIN=$ROOT/.build-fuzz/$CONFIG/$TARGET

echo "fuzz: running $TARGET for ${SECONDS_TO_RUN}s (corpus $CORPUS, seeds $SEEDS, log $LOG)…" >&2
set +e
"$BIN" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$ARTIFACTS/" "$@" "$CORPUS" "$SEEDS" > "$LOG" 2>&1
STATUS=$?
set -e

echo "---- $TARGET: final libFuzzer stats ----"
grep -E '^#[0-9]+' "$LOG" | tail -n 1 || true
grep -E '^stat::' "$LOG" || true
echo "corpus: $(find "$CORPUS" -type f | wc -l) files in $CORPUS"
if [[ $STATUS -ne 0 ]] || grep -qE 'ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY: ' "$LOG"; then
    echo "fuzz: $TARGET FAILED (exit $STATUS); the report:" >&2
    grep -E 'ERROR:|Fatal error|SUMMARY:|Test unit written|deadly signal|Base64:' "$LOG" >&2 || tail -n 40 "$LOG" >&2
    ls -l "$ARTIFACTS" >&2
    exit 1
fi
echo "fuzz: $TARGET: no crash"
