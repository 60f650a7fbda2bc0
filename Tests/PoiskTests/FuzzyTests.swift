// Fuzzy expansion through the dictionary equals a brute-force Damerau–Levenshtein scan.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct FuzzyTests {
    /// Optimal string alignment distance, the plain textbook way.
    func osa(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    @Test func expansionEqualsBruteForce() throws {
        var rng = SplitMix64(seed: 21)
        let alphabet = Array("abcdeорстzя").map { String($0) }
        func word() -> String { (0..<(2 + Int(rng.next() % 6))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined() }
        let words = Set((0..<3000).map { _ in word() })
        // Index the words unstemmed, one per document, so terms are exactly the words.
        var schema = Schema.standard
        schema.fields[1].analyzer = .unstemmed
        let docs = words.sorted().enumerated().map { Document(id: "\($0.offset)", body: $0.element) }
        let reader = try IndexReader.inMemory(docs, schema: schema)
        let terms = Set(words.map { Analyzer(.unstemmed).terms(of: $0).first ?? "" })
        for _ in 0..<60 {
            let q = word()
            for edits in 0...2 {
                let weight = try reader.prepare(.fuzzy(q, field: "body", maxEdits: edits), options: SearchOptions(maxExpansions: 100_000))
                var got: [String: Set<[UInt8]>] = [:]
                weight.highlightTerms(into: &got)
                let found = Set((got["body"] ?? []).map { String(decoding: $0, as: UTF8.self) })
                // The query word is analyzed like the documents (mixed-script repair, case).
                let target = Array((Analyzer(.unstemmed).terms(of: q).first ?? "").unicodeScalars)
                let expected = Set(terms.filter { osa(Array($0.unicodeScalars), target) <= edits })
                #expect(found == expected, "\(q)~\(edits)")
            }
        }
    }

    @Test func zelenskyFindsTheMisspelling() throws {
        let reader = try IndexReader.inMemory(try Fixtures.seedDocuments())
        let misspelled = Set(try reader.search("Zekensky").hits.map(\.id))
        #expect(misspelled == ["001_3beda4c96ad14779.txt"])
        let fuzzy = Set(try reader.search("Zelensky~1").hits.map(\.id))
        #expect(fuzzy.isSuperset(of: misspelled))
        #expect(fuzzy.isSuperset(of: Set(try reader.search("Zelensky").hits.map(\.id))))
    }
}

