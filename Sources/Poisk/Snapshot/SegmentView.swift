// One segment of a snapshot: its mapped file and the documents deleted from it, opened and
// checked against the commit that names them.
//
// For: the reader (search), the writer (delete resolution, merges) and the checker, which all open
// a commit's segments the same way. Not for: reading a segment's sections (SegmentReader).

/// A segment with the documents deleted from it as of this snapshot.
struct SegmentView: @unchecked Sendable {
    // Both members are immutable.
    let reader: SegmentReader
    let deleted: DeletedDocs?
    /// The generation of the delete file `deleted` was read from (0: none, or not from a file).
    let deleteGeneration: Int
    /// The segment's position in its snapshot (set by IndexReader).
    var index = 0
    /// Values a document must have to be collected (a query's numeric filters checked against
    /// the columns, one candidate at a time: see `QueryPlanner`); empty for a snapshot's views.
    var valueChecks: [ValueCheck] = []

    init(reader: SegmentReader, deleted: DeletedDocs?, deleteGeneration: Int = 0) {
        self.reader = reader
        self.deleted = deleted
        self.deleteGeneration = deleteGeneration
    }

    /// Whether document `doc` is not deleted and passes the value checks.
    @inline(__always)
    func isLive(_ doc: Int32) -> Bool {
        if deleted?.contains(doc) ?? false { return false }
        if valueChecks.isEmpty { return true }
        for check in valueChecks where !check.accepts(doc) { return false }
        return true
    }

    /// Whether any document is deleted or checked: executors test ``isLive(_:)`` only then.
    var hasExclusions: Bool { deleted != nil || !valueChecks.isEmpty }
}

/// A numeric filter checked against a column: the document's value must lie in `lower ... upper`
/// (sortable forms).
struct ValueCheck: @unchecked Sendable {
    let column: NumericColumn
    let lower: UInt64
    let upper: UInt64

    @inline(__always)
    func accepts(_ doc: Int32) -> Bool {
        guard let v = column.value(doc) else { return false }
        return v >= lower && v <= upper
    }
}

extension SegmentView {
    /// Opens segment `segment` of a commit: its file mapped and its deletes read.
    /// - Parameter verify: verify every section's checksum now (the checker) rather than on first
    ///   use (readers, the writer).
    /// - Throws: `PoiskError.fileNotFound`, `.corruptIndex` (naming the file), or
    ///   `.unsupportedFormatVersion`.
    static func open(_ segment: CommitSegment, in directory: IndexDirectory, verify: Bool = false) throws -> SegmentView {
        SegmentView(
            reader: try openSegment(segment, in: directory, verify: verify),
            deleted: try readDeletes(segment, in: directory), deleteGeneration: segment.deleteGeneration)
    }

    /// Maps segment `segment`'s file and checks that it holds the commit's document count.
    static func openSegment(_ segment: CommitSegment, in directory: IndexDirectory, verify: Bool) throws -> SegmentReader {
        let fileName = segment.name + ".seg"
        let bytes = try FileBytes(mapping: directory.url(fileName), name: fileName)
        let reader = try SegmentReader(bytes: bytes, verify: verify)
        guard reader.docCount == segment.docCount else {
            throw PoiskError.corruptIndex(file: fileName, section: "meta", reason: "document count differs from the commit's")
        }
        return reader
    }

    /// Reads segment `segment`'s delete file (nil when the commit names none) and checks that it
    /// holds the commit's count of deleted documents.
    static func readDeletes(_ segment: CommitSegment, in directory: IndexDirectory) throws -> DeletedDocs? {
        guard segment.deleteGeneration > 0 else { return nil }
        let name = DeleteFile.fileName(segment: segment.name, generation: segment.deleteGeneration)
        let bytes = try FileBytes(mapping: directory.url(name), name: name)
        let deleted = try DeleteFile.decode(bytes.buffer, docCount: segment.docCount, file: name)
        guard deleted.count == segment.deletedCount else {
            throw PoiskError.corruptIndex(file: name, section: "deletes", reason: "count differs from the commit's")
        }
        return deleted
    }
}
