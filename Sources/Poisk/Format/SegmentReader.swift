// Reading one segment: its fields' term dictionaries, postings, lengths, token checkpoints, the
// id map, the id column and stored fields, decoded in place from the file's bytes (memory-mapped
// or in memory).
//
// For: the search layer, which reads segments only through this type. Not for: deletes (the
// index snapshot pairs a segment with its delete set) or scoring.

extension SegmentMeta {
    /// For each schema field, the index in `file.sections` of its section of `kind`, or -1.
    func schemaFieldIndices(in file: SegmentFileReader, kind: SectionKind) -> [Int] {
        schema.fields.indices.map { f in
            file.sections.firstIndex { $0.kind == kind.rawValue && $0.field == UInt16(f) } ?? -1
        }
    }
}

/// One field of a segment.
package final class FieldReader: @unchecked Sendable {
    // All buffers point into the segment's FileBytes, kept alive by the SegmentReader.
    // A class: the per-term lookups of a query reach it with one retain, not a copy of the
    // dictionary reader's several references.
    package let terms: TermDictionaryReader
    package let postings: UnsafeRawBufferPointer
    package let positions: UnsafeRawBufferPointer
    package let lengths: UnsafeRawBufferPointer
    package let stats: FieldStats

    init(
        terms: TermDictionaryReader, postings: UnsafeRawBufferPointer, positions: UnsafeRawBufferPointer,
        lengths: UnsafeRawBufferPointer, stats: FieldStats
    ) {
        self.terms = terms
        self.postings = postings
        self.positions = positions
        self.lengths = lengths
        self.stats = stats
    }
}

/// An open, immutable segment.
///
/// Opening verifies the footer, the section table and the small sections (meta, term
/// dictionaries, field lengths, ids): O(number of terms), not O(index size). The large sections
/// (postings, positions, stored fields) are verified against their CRC-32C the first time a
/// reader touches them, once per reader; `verify: true` checks everything up front.
package final class SegmentReader: @unchecked Sendable {
    // Immutable after init; the FileBytes it points into is immutable too.
    package let file: SegmentFileReader
    package let meta: SegmentMeta
    package let fields: [FieldReader?]
    let ids: TermDictionaryReader
    let stored: StoredFieldsReader
    /// Each document's id (format 4; nil before: ids then come from the stored fields).
    let idColumn: DocColumnReader?
    /// Per schema field, its token checkpoints (format 4, indexed text fields; else nil).
    private let checkpoints: [DocColumnReader?]
    /// Per schema field, its column (format 5, columnar typed fields; else nil), its header
    /// checked at open, its checksum on first use.
    private let columns: [Column?]
    private let columnSections: [Int]
    /// The documents' order by id, read on the first sorted search that needs it.
    private let idOrderCache = Protected<IdOrder?>(nil)
    /// Per section of `file.sections`: verified yet? A bit per section for the first 64
    /// sections (the common path takes one short lock to read a word), a list for the rest.
    /// Checksums are computed outside the lock: two threads may both verify a section once.
    private let verifiedBits: Protected<UInt64>
    private let verified: Protected<[Bool]>
    /// Section indices of each field's postings and positions, found once at open.
    private let postingsSections: [Int]
    private let positionsSections: [Int]
    /// Section indices of the id column, each field's checkpoints and the stored fields (-1: none).
    private let idColumnSection: Int
    private let checkpointSections: [Int]
    private let storedSection: Int

    /// The segment's name.
    package var name: String { meta.name }
    /// Documents in the segment, deleted or not.
    package var docCount: Int { meta.docCount }
    /// The file's name, for messages.
    package var fileName: String { file.file.name }

    /// Opens a segment from its bytes.
    /// - Parameter verify: check every section's CRC-32C now (O(file size)); otherwise only the
    ///   small sections (meta, term dictionaries, lengths, ids) are verified at open.
    /// - Throws: `PoiskError.corruptIndex`, `.unsupportedFormatVersion`.
    package init(bytes: FileBytes, verify: Bool = true) throws {
        let file = try SegmentFileReader(bytes)
        if verify { try file.verifyAll() }
        self.verified = Protected([Bool](repeating: verify, count: file.sections.count))
        self.verifiedBits = Protected(verify ? UInt64.max : 0)

        let name = bytes.name
        let metaBytes = try file.verifiedSection(.meta)
        let meta = try decodeJSON(SegmentMeta.self, from: metaBytes, file: name, section: "meta")
        guard meta.docCount >= 0, meta.docCount < Int(Int32.max), meta.fieldStats.count == meta.schema.fields.count
        else { throw PoiskError.corruptIndex(file: name, section: "meta", reason: "impossible counts") }
        self.file = file
        self.meta = meta
        self.postingsSections = meta.schemaFieldIndices(in: file, kind: .postings)
        self.positionsSections = meta.schemaFieldIndices(in: file, kind: .positions)
        self.checkpointSections = meta.schemaFieldIndices(in: file, kind: .checkpoints)
        self.columnSections = meta.schemaFieldIndices(in: file, kind: .column)
        let noField = SegmentFileFormat.noField
        self.idColumnSection = file.sections.firstIndex { $0.kind == SectionKind.idColumn.rawValue && $0.field == noField } ?? -1
        self.storedSection = file.sections.firstIndex { $0.kind == SectionKind.stored.rawValue && $0.field == noField } ?? -1
        var fields: [FieldReader?] = []
        for (f, options) in meta.schema.fields.enumerated() {
            guard options.indexed else {
                fields.append(nil)
                continue
            }
            let terms = try TermDictionaryReader(
                try file.verifiedSection(.terms, field: f), file: name, section: "terms of field \(options.name)",
                singletons: file.formatVersion >= 2, compactIndex: file.formatVersion >= 3)
            // A typed field has no lengths (it is never scored).
            let lengths =
                options.type.isTyped
                ? UnsafeRawBufferPointer(start: nil, count: 0) : try file.verifiedSection(.lengths, field: f)
            guard options.type.isTyped || lengths.count == meta.docCount * 4 else {
                throw PoiskError.corruptIndex(file: name, section: "field lengths of \(options.name)", reason: "wrong size")
            }
            // A typed field has no positions (format 5).
            guard let postings = file.section(.postings, field: f),
                let positions = options.type.isTyped
                    ? UnsafeRawBufferPointer(start: nil, count: 0) : file.section(.positions, field: f)
            else { throw PoiskError.corruptIndex(file: name, section: "postings of \(options.name)", reason: "section missing") }
            // Trie levels (format 6): ascending shifts from 0, each one of NumericTerms.shifts.
            if let shifts = meta.fieldStats[f].trieShifts {
                guard options.type.isNumeric, shifts.first == 0, zip(shifts, shifts.dropFirst()).allSatisfy({ $0 < $1 }),
                    shifts.allSatisfy({ NumericTerms.shifts.contains($0) })
                else {
                    throw PoiskError.corruptIndex(file: name, section: "meta", reason: "the trie levels of \(options.name) are malformed")
                }
            }
            fields.append(
                FieldReader(
                    terms: terms, postings: postings, positions: positions, lengths: lengths, stats: meta.fieldStats[f]))
        }
        self.fields = fields
        self.ids = try TermDictionaryReader(
            try file.verifiedSection(.ids), file: name, section: "ids", compactIndex: file.formatVersion >= 3)
        guard let storedBytes = file.section(.stored) else {
            throw PoiskError.corruptIndex(file: name, section: "stored fields", reason: "section missing")
        }
        self.stored = try StoredFieldsReader(storedBytes, docCount: meta.docCount, file: name)
        // The id column and the checkpoints are checked against their CRC the first time they are
        // used (like the large sections: together about 2% of a segment); their headers now.
        if file.formatVersion >= 4 {
            guard let column = file.section(.idColumn) else {
                throw PoiskError.corruptIndex(file: name, section: "id column", reason: "section missing")
            }
            self.idColumn = try DocColumnReader(column, docCount: meta.docCount, file: name, section: "id column")
            self.checkpoints = try meta.schema.fields.enumerated().map { f, options in
                guard options.indexed, !options.type.isTyped else { return nil }
                let label = "token checkpoints of \(options.name)"
                guard let bytes = file.section(.checkpoints, field: f) else {
                    throw PoiskError.corruptIndex(file: name, section: label, reason: "section missing")
                }
                return try DocColumnReader(bytes, docCount: meta.docCount, file: name, section: label)
            }
        } else {
            self.idColumn = nil
            self.checkpoints = meta.schema.fields.map { _ in nil }
        }
        self.columns = try meta.schema.fields.enumerated().map { f, options in
            guard options.columnar, options.type.isTyped else { return nil }
            let label = "column of \(options.name)"
            guard let bytes = file.section(.column, field: f) else {
                throw PoiskError.corruptIndex(file: name, section: label, reason: "section missing")
            }
            let column = try Column.open(bytes, docCount: meta.docCount, file: name, section: label)
            switch (column, options.type) {
            case (.keyword, .keyword), (.numeric, .integer), (.numeric, .double), (.numeric, .date), (.numeric, .boolean):
                return column
            default:
                throw PoiskError.corruptIndex(file: name, section: label, reason: "its kind does not match the field's type")
            }
        }
    }

    /// The column of field `f` (a columnar typed field), checked against its CRC on first use;
    /// nil when the segment has none.
    /// - Throws: `PoiskError.corruptIndex` when the column fails its checksum.
    func column(field f: Int) throws -> Column? {
        guard f >= 0, f < columns.count, let column = columns[f] else { return nil }
        try ensureVerified(section: columnSections[f], kind: .column, field: f)
        return column
    }

    /// Each document's rank among the segment's ids (for sorted results' ties), read from the id
    /// dictionary on first use and kept.
    /// - Throws: `PoiskError.corruptIndex` when the id dictionary is damaged.
    func idOrder() throws -> IdOrder {
        if let known = idOrderCache.current { return known }
        let order = try IdOrder(self)
        idOrderCache.withLock { $0 = $0 ?? order }
        return idOrderCache.current ?? order
    }

    /// The column of a field by name; nil when the segment has none.
    func column(named name: String) throws -> Column? {
        guard let f = fieldID(name) else { return nil }
        return try column(field: f)
    }

    /// The segment-local id of a field by name.
    package func fieldID(_ name: String) -> Int? { meta.schema.fieldID(name) }

    /// The length (token count) of `doc` in field `f`.
    @inline(__always)
    package func fieldLength(_ f: Int, doc: Int32) -> UInt32 {
        guard let field = fields[f] else { return 0 }
        return ByteReader(field.lengths).getUInt32LE(at: Int(doc) &* 4) ?? 0
    }

    /// The term's dictionary entry in field `f`, or nil.
    package func termInfo(field f: Int, term: UnsafeRawBufferPointer) throws -> TermInfo? {
        guard f >= 0, f < fields.count, let field = fields[f] else { return nil }
        return try field.terms.lookupInfo(term)
    }

    /// A postings cursor for a term of field `f`.
    /// - Throws: `PoiskError.corruptIndex` when the field's postings fail their checksum.
    package func postings(field f: Int, info: TermInfo) throws -> PostingsCursor? {
        guard f >= 0, f < fields.count, let field = fields[f] else { return nil }
        if let singleton = info.singleton { return PostingsCursor(singleton: singleton, docCount: docCount) }
        // One lock for both checks on the common path (both sections among the first 64 and
        // verified already).
        let p = postingsSections[f]
        let q = positionsSections[f]
        if p < 0 || q < 0 || p >= 64 || q >= 64 || ~verifiedBits.current & (1 << UInt64(p) | 1 << UInt64(q)) != 0 {
            try ensureVerified(section: p, kind: .postings, field: f)
            try ensureVerified(section: q, kind: .positions, field: f)
        }
        return PostingsCursor(
            postings: field.postings, positions: field.positions, info: info, docCount: docCount,
            formatVersion: file.formatVersion, hasPositions: !meta.schema.fields[f].type.isTyped)
    }

    /// Verifies a large section's checksum the first time it is used.
    package func ensureVerified(_ kind: SectionKind, field: Int?) throws {
        let f = field.map { UInt16($0) } ?? SegmentFileFormat.noField
        guard let index = file.sections.firstIndex(where: { $0.kind == kind.rawValue && $0.field == f }) else { return }
        try ensureVerified(section: index, kind: kind, field: field)
    }

    @inline(__always)
    private func ensureVerified(section index: Int, kind: SectionKind, field: Int?) throws {
        if index < 0 { return }
        if index < 64 {
            let bit: UInt64 = 1 << UInt64(index)
            if verifiedBits.current & bit != 0 { return }
            _ = try file.verifiedSection(kind, field: field)
            verifiedBits.withLock { $0 |= bit }
            return
        }
        if verified.withLock({ $0[index] }) { return }
        _ = try file.verifiedSection(kind, field: field)
        verified.withLock { $0[index] = true }
    }

    /// The local doc id of a document id, or nil.
    package func docID(for id: String) throws -> Int32? {
        var id = id
        let value = try id.withUTF8 { try ids.lookup(UnsafeRawBufferPointer($0)) }
        guard let value, value.0 < UInt64(docCount) else { return nil }
        return Int32(value.0)
    }

    /// Every (id, doc) pair of the id map, in id order.
    package func allIDs() throws -> [(String, Int32)] {
        var result: [(String, Int32)] = []
        var cursor = try ids.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
        while try cursor.next() {
            result.append((cursor.termString, Int32(truncatingIfNeeded: cursor.values.0)))
        }
        return result
    }

    /// The id of document `doc`: from the id column (format 4: no stored-fields block is
    /// decompressed), else from the stored fields.
    /// - Throws: `PoiskError.corruptIndex` when the id's bytes are damaged.
    package func documentID(_ doc: Int32) throws -> String {
        guard let idColumn else { return try document(doc).id }
        try ensureVerified(section: idColumnSection, kind: .idColumn, field: nil)
        guard let bytes = idColumn.value(Int(doc)) else {
            throw PoiskError.corruptIndex(file: fileName, section: "id column", reason: "document \(doc) out of bounds")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The id column (format 4), checked against its CRC on first use; nil before format 4.
    package func verifiedIDColumn() throws -> DocColumnReader? {
        guard let idColumn else { return nil }
        try ensureVerified(section: idColumnSection, kind: .idColumn, field: nil)
        return idColumn
    }

    /// The token checkpoints of field `f` (format 4, an indexed field), checked against their
    /// CRC on first use; nil when the segment has none.
    package func checkpointColumn(field f: Int) throws -> DocColumnReader? {
        guard f >= 0, f < checkpoints.count, let column = checkpoints[f] else { return nil }
        try ensureVerified(section: checkpointSections[f], kind: .checkpoints, field: f)
        return column
    }

    /// Calls `body` with the stored fields of `doc` whose stored field ids `wanted` accepts (0 is
    /// the id, f + 1 field f), decompressing the document's block only up to the last of them.
    /// See ``StoredFieldsReader/withFields(of:wanted:last:_:)``.
    package func withStoredFields<R>(
        of doc: Int32, wanted: (Int) -> Bool, last: Int,
        _ body: (_ fields: [(id: Int, bytes: UnsafeRawBufferPointer)]) throws -> R
    ) throws -> R {
        try ensureVerified(section: storedSection, kind: .stored, field: nil)
        return try stored.withFields(of: Int(doc), wanted: wanted, last: last, body)
    }

    /// Decodes the id column, every document's token checkpoints and every typed column (for
    /// `poisk check`): each id must be the one the id map gives the document, each checkpoint
    /// list must decode, each column's dictionary and ordinals must be in order and in range.
    /// - Throws: `PoiskError.corruptIndex` naming the first damage.
    package func checkColumns() throws {
        if let idColumn {
            try ensureVerified(.idColumn, field: nil)
            for (id, doc) in try allIDs() {
                guard let bytes = idColumn.value(Int(doc)), String(decoding: bytes, as: UTF8.self) == id else {
                    throw PoiskError.corruptIndex(
                        file: fileName, section: "id column", reason: "document \(doc) does not have the id the id map gives it")
                }
            }
        }
        for f in columns.indices {
            guard let column = try column(field: f) else { continue }
            try column.verify(file: fileName, section: "column of \(meta.schema.fields[f].name)")
        }
        for f in checkpoints.indices {
            guard let column = try checkpointColumn(field: f) else { continue }
            for doc in 0..<docCount {
                guard let value = column.value(doc) else {
                    throw PoiskError.corruptIndex(
                        file: fileName, section: "token checkpoints of field \(f)", reason: "document \(doc) out of bounds")
                }
                var reader = TokenCheckpointReader(value)
                while reader.next() {}
                if reader.isCorrupt {
                    throw PoiskError.corruptIndex(
                        file: fileName, section: "token checkpoints of field \(f)", reason: "document \(doc) does not decode")
                }
            }
        }
    }

    /// The stored document `doc`.
    package func document(_ doc: Int32) throws -> Document {
        try ensureVerified(.stored, field: nil)
        let fields = try stored.document(Int(doc))
        var id = ""
        var texts: [String: String] = [:]
        var typed = TypedStoredValues()
        for (storedID, text) in fields {
            if storedID == 0 {
                id = text
            } else if storedID - 1 < meta.schema.fields.count {
                let options = meta.schema.fields[storedID - 1]
                if options.type.isTyped {
                    typed.add(text, field: options)
                } else {
                    texts[options.name] = text
                }
            }
        }
        return Document(id: id, storedFields: texts, values: typed.values)
    }
}

/// Typed values read back from stored fields: each stored text parsed in its field's type, a
/// keyword field's several entries gathered into one list.
struct TypedStoredValues {
    private(set) var values: [String: FieldValue] = [:]

    /// Adds one stored entry of typed field `options` (text that does not parse is dropped).
    mutating func add(_ text: String, field options: FieldOptions) {
        if options.type == .keyword {
            if case .keywords(let list) = values[options.name] {
                values[options.name] = .keywords(list + [text])
            } else {
                values[options.name] = .keywords([text])
            }
        } else if let value = try? FieldValue.parse(text, as: options.type) {
            values[options.name] = value
        }
    }
}
