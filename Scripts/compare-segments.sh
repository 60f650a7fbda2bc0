#!/usr/bin/env bash
# Prints the SHA-256 of every segment (.seg), delete (.del) and commit (.pkc) file that a given
# `poisk` binary writes for a fixed input, so that two builds can be compared byte for byte:
#
#     Scripts/compare-segments.sh /tmp/poisk-before > before.txt
#     Scripts/compare-segments.sh .build/release/poisk > after.txt
#     Scripts/compare-segments.sh --compare before.txt after.txt   # exit 0: identical bytes
#
# The input: the five seed articles and 4,000 generated documents (English, Russian, Ukrainian
# and Chinese words drawn from a skewed vocabulary by a fixed linear congruential generator, so
# the corpus is the same on every machine and Python version).
#
# One thread: index with a 1 MiB memory budget (many flushes, so many segments and an automatic
# merge), then a second batch that replaces 500 documents (delete files), a `poisk delete`
# (another delete generation) and a `poisk merge` down to one segment; every file is hashed
# after each step. These must be identical line for line.
#
# Two threads: a worker that runs out of documents takes over the tail of the other's piece
# (IndexWriter's FlushWork) depending on timing, so which documents form which segment differs
# from run to run, with any build. Three two-thread builds (8 MiB budget, no automatic merge)
# print each segment as `hash name docs=N`. A chunk's name fixes where its documents start and its
# document count where they end, so `--compare` requires the same bytes for each (name, docs)
# pair that shows one hash in every run of both outputs, and reports how many it confirmed (a
# piece taken over may start at different documents from run to run: such pairs are skipped
# unless the outputs share a hash for them).
set -euo pipefail

if [ "${1:-}" = "--compare" ] && [ $# -eq 3 ]; then
  exec python3 - "$2" "$3" <<'EOF'
import sys
def parse(path):
    exact, keyed = [], {}
    for line in open(path):
        line = line.rstrip("\n")
        parts = line.split()
        if len(parts) == 3 and parts[2].startswith("docs="):
            keyed.setdefault((parts[1], parts[2]), set()).add(parts[0])
        elif not line.startswith("== two threads"):
            exact.append(line)
    return exact, keyed
a_exact, a_keyed = parse(sys.argv[1])
b_exact, b_keyed = parse(sys.argv[2])
ok = True
if a_exact != b_exact:
    ok = False
    print("one-thread files differ:")
    for x, y in zip(a_exact, b_exact):
        if x != y:
            print("  -", x)
            print("  +", y)
    if len(a_exact) != len(b_exact):
        print("  (%d lines against %d)" % (len(a_exact), len(b_exact)))
else:
    print("one-thread: %d lines identical" % len(a_exact))
# A (name, docs) pair usually names one range of documents; a piece taken over (a spare name)
# may start at different documents in different runs, and then shows several hashes. A pair is
# confirmed when the outputs share a hash for it; it differs when each output shows one hash
# every time (a stable range) and they are not the same.
common = sorted(set(a_keyed) & set(b_keyed))
confirmed = [k for k in common if a_keyed[k] & b_keyed[k]]
bad = [k for k in common if not (a_keyed[k] & b_keyed[k]) and len(a_keyed[k]) == 1 and len(b_keyed[k]) == 1]
for k in bad:
    ok = False
    print("two-thread segment %s %s differs: %s against %s" % (k[0], k[1], sorted(a_keyed[k]), sorted(b_keyed[k])))
print("two-thread: %d segments (name, document count) in both outputs: %d with the same bytes, %d different, %d skipped (ranges that vary between runs)"
      % (len(common), len(confirmed), len(bad), len(common) - len(confirmed) - len(bad)))
if not confirmed:
    ok = False
    print("two-thread: nothing confirmed (run again)")
sys.exit(0 if ok else 1)
EOF
fi
if [ $# -ne 1 ]; then
  echo "usage: $0 POISK_BINARY | $0 --compare BEFORE.txt AFTER.txt" >&2
  exit 2
fi
poisk=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'EOF'
import json, os, sys
work = sys.argv[1]
state = 20261206
def rand(n):
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state >> 33) % n
words = ("search index engine segment posting query phrase ranking score token stemmer field "
         "document commit merge delete reader writer block skip dictionary prefix fuzzy "
         "поиск индекс ранжирование документ запрос слово ракета погода новости страна "
         "пошук документи слова країна україна їжак ґанок "
         "中可能 可能存 存在 请注意 注意 开发 工具 文件 内核 代码").split()
def word():
    # Skewed: low indices far more often (a few words in most documents, most words rarely).
    w = words[min(rand(len(words)), rand(len(words)))]
    r = rand(100)
    if r < 20:
        w = w + str(rand(2000))  # rare terms
    elif r < 25:
        w = w.capitalize()
    return w
def text(n):
    out = []
    for _ in range(n):
        out.append(word())
        if rand(12) == 0:
            out.append(".")
    return " ".join(out)
def doc(i, version):
    return {"id": "g%d" % i, "title": text(2 + rand(6)), "body": text(5 + rand(300) + (rand(8) == 0) * 1500),
            "tag": "v%d" % version}
with open(os.path.join(work, "batch1.jsonl"), "w") as f:
    for i in range(4000):
        f.write(json.dumps(doc(i, 1), ensure_ascii=False) + "\n")
with open(os.path.join(work, "batch2.jsonl"), "w") as f:
    for i in range(0, 4000, 8):
        f.write(json.dumps(doc(i, 2), ensure_ascii=False) + "\n")
EOF

hashes() {
  (cd "$1" && for f in $(ls | grep -E '\.(seg|del|pkc)$' | sort); do
    printf '%s  %s\n' "$(sha256sum "$f" | cut -c1-64)" "$f"
  done)
}

index="$work/index-1"
echo "== one thread: seeds and 4,000 generated documents (1 MiB budget)"
"$poisk" index --index "$index" --threads 1 --memory-mb 1 "$root/seeds" "$work/batch1.jsonl" >/dev/null
hashes "$index"
echo "== one thread: 500 replaced"
"$poisk" index --index "$index" --threads 1 --memory-mb 1 "$work/batch2.jsonl" >/dev/null
hashes "$index"
echo "== one thread: 3 deleted"
"$poisk" delete --index "$index" g1 g17 001_3beda4c96ad14779.txt >/dev/null
hashes "$index"
echo "== one thread: merged into one segment"
"$poisk" merge --index "$index" --max-segments 1 >/dev/null
hashes "$index"

# Two threads: each segment of the commit as `hash name docs=N` (names and counts from the
# commit file's JSON: magic, version, length, JSON).
for run in 1 2 3; do
  index="$work/index-2-$run"
  echo "== two threads, run $run (8 MiB budget)"
  "$poisk" index --index "$index" --threads 2 --memory-mb 8 "$root/seeds" "$work/batch1.jsonl" >/dev/null
  python3 - "$index" <<'EOF'
import hashlib, json, os, struct, sys
index = sys.argv[1]
commit = sorted(f for f in os.listdir(index) if f.endswith(".pkc"))[-1]
raw = open(os.path.join(index, commit), "rb").read()
length = struct.unpack_from("<I", raw, 12)[0]
for s in json.loads(raw[16:16 + length])["segments"]:
    data = open(os.path.join(index, s["name"] + ".seg"), "rb").read()
    print(hashlib.sha256(data).hexdigest(), s["name"], "docs=%d" % s["docCount"])
EOF
done
