// The writer: commits, reopening, upserts, deletes, merges, locking, cleanup.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct IndexWriterTests {
    func ids(_ reader: IndexReader, _ query: String = "*:*") throws -> Set<String> {
        Set(try reader.search(.matchAll, options: SearchOptions(limit: 10_000)).hits.map(\.id))
    }

    /// Flush chunks are balanced on estimated cost: text bytes, plus a weight per CJK/kana/Hangul
    /// character (a token each), plus a fixed cost per document, computed per document in parallel.
    @Test func estimatedCostsWeighCJKCharacters() {
        let documents = (0..<1_000).map { i in
            Document(id: "d\(i)", title: "t", body: i % 2 == 0 ? "plain words here" : "中可能存在 и слова")
        }
        let costs = IndexWriter.estimatedCosts(documents)
        for (i, d) in documents.enumerated() {
            let bytes = d.id.utf8.count + d.fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            let wide = i % 2 == 0 ? 0 : 5
            #expect(
                costs[i] == IndexWriter.costPerDocument + bytes + IndexWriter.costPerWideCharacter * wide, "doc \(i)")
        }
    }

    /// The vector and eight-at-a-time counts of bytes ≥ 0xE3 agree with a byte loop for every
    /// byte value, at every alignment and length, including runs long enough to fill a lane's
    /// one-byte counter (255 blocks of 32) and text made only of such bytes.
    @Test func countBytesFromE3MatchesAByteLoop() {
        var rng = SplitMix64(seed: 99)
        let all = (0...255).map { UInt8($0) }
        for length in [0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 256, 1000, 255 * 32 - 1, 255 * 32, 255 * 32 + 40, 20_000] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in all[Int(rng.next() % 256)] }
                let expected = bytes.filter { $0 >= 0xE3 }.count
                #expect(bytes.withUnsafeBytes { IndexWriter.countBytesFromE3($0) } == expected)
            }
        }
        #expect(all.withUnsafeBytes { IndexWriter.countBytesFromE3($0) } == 256 - 0xE3)
        let wide = [UInt8](repeating: 0xE4, count: 300 * 32 + 5)
        #expect(wide.withUnsafeBytes { IndexWriter.countBytesFromE3($0) } == wide.count)
        #expect(wide.withUnsafeBytes { IndexWriter.countBytesFromE3(UnsafeRawBufferPointer(rebasing: $0[3...])) } == wide.count - 3)
    }

    @Test func commitReopenAndSearch() throws {
        try withTemporaryDirectory { dir in
            let writer = try IndexWriter(at: dir)
            try writer.add(contentsOf: try Fixtures.seedDocuments())
            #expect(writer.uncommittedCount == 5)
            try writer.commit()
            writer.close()
            let reader = try IndexReader.open(at: dir)
            #expect(reader.documentCount == 5)
            let memory = try IndexReader.inMemory(try Fixtures.seedDocuments())
            let a = try reader.search("Patriot").hits
            let b = try memory.search("Patriot").hits
            #expect(a.map(\.id) == b.map(\.id))
            for (x, y) in zip(a, b) { #expect(abs(x.score - y.score) < 1e-12) }
        }
    }

    @Test func upsertDeleteAndOrdering() throws {
        try withTemporaryDirectory { dir in
            let writer = try IndexWriter(at: dir)
            try writer.add(Document(id: "a", body: "first version"))
            try writer.add(Document(id: "b", body: "bee"))
            try writer.commit()
            try writer.add(Document(id: "a", body: "second version"))
            try writer.commit()
            var reader = try writer.reader()
            #expect(reader.documentCount == 2)
            #expect(try reader.document(id: "a")?.body == "second version")
            #expect(try reader.search("first").total == 0)
            // Duplicates within one batch: last wins.
            try writer.add(Document(id: "c", body: "one"))
            try writer.add(Document(id: "c", body: "two"))
            // Add then delete in the same commit: deleted. Delete then add: kept.
            try writer.add(Document(id: "d", body: "dee"))
            try writer.delete(id: "d")
            try writer.delete(id: "b")
            try writer.add(Document(id: "b", body: "bee again"))
            try writer.commit()
            reader = try writer.reader()
            #expect(try reader.document(id: "c")?.body == "two")
            #expect(try reader.document(id: "d") == nil)
            #expect(try reader.document(id: "b")?.body == "bee again")
            #expect(try ids(reader) == ["a", "b", "c"])
            try writer.delete(id: "nonexistent")
            try writer.commit()
            #expect(try writer.reader().documentCount == 3)
        }
    }

    @Test func mergeKeepsLiveDocumentsAndScores() throws {
        try withTemporaryDirectory { dir in
            var options = IndexWriterOptions()
            options.autoMerge = false
            let writer = try IndexWriter(at: dir, options: options)
            let docs = try Fixtures.seedDocuments()
            for d in docs {
                try writer.add(d)
                try writer.commit()
            }
            try writer.delete(id: docs[1].id)
            try writer.commit()
            let before = try writer.reader()
            #expect(before.segmentCount == 4)  // the segment whose only document was deleted is dropped
            let hitsBefore = try before.search("Patriot OR Ukraine").hits
            try writer.merge(maxSegments: 1)
            let after = try writer.reader()
            #expect(after.segmentCount == 1)
            #expect(after.documentCount == 4)
            #expect(after.deletedCount == 0)
            #expect(Set(try after.search("Patriot OR Ukraine").hits.map(\.id)) == Set(hitsBefore.map(\.id)))
            for d in docs where d.id != docs[1].id { #expect(try after.document(id: d.id) == d) }
            let report = try IndexChecker.check(at: dir)
            #expect(report.isValid, "\(report.problems)")
            // A merge to N segments.
            for i in 0..<6 {
                try writer.add(Document(id: "x\(i)", body: "extra \(i)"))
                try writer.commit()
            }
            try writer.merge(maxSegments: 3)
            #expect(try writer.reader().segmentCount == 3)
            #expect(try writer.reader().documentCount == 10)
        }
    }

    @Test func logMergePolicyBoundsSegmentCount() throws {
        try withTemporaryDirectory { dir in
            var options = IndexWriterOptions()
            options.mergeFactor = 4
            let writer = try IndexWriter(at: dir, options: options)
            for i in 0..<20 {
                try writer.add(Document(id: "d\(i)", body: "word \(i)"))
                try writer.commit()
            }
            try writer.waitForMerges()  // merges run in the background
            let reader = try writer.reader()
            #expect(reader.documentCount == 20)
            #expect(reader.segmentCount < 8)
            #expect(reader.generation == 20, "one generation per commit, none per merge")
        }
    }

    @Test func secondWriterIsRefusedAndStrayFilesAreRemoved() throws {
        try withTemporaryDirectory { dir in
            let writer = try IndexWriter(at: dir)
            try writer.add(Document(id: "a", body: "x"))
            try writer.commit()
            #expect {
                _ = try IndexWriter(at: dir)
            } throws: { error in
                guard case PoiskError.indexLocked(_, let holder) = error else { return false }
                return holder.contains("pid \(getpid())")
            }
            writer.close()
            // Leave junk as a crashed writer would.
            for junk in ["seg-00000099.seg", "seg-00000099.seg.tmp", "commit-0000000009.pkc.tmp"] {
                _ = FileManager.default.createFile(atPath: dir + "/" + junk, contents: Data([1, 2, 3]))
            }
            let again = try IndexWriter(at: dir)
            let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
            #expect(names.isDisjoint(with: ["seg-00000099.seg", "seg-00000099.seg.tmp", "commit-0000000009.pkc.tmp"]))
            #expect(try again.reader().documentCount == 1)
        }
    }

    @Test func smallMemoryBudgetFlushesManySegmentsWithExactResults() throws {
        try withTemporaryDirectory { dir in
            var options = IndexWriterOptions()
            options.memoryBudgetBytes = 4096
            options.autoMerge = false
            options.threads = 2
            let writer = try IndexWriter(at: dir, options: options)
            let docs = try Fixtures.seedDocuments()
            try writer.add(contentsOf: docs)
            try writer.commit()
            let reader = try writer.reader()
            #expect(reader.segmentCount > 1)
            let memory = try IndexReader.inMemory(docs)
            let a = try reader.search("Ukraine OR Patriot").hits
            let b = try memory.search("Ukraine OR Patriot").hits
            #expect(a.map(\.id) == b.map(\.id))
            for (x, y) in zip(a, b) { #expect(abs(x.score - y.score) <= 1e-9 * y.score) }
        }
    }

    /// A worker out of documents takes over the back part of the piece with the most cost left
    /// (a share that leaves it time to finish two segments), never a part below the minimum, and
    /// every document stays in exactly one piece, pieces contiguous and in document order.
    @Test func flushWorkTakesOverTheBackOfTheLargestRemainingPiece() {
        let costs = [Int](repeating: 10, count: 100)
        var prefix = [0]
        for c in costs { prefix.append(prefix[prefix.count - 1] + c) }
        let work = FlushWork(chunks: [0..<50, 50..<100], costPrefix: prefix, maxPieces: 4, minTakenCost: 50)
        // Worker 0 runs through its chunk; worker 1 has built 10 documents of its own.
        var claimed0: [Int] = []
        while let i = work.claim(0) { claimed0.append(i) }
        #expect(claimed0 == Array(0..<50))
        for _ in 0..<10 { _ = work.claim(1) }
        let taken = work.takeOver()
        #expect(taken == 2)
        // 40 documents (cost 400) were left in piece 1; the taker gets 45% of that cost.
        let pieces = work.pieces()
        #expect(pieces.map(\.range) == [0..<50, 50..<82, 82..<100])
        var claimed1: [Int] = []
        while let i = work.claim(1) { claimed1.append(i) }
        #expect(claimed1 == Array(60..<82))
        var claimed2: [Int] = []
        while let i = work.claim(2) { claimed2.append(i) }
        #expect(claimed2 == Array(82..<100))
        // Nothing left worth taking (and nothing left at all).
        #expect(work.takeOver() == nil)

        // Below the minimum: no takeover.
        let small = FlushWork(chunks: [0..<50, 50..<100], costPrefix: prefix, maxPieces: 4, minTakenCost: 1_000)
        while small.claim(0) != nil {}
        #expect(small.takeOver() == nil)
        #expect(small.pieces().map(\.range) == [0..<50, 50..<100])
    }

    /// Built by four workers (pieces, takeovers, several segments) or by one, an index holds the
    /// same documents and answers every query alike.
    @Test func fourWorkersBuildTheSameIndexAsOne() throws {
        var rng = SplitMix64(seed: 404)
        let words = ["alpha", "beta", "gamma", "delta", "ракета", "система", "中文", "kernel"]
        let docs = (0..<3_000).map { i in
            Document(
                id: "d\(i % 2_900)",  // a hundred ids repeat: the later copy replaces the earlier
                title: words[Int(rng.next() % 8)],
                body: (0..<(1 + Int(rng.next() % 60))).map { _ in words[Int(rng.next() % 8)] }.joined(separator: " "))
        }
        var results: [[String]] = []
        for threads in [1, 4] {
            try withTemporaryDirectory { dir in
                let writer = try IndexWriter(at: dir, options: IndexWriterOptions(threads: threads, autoMerge: false))
                try writer.add(contentsOf: docs)
                try writer.commit()
                writer.close()
                let reader = try IndexReader.open(at: dir)
                #expect(reader.documentCount == 2_900)
                var answers: [String] = []
                for q in ["alpha", "beta OR ракета", "\"gamma delta\"", "kernel AND система", "中文", "title:beta"] {
                    let r = try reader.search(q, options: SearchOptions(limit: 50))
                    answers.append("\(q) \(r.total) " + r.hits.map { "\($0.id):\($0.score)" }.joined(separator: ","))
                }
                results.append(answers)
            }
        }
        #expect(results[0] == results[1])
    }
}
