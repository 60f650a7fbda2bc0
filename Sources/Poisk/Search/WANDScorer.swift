// Block-Max WAND: top-k over a disjunction of terms, skipping documents and whole blocks that
// provably cannot enter the top k.
//
// For: `a OR b`, a single word over several fields, prefix/fuzzy expansions — any sum of term
// scores — when the caller does not need an exact total. Not for: exact counts (the collector
// then uses the exhaustive path), conjunctions or phrases.
//
// Bounds: a term's score grows with tf and falls with the field length, so
// score(maxTF, minLength) over a block (from the skip entries) bounds every document in it, for
// any k1 and b. Pivoting (WAND) uses whole-list bounds; before scoring a pivot, the block bounds
// of the lists up to the pivot are summed and, when they cannot beat the threshold, every list
// up to the pivot jumps past the smallest of those blocks.

final class WANDScorer {
    let terms: [TermScorer]
    private var order: [Int]  // indices into `terms`, sorted by current doc
    private let maxScores: [Double]
    /// Documents fully scored (for the benchmark's "documents scored" figure).
    private(set) var scored = 0
    private(set) var doc: Int32 = -1
    /// Relative slack on bound comparisons, so float rounding never prunes a real candidate.
    private let slack = 1e-9

    init(_ terms: [TermScorer]) {
        self.terms = terms
        self.order = Array(terms.indices)
        self.maxScores = terms.map { t in
            t.params.score(tf: Double(t.cursor.maxTF), length: Double(t.cursor.minLength))
        }
        for t in terms { _ = t.next() }
    }

    var isCorrupt: Bool { terms.contains { $0.isCorrupt } }

    /// The next document that may score above `threshold`, or `PostingsCursor.end`.
    func next(threshold: Double) -> Int32 {
        // Work on locals (class properties touched in these loops would pay a dynamic
        // exclusivity check per access); `order` is swapped out, not copied.
        let terms = self.terms
        let maxScores = self.maxScores
        var order: [Int] = []
        swap(&order, &self.order)
        defer { swap(&order, &self.order) }
        let n = order.count
        // Move past the current document.
        let current = doc
        if current >= 0 {
            for t in terms where t.doc == current { _ = t.next() }
        }
        while true {
            // Insertion sort by current doc: the order changes little between calls.
            for i in 1..<max(n, 1) {
                let x = order[i]
                let d = terms[x].doc
                var j = i - 1
                while j >= 0 && terms[order[j]].doc > d {
                    order[j + 1] = order[j]
                    j -= 1
                }
                order[j + 1] = x
            }
            let minDoc = n > 0 ? terms[order[0]].doc : PostingsCursor.end
            if minDoc == PostingsCursor.end {
                doc = PostingsCursor.end
                return doc
            }
            if threshold == -Double.infinity {
                // Fewer than k hits so far: every document qualifies.
                doc = minDoc
                scored += 1
                return doc
            }
            // Pivot: the first position where the sum of list bounds exceeds the threshold.
            var sum = 0.0
            var pivot = -1
            for i in 0..<n {
                let index = order[i]
                if terms[index].doc == PostingsCursor.end { break }
                sum += maxScores[index]
                if sum * (1 + slack) > threshold {
                    pivot = i
                    break
                }
            }
            if pivot < 0 {
                doc = PostingsCursor.end
                return doc
            }
            let pivotDoc = terms[order[pivot]].doc
            // Include every list already on the pivot document.
            var last = pivot
            while last + 1 < n && terms[order[last + 1]].doc == pivotDoc { last += 1 }
            // Block-max check over lists 0...last.
            var blockSum = 0.0
            var minBlockEnd = PostingsCursor.end
            for i in 0...last {
                let t = terms[order[i]]
                let bounds = t.cursor.shallowBounds(pivotDoc)
                blockSum += t.params.score(tf: Double(bounds.maxTF), length: Double(bounds.minLength))
                minBlockEnd = min(minBlockEnd, bounds.lastDoc)
            }
            if blockSum * (1 + slack) <= threshold {
                // No document in [pivotDoc, minBlockEnd] (nor before the pivot) can qualify.
                var target = minBlockEnd == PostingsCursor.end ? PostingsCursor.end : minBlockEnd + 1
                if last + 1 < n { target = min(target, terms[order[last + 1]].doc) }
                if target <= pivotDoc { target = pivotDoc + 1 }
                for i in 0...last { _ = terms[order[i]].advance(to: target) }
                continue
            }
            if terms[order[0]].doc == pivotDoc {
                doc = pivotDoc
                scored += 1
                return doc
            }
            // Bring the lists before the pivot up to it.
            for i in 0..<pivot where terms[order[i]].doc < pivotDoc { _ = terms[order[i]].advance(to: pivotDoc) }
        }
    }

    /// The score of the current document, summed in the terms' original order (so it equals
    /// the exhaustive disjunction's sum bit for bit).
    func score() -> Double {
        var sum = 0.0
        for t in terms where t.doc == doc { sum += t.score() }
        return sum
    }
}

extension Weight {
    /// The weight as a flat list of term weights with their multipliers, when it is a pure
    /// disjunction of terms (the shape Block-Max WAND handles); nil otherwise.
    /// When this weight is a conjunction (at least two required clauses, nothing optional or
    /// excluded) of clauses that are each a sum of terms (a word searched in several fields): the
    /// clauses' flat terms, boosts folded in. Such a query is collected by windows of documents
    /// (`IndexReader.collectConjunction`) instead of a tree of scorers.
    func flatConjunction(factor: Double = 1) -> [[(Weight, Double)]]? {
        switch self {
        case .boolean(let must, let should, let mustNot) where must.count >= 2 && should.isEmpty && mustNot.isEmpty:
            var groups: [[(Weight, Double)]] = []
            for w in must {
                guard let terms = w.flatTerms(factor: factor), !terms.isEmpty else { return nil }
                groups.append(terms)
            }
            return groups
        case .boost(let inner, let f): return inner.flatConjunction(factor: factor * f)
        default: return nil
        }
    }

    /// The leaves of a sum of terms (`a OR b`, a word over several fields) with each leaf's boost
    /// factor; nil when the weight is anything else.
    func flatTerms(factor: Double = 1) -> [(Weight, Double)]? { flatLeaves(factor: factor, phrases: false) }

    /// Like ``flatTerms(factor:)``, but the leaves may also be phrases: a sum of terms and
    /// phrases (`"a b" OR c` over several fields); nil otherwise.
    func flatClauses(factor: Double = 1) -> [(Weight, Double)]? { flatLeaves(factor: factor, phrases: true) }

    private func flatLeaves(factor: Double, phrases: Bool) -> [(Weight, Double)]? {
        switch self {
        case .term: return [(self, factor)]
        case .phrase where phrases: return [(self, factor)]
        case .any(let ws):
            var out: [(Weight, Double)] = []
            for w in ws {
                guard let f = w.flatLeaves(factor: factor, phrases: phrases) else { return nil }
                out += f
            }
            return out
        case .boolean(let must, let should, let mustNot) where must.isEmpty && mustNot.isEmpty && !should.isEmpty:
            return Weight.any(should).flatLeaves(factor: factor, phrases: phrases)
        case .boost(let inner, let f): return inner.flatLeaves(factor: factor * f, phrases: phrases)
        default: return nil
        }
    }
}
