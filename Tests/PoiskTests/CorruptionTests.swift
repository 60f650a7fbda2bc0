// Damage every file of a persisted index (truncation, flipped bytes) and require that the
// checker names the damaged file and that readers throw `PoiskError` or succeed, never crash.
//
// For: the on-disk format's damage detection (CRC-32C per section, magic numbers, versions) and
// the reader's bounds checks on the lazily verified sections. Not for: crash safety of writes
// (FaultInjectionTests, CrashTests).

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

/// Builds the two-commit seed index the damage tests work on: commit 1 adds the five seed
/// articles, commit 2 deletes one, so the directory holds a commit, a segment and a delete file.
enum DamageFixture {
    static let deletedID = "002_d3562a3d2d08cdb6.txt"

    static func build(at path: String) throws {
        let writer = try IndexWriter(at: path)
        try writer.add(contentsOf: try Fixtures.seedDocuments())
        try writer.commit()
        try writer.delete(id: deletedID)
        try writer.commit()
        writer.close()
    }

    /// The index files (everything but the lock), sorted.
    static func indexFiles(in path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).filter { $0 != IndexLock.fileName }.sorted()
    }

    /// Replaces a file's contents through a temporary file and a rename, so no mapping of the
    /// old contents can ever see a truncated file.
    static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".replacing"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        do { try SystemPath.rename(temporary, to: path) } catch {
            throw PoiskError.io(path: path, reason: "rename failed: \(error.message)")
        }
    }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The damaged byte offsets to try: every one of the first and last 64 bytes, every 13th
    /// byte in between.
    static func flipOffsets(count n: Int) -> [Int] {
        var offsets = Set(0..<min(64, n))
        offsets.formUnion(max(0, n - 64)..<n)
        if n > 128 { offsets.formUnion(stride(from: 64, to: n - 64, by: 13)) }
        return offsets.sorted()
    }

    /// The truncated lengths to try: 0, 1, every 97th length, and length − 1.
    static func truncationLengths(count n: Int) -> [Int] {
        var lengths = Set([0, 1, n - 1].filter { $0 >= 0 && $0 < n })
        lengths.formUnion(stride(from: 0, to: n, by: 97))
        return lengths.sorted()
    }
}

@Suite struct CorruptionTests {
    /// What happened over all damage cases of one file.
    struct Outcome {
        var cases = 0
        var undetected: [String] = []
        var notNamed: [String] = []
        var checkerThrew: [String] = []
        var readerNonPoiskErrors: [String] = []
        var readerThrew = 0
        var readerSucceeded = 0
        var slowest: Double = 0
    }

    /// Opens the damaged index, runs two queries and fetches every hit's document.
    static func exerciseReader(_ path: String) throws {
        let reader = try IndexReader.open(at: path)
        _ = reader.documentCount
        for query in ["Patriot", "\"air defense\""] {
            let results = try reader.search(query)
            for hit in results.hits { _ = try reader.document(id: hit.id) }
        }
        _ = try reader.document(id: DamageFixture.deletedID)
    }

    static func runCase(_ label: String, file name: String, index: String, outcome: inout Outcome) {
        let started = Date()
        outcome.cases += 1
        do {
            let report = try IndexChecker.check(at: index)
            if report.isValid {
                outcome.undetected.append(label)
            } else if !report.problems.contains(where: { $0.file == name }) {
                outcome.notNamed.append("\(label): \(report.problems.map(\.description))")
            }
        } catch {
            outcome.checkerThrew.append("\(label): \(error)")
        }
        do {
            try exerciseReader(index)
            outcome.readerSucceeded += 1
        } catch is PoiskError {
            outcome.readerThrew += 1
        } catch {
            outcome.readerNonPoiskErrors.append("\(label): \(error)")
        }
        outcome.slowest = max(outcome.slowest, Date().timeIntervalSince(started))
    }

    static func summary(_ list: [String]) -> String {
        "\(list.count) case(s), first: \(list.prefix(8).joined(separator: "; "))"
    }

    /// Every file kind of the index: truncated and byte-flipped, one case at a time.
    @Test(.timeLimit(.minutes(2)), arguments: [".pkc", ".seg", ".del"])
    func everyDamageIsNamedByTheCheckerAndNeverCrashesAReader(kind: String) throws {
        try withTemporaryDirectory { index in
            try DamageFixture.build(at: index)
            let files = try DamageFixture.indexFiles(in: index)
            // The newest file of the kind: for commits, the one readers open (the writer keeps
            // the one before it as a fallback).
            let name = try #require(files.last { $0.hasSuffix(kind) }, "no \(kind) file in \(files)")
            // The undamaged index is sound and shows the expected documents.
            #expect(try IndexChecker.check(at: index).isValid)
            #expect(try IndexReader.open(at: index).documentCount == 4)

            let path = index + "/" + name
            let original = try DamageFixture.read(path)
            let n = original.count
            #expect(n > 0)
            var outcome = Outcome()
            for length in DamageFixture.truncationLengths(count: n) {
                try DamageFixture.replace(path, with: Array(original[0..<length]))
                Self.runCase("\(name) truncated to \(length) of \(n)", file: name, index: index, outcome: &outcome)
            }
            for offset in DamageFixture.flipOffsets(count: n) {
                for mask: UInt8 in [0xFF, 0x01] {
                    var damaged = original
                    damaged[offset] ^= mask
                    try DamageFixture.replace(path, with: damaged)
                    Self.runCase("\(name) byte \(offset) ^ 0x\(String(mask, radix: 16))", file: name, index: index, outcome: &outcome)
                }
            }
            try DamageFixture.replace(path, with: original)

            #expect(outcome.undetected.isEmpty, "damage the checker missed: \(Self.summary(outcome.undetected))")
            #expect(outcome.notNamed.isEmpty, "problems not naming \(name): \(Self.summary(outcome.notNamed))")
            #expect(outcome.checkerThrew.isEmpty, "checker threw: \(Self.summary(outcome.checkerThrew))")
            #expect(
                outcome.readerNonPoiskErrors.isEmpty, "reader threw a non-Poisk error: \(Self.summary(outcome.readerNonPoiskErrors))")
            #expect(outcome.slowest < 2, "the slowest damage case took \(outcome.slowest) s")
            #expect(outcome.cases == outcome.readerThrew + outcome.readerSucceeded + outcome.readerNonPoiskErrors.count)
            // Restored: sound again.
            #expect(try IndexChecker.check(at: index).isValid)
            #expect(try IndexReader.open(at: index).documentCount == 4)
        }
    }

    /// Damage the checker must catch and the reader must never use: the file headers. A reader
    /// refuses the index when the damaged file is one every commit needs (the segment), and
    /// otherwise opens a commit that does not name it, saying which newer commit it passed over.
    @Test func damagedHeadersAreNeverUsed() throws {
        try withTemporaryDirectory { index in
            try DamageFixture.build(at: index)
            let files = try DamageFixture.indexFiles(in: index)
            #expect(files.filter { $0.hasSuffix(".pkc") }.count == 2, "\(files)")
            let newestCommit = try #require(files.last { $0.hasSuffix(".pkc") })
            for name in files {
                let path = index + "/" + name
                let original = try DamageFixture.read(path)
                for offset in 0..<8 {  // the magic number of every file kind
                    var damaged = original
                    damaged[offset] ^= 0x20
                    try DamageFixture.replace(path, with: damaged)
                    let label: Comment = "\(name) magic byte \(offset)"
                    #expect(try IndexChecker.check(at: index).problems.contains { $0.file == name }, label)
                    if name.hasSuffix(".seg") {
                        #expect(throws: PoiskError.self, label) { try Self.exerciseReader(index) }
                    } else {
                        let reader = try IndexReader.open(at: index)
                        try Self.exerciseReader(index)
                        if name == newestCommit || name.hasSuffix(".del") {
                            // Fell back to the first commit: the deleted document is back.
                            #expect(reader.generation == 1, label)
                            #expect(reader.documentCount == 5, label)
                            #expect(reader.skippedCommits.map(\.file) == [newestCommit], label)
                        } else {
                            #expect(reader.generation == 2, label)
                            #expect(reader.skippedCommits.isEmpty, label)
                        }
                    }
                }
                try DamageFixture.replace(path, with: original)
            }
        }
    }

    /// A torn newest commit (a power loss before the drive wrote it): readers, the writer and the
    /// checker fall back to the previous commit, whose files the writer kept, and say so; the
    /// next commit is numbered above the damaged one and replaces it.
    @Test func aDamagedNewestCommitFallsBackToThePreviousOne() throws {
        try withTemporaryDirectory { index in
            try DamageFixture.build(at: index)
            let newest = CommitData.fileName(generation: 2)
            let path = index + "/" + newest
            let original = try DamageFixture.read(path)
            try DamageFixture.replace(path, with: Array(original[0..<(original.count / 2)]))

            let reader = try IndexReader.open(at: index)
            #expect(reader.generation == 1)
            #expect(reader.documentCount == 5)
            #expect(try reader.document(id: DamageFixture.deletedID) != nil)
            #expect(reader.skippedCommits.count == 1)
            #expect(reader.skippedCommits.first?.file == newest)
            #expect(reader.skippedCommits.first?.reason.contains("truncated") == true)

            let report = try IndexChecker.check(at: index)
            #expect(!report.isValid)
            #expect(report.commitFile == CommitData.fileName(generation: 1))
            #expect(report.skippedCommits.map(\.file) == [newest])
            #expect(report.problems.contains { $0.file == newest && $0.reason.contains("fell back to commit-0000000001.pkc") })
            #expect(report.documents == 5)

            // The writer continues from the intact commit, numbering past the damaged one.
            let writer = try IndexWriter(at: index)
            try writer.delete(id: DamageFixture.deletedID)
            try writer.commit()
            #expect(writer.generation == 3)
            writer.close()
            let after = try IndexReader.open(at: index)
            #expect(after.generation == 3)
            #expect(after.skippedCommits.isEmpty)
            #expect(after.documentCount == 4)
            #expect(try IndexChecker.check(at: index).isValid)
            // The damaged commit is gone; the one before the newest is kept.
            let commits = try DamageFixture.indexFiles(in: index).filter { $0.hasSuffix(".pkc") }
            #expect(commits == [CommitData.fileName(generation: 1), CommitData.fileName(generation: 3)])
        }
    }

    /// Commits keep the previous commit's files and remove older ones.
    @Test func theWriterKeepsExactlyThePreviousCommit() throws {
        try withTemporaryDirectory { index in
            let writer = try IndexWriter(at: index, options: IndexWriterOptions(autoMerge: false))
            let documents = try Fixtures.seedDocuments()
            for (i, document) in documents.enumerated() {
                try writer.add(document)
                try writer.commit()
                let files = try DamageFixture.indexFiles(in: index)
                let commits = files.filter { $0.hasSuffix(".pkc") }
                let expected = (max(1, i)...(i + 1)).map { CommitData.fileName(generation: $0) }
                #expect(commits == expected, "after commit \(i + 1): \(files)")
                // Every segment of both commits is there, and no other.
                #expect(files.filter { $0.hasSuffix(".seg") }.count == i + 1)
                #expect(!files.contains { $0.hasSuffix(".tmp") })
            }
            writer.close()
        }
    }

    /// Rewrites the version field of a commit file (and its CRC-32C) to `version`.
    static func commitBytes(_ bytes: [UInt8], withVersion version: UInt32) -> [UInt8] {
        var b = bytes
        for i in 0..<4 { b[8 + i] = UInt8(truncatingIfNeeded: version >> (8 * UInt32(i))) }
        let crc = CRC32C.checksum(Array(b[0..<(b.count - 4)]))
        for i in 0..<4 { b[b.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        return b
    }

    @Test func commitFromANewerFormatIsRefusedAsUnsupported() throws {
        try withTemporaryDirectory { index in
            try DamageFixture.build(at: index)
            let name = try #require(try DamageFixture.indexFiles(in: index).last { $0.hasSuffix(".pkc") })
            let path = index + "/" + name
            let original = try DamageFixture.read(path)
            // The rewrite itself is sound: the same version with a recomputed CRC still opens.
            try DamageFixture.replace(path, with: Self.commitBytes(original, withVersion: UInt32(segmentFormatVersion)))
            #expect(try IndexReader.open(at: index).documentCount == 4)

            let newer = segmentFormatVersion + 1
            try DamageFixture.replace(path, with: Self.commitBytes(original, withVersion: UInt32(newer)))
            let expected = PoiskError.unsupportedFormatVersion(file: name, found: newer, supported: segmentFormatVersion)
            #expect(throws: expected) { try IndexReader.open(at: index) }
            #expect(throws: expected) { try IndexWriter(at: index) }
            let report = try IndexChecker.check(at: index)
            #expect(!report.isValid)
            #expect(report.problems.contains { $0.file == name && $0.reason.contains("\(newer)") })
            // The message tells the user what to do.
            #expect(expected.description.contains("upgrade Poisk or rebuild"))
        }
    }

    @Test func segmentFromANewerFormatIsRefusedAsUnsupported() throws {
        try withTemporaryDirectory { index in
            try DamageFixture.build(at: index)
            let name = try #require(try DamageFixture.indexFiles(in: index).first { $0.hasSuffix(".seg") })
            let path = index + "/" + name
            var bytes = try DamageFixture.read(path)
            let newer = segmentFormatVersion + 1
            // Header and footer both say `newer`, as a newer writer would write them.
            bytes[8] = UInt8(newer)
            bytes[bytes.count - 8] = UInt8(newer)
            try DamageFixture.replace(path, with: bytes)
            let expected = PoiskError.unsupportedFormatVersion(file: name, found: newer, supported: segmentFormatVersion)
            #expect(throws: expected) { try IndexReader.open(at: index) }
            let report = try IndexChecker.check(at: index)
            #expect(report.problems.contains { $0.file == name })
        }
    }

    @Test func aDirectoryWithoutCommitIsNotAnIndex() throws {
        try withTemporaryDirectory { dir in
            #expect(throws: PoiskError.notAnIndex(path: dir)) { try IndexReader.open(at: dir) }
            #expect(throws: PoiskError.notAnIndex(path: dir)) { try IndexChecker.check(at: dir) }
            // Stray files do not make it an index either.
            try DamageFixture.replace(dir + "/seg-00000001.seg", with: [1, 2, 3])
            #expect(throws: PoiskError.notAnIndex(path: dir)) { try IndexReader.open(at: dir) }
            // A regular file is not an index.
            let file = dir + "/plain.txt"
            try DamageFixture.replace(file, with: Array("hello".utf8))
            #expect(throws: PoiskError.notAnIndex(path: file)) { try IndexReader.open(at: file) }
        }
    }

    @Test func aMissingPathIsFileNotFound() throws {
        let missing = temporaryPath("poisk-missing-")
        #expect(throws: PoiskError.fileNotFound(path: missing)) { try IndexReader.open(at: missing) }
        #expect(throws: PoiskError.fileNotFound(path: missing)) { try IndexChecker.check(at: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    /// A commit naming a segment or delete file that is gone: the checker names it; the reader
    /// throws when no commit opens without it (the segment) and otherwise falls back (the delete
    /// file only the newest commit names).
    @Test func aMissingSegmentFileIsNamed() throws {
        try withTemporaryDirectory { index in
            try DamageFixture.build(at: index)
            for name in try DamageFixture.indexFiles(in: index) where !name.hasSuffix(".pkc") {
                let path = index + "/" + name
                let original = try DamageFixture.read(path)
                try FileManager.default.removeItem(atPath: path)
                let report = try IndexChecker.check(at: index)
                #expect(!report.isValid)
                #expect(report.problems.contains { $0.file == name }, "\(report.problems)")
                if name.hasSuffix(".del") {
                    let reader = try IndexReader.open(at: index)
                    #expect(reader.generation == 1)
                    #expect(reader.skippedCommits.first?.reason.contains(name) == true)
                } else {
                    #expect(throws: PoiskError.self) { try IndexReader.open(at: index) }
                }
                try DamageFixture.replace(path, with: original)
            }
            #expect(try IndexChecker.check(at: index).isValid)
        }
    }
}
