#!/usr/bin/env python3
"""Draws the typed-field test fixture from the -meta corpora: a deterministic sample of documents
(bodies cut short) and the structured queries, for TypedSearchTests (brute-force comparison).

Usage: Scripts/make-typed-fixture.py [CORPORA_DIR]   (default ../shared/corpora)
Writes Tests/Fixtures/typed/meta-sample.jsonl.gz, Tests/Fixtures/typed/structured.tsv and
Tests/Fixtures/typed/golden-typed.jsonl (24 documents, bodies cut to 300 characters: what
Scripts/make-golden-index.sh indexes with the schema for the typed golden index).
Not for: benchmarks (they use the full corpora; see Scripts/check-typed-results.py).
"""
import gzip, hashlib, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpora = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpora")
out_dir = os.path.join(ROOT, "Tests", "Fixtures", "typed")
os.makedirs(out_dir, exist_ok=True)

def h(s):
    return int(hashlib.sha256(s.encode()).hexdigest()[:8], 16)

docs = []
for name, keep in (("kernel-docs-en-meta.jsonl.gz", 300), ("docs-ru-meta.jsonl.gz", 150)):
    with gzip.open(os.path.join(corpora, name), "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    rows.sort(key=lambda d: h(d["id"]))
    for d in sorted(rows[:keep], key=lambda d: d["id"]):
        d["body"] = d["body"][:1200]
        docs.append(d)

with gzip.GzipFile(os.path.join(out_dir, "meta-sample.jsonl.gz"), "wb", mtime=0) as f:
    for d in docs:
        f.write((json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n").encode())

with open(os.path.join(out_dir, "golden-typed.jsonl"), "w", encoding="utf-8") as f:
    for d in docs[::19][:24]:
        d = dict(d, body=d["body"][:300])
        f.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")

lines = []
for name in ("structured-en.tsv", "structured-ru.tsv"):
    with open(os.path.join(corpora, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                lines.append(line)
# Every fourth query of each class, so every class is covered.
seen = {}
picked = []
for line in lines:
    cls = line.split("\t")[0]
    seen[cls] = seen.get(cls, 0) + 1
    if seen[cls] % 4 == 1:
        picked.append(line)
with open(os.path.join(out_dir, "structured.tsv"), "w", encoding="utf-8") as f:
    f.write("\n".join(picked) + "\n")
print(f"{len(docs)} documents, {len(picked)} queries")
