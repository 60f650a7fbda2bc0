// Merging segments: postings are merged term by term (no re-analysis), doc ids renumbered
// without the deleted documents, typed fields' columns merged (ColumnMerger), stored fields, ids
// and token checkpoints copied (a document's
// checkpoints do not depend on its number; a source written before format 4 has none, and its
// documents get none: their snippets then analyze from the start of the text).
//
// For: the writer's merge policy and `poisk merge`. Not for: choosing what to merge (IndexWriter).

/// Merges segment views (segments plus their deletes) into one new segment file.
enum SegmentMerger {
    /// - Returns: the new segment file as parts to write one after another, and its document count.
    static func merge(_ views: [SegmentView], name: String) throws -> (parts: [[UInt8]], docCount: Int) {
        // 1. The merged schema: fields in first-seen order; per source, its field → merged field.
        var schema = Schema(fields: [])
        var fieldMap: [[Int]] = []
        for v in views {
            var map: [Int] = []
            for f in v.reader.meta.schema.fields {
                if let id = schema.fieldID(f.name) {
                    guard schema.fields[id].type == f.type else {
                        throw PoiskError.corruptIndex(
                            file: v.reader.fileName, section: "meta",
                            reason:
                                "field '\(f.name)' is \(f.type.rawValue) here and \(schema.fields[id].type.rawValue) in another segment of the merge"
                        )
                    }
                    map.append(id)
                } else {
                    schema.fields.append(f)
                    map.append(schema.fields.count - 1)
                }
            }
            fieldMap.append(map)
        }
        // 2. Doc renumbering without deleted docs.
        var docMaps: [[Int32]] = []
        /// Each merged document's source: (view, document).
        var sourceDocs: [(view: Int, doc: Int)] = []
        var next: Int32 = 0
        for (s, v) in views.enumerated() {
            var map = [Int32](repeating: -1, count: v.reader.docCount)
            for d in 0..<v.reader.docCount where v.isLive(Int32(d)) {
                map[d] = next
                sourceDocs.append((s, d))
                next += 1
            }
            docMaps.append(map)
        }
        let docCount = Int(next)
        var serializer = SegmentSerializer()
        // 3. Stored fields, in the new doc order.
        var stored = StoredFieldsWriter()
        var idColumn = DocColumnWriter()
        var idPairs: [([UInt8], Int32)] = []
        for (s, v) in views.enumerated() {
            try v.reader.ensureVerified(.stored, field: nil)
            try v.reader.stored.forEachDocument { doc, fields in
                guard docMaps[s][doc] >= 0 else { return }
                var remapped: [(Int, String)] = []
                for (id, text) in fields {
                    if id == 0 {
                        remapped.append((0, text))
                        idPairs.append((Array(text.utf8), docMaps[s][doc]))
                        var text = text
                        text.withUTF8 { idColumn.add(UnsafeRawBufferPointer($0)) }
                    } else if id - 1 < fieldMap[s].count {
                        remapped.append((fieldMap[s][id - 1] + 1, text))
                    }
                }
                // By field id; a typed field's several values keep their order.
                if zip(remapped, remapped.dropFirst()).contains(where: { $0.0 > $1.0 }) {
                    remapped = remapped.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
                }
                stored.add(remapped)
            }
        }
        // 4. Per field: lengths, stats, and postings merged term by term.
        for (mf, options) in schema.fields.enumerated() {
            var lengths = [UInt32](repeating: 0, count: docCount)
            var sources: [(view: Int, field: Int)] = []
            for (s, v) in views.enumerated() {
                guard let local = fieldMap[s].firstIndex(of: mf) else { continue }
                sources.append((s, local))
                for d in 0..<v.reader.docCount where docMaps[s][d] >= 0 {
                    lengths[Int(docMaps[s][d])] = v.reader.fieldLength(local, doc: Int32(d))
                }
            }
            let sum = lengths.reduce(UInt64(0)) { $0 + UInt64($1) }
            let withField = lengths.filter { $0 > 0 }.count
            guard options.indexed || (options.type.isTyped && options.columnar) else {
                serializer.addStoredOnlyField(stats: FieldStats(sumLengths: sum, docsWithField: withField, termCount: 0))
                continue
            }
            if options.type.isTyped {
                // A typed field: its terms merged (no lengths, no checkpoints) and its column.
                var seen = DocBitSet(docCount: docCount)
                var index: (terms: TermDictionaryWriter, postings: ByteWriter)?
                var termCount = 0
                var withValueOverride: Int?
                var trieShifts: [Int]?
                if options.indexed && options.type.isNumeric {
                    // Numbers: the trie built again from the sources' exact values, so that the
                    // merged segment keeps the levels its own values call for (NumericTerms).
                    let parts = try rebuildNumericTerms(views, sources: sources, docMaps: docMaps, field: options, docCount: docCount)
                    index = parts.index
                    termCount = parts.stats.termCount
                    trieShifts = parts.stats.trieShifts
                    withValueOverride = parts.stats.docsWithField
                } else if options.indexed {
                    let merged = try mergeTerms(views, sources: sources, docMaps: docMaps, lengths: lengths, field: options, seen: &seen)
                    index = (merged.dictionary, merged.postings)
                    termCount = merged.termCount
                }
                var column: [UInt8]?
                var withValue = withValueOverride ?? seen.count
                if options.columnar {
                    var columnSources: [(column: Column?, docMap: [Int32])] = []
                    for (s, v) in views.enumerated() {
                        let local = fieldMap[s].firstIndex(of: mf)
                        columnSources.append((try local.flatMap { try v.reader.column(field: $0) }, docMaps[s]))
                    }
                    let bytes = ColumnMerger.merge(type: options.type, sources: columnSources, docCount: docCount)
                    column = bytes
                    if !options.indexed {
                        withValue = try bytes.withUnsafeBytes { try ColumnMerger.documentsWithValue($0, docCount: docCount) }
                    }
                }
                serializer.addTypedField(
                    stats: FieldStats(sumLengths: 0, docsWithField: withValue, termCount: termCount, trieShifts: trieShifts),
                    index: index, column: column)
                continue
            }
            var seen = DocBitSet(docCount: 0)
            let (dictionary, postingsOut, positionsOut, termCount) = try mergeTerms(
                views, sources: sources, docMaps: docMaps, lengths: lengths, field: options, seen: &seen)
            // Token checkpoints, copied per document in the new order.
            var checkpoints = DocColumnWriter()
            var columns: [Int: DocColumnReader] = [:]
            for (s, local) in sources {
                if let column = try views[s].reader.checkpointColumn(field: local) { columns[s] = column }
            }
            for source in sourceDocs {
                if let column = columns[source.view] {
                    guard let value = column.value(source.doc) else {
                        throw PoiskError.corruptIndex(
                            file: views[source.view].reader.fileName, section: "token checkpoints of \(options.name)",
                            reason: "document \(source.doc) out of bounds")
                    }
                    checkpoints.add(value)
                } else {
                    checkpoints.endDocument()
                }
            }
            serializer.addIndexedField(
                stats: FieldStats(sumLengths: sum, docsWithField: withField, termCount: termCount), terms: dictionary,
                postings: postingsOut, positions: positionsOut, lengths: lengths, checkpoints: checkpoints)
        }
        // 5. Ids.
        idPairs.sort { $0.0.lexicographicallyPrecedes($1.0) }
        var ids = TermDictionaryWriter(arity: 1)
        var previous: [UInt8]?
        for (id, doc) in idPairs {
            if let p = previous, p == id { continue }  // cannot happen with correct deletes; keep the first
            id.withUnsafeBytes { ids.add($0, values: (UInt64(doc), 0, 0)) }
            previous = id
        }
        guard idColumn.documentCount == docCount else {
            throw PoiskError.corruptIndex(
                file: views.first?.reader.fileName ?? name, section: "stored fields", reason: "a document has no id")
        }
        let parts = serializer.finishParts(
            ids: ids, idColumn: idColumn, stored: &stored, name: name, docCount: docCount, schema: schema)
        return (parts, docCount)
    }

    /// The terms of an integer, double or date field for the merged segment: each source's
    /// exact values (its level-0 trie terms, present in every format) for its live documents, in
    /// the merged order, indexed again at the levels the merged values keep.
    /// - Throws: `PoiskError.corruptIndex` when a source's terms or postings are damaged.
    /// - Complexity: O(values × levels + values × log values).
    private static func rebuildNumericTerms(
        _ views: [SegmentView], sources: [(view: Int, field: Int)], docMaps: [[Int32]], field options: FieldOptions, docCount: Int
    ) throws -> TypedFieldBuilder.Parts {
        var pairs: [(doc: Int32, value: UInt64)] = []
        for (s, local) in sources {
            let reader = views[s].reader
            guard local < reader.fields.count, let field = reader.fields[local] else { continue }
            var cursor = try [UInt8(0)].withUnsafeBytes { try field.terms.cursor(from: $0) }
            while try cursor.next() {
                let decoded = cursor.withTerm { t in t.first == 0 ? NumericTerms.decode(t) : nil }
                guard let decoded, decoded.shift == 0 else { break }
                guard let postings = try reader.postings(field: local, info: cursor.info) else { continue }
                while let block = postings.nextBlock() {
                    for j in 0..<block.count {
                        let d = Int(block.docs[j])
                        guard d < docMaps[s].count else { continue }
                        let merged = docMaps[s][d]
                        if merged >= 0 { pairs.append((merged, decoded.value)) }
                    }
                }
                if postings.isCorrupt {
                    throw PoiskError.corruptIndex(
                        file: reader.fileName, section: "postings of \(options.name)", reason: "postings fail structural checks")
                }
            }
        }
        pairs.sort { $0.doc < $1.doc || ($0.doc == $1.doc && $0.value < $1.value) }
        var indexOnly = options
        indexOnly.columnar = false
        let builder = TypedFieldBuilder(options: indexOnly)
        var previous: Int32 = -1
        for pair in pairs where pair.doc != previous {
            previous = pair.doc
            builder.add(sortableBits: pair.value, doc: pair.doc)
        }
        var writer = PostingsWriter()
        return builder.finish(docCount: docCount, writer: &writer)
    }

    /// One indexed field's terms, merged term by term from its sources (a k-way merge of their
    /// dictionaries), each term's documents renumbered without the deleted ones.
    /// - Parameter seen: documents found in the postings are added to it (when it has room).
    private static func mergeTerms(
        _ views: [SegmentView], sources: [(view: Int, field: Int)], docMaps: [[Int32]], lengths: [UInt32],
        field options: FieldOptions, seen: inout DocBitSet
    ) throws -> (dictionary: TermDictionaryWriter, postings: ByteWriter, positions: ByteWriter, termCount: Int) {
        var positions: [UInt32] = []
        let typed = options.type.isTyped
        var dictionary = TermDictionaryWriter(arity: 3)
        var postingsOut = ByteWriter(capacity: 1 << 16)
        var positionsOut = ByteWriter(capacity: 1 << 16)
        var writer = PostingsWriter()
        // k-way merge of the sources' term cursors.
        var cursors: [(source: Int, cursor: TermDictionaryReader.TermCursor, live: Bool)] = []
        for (s, local) in sources {
            guard let fr = views[s].reader.fields[local] else { continue }
            try views[s].reader.ensureVerified(.postings, field: local)
            try views[s].reader.ensureVerified(.positions, field: local)
            var c = try fr.terms.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            let live = try c.next()
            cursors.append((s, c, live))
        }
        var termCount = 0
        while true {
            // The smallest current term.
            var smallest: [UInt8]?
            for c in cursors where c.live {
                let t = c.cursor.withTerm { Array($0) }
                if let s = smallest {
                    if t.lexicographicallyPrecedes(s) { smallest = t }
                } else {
                    smallest = t
                }
            }
            guard let term = smallest else { break }
            writer.reset()
            var docFreq = 0
            for i in cursors.indices where cursors[i].live {
                let same = cursors[i].cursor.withTerm { t in term.withUnsafeBytes { compareBytes(t, $0) == 0 } }
                guard same else { continue }
                let s = cursors[i].source
                let local = sources.first { $0.view == s }?.field ?? 0
                if let pc = try views[s].reader.postings(field: local, info: cursors[i].cursor.info) {
                    var d = pc.next()
                    while d != PostingsCursor.end {
                        let newDoc = docMaps[s][Int(d)]
                        if newDoc >= 0 {
                            seen.insert(newDoc)
                            // A typed field's postings have one position, 0, and no positions section.
                            if typed {
                                positions.removeAll(keepingCapacity: true)
                                positions.append(0)
                            } else {
                                guard pc.readPositions(into: &positions) else { break }
                            }
                            writer.add(doc: UInt32(newDoc), positions: positions[...], fieldLength: lengths[Int(newDoc)])
                            docFreq += 1
                        }
                        d = pc.next()
                    }
                    if pc.isCorrupt {
                        throw PoiskError.corruptIndex(
                            file: views[s].reader.fileName, section: "postings of \(options.name)",
                            reason: "postings fail structural checks during merge")
                    }
                }
                cursors[i].live = try cursors[i].cursor.next()
            }
            if let singleton = writer.singleton {
                term.withUnsafeBytes {
                    dictionary.addSingleton($0, doc: singleton.doc, position: singleton.position)
                }
                termCount += 1
            } else if docFreq > 0 {
                let po = postingsOut.count
                // A typed field's positions are dropped: its offsets are 0.
                if typed { positionsOut.removeAll() }
                let pp = positionsOut.count
                writer.write(postings: &postingsOut, positions: &positionsOut)
                term.withUnsafeBytes { dictionary.add($0, values: (UInt64(docFreq), UInt64(po), UInt64(pp))) }
                termCount += 1
            }
        }
        return (dictionary, postingsOut, positionsOut, termCount)
    }
}
