// The term-set weight: documents with any term of a set of terms, term ranges or a prefix in one
// typed field, as a bitset per segment, scoring nothing.
//
// For: the leaves of typed-field queries (a keyword, a boolean, a number, a date, and ranges of
// them: see WeightBuilder+Typed). Each leaf reads only the dictionary entries and postings of the
// terms it names or ranges over (a numeric range split along the trie levels each segment keeps),
// or, for a wide numeric range of a small segment, the field's column when a cost model says that
// is cheaper. Not for: text terms (TermWeight), which are scored.

/// Terms of one typed field, prepared against a snapshot: a filter leaf.
final class TermSetWeight: @unchecked Sendable {
    // Immutable after init.

    /// Which terms.
    enum Terms {
        /// These exact terms.
        case exact([[UInt8]])
        /// Terms between two bounds (inclusive or not; nil upper: to the end).
        case range(lower: [UInt8], upper: [UInt8]?, includesLower: Bool, includesUpper: Bool)
        /// Terms starting with these bytes.
        case prefix([UInt8])
    }

    /// The field's name.
    let field: String
    /// The term sets, united.
    let terms: [Terms]
    /// The query as written (`section:driver-api`), for explanations.
    let text: String
    /// For a numeric, date or boolean filter: the inclusive range of sortable values it accepts
    /// (the same documents as its terms), so that a filter of a few candidates can read each
    /// one's value from the field's column instead of reading every term of the range.
    let sortableRange: (lower: UInt64, upper: UInt64)?

    init(field: String, terms: [Terms], text: String, sortableRange: (lower: UInt64, upper: UInt64)? = nil) {
        self.field = field
        self.terms = terms
        self.text = text
        self.sortableRange = sortableRange
    }

    /// Per document, what reading a column costs next to reading one posting (a packed read
    /// and a bit against a bitset insert), and what one term range of the trie costs in
    /// postings, on average (its dictionary blocks and the terms it visits): a rough model,
    /// measured on kernel-docs-en-meta and docs-ru-meta.
    static let columnReadCost = 1.2
    static let termRangeCost = 1_000.0

    /// A wide numeric range of a segment with the field's column: its documents from the
    /// column (one packed read per document) when that is cheaper than reading the range's
    /// trie terms, whose postings hold about as many entries as the range matches, plus the
    /// cost of visiting each term range. Nil: read the terms (also when the column cannot be
    /// read: a damaged column fails only the sorts and facets that need it).
    private func columnDocSet(in segment: SegmentReader, termRanges: Int) -> DocBitSet? {
        guard let range = sortableRange, termRanges > 1,
            case .numeric(let column)? = try? segment.column(named: field), column.docCount == segment.docCount
        else { return nil }
        // No rank in the range: no document (the terms would find none either).
        guard let ranks = column.ranks(from: range.lower, through: range.upper) else { return DocBitSet(docCount: segment.docCount) }
        let docCount = Double(segment.docCount)
        // The matches, estimated as the share of the column's ranks in the range.
        let share = (Double(ranks.upperBound - ranks.lowerBound) + 1) / Double(max(column.rankCount, 1))
        let termsCost = min(share, 1) * docCount + Double(termRanges) * Self.termRangeCost
        guard Self.columnReadCost * docCount < termsCost else { return nil }
        return column.documents(withRanksIn: ranks)
    }

    /// The term sets to read in a segment whose field has `stats`: a numeric range split along
    /// the trie levels the segment keeps (format 6 leaves redundant levels out); else as built.
    private func terms(in stats: FieldStats) -> [Terms] {
        guard let range = sortableRange, let shifts = stats.trieShifts,
            terms.contains(where: { if case .range = $0 { return true } else { return false } })
        else { return terms }
        return NumericTerms.intervals(range.lower, range.upper, shifts: shifts).map {
            .range(lower: $0.lower, upper: $0.upper, includesLower: true, includesUpper: true)
        }
    }

    /// The live or deleted documents of `view` with any of the terms; nil when there are none.
    /// - Throws: `PoiskError.corruptIndex` when a dictionary or postings are damaged.
    /// - Complexity: O(terms visited + their postings).
    func docSet(in view: SegmentView) throws -> DocBitSet? {
        let segment = view.reader
        guard let f = segment.fieldID(field), f < segment.fields.count, let reader = segment.fields[f] else { return nil }
        let terms = self.terms(in: reader.stats)
        if let set = columnDocSet(in: segment, termRanges: terms.count) { return set.isEmpty ? nil : set }
        var set = DocBitSet(docCount: segment.docCount)
        var any = false
        // The postings checked against their CRC once; then singletons and short lists are read
        // straight into the set (no cursor per term: a range reads hundreds of small lists).
        try segment.ensureVerified(.postings, field: f)
        let postings = reader.postings
        let docCount = segment.docCount
        let shortLists = segment.file.formatVersion >= 2
        func add(_ info: TermInfo) throws {
            if let singleton = info.singleton {
                guard singleton.doc < UInt32(docCount) else {
                    throw PoiskError.corruptIndex(file: segment.fileName, section: "terms of \(field)", reason: "a document out of range")
                }
                set.insert(Int32(singleton.doc))
                any = true
                return
            }
            if shortLists && info.docFreq < PostingsFormat.blockSize {
                let ok = set.withWords { words in
                    PostingsFormat.forEachShortListDocument(postings, info: info, docCount: docCount) { d in
                        words[Int(d >> 6)] |= 1 << UInt64(d & 63)
                    }
                }
                guard ok else {
                    throw PoiskError.corruptIndex(
                        file: segment.fileName, section: "postings of \(field)", reason: "postings fail structural checks")
                }
                any = true
                return
            }
            guard let cursor = try segment.postings(field: f, info: info) else { return }
            while let block = cursor.nextBlock() {
                set.insert(block.docs, count: block.count)
                any = true
            }
            if cursor.isCorrupt {
                throw PoiskError.corruptIndex(
                    file: segment.fileName, section: "postings of \(field)", reason: "postings fail structural checks")
            }
        }
        for entry in terms {
            switch entry {
            case .exact(let list):
                for term in list {
                    if let info = try term.withUnsafeBytes({ try reader.terms.lookupInfo($0) }) { try add(info) }
                }
            case .range(let lower, let upper, let includesLower, let includesUpper):
                var cursor = try lower.withUnsafeBytes { try reader.terms.cursor(from: $0) }
                // A forward scan ends after the dictionary's last term, even in a damaged one.
                while try cursor.next() {
                    let (atLower, atUpper) = cursor.withTerm { t in
                        (
                            lower.withUnsafeBytes { compareBytes(t, $0) },
                            upper.map { u in u.withUnsafeBytes { compareBytes(t, $0) } } ?? -1
                        )
                    }
                    if atUpper > 0 || (atUpper == 0 && !includesUpper) { break }
                    if atLower < 0 || (atLower == 0 && !includesLower) { continue }
                    try add(cursor.info)
                }
            case .prefix(let prefix):
                var cursor = try prefix.withUnsafeBytes { try reader.terms.cursor(from: $0) }
                while try cursor.next() {
                    let matches = cursor.withTerm { t in
                        t.count >= prefix.count
                            && prefix.withUnsafeBytes { compareBytes(UnsafeRawBufferPointer(rebasing: t[0..<prefix.count]), $0) == 0 }
                    }
                    if !matches { break }
                    try add(cursor.info)
                }
            }
        }
        return any ? set : nil
    }
}
