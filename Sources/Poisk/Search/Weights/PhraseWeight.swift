// The phrase weight: the analyzed terms of a phrase in one field, prepared against a snapshot
// (one BM25 whose idf is the sum of the terms' idfs, each term's dictionary entry per segment, the
// terms an exact CJK phrase must read), and the scorer it makes per segment.
//
// For: quoted phrases and words that analyze to several terms (CJK bigrams). Not for: counting
// phrase occurrences (PhraseScorer).

/// A phrase in one field, prepared against a snapshot. Shared, never changed.
final class PhraseWeight {
    /// The field's name.
    let field: String
    /// The phrase's terms and their positions.
    let terms: AnalyzedTerms
    /// Each term's position relative to the first.
    let offsets: [Int]
    /// How many moves a match may need (0: exact).
    let slop: Int
    /// The query text (for explanations).
    let text: String
    /// Its scoring function, query boosts folded in.
    let bm25: BM25
    /// `infos[t * segments + s]`: term `t`'s entry in segment `s` (looked up once, while the
    /// weight is built; one flat array, not one per term).
    let infos: [TermInfo?]
    /// The terms whose postings are read (nil: all; see `AnalyzedTerms.exactCover`).
    let cover: [Int]?

    init(
        field: String, terms: AnalyzedTerms, offsets: [Int], slop: Int, text: String, bm25: BM25, infos: [TermInfo?],
        cover: [Int]?
    ) {
        self.field = field
        self.terms = terms
        self.offsets = offsets
        self.slop = slop
        self.text = text
        self.bm25 = bm25
        self.infos = infos
        self.cover = cover
    }

    /// The same phrase with its boost multiplied by `factor`.
    func boosted(by factor: Double) -> PhraseWeight {
        PhraseWeight(
            field: field, terms: terms, offsets: offsets, slop: slop, text: text, bm25: bm25.boosted(by: factor),
            infos: infos, cover: cover)
    }

    /// The same phrase reading every term (no cover).
    func readingEveryTerm() -> PhraseWeight {
        PhraseWeight(
            field: field, terms: terms, offsets: offsets, slop: slop, text: text, bm25: bm25, infos: infos, cover: nil)
    }

    /// The phrase's scorer in one segment, or nil when a term it reads is absent there.
    /// - Throws: `PoiskError.corruptIndex` when a term's dictionary entry or postings header is
    ///   damaged.
    func scorer(in view: SegmentView) throws -> PhraseScorer? {
        let segment = view.reader
        guard let f = segment.fieldID(field) else { return nil }
        let stride = infos.count / max(terms.count, 1)
        let reads = cover?.count ?? terms.count
        var cursors: [PostingsCursor] = []
        cursors.reserveCapacity(reads)
        let offsets = cover.map { $0.map { self.offsets[$0] } } ?? self.offsets
        for k in 0..<reads {
            let t = cover?[k] ?? k
            // A term that repeats (`"New York, New York"`, or two forms of one stem) shares
            // one cursor: its postings are read once.
            if let same = (0..<k).first(where: { terms.same(cover?[$0] ?? $0, t) }) {
                cursors.append(cursors[same])
                continue
            }
            let known: TermInfo?
            if view.index < stride {
                known = infos[t * stride + view.index]
            } else {
                known = try terms.withTerm(t) { try segment.termInfo(field: f, term: $0) }
            }
            guard let info = known, let c = try segment.postings(field: f, info: info) else { return nil }
            cursors.append(c)
        }
        return PhraseScorer(
            cursors: cursors, offsets: offsets, slop: slop, bm25: bm25, segment: segment, field: f,
            fieldName: field, text: text)
    }
}
