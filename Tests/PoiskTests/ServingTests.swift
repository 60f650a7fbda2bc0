// Serving while the index changes: managers that follow a writer or a directory, near-real-time
// readers, background merges that never hold up a commit, user data and the id list for sync,
// and a long run of commits that must not grow mapped memory or descriptors.
//
// For: IndexReaderManager, IndexWriter.reader(), the background merge's publication and
// `close(cancellingMerges:)`. Not for: crashes during a merge (CrashTests, through the CLI) or
// I/O errors in one (FaultInjectionTests).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct ServingTests {
    static func document(_ n: Int, _ version: String = "one") -> Document {
        Document(id: "doc-\(n)", title: "title \(n)", body: "common word\(n) \(version) patriot")
    }

    /// A gate a background merge waits at before publishing, opened by the test.
    final class Gate: @unchecked Sendable {
        private let condition = NSCondition()
        private var open = false
        private(set) var arrivals = 0
        private var waitOnly: Int

        /// Holds the first `merges` merges that arrive; later ones pass.
        init(holding merges: Int = 1) { waitOnly = merges }

        func arrive() {
            condition.lock()
            arrivals += 1
            let hold = arrivals <= waitOnly
            condition.broadcast()
            while hold && !open { condition.wait() }
            condition.unlock()
        }

        /// Waits until `n` merges arrived (bounded: fails the test after a minute).
        func waitForArrivals(_ n: Int) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date().addingTimeInterval(60)
            while arrivals < n { if !condition.wait(until: deadline) { return false } }
            return true
        }

        func release() {
            condition.lock()
            open = true
            condition.broadcast()
            condition.unlock()
        }
    }

    @Test func aWritersManagerSeesEachCommitWhenItReturns() throws {
        try withTemporaryDirectory { path in
            let writer = try IndexWriter(at: path, options: IndexWriterOptions(threads: 1, mergeFactor: 3))
            let manager = try IndexReaderManager(writer: writer)
            #expect(manager.reader.documentCount == 0)
            for n in 1...25 {
                try writer.add(Self.document(n))
                #expect(try manager.reader.document(id: "doc-\(n)") == nil, "not before the commit")
                try writer.commit()
                let reader = manager.reader
                #expect(reader.generation == n)
                #expect(try reader.document(id: "doc-\(n)")?.title == "title \(n)")
                #expect(try reader.count("patriot") == n)
            }
            try writer.waitForMerges()
            #expect(manager.reader.segmentCount < 25, "background merges were published to the manager")
            #expect(try manager.reader.count("patriot") == 25)
            #expect(manager.generation == 25, "merges do not raise the generation")
            writer.close()
        }
    }

    @Test func aNearRealTimeReaderSeesUncommittedChangesWithoutWritingAFile() throws {
        try withTemporaryDirectory { path in
            let fs = FaultInjectingFileSystem()
            let writer = try IndexWriter(
                directory: IndexDirectory(path: path, fileSystem: fs), options: IndexWriterOptions(threads: 2))
            for n in 0..<10 { try writer.add(Self.document(n)) }
            try writer.commit(userData: ["cursor": "10"])
            fs.reset()
            try writer.add(Self.document(10))
            try writer.add(Self.document(3, "two"))
            try writer.delete(id: "doc-5")
            let nrt = try writer.reader()
            #expect(fs.log.isEmpty, "an NRT reader writes and syncs nothing: \(fs.log)")
            #expect(nrt.isNearRealTime)
            #expect(nrt.documentCount == 10)
            #expect(try nrt.document(id: "doc-10") != nil)
            #expect(try nrt.document(id: "doc-5") == nil)
            #expect(try nrt.document(id: "doc-3")?.body.hasSuffix("two patriot") == true)
            #expect(try nrt.count("two") == 1)
            #expect(try nrt.count("patriot") == 10)
            #expect(try writer.reader() === nrt, "no change since: the same reader")
            // Other readers see the last commit only.
            let committed = try IndexReader.open(at: path)
            #expect(committed.documentCount == 10)
            #expect(try committed.document(id: "doc-10") == nil)
            #expect(try committed.document(id: "doc-5") != nil)
            // A near-real-time manager shows them on refresh; a plain one does not.
            let plain = try IndexReaderManager(writer: writer)
            let live = try IndexReaderManager(writer: writer, nearRealTime: true)
            #expect(try plain.refresh() == false)
            #expect(try plain.reader.document(id: "doc-10") == nil)
            #expect(try live.reader.document(id: "doc-10") != nil)
            try writer.add(Self.document(11))
            #expect(try live.reader.document(id: "doc-11") == nil)
            #expect(try live.refresh())
            #expect(try live.reader.document(id: "doc-11") != nil)
            #expect(try live.refresh() == false, "nothing changed since")
            // The commit writes the in-memory segments; everyone sees the same documents.
            try writer.commit()
            let reopened = try IndexReader.open(at: path)
            #expect(reopened.documentCount == 11)
            #expect(try reopened.document(id: "doc-5") == nil)
            #expect(try reopened.document(id: "doc-3")?.body.hasSuffix("two patriot") == true)
            #expect(reopened.userData == ["cursor": "10"], "a commit without user data keeps the last")
            #expect(plain.reader.documentCount == 11)
            #expect(try IndexChecker.check(at: path).isValid)
            writer.close()
        }
    }

    @Test func aDirectoryManagerSeesAnotherWritersCommitOnRefresh() throws {
        try withTemporaryDirectory { path in
            let writer = try IndexWriter(at: path, options: IndexWriterOptions(threads: 1, autoMerge: false))
            for n in 0..<5 { try writer.add(Self.document(n)) }
            try writer.commit()
            let manager = try IndexReaderManager(at: path)
            let first = manager.reader
            #expect(try manager.refresh() == false)
            try writer.add(Self.document(5))
            try writer.commit(userData: ["source": "feed", "cursor": "6"])
            #expect(manager.reader === first, "no refresh, no change")
            #expect(try manager.refresh())
            let second = manager.reader
            #expect(second.generation == 2)
            #expect(second.documentCount == 6)
            #expect(second.userData == ["source": "feed", "cursor": "6"])
            #expect(second.segmentCount == 2)
            #expect(second.segments[0].reader === first.segments[0].reader, "the unchanged segment is shared, not mapped again")
            // The old reader still answers from its snapshot.
            #expect(first.documentCount == 5)
            #expect(try first.count("patriot") == 5)
            // A merge is a new commit version: refresh sees it, the generation stays.
            try writer.merge(maxSegments: 1)
            #expect(try manager.refresh())
            #expect(manager.reader.segmentCount == 1)
            #expect(manager.reader.generation == 2)
            #expect(manager.reader.mergesSinceCommit.count == 1)
            #expect(manager.reader.userData == ["source": "feed", "cursor": "6"])
            #expect(manager.reader.commitFile == "commit-0000000002.1.pkc")
            writer.close()
        }
    }

    @Test(.timeLimit(.minutes(5))) func aManagerWithAnIntervalRefreshesOnItsOwn() throws {
        try withTemporaryDirectory { path in
            let writer = try IndexWriter(at: path, options: IndexWriterOptions(threads: 1))
            try writer.add(Self.document(0))
            try writer.commit()
            let manager = try IndexReaderManager(at: path, checkEvery: .milliseconds(5))
            try writer.add(Self.document(1))
            try writer.commit()
            // Bounded wait (no timing assertion): the timer must get there.
            for _ in 0..<10_000 where manager.generation < 2 { SystemProcess.sleep(seconds: 0.005) }
            #expect(manager.generation == 2)
            #expect(manager.reader.documentCount == 2)
            manager.stopChecking()
            writer.close()
        }
    }

    /// A merge that runs while commits delete and replace its sources' documents: the commits
    /// do not wait for it, and its publication carries their deletes over to the merged segment.
    @Test(.timeLimit(.minutes(5))) func commitsDoNotWaitForAMergeAndItsPublicationKeepsTheirDeletes() throws {
        try withTemporaryDirectory { path in
            let writer = try IndexWriter(at: path, options: IndexWriterOptions(threads: 1, mergeFactor: 2))
            let gate = Gate()
            writer.beforeMergePublishes = { _ in gate.arrive() }
            let manager = try IndexReaderManager(writer: writer)
            for n in 0..<5 { try writer.add(Self.document(n)) }
            try writer.commit()
            for n in 5..<10 { try writer.add(Self.document(n)) }
            try writer.commit()  // two segments in one tier: a merge starts
            #expect(gate.waitForArrivals(1), "the merge reached its publication")
            #expect(writer.isMerging)
            // The merge waits at the gate; commits go on.
            try writer.delete(id: "doc-1")
            try writer.add(Self.document(6, "two"))
            try writer.commit(userData: ["step": "3"])
            for n in 10..<13 {
                try writer.add(Self.document(n))
                try writer.commit()
            }
            #expect(writer.generation == 6)
            #expect(manager.reader.documentCount == 12)
            gate.release()
            try writer.waitForMerges()
            let reader = manager.reader
            #expect(reader.generation == 6, "merges never raise the generation")
            #expect(reader.documentCount == 12)
            #expect(try reader.document(id: "doc-1") == nil)
            #expect(try reader.document(id: "doc-6")?.body.hasSuffix("two patriot") == true)
            #expect(try reader.count("patriot") == 12)
            #expect(try reader.count("two") == 1)
            let merges = reader.mergesSinceCommit
            #expect(!merges.isEmpty)
            #expect(reader.userData.isEmpty || reader.userData == ["step": "3"])
            // From disk: the same, and sound.
            let reopened = try IndexReader.open(at: path)
            #expect(reopened.documentCount == 12)
            #expect(reopened.generation == 6)
            #expect(try reopened.document(id: "doc-1") == nil)
            #expect(try reopened.count("two") == 1)
            #expect(try IndexChecker.check(at: path).isValid)
            writer.close()
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: path))
            #expect(files == (try Snapshot.filesKept(in: IndexDirectory(path: path))))
        }
    }

    @Test(.timeLimit(.minutes(5))) func closingCancelsARunningMergeAndKeepsTheLastCommit() throws {
        try withTemporaryDirectory { path in
            let writer = try IndexWriter(at: path, options: IndexWriterOptions(threads: 1, mergeFactor: 2))
            let gate = Gate()
            writer.beforeMergePublishes = { _ in gate.arrive() }
            for n in 0..<4 { try writer.add(Self.document(n)) }
            try writer.commit()
            for n in 4..<8 { try writer.add(Self.document(n)) }
            try writer.commit()
            #expect(gate.waitForArrivals(1))
            // A thread of its own (Dispatch's may all be busy with other tests).
            let closer = try #require(SystemThread.start { writer.close(cancellingMerges: true) })
            // Open the gate once `close` has asked the merge to stop.
            func cancelled() -> Bool {
                writer.lock.lock()
                defer { writer.lock.unlock() }
                return writer.runningMerge?.isCancelled ?? false
            }
            for _ in 0..<10_000 where !cancelled() { SystemProcess.sleep(seconds: 0.001) }
            gate.release()
            closer.join()
            #expect(!writer.isMerging)
            let reader = try IndexReader.open(at: path)
            #expect(reader.segmentCount == 2, "the cancelled merge was not published")
            #expect(reader.documentCount == 8)
            #expect(reader.mergesSinceCommit.isEmpty)
            #expect(try IndexChecker.check(at: path).isValid)
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: path))
            #expect(files == (try Snapshot.filesKept(in: IndexDirectory(path: path))), "the merge's files are gone")
        }
    }

    @Test func userDataAndTheIdListServeAnIncrementalSync() throws {
        try withTemporaryDirectory { path in
            let writer = try IndexWriter(at: path, options: IndexWriterOptions(threads: 1, autoMerge: false))
            for n in [3, 1, 2] { try writer.add(Self.document(n)) }
            try writer.commit(userData: ["cursor": "a"])
            for n in [5, 4] { try writer.add(Self.document(n)) }
            try writer.add(Self.document(1, "two"))
            try writer.delete(id: "doc-2")
            try writer.commit(userData: ["cursor": "b"])
            let reader = try IndexReader.open(at: path)
            #expect(reader.userData == ["cursor": "b"])
            #expect(try reader.documentIDs() == ["doc-1", "doc-3", "doc-4", "doc-5"])
            var titles: [String: String] = [:]
            try reader.forEachDocument(loading: ["title"]) { id, fields in titles[id] = fields["title"] }
            #expect(titles == ["doc-1": "title 1", "doc-3": "title 3", "doc-4": "title 4", "doc-5": "title 5"])
            var bare: [String] = []
            try reader.forEachDocument { id, fields in
                #expect(fields.isEmpty)
                bare.append(id)
            }
            #expect(bare.sorted() == ["doc-1", "doc-3", "doc-4", "doc-5"])
            try writer.commit(userData: [:])
            #expect(try IndexReader.open(at: path).userData.isEmpty, "an empty dictionary clears it")
            writer.close()
        }
    }

    /// 10,000 commits with a manager following them: old readers go, and with them their
    /// mappings; no descriptor stays open. Bounded by the merge policy's segment count, not by
    /// the number of commits.
    @Test(.timeLimit(.minutes(3))) func tenThousandCommitsDoNotGrowMappingsOrDescriptors() throws {
        try withTemporaryDirectory { path in
            let writer = try IndexWriter(at: path, options: IndexWriterOptions(threads: 1, mergeFactor: 4))
            let manager = try IndexReaderManager(writer: writer)
            var samples: [(descriptors: Int, mapped: Int?)] = []
            for n in 0..<10_000 {
                try writer.add(Self.document(n % 300, "v\(n)"))
                try writer.commit()
                if n % 100 == 0 { _ = try manager.reader.count("patriot") }
                if n % 1000 == 999 {
                    try writer.waitForMerges()
                    samples.append((SystemProcess.openDescriptorCount, SystemProcess.mappedBytes(ofFilesUnder: path)))
                }
            }
            #expect(writer.generation == 10_000)
            #expect(try manager.reader.count("patriot") == 300)
            let first = samples[1]
            let last = samples[samples.count - 1]
            #expect(last.descriptors <= first.descriptors + 2, "descriptors: \(samples.map(\.descriptors))")
            if let firstMapped = first.mapped, let lastMapped = last.mapped {
                #expect(lastMapped <= max(2 * firstMapped, firstMapped + 1 << 20), "mapped: \(samples.map { $0.mapped ?? 0 })")
            }
            #expect(manager.reader.segmentCount < 40)
            print("10,000 commits: descriptors \(samples.map(\.descriptors)), mapped bytes \(samples.map { $0.mapped ?? -1 })")
            writer.close()
        }
    }
}
