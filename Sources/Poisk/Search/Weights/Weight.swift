// Weights: a query prepared against an index snapshot, as a tree whose leaves are term and
// phrase weights and whose inner nodes are sums and boolean combinations.
//
// For: the shape the planner inspects and the scorer tree it builds per segment. Not for:
// building weights (WeightBuilder) or scoring (BM25, scorers).

/// A query prepared against an index snapshot.
enum Weight {
    /// One term in one field.
    case term(TermWeight)
    /// A phrase in one field.
    case phrase(PhraseWeight)
    /// Matches when any sub-weight matches; the score is the sum of those that match, added in
    /// order. Built only by `Weight.sum`, so it is flat: no child is itself an `any`.
    case any([Weight])
    case boolean(must: [Weight], should: [Weight], mustNot: [Weight])
    /// Every document, with this score. (A query boost is folded into the leaves it covers, so
    /// a score is always a sum of leaf scores: see `WeightBuilder.build(_:factor:)`.)
    case matchAll(Double)
    /// Documents with terms of a typed field (a keyword, a number, a range), scoring 0.
    case filter(TermSetWeight)
    /// The documents of the first weight that every weight of `filters` matches and none of
    /// `excluded` does, with the first weight's scores: filters never change a score.
    indirect case filtered(Weight, filters: [Weight], excluded: [Weight])
    /// Matches no document.
    case nothing
    /// Dropped: analysis left no term (a stop word, punctuation).
    case ignored
}

extension Weight {
    /// The sum of `weights` as one flat `.any`: nested sums are spliced in, so that the scorer
    /// tree, the window executors and the explanation all add the leaves left to right, from 0,
    /// and give the same bits (a nested sum would add its own leaves first).
    static func sum(_ weights: [Weight]) -> Weight {
        if weights.count == 1 { return weights[0] }
        // Most sums (a word over two fields) have nothing to splice: no copy.
        guard weights.contains(where: { if case .any = $0 { return true } else { return false } }) else {
            return .any(weights)
        }
        var flat: [Weight] = []
        for w in weights {
            if case .any(let inner) = w { flat += inner } else { flat.append(w) }
        }
        return .any(flat)
    }

    /// This weight with every leaf's boost multiplied by `factor` (a query boost folded in).
    func boosted(by factor: Double) -> Weight {
        if factor == 1 { return self }
        switch self {
        case .term(let term):
            return .term(term.boosted(by: factor))
        case .phrase(let phrase):
            return .phrase(phrase.boosted(by: factor))
        case .any(let weights):
            return .any(weights.map { $0.boosted(by: factor) })
        case .boolean(let must, let should, let mustNot):
            // Excluded clauses are never scored: their boosts do not matter.
            return .boolean(must: must.map { $0.boosted(by: factor) }, should: should.map { $0.boosted(by: factor) }, mustNot: mustNot)
        case .matchAll(let score):
            return .matchAll(score * factor)
        case .filtered(let inner, let filters, let excluded):
            return .filtered(inner.boosted(by: factor), filters: filters, excluded: excluded)
        case .nothing, .ignored, .filter:
            return self
        }
    }

    /// Whether the weight adds nothing to any score (a filter leaf, a combination of them, a
    /// match-all of score 0): as a required clause it is a filter.
    var scoresNothing: Bool {
        switch self {
        case .filter: return true
        case .matchAll(let score): return score == 0
        case .filtered(let inner, _, _): return inner.scoresNothing
        case .any(let weights): return weights.allSatisfy(\.scoresNothing)
        case .boolean(let must, let should, _): return (must + should).allSatisfy(\.scoresNothing)
        case .term, .phrase, .nothing, .ignored: return false
        }
    }

    /// The documents of `view` (live or not) the weight matches, as a set; nil when none.
    /// - Throws: `PoiskError.corruptIndex` when postings are damaged.
    func docSet(in view: SegmentView) throws -> DocBitSet? {
        if case .filter(let terms) = self { return try terms.docSet(in: view) }
        if case .filtered(let inner, let filters, let excluded) = self {
            guard var accepted = try Weight.accepted(filters: filters, excluded: excluded, in: view, excludingDeleted: false),
                let matches = try inner.docSet(in: view)
            else { return nil }
            accepted.formIntersection(matches)
            return accepted.isEmpty ? nil : accepted
        }
        if case .matchAll = self { return DocBitSet(docCount: view.reader.docCount, full: true) }
        guard let scorer = try scorer(in: view) else { return nil }
        var set = DocBitSet(docCount: view.reader.docCount)
        var d = scorer.next()
        while d != PostingsCursor.end {
            set.insert(d)
            d = scorer.next()
        }
        if scorer.isCorrupt {
            throw PoiskError.corruptIndex(
                file: view.reader.fileName, section: "postings", reason: "postings or positions fail structural checks")
        }
        return set.isEmpty ? nil : set
    }

    /// Whether the weight matches by terms of text fields (not `*:*`, not filters alone): the
    /// documents it finds are few enough next to a segment that filters over columns are checked
    /// per document rather than read from the index (see `QueryPlanner`).
    var isText: Bool {
        switch self {
        case .term, .phrase: return true
        case .any(let weights): return !weights.isEmpty && weights.allSatisfy(\.isText)
        case .boolean(let must, let should, _):
            return must.contains(where: \.isText) || (must.isEmpty && !should.isEmpty && should.allSatisfy(\.isText))
        case .filtered(let inner, _, _): return inner.isText
        case .matchAll, .filter, .nothing, .ignored: return false
        }
    }

    /// The documents of `view` that every weight of `filters` matches and none of `excluded`
    /// (and, with `excludingDeleted`, that are live); nil when there are none.
    static func accepted(
        filters: [Weight], excluded: [Weight], in view: SegmentView, excludingDeleted: Bool
    ) throws -> DocBitSet? {
        var accepted: DocBitSet?
        for filter in filters {
            guard let set = try filter.docSet(in: view) else { return nil }
            if accepted == nil {
                accepted = set
            } else {
                accepted?.formIntersection(set)
            }
            if accepted?.isEmpty == true { return nil }
        }
        var result = accepted ?? DocBitSet(docCount: view.reader.docCount, full: true)
        for weight in excluded {
            if let set = try weight.docSet(in: view) { result.subtract(set) }
        }
        if excludingDeleted, let deleted = view.deleted { result.subtract(deleted) }
        return result.isEmpty ? nil : result
    }

    /// The scorer of this weight in one segment, or nil when nothing can match there.
    func scorer(in view: SegmentView) throws -> Scorer? {
        let segment = view.reader
        switch self {
        case .term(let term):
            return try term.scorer(in: view)
        case .phrase(let phrase):
            return try phrase.scorer(in: view)
        case .any(let weights):
            let scorers = try weights.compactMap { try $0.scorer(in: view) }
            if scorers.isEmpty { return nil }
            return scorers.count == 1 ? scorers[0] : DisjunctionScorer(scorers)
        case .boolean(let must, let should, let mustNot):
            var required: [Scorer] = []
            for w in must {
                guard let s = try w.scorer(in: view) else { return nil }
                required.append(s)
            }
            let optional = try should.compactMap { try $0.scorer(in: view) }
            var base: Scorer
            if required.isEmpty {
                if optional.isEmpty { return nil }
                base = optional.count == 1 ? optional[0] : DisjunctionScorer(optional)
            } else {
                base = required.count == 1 ? required[0] : ConjunctionScorer(required)
                if !optional.isEmpty {
                    base = RequiredOptionalScorer(
                        required: base, optional: optional.count == 1 ? optional[0] : DisjunctionScorer(optional))
                }
            }
            let excluded = try mustNot.compactMap { try $0.scorer(in: view) }
            if !excluded.isEmpty {
                base = ExclusionScorer(required: base, excluded: excluded.count == 1 ? excluded[0] : DisjunctionScorer(excluded))
            }
            return base
        case .matchAll(let score):
            return MatchAllScorer(maxDoc: segment.docCount, score: score)
        case .filter(let terms):
            guard let set = try terms.docSet(in: view) else { return nil }
            return DocSetScorer(set, score: 0, text: terms.text)
        case .filtered(let inner, let filters, let excluded):
            guard let accepted = try Weight.accepted(filters: filters, excluded: excluded, in: view, excludingDeleted: false),
                let scorer = try inner.scorer(in: view)
            else { return nil }
            return FilteredScorer(scorer, accepted: accepted)
        case .nothing, .ignored:
            return nil
        }
    }

    /// The terms a hit may contain in the fields of `fields`, for highlighting (positive clauses
    /// only; a term may come more than once), each with its dictionary entry in every segment
    /// when the weight carries them (nil: look it up).
    func highlightTermInfos(in fields: Set<String>, into terms: inout [(field: String, term: [UInt8], infos: [TermInfo?]?)]) {
        switch self {
        case .term(let term):
            if fields.contains(term.field) { terms.append((term.field, term.term, term.infos)) }
        case .phrase(let phrase):
            guard fields.contains(phrase.field) else { return }
            let count = phrase.terms.count
            let segments = count > 0 ? phrase.infos.count / count : 0
            for t in 0..<count {
                let infos = segments * count == phrase.infos.count ? Array(phrase.infos[(t * segments)..<((t + 1) * segments)]) : nil
                terms.append((phrase.field, phrase.terms.term(t), infos))
            }
        case .any(let weights):
            for w in weights { w.highlightTermInfos(in: fields, into: &terms) }
        case .boolean(let must, let should, _):
            for w in must + should { w.highlightTermInfos(in: fields, into: &terms) }
        case .filtered(let inner, _, _):
            inner.highlightTermInfos(in: fields, into: &terms)
        case .matchAll, .nothing, .ignored, .filter:
            break
        }
    }

    /// The terms a hit may contain, per field, for highlighting (positive clauses only).
    func highlightTerms(into terms: inout [String: Set<[UInt8]>]) {
        switch self {
        case .term(let term):
            terms[term.field, default: []].insert(term.term)
        case .phrase(let phrase):
            for t in 0..<phrase.terms.count { terms[phrase.field, default: []].insert(phrase.terms.term(t)) }
        case .any(let weights):
            for w in weights { w.highlightTerms(into: &terms) }
        case .boolean(let must, let should, _):
            for w in must + should { w.highlightTerms(into: &terms) }
        case .filtered(let inner, _, _):
            inner.highlightTerms(into: &terms)
        case .matchAll, .nothing, .ignored, .filter:
            break
        }
    }
}
