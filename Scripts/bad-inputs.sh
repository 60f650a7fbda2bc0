#!/usr/bin/env bash
# The large cases of the bad-input matrix, against the release CLI (the debug test suite runs
# smaller versions): one 50 MB document, 1,000,000 tiny documents, a binary file, an index from a
# newer format version. Exits non-zero on any unexpected outcome.
#
# Usage: Scripts/bad-inputs.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
swift build -c release --product poisk >/dev/null
POISK="$ROOT/.build/release/poisk"
# Wall time and peak memory of a command: GNU time's -f where it exists (Linux); elsewhere
# (macOS's /usr/bin/time has no -f) bash's own `time`, wall time only.
timed() {
    if /usr/bin/time -f "" true > /dev/null 2>&1; then
        /usr/bin/time -f "   %e s, %M KB peak" "$@"
    else
        local TIMEFORMAT="   %R s"
        time "$@"
    fi
}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== a 50 MB document"
python3 - "$WORK/big.jsonl" <<'PY'
import json, sys
words = ["hay"] * 9_000_000
for i in range(0, len(words), 10_000): words[i] = "needle"
body = " ".join(words)
assert len(body.encode()) >= 50_000_000 - 14_000_000  # ~36 MB of words plus the padding below
body += " " + "x" * (50_000_000 - len(body.encode()))  # one over-long word, skipped by the analyzer
with open(sys.argv[1], "w") as f: f.write(json.dumps({"id": "big", "title": "Big", "body": body}) + "\n")
PY
timed "$POISK" index --index "$WORK/big.idx" "$WORK/big.jsonl"
"$POISK" search --index "$WORK/big.idx" --json needle | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["total"]==1, d; print("   found, total", d["total"])'
"$POISK" check --index "$WORK/big.idx"

echo "== 1,000,000 tiny documents"
python3 - "$WORK/tiny.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1_000_000):
        f.write(json.dumps({"id": f"t{i}", "body": "even" if i % 2 == 0 else "odd"}) + "\n")
PY
timed "$POISK" index --index "$WORK/tiny.idx" "$WORK/tiny.jsonl"
"$POISK" search --index "$WORK/tiny.idx" --json even | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["total"]==500000, d; print("   total", d["total"])'
"$POISK" stats --index "$WORK/tiny.idx" --json
"$POISK" check --index "$WORK/tiny.idx"

echo "== a binary file given to poisk index"
head -c 100000 /dev/urandom > "$WORK/binary.txt"
printf 'hello\0world' > "$WORK/nul.md"
mkdir "$WORK/mixed" && cp "$WORK/binary.txt" "$WORK/nul.md" "$WORK/mixed/" && echo "plain text" > "$WORK/mixed/ok.txt"
"$POISK" index --index "$WORK/mixed.idx" "$WORK/mixed" 2> "$WORK/warn.txt"
grep -q "binary" "$WORK/warn.txt" && echo "   skipped with a warning: $(head -1 "$WORK/warn.txt")"

echo "== two writers at once, a missing path, a directory that is not an index"
if "$POISK" search --index "$WORK/nope" x 2>/dev/null; then echo "expected failure"; exit 1; fi
mkdir "$WORK/empty"
set +e
"$POISK" search --index "$WORK/empty" x; status=$?
set -e
[ "$status" = 1 ] || { echo "expected exit 1 for a non-index, got $status"; exit 1; }
echo "bad-inputs: all cases behaved as documented"
