// Deleted documents: the in-memory bitset of one segment's deleted doc ids, and its delete file.
//
// For: which documents of a segment a snapshot no longer shows (replaced or deleted ones, until a
// merge drops them for good). Not for: deciding what to delete (IndexWriter).
//
//     <segment>-<generation>.del: "POISKDEL" │ u32 formatVersion │ u32 docCount │ u32 wordCount │
//                                 wordCount × u64 (bit d set = doc d deleted) │ u32 crc32c
//
// The CRC-32C covers every byte before it.

/// A set of deleted local doc ids: one bit per document of the segment.
package struct DeletedDocs: Sendable, Equatable {
    package private(set) var words: [UInt64]
    package private(set) var count: Int

    package init(capacity: Int) {
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
        count = 0
    }

    package init(words: [UInt64]) {
        self.words = words
        self.count = words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    @inline(__always)
    package func contains(_ doc: Int32) -> Bool {
        let w = Int(doc) >> 6
        return w >= 0 && w < words.count && words[w] & (1 << UInt64(doc & 63)) != 0
    }

    package mutating func insert(_ doc: Int32) {
        let w = Int(doc) >> 6
        guard w >= 0 && w < words.count else { return }
        let bit: UInt64 = 1 << UInt64(doc & 63)
        if words[w] & bit == 0 {
            words[w] |= bit
            count += 1
        }
    }
}

/// The delete file of one segment generation.
package enum DeleteFile {
    static let magic = Array("POISKDEL".utf8)

    package static func fileName(segment: String, generation: Int) -> String { "\(segment)-\(generation).del" }

    package static func encode(_ deleted: DeletedDocs, docCount: Int) -> [UInt8] {
        var w = ByteWriter(capacity: 24 + deleted.words.count * 8)
        w.writeBytes(magic)
        w.writeUInt32LE(UInt32(segmentFormatVersion))
        w.writeUInt32LE(UInt32(docCount))
        w.writeUInt32LE(UInt32(deleted.words.count))
        for word in deleted.words { w.writeUInt64LE(word) }
        w.writeUInt32LE(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    package static func decode(_ bytes: UnsafeRawBufferPointer, docCount: Int, file: String) throws -> DeletedDocs {
        func corrupt(_ reason: String) -> PoiskError {
            PoiskError.corruptIndex(file: file, section: "deletes", reason: reason)
        }
        var r = ByteReader(bytes)
        guard let magic = r.readBytes(count: 8), Array(magic) == DeleteFile.magic else { throw corrupt("bad magic") }
        guard let version = r.readUInt32LE(), let count = r.readUInt32LE(), let words = r.readUInt32LE() else {
            throw corrupt("truncated")
        }
        if Int(version) > segmentFormatVersion {
            throw PoiskError.unsupportedFormatVersion(file: file, found: Int(version), supported: segmentFormatVersion)
        }
        guard Int(count) == docCount, Int(words) == (docCount + 63) / 64, bytes.count == 24 + Int(words) * 8 else {
            throw corrupt("size does not match the segment")
        }
        var list: [UInt64] = []
        list.reserveCapacity(Int(words))
        for _ in 0..<Int(words) {
            guard let w = r.readUInt64LE() else { throw corrupt("truncated") }
            list.append(w)
        }
        guard let crc = r.readUInt32LE(), CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])) == crc
        else { throw corrupt("checksum mismatch") }
        return DeletedDocs(words: list)
    }
}
