// The Block-Max WAND executor: top-k over a sum of terms, skipping documents and whole blocks
// that provably cannot enter the top k.
//
// For: `a OR b`, a single word over several fields, prefix/fuzzy expansions — any sum of term
// scores — when the caller does not need an exact total (`SearchOptions.exactTotal = false`).
// Not for: exact counts (the planner then uses the exhaustive executors), conjunctions or
// phrases.
//
// Bounds: a term's score grows with tf and falls with the field length, so
// `BM25.upperBound(maxTF:minLength:)` over a block (from the skip entries) bounds every document
// in it, for any k1 and b, computed by the same floating-point form as the scores (exact where
// `BM25.boundIsExact` says so; the planner does not prune otherwise). Pivoting (WAND) uses
// whole-list bounds; before scoring a pivot, the block bounds of the lists up to the pivot are
// summed and, when they cannot beat the threshold, every list up to the pivot jumps past the
// smallest of those blocks. Bounds are summed in document order and scores in term order, so the
// sums are compared with the threshold after allowing for the rounding of n additions in either
// order (`roundingAllowance`, (n + 2) · 2⁻⁵² relative), not a guessed slack.

/// Runs a sum of terms over one segment with Block-Max WAND.
enum BlockMaxWANDExecutor {
    /// Hands `collector` every live document that may enter its top k, with its score; the
    /// threshold is read from the collector before each step.
    /// - Returns: how many documents were scored.
    /// - Throws: `PoiskError.corruptIndex` when a term's postings are damaged.
    static func run<C: Collector>(_ terms: [TermScorer], view: SegmentView, into collector: inout C) throws -> Int {
        let wand = BlockMaxWAND(terms)
        var doc = wand.next(threshold: collector.threshold)
        while doc != PostingsCursor.end {
            if view.isLive(doc) { collector.collect(doc, score: wand.score()) }
            doc = wand.next(threshold: collector.threshold)
        }
        if wand.isCorrupt {
            throw PoiskError.corruptIndex(
                file: view.reader.fileName, section: "postings", reason: "postings fail structural checks")
        }
        return wand.scored
    }
}

/// The Block-Max WAND iterator over a sum of terms in one segment: ``next(threshold:)`` returns
/// the next document that may score above the threshold.
final class BlockMaxWAND {
    let terms: [TermScorer]
    private var order: [Int]  // indices into `terms`, sorted by current doc
    private let maxScores: [Double]
    /// Documents fully scored (for the benchmark's "documents scored" figure).
    private(set) var scored = 0
    private(set) var doc: Int32 = -1
    /// The relative error two sums of the same n non-negative numbers in different orders can
    /// have between them (each within (n − 1) · 2⁻⁵³ of the exact sum), plus the rounding of the
    /// comparison's own multiply: a bound sum times (1 + this) is at least the score sum.
    private let roundingAllowance: Double

    init(_ terms: [TermScorer]) {
        self.terms = terms
        self.order = Array(terms.indices)
        self.maxScores = terms.map { $0.bm25.upperBound(maxTF: $0.cursor.maxTF, minLength: $0.cursor.minLength) }
        self.roundingAllowance = Double(terms.count + 2) * 0x1p-52
        for t in terms { _ = t.next() }
    }

    var isCorrupt: Bool { terms.contains { $0.isCorrupt } }

    /// Whether every term's bounds are exact upper bounds (``BM25/boundIsExact(maxTF:minLength:)``
    /// over its whole list, which covers each block): when not, pruning could drop a document
    /// that belongs in the top k, and the caller scores exhaustively instead.
    static func canPrune(_ terms: [TermScorer]) -> Bool {
        terms.allSatisfy { $0.bm25.boundIsExact(maxTF: $0.cursor.maxTF, minLength: $0.cursor.minLength) }
    }

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
                if sum * (1 + roundingAllowance) > threshold {
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
                blockSum += t.bm25.upperBound(maxTF: bounds.maxTF, minLength: bounds.minLength)
                minBlockEnd = min(minBlockEnd, bounds.lastDoc)
            }
            if blockSum * (1 + roundingAllowance) <= threshold {
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
