// Weights: a query bound to an index snapshot, with words analyzed, prefix/fuzzy terms
// expanded and BM25 statistics (N, df, avgdl) taken over all segments.
//
// For: turning a Query into per-segment Scorers. Not for: iterating documents (Scorers).

import PoiskAnalysis

/// A query prepared against an index snapshot.
indirect enum Weight {
    /// `infos`: the term's entry per segment when the weight was built (saves a second lookup).
    case term(field: String, term: [UInt8], text: String, bm25: BM25, infos: [TermInfo?]? = nil)
    /// `infos[t * segments + s]`: term `t`'s entry in segment `s` (looked up once, while the
    /// weight is built; one flat array, not one per term).
    /// `cover`: the terms whose postings are read (nil: all; see `AnalyzedTerms.exactCover`).
    case phrase(
        field: String, terms: AnalyzedTerms, offsets: [Int], slop: Int, text: String, bm25: BM25,
        infos: [TermInfo?], cover: [Int]?)
    /// Matches when any sub-weight matches; the score is the sum of those that match, added in
    /// order. Built only by `Weight.sum`, so it is flat: no child is itself an `any`.
    case any([Weight])
    case boolean(must: [Weight], should: [Weight], mustNot: [Weight])
    /// Every document, with this score. (A query boost is folded into the leaves it covers, so
    /// a score is always a sum of leaf scores: see `WeightContext.build(_:factor:)`.)
    case matchAll(Double)
    /// Matches no document.
    case nothing
    /// Dropped: analysis left no term (a stop word, punctuation).
    case ignored
}

/// Analysis scratch for queries, recycled: a fresh `AnalysisScratch` is three allocations (its
/// raw buffer, the object owning it, a byte array), freed again at the end of every query.
enum QueryScratch {
    /// How many are kept (about one per thread searching at once).
    static let pooled = 16
    private static let pool = Protected<[AnalysisScratch]>([])

    static func take() -> AnalysisScratch { pool.withLock { $0.popLast() } ?? AnalysisScratch() }

    /// A scratch whose buffer grew past this (a query word thousands of bytes long) is freed.
    static let largestPooledBytes = 1 << 12

    static func give(_ scratch: AnalysisScratch) {
        guard scratch.growableBytes <= largestPooledBytes else { return }
        pool.withLock { pool in
            if pool.count < pooled { pool.append(scratch) }
        }
    }
}

/// The last query text a `WeightContext` analyzed, with the analyzer's identity and the tokens.
final class LastAnalysis {
    var value: (analyzer: ObjectIdentifier, text: String, terms: AnalyzedTerms)?
}

/// A query text's analyzed terms: their bytes back to back, where each ends, and its position.
/// Three arrays however many terms (a Chinese word is a phrase of many bigrams), instead of an
/// array per term.
struct AnalyzedTerms {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    private(set) var positions: [Int] = []
    /// The terms that continue a run of CJK bigrams: each overlaps the previous term in the
    /// text and sits one position after it. Empty (no allocation) for text without such runs.
    private(set) var chained: [Int] = []
    /// Where the last appended term ends in the text.
    private var lastEnd = 0

    /// - Parameter textBytes: the text's UTF-8 length (CJK bigrams repeat each character).
    init(capacity textBytes: Int) {
        bytes.reserveCapacity(2 * textBytes + 8)
        let terms = textBytes / 2 + 1
        ends.reserveCapacity(terms)
        positions.reserveCapacity(terms)
    }

    /// - Parameter range: where the term's word is in the text (the bigrams of one CJK run
    ///   overlap).
    mutating func append(_ term: UnsafeRawBufferPointer, position: Int, range: Range<Int>) {
        if let last = positions.last, last + 1 == position, range.lowerBound < lastEnd {
            if chained.isEmpty { chained.reserveCapacity(ends.capacity) }
            chained.append(ends.count)
        }
        lastEnd = range.upperBound
        bytes.append(contentsOf: term)
        ends.append(bytes.count)
        positions.append(position)
    }

    /// The terms an exact phrase of these terms must read when the index leaves
    /// ``Analyzer/cjkRunGapPositions`` positions after every run of CJK bigrams. Within each run of
    /// chained bigrams, the first and last are kept and kept ones are at most two positions
    /// apart: two bigrams two positions apart in a document are then in one run, and the bigram
    /// between them is the dropped one, so the same documents match, as often.
    ///
    /// Which ones: the phrase's rarest term always (it drives the search: dropping it would let
    /// more candidates through to the position check), and otherwise the cheapest cover, each
    /// read costing a fixed part plus its document frequency up to one block (a dynamic
    /// program over each run).
    /// - Parameter docFreqs: each term's document frequency.
    /// - Returns: the terms to read, in order; nil when nothing can be dropped (all are read).
    /// - Complexity: O(terms).
    func exactCover(docFreqs: [Int]) -> [Int]? {
        let n = count
        guard !chained.isEmpty, docFreqs.count == n else { return nil }
        var rarest = 0
        for t in 1..<n where docFreqs[t] < docFreqs[rarest] { rarest = t }
        // Scratch on the stack: best[t], the cheapest cover of the chain's first...t keeping t;
        // from[t], the kept term before t (t − 2 when t − 1 is dropped).
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * n) { scratch -> [Int]? in
            guard let base = scratch.baseAddress else { return nil }
            let best = base
            let from = base + n
            for t in 0..<n { from[t] = t - 1 }
            var dropped = 0
            var i = 0
            while i < chained.count {
                // A chain: chained[i], chained[i] + 1, … consecutive; it continues chained[i] − 1.
                var j = i
                while j + 1 < chained.count && chained[j + 1] == chained[j] + 1 { j += 1 }
                let first = chained[i] - 1
                let last = chained[j]
                i = j + 1
                guard last - first >= 2 else { continue }
                best[first] = 128 + min(docFreqs[first], 128)
                best[first + 1] = best[first] + 128 + min(docFreqs[first + 1], 128)
                for t in (first + 2)...last {
                    let cost = 128 + min(docFreqs[t], 128)
                    // Dropping t − 1 is allowed unless it is the rarest term.
                    if t - 1 != rarest && best[t - 2] <= best[t - 1] {
                        best[t] = best[t - 2] + cost
                        from[t] = t - 2
                    } else {
                        best[t] = best[t - 1] + cost
                    }
                }
                // Walk back from the last; mark dropped terms with from = −2.
                var t = last
                while t > first {
                    let previous = from[t]
                    if previous == t - 2 {
                        from[t - 1] = -2
                        dropped += 1
                    }
                    t = previous
                }
            }
            if dropped == 0 { return nil }
            var kept: [Int] = []
            kept.reserveCapacity(n - dropped)
            for t in 0..<n where from[t] != -2 { kept.append(t) }
            return kept
        }
    }

    var count: Int { ends.count }
    var isEmpty: Bool { ends.isEmpty }

    private func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// Term `i` as an array of its own.
    func term(_ i: Int) -> [UInt8] { Array(bytes[range(i)]) }

    /// Calls `body` with term `i`'s bytes.
    func withTerm<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let r = range(i)
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[r])) }
    }

    /// Whether terms `i` and `j` have the same bytes.
    func same(_ i: Int, _ j: Int) -> Bool { bytes[range(i)].elementsEqual(bytes[range(j)]) }
}

/// Scoring and expansion parameters for building weights.
struct WeightContext {
    let reader: IndexReader
    let k1: Double
    let b: Double
    /// Fields and boosts searched by a word without `field:`.
    let defaultFields: [(String, Double)]
    /// Cap on prefix/fuzzy expansions (highest document frequency first).
    let maxExpansions: Int
    let transliterate: Bool
    /// The last text analyzed and its tokens (see `analyze`).
    let lastAnalysis = LastAnalysis()

    func fields(_ name: String?) throws -> [(String, Double)] {
        guard let name else { return defaultFields }
        guard let options = reader.schema.fields.first(where: { $0.name == name }) else {
            throw PoiskError.unknownField(name: name)
        }
        return [(name, options.boost)]
    }

    func bm25(field: String, docFreq: Int, boost: Double, idf: Double? = nil) -> BM25 {
        let stats = reader.stats(for: field)
        return BM25(
            idf: idf ?? BM25.idf(docCount: stats.docCount, docFreq: docFreq), boost: boost, k1: k1, b: b,
            averageLength: stats.averageLength, docCount: stats.docCount, docFreq: docFreq)
    }

    /// The analyzed terms of `text` in `field`, with positions.
    func analyze(_ text: String, field: String) -> AnalyzedTerms {
        analyze(text, with: reader.analyzer(for: field))
    }

    /// The analyzed terms of `text` by `analyzer` (a field's), with positions.
    func analyze(_ text: String, with analyzer: Analyzer) -> AnalyzedTerms {
        // The same words searched in several fields with one analyzer: analyzed once.
        if let last = lastAnalysis.value, last.analyzer == analyzer.identity, last.text == text { return last.terms }
        var result = AnalyzedTerms(capacity: text.utf8.count)
        var scratch = QueryScratch.take()
        analyzer.analyze(text, scratch: &scratch) { result.append($0.term, position: $0.position, range: $0.range) }
        QueryScratch.give(scratch)
        lastAnalysis.value = (analyzer.identity, text, result)
        return result
    }

    /// The weight of `query`, with every query boost above it (their product, `factor`) folded
    /// into its leaves: a term's or phrase's BM25 boost, a match-all score. A document's score is
    /// then a sum of leaf scores, added in the same order by every executor and by the
    /// explanation.
    func build(_ query: Query, factor: Double = 1) throws -> Weight {
        try build(query).boosted(by: factor)
    }

    private func build(_ query: Query) throws -> Weight {
        switch query {
        case .term(let word, let field):
            return try perField(field) { name, boost in try termOrPhrase(word, field: name, boost: boost, slop: 0) }
        case .phrase(let words, let field, let slop):
            let text = words.joined(separator: " ")
            return try perField(field) { name, boost in try termOrPhrase(text, field: name, boost: boost, slop: slop) }
        case .prefix(let word, let field):
            return try perField(field) { name, boost in try expandPrefix(word, field: name, boost: boost) }
        case .fuzzy(let word, let field, let edits):
            return try perField(field) { name, boost in
                try expandFuzzy(word, field: name, boost: boost, maxEdits: max(0, min(2, edits)))
            }
        case .boosted(let inner, let factor):
            return try build(inner, factor: factor)
        case .matchAll:
            return .matchAll(1)
        case .boolean(let clauses):
            var must: [Weight] = []
            var should: [Weight] = []
            var mustNot: [Weight] = []
            var sawPositive = false
            var sawNegative = false
            for clause in clauses {
                let w = try build(clause.query)
                if case .ignored = w { continue }
                switch clause.occur {
                case .must:
                    if case .nothing = w { return .nothing }
                    must.append(w)
                    sawPositive = true
                case .should:
                    sawPositive = true
                    if case .nothing = w { continue }
                    should.append(w)
                case .mustNot:
                    sawNegative = true
                    if case .nothing = w { continue }
                    mustNot.append(w)
                }
            }
            if must.isEmpty && should.isEmpty {
                // Every positive clause matches nothing: so does the query.
                if sawPositive { return .nothing }
                // Only negations: every document except those.
                if sawNegative { return .boolean(must: [.matchAll(1)], should: [], mustNot: mustNot) }
                return .ignored
            }
            // Only optional clauses: their sum, spliced into one flat list.
            if must.isEmpty && mustNot.isEmpty { return Weight.sum(should) }
            return .boolean(must: must, should: should, mustNot: mustNot)
        }
    }

    private func perField(_ field: String?, _ body: (String, Double) throws -> Weight) throws -> Weight {
        var weights: [Weight] = []
        var sawNothing = false
        for (name, boost) in try fields(field) {
            let w = try body(name, boost)
            switch w {
            case .ignored: continue
            case .nothing: sawNothing = true
            default: weights.append(w)
            }
        }
        if weights.isEmpty { return sawNothing ? .nothing : .ignored }
        return Weight.sum(weights)
    }

    private func termOrPhrase(_ text: String, field: String, boost: Double, slop: Int) throws -> Weight {
        let analyzer = reader.analyzer(for: field)
        let terms = analyze(text, with: analyzer)
        if terms.isEmpty { return .ignored }
        if terms.count == 1 {
            let term = terms.term(0)
            let (df, infos) = try reader.termInfos(field: field, term: term)
            if df == 0 && !transliterate { return .nothing }
            var variants: [Weight] = []
            if df > 0 {
                variants.append(
                    .term(
                        field: field, term: term, text: text, bm25: bm25(field: field, docFreq: df, boost: boost),
                        infos: infos))
            }
            if transliterate {
                variants.append(contentsOf: try transliterations(of: text, field: field, boost: boost))
            }
            if variants.isEmpty { return .nothing }
            return Weight.sum(variants)
        }
        var idf = 0.0
        let stats = reader.stats(for: field)
        var minDF = Int.max
        var infos: [TermInfo?] = []
        infos.reserveCapacity(terms.count * reader.segments.count)
        var docFreqs: [Int] = []
        docFreqs.reserveCapacity(terms.count)
        for t in 0..<terms.count {
            let df = try terms.withTerm(t) { try reader.appendTermInfos(field: field, term: $0, to: &infos) }
            if df == 0 { return .nothing }
            docFreqs.append(df)
            minDF = min(minDF, df)
            idf += BM25.idf(docCount: stats.docCount, docFreq: df)
        }
        let first = terms.positions[0]
        // Every term counts in the score (idf above); an exact phrase over a long CJK run reads
        // only every other bigram when the index leaves gaps after runs.
        let cover = slop == 0 && analyzer.runGapPositions >= Analyzer.cjkRunGapPositions ? terms.exactCover(docFreqs: docFreqs) : nil
        return .phrase(
            field: field, terms: terms, offsets: terms.positions.map { $0 - first }, slop: slop, text: text,
            bm25: bm25(field: field, docFreq: minDF, boost: boost, idf: idf), infos: infos, cover: cover)
    }

    /// Cyrillic ↔ Latin transliterations of a word, scored at half weight.
    private func transliterations(of word: String, field: String, boost: Double) throws -> [Weight] {
        var result: [Weight] = []
        var seen = Set<[UInt8]>()
        for variant in Transliteration.variants(of: word) {
            let terms = analyze(variant, field: field)
            guard terms.count == 1 else { continue }
            let term = terms.term(0)
            guard seen.insert(term).inserted else { continue }
            let original = analyze(word, field: field)
            if original.count == 1 && original.term(0) == term { continue }
            let df = try reader.docFreq(field: field, term: term)
            if df > 0 {
                result.append(
                    .term(
                        field: field, term: term, text: variant,
                        bm25: bm25(field: field, docFreq: df, boost: boost * Transliteration.scoreFactor)))
            }
        }
        return result
    }

    /// All terms of `field` (across segments) starting with the normalized prefix.
    private func expandPrefix(_ word: String, field: String, boost: Double) throws -> Weight {
        // The field's analysis without stemming: same normalization and CJK handling (an index
        // with one term per CJK character must see `开发*` as two terms, one with bigrams as one).
        let configuration = reader.analyzer(for: field).configuration
        let normalizer = Analyzer(
            AnalyzerConfiguration(
                stemming: false, normalization: configuration.normalization, cjkBigrams: configuration.cjkBigrams))
        let parts = normalizer.terms(of: word)
        guard parts.count == 1, let prefix = parts.first.map({ Array($0.utf8) }) else {
            return parts.isEmpty ? .ignored : try termOrPhrase(word, field: field, boost: boost, slop: 0)
        }
        // term → (total df, entry per segment). One segment (the common case) needs no merging
        // by term, so candidates go straight into an array.
        let segmentCount = reader.segments.count
        var candidates: [([UInt8], Int, Double, [TermInfo?])] = []
        var found: [[UInt8]: (df: Int, infos: [TermInfo?])] = [:]
        for (index, s) in reader.segments.enumerated() {
            guard let f = s.reader.fieldID(field), let fr = s.reader.fields[f] else { continue }
            var cursor = try prefix.withUnsafeBytes { try fr.terms.cursor(from: $0) }
            while try cursor.next() {
                let matches = cursor.withTerm { t in
                    t.count >= prefix.count
                        && prefix.withUnsafeBytes { compareBytes(UnsafeRawBufferPointer(rebasing: t[0..<prefix.count]), $0) == 0 }
                }
                if !matches { break }
                let term = cursor.withTerm { Array($0) }
                let info = cursor.info
                if segmentCount == 1 {
                    candidates.append((term, info.docFreq, 1.0, [info]))
                    continue
                }
                var entry = found[term] ?? (0, [TermInfo?](repeating: nil, count: segmentCount))
                entry.df += info.docFreq
                entry.infos[index] = info
                found[term] = entry
            }
        }
        if segmentCount != 1 { candidates = found.map { ($0.key, $0.value.df, 1.0, $0.value.infos) } }
        return expansion(candidates, field: field, boost: boost)
    }

    /// Terms of `field` within `maxEdits` Damerau–Levenshtein edits of the word's analyzed term.
    private func expandFuzzy(_ word: String, field: String, boost: Double, maxEdits: Int) throws -> Weight {
        let terms = analyze(word, field: field)
        guard terms.count == 1 else {
            return terms.isEmpty ? .ignored : try termOrPhrase(word, field: field, boost: boost, slop: 0)
        }
        let target = terms.term(0)
        let targetScalars = Array(String(decoding: target, as: UTF8.self).unicodeScalars)
        var found: [[UInt8]: (df: Int, edits: Int, infos: [TermInfo?])] = [:]
        let segmentCount = reader.segments.count
        for (index, s) in reader.segments.enumerated() {
            guard let f = s.reader.fieldID(field), let fr = s.reader.fields[f] else { continue }
            var matcher = FuzzyMatcher(target: targetScalars, maxEdits: maxEdits)
            var cursor = try fr.terms.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            var previous: [UInt8] = []
            // Terms come in strictly increasing order across seeks in a sound dictionary; in a
            // damaged one a seek could land before a term already seen and loop forever.
            var last: [UInt8]?
            var exhausted = false
            while !exhausted, try cursor.next() {
                let term = cursor.withTerm { Array($0) }
                if let last, !last.lexicographicallyPrecedes(term) {
                    throw PoiskError.corruptIndex(file: s.reader.fileName, section: "terms of \(field)", reason: "terms out of order")
                }
                last = term
                var shared = 0
                while shared < min(term.count, previous.count) && term[shared] == previous[shared] { shared += 1 }
                let outcome = term.withUnsafeBytes { matcher.test($0, sharedBytes: shared) }
                previous = term
                switch outcome {
                case .match(let distance):
                    var entry = found[term] ?? (0, distance, [TermInfo?](repeating: nil, count: segmentCount))
                    entry.df += cursor.info.docFreq
                    entry.infos[index] = cursor.info
                    found[term] = entry
                case .noMatch:
                    break
                case .skipPrefix(let bytes):
                    // Seek past every term starting with this prefix.
                    if let next = prefixSuccessor(Array(term[0..<bytes])) {
                        cursor = try next.withUnsafeBytes { try fr.terms.cursor(from: $0) }
                        previous = []
                        matcher = FuzzyMatcher(target: targetScalars, maxEdits: maxEdits)
                    } else {
                        exhausted = true
                    }
                }
            }
        }
        let length = Double(max(1, targetScalars.count))
        return expansion(
            found.map {
                ($0.key, $0.value.df, $0.value.edits == 0 ? 1.0 : max(0.1, 1 - Double($0.value.edits) / length), $0.value.infos)
            },
            field: field, boost: boost)
    }

    private func expansion(_ candidates: [([UInt8], Int, Double, [TermInfo?])], field: String, boost: Double) -> Weight {
        if candidates.isEmpty { return .nothing }
        let chosen = candidates.sorted { a, b in
            a.1 != b.1 ? a.1 > b.1 : a.0.lexicographicallyPrecedes(b.0)
        }.prefix(maxExpansions)
        let weights: [Weight] = chosen.map { term, df, factor, infos in
            .term(
                field: field, term: term, text: String(decoding: term, as: UTF8.self),
                bm25: bm25(field: field, docFreq: df, boost: boost * factor), infos: infos)
        }
        return Weight.sum(weights)
    }
}

extension Weight {
    /// The sum of `weights` as one flat `.any`: nested sums are spliced in, so that the scorer
    /// tree, the window executors and the explanation all add the leaves left to right, from 0,
    /// and give the same bits (a nested sum would add its own leaves first).
    static func sum(_ weights: [Weight]) -> Weight {
        var flat: [Weight] = []
        for w in weights {
            if case .any(let inner) = w { flat += inner } else { flat.append(w) }
        }
        return flat.count == 1 ? flat[0] : .any(flat)
    }

    /// This weight with every leaf's boost multiplied by `factor` (a query boost folded in).
    func boosted(by factor: Double) -> Weight {
        if factor == 1 { return self }
        switch self {
        case .term(let field, let term, let text, let bm25, let infos):
            return .term(field: field, term: term, text: text, bm25: bm25.boosted(by: factor), infos: infos)
        case .phrase(let field, let terms, let offsets, let slop, let text, let bm25, let infos, let cover):
            return .phrase(
                field: field, terms: terms, offsets: offsets, slop: slop, text: text, bm25: bm25.boosted(by: factor),
                infos: infos, cover: cover)
        case .any(let weights):
            return .any(weights.map { $0.boosted(by: factor) })
        case .boolean(let must, let should, let mustNot):
            // Excluded clauses are never scored: their boosts do not matter.
            return .boolean(must: must.map { $0.boosted(by: factor) }, should: should.map { $0.boosted(by: factor) }, mustNot: mustNot)
        case .matchAll(let score):
            return .matchAll(score * factor)
        case .nothing, .ignored:
            return self
        }
    }

    /// The scorer of this weight in one segment, or nil when nothing can match there.
    func scorer(in view: SegmentView) throws -> Scorer? {
        let segment = view.reader
        switch self {
        case .term(let field, let term, let text, let bm25, let infos):
            guard let f = segment.fieldID(field),
                let info = try infos.map({ view.index < $0.count ? $0[view.index] : nil })
                    ?? term.withUnsafeBytes({ try segment.termInfo(field: f, term: $0) }),
                let cursor = try segment.postings(field: f, info: info)
            else { return nil }
            return TermScorer(cursor: cursor, bm25: bm25, segment: segment, field: f, fieldName: field, term: text)
        case .phrase(let field, let terms, let allOffsets, let slop, let text, let bm25, let infos, let cover):
            guard let f = segment.fieldID(field) else { return nil }
            let stride = infos.count / max(terms.count, 1)
            let reads = cover?.count ?? terms.count
            var cursors: [PostingsCursor] = []
            cursors.reserveCapacity(reads)
            let offsets = cover.map { $0.map { allOffsets[$0] } } ?? allOffsets
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
        case .nothing, .ignored:
            return nil
        }
    }

    /// The terms a hit may contain, per field, for highlighting (positive clauses only).
    func highlightTerms(into terms: inout [String: Set<[UInt8]>]) {
        switch self {
        case .term(let field, let term, _, _, _):
            terms[field, default: []].insert(term)
        case .phrase(let field, let list, _, _, _, _, _, _):
            for t in 0..<list.count { terms[field, default: []].insert(list.term(t)) }
        case .any(let weights):
            for w in weights { w.highlightTerms(into: &terms) }
        case .boolean(let must, let should, _):
            for w in must + should { w.highlightTerms(into: &terms) }
        case .matchAll, .nothing, .ignored:
            break
        }
    }
}
