// Opening an index directory as a reader: the newest commit that opens (see Snapshot, which
// finds it and falls back past damaged commits), with its segments memory-mapped.

import Foundation

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

    /// Opens the index at a file URL. See `open(at:)`.
    public static func open(at url: URL) throws -> IndexReader { try open(at: url.path) }

    package static func open(directory: IndexDirectory) throws -> IndexReader {
        guard let snapshot = try Snapshot.openNewest(in: directory) else {
            throw PoiskError.notAnIndex(path: directory.path)
        }
        return IndexReader(snapshot)
    }

    package static func open(directory: IndexDirectory, commit: CommitData) throws -> IndexReader {
        IndexReader(try Snapshot.open(commit, in: directory))
    }

    /// A reader of an opened snapshot: its segments, generation, schema and skipped commits.
    convenience init(_ snapshot: Snapshot) {
        self.init(
            segments: snapshot.segments, generation: snapshot.commit.generation, schema: snapshot.commit.schema,
            skippedCommits: snapshot.skipped, commit: snapshot.commit)
    }
}
