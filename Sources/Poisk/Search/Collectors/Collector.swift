// Collectors: what an executor hands each matching live document to.
//
// For: deciding what to keep of the matches (the top k by score, a count; sort-by-field and facet
// collectors plug in here too) without the executors knowing which. Executors are generic over
// the collector, so each pair is specialized and the per-document call is inlined. Scorers never
// see a collector. Not for: finding or scoring documents (executors, scorers).

/// Receives the matching live documents of a query, segment by segment, each segment's in
/// increasing document order.
protocol Collector {
    /// Whether documents need their scores; an executor may skip scoring when not (a count).
    static var needsScores: Bool { get }
    /// A document whose score is at most this can no longer be kept (the score of the k-th best
    /// so far, for top-k by score): Block-Max WAND skips such documents. −∞ while any document
    /// may still be kept.
    var threshold: Double { get }
    /// Announces the documents of segment `index` (the segment's position in the snapshot).
    mutating func beginSegment(_ index: Int)
    /// A live matching document of the current segment and its score (0 when scores are not
    /// needed).
    mutating func collect(_ doc: Int32, score: Double)
}

extension Collector {
    /// Collects the documents `base + i` for each bit `i` set in `word`, in increasing order,
    /// each with `score` (the every-document executor's batches; a collector may override it to
    /// keep its state in registers across the word).
    @inline(__always)
    mutating func collect(word: UInt64, base: Int32, score: Double) {
        var bits = word
        while bits != 0 {
            collect(base &+ Int32(truncatingIfNeeded: bits.trailingZeroBitCount), score: score)
            bits &= bits &- 1
        }
    }
}
