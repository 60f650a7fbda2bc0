// The commit file: which segments (and which delete generation of each) make up the index at a
// point in time, the schema, and user data.
//
// For: naming, encoding and decoding commit files. A commit is written atomically (temporary
// file, fsync, rename, fsync the directory), so a reader always sees a complete one. Not for:
// opening what a commit names (Snapshot), delete files (DeletedDocs) or segment contents
// (Format/).
//
//     commit-<generation>.pkc:            a user's commit (`IndexWriter.commit`)
//     commit-<generation>.<version>.pkc:  version 1, 2, … of that generation: a background merge
//                                         published after it, same documents, fewer segments
//     either:  "POISKCMT" │ u32 formatVersion │ u32 jsonLength │ JSON │ u32 crc32c
//
// The generation counts the user's commits only (merges never raise it); the version counts the
// merges published since. Commits are ordered by (generation, version): the newest is the one a
// reader opens. Poisk versions before background merges read only `commit-<generation>.pkc`.
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

/// A merge a commit published: which segments were merged into which.
public struct CommitMerge: Codable, Sendable, Hashable {
    /// The merged segments' names.
    public var sources: [String]
    /// The new segment's name.
    public var segment: String
    /// Documents in the new segment (the sources' live documents when the merge started).
    public var docCount: Int
    /// The sources' documents deleted while the merge ran, carried over to the new segment.
    public var deletedWhileMerging: Int
}

/// Which commit file: a user commit's generation and the version of it (0 for the commit itself,
/// then one per background merge published after it).
package struct CommitPoint: Comparable, Hashable, Sendable, CustomStringConvertible {
    package var generation: Int
    package var version: Int

    package init(generation: Int, version: Int = 0) {
        self.generation = generation
        self.version = version
    }

    package static func < (a: CommitPoint, b: CommitPoint) -> Bool {
        (a.generation, a.version) < (b.generation, b.version)
    }

    /// The commit file's name.
    package var fileName: String { CommitData.fileName(generation: generation, version: version) }

    package var description: String { version == 0 ? "\(generation)" : "\(generation).\(version)" }
}

/// The contents of a commit file.
package struct CommitData: Codable, Sendable, Equatable {
    package var formatVersion: Int
    /// The number of user commits this index has seen (merges do not count).
    package var generation: Int
    /// 0 for a user's commit; n for the n-th background merge published after it.
    package var version: Int = 0
    /// The merges published since the last user commit (empty in a user's commit).
    package var merges: [CommitMerge] = []
    /// The number the next new segment gets (names are never reused).
    package var nextSegmentNumber: Int
    package var segments: [CommitSegment]
    /// The schema: every field of every segment.
    package var schema: Schema
    /// Free-form user data saved with the commit (for example a source position).
    package var userData: [String: String]

    package init(
        formatVersion: Int, generation: Int, version: Int = 0, merges: [CommitMerge] = [], nextSegmentNumber: Int,
        segments: [CommitSegment], schema: Schema, userData: [String: String]
    ) {
        self.formatVersion = formatVersion
        self.generation = generation
        self.version = version
        self.merges = merges
        self.nextSegmentNumber = nextSegmentNumber
        self.segments = segments
        self.schema = schema
        self.userData = userData
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion, generation, version, merges, nextSegmentNumber, segments, schema, userData
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        generation = try c.decode(Int.self, forKey: .generation)
        // Absent from commits written before background merges.
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 0
        merges = try c.decodeIfPresent([CommitMerge].self, forKey: .merges) ?? []
        nextSegmentNumber = try c.decode(Int.self, forKey: .nextSegmentNumber)
        segments = try c.decode([CommitSegment].self, forKey: .segments)
        schema = try c.decode(Schema.self, forKey: .schema)
        userData = try c.decode([String: String].self, forKey: .userData)
    }

    /// Which commit this is.
    package var point: CommitPoint { CommitPoint(generation: generation, version: version) }

    /// This commit's file name.
    package var fileName: String { point.fileName }

    /// This commit's file and every segment and delete file it names.
    package var fileNames: Set<String> {
        var names: Set<String> = [fileName]
        for s in segments {
            names.insert(s.name + ".seg")
            if s.deleteGeneration > 0 { names.insert(DeleteFile.fileName(segment: s.name, generation: s.deleteGeneration)) }
        }
        return names
    }

    package static func fileName(generation: Int, version: Int = 0) -> String {
        let padded = String(repeating: "0", count: max(0, 10 - String(generation).count)) + String(generation)
        return "commit-" + padded + (version > 0 ? ".\(version)" : "") + ".pkc"
    }

    /// The generation in a commit file name (of a user commit or a merge's version), or nil.
    package static func generation(ofFileName name: String) -> Int? { point(ofFileName: name)?.generation }

    /// The generation and version in a commit file name, or nil.
    package static func point(ofFileName name: String) -> CommitPoint? {
        guard name.hasPrefix("commit-"), name.hasSuffix(".pkc") else { return nil }
        let parts = name.dropFirst(7).dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard let generation = parts.first.flatMap({ Int($0) }), generation >= 0 else { return nil }
        if parts.count == 1 { return CommitPoint(generation: generation) }
        guard parts.count == 2, let version = Int(parts[1]), version > 0, String(version) == parts[1] else { return nil }
        return CommitPoint(generation: generation, version: version)
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
