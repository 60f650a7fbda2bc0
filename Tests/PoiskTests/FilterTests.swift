// Filters: the query syntax of typed fields (ranges, `*:*`), and the FILTER occur, which
// restricts matches and never changes a score, whichever executor runs the rest of the query,
// with explanations still equal to scores bit for bit.

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct FilterTests {
    @Test func rangesAndMatchAllParse() throws {
        let p = QueryParser()
        #expect(try p.parse("*:*") == .matchAll)
        #expect(
            try p.parse("*:* AND -section:arm")
                == .boolean([BooleanClause(.must, .matchAll), BooleanClause(.mustNot, .term("arm", field: "section"))]))
        #expect(
            try p.parse("date:[2025-07-01 TO 2025-07-31]")
                == .range("date", from: .keyword("2025-07-01"), to: .keyword("2025-07-31"), includesFrom: true, includesTo: true))
        #expect(try p.parse("words:[1000 TO *]") == .range("words", from: .keyword("1000"), to: nil))
        #expect(
            try p.parse("rating:{4 TO 5]")
                == .range("rating", from: .keyword("4"), to: .keyword("5"), includesFrom: false, includesTo: true))
        #expect(try p.parse("rating:[* TO 5}") == .range("rating", from: nil, to: .keyword("5"), includesFrom: true, includesTo: false))
        #expect(
            try p.parse("date:[2025-07-01T10:00:00Z TO \"2025-07-02 12:00\"]")
                == .range("date", from: .keyword("2025-07-01T10:00:00Z"), to: .keyword("2025-07-02 12:00")))
        #expect(try p.parse("words:[1 TO 2]^3") == .boosted(.range("words", from: .keyword("1"), to: .keyword("2")), 3))
        #expect(try p.parse("section:\"driver-api\"") == .phrase(["driver-api"], field: "section"))
        #expect(try p.parse("section:gimp-ru/filter") == .term("gimp-ru/filter", field: "section"))
        #expect(
            try p.parse("steps AND date:[2013-01-01 TO 2017-12-31]")
                == .boolean([
                    BooleanClause(.must, .term("steps")),
                    BooleanClause(.must, .range("date", from: .keyword("2013-01-01"), to: .keyword("2017-12-31"))),
                ]))
        #expect(
            try p.parse("equivalent AND draft:false AND words:[1000 TO *]")
                == .boolean([
                    BooleanClause(.must, .term("equivalent")), BooleanClause(.must, .term("false", field: "draft")),
                    BooleanClause(.must, .range("words", from: .keyword("1000"), to: nil)),
                ]))
        // A word may still hold brackets; `*` alone is still an error.
        #expect(try p.parse("a[1]") == .term("a[1]"))
        for (bad, offset) in [("date:[2025 2026]", 11), ("date:[2025 TO", 5), ("date:[ TO 5]", 7), ("date:[1 TO 5", 5), ("*", 0)] {
            do {
                _ = try p.parse(bad)
                Issue.record("parsed \(bad)")
            } catch PoiskError.invalidQuery(_, _, let at) {
                #expect(at == offset, "\(bad)")
            }
        }
    }

    static let documents: [Document] = {
        var rng = SplitMix64(seed: 2024)
        let words = ["alpha", "beta", "gamma", "delta", "patriot", "missile"]
        return (0..<300).map { i in
            let body = (0..<(3 + rng.next(below: 30))).map { _ in words[min(5, rng.next(below: 6) * rng.next(below: 3) / 2)] }
            return Document(id: String(format: "d%03d", i), title: words[rng.next(below: 6)], body: body.joined(separator: " "))
        }
    }()

    /// Hits as (id, score) pairs, in rank order.
    static func hits(_ reader: IndexReader, _ query: Query, options: SearchOptions = SearchOptions(limit: 1000)) throws -> [String: Double]
    {
        var out: [String: Double] = [:]
        for hit in try reader.search(query, options: options).hits { out[hit.id] = hit.score }
        return out
    }

    /// A FILTER clause keeps the documents both match, each with the score the scoring clause
    /// alone gives it (bit for bit), over one segment and several, and with pruning.
    @Test func filtersNeverChangeScores() throws {
        let single = try IndexReader.inMemory(FilterTests.documents)
        try withTemporaryDirectory { dir in
            let writer = try IndexWriter(at: dir, options: IndexWriterOptions(threads: 1, autoMerge: false))
            for chunk in stride(from: 0, to: 300, by: 70) {
                try writer.add(contentsOf: FilterTests.documents[chunk..<min(300, chunk + 70)])
                try writer.commit()
            }
            writer.close()
            let multi = try IndexReader.open(at: dir)
            #expect(multi.segments.count > 1)
            let scorings: [Query] = [
                .term("alpha"), .boolean([BooleanClause(.should, .term("alpha")), BooleanClause(.should, .term("beta"))]),
                .boolean([BooleanClause(.must, .term("alpha")), BooleanClause(.must, .term("beta"))]),
                .phrase(["alpha", "beta"]), .prefix("gam"), .matchAll,
            ]
            let filters: [Query] = [.term("patriot"), .term("missile", field: "title"), .phrase(["beta", "gamma"])]
            for reader in [single, multi] {
                for scoring in scorings {
                    let alone = try FilterTests.hits(reader, scoring)
                    for filter in filters {
                        let allowed = Set(try FilterTests.hits(reader, filter).keys)
                        for exact in [true, false] {
                            let options = SearchOptions(limit: 1000, exactTotal: exact)
                            let filtered = try FilterTests.hits(reader, .filtered(scoring, by: [filter]), options: options)
                            let expected = alone.filter { allowed.contains($0.key) }
                            #expect(filtered == expected, "\(scoring) filtered by \(filter)")
                            #expect(try reader.count(.filtered(scoring, by: [filter])) == expected.count)
                        }
                        // Explanations still add up to the scores, bit for bit.
                        let explained = try reader.search(
                            .filtered(scoring, by: [filter]), options: SearchOptions(limit: 20, explain: true))
                        for hit in explained.hits { #expect(hit.explanation?.value == hit.score) }
                    }
                }
            }
            // A filter inside an OR: the filtered clause matches less, the other as before.
            let inner = Query.boolean([
                BooleanClause(.should, .filtered(.term("alpha"), by: [.term("patriot")])), BooleanClause(.should, .term("delta")),
            ])
            let results = try multi.search(inner, options: SearchOptions(limit: 1000, explain: true))
            for hit in results.hits { #expect(hit.explanation?.value == hit.score) }
            let alpha = try FilterTests.hits(multi, .term("alpha"))
            let delta = try FilterTests.hits(multi, .term("delta"))
            let patriot = Set(try FilterTests.hits(multi, .term("patriot")).keys)
            #expect(Set(results.hits.map(\.id)) == Set(delta.keys).union(alpha.keys.filter { patriot.contains($0) }))
        }
    }

    @Test func filtersOnlyMatchWithScoreZeroAndShouldsBecomeOptional() throws {
        let reader = try IndexReader.inMemory(FilterTests.documents)
        let patriot = try FilterTests.hits(reader, .term("patriot"))
        let only = try FilterTests.hits(reader, .boolean([BooleanClause(.filter, .term("patriot"))]))
        #expect(Set(only.keys) == Set(patriot.keys))
        #expect(only.values.allSatisfy { $0 == 0 })
        // Beside a filter, should clauses are optional: they only add to the score.
        let optional = try FilterTests.hits(
            reader, .boolean([BooleanClause(.should, .term("alpha")), BooleanClause(.filter, .term("patriot"))]))
        let alpha = try FilterTests.hits(reader, .term("alpha"))
        #expect(Set(optional.keys) == Set(patriot.keys))
        for (id, score) in optional { #expect(score == (alpha[id] ?? 0), "\(id)") }
        // Exclusions and filters together; match-all keeps its score of 1.
        let all = try FilterTests.hits(
            reader,
            .boolean([
                BooleanClause(.must, .matchAll), BooleanClause(.filter, .term("patriot")), BooleanClause(.mustNot, .term("alpha")),
            ]))
        #expect(Set(all.keys) == Set(patriot.keys).subtracting(alpha.keys))
        #expect(all.values.allSatisfy { $0 == 1 })
        #expect(try reader.count(.matchAll) == 300)
        #expect(try reader.count(.boolean([BooleanClause(.filter, .term("nowhere"))])) == 0)
    }
}
