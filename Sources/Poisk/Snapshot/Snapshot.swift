// A snapshot: the segments of one commit, opened. Finding the newest commit that opens, falling
// back past damaged ones, lives here and nowhere else.
//
// For: the reader (`IndexReader.open`), the writer (its last commit at open, delete resolution,
// merges) and `poisk check`, which all see an index as the segments of one commit. A commit whose
// file is damaged, or that names a segment or delete file that is missing or damaged, is skipped
// for the next older one, as Lucene's reader does when it looks for a readable segments file; the
// reader, the writer and `poisk check` say which commits were skipped and why. The writer keeps the
// files of the commit before the newest until the next commit is durable, so a power loss that
// tears the newest commit still leaves the previous one to fall back to.
// Not for: searching (Search/), writing commits (IndexWriter) or segment bytes (Format/).

import Foundation

/// A commit that could not be opened and was passed over for an older one.
public struct SkippedCommit: Sendable, Equatable, CustomStringConvertible {
    /// The commit's generation.
    public var generation: Int
    /// The commit file, relative to the index directory.
    public var file: String
    /// What is wrong with it (the commit file itself or a file it names).
    public var reason: String { error.description }
    /// The error opening it gave: it names the damaged or missing file.
    public var error: PoiskError

    /// `commit-….pkc: reason`.
    public var description: String { "\(file): \(reason)" }
}

/// The segments of one commit, mapped and checked against it (document and delete counts).
package struct Snapshot: Sendable {
    /// The commit.
    package let commit: CommitData
    /// Its segments, in the commit's order.
    let segments: [SegmentView]
    /// Newer commits passed over because they did not open, newest first.
    package let skipped: [SkippedCommit]

    /// Opens the segments of `commit`.
    /// - Throws: the first segment's or delete file's error (`.fileNotFound`, `.corruptIndex`,
    ///   `.unsupportedFormatVersion`).
    /// - Complexity: O(segments + their small sections); large sections are verified on first use.
    package static func open(_ commit: CommitData, in directory: IndexDirectory) throws -> Snapshot {
        try open(commit, in: directory, reusing: [:])
    }

    /// Opens the segments of `commit`, taking the ones already open from `open`: segments of an
    /// older snapshot of the same directory, by name. A segment file never changes once
    /// written, so these are taken as they are and only their delete files are read again (when
    /// the commit names another one).
    static func open(
        _ commit: CommitData, in directory: IndexDirectory, reusing open: [String: SegmentView]
    ) throws -> Snapshot {
        Snapshot(
            commit: commit,
            segments: try commit.segments.map { s in
                guard let old = open[s.name], old.reader.docCount == s.docCount else {
                    return try SegmentView.open(s, in: directory)
                }
                if old.deleteGeneration == s.deleteGeneration { return old }
                return SegmentView(
                    reader: old.reader, deleted: try SegmentView.readDeletes(s, in: directory),
                    deleteGeneration: s.deleteGeneration)
            },
            skipped: [])
    }

    /// The newest commit of a directory whose file decodes and whose segment and delete files
    /// open, with those opened and the newer commits passed over; nil when there is no commit
    /// file.
    ///
    /// A file that goes missing while a commit is opened may be the work of a writer that
    /// committed twice in the meantime: when the directory then holds a newer commit, the search
    /// starts again from it (a few times) rather than falling back.
    /// - Throws: `.fileNotFound` / `.notAnIndex` when the directory is missing or a file,
    ///   `.unsupportedFormatVersion` (never skipped: it is not damage), or the newest commit's
    ///   error when no commit opens.
    package static func openNewest(in directory: IndexDirectory) throws -> Snapshot? {
        try openNewest(in: directory, reusing: [:])
    }

    static func openNewest(in directory: IndexDirectory, reusing open: [String: SegmentView]) throws -> Snapshot? {
        var attempt = 0
        search: while true {
            attempt += 1
            let points = try commitPoints(in: directory)
            guard let newest = points.first else { return nil }
            var skipped: [SkippedCommit] = []
            var newestError: Error?
            for point in points {
                do {
                    let commit = try readCommit(point, in: directory)
                    let opened = try Snapshot.open(commit, in: directory, reusing: open)
                    return Snapshot(commit: commit, segments: opened.segments, skipped: skipped)
                } catch let error as PoiskError {
                    if case .unsupportedFormatVersion = error { throw error }
                    if case .fileNotFound = error, attempt < 5,
                        let now = try commitPoints(in: directory).first, now > newest
                    {
                        continue search
                    }
                    newestError = newestError ?? error
                    skipped.append(SkippedCommit(generation: point.generation, file: point.fileName, error: error))
                }
            }
            throw newestError ?? PoiskError.notAnIndex(path: directory.path)
        }
    }

    /// The generations of the commit files in a directory, newest first (each once, whatever
    /// versions it has).
    /// - Throws: `.fileNotFound` when the directory is missing, `.notAnIndex` when it is a file.
    package static func commitGenerations(in directory: IndexDirectory) throws -> [Int] {
        var seen = Set<Int>()
        return try commitPoints(in: directory).map(\.generation).filter { seen.insert($0).inserted }
    }

    /// The commit files in a directory (user commits and the merges' versions), newest first.
    /// - Throws: `.fileNotFound` when the directory is missing, `.notAnIndex` when it is a file.
    package static func commitPoints(in directory: IndexDirectory) throws -> [CommitPoint] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw PoiskError.fileNotFound(path: directory.path)
        }
        guard isDirectory.boolValue else { throw PoiskError.notAnIndex(path: directory.path) }
        return try directory.list().compactMap(CommitData.point(ofFileName:)).sorted(by: >)
    }

    /// The newest commit file's point, or nil: one directory listing, no file read (what a
    /// reader manager checks to learn that another process committed).
    package static func newestPoint(in directory: IndexDirectory) throws -> CommitPoint? {
        try directory.list().lazy.compactMap(CommitData.point(ofFileName:)).max()
    }

    /// The files a cleaned index directory holds: the lock, the newest commit that opens and the
    /// commit before it (the writer keeps that one until the next commit is durable), with the
    /// segment and delete files they name. Empty when there is no commit.
    package static func filesKept(in directory: IndexDirectory) throws -> Set<String> {
        guard let commit = try openNewest(in: directory)?.commit else { return [] }
        var names = commit.fileNames
        names.insert(IndexLock.fileName)
        if let older = try commitPoints(in: directory).first(where: { $0 < commit.point }) {
            names.formUnion(try readCommit(older, in: directory).fileNames)
        }
        return names
    }

    /// Reads and decodes a user commit's file (version 0 of `generation`).
    package static func readCommit(generation: Int, in directory: IndexDirectory) throws -> CommitData {
        try readCommit(CommitPoint(generation: generation), in: directory)
    }

    /// Reads and decodes one commit file, checking that its contents name its own generation
    /// and version.
    package static func readCommit(_ point: CommitPoint, in directory: IndexDirectory) throws -> CommitData {
        let name = point.fileName
        let bytes = try FileBytes(mapping: directory.url(name), name: name)
        let commit = try CommitData.decode(bytes.buffer, file: name)
        guard commit.point == point else {
            throw PoiskError.corruptIndex(
                file: name, section: "commit", reason: "names commit \(commit.point), not \(point)")
        }
        return commit
    }
}
