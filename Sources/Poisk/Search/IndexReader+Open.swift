// Opening an index directory: the newest commit, its segments (memory-mapped) and deletes.

import Foundation

extension IndexReader {
    /// Opens the index at `path` as of its newest commit.
    ///
    /// Opening maps the segment files and verifies their footers, section tables and small
    /// sections; large sections are verified on first use. Cost: O(segments + terms' index), not
    /// O(index size).
    /// - Parameter path: the index directory.
    /// - Throws: `PoiskError.fileNotFound`, `.notAnIndex`, `.corruptIndex`, `.unsupportedFormatVersion`.
    public static func open(at path: String) throws -> IndexReader {
        try open(directory: IndexDirectory(path: path))
    }

    package static func open(directory: IndexDirectory) throws -> IndexReader {
        var attempt = 0
        while true {
            attempt += 1
            do {
                guard let commit = try latestCommit(in: directory) else {
                    throw PoiskError.notAnIndex(path: directory.path)
                }
                return try open(directory: directory, commit: commit)
            } catch PoiskError.fileNotFound(let missing) where attempt < 5 {
                // A writer may have committed and removed old files between our listing and
                // opening them: read the newest commit again.
                _ = missing
                continue
            }
        }
    }

    /// The newest commit of a directory, or nil when there is none.
    package static func latestCommit(in directory: IndexDirectory) throws -> CommitData? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw PoiskError.fileNotFound(path: directory.path)
        }
        guard isDirectory.boolValue else { throw PoiskError.notAnIndex(path: directory.path) }
        let names = try directory.list()
        let generations = names.compactMap(CommitData.generation(ofFileName:)).sorted(by: >)
        guard let newest = generations.first else { return nil }
        let name = CommitData.fileName(generation: newest)
        let bytes = try FileBytes(mapping: directory.url(name), name: name)
        return try CommitData.decode(bytes.buffer, file: name)
    }

    package static func open(directory: IndexDirectory, commit: CommitData) throws -> IndexReader {
        IndexReader(
            segments: try segmentViews(directory: directory, commit: commit), generation: commit.generation,
            schema: commit.schema)
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
