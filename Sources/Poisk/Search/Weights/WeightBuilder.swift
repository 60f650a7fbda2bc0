// The weight builder: a Query bound to an index snapshot. Words are analyzed by each field's
// analyzer, prefix and fuzzy words expanded against the term dictionaries, transliterations
// added, BM25 statistics (N, df, avgdl) taken over all segments, query boosts folded into the
// leaves.
//
// For: IndexReader.prepare (every search and count). Not for: executing weights (QueryPlanner and
// the executors) or the weight types themselves (Weight, TermWeight, PhraseWeight).

import PoiskAnalysis

/// Analysis scratch for queries, recycled (see `Pool`): a fresh `AnalysisScratch` is three
/// allocations (its raw buffer, the object owning it, a byte array), freed again at the end of
/// every query. About one is kept per thread searching at once; one whose buffer grew past 4 KiB
/// (a query word thousands of bytes long) is dropped.
let queryScratch = Pool<AnalysisScratch>(capacity: 16) { $0.growableBytes <= 1 << 12 }

/// Builds a query's weight against a snapshot, with the scoring and expansion parameters of one
/// search.
struct WeightBuilder {
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
        var scratch = queryScratch.take() ?? AnalysisScratch()
        analyzer.analyze(text, scratch: &scratch) { result.append($0.term, position: $0.position, range: $0.range) }
        queryScratch.give(scratch)
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
            return try perField(field) { name, boost in
                if let type = typedField(name) { return try typedValue(.keyword(word), field: name, type: type) }
                return try termOrPhrase(word, field: name, boost: boost, slop: 0)
            }
        case .phrase(let words, let field, let slop):
            let text = words.joined(separator: " ")
            return try perField(field) { name, boost in
                if let type = typedField(name) { return try typedValue(.keyword(text), field: name, type: type) }
                return try termOrPhrase(text, field: name, boost: boost, slop: slop)
            }
        case .prefix(let word, let field):
            return try perField(field) { name, boost in
                if let type = typedField(name) { return try typedPrefix(word, field: name, type: type) }
                return try expandPrefix(word, field: name, boost: boost)
            }
        case .fuzzy(let word, let field, let edits):
            return try perField(field) { name, boost in
                if let type = typedField(name) {
                    throw PoiskError.invalidArgument(
                        reason: "fuzzy matching (\(word)~) needs a text field; '\(name)' is a \(type.rawValue) field, matched exactly")
                }
                return try expandFuzzy(word, field: name, boost: boost, maxEdits: max(0, min(2, edits)))
            }
        case .boosted(let inner, let factor):
            return try build(inner, factor: factor)
        case .matchAll:
            return .matchAll(1)
        case .value(let value, let field):
            return try typedValue(value, field: field, type: try requireTyped(field, for: "a value query"))
        case .range(let field, let from, let to, let includesFrom, let includesTo):
            return try typedRange(
                field: field, type: try requireTyped(field, for: "a range"), from: from, to: to, includesFrom: includesFrom,
                includesTo: includesTo)
        case .boolean(let clauses):
            var must: [Weight] = []
            var should: [Weight] = []
            var mustNot: [Weight] = []
            var filters: [Weight] = []
            var excluded: [Weight] = []
            var sawPositive = false
            var sawNegative = false
            for clause in clauses {
                let w = try build(clause.query)
                if case .ignored = w { continue }
                switch clause.occur {
                case .must, .filter:
                    if case .nothing = w { return .nothing }
                    // A clause that scores nothing (a typed field's) only filters.
                    if clause.occur == .filter || w.scoresNothing {
                        filters.append(w)
                    } else {
                        must.append(w)
                    }
                    sawPositive = true
                case .should:
                    sawPositive = true
                    if case .nothing = w { continue }
                    should.append(w)
                case .mustNot:
                    sawNegative = true
                    if case .nothing = w { continue }
                    if w.scoresNothing { excluded.append(w) } else { mustNot.append(w) }
                }
            }
            let core: Weight
            if must.isEmpty && should.isEmpty {
                if !filters.isEmpty {
                    // Only filters: every document they accept, scoring 0.
                    core = mustNot.isEmpty ? .matchAll(0) : .boolean(must: [.matchAll(0)], should: [], mustNot: mustNot)
                } else if sawPositive {
                    // Every positive clause matches nothing: so does the query.
                    return .nothing
                } else if sawNegative {
                    // Only negations: every document except those.
                    core = mustNot.isEmpty ? .matchAll(1) : .boolean(must: [.matchAll(1)], should: [], mustNot: mustNot)
                } else {
                    return .ignored
                }
            } else if must.isEmpty && mustNot.isEmpty {
                // Only optional clauses: their sum, spliced into one flat list; beside filters
                // they are optional (Lucene's rule: filters make should clauses optional).
                core = filters.isEmpty ? Weight.sum(should) : .boolean(must: [.matchAll(0)], should: should, mustNot: [])
            } else if must.count == 1 && should.isEmpty && mustNot.isEmpty && !(filters.isEmpty && excluded.isEmpty) {
                core = must[0]
            } else {
                core = .boolean(must: must, should: should, mustNot: mustNot)
            }
            if filters.isEmpty && excluded.isEmpty { return core }
            return .filtered(core, filters: filters, excluded: excluded)
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
                        TermWeight(
                            field: field, term: term, text: text, bm25: bm25(field: field, docFreq: df, boost: boost),
                            infos: infos)))
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
            PhraseWeight(
                field: field, terms: terms, offsets: terms.positions.map { $0 - first }, slop: slop, text: text,
                bm25: bm25(field: field, docFreq: minDF, boost: boost, idf: idf), infos: infos, cover: cover))
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
                        TermWeight(
                            field: field, term: term, text: variant,
                            bm25: bm25(field: field, docFreq: df, boost: boost * Transliteration.scoreFactor))))
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
                TermWeight(
                    field: field, term: term, text: String(decoding: term, as: UTF8.self),
                    bm25: bm25(field: field, docFreq: df, boost: boost * factor), infos: infos))
        }
        return Weight.sum(weights)
    }
}
