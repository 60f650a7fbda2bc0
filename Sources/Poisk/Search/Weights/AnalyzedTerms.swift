// A query text's analyzed terms, and which of a CJK phrase's bigrams an exact phrase must read.
//
// For: WeightBuilder (analysis of query words) and PhraseWeight. Not for: analysis itself
// (PoiskAnalysis).

import PoiskAnalysis

/// The last query text a `WeightBuilder` analyzed, with the analyzer's identity and the tokens.
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
