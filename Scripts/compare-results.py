#!/usr/bin/env python3
"""Compares two `poisk-bench query --results` files: per query, the total, the hits' ids and
their scores must be identical (scores as printed: shortest exact forms, so equal text means
bit-identical doubles). Latencies are ignored.

    Scripts/compare-results.py before.jsonl after.jsonl

Prints how many queries agree and, for each that does not, what differs (for scores, the largest
relative difference); exits 1 on any difference.
"""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    a, b = load(sys.argv[1]), load(sys.argv[2])
    if len(a) != len(b):
        print("%d queries against %d" % (len(a), len(b)))
        return 1
    bad = 0
    largest = 0.0
    for x, y in zip(a, b):
        problems = []
        if x["query"] != y["query"]:
            problems.append("different query")
        if x["total"] != y["total"]:
            problems.append("total %d against %d" % (x["total"], y["total"]))
        if x["ids"] != y["ids"]:
            problems.append("ids differ")
        xs, ys = x.get("scores"), y.get("scores")
        if xs is not None and ys is not None and xs != ys:
            rel = max((abs(p - q) / max(abs(p), 1e-300) for p, q in zip(xs, ys)), default=0.0)
            largest = max(largest, rel)
            problems.append("scores differ (largest relative difference %.3g)" % rel)
        if problems:
            bad += 1
            print("%s %r: %s" % (x["class"], x["query"], "; ".join(problems)))
    print("%d of %d queries identical (total, ids%s)" % (len(a) - bad, len(a), ", scores" if a and "scores" in a[0] else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
