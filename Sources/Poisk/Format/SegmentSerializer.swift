// The layout of one segment file's sections, in one place: the builder (new documents) and the
// merger (existing segments) hand it the same parts and get the same bytes for the same content.
//
// For: which sections a segment has and in what order, and its meta section. Not for: encoding
// inside a section (TermDictionary, Postings, StoredFields) or the container's framing, checksums
// and footer (SegmentFile).
//
//     for each field, in schema order:   (statistics for the meta section)
//         an indexed text field:  terms │ postings │ positions │ lengths (docCount × u32)
//                                 │ checkpoints (token position → byte offset, per document)
//         a typed field:          terms │ postings (when indexed) │ column (when columnar)
//         a stored-only field:    no section
//     ids (the id dictionary: id → doc) │ id column (doc → id) │ stored (the stored-field blocks)
//     meta (JSON: format version, name, document count, schema, per-field statistics)

/// Lays out one segment's sections. Fields are added in schema order (their position in the
/// schema is their field id), then ``finishParts(ids:stored:name:docCount:schema:)`` adds the
/// ids, the stored fields and the meta section.
struct SegmentSerializer {
    private var file = SegmentFileWriter()
    private var stats: [FieldStats] = []

    /// The next field's id (the number of fields added so far).
    var nextField: Int { stats.count }

    /// Adds a field that is not indexed: its statistics only.
    mutating func addStoredOnlyField(stats: FieldStats) {
        self.stats.append(stats)
    }

    /// Adds an indexed field: its statistics and its five sections.
    /// - Parameters:
    ///   - terms: the field's dictionary, every term added in key order.
    ///   - postings: the postings section the dictionary's offsets point into.
    ///   - positions: the positions section the dictionary's offsets point into.
    ///   - lengths: each document's length in the field, in tokens.
    ///   - checkpoints: each document's token checkpoints in the field.
    mutating func addIndexedField(
        stats: FieldStats, terms: TermDictionaryWriter, postings: ByteWriter, positions: ByteWriter, lengths: [UInt32],
        checkpoints: DocColumnWriter
    ) {
        let field = self.stats.count
        self.stats.append(stats)
        file.add(.terms, field: field, bytes: terms.finish())
        file.add(.postings, field: field, bytes: postings.bytes)
        file.add(.positions, field: field, bytes: positions.bytes)
        var lengthBytes = ByteWriter(capacity: lengths.count * 4)
        for l in lengths { lengthBytes.writeUInt32LE(l) }
        file.add(.lengths, field: field, bytes: lengthBytes.bytes)
        file.add(.checkpoints, field: field, parts: checkpoints.finishParts())
    }

    /// Adds a typed field (format 5): its statistics, its dictionary and postings when it is
    /// indexed (no positions, lengths or checkpoints: typed fields are never scored, highlighted
    /// or searched by phrase; the dictionary's positions offsets are 0), and its column when it
    /// is columnar.
    mutating func addTypedField(
        stats: FieldStats, index: (terms: TermDictionaryWriter, postings: ByteWriter)?, column: [UInt8]?
    ) {
        let field = self.stats.count
        self.stats.append(stats)
        if let index {
            file.add(.terms, field: field, bytes: index.terms.finish())
            file.add(.postings, field: field, bytes: index.postings.bytes)
        }
        if let column { file.add(.column, field: field, bytes: column) }
    }

    /// Adds the ids, id column, stored fields and meta sections, and returns the file as parts to
    /// write one after another.
    /// - Parameters:
    ///   - ids: the id dictionary (arity 1: each id's document), ids added in key order.
    ///   - idColumn: each document's id, in document order.
    ///   - stored: every document's stored fields, in document order.
    ///   - name: the segment's name, recorded in its meta section.
    mutating func finishParts(
        ids: TermDictionaryWriter, idColumn: DocColumnWriter, stored: inout StoredFieldsWriter, name: String,
        docCount: Int, schema: Schema
    ) -> [[UInt8]] {
        file.add(.ids, bytes: ids.finish())
        file.add(.idColumn, parts: idColumn.finishParts())
        file.add(.stored, parts: stored.finishParts())
        let meta = SegmentMeta(
            formatVersion: segmentFormatVersion, name: name, docCount: docCount, schema: schema, fieldStats: stats)
        file.add(.meta, bytes: encodeJSON(meta))
        return file.finishParts()
    }
}
