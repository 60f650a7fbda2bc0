// poisk-bench query: per-class query latency (top-k with exact totals) and index open time.
//
// Timed: the public `IndexReader.search` of a parsed query: preparing it against the index
// (analysis, term lookups), collecting the top k with the exact total (as Tantivy's
// `search(q, 10, count=True)` is timed) and loading the hits as `--hits` says: `ids` (ids and
// scores, `SearchOptions.idsOnly`; the default), `stored` (also the stored `title`), `snippets`
// (also a highlighted snippet of `body`; the title is not highlighted), or `count` (only
// `IndexReader.count`). Not timed: parsing the query string. `--check-snippets` compares every
// hit's snippets found from the index with those of a full analysis of the text.
//
// Query files: `class<TAB>query` lines, or the structured sets' `class<TAB>query<TAB>sort<TAB>facet`
// (sort empty or `field:asc|desc`; facet empty or a field whose top 10 values are counted in the
// same timed search). `--results` lines carry the ids in result order, and for a facet query
// `"facets": {"section": [["admin-guide", 354], …]}` (top 10, ties by value).

import Foundation
import Poisk

enum QueryBench {
    static let allowedOptions: Set<String> = [
        "index", "queries", "k", "min-seconds", "json", "results", "pruned", "hits", "check-snippets",
    ]

    /// What each timed search loads.
    enum Hits: String, CaseIterable {
        case count, ids, stored, snippets

        /// The search options of this mode, for the top `k`.
        func options(k: Int, pruned: Bool) -> SearchOptions {
            var options: SearchOptions
            switch self {
            case .count, .ids:
                options = .idsOnly
            case .stored:
                options = SearchOptions(storedFields: ["title"], snippetFields: [])
            case .snippets:
                options = SearchOptions(storedFields: ["title"], snippetFields: ["body"])
            }
            options.limit = k
            options.exactTotal = !pruned
            return options
        }
    }

    struct ClassStats {
        var count: Int
        var p50: Double
        var p95: Double
        var p99: Double
        var mean: Double
    }

    static func run(_ options: [String: String]) throws {
        guard let index = options["index"], let queriesPath = options["queries"] else {
            throw BenchCLI.BenchError(message: "query needs --index DIR and --queries FILE.tsv")
        }
        let k = Int(options["k"] ?? "10") ?? 10
        let minSeconds = Double(options["min-seconds"] ?? "2") ?? 2
        guard let hitsMode = Hits(rawValue: options["hits"] ?? "ids") else {
            throw BenchCLI.BenchError(message: "--hits must be count, ids, stored or snippets\n\(BenchCLI.usage)")
        }
        let text = try String(contentsOfFile: queriesPath, encoding: .utf8)
        var queries: [(cls: String, text: String)] = []
        var shapes: [Shape] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 || parts.count == 4, !parts[1].isEmpty else {
                throw BenchCLI.BenchError(message: "bad query line (class<TAB>query[<TAB>sort<TAB>facet]): \(line)")
            }
            queries.append((parts[0], parts[1]))
            var shape = Shape()
            if parts.count == 4 {
                do {
                    if !parts[2].isEmpty { shape.sort = [try SortField(parsing: parts[2])] }
                    if !parts[3].isEmpty { shape.facets = [.values(parts[3], limit: 10)] }
                } catch {
                    throw BenchCLI.BenchError(message: "bad sort or facet in: \(line): \(error)")
                }
            }
            shapes.append(shape)
        }
        let (openMs, reader) = try measureOpen(index)
        let pruned = options["pruned"] != nil
        if options["check-snippets"] != nil {
            try checkSnippets(reader: reader, queries: queries, k: k)
        }
        let result = try measure(
            reader: reader, queries: queries, k: k, minSeconds: minSeconds, pruned: pruned, hits: hitsMode, shapes: shapes)
        if let path = options["results"] {
            var out = ""
            for (i, q) in queries.enumerated() {
                let ids = result.hits[i].map(\.id)
                let sorted = result.latencies[i].sorted()
                let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
                out +=
                    BenchCLI.json(
                        [
                            ("class", q.cls), ("query", q.text), ("total", result.totals[i]), ("median_us", median),
                            (
                                "ids",
                                BenchCLI.RawJSON(
                                    text: "["
                                        + ids.map { BenchCLI.json([("", $0)]).dropFirst(4).dropLast() }.joined(
                                            separator: ",") + "]")
                            ),
                            // Shortest round-trip forms: equal text means bit-identical scores.
                            (
                                "scores",
                                BenchCLI.RawJSON(text: "[" + result.hits[i].map { "\($0.score)" }.joined(separator: ",") + "]")
                            ),
                        ] + facetsJSON(result.facets[i])) + "\n"
            }
            try out.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let stats = summarize(queries: queries, latencies: result.latencies)
        if options["json"] != nil {
            let classes = stats.map { cls, s in
                "\"\(cls)\":"
                    + BenchCLI.json([
                        ("count", s.count), ("p50_us", s.p50), ("p95_us", s.p95), ("p99_us", s.p99),
                        ("mean_us", s.mean),
                    ])
            }.joined(separator: ",")
            print(
                BenchCLI.json([
                    ("open_ms", openMs), ("passes", result.passes), ("pruned", pruned ? 1 : 0),
                    ("hits", hitsMode.rawValue),
                    ("classes", BenchCLI.RawJSON(text: "{" + classes + "}")),
                ]))
        } else {
            print(
                String(
                    format: "open: %.2f ms; %d timed passes; %@; hits: %@", openMs, result.passes,
                    pruned ? "pruned (Block-Max WAND, total is a lower bound)" : "exhaustive (exact totals)",
                    hitsMode.rawValue))
            var scoredByClass: [String: (Int, Int)] = [:]
            for (i, q) in queries.enumerated() {
                let e = scoredByClass[q.cls] ?? (0, 0)
                scoredByClass[q.cls] = (e.0 + result.scored[i], e.1 + result.totals[i])
            }
            print("class        count    p50 µs    p95 µs    p99 µs   mean µs   docs scored")
            for (cls, s) in stats {
                print(
                    cls.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(
                            format: " %5d %9.1f %9.1f %9.1f %9.1f   %d", s.count, s.p50, s.p95, s.p99, s.mean,
                            scoredByClass[cls]?.0 ?? 0))
            }
        }
    }

    /// Opens the index several times; returns the median open time and a reader.
    static func measureOpen(_ path: String) throws -> (Double, IndexReader) {
        var times: [Double] = []
        var reader = try IndexReader.open(at: path)
        for _ in 0..<7 {
            let start = BenchCLI.now()
            reader = try IndexReader.open(at: path)
            times.append((BenchCLI.now() - start) * 1000)
        }
        times.sort()
        return (times[times.count / 2], reader)
    }

    /// A query's sort and facets (the structured sets' third and fourth columns).
    struct Shape {
        var sort: [SortField] = []
        var facets: [FacetRequest] = []

        func applied(to options: SearchOptions) -> SearchOptions {
            var o = options
            o.sort = sort
            o.facets = facets
            return o
        }
    }

    struct Measured {
        var latencies: [[Double]]  // per query, per pass (µs)
        var totals: [Int]
        var hits: [[(id: String, score: Double)]]
        var facets: [[FacetResult]]
        var passes: Int
        var scored: [Int]
    }

    /// `"facets": {"field": [["value", count], …]}`, or nothing.
    static func facetsJSON(_ facets: [FacetResult]) -> [(String, Any)] {
        guard !facets.isEmpty else { return [] }
        func quoted(_ text: String) -> String { String(BenchCLI.json([("", text)]).dropFirst(4).dropLast()) }
        var fields: [String] = []
        for facet in facets {
            var pairs: [String] = []
            for c in facet.counts { pairs.append("[" + quoted(c.value) + "," + String(c.count) + "]") }
            fields.append(quoted(facet.field) + ":[" + pairs.joined(separator: ",") + "]")
        }
        return [("facets", BenchCLI.RawJSON(text: "{" + fields.joined(separator: ",") + "}"))]
    }

    static func measure(
        reader: IndexReader, queries: [(cls: String, text: String)], k: Int, minSeconds: Double,
        pruned: Bool = false, hits mode: Hits = .ids, shapes: [Shape]? = nil
    ) throws -> Measured {
        let parser = QueryParser()
        let parsed = try queries.map { try parser.parse($0.text) }
        let shapes = shapes ?? queries.map { _ in Shape() }
        let base = mode.options(k: k, pruned: pruned)
        let options = shapes.map { $0.applied(to: base) }
        // One call, timed from `start` to the returned time: the total, and a checksum of what the
        // hits carry, taken after the clock stops (so that loading them cannot be skipped, and
        // every pass must load the same).
        func run(_ i: Int) throws -> (total: Int, loaded: Int, seconds: Double) {
            let q = parsed[i]
            let start = BenchCLI.now()
            if mode == .count {
                let total = try reader.count(q, options: options[i])
                return (total, 0, BenchCLI.now() - start)
            }
            let r = try reader.search(q, options: options[i])
            let seconds = BenchCLI.now() - start
            var loaded = 0
            for hit in r.hits {
                loaded &+= hit.id.utf8.count &+ hit.title.utf8.count &+ hit.snippet.utf8.count &+ hit.matches.count
            }
            for facet in r.facets {
                for c in facet.counts { loaded &+= c.count &+ c.value.utf8.count }
            }
            return (r.total, loaded, seconds)
        }
        // Warm-up pass, which also records totals and hits (they must not change between passes).
        var totals: [Int] = []
        var loaded: [Int] = []
        var scored: [Int] = []
        var hits: [[(id: String, score: Double)]] = []
        var facets: [[FacetResult]] = []
        for (i, q) in parsed.enumerated() {
            let top = try reader.topDocuments(q, options: options[i])
            let r = try reader.search(q, options: shapes[i].applied(to: Hits.ids.options(k: k, pruned: pruned)))
            let checked = try run(i)
            totals.append(checked.total)
            loaded.append(checked.loaded)
            hits.append(r.hits.map { ($0.id, $0.score) })
            facets.append(r.facets)
            scored.append(top.scored)
        }
        var latencies = [[Double]](repeating: [], count: queries.count)
        let start = BenchCLI.now()
        var passes = 0
        repeat {
            for i in parsed.indices {
                let r = try run(i)
                latencies[i].append(r.seconds * 1e6)
                guard r.total == totals[i], r.loaded == loaded[i] else {
                    throw BenchCLI.BenchError(
                        message: "query \(queries[i].text) returned \(r.total) hits, \(totals[i]) before (or other hits)")
                }
            }
            passes += 1
        } while passes < 3 || (BenchCLI.now() - start < minSeconds && passes < 1000)
        return Measured(
            latencies: latencies, totals: totals, hits: hits, facets: facets, passes: passes, scored: scored)
    }

    /// Compares, for every query, the snippets (text and matches) of the top `k` hits, with the
    /// title and the body highlighted, found from the index against those of a full analysis of
    /// each text, under a few option sets. Prints the number of snippets compared and fails on
    /// any difference.
    static func checkSnippets(reader: IndexReader, queries: [(cls: String, text: String)], k: Int) throws {
        let parser = QueryParser()
        var variants: [SearchOptions] = []
        for (fragments, length, style) in [(1, 200, HighlightStyle.markdown), (3, 60, .html), (2, 400, .none)] {
            var o = SearchOptions(snippetFields: ["title", "body"])
            o.limit = k
            o.snippetFragments = fragments
            o.snippetLength = length
            o.highlight = style
            variants.append(o)
        }
        var compared = 0
        var differences = 0
        var matched = 0
        let sources = SnippetSources()
        for q in queries {
            let query = try parser.parse(q.text)
            for options in variants {
                let indexed = try reader.search(query, options: options, snippetsByFullAnalysis: false, sources: sources)
                let analyzed = try reader.search(query, options: options, snippetsByFullAnalysis: true)
                guard indexed.hits.map(\.id) == analyzed.hits.map(\.id) else {
                    throw BenchCLI.BenchError(message: "check-snippets: \(q.text): the hits differ")
                }
                for (a, b) in zip(indexed.hits, analyzed.hits) {
                    for field in options.snippetFields {
                        compared += 1
                        matched += b.snippets[field]?.matches.count ?? 0
                        if a.snippets[field] != b.snippets[field] || a.document != b.document {
                            differences += 1
                            if differences <= 5 {
                                BenchCLI.progress(
                                    "check-snippets: \(q.text) \(a.id) \(field): \(a.snippets[field]?.text ?? "-") | \(b.snippets[field]?.text ?? "-")"
                                )
                            }
                        }
                    }
                }
            }
        }
        print(
            "check-snippets: \(compared) snippets (\(matched) matched words) compared, \(differences) differences; "
                + "\(sources.fromIndex) made from the index, \(sources.byFullAnalysis) by full analysis")
        guard differences == 0 else { throw BenchCLI.BenchError(message: "check-snippets: \(differences) differences") }
    }

    static func summarize(
        queries: [(cls: String, text: String)], latencies: [[Double]]
    ) -> [(
        String, ClassStats
    )] {
        var byClass: [String: [Double]] = [:]
        var order: [String] = []
        for (i, q) in queries.enumerated() {
            let sorted = latencies[i].sorted()
            let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            if byClass[q.cls] == nil { order.append(q.cls) }
            byClass[q.cls, default: []].append(median)
        }
        return order.map { cls in
            let v = (byClass[cls] ?? []).sorted()
            func pct(_ p: Double) -> Double {
                v.isEmpty ? 0 : v[min(v.count - 1, Int((p * Double(v.count)).rounded(.up)) - 1)]
            }
            return (
                cls,
                ClassStats(
                    count: v.count, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99),
                    mean: v.reduce(0, +) / Double(max(1, v.count)))
            )
        }
    }
}
