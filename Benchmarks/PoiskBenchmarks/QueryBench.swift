// poisk-bench query: per-class query latency (top-k with exact totals) and index open time.
//
// Timed: preparing the query against the index (analysis, term lookups) and collecting the top k
// with the exact total, as Tantivy's `search(q, 10, count=True)` is timed. Not timed: parsing the
// query string, and resolving hits to ids for --results (which also lists each hit's exact score).

import Foundation
import Poisk

enum QueryBench {
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
        let text = try String(contentsOfFile: queriesPath, encoding: .utf8)
        var queries: [(cls: String, text: String)] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw BenchCLI.BenchError(message: "bad query line: \(line)") }
            queries.append((parts[0], parts[1]))
        }
        let (openMs, reader) = try measureOpen(index)
        let pruned = options["pruned"] != nil
        let result = try measure(
            reader: reader, queries: queries, k: k, minSeconds: minSeconds, pruned: pruned)
        if let path = options["results"] {
            var out = ""
            for (i, q) in queries.enumerated() {
                let ids = try result.hits[i].map { try reader.documentID(segment: $0.segment, doc: $0.doc) }
                let sorted = result.latencies[i].sorted()
                let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
                out +=
                    BenchCLI.json([
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
                    ]) + "\n"
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
                    ("classes", BenchCLI.RawJSON(text: "{" + classes + "}")),
                ]))
        } else {
            print(
                String(
                    format: "open: %.2f ms; %d timed passes; %@", openMs, result.passes,
                    pruned ? "pruned (Block-Max WAND, total is a lower bound)" : "exhaustive (exact totals)"))
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

    struct Measured {
        var latencies: [[Double]]  // per query, per pass (µs)
        var totals: [Int]
        var hits: [[(segment: Int, doc: Int32, score: Double)]]
        var passes: Int
        var scored: [Int]
    }

    static func measure(
        reader: IndexReader, queries: [(cls: String, text: String)], k: Int, minSeconds: Double,
        pruned: Bool = false
    ) throws -> Measured {
        let parser = QueryParser()
        let parsed = try queries.map { try parser.parse($0.text) }
        var options = SearchOptions()
        options.limit = k
        options.exactTotal = !pruned
        // Warm-up pass, which also records totals and hits (they must not change between passes).
        var totals: [Int] = []
        var scored: [Int] = []
        var hits: [[(segment: Int, doc: Int32, score: Double)]] = []
        for q in parsed {
            let r = try reader.topDocuments(q, options: options)
            totals.append(r.total)
            hits.append(r.hits)
            scored.append(r.scored)
        }
        var latencies = [[Double]](repeating: [], count: queries.count)
        let start = BenchCLI.now()
        var passes = 0
        repeat {
            for (i, q) in parsed.enumerated() {
                let t0 = BenchCLI.now()
                let r = try reader.topDocuments(q, options: options)
                latencies[i].append((BenchCLI.now() - t0) * 1e6)
                guard r.total == totals[i] else {
                    throw BenchCLI.BenchError(
                        message: "query \(queries[i].text) returned \(r.total) hits, \(totals[i]) before")
                }
            }
            passes += 1
        } while passes < 3 || (BenchCLI.now() - start < minSeconds && passes < 1000)
        return Measured(
            latencies: latencies, totals: totals, hits: hits, passes: passes, scored: scored)
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
