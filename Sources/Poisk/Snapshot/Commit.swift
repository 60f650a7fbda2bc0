// The commit file: which segments (and which delete generation of each) make up the index at a
// point in time, the schema, and user data.
//
// For: naming, encoding and decoding commit files. A commit is written atomically (temporary
// file, fsync, rename, fsync the directory), so a reader always sees a complete one. Not for:
// opening what a commit names (Snapshot), delete files (DeletedDocs) or segment contents
// (Format/).
//
//     commit-<generation>.pkc:  "POISKCMT" │ u32 formatVersion │ u32 jsonLength │ JSON │ u32 crc32c
//
// The CRC-32C covers every byte before it.

/// One segment of a commit.
package struct CommitSegment: Codable, Sendable, Equatable {
    /// The segment's name; its file is `<name>.seg`.
    package var name: String
    package var docCount: Int
    /// The generation of its delete file `<name>-<gen>.del`, or 0 when nothing is deleted.
    package var deleteGeneration: Int
    package var deletedCount: Int
}

/// The contents of a commit file.
package struct CommitData: Codable, Sendable, Equatable {
    package var formatVersion: Int
    package var generation: Int
    /// The number the next new segment gets (names are never reused).
    package var nextSegmentNumber: Int
    package var segments: [CommitSegment]
    /// The schema: every field of every segment.
    package var schema: Schema
    /// Free-form user data saved with the commit (for example a source position).
    package var userData: [String: String]

    /// This commit's file and every segment and delete file it names.
    package var fileNames: Set<String> {
        var names: Set<String> = [CommitData.fileName(generation: generation)]
        for s in segments {
            names.insert(s.name + ".seg")
            if s.deleteGeneration > 0 { names.insert(DeleteFile.fileName(segment: s.name, generation: s.deleteGeneration)) }
        }
        return names
    }

    package static func fileName(generation: Int) -> String {
        "commit-" + String(repeating: "0", count: max(0, 10 - String(generation).count)) + String(generation) + ".pkc"
    }

    /// The generation in a commit file name, or nil.
    package static func generation(ofFileName name: String) -> Int? {
        guard name.hasPrefix("commit-"), name.hasSuffix(".pkc") else { return nil }
        return Int(name.dropFirst(7).dropLast(4))
    }

    static let magic = Array("POISKCMT".utf8)

    package func encoded() -> [UInt8] {
        let json = encodeJSON(self)
        var w = ByteWriter(capacity: json.count + 20)
        w.writeBytes(CommitData.magic)
        w.writeUInt32LE(UInt32(segmentFormatVersion))
        w.writeUInt32LE(UInt32(json.count))
        w.writeBytes(json)
        w.writeUInt32LE(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    package static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws -> CommitData {
        func corrupt(_ reason: String) -> PoiskError {
            PoiskError.corruptIndex(file: file, section: "commit", reason: reason)
        }
        var r = ByteReader(bytes)
        guard let magic = r.readBytes(count: 8), Array(magic) == CommitData.magic else {
            throw corrupt("bad magic: not a Poisk commit file")
        }
        guard let version = r.readUInt32LE(), let length = r.readUInt32LE() else { throw corrupt("truncated") }
        if Int(version) > segmentFormatVersion {
            throw PoiskError.unsupportedFormatVersion(file: file, found: Int(version), supported: segmentFormatVersion)
        }
        guard let json = r.readBytes(count: Int(length)), let crc = r.readUInt32LE(), r.remaining == 0 else {
            throw corrupt("truncated")
        }
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])) == crc else {
            throw corrupt("checksum mismatch")
        }
        let data = try decodeJSON(CommitData.self, from: json, file: file, section: "commit")
        guard data.formatVersion <= segmentFormatVersion else {
            throw PoiskError.unsupportedFormatVersion(file: file, found: data.formatVersion, supported: segmentFormatVersion)
        }
        for s in data.segments where s.docCount < 0 || s.deletedCount < 0 || s.deletedCount > s.docCount {
            throw corrupt("impossible counts for segment \(s.name)")
        }
        return data
    }
}
