#!/usr/bin/env python3
"""Side-by-side benchmark: Poisk (via poisk-bench) vs Tantivy (Python package) vs SQLite FTS5.

Usage:
  Scripts/compare-peers.py CORPUS.jsonl[.gz] QUERIES.tsv [--k 10] [--min-seconds 3]
      [--poisk-bench PATH] [--workdir DIR] [--skip-poisk] [--lang auto|en|ru] [--rounds N] [--json OUT]
  Scripts/compare-peers.py META.jsonl.gz STRUCTURED.tsv --schema meta-schema.json [--plain-corpus PLAIN.jsonl.gz] …
      (typed fields: filters, sorts and facets against Tantivy's fast fields and SQLite FTS5 joined to an
      indexed table; see the typed-fields section below)

What it does, for one corpus (JSON lines with id, title, body) and one query file
(`class<TAB>query` lines in a Lucene-like syntax: `a AND b`, `a OR b`, `"a b"`, `pre*`):
  * indexes the corpus with each engine (documents already loaded in memory; wall time from the
    first document handed to the writer to the end of the commit), single-threaded and with the
    engine's default threads, plus a build without stored text for the size comparison;
  * runs every query: one warm-up pass, then timed passes; a query's latency is its median over
    the timed passes; per class p50/p95/p99/mean over those medians (nearest-rank percentiles);
  * prints one markdown table (stdout), progress on stderr, and everything as JSON with --json;
  * with --rounds N, does all of the above N times (the engines one after another in each round)
    and reports each figure's median over the rounds, so that a machine whose speed drifts
    between minutes affects every engine alike.

What it is not: a relevance evaluation (the top-10 agreement with Tantivy only says how similar
the rankings are), nor a tuning exercise for the peers (defaults, documented below in `NOTES`).
"""
import argparse
import gc
import gzip
import importlib.metadata
import io
import json
import math
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

FIELDS = ["title", "body"]

NOTES = [
    "Ratio columns: Poisk's cost divided by the peer's (index seconds, bytes, microseconds); "
    "0.8× means Poisk needs 0.8 of the peer's time/space (lower is better for Poisk). FTS5 is "
    "single-threaded, so it has no default-threads row.",
    "Index time: documents already parsed in memory (Tantivy Document objects / SQLite row tuples "
    "built before the clock starts); wall time from the first document handed over to the end of "
    "the commit. Tantivy's background merges are waited for after the clock stops (time in JSON).",
    "Default threads: Tantivy num_threads=0 (it picks min(cores, 8)); Poisk without --threads. "
    "Queries, open time and agreement use the single-threaded build of each engine.",
    "Size without stored text: a separate build with title/body not stored (Tantivy: only `id` "
    "stored; FTS5: contentless table content='' plus a rowid->id table).",
    "Tantivy queries: Index.parse_query(q, ['title','body'], conjunction_by_default=True), so bare "
    "words are ANDed like Poisk's default; `pre*` is expanded like Poisk: per field the 64 terms "
    "with the highest document frequency starting with the lowercased prefix, BM25-scored OR. "
    "Queries are built before timing; the timed call is searcher.search(query, k, count=True) "
    "(count=True collects every match, as Poisk's total does).",
    "FTS5 queries: the Lucene-like query is translated to FTS5 syntax (every word quoted, "
    "`pre*` -> \"pre\"*, AND/OR kept, NOT as binary NOT); timed: SELECT rowid ... MATCH ? "
    "ORDER BY rank LIMIT k (bm25, all matches scored). FTS5's porter tokenizer also stems "
    "prefix strings, and unicode61 (Russian) does no stemming at all.",
    "Latency: per query median over the timed passes, then nearest-rank p50/p95/p99 per class; "
    "peers are timed from Python (call overhead ~1-3 us per query is included).",
    "Agreement: mean overlap@k = |A and B| / max(|A|, |B|) of the top-k id sets (1.0 when both "
    "are empty), per class, against Tantivy's top-k. On corpora made by scale-corpus, copies of a "
    "document have identical bag-of-words scores, so agreement there mostly measures tie-breaking: "
    "judge agreement on unscaled corpora.",
]


def log(msg):
    print(f"[compare-peers {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- corpus & queries

def open_text(path):
    raw = open(path, "rb")
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw, mode="rb"), encoding="utf-8")
    return io.TextIOWrapper(raw, encoding="utf-8")


def load_corpus(path):
    docs = []
    with open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                log(f"{path}:{lineno}: skipping invalid JSON ({e})")
                continue
            if not isinstance(obj, dict) or "id" not in obj:
                continue
            title = obj.get("title")
            body = obj.get("body")
            docs.append((str(obj["id"]), title if isinstance(title, str) else "",
                         body if isinstance(body, str) else ""))
    return docs


def query_lines(path):
    """The lines of a query set, without line ends, blank lines and `#` comments."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if line.strip() and not line.startswith("#"):
                yield line


def load_queries(path):
    queries = []
    for line in query_lines(path):
        cls, q = line.split("\t", 1) if "\t" in line else ("query", line)
        if q.strip():
            queries.append((cls.strip(), q.strip()))
    return queries


def detect_lang(docs, sample_docs=300, chars_per_doc=5000):
    step = max(1, len(docs) // sample_docs)
    letters = cyrillic = 0
    for _, _, body in docs[::step]:
        for ch in body[:chars_per_doc]:
            if ch.isalpha():
                letters += 1
                if "\u0400" <= ch <= "\u04ff":
                    cyrillic += 1
    share = cyrillic / letters if letters else 0.0
    return ("ru" if share > 0.30 else "en"), share


# ----------------------------------------------------------------------------- query syntax
# A small parser for the Lucene-like syntax of the query files. Grammar (AND binds tighter):
#   or := and ("OR" and)* ; and := unary (["AND"] unary)* ; unary := ("-" | "NOT" | "+")? primary
#   primary := "(" or ")" | '"' phrase '"' ["~" n] | [field ":"] word ["*"]
# AST nodes: ("term", text) ("prefix", text) ("phrase", text) ("and", [(occur, node)]) ("or", [node])
# where occur is "must" or "not".

class QuerySyntaxError(ValueError):
    pass


def lex(q):
    toks = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c in "()":
            toks.append((c, c))
            i += 1
        elif c == '"':
            j = q.find('"', i + 1)
            if j < 0:
                j = n
            toks.append(("phrase", q[i + 1:j]))
            i = j + 1
            if i < n and q[i] == "*":  # phrase prefix: treat as phrase
                i += 1
            if i < n and q[i] == "~":
                i += 1
                while i < n and q[i].isdigit():
                    i += 1
        elif c in "+-" and (i + 1 < n and not q[i + 1].isspace()):
            toks.append(("sign", c))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in '()"':
                j += 1
            word = q[i:j]
            i = j
            if word in ("AND", "&&"):
                toks.append(("AND", word))
            elif word in ("OR", "||"):
                toks.append(("OR", word))
            elif word == "NOT":
                toks.append(("NOT", word))
            else:
                m = re.match(r"^(title|body):(.+)$", word)  # field prefixes are dropped
                if m:
                    word = m.group(2)
                if word.endswith("*") and len(word.rstrip("*")) > 0:
                    toks.append(("prefix", word.rstrip("*")))
                elif word.strip("*"):
                    toks.append(("term", word.strip("*")))
    return toks


def parse_query_ast(q):
    toks = lex(q)
    pos = 0

    def peek():
        return toks[pos][0] if pos < len(toks) else None

    def parse_or():
        nonlocal pos
        parts = [parse_and()]
        while peek() == "OR":
            pos += 1
            parts.append(parse_and())
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else ("or", parts)

    def parse_and():
        nonlocal pos
        clauses = []
        while True:
            kind = peek()
            if kind is None or kind in (")", "OR"):
                break
            if kind == "AND":
                pos += 1
                continue
            occur = "must"
            if kind == "NOT" or (kind == "sign" and toks[pos][1] == "-"):
                occur = "not"
                pos += 1
            elif kind == "sign":
                pos += 1
            node = parse_primary()
            if node is not None:
                clauses.append((occur, node))
        if not clauses:
            return None
        if len(clauses) == 1 and clauses[0][0] == "must":
            return clauses[0][1]
        return ("and", clauses)

    def parse_primary():
        nonlocal pos
        kind = peek()
        if kind is None:
            return None
        if kind == "(":
            pos += 1
            node = parse_or()
            if peek() == ")":
                pos += 1
            return node
        if kind == ")":
            return None
        tok = toks[pos]
        pos += 1
        if tok[0] in ("term", "prefix", "phrase"):
            return tok if tok[1].strip() else None
        return None

    node = parse_or()
    while pos < len(toks):  # stray ')' etc.: parse the rest as further ANDed clauses
        pos += 1
        rest = parse_or()
        if rest is not None:
            node = rest if node is None else ("and", [("must", node), ("must", rest)])
    return node


def fts5_quote(text):
    return '"' + text.replace('"', '""') + '"'


def to_fts5(node):
    """Translate an AST to an FTS5 MATCH expression (None if nothing can match)."""
    if node is None:
        return None
    kind = node[0]
    if kind == "term":
        return fts5_quote(node[1])
    if kind == "prefix":
        return fts5_quote(node[1]) + "*"
    if kind == "phrase":
        return fts5_quote(node[1]) if node[1].strip() else None
    if kind == "or":
        parts = [p for p in (to_fts5(c) for c in node[1]) if p]
        return " OR ".join(f"({p})" for p in parts) if parts else None
    if kind == "and":
        pos_parts = [p for p in (to_fts5(c) for o, c in node[1] if o == "must") if p]
        neg_parts = [p for p in (to_fts5(c) for o, c in node[1] if o == "not") if p]
        if not pos_parts:
            return None  # pure negation: FTS5 NOT is binary; match nothing
        expr = " AND ".join(f"({p})" for p in pos_parts)
        for n in neg_parts:
            expr = f"({expr}) NOT ({n})"
        return expr
    return None


def has_prefix(node):
    if node is None:
        return False
    if node[0] == "prefix":
        return True
    if node[0] == "or":
        return any(has_prefix(c) for c in node[1])
    if node[0] == "and":
        return any(has_prefix(c) for _, c in node[1])
    return False


# ----------------------------------------------------------------------------- timing & stats

def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def class_stats(classes, medians_us):
    by_class = {}
    for cls, v in zip(classes, medians_us):
        by_class.setdefault(cls, []).append(v)
    out = {}
    for cls, vals in by_class.items():
        vals.sort()
        out[cls] = {"count": len(vals), "p50_us": percentile(vals, 0.50), "p95_us": percentile(vals, 0.95),
                    "p99_us": percentile(vals, 0.99), "mean_us": sum(vals) / len(vals)}
    return out


def timed_passes(run_one, n_queries, min_seconds, min_passes, max_passes, max_seconds, label):
    """Warm-up pass (untimed), then timed passes over all queries until at least `min_passes`
    passes and `min_seconds` of wall time (or `max_passes` passes, or `max_seconds`). Returns
    per-query medians in microseconds and the number of timed passes."""
    for i in range(n_queries):
        run_one(i)
    samples = [[] for _ in range(n_queries)]
    passes = 0
    start = time.perf_counter()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        while True:
            for i in range(n_queries):
                t0 = time.perf_counter_ns()
                run_one(i)
                samples[i].append(time.perf_counter_ns() - t0)
            passes += 1
            elapsed = time.perf_counter() - start
            if passes >= max_passes or elapsed >= max_seconds:
                break
            if passes >= min_passes and elapsed >= min_seconds:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    log(f"{label}: {passes} timed passes over {n_queries} queries in {time.perf_counter() - start:.1f}s")
    return [statistics.median(s) / 1000.0 for s in samples], passes


def overlap(a, b):
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0, 1.0
    inter = len(sa & sb)
    return inter / max(len(sa), len(sb)), inter / len(sa | sb)


def agreement(queries, results, reference):
    """Per class mean overlap@k and Jaccard of `results` vs `reference` (lists aligned with
    queries, each item {"ids": [...], "total": int})."""
    per = {}
    for (cls, _), r, ref in zip(queries, results, reference):
        if r is None or ref is None:
            continue
        ov, jac = overlap(r["ids"], ref["ids"])
        d = per.setdefault(cls, {"n": 0, "overlap": 0.0, "jaccard": 0.0, "same_total": 0})
        d["n"] += 1
        d["overlap"] += ov
        d["jaccard"] += jac
        d["same_total"] += int(r.get("total") == ref.get("total"))
    return {cls: {"count": d["n"], "mean_overlap_at_k": d["overlap"] / d["n"],
                  "mean_jaccard": d["jaccard"] / d["n"], "same_total_share": d["same_total"] / d["n"]}
            for cls, d in per.items()}


def write_results(path, queries, results, medians=None):
    """One JSON line per query, as `poisk-bench query --results` writes them: class, query, total,
    top-k ids and (when given) the query's median latency over the timed passes, `median_us`."""
    with open(path, "w", encoding="utf-8") as f:
        for i, ((cls, q), r) in enumerate(zip(queries, results)):
            line = {"class": cls, "query": q, "total": r["total"], "ids": r["ids"]}
            if medians is not None:
                line["median_us"] = medians[i]
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


def repeated_build(build, runs):
    """Run `build()` `runs` times; return the result of the run with the median `seconds`, with all
    runs' seconds under "runs_seconds"."""
    results = [build() for _ in range(max(1, runs))]
    results.sort(key=lambda r: r.get("seconds") or 0.0)
    chosen = dict(results[(len(results) - 1) // 2])
    chosen["runs_seconds"] = [r.get("seconds") for r in results]
    return chosen


# ----------------------------------------------------------------------------- Tantivy

def tantivy_schema(tantivy, tokenizer, stored):
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=stored, tokenizer_name=tokenizer, index_option="position")
    sb.add_text_field("body", stored=stored, tokenizer_name=tokenizer, index_option="position")
    return sb.build()


def tantivy_build(tantivy, docs, path, tokenizer, stored, threads, heap_bytes, body_bytes):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    schema = tantivy_schema(tantivy, tokenizer, stored)
    index = tantivy.Index(schema, path=path, reuse=False)
    prepared = [tantivy.Document(id=i, title=t, body=b) for i, t, b in docs]
    writer = index.writer(heap_bytes, num_threads=threads)
    gc.collect()
    t0 = time.perf_counter()
    for d in prepared:
        writer.add_document(d)
    writer.commit()
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    writer.wait_merging_threads()
    merge_wait = time.perf_counter() - t1
    del writer, prepared
    index.reload()
    segments = index.searcher().num_segments
    sizes = {}
    for name in os.listdir(path):
        ext = name.rsplit(".", 1)[-1] if "." in name else name
        try:
            sizes[ext] = sizes.get(ext, 0) + os.path.getsize(os.path.join(path, name))
        except OSError:
            pass
    return {"threads": threads, "stored": stored, "seconds": seconds, "merge_wait_seconds": merge_wait,
            "docs_per_sec": len(docs) / seconds, "mb_per_sec": body_bytes / 1e6 / seconds,
            "index_bytes": dir_bytes(path), "store_file_bytes": sizes.get("store", 0),
            "bytes_by_extension": sizes, "segments": segments}


def run_tantivy(docs, queries, lang, args, workdir, body_bytes):
    import tantivy
    tokenizer = "ru_stem" if lang == "ru" else "en_stem"
    heap = args.tantivy_heap_mb * 1_000_000
    res = {"engine": "tantivy", "version": pkg_version("tantivy"), "tokenizer": tokenizer,
           "heap_bytes": heap}
    p1 = os.path.join(workdir, "tantivy-1t")
    pn = os.path.join(workdir, "tantivy-nt")
    p0 = os.path.join(workdir, "tantivy-nostore")
    log(f"tantivy: indexing, 1 thread ({tokenizer})")
    runs = args.index_runs
    res["index_1t"] = repeated_build(
        lambda: tantivy_build(tantivy, docs, p1, tokenizer, True, 1, heap, body_bytes), runs)
    log(f"tantivy: 1 thread {res['index_1t']['seconds']:.2f}s")
    log("tantivy: indexing, default threads (num_threads=0)")
    res["index_default"] = repeated_build(
        lambda: tantivy_build(tantivy, docs, pn, tokenizer, True, 0, heap, body_bytes), runs)
    log(f"tantivy: default threads {res['index_default']['seconds']:.2f}s")
    log("tantivy: indexing without stored title/body, 1 thread")
    res["index_nostore"] = tantivy_build(tantivy, docs, p0, tokenizer, False, 1, heap, body_bytes)
    shutil.rmtree(pn, ignore_errors=True)
    shutil.rmtree(p0, ignore_errors=True)

    # Queries run on the single-threaded build.
    t0 = time.perf_counter()
    index = tantivy.Index.open(p1)
    searcher = index.searcher()
    res["open_ms"] = (time.perf_counter() - t0) * 1000
    schema = index.schema
    occur = {"must": tantivy.Occur.Must, "not": tantivy.Occur.MustNot}

    def build(node):
        if node is None:
            return tantivy.Query.empty_query()
        kind = node[0]
        if kind in ("term", "phrase"):
            text = node[1].replace('"', " ")
            try:
                return index.parse_query(f'"{text}"', FIELDS, conjunction_by_default=True)
            except Exception:  # tantivy raises ValueError subclasses for syntax errors
                return tantivy.Query.empty_query()
        if kind == "prefix":
            subs = []
            prefix = node[1].lower()
            for field in FIELDS:
                for term, _df in searcher.terms_with_prefix(field, prefix, limit=args.max_expansions):
                    subs.append((tantivy.Occur.Should, tantivy.Query.term_query(schema, field, term)))
            return tantivy.Query.boolean_query(subs) if subs else tantivy.Query.empty_query()
        if kind == "or":
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, build(c)) for c in node[1]])
        if kind == "and":
            return tantivy.Query.boolean_query([(occur[o], build(c)) for o, c in node[1]])
        return tantivy.Query.empty_query()

    prepared = []
    native = composed = 0
    t0 = time.perf_counter()
    for _, q in queries:
        ast = parse_query_ast(q)
        query = None
        if not has_prefix(ast):
            try:
                query = index.parse_query(q, FIELDS, conjunction_by_default=True)
                native += 1
            except Exception:
                query = None
        if query is None:
            query = build(ast)
            composed += 1
        prepared.append(query)
    res["query_build_mean_us"] = (time.perf_counter() - t0) / max(1, len(queries)) * 1e6
    res["queries_native_parser"] = native
    res["queries_composed"] = composed
    k = args.k
    count = not args.tantivy_topk_only
    res["count_matches"] = count

    results = [None] * len(queries)
    for i, query in enumerate(prepared):
        r = searcher.search(query, k, count=True)
        ids = [searcher.doc(addr)["id"][0] for _, addr in r.hits]
        results[i] = {"total": r.count, "ids": ids}

    def run_one(i):
        searcher.search(prepared[i], k, count=count)

    medians, passes = timed_passes(run_one, len(queries), args.min_seconds, args.min_passes,
                                   args.max_passes, args.max_query_seconds, "tantivy")
    res["timed_passes"] = passes
    res["classes"] = class_stats([c for c, _ in queries], medians)
    write_results(os.path.join(workdir, "tantivy-results.jsonl"), queries, results, medians)
    return res, results


# ----------------------------------------------------------------------------- SQLite FTS5

def fts5_build(docs, path, tokenize, contentless, body_bytes):
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
    conn = sqlite3.connect(path, isolation_level=None)
    content = ", content=''" if contentless else ""
    conn.execute(f"CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                 f"tokenize='{tokenize}'{content})")
    if contentless:
        conn.execute("CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)")
    rows = [(n + 1, i, t, b) for n, (i, t, b) in enumerate(docs)]
    id_rows = [(n + 1, i) for n, (i, _, _) in enumerate(docs)]
    gc.collect()
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs(rowid, id, title, body) VALUES (?, ?, ?, ?)", rows)
    if contentless:
        conn.executemany("INSERT INTO ids(rowid, id) VALUES (?, ?)", id_rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - t0
    conn.close()
    return {"threads": 1, "stored": not contentless, "seconds": seconds,
            "docs_per_sec": len(docs) / seconds, "mb_per_sec": body_bytes / 1e6 / seconds,
            "index_bytes": os.path.getsize(path)}


def run_fts5(docs, queries, lang, args, workdir, body_bytes, tantivy_results):
    tokenize = "unicode61" if lang == "ru" else "porter unicode61 remove_diacritics 2"
    res = {"engine": "sqlite-fts5", "version": sqlite3.sqlite_version, "tokenize": tokenize}
    path = os.path.join(workdir, "fts5.db")
    path0 = os.path.join(workdir, "fts5-contentless.db")
    log(f"fts5: indexing ({tokenize})")
    res["index_1t"] = repeated_build(lambda: fts5_build(docs, path, tokenize, False, body_bytes), args.index_runs)
    log(f"fts5: {res['index_1t']['seconds']:.2f}s")
    log("fts5: indexing contentless (content='')")
    res["index_nostore"] = fts5_build(docs, path0, tokenize, True, body_bytes)
    os.remove(path0)

    t0 = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=16)
    conn.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", ('"x"',)).fetchone()
    res["open_ms"] = (time.perf_counter() - t0) * 1000
    k = args.k
    exprs = [to_fts5(parse_query_ast(q)) for _, q in queries]
    res["translated_examples"] = {}
    for (cls, q), e in zip(queries, exprs):
        res["translated_examples"].setdefault(cls, {"query": q, "fts5": e})
    sql = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
    ids_by_rowid = [None] + [d[0] for d in docs]
    results = [None] * len(queries)
    errors = 0
    bad = [False] * len(queries)
    for i, e in enumerate(exprs):
        if e is None:
            results[i] = {"total": 0, "ids": []}
            bad[i] = True
            continue
        try:
            rows = conn.execute(sql, (e, k)).fetchall()
            total = conn.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (e,)).fetchone()[0]
            results[i] = {"total": total, "ids": [ids_by_rowid[r[0]] for r in rows]}
        except sqlite3.Error as err:
            errors += 1
            bad[i] = True
            results[i] = {"total": 0, "ids": []}
            if errors <= 5:
                log(f"fts5: query {queries[i][1]!r} -> {e!r} failed: {err}")
    res["query_errors"] = errors

    def run_one(i):
        if bad[i]:
            return
        conn.execute(sql, (exprs[i], k)).fetchall()

    medians, passes = timed_passes(run_one, len(queries), args.min_seconds, args.min_passes,
                                   args.max_passes, args.max_query_seconds, "fts5")
    res["timed_passes"] = passes
    res["classes"] = class_stats([c for c, _ in queries], medians)
    conn.close()
    res["agreement_with_tantivy"] = agreement(queries, results, tantivy_results)
    write_results(os.path.join(workdir, "fts5-results.jsonl"), queries, results, medians)
    if args.fts5_optimize:
        conn = sqlite3.connect(path, isolation_level=None)
        t0 = time.perf_counter()
        conn.execute("INSERT INTO docs(docs) VALUES('optimize')")
        conn.execute("VACUUM")
        res["optimize_vacuum_seconds"] = time.perf_counter() - t0
        conn.close()
        res["optimized_index_bytes"] = os.path.getsize(path)
    os.remove(path)
    return res, results


# ----------------------------------------------------------------------------- Poisk

def last_json_object(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def run_cmd(cmd, label, timeout):
    log(f"{label}: {' '.join(cmd)}")
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"{label}: {e}"
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-5:]
        return None, f"{label}: exit {p.returncode}: {' | '.join(tail)}"
    obj = last_json_object(p.stdout)
    if not isinstance(obj, dict):
        return None, f"{label}: no JSON object in output: {p.stdout.strip()[:300]!r}"
    obj["_wall_seconds"] = wall
    return obj, None


def run_poisk(args, corpus, queries_path, queries, workdir, tantivy_results):
    res = {"engine": "poisk", "binary": args.poisk_bench, "errors": [], "git_commit": None}
    try:
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(args.poisk_bench))))
        p = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                           timeout=10)
        if p.returncode == 0:
            res["git_commit"] = p.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    if not (os.path.isfile(args.poisk_bench) and os.access(args.poisk_bench, os.X_OK)):
        res["errors"].append(f"poisk-bench not found or not executable at {args.poisk_bench}")
        log(res["errors"][-1])
        return res, None
    p1 = os.path.join(workdir, "poisk-1t")
    pn = os.path.join(workdir, "poisk-nt")
    configs = (("index_1t", p1, ["--threads", "1"]), ("index_default", pn, []))
    # The one-thread and default-thread builds alternate, so that the two-threads-against-one
    # ratio compares runs made a few seconds apart, not minutes apart on a machine whose speed
    # drifts.
    runs = {key: [] for key, _, _ in configs}
    failed = {}
    for _ in range(max(1, args.index_runs)):
        for key, path, extra in configs:
            if key in failed:
                continue
            shutil.rmtree(path, ignore_errors=True)
            obj, err = run_cmd([args.poisk_bench, "index", "--corpus", corpus, "--index", path, *extra, "--json"],
                               f"poisk {key}", args.poisk_timeout)
            if err:
                failed[key] = err
                res["errors"].append(err)
                log(err)
                continue
            runs[key].append(obj)
    for key, _, _ in configs:
        if key in failed:
            continue
        obj = repeated_build(lambda it=iter(runs[key]): next(it), len(runs[key]))
        if "index_bytes" in obj and "stored_bytes" in obj:
            obj["index_bytes_without_stored"] = obj["index_bytes"] - obj["stored_bytes"]
        res[key] = obj
        log(f"poisk {key}: {obj.get('seconds')}s")
    shutil.rmtree(pn, ignore_errors=True)
    if "index_1t" not in res:
        return res, None
    results_path = os.path.join(workdir, "poisk-results.jsonl")
    cmd = [args.poisk_bench, "query", "--index", p1, "--queries", queries_path, "--k", str(args.k),
           "--min-seconds", str(args.min_seconds), "--json", "--results", results_path]
    obj, err = run_cmd(cmd, "poisk query", args.poisk_timeout)
    if err:
        res["errors"].append(err)
        log(err)
        return res, None
    res["open_ms"] = obj.get("open_ms")
    res["classes"] = obj.get("classes", {})
    results = None
    try:
        lines = [json.loads(l) for l in open(results_path, encoding="utf-8") if l.strip()]
        by_key = {}
        for r in lines:
            by_key.setdefault((r.get("class"), r.get("query")), r)
        results = []
        for cls, q in queries:
            r = by_key.get((cls, q))
            results.append(None if r is None else {"total": r.get("total"), "ids": [str(x) for x in r.get("ids", [])]})
        missing = sum(r is None for r in results)
        if missing:
            res["errors"].append(f"{missing} queries missing from poisk results file")
        res["agreement_with_tantivy"] = agreement(queries, results, tantivy_results) if tantivy_results else {}
    except (OSError, json.JSONDecodeError) as e:
        res["errors"].append(f"reading {results_path}: {e}")
    return res, results


# ----------------------------------------------------------------------------- machine & report

def pkg_version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def machine_info():
    info = {"nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu_count": os.cpu_count(), "cpu_model": platform.processor() or "unknown",
            "ram_bytes": None, "kernel": platform.release(), "python": platform.python_version(),
            "loadavg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                info["ram_bytes"] = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return info


def fmt_num(v, digits=2):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d

def latency_rows(row, P, T, F, order):
    """Adds the p50 and p99 rows of every query class (in the order the sources in `order` list
    them) to a report; returns the classes."""
    classes = []
    for src in order:
        for c in (src.get("classes") or {}):
            if c not in classes:
                classes.append(c)
    for c in classes:
        for pct in ("p50", "p99"):
            row(f"{c} {pct} (µs)", get(P, "classes", c, f"{pct}_us"), get(T, "classes", c, f"{pct}_us"),
                get(F, "classes", c, f"{pct}_us"))
    return classes



def render_table(report):
    P, T, F = report.get("poisk") or {}, report.get("tantivy") or {}, report.get("fts5") or {}
    nproc = report["machine"]["nproc"]
    rows = []

    def row(label, p, t, f, ratios=True):
        rows.append((label, fmt_num(p), fmt_num(t), fmt_num(f),
                     ratio(p, t) if ratios else "—", ratio(p, f) if ratios else "—"))

    mb = lambda v: None if v is None else v / 1e6
    row("index time, 1 thread (s)", get(P, "index_1t", "seconds"), get(T, "index_1t", "seconds"),
        get(F, "index_1t", "seconds"))
    row(f"index time, default threads (s; {nproc} cores)", get(P, "index_default", "seconds"),
        get(T, "index_default", "seconds"), None)
    row("throughput, 1 thread (MB/s of body)", get(P, "index_1t", "mb_per_sec"),
        get(T, "index_1t", "mb_per_sec"), get(F, "index_1t", "mb_per_sec"), ratios=False)
    row("throughput, default threads (MB/s)", get(P, "index_default", "mb_per_sec"),
        get(T, "index_default", "mb_per_sec"), None, ratios=False)
    row("index size with stored text (MB)", mb(get(P, "index_1t", "index_bytes")),
        mb(get(T, "index_1t", "index_bytes")), mb(get(F, "index_1t", "index_bytes")))
    row("index size without stored text (MB)", mb(get(P, "index_1t", "index_bytes_without_stored")),
        mb(get(T, "index_nostore", "index_bytes")), mb(get(F, "index_nostore", "index_bytes")))
    row("open index (ms)", get(P, "open_ms"), get(T, "open_ms"), get(F, "open_ms"))
    classes = latency_rows(row, P, T, F, order=(T, F, P))
    for c in classes:
        p = get(P, "agreement_with_tantivy", c, "mean_overlap_at_k")
        f = get(F, "agreement_with_tantivy", c, "mean_overlap_at_k")
        rows.append((f"{c} top-{report['k']} overlap with Tantivy", fmt_num(p), "1.00" if T else "—",
                     fmt_num(f), "—", "—"))
    head = ("metric", "Poisk", "Tantivy", "SQLite FTS5", "Poisk/Tantivy", "Poisk/FTS5")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * 5) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def poisk_label(p):
    if not p:
        return "skipped"
    commit = f" (git {p['git_commit']})" if p.get("git_commit") else ""
    return f"{p.get('binary')}{commit}"


def merge_rounds(values):
    """One engine's reports from several rounds as one: each number is its median over the rounds
    (where every round has it); anything else (lists, strings, error lists) comes from the first."""
    first = values[0]
    if isinstance(first, dict):
        return {k: merge_rounds([v[k] if isinstance(v, dict) and k in v else None for v in values])
                for k in first}
    numeric = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if isinstance(first, (int, float)) and not isinstance(first, bool) and len(numeric) == len(values):
        m = statistics.median(numeric)
        return int(m) if isinstance(first, int) and m == int(m) else m
    return first


def render_report(report):
    m = report["machine"]
    c = report["corpus"]
    out = [f"### {os.path.basename(c['path'])} × {os.path.basename(report['queries']['path'])}", "",
           f"Corpus: {c['docs']:,} docs, {c['body_bytes'] / 1e6:.1f} MB of body text, language `{c['lang']}` "
           f"(Cyrillic share of letters {c['cyrillic_share']:.2f}); {report['queries']['count']} queries, k={report['k']}.",
           f"Machine: {m['nproc']} cores, {m['cpu_model']}, "
           f"{(m['ram_bytes'] or 0) / 2**30:.1f} GiB RAM, Linux {m['kernel']}, Python {m['python']}"
           + (f", load average at start {m['loadavg_at_start'][0]:.2f}." if m.get('loadavg_at_start') else "."),
           f"Versions: tantivy (Python package) {get(report, 'tantivy', 'version') or pkg_version('tantivy')}, "
           f"SQLite {sqlite3.sqlite_version}; Poisk: {poisk_label(report.get('poisk'))}.",
           "", render_table(report), ""]
    for e in (report.get("poisk") or {}).get("errors", []):
        out.append(f"- Poisk error: {e}")
    out.append("Notes:")
    out += [f"- {n}" for n in NOTES]
    t = report.get("tantivy") or {}
    f = report.get("fts5") or {}
    extra = []
    if t:
        extra.append(f"Tantivy segments: 1 thread {get(t, 'index_1t', 'segments')}, default threads "
                     f"{get(t, 'index_default', 'segments')}; timed passes {t.get('timed_passes')}")
    if f:
        extra.append(f"FTS5 timed passes {f.get('timed_passes')}, query errors {f.get('query_errors')}")
    if report.get("rounds", 1) > 1:
        extra.append(f"{report['rounds']} rounds, each running Tantivy, FTS5 and Poisk one after another; every "
                     "figure above is its median over the rounds (each round's own figures are in the JSON, "
                     "under per_round)")
        spread = round_spread(report.get("per_round") or [])
        if spread:
            extra.append("Per round (min-max over the rounds, Poisk against Tantivy in the same round): " + spread)
    out += [f"- {e}" for e in extra]
    return "\n".join(out)


def round_spread(per_round):
    """The range over the rounds of the ratios the goals are stated in: one-thread indexing speed
    against Tantivy's, two threads against one, and each class's p99 against Tantivy's (the
    medians in the table can pass while single rounds do not)."""
    def span(values, fmt="{:.2f}"):
        values = [v for v in values if v is not None]
        if not values:
            return None
        return fmt.format(min(values)) + "-" + fmt.format(max(values)) + "x"

    def ratio(a, b):
        return a / b if a and b else None

    parts = []
    one = [ratio(get(r.get("poisk") or {}, "index_1t", "mb_per_sec"), get(r.get("tantivy") or {}, "index_1t", "mb_per_sec"))
           for r in per_round]
    two = [ratio(get(r.get("poisk") or {}, "index_default", "mb_per_sec"), get(r.get("poisk") or {}, "index_1t", "mb_per_sec"))
           for r in per_round]
    if span(one):
        parts.append(f"one-thread MB/s {span(one)} Tantivy's")
    if span(two):
        parts.append(f"two threads {span(two)} one thread")
    classes = list(((per_round[0].get("poisk") or {}).get("classes") or {}).keys()) if per_round else []
    for cls in classes:
        values = [ratio(get(r.get("poisk") or {}, "classes", cls, "p99_us"), get(r.get("tantivy") or {}, "classes", cls, "p99_us"))
                  for r in per_round]
        if span(values):
            parts.append(f"{cls} p99 {span(values)} Tantivy's")
    return "; ".join(parts)


# ----------------------------------------------------------------------------- typed fields
# With --schema FILE.json the corpus carries typed metadata (the -meta corpora: section keyword,
# tags keyword array, date, words integer, rating double, draft boolean) and the query file has
# four columns: class<TAB>query<TAB>sort<TAB>facet. Each engine answers every query with its top k
# (sorted by the field when `sort` is given, else by relevance) and, when `facet` names a field,
# the top 10 values of that field over all matches with their counts, in the same timed call(s):
#   Poisk:   poisk-bench query with the four-column file (filters, sort and facets in one search);
#   Tantivy: fast fields; filters as ConstScoreQuery(0) Must clauses, so they never change
#            scores; searcher.search(order_by_field=...) for sorts; searcher.aggregate with a terms
#            aggregation (size 10) for facets, timed together with the top-k search;
#   SQLite:  FTS5 for the words joined to an indexed table of the metadata (and a tags table),
#            as a GRDB user writes it: one SELECT for the top k (ORDER BY the field, rank, id),
#            and one GROUP BY for a facet, timed together.

TYPED_NOTES = [
    "Typed queries: filters never change scores in any engine (Tantivy: ConstScoreQuery with "
    "score 0 as a Must clause; SQLite: WHERE on the joined table); sorted results break ties by "
    "score, then id (Tantivy: by its own order for ties); facets are the top 10 values by count.",
    "Facet queries time the top-k search and the facet counts together: one search in Poisk, "
    "search + aggregate in Tantivy, two SELECTs in SQLite.",
    "Agreement rows: the share of queries whose top-k ids (in order), total and facet counts equal "
    "Poisk's; the engines analyse text differently (stemmers, tokenizers) and rank ties differently, "
    "so text queries differ; *:* queries (sort_all, facet_all) must agree.",
    "Peers are timed from Python (about 1-3 us of call overhead per call is included; Tantivy's "
    "facet queries make two calls); Poisk in-process by poisk-bench.",
]


def load_typed_corpus(path):
    docs = []
    with open_text(path) as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line))
    return docs


def load_typed_queries(path):
    queries = []
    for line in query_lines(path):
        parts = line.split("\t") + ["", "", ""]
        queries.append(tuple(p.strip() for p in parts[:4]))
    return queries


TYPED_TOKEN = re.compile(r'(-?)([A-Za-z_]+):(\[[^\]]*\]|\{[^}]*\}|\[[^}]*\}|\{[^\]]*\]|"[^"]*"|\S+)|(\*:\*)|(AND)|(\S+)')


def parse_typed_query(q):
    """`word AND field:value AND -field:value AND field:[a TO b] AND *:*` as
    (words, filters, exclusions, match_all); a filter is (field, "eq", value) or
    (field, "range", lower, upper, include_lower, include_upper) with None for `*`."""
    words, filters, exclusions, match_all = [], [], [], False
    for m in TYPED_TOKEN.finditer(q):
        neg, field, value, star, and_, word = m.groups()
        if star:
            match_all = True
        elif and_:
            continue
        elif word:
            words.append(word)
        else:
            if value[0] in "[{":
                lo, hi = value[1:-1].split(" TO ")
                f = (field, "range", None if lo.strip() == "*" else lo.strip(), None if hi.strip() == "*" else hi.strip(),
                     value[0] == "[", value[-1] == "]")
            else:
                f = (field, "eq", value.strip('"'))
            (exclusions if neg else filters).append(f)
    return words, filters, exclusions, match_all


def typed_value(field_type, text):
    if field_type == "integer":
        return int(text)
    if field_type == "double":
        return float(text)
    if field_type == "boolean":
        return text.lower() == "true"
    return text


def run_tantivy_typed(docs, queries, schema_types, lang, args, workdir, body_bytes):
    import datetime
    import tantivy
    tokenizer = "ru_stem" if lang == "ru" else "en_stem"
    res = {"engine": "tantivy", "version": pkg_version("tantivy"), "tokenizer": tokenizer}
    path = os.path.join(workdir, "tantivy-typed")

    def build(with_meta):
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("title", stored=True, tokenizer_name=tokenizer)
        sb.add_text_field("body", stored=True, tokenizer_name=tokenizer)
        if with_meta:
            for name, t in schema_types.items():
                if t == "keyword":
                    sb.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
                elif t == "date":
                    sb.add_date_field(name, stored=True, indexed=True, fast=True)
                elif t == "integer":
                    sb.add_integer_field(name, stored=True, indexed=True, fast=True)
                elif t == "double":
                    sb.add_float_field(name, stored=True, indexed=True, fast=True)
                elif t == "boolean":
                    sb.add_boolean_field(name, stored=True, indexed=True, fast=True)
        schema = sb.build()
        index = tantivy.Index(schema, path=path, reuse=False)
        prepared = []
        for d in docs:
            fields = {"id": d["id"], "title": d.get("title", ""), "body": d.get("body", "")}
            if with_meta:
                for name, t in schema_types.items():
                    v = d.get(name)
                    if v is None or t == "text":
                        continue
                    if t == "date":
                        v = datetime.datetime.fromisoformat(v).replace(tzinfo=datetime.timezone.utc)
                    fields[name] = v
            prepared.append(tantivy.Document(**fields))
        writer = index.writer(args.tantivy_heap_mb * 1_000_000, num_threads=1)
        gc.collect()
        t0 = time.perf_counter()
        for d in prepared:
            writer.add_document(d)
        writer.commit()
        seconds = time.perf_counter() - t0
        writer.wait_merging_threads()
        index.reload()
        return index, {"seconds": seconds, "mb_per_sec": body_bytes / 1e6 / seconds, "index_bytes": dir_bytes(path)}

    log("tantivy: indexing without metadata, 1 thread")
    _, res["index_plain"] = build(False)
    log("tantivy: indexing with metadata (fast fields), 1 thread")
    index, res["index_meta"] = build(True)
    res["meta_growth_bytes"] = res["index_meta"]["index_bytes"] - res["index_plain"]["index_bytes"]
    searcher = index.searcher()
    schema = index.schema
    ftypes = {"date": tantivy.FieldType.Date, "integer": tantivy.FieldType.Integer,
              "double": tantivy.FieldType.Float, "boolean": tantivy.FieldType.Boolean}

    def day(text, end=False):
        d = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)
        return d + datetime.timedelta(days=1) - datetime.timedelta(microseconds=1) if end and len(text) == 10 else d

    def filter_query(f):
        field, t = f[0], schema_types.get(f[0], "keyword")
        if f[1] == "eq":
            if t == "date":
                q = tantivy.Query.range_query(schema, field, ftypes["date"], day(f[2]), day(f[2], True))
            else:
                q = tantivy.Query.term_query(schema, field, typed_value(t, f[2]))
        else:
            lo, hi, il, iu = f[2], f[3], f[4], f[5]
            if t == "date":
                lo = None if lo is None else day(lo, end=not il)
                hi = None if hi is None else day(hi, end=iu)
                il = True if lo is None else il
                iu = True if hi is None else iu
            else:
                lo = None if lo is None else typed_value(t, lo)
                hi = None if hi is None else typed_value(t, hi)
            q = tantivy.Query.range_query(schema, field, ftypes[t], lo, hi, il if lo is not None else True,
                                          iu if hi is not None else True)
        return tantivy.Query.const_score_query(q, 0.0)

    prepared = []
    for cls, q, sort, facet in queries:
        words, filters, exclusions, match_all = parse_typed_query(q)
        clauses = []
        if words:
            clauses.append((tantivy.Occur.Must, index.parse_query(" AND ".join(words), FIELDS, conjunction_by_default=True)))
        if match_all or not words:
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        clauses += [(tantivy.Occur.Must, filter_query(f)) for f in filters]
        clauses += [(tantivy.Occur.MustNot, filter_query(f)) for f in exclusions]
        query = tantivy.Query.boolean_query(clauses)
        order = None
        if sort:
            field, direction = sort.split(":")
            order = (field, tantivy.Order.Desc if direction == "desc" else tantivy.Order.Asc)
        agg = {"f": {"terms": {"field": facet, "size": 10}}} if facet else None
        prepared.append((query, order, agg, facet))
    k = args.k

    def run(i):
        query, order, agg, _ = prepared[i]
        if order:
            r = searcher.search(query, k, count=True, order_by_field=order[0], order=order[1])
        else:
            r = searcher.search(query, k, count=True)
        a = searcher.aggregate(query, agg) if agg else None
        return r, a

    results = []
    for i in range(len(queries)):
        r, a = run(i)
        entry = {"total": r.count, "ids": [searcher.doc(addr)["id"][0] for _, addr in r.hits]}
        if a:
            buckets = a["f"]["buckets"]
            entry["facets"] = {prepared[i][3]: [[b["key"], b["doc_count"]] for b in buckets]}
        results.append(entry)
    medians, passes = timed_passes(lambda i: run(i), len(queries), args.min_seconds, args.min_passes,
                                   args.max_passes, args.max_query_seconds, "tantivy typed")
    res["timed_passes"] = passes
    res["classes"] = class_stats([q[0] for q in queries], medians)
    write_results(os.path.join(workdir, "tantivy-typed-results.jsonl"), [(c, q) for c, q, _, _ in queries], results, medians)
    shutil.rmtree(path, ignore_errors=True)
    return res, results


def run_sqlite_typed(docs, queries, schema_types, lang, args, workdir, body_bytes):
    tokenize = "unicode61" if lang == "ru" else "porter unicode61 remove_diacritics 2"
    res = {"engine": "sqlite-fts5", "version": sqlite3.sqlite_version, "tokenize": tokenize}
    path = os.path.join(workdir, "fts5-typed.db")

    def build(with_meta):
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(path + suffix)
            except FileNotFoundError:
                pass
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='{tokenize}')")
        scalar = [n for n, t in schema_types.items() if t in ("keyword", "date", "integer", "double", "boolean") and n != "tags"]
        if with_meta:
            cols = ", ".join(f"{n} {'INTEGER' if schema_types[n] in ('integer', 'boolean') else 'REAL' if schema_types[n] == 'double' else 'TEXT'}" for n in scalar)
            conn.execute(f"CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, {cols})")
            conn.execute("CREATE TABLE tags(rowid INTEGER NOT NULL, tag TEXT NOT NULL)")
        rows = [(n + 1, d["id"], d.get("title", ""), d.get("body", "")) for n, d in enumerate(docs)]
        meta = [(n + 1, d["id"], *[(int(d[c]) if schema_types[c] == "boolean" else d.get(c)) for c in scalar]) for n, d in enumerate(docs)]
        tags = [(n + 1, t) for n, d in enumerate(docs) for t in (d.get("tags") or [])]
        gc.collect()
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO docs(rowid, id, title, body) VALUES (?, ?, ?, ?)", rows)
        if with_meta:
            conn.executemany(f"INSERT INTO meta VALUES ({', '.join('?' * (2 + len(scalar)))})", meta)
            conn.executemany("INSERT INTO tags VALUES (?, ?)", tags)
            for c in scalar:
                conn.execute(f"CREATE INDEX meta_{c} ON meta({c})")
            conn.execute("CREATE INDEX tags_tag ON tags(tag, rowid)")
        conn.execute("COMMIT")
        seconds = time.perf_counter() - t0
        conn.close()
        return {"seconds": seconds, "mb_per_sec": body_bytes / 1e6 / seconds, "index_bytes": os.path.getsize(path)}

    log("fts5: indexing without metadata")
    res["index_plain"] = build(False)
    log("fts5: indexing with metadata tables")
    res["index_meta"] = build(True)
    res["meta_growth_bytes"] = res["index_meta"]["index_bytes"] - res["index_plain"]["index_bytes"]
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=64)
    ids = [None] + [d["id"] for d in docs]

    def condition(f, negate):
        field, t = f[0], schema_types.get(f[0], "keyword")
        if field == "tags":
            sql = "meta.rowid IN (SELECT rowid FROM tags WHERE tag = ?)"
            params = [f[2]]
        elif f[1] == "eq":
            value = f[2]
            if t == "boolean":
                value = int(value.lower() == "true")
            elif t in ("integer", "double"):
                value = typed_value(t, value)
            sql, params = f"meta.{field} = ?", [value]
        else:
            parts, params = [], []
            if f[2] is not None:
                parts.append(f"meta.{field} {'>=' if f[4] else '>'} ?")
                params.append(typed_value(t, f[2]) if t in ("integer", "double") else f[2])
            if f[3] is not None:
                parts.append(f"meta.{field} {'<=' if f[5] else '<'} ?")
                params.append(typed_value(t, f[3]) if t in ("integer", "double") else f[3])
            sql = " AND ".join(parts) or "1"
        return (f"NOT ({sql})" if negate else sql), params

    prepared = []
    for cls, q, sort, facet in queries:
        words, filters, exclusions, match_all = parse_typed_query(q)
        where, params = [], []
        source = "meta"
        if words:
            source = "docs JOIN meta ON meta.rowid = docs.rowid"
            where.append("docs MATCH ?")
            params.append(to_fts5(parse_query_ast(" AND ".join(words))))
        for f in filters:
            c, p = condition(f, False)
            where.append(c)
            params += p
        for f in exclusions:
            c, p = condition(f, True)
            where.append(c)
            params += p
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        order = []
        if sort:
            field, direction = sort.split(":")
            order.append(f"meta.{field} {'DESC' if direction == 'desc' else 'ASC'}")
        if words:
            order.append("rank")
        order.append("meta.id")
        top = f"SELECT meta.rowid FROM {source}{clause} ORDER BY {', '.join(order)} LIMIT {args.k}"
        facet_sql = None
        if facet:
            if facet == "tags":
                facet_sql = (f"SELECT tags.tag, count(*) AS n FROM {source} JOIN tags ON tags.rowid = meta.rowid{clause} "
                             "GROUP BY tags.tag ORDER BY n DESC, tags.tag LIMIT 10")
            else:
                facet_sql = (f"SELECT meta.{facet}, count(*) AS n FROM {source}{clause} GROUP BY meta.{facet} "
                             f"ORDER BY n DESC, meta.{facet} LIMIT 10")
        count_sql = f"SELECT count(*) FROM {source}{clause}"
        prepared.append((top, facet_sql, count_sql, params, facet))

    def run(i):
        top, facet_sql, _, params, _ = prepared[i]
        rows = conn.execute(top, params).fetchall()
        counts = conn.execute(facet_sql, params).fetchall() if facet_sql else None
        return rows, counts

    results = []
    for i in range(len(queries)):
        rows, counts = run(i)
        entry = {"total": conn.execute(prepared[i][2], prepared[i][3]).fetchone()[0], "ids": [ids[r[0]] for r in rows]}
        if counts is not None:
            entry["facets"] = {prepared[i][4]: [[v, n] for v, n in counts]}
        results.append(entry)
    medians, passes = timed_passes(run, len(queries), args.min_seconds, args.min_passes, args.max_passes,
                                   args.max_query_seconds, "fts5 typed")
    res["timed_passes"] = passes
    res["classes"] = class_stats([q[0] for q in queries], medians)
    res["sql_examples"] = {}
    for (cls, _, _, _), p in zip(queries, prepared):
        res["sql_examples"].setdefault(cls, {"top": p[0], "facet": p[1]})
    conn.close()
    os.remove(path)
    write_results(os.path.join(workdir, "fts5-typed-results.jsonl"), [(c, q) for c, q, _, _ in queries], results, medians)
    return res, results


def run_poisk_typed(args, corpus, schema_path, queries_path, queries, workdir):
    res = {"engine": "poisk", "binary": args.poisk_bench, "errors": []}
    plain = os.path.join(workdir, "poisk-plain")
    meta = os.path.join(workdir, "poisk-meta")
    runs = {"index_plain": [], "index_meta": []}
    for _ in range(max(1, args.index_runs)):
        for key, path, extra in (("index_plain", plain, []), ("index_meta", meta, ["--schema", schema_path])):
            shutil.rmtree(path, ignore_errors=True)
            source = args.plain_corpus if key == "index_plain" and args.plain_corpus else corpus
            obj, err = run_cmd([args.poisk_bench, "index", "--corpus", source, "--index", path, "--threads", "1",
                                *extra, "--json"], f"poisk {key}", args.poisk_timeout)
            if err:
                res["errors"].append(err)
                return res, None
            runs[key].append(obj)
    for key in runs:
        res[key] = repeated_build(lambda it=iter(runs[key]): next(it), len(runs[key]))
    res["meta_growth_bytes"] = res["index_meta"]["index_bytes"] - res["index_plain"]["index_bytes"]
    shutil.rmtree(plain, ignore_errors=True)
    results_path = os.path.join(workdir, "poisk-typed-results.jsonl")
    obj, err = run_cmd([args.poisk_bench, "query", "--index", meta, "--queries", queries_path, "--k", str(args.k),
                        "--min-seconds", str(args.min_seconds), "--json", "--results", results_path],
                       "poisk typed query", args.poisk_timeout)
    if err:
        res["errors"].append(err)
        return res, None
    res["classes"] = obj.get("classes", {})
    lines = [json.loads(l) for l in open(results_path, encoding="utf-8") if l.strip()]
    by_key = {(r.get("class"), r.get("query")): r for r in lines}
    results = []
    for cls, q, _, _ in queries:
        r = by_key.get((cls, q))
        results.append(None if r is None else {"total": r.get("total"), "ids": [str(x) for x in r.get("ids", [])],
                                               "facets": r.get("facets")})
    return res, results


def typed_agreement(queries, results, reference):
    per = {}
    for (cls, _, _, facet), r, ref in zip(queries, results, reference):
        if r is None or ref is None:
            continue
        d = per.setdefault(cls, {"n": 0, "same_ids": 0, "same_total": 0, "same_facets": 0})
        d["n"] += 1
        d["same_ids"] += int(r["ids"] == ref["ids"])
        d["same_total"] += int(r.get("total") == ref.get("total"))
        if facet:
            d["same_facets"] += int((r.get("facets") or {}).get(facet) == (ref.get("facets") or {}).get(facet))
    facet_classes = {cls for cls, _, _, facet in queries if facet}
    return {c: {k: (None if k == "same_facets" and c not in facet_classes else (v / d["n"] if k != "n" else v))
                for k, v in d.items()} for c, d in per.items()}


def main_structured(args):
    cleanup = args.workdir is None
    workdir = args.workdir or tempfile.mkdtemp(prefix="poisk-compare-typed-")
    os.makedirs(workdir, exist_ok=True)
    try:
        corpus_path = os.path.abspath(args.corpus)
        queries_path = os.path.abspath(args.queries)
        schema_path = os.path.abspath(args.schema)
        schema_types = json.load(open(schema_path, encoding="utf-8"))
        log(f"loading {corpus_path}")
        docs = load_typed_corpus(corpus_path)
        queries = load_typed_queries(queries_path)
        body_bytes = sum(len(d.get("body", "").encode("utf-8")) for d in docs)
        lang, share = detect_lang([(d["id"], d.get("title", ""), d.get("body", "")) for d in docs])
        if args.lang != "auto":
            lang = args.lang
        report = {"corpus": {"path": corpus_path, "docs": len(docs), "body_bytes": body_bytes, "lang": lang},
                  "queries": {"path": queries_path, "count": len(queries)}, "schema": schema_types, "k": args.k,
                  "machine": machine_info(), "notes": TYPED_NOTES, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        rounds = max(1, args.rounds)
        per_round = []
        for r in range(rounds):
            if rounds > 1:
                log(f"typed round {r + 1} of {rounds}")
            engines = {}
            engines["tantivy"], t_results = run_tantivy_typed(docs, queries, schema_types, lang, args, workdir, body_bytes)
            if not args.skip_fts5:
                engines["fts5"], f_results = run_sqlite_typed(docs, queries, schema_types, lang, args, workdir, body_bytes)
            else:
                engines["fts5"], f_results = None, None
            gc.collect()
            if not args.skip_poisk:
                engines["poisk"], p_results = run_poisk_typed(args, corpus_path, schema_path, queries_path, queries, workdir)
                if p_results:
                    engines["poisk"]["agreement_with_tantivy"] = typed_agreement(queries, p_results, t_results)
                    if f_results:
                        engines["poisk"]["agreement_with_fts5"] = typed_agreement(queries, p_results, f_results)
            else:
                engines["poisk"] = None
            per_round.append(engines)
        for engine in per_round[0]:
            report[engine] = merge_rounds([e[engine] for e in per_round]) if per_round[0][engine] is not None else None
        report["rounds"] = rounds
        if rounds > 1:
            report["per_round"] = per_round
        del docs
        text = render_typed(report)
        print(text)
        report["markdown"] = text
        if args.json_out:
            with open(args.json_out, "w", encoding="utf-8") as f:
                json.dump(report, f, ensure_ascii=False, indent=2)
        return 0
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)


def render_typed(report):
    P, T, F = report.get("poisk") or {}, report.get("tantivy") or {}, report.get("fts5") or {}
    rows = []

    def row(label, p, t, f):
        rows.append((label, fmt_num(p), fmt_num(t), fmt_num(f), ratio(p, t), ratio(p, f)))

    mb = lambda v: None if v is None else v / 1e6
    row("index time without metadata, 1 thread (s)", get(P, "index_plain", "seconds"), get(T, "index_plain", "seconds"),
        get(F, "index_plain", "seconds"))
    row("index time with metadata, 1 thread (s)", get(P, "index_meta", "seconds"), get(T, "index_meta", "seconds"),
        get(F, "index_meta", "seconds"))
    row("index growth for the metadata (MB)", mb(P.get("meta_growth_bytes")), mb(T.get("meta_growth_bytes")),
        mb(F.get("meta_growth_bytes")))
    classes = latency_rows(row, P, T, F, order=(P, T, F))
    for c in classes:
        def share(src, key):
            return fmt_num(get(P, src, c, key))
        rows.append((f"{c}: share of queries with the same ids / total / facets", "—",
                     f"{share('agreement_with_tantivy', 'same_ids')} / {share('agreement_with_tantivy', 'same_total')} / "
                     f"{share('agreement_with_tantivy', 'same_facets')}",
                     f"{share('agreement_with_fts5', 'same_ids')} / {share('agreement_with_fts5', 'same_total')} / "
                     f"{share('agreement_with_fts5', 'same_facets')}", "—", "—"))
    head = ("metric", "Poisk", "Tantivy", "SQLite FTS5 + table", "Poisk/Tantivy", "Poisk/SQLite")
    lines = [f"### {os.path.basename(report['corpus']['path'])} × {os.path.basename(report['queries']['path'])} (typed)", "",
             f"{report['corpus']['docs']:,} docs, {report['queries']['count']} queries, k={report['k']}; "
             f"tantivy {get(T, 'version')}, SQLite {sqlite3.sqlite_version}; {report.get('rounds', 1)} round(s), "
             "each figure the median over the rounds (engines one after another in each round).", "",
             "| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * 5) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    for e in P.get("errors", []):
        lines.append(f"- Poisk error: {e}")
    lines += [f"- {n}" for n in TYPED_NOTES]
    return "\n".join(lines)


def main(argv):
    ap = argparse.ArgumentParser(description="Poisk vs Tantivy vs SQLite FTS5 on one corpus and query set.")
    ap.add_argument("corpus", help="CORPUS.jsonl or .jsonl.gz (objects with id, title, body)")
    ap.add_argument("queries", help="QUERIES.tsv (class<TAB>query)")
    ap.add_argument("--k", type=int, default=10, help="top-k per query (default 10)")
    ap.add_argument("--min-seconds", type=float, default=3.0,
                    help="minimum timed wall time per engine's query phase (default 3; also passed to poisk-bench)")
    ap.add_argument("--min-passes", type=int, default=3, help="minimum timed passes over all queries (default 3)")
    ap.add_argument("--max-passes", type=int, default=50, help="maximum timed passes (default 50)")
    ap.add_argument("--max-query-seconds", type=float, default=40.0,
                    help="stop timed passes after this many seconds per engine, even below --min-passes (default 40)")
    ap.add_argument("--poisk-bench", default=None,
                    help="poisk-bench binary (default: .build/release/poisk-bench next to this script's package)")
    ap.add_argument("--poisk-timeout", type=float, default=1800, help="timeout per poisk-bench call, seconds")
    ap.add_argument("--workdir", default=None, help="where indexes go (default: a temp dir, removed at the end)")
    ap.add_argument("--skip-poisk", action="store_true", help="run only Tantivy and FTS5")
    ap.add_argument("--skip-fts5", action="store_true", help="do not run SQLite FTS5")
    ap.add_argument("--lang", choices=["auto", "en", "ru"], default="auto",
                    help="peer analyzers: en_stem/porter or ru_stem/unicode61 (default: auto, >30%% Cyrillic => ru)")
    ap.add_argument("--index-runs", type=int, default=5,
                    help="build each stored index this many times and report the median time (default 5; "
                         "Poisk's one-thread and default-thread builds alternate)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run all engines this many times, one after another per round, and report each figure's "
                         "median over the rounds (default 1): on a shared machine whose speed drifts from minute "
                         "to minute, every round measures the engines under the same conditions")
    ap.add_argument("--tantivy-heap-mb", type=int, default=512, help="Tantivy writer heap, total MB (default 512)")
    ap.add_argument("--max-expansions", type=int, default=64,
                    help="prefix expansions per field for Tantivy (default 64, like Poisk)")
    ap.add_argument("--tantivy-topk-only", action="store_true",
                    help="time Tantivy with count=False (top-k only, lets it skip non-competitive docs)")
    ap.add_argument("--fts5-optimize", action="store_true",
                    help="after querying, run FTS5 'optimize' + VACUUM and record time and size (JSON only)")
    ap.add_argument("--json", dest="json_out", default=None, help="write the full report as JSON here")
    ap.add_argument("--schema", default=None,
                    help="typed mode: the corpus has typed metadata declared by this JSON schema (field -> type), and "
                         "QUERIES.tsv has four columns class<TAB>query<TAB>sort<TAB>facet (see the typed-fields section)")
    ap.add_argument("--plain-corpus", default=None,
                    help="typed mode: the same corpus without metadata, for the indexing-cost baseline of Poisk "
                         "(default: the typed corpus indexed without --schema)")
    args = ap.parse_args(argv)

    if args.poisk_bench is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        args.poisk_bench = os.path.join(root, ".build", "release", "poisk-bench")
    if args.schema:
        return main_structured(args)
    cleanup = args.workdir is None
    workdir = args.workdir or tempfile.mkdtemp(prefix="poisk-compare-")
    os.makedirs(workdir, exist_ok=True)
    corpus_path = os.path.abspath(args.corpus)
    queries_path = os.path.abspath(args.queries)

    try:
        log(f"loading {corpus_path}")
        t0 = time.perf_counter()
        docs = load_corpus(corpus_path)
        load_seconds = time.perf_counter() - t0
        queries = load_queries(queries_path)
        body_bytes = sum(len(b.encode("utf-8")) for _, _, b in docs)
        lang, share = detect_lang(docs)
        if args.lang != "auto":
            lang = args.lang
        log(f"{len(docs)} docs, {body_bytes / 1e6:.1f} MB body, lang={lang} (cyrillic {share:.2f}), "
            f"{len(queries)} queries, workdir {workdir}")
        if not docs or not queries:
            log("empty corpus or query file")
            return 2
        report = {"corpus": {"path": corpus_path, "docs": len(docs), "body_bytes": body_bytes,
                             "load_seconds": load_seconds, "lang": lang, "cyrillic_share": share},
                  "queries": {"path": queries_path, "count": len(queries),
                              "classes": sorted({c for c, _ in queries})},
                  "k": args.k, "min_seconds": args.min_seconds, "machine": machine_info(),
                  "notes": NOTES, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

        rounds = max(1, args.rounds)
        per_round = []
        for r in range(rounds):
            if rounds > 1:
                log(f"round {r + 1} of {rounds}")
            engines = {}
            engines["tantivy"], tantivy_results = run_tantivy(docs, queries, lang, args, workdir, body_bytes)
            if not args.skip_fts5:
                engines["fts5"], _ = run_fts5(docs, queries, lang, args, workdir, body_bytes, tantivy_results)
            if not args.skip_poisk:
                if r == rounds - 1:
                    del docs
                gc.collect()
                engines["poisk"], _ = run_poisk(args, corpus_path, queries_path, queries, workdir, tantivy_results)
            else:
                engines["poisk"] = None
            per_round.append(engines)
        for engine in per_round[0]:
            report[engine] = merge_rounds([e[engine] for e in per_round])
        report["rounds"] = rounds
        if rounds > 1:
            report["per_round"] = per_round

        text = render_report(report)
        print(text)
        report["markdown"] = text
        if args.json_out:
            with open(args.json_out, "w", encoding="utf-8") as f:
                json.dump(report, f, ensure_ascii=False, indent=2)
            log(f"wrote {args.json_out}")
        return 0
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
