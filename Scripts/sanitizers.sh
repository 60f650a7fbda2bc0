#!/usr/bin/env bash
# Runs the whole test suite under the thread sanitizer, then under the address sanitizer, one
# after the other, and reports how long each took.
#
# Usage: Scripts/sanitizers.sh [thread|address]…      (default: thread address)
#   SANITIZER_SCRATCH=dir  build directory (default .build-san; each sanitizer rebuilds it)
#   extra `swift test` arguments: SANITIZER_TEST_ARGS="--filter ConcurrencyTests"
#
# A data race, a memory error or a failing test makes the script exit non-zero; the
# sanitizer's report is in .build-san/<sanitizer>.log. Not for: CI on every push (the two
# builds and runs take several minutes on two cores).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SCRATCH=${SANITIZER_SCRATCH:-$ROOT/.build-san}
mkdir -p "$SCRATCH"
SANITIZERS=("$@")
[[ ${#SANITIZERS[@]} -gt 0 ]] || SANITIZERS=(thread address)
read -r -a EXTRA <<< "${SANITIZER_TEST_ARGS:-}"

# Make a sanitizer report fail the run even where it would only warn.
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_stack_use_after_return=1}
# LeakSanitizer stays on, minus two small leaks inside the toolchain's own libraries (not Poisk):
# XCTest's suite-run objects at exit, and the weak-reference side table Foundation's
# Process.run() allocates (the CLI tests launch the poisk binary).
SUPPRESSIONS=$SCRATCH/lsan-suppressions.txt
printf '%s\n' 'leak:libXCTest.so' 'leak:Foundation7ProcessC3run' > "$SUPPRESSIONS"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SUPPRESSIONS:print_suppressions=0}

FAILED=0
for sanitizer in "${SANITIZERS[@]}"; do
    case "$sanitizer" in
        thread | address) ;;
        *) echo "sanitizers: unknown sanitizer '$sanitizer' (thread, address)" >&2; exit 2 ;;
    esac
    LOG=$SCRATCH/$sanitizer.log
    echo "sanitizers: swift test --sanitize=$sanitizer (log $LOG)…" >&2
    START=$(date +%s)
    set +e
    swift test --scratch-path "$SCRATCH" --sanitize="$sanitizer" "${EXTRA[@]}" > "$LOG" 2>&1
    STATUS=$?
    set -e
    ELAPSED=$(($(date +%s) - START))
    if [[ $STATUS -eq 0 ]] && ! grep -qE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer" "$LOG"; then
        echo "sanitizers: $sanitizer: clean ($(grep -E "Test run with .* passed" "$LOG" | tail -n 1 | sed 's/^.*Test run/test run/')) in ${ELAPSED}s"
    else
        echo "sanitizers: $sanitizer: FAILED (exit $STATUS) in ${ELAPSED}s" >&2
        grep -E -A 30 "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer" "$LOG" | head -n 60 >&2 \
            || grep -E "✘|error:" "$LOG" | head -n 40 >&2
        FAILED=1
    fi
done
exit $FAILED
