// The term scorer: one term in one field of one segment, its postings cursor and BM25.
//
// For: the leaves of scorer trees, and the term clauses the window, conjunction, one-term and
// Block-Max WAND executors drive directly (their kernels over a term's cursor are extensions of
// this type in those executors' files). Not for: phrases (PhraseScorer).

/// One term in one field of one segment.
final class TermScorer: Scorer {
    let cursor: PostingsCursor
    /// The term's scoring function (boosts folded in).
    let bm25: BM25
    let segment: SegmentReader
    let field: Int
    let fieldName: String
    let termText: String
    /// The field's lengths section (docCount × u32), read directly on the scoring path.
    private let lengths: UnsafeRawBufferPointer

    init(cursor: PostingsCursor, bm25: BM25, segment: SegmentReader, field: Int, fieldName: String, term: String) {
        self.cursor = cursor
        self.bm25 = bm25
        self.segment = segment
        self.field = field
        self.fieldName = fieldName
        self.termText = term
        self.lengths = segment.fields[field]?.lengths ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    override var cost: Int { cursor.docFreq }
    override var isCorrupt: Bool { cursor.isCorrupt }
    override func next() -> Int32 {
        doc = cursor.next()
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        doc = cursor.advance(to: target)
        return doc
    }
    /// Document `doc`'s length in the field, from the lengths section (0 when out of range).
    @inline(__always)
    func length(_ doc: Int32) -> Double {
        let offset = Int(doc) &* 4
        guard offset >= 0, offset + 4 <= lengths.count, let base = lengths.baseAddress else { return 0 }
        return Double(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }
    override func score() -> Double {
        bm25.score(tf: Double(cursor.termFrequency), length: length(doc))
    }

    override func explanation() -> Explanation {
        bm25.explanation("\(fieldName):\(termText)", tf: Double(cursor.termFrequency), length: length(doc))
    }
}

extension TermScorer {
    /// Term scorers for a flat list of term weights in one segment (terms absent from the segment
    /// left out).
    static func scorers(_ flat: [Weight], in view: SegmentView) throws -> [TermScorer] {
        var terms: [TermScorer] = []
        for w in flat {
            guard case .term(let weight) = w, let scorer = try weight.scorer(in: view) else { continue }
            terms.append(scorer)
        }
        return terms
    }
}
