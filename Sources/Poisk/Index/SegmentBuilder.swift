// The in-memory segment builder: documents in, segment file bytes out.
//
// For: the indexing hot path. Each token is interned once in a byte-keyed hash map (term →
// term id) and appended to that term's growable byte buffer as varints (doc delta, then
// position deltas + 1, a 0 closing each document): no per-token allocation, no String.
// Each field also remembers, per distinct word (its original bytes, up to 32), the term id it
// produced: a repeated word (most tokens of any text) skips normalization, stemming and the term
// lookup, and costs one probe of that table (`Analyzer.analyze(utf8:scratch:memo:_:)`).
// `finish` sorts the terms and encodes the segment (Format/). Not for: durability or
// deletes across segments (IndexWriter) or reading (SegmentReader).

/// One field's postings under construction.
struct FieldBuilder {
    var terms = TermInterner(capacity: 4096)
    /// Each term's postings stream, indexed by the term's id in `terms`.
    var postings = PostingsPool()
    /// Words seen in this field (original bytes) → the term id each produced.
    let memo = WordMemo()
    var lengths: [UInt32] = []
    var sumLengths: UInt64 = 0
    var docsWithField = 0
    /// Each document's token checkpoints (where a snippet may restart analysis).
    var checkpoints = TokenCheckpointWriter()
}

/// Builds one segment in memory.
package final class SegmentBuilder {
    package private(set) var schema: Schema
    private var analyzers: [Analyzer]
    private var fields: [FieldBuilder]
    /// Per field, its typed builder (typed fields; nil for text fields, which use `fields`).
    private var typed: [TypedFieldBuilder?]
    /// Documents added so far (including ones replaced by a later duplicate id).
    package private(set) var docCount = 0
    private var ids = TermInterner(capacity: 1024)
    private var idDocs: [Int32] = []
    /// Each document's id, in document order.
    private var idColumn = DocColumnWriter()
    /// Local doc ids superseded by a later document with the same id.
    package private(set) var replaced: [Int32] = []
    private var stored = StoredFieldsWriter()
    private var scratch = AnalysisScratch()
    /// A rough count of the bytes held, for the writer's memory budget.
    package private(set) var estimatedBytes = 0
    /// Whether a field's postings pool ran out of its 4 GiB address space; such a segment is
    /// incomplete and must not be written.
    package var overflowed: Bool {
        fields.contains { $0.postings.core.pointee.overflowed } || typed.contains { $0?.overflowed == true }
    }

    /// Creates an empty builder for `schema`.
    package init(schema: Schema) {
        self.schema = schema
        self.analyzers = schema.fields.map { Analyzer($0.analyzer) }
        self.fields = schema.fields.map { _ in FieldBuilder() }
        self.typed = schema.fields.map { $0.type.isTyped ? TypedFieldBuilder(options: $0) : nil }
    }

    /// Adds a document. A document whose id was already added to this builder replaces it.
    package func add(_ document: Document) {
        let doc = Int32(docCount)
        docCount += 1
        // Id map: last wins.
        var id = document.id
        id.withUTF8 { utf8 in
            idColumn.add(UnsafeRawBufferPointer(utf8))
            let (slot, inserted) = ids.intern(UnsafeRawBufferPointer(utf8))
            if inserted {
                idDocs.append(doc)
            } else {
                replaced.append(idDocs[slot])
                idDocs[slot] = doc
            }
        }
        var storedFields: [(Int, String)] = [(0, document.id)]
        // Declared fields first, then new ones in name order (deterministic field ids): text, or
        // a typed value's type (the writer has brought every value into its field's type, so a
        // value's case is its field's type; see `Document.resolved(against:)`).
        var newNames = document.fields.keys.filter { schema.fieldID($0) == nil }
        if !document.values.isEmpty {
            for name in document.values.keys where schema.fieldID(name) == nil && document.fields[name] == nil {
                newNames.append(name)
            }
        }
        for name in newNames.sorted() {
            let f = schema.fieldIDAdding(name, type: document.values[name]?.inferredType ?? .text)
            analyzers.append(Analyzer(schema.fields[f].analyzer))
            var builder = FieldBuilder()
            builder.lengths = [UInt32](repeating: 0, count: Int(doc))
            builder.checkpoints.column.addEmpty(count: Int(doc))
            fields.append(builder)
            typed.append(schema.fields[f].type.isTyped ? TypedFieldBuilder(options: schema.fields[f]) : nil)
        }
        for f in 0..<schema.fields.count {
            let options = schema.fields[f]
            if let builder = typed[f] {
                // A typed field: its value (or its text, for a document not brought into the
                // schema's types by a writer) indexed as exact terms and kept in its column.
                var given = document.values[options.name]
                if given == nil, let text = document.fields[options.name], !text.isEmpty { given = .keyword(text) }
                guard let given, let value = try? given.converted(to: options.type) else { continue }
                if case .keywords(let list) = value, list.isEmpty { continue }
                if options.stored { for text in value.texts { storedFields.append((f + 1, text)) } }
                let before = builder.estimatedBytes
                builder.add(value, doc: doc)
                estimatedBytes += builder.estimatedBytes - before
                continue
            }
            let text = document.fields[options.name]
            if let text, options.stored, !text.isEmpty { storedFields.append((f + 1, text)) }
            var length: UInt32 = 0
            var scalars: Int?
            if let text, options.indexed, !text.isEmpty {
                (length, scalars) = index(text, field: f, doc: doc)
            }
            fields[f].lengths.append(length)
            fields[f].checkpoints.endDocument(scalarCount: scalars)
            fields[f].sumLengths += UInt64(length)
            if length > 0 { fields[f].docsWithField += 1 }
        }
        stored.add(storedFields)
        for (_, text) in storedFields { estimatedBytes += text.utf8.count }
    }

    /// Analyzes and indexes one field value; returns the field length (token count) and the
    /// text's number of Unicode scalars.
    private func index(_ text: String, field f: Int, doc: Int32) -> (tokens: UInt32, scalars: Int) {
        var text = text
        var tokens: UInt32 = 0
        var scalars = 0
        var added = 0
        let analyzer = analyzers[f]
        // Work through pointers: a class property touched in the per-token closure would pay a
        // dynamic exclusivity check on every access.
        let pool = fields[f].postings.core
        let poolBefore = fields[f].postings.allocatedBytes
        // The memo, held here for the whole value (loaded from the field in the closures, it would
        // be retained and released on every token), and its table reached straight through its
        // pointer.
        let memo = fields[f].memo
        let memoTable = memo.table
        withUnsafeMutablePointer(to: &fields[f]) { field in
            withUnsafeMutablePointer(to: &scratch) { scratch in
                text.withUTF8 { utf8 in
                    let text = UnsafeRawBufferPointer(utf8)
                    scalars = UTF8Scalars.count(text)
                    analyzer.analyze(
                        utf8: text, scratch: &scratch.pointee,
                        memo: { word, position in
                            // A word seen before in this field: its term without re-analysis.
                            guard let termID = memoTable.pointee.find(word) else { return false }
                            if position >= field.pointee.checkpoints.nextPosition, let w = word.baseAddress,
                                let t = text.baseAddress
                            {
                                field.pointee.checkpoints.offer(position: position, offset: t.distance(to: w), text: text)
                            }
                            if termID < pool.pointee.termCount {
                                pool.pointee.add(termID, doc: doc, position: UInt32(truncatingIfNeeded: position))
                            }
                            tokens += 1
                            return true
                        }
                    ) { token, memoizable in
                        if memoizable && token.position >= field.pointee.checkpoints.nextPosition {
                            field.pointee.checkpoints.offer(
                                position: token.position, offset: token.range.lowerBound, text: text)
                        }
                        let (termID, inserted) = field.pointee.terms.intern(token.term)
                        if inserted {
                            added += token.term.count + 40
                            if !pool.pointee.newTerm() { return }
                        }
                        if memoizable && token.range.count <= WordMemo.maxKeyBytes {
                            let word = UnsafeRawBufferPointer(rebasing: text[token.range])
                            let before = memoTable.pointee.allocatedBytes
                            memoTable.pointee.insert(word, termID: termID)
                            added += memoTable.pointee.allocatedBytes - before
                        }
                        // A term without a stream can only follow an overflow (the segment is refused).
                        if termID < pool.pointee.termCount {
                            pool.pointee.add(
                                termID, doc: doc, position: UInt32(truncatingIfNeeded: token.position))
                        }
                        tokens += 1
                    }
                }
            }
        }
        withExtendedLifetime(memo) {}
        estimatedBytes += added + fields[f].postings.allocatedBytes - poolBefore
        return (tokens, scalars)
    }

    /// Encodes the segment.
    /// - Parameter name: the segment's name, recorded in its meta section.
    /// - Returns: the segment file's bytes.
    package func finish(name: String) -> [UInt8] { joinParts(finishParts(name: name)) }

    /// Encodes the segment as parts to write back to back (no copy of the sections into one
    /// buffer).
    /// - Parameter name: the segment's name, recorded in its meta section.
    package func finishParts(name: String) -> [[UInt8]] {
        var serializer = SegmentSerializer()
        var postingsWriter = PostingsWriter()
        let scratch = ShortListScratch()
        for f in 0..<fields.count {
            if let builder = typed[f] {
                let parts = builder.finish(docCount: docCount, writer: &postingsWriter)
                serializer.addTypedField(stats: parts.stats, index: parts.index, column: parts.column)
                continue
            }
            let field = fields[f]
            let stats = FieldStats(
                sumLengths: field.sumLengths, docsWithField: field.docsWithField, termCount: field.terms.count)
            if !schema.fields[f].indexed {
                serializer.addStoredOnlyField(stats: stats)
                continue
            }
            let order = field.terms.sortedIDs()
            let fieldLengths = field.lengths
            var dictionary = TermDictionaryWriter(arity: 3)
            // Capacity reserved from the pool's size (positions take at most the stream's bytes;
            // postings far less, plus a header per term): the sections are written without
            // regrowing (each regrowth copies into freshly faulted pages). Unused capacity is
            // never touched, so it costs address space, not memory.
            let streamBytes = field.postings.allocatedBytes
            var postings = ByteWriter(capacity: (1 << 16) + streamBytes / 2 + field.terms.count * 16)
            var positions = ByteWriter(capacity: (1 << 16) + streamBytes)
            let termCount = field.postings.core.pointee.termCount
            // Terms are encoded in key order, so each stream starts at a random place in the pool:
            // touching the stream `lookahead` terms ahead overlaps its cache misses with the
            // current term's work (a load whose value feeds `touched`, a software prefetch).
            let lookahead = 8
            var touched: UInt8 = 0
            for (k, termID) in order.enumerated() where termID < termCount {
                if k + lookahead < order.count, order[k + lookahead] < termCount {
                    touched ^= field.postings.firstByte(order[k + lookahead])
                }
                // Most terms occur in fewer than 128 documents: encoded straight from the stream
                // into scratch memory (no per-document array appends), else the general writer.
                let postingsOffset = postings.count
                let positionsOffset = positions.count
                var shortReader = field.postings.reader(termID)
                if let docFreq = scratch.encodeShortList(&shortReader, lengths: fieldLengths) {
                    if docFreq == 1 && scratch.tfs[0] == 1 {
                        // A singleton: kept in the dictionary, no postings or positions bytes.
                        field.terms.withKey(termID) { key in
                            dictionary.addSingleton(key, doc: scratch.docs[0], position: scratch.firstPosition)
                        }
                        continue
                    }
                    postings.writeBytes(UnsafeRawBufferPointer(start: scratch.postings, count: scratch.postingsCount))
                    positions.writeBytes(UnsafeRawBufferPointer(start: scratch.positions, count: scratch.positionsCount))
                    field.terms.withKey(termID) { key in
                        dictionary.add(
                            key, values: (UInt64(docFreq), UInt64(postingsOffset), UInt64(positionsOffset)))
                    }
                    continue
                }
                postingsWriter.reset()
                var reader = field.postings.reader(termID)
                var doc: UInt32 = 0
                var firstDocument = true
                while let delta = reader.readVarInt() {
                    // The stream's first delta is from −1.
                    doc = firstDocument ? delta &- 1 : doc &+ delta
                    firstDocument = false
                    postingsWriter.beginDocument(doc: doc, fieldLength: fieldLengths[Int(doc)])
                    var position: UInt32 = 0
                    var firstPosition = true
                    while let v = reader.readVarInt(), v != 0 {
                        position = firstPosition ? v &- 1 : position &+ (v &- 1)
                        firstPosition = false
                        postingsWriter.addPosition(position)
                    }
                    postingsWriter.endDocument()
                }
                let docFreq = postingsWriter.documentCount
                postingsWriter.write(postings: &postings, positions: &positions)
                field.terms.withKey(termID) { key in
                    dictionary.add(
                        key, values: (UInt64(docFreq), UInt64(postingsOffset), UInt64(positionsOffset)))
                }
            }
            keepAlive(touched)
            serializer.addIndexedField(
                stats: stats, terms: dictionary, postings: postings, positions: positions, lengths: field.lengths,
                checkpoints: field.checkpoints.column)
        }
        // Id map.
        let idOrder = ids.sortedIDs()
        var idDictionary = TermDictionaryWriter(arity: 1)
        for slot in idOrder {
            ids.withKey(slot) { idDictionary.add($0, values: (UInt64(idDocs[slot]), 0, 0)) }
        }
        return serializer.finishParts(
            ids: idDictionary, idColumn: idColumn, stored: &stored, name: name, docCount: docCount, schema: schema)
    }
}

/// Consumes a value so the loads that produced it are not optimized away.
@inline(never)
func keepAlive(_ value: UInt8) { _ = value }

/// Scratch memory for encoding short posting lists (fewer than `blockSize` documents) straight
/// from a term's stream. Owned by one `finishParts` call.
final class ShortListScratch {
    static let positionsCapacity = 1 << 14
    let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: PostingsFormat.blockSize)
    let tfs = UnsafeMutablePointer<UInt32>.allocate(capacity: PostingsFormat.blockSize)
    let postings = UnsafeMutablePointer<UInt8>.allocate(capacity: PostingsWriter.shortListMaxBytes)
    let positions = UnsafeMutablePointer<UInt8>.allocate(capacity: ShortListScratch.positionsCapacity)
    var postingsCount = 0
    var positionsCount = 0
    /// The first position of the first document.
    var firstPosition: UInt32 = 0

    deinit {
        docs.deallocate()
        tfs.deallocate()
        postings.deallocate()
        positions.deallocate()
    }

    /// Encodes the stream's postings into `postings` and its positions into `positions` when it
    /// holds 1 to `blockSize − 1` documents whose positions fit the scratch; returns the
    /// document count, or nil (the caller then uses the general writer).
    func encodeShortList(_ reader: inout PostingsStreamReader, lengths: [UInt32]) -> Int? {
        var n = 0
        var p = 0
        var doc: UInt32 = 0
        let limit = ShortListScratch.positionsCapacity - 5
        while let delta = reader.readVarInt() {
            if n == PostingsFormat.blockSize - 1 { return nil }
            doc = n == 0 ? delta &- 1 : doc &+ delta
            guard Int(doc) < lengths.count else { return nil }
            var tf: UInt32 = 0
            // Stream values are (position gap + 1), the first position + 1; on disk the same
            // gaps without the + 1.
            while let v = reader.readVarInt(), v != 0 {
                if p > limit { return nil }
                if p == 0 { firstPosition = v &- 1 }
                PostingsWriter.putVarInt(v &- 1, positions, &p)
                tf &+= 1
            }
            docs[n] = doc
            tfs[n] = tf
            n += 1
        }
        if n == 0 { return nil }
        positionsCount = p
        postingsCount = PostingsWriter.encodeShortList(docs: docs, tfs: tfs, count: n, into: postings)
        return n
    }
}
