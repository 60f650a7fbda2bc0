// Phrase matching against a naive scan of the analyzed tokens, on random documents.

import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct PhraseTests {
    @Test(arguments: [1, 2] as [UInt64])
    func phraseFrequencyMatchesNaiveScan(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let vocabulary = ["a", "b", "c", "d", "alpha", "beta", "ракета", "система"]
        func text(_ n: Int) -> [String] { (0..<n).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] } }
        // Long documents so frequent terms span several postings blocks and long position lists.
        let bodies = (0..<400).map { _ in text(1 + Int(rng.next() % 300)) }
        let docs = bodies.enumerated().map { Document(id: "d\($0.offset)", body: $0.element.joined(separator: " ")) }
        let reader = try IndexReader.inMemory(docs)
        let analyzer = Analyzer()
        let analyzed = bodies.map { analyzer.terms(of: $0.joined(separator: " ")) }
        for _ in 0..<40 {
            let w1 = vocabulary[Int(rng.next() % UInt64(vocabulary.count))]
            let w2 = vocabulary[Int(rng.next() % UInt64(vocabulary.count))]
            let t1 = analyzer.terms(of: w1)[0]
            let t2 = analyzer.terms(of: w2)[0]
            var expected: [String: Int] = [:]
            for (d, terms) in analyzed.enumerated() {
                var n = 0
                for i in 0..<(terms.count - 1) where terms[i] == t1 && terms[i + 1] == t2 { n += 1 }
                if n > 0 { expected["d\(d)"] = n }
            }
            let hits = try reader.search("body:\"\(w1) \(w2)\"", options: SearchOptions(limit: 1000, explain: true)).hits
            #expect(Set(hits.map(\.id)) == Set(expected.keys), "\(w1) \(w2)")
            for hit in hits {
                // The explanation's tf is the phrase frequency.
                let tf = hit.explanation?.details.first?.details.first { $0.description.hasPrefix("tf") }?.value
                #expect(tf.map { Int($0) } == expected[hit.id], "\(w1) \(w2) \(hit.id)")
            }
        }
    }

    /// Phrases of three to five words (repeated words included, as `a b a`): the candidate
    /// bitmaps give the same documents and frequencies as a naive scan.
    @Test(arguments: [3, 4] as [UInt64])
    func longerPhrasesMatchNaiveScan(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let vocabulary = ["a", "b", "c", "alpha", "beta"]
        func text(_ n: Int) -> [String] { (0..<n).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] } }
        let bodies = (0..<150).map { _ in text(1 + Int(rng.next() % 300)) }
        let docs = bodies.enumerated().map { Document(id: "d\($0.offset)", body: $0.element.joined(separator: " ")) }
        let reader = try IndexReader.inMemory(docs)
        let analyzer = Analyzer()
        let analyzed = bodies.map { analyzer.terms(of: $0.joined(separator: " ")) }
        var tested = 0
        for _ in 0..<40 {
            let words = text(3 + Int(rng.next() % 3))
            if try PhraseTests.expectNaiveCounts(of: words, reader: reader, analyzed: analyzed) { tested += 1 }
        }
        #expect(tested > 12)  // many random phrases of a small vocabulary do occur
    }

    /// A phrase that repeats a term (`"a a"`, `"a a a"`, `"a b a"`, two forms of one stem) reads
    /// that term through one shared cursor; every count still matches a naive scan.
    @Test(arguments: [5, 6] as [UInt64])
    func repeatedTermsMatchNaiveScan(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let vocabulary = ["a", "b", "runs", "running", "ракета", "ракеты"]
        func word() -> String { vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }
        let bodies = (0..<150).map { _ in (0..<(1 + Int(rng.next() % 200))).map { _ in word() } }
        let docs = bodies.enumerated().map { Document(id: "d\($0.offset)", body: $0.element.joined(separator: " ")) }
        let reader = try IndexReader.inMemory(docs)
        let analyzer = Analyzer()
        let analyzed = bodies.map { analyzer.terms(of: $0.joined(separator: " ")) }
        var tested = 0
        for _ in 0..<15 {
            let (w, x) = (word(), word())
            let phrases = [[w, w], [w, w, w], [w, x, w], [x, w, w, x]]
            for words in phrases where try PhraseTests.expectNaiveCounts(of: words, reader: reader, analyzed: analyzed) {
                tested += 1
            }
        }
        #expect(tested > 20)
    }

    /// Searches `body:"words"` and expects exactly the documents of `analyzed` (each document's
    /// terms) where the words' terms occur consecutively, with that many occurrences as the
    /// phrase frequency. Returns whether any document matched.
    static func expectNaiveCounts(of words: [String], reader: IndexReader, analyzed: [[String]]) throws -> Bool {
        let analyzer = Analyzer()
        let terms = words.map { analyzer.terms(of: $0)[0] }
        var expected: [String: Int] = [:]
        for (d, list) in analyzed.enumerated() where list.count >= terms.count {
            var n = 0
            for i in 0...(list.count - terms.count) where Array(list[i..<(i + terms.count)]) == terms { n += 1 }
            if n > 0 { expected["d\(d)"] = n }
        }
        let query = "body:\"" + words.joined(separator: " ") + "\""
        let hits = try reader.search(query, options: SearchOptions(limit: 1000, explain: true)).hits
        #expect(Set(hits.map(\.id)) == Set(expected.keys), "\(query)")
        for hit in hits {
            let tf = hit.explanation?.details.first?.details.first { $0.description.hasPrefix("tf") }?.value
            #expect(tf.map { Int($0) } == expected[hit.id], "\(query) \(hit.id)")
        }
        return !expected.isEmpty
    }
}
