// Readers searching while a writer adds, replaces, deletes, commits and merges.
//
// For: the snapshot guarantee: a reader opened with `IndexReader.open(at:)` shows exactly one
// commit for its whole life, whatever the writer does meanwhile, and that commit's contents are
// the ones the writer committed. Also a workload for the thread and address sanitizers
// (Scripts/sanitizers.sh). Not for: timing; nothing here asserts how long anything takes.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct ConcurrencyTests {
    /// What one reader saw.
    struct Observation: Sendable {
        var generation: Int
        var documentCount: Int
        var matchAllCount: Int
    }

    /// State shared between the writer (the test's thread) and the reader threads.
    final class Shared: Sendable {
        let done = Protected<Bool>(false)
        /// Live documents per commit generation, as the writer committed them.
        let expected = Protected<[Int: Int]>([:])
        let observations = Protected<[Observation]>([])
        let failures = Protected<[String]>([])

        func fail(_ message: String) { failures.withLock { $0.append(message) } }
    }

    static let vocabulary = [
        "patriot", "missile", "defense", "radar", "ракета", "оборона", "київ", "удар", "погода", "дождь", "strike", "news",
    ]

    /// Two searches of one reader must agree exactly: same total, ids and scores.
    static func sameResults(_ a: SearchResults, _ b: SearchResults) -> Bool {
        a.total == b.total && a.hits.map(\.id) == b.hits.map(\.id) && a.hits.map(\.score) == b.hits.map(\.score)
    }

    static func readerLoop(path: String, seed: UInt64, shared: Shared) {
        var rng = SplitMix64(seed: seed)
        repeat {
            let reader: IndexReader
            do {
                reader = try IndexReader.open(at: path)
            } catch {
                shared.fail("open: \(error)")
                continue
            }
            do {
                let count = reader.documentCount
                let word = vocabulary[Int(rng.next() % UInt64(vocabulary.count))]
                let options = SearchOptions(limit: 10)
                let all1 = try reader.count(.matchAll)
                let common1 = try reader.search("common", options: options)
                let word1 = try reader.search(word, options: options)
                let phrase1 = try reader.search("\"common \(word)\"", options: options)
                // Read stored documents of the hits: they must be the ones the hits describe.
                for hit in word1.hits {
                    guard let document = try reader.document(id: hit.id) else {
                        shared.fail("gen \(reader.generation): hit \(hit.id) has no stored document")
                        continue
                    }
                    if document.body != hit.document.body { shared.fail("gen \(reader.generation): \(hit.id) changed") }
                }
                let word2 = try reader.search(word, options: options)
                let phrase2 = try reader.search("\"common \(word)\"", options: options)
                let common2 = try reader.search("common", options: options)
                let all2 = try reader.count(.matchAll)
                let generation = reader.generation
                if reader.documentCount != count { shared.fail("gen \(generation): documentCount changed during the reader's life") }
                if all1 != all2 || !sameResults(common1, common2) || !sameResults(word1, word2) || !sameResults(phrase1, phrase2) {
                    shared.fail("gen \(generation): the same query gave different results on one reader")
                }
                // Every document's body holds "common".
                if common1.total != count { shared.fail("gen \(generation): 'common' matches \(common1.total) of \(count)") }
                shared.observations.withLock {
                    $0.append(Observation(generation: generation, documentCount: count, matchAllCount: all1))
                }
            } catch {
                shared.fail("search at gen \(reader.generation): \(error)")
            }
        } while !shared.done.current
    }

    @Test func readersSeeOneConsistentSnapshotWhileAWriterCommitsAndMerges() throws {
        try withTemporaryDirectory { dir in
            let options = IndexWriterOptions(memoryBudgetBytes: 64 * 1024, threads: 2, mergeFactor: 3, autoMerge: true)
            let writer = try IndexWriter(at: dir, options: options)
            let shared = Shared()
            var rng = SplitMix64(seed: 0x5EED_C0DE)
            var model: [String: String] = [:]  // id → body, what the index must hold after a commit
            var recordedThrough = 0

            func document(_ id: String, round: Int) -> Document {
                let words = (0..<(2 + Int(rng.next() % 6))).map { _ in Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))] }
                let body = "common " + words.joined(separator: " ") + " round\(round)"
                model[id] = body
                return Document(id: id, title: words.first ?? "", body: body)
            }
            /// After a commit or merge: every generation since the last record holds the same
            /// documents (a merge changes segments, not contents).
            func record() throws {
                let reader = try writer.reader()
                #expect(reader.documentCount == model.count)
                #expect(try reader.count(.matchAll) == model.count)
                let generation = writer.generation
                guard generation > recordedThrough else { return }
                let count = model.count
                shared.expected.withLock { expected in
                    for g in (recordedThrough + 1)...generation { expected[g] = count }
                }
                recordedThrough = generation
            }

            try writer.add(contentsOf: (0..<20).map { document("doc\($0)", round: 0) })
            try writer.commit()
            try record()

            let finished = DispatchGroup()
            for r in 0..<4 {
                finished.enter()
                let thread = Thread {
                    Self.readerLoop(path: dir, seed: UInt64(r) &+ 1, shared: shared)
                    finished.leave()
                }
                thread.start()
            }

            for round in 1...60 {
                // Mostly small batches (replacing ids already present); every tenth a batch big
                // enough to flush on two threads.
                let adds = round % 10 == 0 ? 150 : 3 + Int(rng.next() % 10)
                for _ in 0..<adds { try writer.add(document("doc\(rng.next() % 120)", round: round)) }
                for _ in 0..<Int(rng.next() % 4) {
                    let id = "doc\(rng.next() % 120)"
                    try writer.delete(id: id)
                    model.removeValue(forKey: id)
                }
                try writer.commit()
                try record()
                if round % 8 == 0 {
                    try writer.merge(maxSegments: 2)
                    try record()
                }
            }
            shared.done.withLock { $0 = true }
            finished.wait()
            writer.close()

            let failures = shared.failures.withLock { $0 }
            #expect(failures.isEmpty, "\(failures.prefix(10))")
            let expected = shared.expected.withLock { $0 }
            let observations = shared.observations.withLock { $0 }
            #expect(observations.count >= 4)
            for o in observations {
                guard let count = expected[o.generation] else {
                    Issue.record("a reader saw generation \(o.generation), which the writer never committed")
                    continue
                }
                #expect(o.documentCount == count, "generation \(o.generation)")
                #expect(o.matchAllCount == count, "generation \(o.generation)")
            }
            // The final state, reopened from disk.
            let final = try IndexReader.open(at: dir)
            #expect(final.documentCount == model.count)
            let ids = Set(try final.search(.matchAll, options: SearchOptions(limit: 1_000)).hits.map(\.id))
            #expect(ids == Set(model.keys))
            for (id, body) in model.sorted(by: { $0.key < $1.key }).prefix(20) {
                #expect(try final.document(id: id)?.body == body)
            }
        }
    }
}
