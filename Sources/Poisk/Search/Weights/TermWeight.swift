// The term weight: one analyzed term in one field, prepared against a snapshot (its BM25 over
// the whole index, its dictionary entry in each segment), and the scorer it makes per segment.
//
// For: the leaves of weights (words, prefix and fuzzy expansions, transliterations). Not for:
// building weights from queries (WeightBuilder) or iterating postings (TermScorer).

/// A term in one field, prepared against a snapshot. Shared, never changed: a weight tree copies
/// a reference to it, not its fields.
final class TermWeight {
    /// The field's name.
    let field: String
    /// The term's bytes, as analyzed.
    let term: [UInt8]
    /// The query text it came from (for explanations).
    let text: String
    /// Its scoring function, query boosts folded in.
    let bm25: BM25
    /// Its dictionary entry in each segment, looked up while the weight was built (saves a second
    /// lookup); nil when the weight was built without them.
    let infos: [TermInfo?]?

    init(field: String, term: [UInt8], text: String, bm25: BM25, infos: [TermInfo?]? = nil) {
        self.field = field
        self.term = term
        self.text = text
        self.bm25 = bm25
        self.infos = infos
    }

    /// The same term with its boost multiplied by `factor`.
    func boosted(by factor: Double) -> TermWeight {
        TermWeight(field: field, term: term, text: text, bm25: bm25.boosted(by: factor), infos: infos)
    }

    /// The term's scorer in one segment, or nil when the segment lacks the field or the term.
    /// - Throws: `PoiskError.corruptIndex` when the term's dictionary entry or postings header
    ///   is damaged.
    func scorer(in view: SegmentView) throws -> TermScorer? {
        let segment = view.reader
        guard let f = segment.fieldID(field),
            let info = try infos.map({ view.index < $0.count ? $0[view.index] : nil })
                ?? term.withUnsafeBytes({ try segment.termInfo(field: f, term: $0) }),
            let cursor = try segment.postings(field: f, info: info)
        else { return nil }
        return TermScorer(cursor: cursor, bm25: bm25, segment: segment, field: f, fieldName: field, term: text)
    }
}
