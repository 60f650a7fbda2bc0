// The count collector: how many documents match, nothing kept, nothing scored.
//
// For: ``IndexReader/count(_:options:)-(Query,_)``. Not for: totals of a search (the top-k
// collector counts what it sees).

/// Counts matching live documents.
struct CountCollector: Collector {
    static var needsScores: Bool { false }
    /// The documents counted so far.
    private(set) var count = 0

    var threshold: Double { -Double.infinity }

    mutating func beginSegment(_ index: Int) {}

    @inline(__always)
    mutating func collect(_ doc: Int32, score: Double) { count += 1 }
}
