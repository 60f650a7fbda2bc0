// The segment file container: header, sections, section table, footer.
//
// For: framing a segment's components in one file, with a CRC-32C per section, a format
// version and magic numbers at both ends, so damage is detected and named. Not for: the
// contents of sections (TermDictionary, Postings, StoredFields, …).
//
//     Header  (16 bytes): "POISKSEG" │ u32 formatVersion │ u32 reserved (0)
//     Sections, back to back
//     Section table: u32 count │ count × { u16 kind, u16 field, u64 offset, u64 length, u32 crc32c }
//     Footer  (24 bytes): u64 tableOffset │ u32 tableLength │ u32 tableCRC │ u32 formatVersion │ "PSKF"

import Foundation

/// The current segment format version. A reader refuses files with a newer version.
package let segmentFormatVersion = 6

/// What a section holds.
package enum SectionKind: UInt16, Sendable, CaseIterable {
    case meta = 1
    case ids = 2
    case terms = 3
    case postings = 4
    case positions = 5
    case lengths = 6
    case stored = 7
    /// Each document's id in document order (format 4).
    case idColumn = 8
    /// Per indexed text field, each document's token checkpoints (format 4).
    case checkpoints = 9
    /// Per columnar typed field, each document's values (format 5; see ColumnStore).
    case column = 10

    var name: String {
        switch self {
        case .meta: return "meta"
        case .ids: return "ids"
        case .terms: return "terms"
        case .postings: return "postings"
        case .positions: return "positions"
        case .lengths: return "field lengths"
        case .stored: return "stored fields"
        case .idColumn: return "id column"
        case .checkpoints: return "token checkpoints"
        case .column: return "column"
        }
    }
}

package enum SegmentFileFormat {
    package static let headerMagic: [UInt8] = Array("POISKSEG".utf8)
    package static let footerMagic: UInt32 = 0x464B_5350  // "PSKF" little-endian
    package static let headerSize = 16
    package static let footerSize = 24
    package static let tableEntrySize = 24
    package static let noField: UInt16 = 0xFFFF
}

/// Statistics of one field in one segment, for BM25's collection statistics.
package struct FieldStats: Codable, Sendable, Equatable {
    /// Sum of the field's token counts over all documents of the segment.
    package var sumLengths: UInt64
    /// Documents with at least one token in the field.
    package var docsWithField: Int
    /// Distinct terms.
    package var termCount: Int
    /// An integer, double or date field's trie levels (shifts) present in the segment (format
    /// 6; nil: all eight, as every earlier segment has them; see NumericTerms).
    package var trieShifts: [Int]? = nil
}

/// The `meta` section: JSON.
package struct SegmentMeta: Codable, Sendable {
    package var formatVersion: Int
    package var name: String
    package var docCount: Int
    package var schema: Schema
    package var fieldStats: [FieldStats]
}

/// Assembles sections into a segment file.
package struct SegmentFileWriter {
    /// The file as a list of byte arrays (header, each section's parts, then the table and
    /// footer): sections are not copied into one buffer; ``finishParts()`` hands them to the
    /// file system as they are.
    private var parts: [[UInt8]] = []
    private var size = 0
    private var table: [(kind: UInt16, field: UInt16, offset: UInt64, length: UInt64, crc: UInt32)] = []

    package init() {
        var header = ByteWriter(capacity: 16)
        header.writeBytes(SegmentFileFormat.headerMagic)
        header.writeUInt32LE(UInt32(segmentFormatVersion))
        header.writeUInt32LE(0)
        parts.append(header.bytes)
        size = header.count
    }

    /// Appends a section.
    package mutating func add(_ kind: SectionKind, field: Int? = nil, bytes: [UInt8]) {
        add(kind, field: field, parts: [bytes])
    }

    /// Appends a section made of `sectionParts`, back to back.
    package mutating func add(_ kind: SectionKind, field: Int? = nil, parts sectionParts: [[UInt8]]) {
        let offset = UInt64(size)
        var crc: UInt32 = 0
        var length = 0
        for part in sectionParts {
            crc = CRC32C.checksum(part, continuing: crc)
            length += part.count
            parts.append(part)
        }
        size += length
        table.append(
            (kind.rawValue, field.map { UInt16($0) } ?? SegmentFileFormat.noField, offset, UInt64(length), crc))
    }

    /// The finished file, as parts to write one after another.
    package mutating func finishParts() -> [[UInt8]] {
        var t = ByteWriter()
        t.writeUInt32LE(UInt32(table.count))
        for e in table {
            t.writeUInt16LE(e.kind)
            t.writeUInt16LE(e.field)
            t.writeUInt64LE(e.offset)
            t.writeUInt64LE(e.length)
            t.writeUInt32LE(e.crc)
        }
        var footer = ByteWriter(capacity: t.count + 24)
        footer.writeBytes(t.bytes)
        footer.writeUInt64LE(UInt64(size))
        footer.writeUInt32LE(UInt32(t.count))
        footer.writeUInt32LE(CRC32C.checksum(t.bytes))
        footer.writeUInt32LE(UInt32(segmentFormatVersion))
        footer.writeUInt32LE(SegmentFileFormat.footerMagic)
        var result = parts
        result.append(footer.bytes)
        return result
    }

    /// The finished file bytes, in one array.
    package mutating func finish() -> [UInt8] { joinParts(finishParts()) }
}

/// The parts of a file, joined into one array.
package func joinParts(_ parts: [[UInt8]]) -> [UInt8] {
    var joined: [UInt8] = []
    joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for part in parts { joined.append(contentsOf: part) }
    return joined
}

/// A parsed section table over a segment file's bytes.
package struct SegmentFileReader: @unchecked Sendable {
    // `bytes` belongs to `file`, which this reader keeps alive.
    package let file: FileBytes
    package struct Section: Sendable {
        package var kind: UInt16
        package var field: UInt16
        package var offset: Int
        package var length: Int
        package var crc: UInt32
    }
    package let sections: [Section]
    package let formatVersion: Int

    /// Parses and verifies the footer, header and section table.
    /// - Throws: `PoiskError.corruptIndex` or `.unsupportedFormatVersion`.
    package init(_ file: FileBytes) throws {
        self.file = file
        let bytes = file.buffer
        let name = file.name
        func corrupt(_ section: String, _ reason: String) -> PoiskError {
            PoiskError.corruptIndex(file: name, section: section, reason: reason)
        }
        let r = ByteReader(bytes)
        let n = bytes.count
        guard n >= SegmentFileFormat.headerSize + SegmentFileFormat.footerSize else {
            throw corrupt("file", "too short (\(n) bytes): truncated")
        }
        guard let magic = r.getBytes(at: 0, count: 8), Array(magic) == SegmentFileFormat.headerMagic else {
            throw corrupt("header", "bad magic: not a Poisk segment file")
        }
        guard let version = r.getUInt32LE(at: 8) else { throw corrupt("header", "truncated") }
        if Int(version) > segmentFormatVersion {
            throw PoiskError.unsupportedFormatVersion(file: name, found: Int(version), supported: segmentFormatVersion)
        }
        // No checksum covers the reserved header field: it must be exactly zero.
        guard r.getUInt32LE(at: 12) == 0 else { throw corrupt("header", "reserved field is not zero") }
        let f = n - SegmentFileFormat.footerSize
        guard let tableOffset = r.getUInt64LE(at: f), let tableLength = r.getUInt32LE(at: f + 8),
            let tableCRC = r.getUInt32LE(at: f + 12), let footerVersion = r.getUInt32LE(at: f + 16),
            let footerMagic = r.getUInt32LE(at: f + 20)
        else { throw corrupt("footer", "truncated") }
        guard footerMagic == SegmentFileFormat.footerMagic else {
            throw corrupt("footer", "bad magic: the file is truncated or was not fully written")
        }
        guard footerVersion == version else { throw corrupt("footer", "version differs from the header's") }
        guard tableOffset <= UInt64(f), UInt64(tableLength) == UInt64(f) - tableOffset,
            let table = r.getBytes(at: Int(tableOffset), count: Int(tableLength))
        else { throw corrupt("section table", "out of bounds") }
        guard CRC32C.checksum(table) == tableCRC else { throw corrupt("section table", "checksum mismatch") }
        var t = ByteReader(table)
        guard let count = t.readUInt32LE(), Int(count) * SegmentFileFormat.tableEntrySize + 4 == table.count else {
            throw corrupt("section table", "bad entry count")
        }
        var sections: [Section] = []
        for _ in 0..<Int(count) {
            guard let kind = t.readUInt16LE(), let field = t.readUInt16LE(), let offset = t.readUInt64LE(),
                let length = t.readUInt64LE(), let crc = t.readUInt32LE(),
                offset >= UInt64(SegmentFileFormat.headerSize), offset <= tableOffset,
                length <= tableOffset - offset
            else { throw corrupt("section table", "section out of bounds") }
            sections.append(Section(kind: kind, field: field, offset: Int(offset), length: Int(length), crc: crc))
        }
        self.sections = sections
        self.formatVersion = Int(version)
    }

    /// The bytes of a section, or nil when absent.
    package func section(_ kind: SectionKind, field: Int? = nil) -> UnsafeRawBufferPointer? {
        let f = field.map { UInt16($0) } ?? SegmentFileFormat.noField
        guard let s = sections.first(where: { $0.kind == kind.rawValue && $0.field == f }) else { return nil }
        return UnsafeRawBufferPointer(rebasing: file.buffer[s.offset..<(s.offset + s.length)])
    }

    /// The bytes of a section, verified against its checksum.
    /// - Throws: `PoiskError.corruptIndex` when missing or damaged.
    package func verifiedSection(_ kind: SectionKind, field: Int? = nil) throws -> UnsafeRawBufferPointer {
        guard let bytes = section(kind, field: field) else {
            throw PoiskError.corruptIndex(file: file.name, section: kind.name, reason: "section missing")
        }
        let f = field.map { UInt16($0) } ?? SegmentFileFormat.noField
        if let s = sections.first(where: { $0.kind == kind.rawValue && $0.field == f }), CRC32C.checksum(bytes) != s.crc {
            let label = field.map { "\(kind.name) of field \($0)" } ?? kind.name
            throw PoiskError.corruptIndex(file: file.name, section: label, reason: "checksum mismatch")
        }
        return bytes
    }

    /// Verifies every section's checksum.
    /// - Throws: `PoiskError.corruptIndex` naming the first damaged section.
    package func verifyAll() throws {
        for s in sections {
            let bytes = UnsafeRawBufferPointer(rebasing: file.buffer[s.offset..<(s.offset + s.length)])
            if CRC32C.checksum(bytes) != s.crc {
                let kindName = SectionKind(rawValue: s.kind)?.name ?? "section kind \(s.kind)"
                let label = s.field == SegmentFileFormat.noField ? kindName : "\(kindName) of field \(s.field)"
                throw PoiskError.corruptIndex(file: file.name, section: label, reason: "checksum mismatch")
            }
        }
    }
}
