// Opening an index directory: the newest intact commit, its segments (memory-mapped) and deletes.
//
// A commit whose file is damaged, or that names a segment or delete file that is missing or
// damaged, is skipped for the next older one, as Lucene's reader does when it looks for a
// readable segments file; the reader, the writer and `poisk check` say which commits were
// skipped and why (``IndexReader/skippedCommits``). The writer keeps the files of the commit
// before the newest until the next commit is durable, so a power loss that tears the newest
// commit still leaves the previous one to fall back to.

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

extension IndexReader {
    /// Opens the index at `path` as of its newest intact commit.
    ///
    /// Opening maps the segment files and verifies their footers, section tables and small
    /// sections; large sections are verified on first use. Cost: O(segments + terms' index), not
    /// O(index size). When the newest commit is damaged or names a missing or damaged file, the
    /// newest older commit that opens is used instead and ``skippedCommits`` says why.
    /// - Parameter path: the index directory.
    /// - Throws: `PoiskError.fileNotFound`, `.notAnIndex`, `.corruptIndex` (no commit opens: the
    ///   newest one's damage), `.unsupportedFormatVersion`.
    public static func open(at path: String) throws -> IndexReader {
        try open(directory: IndexDirectory(path: path))
    }

    /// Opens the index at a file URL. See ``open(at:)-(String)``.
    public static func open(at url: URL) throws -> IndexReader { try open(at: url.path) }

    package static func open(directory: IndexDirectory) throws -> IndexReader {
        guard let found = try newestReadableCommit(in: directory) else {
            throw PoiskError.notAnIndex(path: directory.path)
        }
        return IndexReader(
            segments: found.views, generation: found.commit.generation, schema: found.commit.schema,
            skippedCommits: found.skipped)
    }

    package static func open(directory: IndexDirectory, commit: CommitData) throws -> IndexReader {
        IndexReader(
            segments: try segmentViews(directory: directory, commit: commit), generation: commit.generation,
            schema: commit.schema)
    }

    /// The newest commit of a directory that opens, or nil when the directory has no commit file.
    package static func latestCommit(in directory: IndexDirectory) throws -> CommitData? {
        try newestReadableCommit(in: directory)?.commit
    }

    /// The generations of the commit files in a directory, newest first.
    package static func commitGenerations(in directory: IndexDirectory) throws -> [Int] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw PoiskError.fileNotFound(path: directory.path)
        }
        guard isDirectory.boolValue else { throw PoiskError.notAnIndex(path: directory.path) }
        return try directory.list().compactMap(CommitData.generation(ofFileName:)).sorted(by: >)
    }

    /// Reads and decodes one commit file, checking that its contents name its own generation.
    package static func readCommit(generation: Int, in directory: IndexDirectory) throws -> CommitData {
        let name = CommitData.fileName(generation: generation)
        let bytes = try FileBytes(mapping: directory.url(name), name: name)
        let commit = try CommitData.decode(bytes.buffer, file: name)
        guard commit.generation == generation else {
            throw PoiskError.corruptIndex(
                file: name, section: "commit", reason: "names generation \(commit.generation), not \(generation)")
        }
        return commit
    }

    /// The newest commit whose file decodes and whose segment and delete files open, with those
    /// opened, and the newer commits passed over; nil when there is no commit file.
    ///
    /// A file that goes missing while a commit is opened may be the work of a writer that
    /// committed twice in the meantime: when the directory then holds a newer commit, the search
    /// starts again from it (a few times) rather than falling back.
    /// - Throws: `.unsupportedFormatVersion` (never skipped: it is not damage), or the newest
    ///   commit's error when no commit opens.
    static func newestReadableCommit(
        in directory: IndexDirectory
    ) throws -> (
        commit: CommitData, views: [SegmentView], skipped: [SkippedCommit]
    )? {
        var attempt = 0
        search: while true {
            attempt += 1
            let generations = try commitGenerations(in: directory)
            guard let newest = generations.first else { return nil }
            var skipped: [SkippedCommit] = []
            var newestError: Error?
            for generation in generations {
                do {
                    let commit = try readCommit(generation: generation, in: directory)
                    let views = try segmentViews(directory: directory, commit: commit)
                    return (commit, views, skipped)
                } catch let error as PoiskError {
                    if case .unsupportedFormatVersion = error { throw error }
                    if case .fileNotFound = error, attempt < 5,
                        let now = try commitGenerations(in: directory).first, now > newest
                    {
                        continue search
                    }
                    newestError = newestError ?? error
                    skipped.append(
                        SkippedCommit(generation: generation, file: CommitData.fileName(generation: generation), error: error))
                }
            }
            throw newestError ?? PoiskError.notAnIndex(path: directory.path)
        }
    }

    /// The segments of `commit`, mapped and checked against it, without the analyzers and schema
    /// a reader adds (for the writer, which only looks documents up by id).
    static func segmentViews(directory: IndexDirectory, commit: CommitData) throws -> [SegmentView] {
        var views: [SegmentView] = []
        for s in commit.segments {
            let fileName = s.name + ".seg"
            let bytes = try FileBytes(mapping: directory.url(fileName), name: fileName)
            let reader = try SegmentReader(bytes: bytes, verify: false)
            guard reader.docCount == s.docCount else {
                throw PoiskError.corruptIndex(file: fileName, section: "meta", reason: "document count differs from the commit's")
            }
            var deleted: DeletedDocs?
            if s.deleteGeneration > 0 {
                let delName = DeleteFile.fileName(segment: s.name, generation: s.deleteGeneration)
                let delBytes = try FileBytes(mapping: directory.url(delName), name: delName)
                let d = try DeleteFile.decode(delBytes.buffer, docCount: s.docCount, file: delName)
                guard d.count == s.deletedCount else {
                    throw PoiskError.corruptIndex(file: delName, section: "deletes", reason: "count differs from the commit's")
                }
                deleted = d
            }
            views.append(SegmentView(reader: reader, deleted: deleted))
        }
        return views
    }
}
