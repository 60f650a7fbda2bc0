#!/usr/bin/env python3
"""Checks Poisk's answers to the structured query sets against a brute-force evaluation over the
full -meta corpora: totals, ids in order (sorted queries: by the field, missing last, then score,
then id; a keyword list by its smallest value ascending, its largest descending; unsorted: by
score), scores, and facet counts (top 10, ties by value).

Usage: Scripts/check-typed-results.py META.jsonl.gz STRUCTURED.tsv SCHEMA.json
           [--poisk-bench .build/release/poisk-bench] [--workdir DIR]

How: builds an index with `poisk-bench index --schema`, runs the structured queries with
`poisk-bench query --results` (top 10, facets), and runs each query's text part alone (its words,
or *:*) with k large enough for every match, whose ids and scores the brute force filters, sorts
and counts using the metadata read from the JSON Lines file. Exit status 0 when every query
agrees, 1 otherwise (the first differences are printed). The test TypedSearchTests does the same
on a committed sample; this script is for the full corpora.
"""
import argparse
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
from datetime import date


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return p.stdout


def clauses(text):
    out = []
    for part in text.split(" AND "):
        if part == "*:*":
            out.append(("all",))
            continue
        neg = part.startswith("-")
        if neg:
            part = part[1:]
        if ":" not in part:
            out.append(("word", part))
            continue
        field, value = part.split(":", 1)
        if value[0] in "[{":
            lo, hi = value[1:-1].split(" TO ")
            out.append(("range", field, None if lo == "*" else lo, None if hi == "*" else hi, value[0] == "[", value[-1] == "]"))
        else:
            out.append(("eq", field, value.strip('"'), neg))
    return out


def passes(doc, cs):
    for c in cs:
        if c[0] in ("word", "all"):
            continue
        if c[0] == "eq":
            _, field, value, neg = c
            v = doc.get(field)
            if isinstance(v, list):
                has = value in v
            elif isinstance(v, bool):
                has = str(v).lower() == value
            else:
                has = v is not None and str(v) == value
            if has == neg:
                return False
        else:
            _, field, lo, hi, inc_lo, inc_hi = c
            v = doc.get(field)
            if v is None:
                return False
            if isinstance(v, str):  # dates: whole days, compared as ISO text
                lo2, hi2 = lo, hi
            else:
                v, lo2, hi2 = float(v), (None if lo is None else float(lo)), (None if hi is None else float(hi))
            if lo2 is not None and (v < lo2 or (v == lo2 and not inc_lo)):
                return False
            if hi2 is not None and (v > hi2 or (v == hi2 and not inc_hi)):
                return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("schema")
    ap.add_argument("--poisk-bench", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                          ".build", "release", "poisk-bench"))
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()
    work = args.workdir or tempfile.mkdtemp(prefix="poisk-typed-check-")
    os.makedirs(work, exist_ok=True)
    with open(args.schema, encoding="utf-8") as f:
        schema_types = {k: (v if isinstance(v, str) else v.get("type", "text")) for k, v in json.load(f).items()}
    docs = {}
    with gzip.open(args.corpus, "rt", encoding="utf-8") if args.corpus.endswith(".gz") else open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                docs[str(d["id"])] = d
    queries = []
    with open(args.queries, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                parts = (line.split("\t") + ["", "", ""])[:4]
                queries.append(parts)
    index = os.path.join(work, "index")
    run([args.poisk_bench, "index", "--corpus", args.corpus, "--index", index, "--schema", args.schema, "--json"])
    results = os.path.join(work, "results.jsonl")
    run([args.poisk_bench, "query", "--index", index, "--queries", args.queries, "--min-seconds", "0", "--results", results])
    # Each query's text part alone, every match.
    text_file = os.path.join(work, "text.tsv")
    with open(text_file, "w", encoding="utf-8") as f:
        for i, (_, q, _, _) in enumerate(queries):
            words = [c[1] for c in clauses(q) if c[0] == "word"]
            f.write(f"q{i}\t{' AND '.join(words) if words else '*:*'}\n")
    text_results = os.path.join(work, "text.jsonl")
    run([args.poisk_bench, "query", "--index", index, "--queries", text_file, "--k", str(len(docs) + 1),
         "--min-seconds", "0", "--results", text_results])
    got = [json.loads(l) for l in open(results, encoding="utf-8")]
    base = [json.loads(l) for l in open(text_results, encoding="utf-8")]
    failures = 0
    for (cls, q, sort, facet), g, b in zip(queries, got, base):
        cs = clauses(q)
        matches = [(i, s) for i, s in zip(b["ids"], b["scores"]) if passes(docs[i], cs)]
        if sort:
            field, direction = sort.split(":")
            desc = direction == "desc"
            keyword = schema_types.get(field) == "keyword"

            def value(m):
                v = docs[m[0]].get(field)
                if v is None or v == []:
                    return None
                if keyword:
                    # Keywords by their UTF-8 bytes; a list sorts by its smallest value
                    # ascending, its largest descending.
                    vs = [x.encode() for x in (v if isinstance(v, list) else [v])]
                    return max(vs) if desc else min(vs)
                if isinstance(v, str):
                    return date.fromisoformat(v).toordinal()
                return float(v)

            def compare(a, b):
                va, vb = value(a), value(b)
                if (va is None) != (vb is None):
                    return 1 if va is None else -1  # missing last, either direction
                if va is not None and va != vb:
                    c = -1 if va < vb else 1
                    return -c if desc else c
                if a[1] != b[1]:
                    return -1 if a[1] > b[1] else 1
                ia, ib = a[0].encode(), b[0].encode()
                return (ia > ib) - (ia < ib)
            matches.sort(key=functools.cmp_to_key(compare))
        want_ids = [m[0] for m in matches[:10]]
        problems = []
        if g["total"] != len(matches):
            problems.append(f"total {g['total']} != {len(matches)}")
        if g["ids"] != want_ids:
            problems.append(f"ids {g['ids']} != {want_ids}")
        if not sort and g["scores"] != [m[1] for m in matches[:10]]:
            problems.append("scores differ")
        if facet:
            counts = {}
            for i, _ in matches:
                v = docs[i].get(facet)
                for x in (v if isinstance(v, list) else [v]) if v is not None else []:
                    x = str(x).lower() if isinstance(x, bool) else str(x)
                    counts[x] = counts.get(x, 0) + 1
            want = [[k, n] for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:10]]
            if (g.get("facets") or {}).get(facet) != want:
                problems.append(f"facets {(g.get('facets') or {}).get(facet)} != {want}")
        if problems:
            failures += 1
            if failures <= 10:
                print(f"{cls}\t{q}\t{sort}\t{facet}: " + "; ".join(problems))
    print(f"{len(queries)} queries checked against brute force, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
