// Document columns: a few bytes per document, found by document number without a search and
// without decompressing anything (format 4). Two sections use this layout: the id column (each
// document's id, so a hit's id costs two loads, not a stored-fields block) and each indexed
// field's token checkpoints (TokenCheckpoints.swift).
//
// For: values read for a handful of documents per query (the hits). Not for: values read for
// every matching document (postings, field lengths), or large text (stored fields).
//
// Layout:
//
//     u32 docCount
//     ends: docCount × u32   end of document d's bytes in the data area (nondecreasing)
//     data: document 0's bytes, document 1's bytes, …     (d's bytes: data[ends[d − 1] ..< ends[d]],
//                                                          ends[−1] = 0)

/// Builds a document column, one document at a time in document order.
package struct DocColumnWriter {
    private var ends: [UInt32] = []
    /// The data area under construction; append a document's bytes, then call ``endDocument()``.
    package var data = ByteWriter()

    package init() {}

    /// The number of documents ended so far.
    package var documentCount: Int { ends.count }

    /// Ends the current document: the bytes written to ``data`` since the previous call are its
    /// value (none: an empty value).
    package mutating func endDocument() {
        ends.append(UInt32(truncatingIfNeeded: data.count))
    }

    /// Adds a document whose value is `bytes`.
    package mutating func add(_ bytes: UnsafeRawBufferPointer) {
        data.writeBytes(bytes)
        endDocument()
    }

    /// Adds `count` documents with empty values.
    package mutating func addEmpty(count: Int) {
        for _ in 0..<max(0, count) { endDocument() }
    }

    /// The finished section as parts to write back to back: the header and ends, then the data.
    package func finishParts() -> [[UInt8]] {
        var head = ByteWriter(capacity: 4 + 4 * ends.count)
        head.writeUInt32LE(UInt32(truncatingIfNeeded: ends.count))
        for e in ends { head.writeUInt32LE(e) }
        return [head.bytes, data.bytes]
    }
}

/// Reads a document column in place. Every offset is checked before use.
package struct DocColumnReader: @unchecked Sendable {
    // The bytes belong to the segment's FileBytes, which outlives this reader.
    private let bytes: UnsafeRawBufferPointer
    private let docCount: Int
    private let dataStart: Int

    /// Opens a column over a section's bytes.
    /// - Throws: `PoiskError.corruptIndex` when the header is damaged or its document count is
    ///   not `docCount`.
    package init(_ bytes: UnsafeRawBufferPointer, docCount: Int, file: String, section: String) throws {
        guard let n = ByteReader(bytes).getUInt32LE(at: 0), Int(n) == docCount, 4 + 4 * docCount <= bytes.count else {
            throw PoiskError.corruptIndex(file: file, section: section, reason: "header does not match the segment")
        }
        self.bytes = bytes
        self.docCount = docCount
        self.dataStart = 4 + 4 * docCount
    }

    /// The bytes of `doc`, or nil when `doc` is out of range or its offsets are damaged.
    /// - Complexity: O(1).
    @inline(__always)
    package func value(_ doc: Int) -> UnsafeRawBufferPointer? {
        guard doc >= 0, doc < docCount else { return nil }
        let r = ByteReader(bytes)
        let start = doc == 0 ? 0 : r.getUInt32LE(at: 4 * doc).map(Int.init)
        guard let start, let end = r.getUInt32LE(at: 4 + 4 * doc).map(Int.init), start <= end,
            end <= bytes.count - dataStart
        else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[(dataStart + start)..<(dataStart + end)])
    }

    /// Checks every document's offsets (for `poisk check`).
    /// - Returns: the first damaged document, or nil.
    package func firstDamagedDocument() -> Int? {
        (0..<docCount).first { value($0) == nil }
    }
}
