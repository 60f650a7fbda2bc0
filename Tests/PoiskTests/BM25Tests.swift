// BM25 scores recomputed by hand from token counts.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct BM25Tests {
    /// idf = ln(1 + (N − df + 0.5) / (df + 0.5)); score = idf · tf / (tf + k1 · (1 − b + b · dl / avgdl))
    func bm25(tf: Double, dl: Double, avgdl: Double, n: Double, df: Double, k1: Double = 1.2, b: Double = 0.75) -> Double {
        let idf = log(1 + (n - df + 0.5) / (df + 0.5))
        return idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))
    }

    @Test func singleFieldScoreMatchesTheFormula() throws {
        // Body only (titles empty). Token counts: d1 = 4, d2 = 6, d3 = 2.
        let docs = [
            Document(id: "d1", body: "rocket rocket launch pad"),
            Document(id: "d2", body: "the rocket went up and away"),
            Document(id: "d3", body: "quiet morning"),
        ]
        let reader = try IndexReader.inMemory(docs)
        let results = try reader.search("rocket")
        #expect(results.total == 2)
        let avgdl = (4.0 + 6.0 + 2.0) / 3.0
        let expected1 = bm25(tf: 2, dl: 4, avgdl: avgdl, n: 3, df: 2)
        let expected2 = bm25(tf: 1, dl: 6, avgdl: avgdl, n: 3, df: 2)
        let byID = Dictionary(uniqueKeysWithValues: results.hits.map { ($0.id, $0.score) })
        #expect(abs((byID["d1"] ?? 0) - expected1) <= 1e-12 * expected1)
        #expect(abs((byID["d2"] ?? 0) - expected2) <= 1e-12 * expected2)
        #expect(results.hits.map(\.id) == ["d1", "d2"])
    }

    @Test func fieldsAreSummedWithBoosts() throws {
        let docs = [
            Document(id: "a", title: "rocket news", body: "a rocket flew"),
            Document(id: "b", title: "weather", body: "rain and rocket debris everywhere"),
        ]
        let reader = try IndexReader.inMemory(docs)
        let hits = try reader.search("rocket").hits
        let titleAvg = (2.0 + 1.0) / 2
        let bodyAvg = (3.0 + 5.0) / 2
        let a = 2 * bm25(tf: 1, dl: 2, avgdl: titleAvg, n: 2, df: 1) + bm25(tf: 1, dl: 3, avgdl: bodyAvg, n: 2, df: 2)
        let b = bm25(tf: 1, dl: 5, avgdl: bodyAvg, n: 2, df: 2)
        #expect(hits.map(\.id) == ["a", "b"])
        #expect(abs(hits[0].score - a) <= 1e-12 * a)
        #expect(abs(hits[1].score - b) <= 1e-12 * b)
    }

    @Test func k1AndBAreConfigurablePerQuery() throws {
        let docs = [Document(id: "x", body: "alpha alpha beta"), Document(id: "y", body: "alpha gamma delta epsilon")]
        let reader = try IndexReader.inMemory(docs)
        var options = SearchOptions()
        options.k1 = 2.0
        options.b = 0.3
        let hits = try reader.search("alpha", options: options).hits
        let avg = 3.5
        let x = bm25(tf: 2, dl: 3, avgdl: avg, n: 2, df: 2, k1: 2, b: 0.3)
        #expect(abs(hits[0].score - x) <= 1e-12 * x)
    }

    @Test func seedScoreRecomputedFromTokenCounts() throws {
        let docs = try Fixtures.seedDocuments()
        let reader = try IndexReader.inMemory(docs)
        let analyzer = Analyzer()
        let term = try #require(analyzer.terms(of: "Patriot").first)
        var bodyLengths: [String: Double] = [:]
        var titleLengths: [String: Double] = [:]
        var tf: [String: Double] = [:]
        var titleTF: [String: Double] = [:]
        for d in docs {
            let bodyTerms = analyzer.terms(of: d.body)
            let titleTerms = analyzer.terms(of: d.title)
            bodyLengths[d.id] = Double(bodyTerms.count)
            titleLengths[d.id] = Double(titleTerms.count)
            tf[d.id] = Double(bodyTerms.filter { $0 == term }.count)
            titleTF[d.id] = Double(titleTerms.filter { $0 == term }.count)
        }
        let n = Double(docs.count)
        let bodyAvg = bodyLengths.values.reduce(0, +) / n
        let titleAvg = titleLengths.values.reduce(0, +) / n
        let df = Double(tf.values.filter { $0 > 0 }.count)
        let titleDF = Double(titleTF.values.filter { $0 > 0 }.count)
        for hit in try reader.search("Patriot").hits {
            var expected = 0.0
            if let t = tf[hit.id], t > 0 {
                expected += bm25(tf: t, dl: bodyLengths[hit.id] ?? 0, avgdl: bodyAvg, n: n, df: df)
            }
            if let t = titleTF[hit.id], t > 0 {
                expected += 2 * bm25(tf: t, dl: titleLengths[hit.id] ?? 0, avgdl: titleAvg, n: n, df: titleDF)
            }
            #expect(abs(hit.score - expected) <= 1e-9 * expected, "\(hit.id)")
        }
    }
}
