// `--explain` tells the truth: for every hit of random queries over random corpora, the
// explanation's value is the hit's score bit for bit, whichever executor ranked it (one term's
// blocks, term-at-a-time windows, conjunction windows, Block-Max WAND, the scorer tree), and
// every sum in the explanation adds its parts exactly as the scorers do.
//
// For: the one BM25 form (Search/BM25.swift) and the summation order shared by the executors and
// the scorers. Not for: whether the scores are right (BM25Tests) or pruning returns the
// exhaustive top k (PruningTests).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct ExplanationTests {
    static let vocabulary =
        (0..<40).map { "w\($0)" } + [
            "patriot", "missile", "defense", "ракета", "ракеты", "система", "київ", "україна", "поиск", "search",
        ]
    /// Chinese runs: indexed as bigrams, searched as phrases of bigrams.
    static let cjk = ["中可能存在", "请注意", "开发工具", "内核代码"]

    static func corpus(seed: UInt64, count: Int) -> [Document] {
        var rng = SplitMix64(seed: seed)
        func word() -> String {
            if rng.next(below: 30) == 0 { return cjk[rng.next(below: cjk.count)] }
            // Skewed: low indices are frequent.
            let u = Double(rng.next(below: 10_000)) / 10_000
            return vocabulary[min(vocabulary.count - 1, Int(u * u * Double(vocabulary.count)))]
        }
        return (0..<count).map { i in
            let length = 1 + rng.next(below: rng.next(below: 8) == 0 ? 400 : 40)
            return Document(
                id: "d\(i)", title: (0..<rng.next(below: 5)).map { _ in word() }.joined(separator: " "),
                body: (0..<length).map { _ in word() }.joined(separator: " "),
                fields: rng.next(below: 3) == 0 ? ["tag": word()] : [:])
        }
    }

    static func query(_ rng: inout SplitMix64, depth: Int = 0) -> String {
        func word() -> String { vocabulary[rng.next(below: vocabulary.count)] }
        switch rng.next(below: depth > 1 ? 7 : 12) {
        case 0, 1: return word()
        case 2: return "\"\(word()) \(word())\""
        case 3: return "\"\(word()) \(word())\"~\(1 + rng.next(below: 3))"
        case 4: return "w\(rng.next(below: 4))*"
        case 5: return "\(word())~1"
        case 6: return cjk[rng.next(below: cjk.count)]
        case 7: return "\(query(&rng, depth: depth + 1)) OR \(query(&rng, depth: depth + 1))"
        case 8: return "\(query(&rng, depth: depth + 1)) AND \(query(&rng, depth: depth + 1))"
        case 9: return "(\(query(&rng, depth: depth + 1)))^\(1 + rng.next(below: 3)).5"
        case 10: return "\(query(&rng, depth: depth + 1)) -\(word())"
        default: return "\(["title", "body", "tag"][rng.next(below: 3)]):\(word())"
        }
    }

    /// Every sum node's value is its parts added in order, from 0, bit for bit.
    static func sumsAddUp(_ e: Explanation) -> Bool {
        if e.description == "sum of:" {
            var sum = 0.0
            for d in e.details { sum += d.value }
            guard sum.bitPattern == e.value.bitPattern else { return false }
        }
        return e.details.allSatisfy { $0.description.hasPrefix("idf") || sumsAddUp($0) }
    }

    @Test(arguments: [(UInt64(1), 300), (2, 1_500), (3, 3_000)])
    func explanationsEqualScoresBitForBit(seed: UInt64, count: Int) throws {
        try withTemporaryDirectory { dir in
            // Several segments (a small memory budget), some deletes and replacements.
            let options = IndexWriterOptions(memoryBudgetBytes: 200_000, threads: 1, autoMerge: false)
            let writer = try IndexWriter(at: dir, options: options)
            let documents = Self.corpus(seed: seed, count: count)
            try writer.add(contentsOf: documents)
            try writer.commit()
            var rng = SplitMix64(seed: seed &* 7919)
            for _ in 0..<(count / 50) { try writer.delete(id: "d\(rng.next(below: count))") }
            for _ in 0..<(count / 50) { try writer.add(documents[rng.next(below: count)]) }
            try writer.commit()
            writer.close()
            let reader = try IndexReader.open(at: dir)
            var checked = 0
            for _ in 0..<200 {
                let text = Self.query(&rng)
                var options = SearchOptions(limit: 1 + rng.next(below: 40), explain: true)
                options.offset = rng.next(below: 4) == 0 ? rng.next(below: 5) : 0
                options.exactTotal = rng.next(below: 2) == 0
                options.defaultOperator = rng.next(below: 2) == 0 ? .and : .or
                if rng.next(below: 4) == 0 {
                    options.k1 = [0.5, 1.2, 2.0][rng.next(below: 3)]
                    options.b = [0.0, 0.3, 0.75, 1.0][rng.next(below: 4)]
                }
                let results = try reader.search(text, options: options)
                for hit in results {
                    let e = try #require(hit.explanation)
                    #expect(e.value.bitPattern == hit.score.bitPattern, "\(text): \(hit.id) \(e.value) vs \(hit.score)")
                    #expect(Self.sumsAddUp(e), "\(text): \(hit.id)\n\(e.rendered())")
                    checked += 1
                }
            }
            #expect(checked > 500)
        }
    }
}
