// Failing writes, renames and directory fsyncs at every step of a commit and of a merge, and
// requiring that the index stays at its previous commit, passes the checker, and that the next
// writer cleans up and commits again.
//
// For: the writer's durability protocol (temporary file, fsync, rename, fsync the directory)
// against I/O errors such as a full disk or a permission change. Not for: process crashes
// (CrashTests kills a real child process) or damaged bytes (CorruptionTests).

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

/// A file system that forwards to `PosixFileSystem` and fails one chosen call.
final class FaultInjectingFileSystem: FileSystem {
    enum Operation: String, Sendable, CaseIterable {
        case writeFile, rename, syncDirectory
    }

    /// The error an injected failure reports.
    enum Failure: Sendable {
        case diskFull, permissionDenied
    }

    struct State {
        /// Every write, rename and directory sync so far, in order, with the path involved.
        var log: [(operation: Operation, path: String)] = []
        /// Fail the call whose index in `log` is this (nil: never fail).
        var failAt: Int?
        /// Or fail the first call this predicate accepts.
        var failWhere: (@Sendable (Operation, String) -> Bool)?
        var failure: Failure = .diskFull
        var injected = 0
    }

    private let base = PosixFileSystem()
    private let state = Protected(State())

    init() {}

    /// Fails the write/rename/sync call whose 0-based position in the log (counted since the
    /// last ``reset()``) is `index`; nil disarms it.
    func fail(atCall index: Int?, with failure: Failure = .diskFull) {
        state.withLock {
            $0.failAt = index
            $0.failure = failure
        }
    }

    /// Fails the first call from now on that `predicate` accepts (operation, path).
    func fail(where predicate: @escaping @Sendable (Operation, String) -> Bool, with failure: Failure = .diskFull) {
        state.withLock {
            $0.failWhere = predicate
            $0.failure = failure
        }
    }

    /// Clears the log (and any pending failure).
    func reset() {
        state.withLock {
            $0.log.removeAll()
            $0.failAt = nil
            $0.failWhere = nil
        }
    }

    var log: [(operation: Operation, path: String)] { state.withLock { $0.log } }
    var injected: Int { state.withLock { $0.injected } }

    /// Records the call; returns the error to throw (and whether the disk is full) if this
    /// call is the one chosen to fail.
    private func record(_ operation: Operation, _ path: String) -> (error: PoiskError, diskFull: Bool)? {
        state.withLock { s in
            let index = s.log.count
            s.log.append((operation, path))
            if let predicate = s.failWhere, predicate(operation, path) {
                s.failWhere = nil
            } else if s.failAt != index {
                return nil
            }
            s.injected += 1
            switch s.failure {
            case .diskFull:
                return (PoiskError.io(path: path, reason: "\(operation.rawValue) failed: No space left on device (the disk is full)"), true)
            case .permissionDenied:
                return (PoiskError.io(path: path, reason: "\(operation.rawValue) failed: Permission denied"), false)
            }
        }
    }

    func writeFile(_ path: String, bytes: [UInt8]) throws {
        if let failure = record(.writeFile, path) {
            // A full disk leaves a partly written file behind.
            if failure.diskFull { try base.writeFile(path, bytes: Array(bytes.prefix(bytes.count / 2))) }
            throw failure.error
        }
        try base.writeFile(path, bytes: bytes)
    }

    func rename(_ from: String, to: String) throws {
        if let failure = record(.rename, to) { throw failure.error }
        try base.rename(from, to: to)
    }

    func syncDirectory(_ path: String) throws {
        if let failure = record(.syncDirectory, path) { throw failure.error }
        try base.syncDirectory(path)
    }

    func remove(_ path: String) throws { try base.remove(path) }
    func list(_ directory: String) throws -> [String] { try base.list(directory) }
    func createDirectory(_ path: String) throws { try base.createDirectory(path) }
}

@Suite struct FaultInjectionTests {
    static func document(_ n: Int, batch: Int) -> Document {
        Document(id: "doc-\(n)", title: "Document \(n)", body: "batch\(batch) common words number \(n) about air defense")
    }

    /// Every live document of an index, id → body, found through the ids this test uses.
    static func visible(_ path: String, ids: Range<Int>) throws -> [String: String] {
        let reader = try IndexReader.open(at: path)
        var result: [String: String] = [:]
        for n in ids {
            if let d = try reader.document(id: "doc-\(n)") { result[d.id] = d.body }
        }
        #expect(reader.documentCount == result.count)
        return result
    }

    /// The files a sound, cleaned index directory may hold: the newest commit and the one before
    /// it (kept as a fallback until the next commit is durable), the files they name, and the
    /// lock.
    static func expectOnlyReferencedFiles(_ path: String, _ comment: Comment) throws {
        let allowed = try Snapshot.filesKept(in: IndexDirectory(path: path))
        #expect(!allowed.isEmpty)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: path))
        #expect(files.subtracting(allowed).isEmpty, "stray files \(files.subtracting(allowed).sorted()) (\(comment))")
        #expect(allowed.subtracting(files).isEmpty, "missing files \(allowed.subtracting(files).sorted()) (\(comment))")
    }

    /// Commit 1: ten documents, committed without faults.
    static func firstCommit(_ writer: IndexWriter) throws {
        for n in 0..<10 { try writer.add(document(n, batch: 1)) }
        try writer.commit()
    }

    /// Commit 2: ten new documents, two replacements of commit 1's and a delete (so the commit
    /// writes a segment, a delete file for the old segment and the commit file).
    static func secondCommitChanges(_ writer: IndexWriter) throws {
        for n in 10..<20 { try writer.add(document(n, batch: 2)) }
        try writer.add(document(3, batch: 2))
        try writer.add(document(4, batch: 2))
        try writer.delete(id: "doc-5")
    }

    static let afterFirst: [String: String] = Dictionary(uniqueKeysWithValues: (0..<10).map { ("doc-\($0)", document($0, batch: 1).body) })
    static let afterSecond: [String: String] = {
        var m = afterFirst
        for n in 10..<20 { m["doc-\(n)"] = document(n, batch: 2).body }
        m["doc-3"] = document(3, batch: 2).body
        m["doc-4"] = document(4, batch: 2).body
        m["doc-5"] = nil
        return m
    }()

    /// The write/rename/sync calls one fault-free second commit makes.
    static func countCommitCalls() throws -> [(operation: FaultInjectingFileSystem.Operation, path: String)] {
        try withTemporaryDirectory { path in
            let fs = FaultInjectingFileSystem()
            let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs))
            try firstCommit(writer)
            try secondCommitChanges(writer)
            fs.reset()
            try writer.commit()
            let calls = fs.log
            writer.close()
            #expect(try visible(path, ids: 0..<20) == afterSecond)
            return calls
        }
    }

    @Test func theCountingRunSeesTheWholeDurabilityProtocol() throws {
        let calls = try Self.countCommitCalls()
        let operations = calls.map(\.operation)
        // At least: segment (write, rename), delete file (write, rename), commit (write, rename, sync).
        #expect(operations.filter { $0 == .writeFile }.count >= 3)
        #expect(operations.filter { $0 == .rename }.count >= 3)
        #expect(operations.last == .syncDirectory)
        // Every file is written under a temporary name before it is renamed into place.
        for (i, call) in calls.enumerated() where call.operation == .writeFile {
            #expect(call.path.hasSuffix(".tmp"), "\(call.path)")
            #expect(i + 1 < calls.count && calls[i + 1].operation == .rename)
        }
        // The commit file is renamed into place last of all files.
        let lastRename = try #require(calls.last { $0.operation == .rename })
        #expect(lastRename.path.hasSuffix(".pkc"))
    }

    /// Fails every call of commit 2 in turn, with both kinds of error.
    @Test(.timeLimit(.minutes(2)), arguments: [FaultInjectingFileSystem.Failure.diskFull, .permissionDenied])
    func aFailedCommitLeavesThePreviousCommit(failure: FaultInjectingFileSystem.Failure) throws {
        let calls = try Self.countCommitCalls()
        #expect(calls.count >= 7)
        for (n, call) in calls.enumerated() {
            let label: Comment = "failing call \(n) (\(call.operation.rawValue) \(URL(fileURLWithPath: call.path).lastPathComponent))"
            try withTemporaryDirectory { path in
                let fs = FaultInjectingFileSystem()
                let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs))
                try Self.firstCommit(writer)
                try Self.secondCommitChanges(writer)
                fs.reset()
                fs.fail(atCall: n, with: failure)
                #expect(throws: PoiskError.self, label) { try writer.commit() }
                #expect(fs.injected == 1, label)
                writer.close()

                // The failure of the very last call (fsync of the directory after the commit
                // file's rename) cannot un-publish the rename: either state is acceptable then.
                let afterPublish = n == calls.count - 1 && call.operation == .syncDirectory
                let seen = try Self.visible(path, ids: 0..<20)
                if afterPublish {
                    #expect(seen == Self.afterFirst || seen == Self.afterSecond, label)
                } else {
                    #expect(seen == Self.afterFirst, label)
                }
                #expect(try IndexChecker.check(at: path).isValid, label)

                // A new writer removes what the failed commit left behind and commits again.
                let next = try IndexWriter(at: path)
                try Self.expectOnlyReferencedFiles(path, label)
                try Self.secondCommitChanges(next)
                try next.commit()
                try Self.expectOnlyReferencedFiles(path, label)
                next.close()
                #expect(try Self.visible(path, ids: 0..<20) == Self.afterSecond, label)
                #expect(try IndexChecker.check(at: path).isValid, label)
            }
        }
    }

    /// The same writer retries after a failed commit: the retry must commit every change, or
    /// throw; it must never report success with documents silently missing.
    @Test func retryingTheSameWriterAfterAFailedCommitKeepsEveryChange() throws {
        let calls = try Self.countCommitCalls()
        for (n, call) in calls.enumerated() {
            let label: Comment = "failing call \(n) (\(call.operation.rawValue) \(URL(fileURLWithPath: call.path).lastPathComponent))"
            try withTemporaryDirectory { path in
                let fs = FaultInjectingFileSystem()
                let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs))
                try Self.firstCommit(writer)
                try Self.secondCommitChanges(writer)
                fs.reset()
                fs.fail(atCall: n)
                #expect(throws: PoiskError.self, label) { try writer.commit() }
                fs.fail(atCall: nil)
                do {
                    try writer.commit()
                    writer.close()
                    #expect(try Self.visible(path, ids: 0..<20) == Self.afterSecond, label)
                } catch is PoiskError {
                    writer.close()
                    let seen = try Self.visible(path, ids: 0..<20)
                    #expect(seen == Self.afterFirst || seen == Self.afterSecond, label)
                }
                #expect(try IndexChecker.check(at: path).isValid, label)
            }
        }
    }

    /// With a merge factor of 2, commit 2 (three documents next to commit 1's three, both in
    /// the policy's lowest tier) also starts a background merge. A failure in that merge happens
    /// after commit 2 is published: `commit()` must then either succeed (the merge is only an
    /// optimization, on its own thread) or leave the previous commit, never throw while commit 2
    /// is visible. `close()` waits for the merge, so every call is counted.
    @Test func aFailedAutomaticMergeDoesNotFailAPublishedCommit() throws {
        let options = IndexWriterOptions(mergeFactor: 2)
        let first = Dictionary(uniqueKeysWithValues: (0..<3).map { ("doc-\($0)", Self.document($0, batch: 1).body) })
        let second = first.merging((3..<6).map { ("doc-\($0)", Self.document($0, batch: 2).body) }) { $1 }
        func setUp(_ writer: IndexWriter) throws {
            for n in 0..<3 { try writer.add(Self.document(n, batch: 1)) }
            try writer.commit()
            for n in 3..<6 { try writer.add(Self.document(n, batch: 2)) }
        }
        let calls: [(operation: FaultInjectingFileSystem.Operation, path: String)] = try withTemporaryDirectory { path in
            let fs = FaultInjectingFileSystem()
            let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs), options: options)
            try setUp(writer)
            fs.reset()
            try writer.commit()
            try writer.waitForMerges()
            #expect(try writer.reader().segmentCount == 1, "the policy merged the two segments")
            writer.close()
            #expect(try Self.visible(path, ids: 0..<6) == second)
            return fs.log
        }
        let publish = try #require(calls.firstIndex { $0.operation == .rename && $0.path.hasSuffix(".pkc") })
        #expect(calls.count > publish + 2, "the merge runs after the commit")
        for n in 0..<calls.count {
            let label: Comment = "failing call \(n) (\(calls[n].operation.rawValue) \(URL(fileURLWithPath: calls[n].path).lastPathComponent))"
            try withTemporaryDirectory { path in
                let fs = FaultInjectingFileSystem()
                let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs), options: options)
                try setUp(writer)
                fs.reset()
                fs.fail(atCall: n)
                var threw = false
                do { try writer.commit() } catch is PoiskError { threw = true }
                writer.close()
                let seen = try Self.visible(path, ids: 0..<6)
                if n == publish + 1 {
                    // The directory fsync right after the commit's rename: either state.
                    #expect(seen == first || seen == second, label)
                } else if threw {
                    #expect(seen == first, "commit() threw but commit 2 is visible: \(label)")
                } else {
                    #expect(seen == second, label)
                }
                #expect(try IndexChecker.check(at: path).isValid, label)
                let next = try IndexWriter(at: path)
                try Self.expectOnlyReferencedFiles(path, label)
                next.close()
            }
        }
    }

    /// Fails every call of a merge in turn.
    @Test(.timeLimit(.minutes(5))) func aFailedMergeLeavesThePreviousCommit() throws {
        // Counting run.
        let mergeCalls: Int = try withTemporaryDirectory { path in
            let fs = FaultInjectingFileSystem()
            let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs))
            try Self.firstCommit(writer)
            try Self.secondCommitChanges(writer)
            try writer.commit()
            #expect(try writer.reader().segmentCount == 2)
            fs.reset()
            try writer.merge(maxSegments: 1)
            #expect(try writer.reader().segmentCount == 1)
            writer.close()
            #expect(try Self.visible(path, ids: 0..<20) == Self.afterSecond)
            return fs.log.count
        }
        #expect(mergeCalls >= 5)
        for n in 0..<mergeCalls {
            try withTemporaryDirectory { path in
                let fs = FaultInjectingFileSystem()
                let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs))
                try Self.firstCommit(writer)
                try Self.secondCommitChanges(writer)
                try writer.commit()
                fs.reset()
                fs.fail(atCall: n, with: n % 2 == 0 ? .diskFull : .permissionDenied)
                #expect(throws: PoiskError.self, "merge call \(n)") { try writer.merge(maxSegments: 1) }
                writer.close()
                let reader = try IndexReader.open(at: path)
                #expect(reader.segmentCount == (n == mergeCalls - 1 ? reader.segmentCount : 2), "merge call \(n)")
                #expect(try Self.visible(path, ids: 0..<20) == Self.afterSecond, "merge call \(n)")
                #expect(try IndexChecker.check(at: path).isValid, "merge call \(n)")
                let next = try IndexWriter(at: path)
                try Self.expectOnlyReferencedFiles(path, "merge call \(n)")
                try next.merge(maxSegments: 1)
                #expect(try next.reader().segmentCount == 1)
                try Self.expectOnlyReferencedFiles(path, "merge call \(n)")
                next.close()
                #expect(try Self.visible(path, ids: 0..<20) == Self.afterSecond, "merge call \(n)")
            }
        }
    }

    /// A merge whose commit was renamed into place but whose directory fsync failed is visible
    /// on disk although `merge()` threw. The writer must not then reuse the merged segment's
    /// name: a later flush would overwrite a file the visible commit names, and a crash before
    /// the next commit (simulated by failing its commit file) would leave a damaged index.
    @Test func segmentNamesAreNeverReusedAfterAFailedMerge() throws {
        try withTemporaryDirectory { path in
            let fs = FaultInjectingFileSystem()
            let writer = try IndexWriter(
                directory: IndexDirectory(path: path, fileSystem: fs), options: IndexWriterOptions(autoMerge: false))
            for n in 0..<3 { try writer.add(Self.document(n, batch: 1)) }
            try writer.commit()
            for n in 3..<6 { try writer.add(Self.document(n, batch: 1)) }
            try writer.commit()
            let sixDocs = try Self.visible(path, ids: 0..<9)
            #expect(sixDocs.count == 6)
            // The merge's commit is renamed into place, then the directory fsync fails.
            fs.reset()
            fs.fail(where: { op, _ in op == .syncDirectory })
            #expect(throws: PoiskError.self) { try writer.merge(maxSegments: 1) }
            #expect(try Self.visible(path, ids: 0..<9) == sixDocs)
            // New documents are flushed to a segment, then the commit file cannot be written.
            for n in 6..<9 { try writer.add(Self.document(n, batch: 2)) }
            fs.fail(where: { op, p in op == .writeFile && p.hasSuffix(".pkc.tmp") })
            #expect(throws: PoiskError.self) { try writer.commit() }
            writer.close()
            // Whatever commit is visible must be intact.
            let report = try IndexChecker.check(at: path)
            #expect(report.isValid, "\(report.problems)")
            #expect(try Self.visible(path, ids: 0..<9) == sixDocs)
        }
    }

    /// The same for generations: a commit renamed into place whose directory fsync failed is
    /// visible. The writer's next commit must not reuse its generation, or it would overwrite
    /// the delete files that visible commit names.
    @Test func generationsAreNeverReusedAfterAFailedDirectorySync() throws {
        try withTemporaryDirectory { path in
            let fs = FaultInjectingFileSystem()
            let writer = try IndexWriter(
                directory: IndexDirectory(path: path, fileSystem: fs), options: IndexWriterOptions(autoMerge: false))
            try Self.firstCommit(writer)
            // Commit 2 deletes doc-1; its commit file is renamed into place, the fsync fails.
            try writer.delete(id: "doc-1")
            fs.fail(where: { op, _ in op == .syncDirectory })
            #expect(throws: PoiskError.self) { try writer.commit() }
            let published = try Self.visible(path, ids: 0..<20)
            // Then doc-2 is deleted too and that commit file cannot be written (a crash there).
            try writer.delete(id: "doc-2")
            fs.fail(where: { op, p in op == .writeFile && p.hasSuffix(".pkc.tmp") })
            #expect(throws: PoiskError.self) { try writer.commit() }
            writer.close()
            let report = try IndexChecker.check(at: path)
            #expect(report.isValid, "\(report.problems)")
            #expect(try Self.visible(path, ids: 0..<20) == published)
        }
    }

    /// A failure in the first commit of a new index: no commit exists, so the directory is not
    /// an index yet, and the next writer starts from scratch.
    @Test func aFailedFirstCommitLeavesNoIndex() throws {
        let calls: Int = try withTemporaryDirectory { path in
            let fs = FaultInjectingFileSystem()
            let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs))
            fs.reset()
            try Self.firstCommit(writer)
            writer.close()
            return fs.log.count
        }
        #expect(calls >= 5)
        for n in 0..<calls {
            try withTemporaryDirectory { path in
                let fs = FaultInjectingFileSystem()
                let writer = try IndexWriter(directory: IndexDirectory(path: path, fileSystem: fs))
                fs.reset()
                fs.fail(atCall: n)
                #expect(throws: PoiskError.self, "call \(n)") { try Self.firstCommit(writer) }
                writer.close()
                // Only a failed fsync after the commit's rename leaves the commit visible.
                if n < calls - 1 {
                    #expect(throws: PoiskError.notAnIndex(path: path), "call \(n)") { try IndexReader.open(at: path) }
                }
                let next = try IndexWriter(at: path)
                if n < calls - 1 {
                    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: path)) == [IndexLock.fileName], "call \(n)")
                } else {
                    try Self.expectOnlyReferencedFiles(path, "call \(n)")
                }
                for i in 0..<10 { try next.add(Self.document(i, batch: 1)) }
                try next.commit()
                next.close()
                #expect(try Self.visible(path, ids: 0..<20) == Self.afterFirst)
            }
        }
    }
}
