// Block-Max WAND must return exactly the exhaustive top k: same documents, same order, same scores.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct PruningTests {
    static let vocabulary = (0..<60).map { "w\($0)" } + ["patriot", "missile", "ракета", "система"]

    func corpus(seed: UInt64, count: Int) -> [Document] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            // Zipf-like: low indices are frequent.
            func word() -> String {
                let u = Double(rng.next() % 10_000) / 10_000
                return Self.vocabulary[min(Self.vocabulary.count - 1, Int(u * u * u * Double(Self.vocabulary.count)))]
            }
            let n = 1 + Int(rng.next() % 60)
            return Document(
                id: "d\(i)", title: (0..<Int(rng.next() % 4)).map { _ in word() }.joined(separator: " "),
                body: (0..<n).map { _ in word() }.joined(separator: " "))
        }
    }

    func queries(seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        func word() -> String { Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))] }
        var result: [String] = []
        for _ in 0..<40 {
            result.append(word())
            result.append("\(word()) OR \(word())")
            result.append("\(word()) OR \(word()) OR \(word()) OR \(word())")
            result.append("\(word())^2 OR \(word())")
            result.append("w1*")
        }
        return result
    }

    func assertSame(_ reader: IndexReader, _ q: String, k: Int) throws {
        var exact = SearchOptions(limit: k)
        exact.exactTotal = true
        var pruned = exact
        pruned.exactTotal = false
        let a = try reader.topDocuments(try QueryParser().parse(q), options: exact)
        let b = try reader.topDocuments(try QueryParser().parse(q), options: pruned)
        #expect(a.hits.map(\.doc) == b.hits.map(\.doc), "\(q)")
        #expect(a.hits.map(\.segment) == b.hits.map(\.segment), "\(q)")
        #expect(a.hits.map(\.score) == b.hits.map(\.score), "\(q)")
        #expect(b.total <= a.total)
        #expect(b.scored <= a.scored)
    }

    @Test(arguments: [(1, 400), (2, 2000), (3, 5000)] as [(UInt64, Int)])
    func prunedEqualsExhaustiveInMemory(seed: UInt64, count: Int) throws {
        let reader = try IndexReader.inMemory(corpus(seed: seed, count: count))
        for q in queries(seed: seed &+ 100) {
            for k in [1, 10, 50] { try assertSame(reader, q, k: k) }
        }
    }

    @Test func prunedEqualsExhaustiveAcrossSegmentsWithDeletes() throws {
        try withTemporaryDirectory { dir in
            var options = IndexWriterOptions()
            options.autoMerge = false
            let writer = try IndexWriter(at: dir, options: options)
            let docs = corpus(seed: 11, count: 3000)
            for (i, d) in docs.enumerated() {
                try writer.add(d)
                if i % 700 == 699 { try writer.commit() }
            }
            for i in stride(from: 0, to: 3000, by: 7) { try writer.delete(id: "d\(i)") }
            try writer.commit()
            let reader = try writer.reader()
            #expect(reader.segmentCount > 2)
            for q in queries(seed: 12) { try assertSame(reader, q, k: 10) }
        }
    }

    @Test func pruningSkipsWork() throws {
        let reader = try IndexReader.inMemory(corpus(seed: 4, count: 20_000))
        var exact = SearchOptions(limit: 10)
        exact.exactTotal = true
        var pruned = exact
        pruned.exactTotal = false
        let q = try QueryParser().parse("w0 OR w1")
        let a = try reader.topDocuments(q, options: exact)
        let b = try reader.topDocuments(q, options: pruned)
        #expect(b.scored < a.scored / 2, "scored \(b.scored) of \(a.scored)")
        let results = try reader.search("w0 OR w1", options: pruned)
        #expect(!results.totalIsExact)
    }
}
