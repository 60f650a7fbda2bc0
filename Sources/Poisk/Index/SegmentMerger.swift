// Merging segments: postings are merged term by term (no re-analysis), doc ids renumbered
// without the deleted documents, stored fields, ids and token checkpoints copied (a document's
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
                remapped.sort { $0.0 < $1.0 }
                stored.add(remapped)
            }
        }
        // 4. Per field: lengths, stats, and postings merged term by term.
        var positions: [UInt32] = []
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
            guard options.indexed else {
                serializer.addStoredOnlyField(stats: FieldStats(sumLengths: sum, docsWithField: withField, termCount: 0))
                continue
            }
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
                                guard pc.readPositions(into: &positions) else { break }
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
                    let pp = positionsOut.count
                    writer.write(postings: &postingsOut, positions: &positionsOut)
                    term.withUnsafeBytes { dictionary.add($0, values: (UInt64(docFreq), UInt64(po), UInt64(pp))) }
                    termCount += 1
                }
            }
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
}
