// Building one typed field of a segment: its terms and postings (for filters and ranges) and its
// column (for sorting and facets), from each document's canonical value.
//
// For: the segment builder, one per typed field. Terms are interned once (TermInterner) and their
// postings appended to a pool of byte streams (PostingsPool), as for text, but never analysed:
// a keyword is its bytes, a boolean `false`/`true`, a number its trie terms (TypedTerms). Every
// posting has term frequency 1, and the field has no positions and no lengths (typed fields are
// never scored, highlighted or searched by phrase).
// Not for: text fields (SegmentBuilder's FieldBuilder) or merging (SegmentMerger, ColumnMerger).

/// One typed field of a segment under construction.
final class TypedFieldBuilder {
    // The state below is touched by `add` only, one document at a time on one thread: its
    // accesses need no dynamic exclusivity checks (one per access, otherwise).
    let options: FieldOptions
    @exclusivity(unchecked) private var terms = TermInterner(capacity: 256)
    private let postings = PostingsPool(expectedTerms: 256)
    /// Numeric and boolean columns: each document's sortable value (0 without one) and the
    /// presence bitset.
    @exclusivity(unchecked) private var numeric: [UInt64] = []
    @exclusivity(unchecked) private var present: [UInt64] = []
    /// Keyword columns: each document's start in `keywordIDs` (the last entry ends the last
    /// document), and the term ids of its values.
    @exclusivity(unchecked) private var keywordStarts: [UInt32] = [0]
    @exclusivity(unchecked) private var keywordIDs: [UInt32] = []
    /// Documents with a value.
    @exclusivity(unchecked) private(set) var documentsWithValue = 0
    /// Bytes held, roughly, for the writer's memory budget.
    @exclusivity(unchecked) private(set) var estimatedBytes = 0

    init(options: FieldOptions) {
        self.options = options
    }

    private var isNumeric: Bool { options.type != .keyword }

    /// Adds document `doc`'s value (canonical for the field's type, see
    /// ``FieldValue/converted(to:)``). Documents come in increasing order, each at most once.
    func add(_ value: FieldValue, doc: Int32) {
        let before = postings.allocatedBytes
        if options.columnar { pad(to: Int(doc)) }
        var any = false
        let pool = postings.core
        if options.type == .keyword {
            TypedTerms.forEachTerm(of: value) { term in
                let (id, inserted) = terms.intern(term)
                if inserted {
                    estimatedBytes += term.count + 40
                    guard pool.pointee.newTerm() else { return }
                }
                guard id < pool.pointee.termCount, pool.pointee.states[id].lastDoc != doc else { return }
                any = true
                if options.indexed { pool.pointee.add(id, doc: doc, position: 0) }
                if options.columnar { keywordIDs.append(UInt32(id)) }
            }
            if options.columnar { keywordStarts.append(UInt32(keywordIDs.count)) }
        } else {
            guard let bits = value.sortableBits else { return }
            any = true
            if options.indexed {
                TypedTerms.forEachTerm(of: value) { term in
                    let (id, inserted) = terms.intern(term)
                    if inserted {
                        estimatedBytes += term.count + 40
                        guard pool.pointee.newTerm() else { return }
                    }
                    if id < pool.pointee.termCount && pool.pointee.states[id].lastDoc != doc {
                        pool.pointee.add(id, doc: doc, position: 0)
                    }
                }
            }
            if options.columnar {
                numeric.append(bits)
                present[Int(doc) >> 6] |= 1 << UInt64(doc & 63)
            }
        }
        if any { documentsWithValue += 1 }
        estimatedBytes += postings.allocatedBytes - before + 8
    }

    /// Adds document `doc`'s number by its sortable bits (a merge's values, read back from the
    /// sources' exact terms): as ``add(_:doc:)`` with the value of the field's type.
    func add(sortableBits bits: UInt64, doc: Int32) {
        switch options.type {
        case .integer: add(.integer(SortableNumber.integer(bits)), doc: doc)
        case .date: add(.date(SortableNumber.integer(bits)), doc: doc)
        case .double: add(.double(SortableNumber.double(bits)), doc: doc)
        case .keyword, .boolean, .text: return
        }
    }

    /// Columns of documents before `doc` that had no value: empty entries.
    private func pad(to doc: Int) {
        if options.type == .keyword {
            while keywordStarts.count < doc + 1 { keywordStarts.append(UInt32(keywordIDs.count)) }
        } else {
            while numeric.count < doc { numeric.append(0) }
            while present.count < (doc + 64) >> 6 { present.append(0) }
        }
    }

    /// Whether the pool ran out of its address space (the segment must not be written).
    var overflowed: Bool { postings.core.pointee.overflowed }

    /// The field's sections.
    struct Parts {
        var stats: FieldStats
        /// The dictionary and postings; nil when the field is not indexed. (No positions: every
        /// posting of a typed field is at position 0, and nothing reads them.)
        var index: (terms: TermDictionaryWriter, postings: ByteWriter)?
        /// The column section; nil when the field is not columnar.
        var column: [UInt8]?
    }

    /// Encodes the field for a segment of `docCount` documents.
    func finish(docCount: Int, writer: inout PostingsWriter) -> Parts {
        let order = terms.sortedIDs()
        let termCount = postings.core.pointee.termCount
        var index: (terms: TermDictionaryWriter, postings: ByteWriter)?
        // A number's trie levels: those its values make redundant are left out (NumericTerms).
        var kept: [Bool]?
        var trieShifts: [Int]?
        var written = 0
        if options.indexed && options.type.isNumeric {
            var counts = [Int](repeating: 0, count: NumericTerms.shifts.count)
            for termID in order where termID < termCount {
                let level = terms.withKey(termID) { Int($0.first ?? 0) / NumericTerms.step }
                if level < counts.count { counts[level] += 1 }
            }
            let shifts = NumericTerms.keptShifts(counts: counts)
            var levels = [Bool](repeating: false, count: counts.count)
            for shift in shifts { levels[shift / NumericTerms.step] = true }
            kept = levels
            if shifts.count < NumericTerms.shifts.count { trieShifts = shifts }
        }
        if options.indexed {
            var dictionary = TermDictionaryWriter(arity: 3)
            var postingsOut = ByteWriter(capacity: 1 << 12)
            // Positions are encoded (the postings writer needs somewhere to put them) and dropped.
            var positionsOut = ByteWriter(capacity: 1 << 8)
            // Most terms are in a few documents: encoded straight from the stream (as the text
            // fields' short lists are), else by the general writer.
            let scratch = ShortListScratch()
            let lengths = [UInt32](repeating: 0, count: docCount)
            for termID in order where termID < termCount {
                if let kept, !terms.withKey(termID, { kept[min(Int($0.first ?? 0) / NumericTerms.step, kept.count - 1)] }) {
                    continue
                }
                var shortReader = postings.reader(termID)
                if let docFreq = scratch.encodeShortList(&shortReader, lengths: lengths) {
                    written += 1
                    if docFreq == 1 && scratch.tfs[0] == 1 {
                        terms.withKey(termID) { dictionary.addSingleton($0, doc: scratch.docs[0], position: scratch.firstPosition) }
                    } else {
                        let po = postingsOut.count
                        postingsOut.writeBytes(UnsafeRawBufferPointer(start: scratch.postings, count: scratch.postingsCount))
                        terms.withKey(termID) { dictionary.add($0, values: (UInt64(docFreq), UInt64(po), 0)) }
                    }
                    continue
                }
                writer.reset()
                var reader = postings.reader(termID)
                var doc: UInt32 = 0
                var first = true
                while let delta = reader.readVarInt() {
                    // The stream's first delta is from −1; each document holds one position (0).
                    doc = first ? delta &- 1 : doc &+ delta
                    first = false
                    writer.beginDocument(doc: doc, fieldLength: 0)
                    while let v = reader.readVarInt(), v != 0 { writer.addPosition(v &- 1) }
                    writer.endDocument()
                }
                let docFreq = writer.documentCount
                if docFreq == 0 { continue }
                written += 1
                if let singleton = writer.singleton {
                    terms.withKey(termID) { dictionary.addSingleton($0, doc: singleton.doc, position: singleton.position) }
                    continue
                }
                let po = postingsOut.count
                positionsOut.removeAll()
                writer.write(postings: &postingsOut, positions: &positionsOut)
                terms.withKey(termID) { dictionary.add($0, values: (UInt64(docFreq), UInt64(po), 0)) }
            }
            index = (dictionary, postingsOut)
        }
        var column: [UInt8]?
        if options.columnar {
            pad(to: docCount)
            if options.type == .keyword {
                var rank = [UInt32](repeating: 0, count: terms.count)
                for (r, id) in order.enumerated() { rank[id] = UInt32(r) }
                let dictionary = order.map { id in terms.withKey(id) { Array($0) } }
                var ordinals: [UInt32] = []
                ordinals.reserveCapacity(keywordIDs.count)
                var starts: [UInt32] = [0]
                starts.reserveCapacity(docCount + 1)
                for d in 0..<docCount {
                    let s = Int(keywordStarts[d])
                    let e = Int(keywordStarts[d + 1])
                    var own = keywordIDs[s..<e].map { rank[Int($0)] }
                    own.sort()
                    var previous: UInt32?
                    for o in own where o != previous {
                        ordinals.append(o)
                        previous = o
                    }
                    starts.append(UInt32(ordinals.count))
                }
                column = ColumnWriter.keywords(docCount: docCount, dictionary: dictionary, starts: starts, ordinals: ordinals)
            } else {
                let all = documentsWithValue == docCount
                column = ColumnWriter.numeric(
                    Array(numeric.prefix(docCount)), present: all ? nil : Array(present.prefix((docCount + 63) >> 6)))
            }
        }
        let stats = FieldStats(
            sumLengths: 0, docsWithField: documentsWithValue, termCount: options.indexed ? written : 0, trieShifts: trieShifts)
        return Parts(stats: stats, index: index, column: column)
    }
}
