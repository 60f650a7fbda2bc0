// The term-at-a-time window executor: a sum of clauses (terms, and phrases or other scorers)
// scored by windows of 2048 documents.
//
// For: `a OR b`, a word over several fields, prefix and fuzzy expansions, and sums of terms and
// phrases (`"a b" OR c`), exhaustively. Each clause adds its scores into the window's slots,
// clause after clause (so each document's sum is formed in clause order, as the scorer tree's
// disjunction forms it), then the window's matches go to the collector in document order.
// Not for: pruning (BlockMaxWANDExecutor), conjunctions (WindowedConjunctionExecutor), one term
// alone (TermBlocksExecutor).

/// Runs a sum of clauses over one segment by windows of ``WindowBuffers/size`` documents.
enum WindowedSumExecutor {
    /// Adds every clause's scores into windows of 2048 documents (in clause order), then hands
    /// each window's live matches to `collector` in document order.
    /// - Returns: how many documents were scored.
    /// - Throws: `PoiskError.corruptIndex` when a clause's postings or positions are damaged.
    static func run<C: Collector>(
        _ clauses: [WindowClause], in reader: IndexReader, view: SegmentView, into collector: inout C
    ) throws -> Int {
        try reader.withWindowBuffers { buffers in try run(clauses, buffers, view: view, into: &collector) }
    }

    private static func run<C: Collector>(
        _ clauses: [WindowClause], _ buffers: WindowBuffers, view: SegmentView, into collector: inout C
    ) throws -> Int {
        var scored = 0
        let n = clauses.count
        var docs = clauses.map { $0.next() }
        let windowSize = Int32(WindowBuffers.size)
        let scores = buffers.scores
        let words = WindowBuffers.words
        let seen = buffers.seen
        let hasDeletions = view.hasExclusions
        while true {
            var minDoc = PostingsCursor.end
            for i in 0..<n where docs[i] < minDoc { minDoc = docs[i] }
            if minDoc == PostingsCursor.end { break }
            let base = minDoc & ~(windowSize - 1)
            let limit = base &+ windowSize
            for i in 0..<n where docs[i] < limit {
                docs[i] = clauses[i].accumulate(base: base, limit: limit, scores: scores, seen: seen)
            }
            for w in 0..<words where seen[w] != 0 {
                var bits = seen[w]
                while bits != 0 {
                    let offset = w * 64 + bits.trailingZeroBitCount
                    let d = base + Int32(offset)
                    if !hasDeletions || view.isLive(d) {
                        collector.collect(d, score: scores[offset])
                        scored += 1
                    }
                    scores[offset] = 0
                    bits &= bits - 1
                }
                seen[w] = 0
            }
        }
        if clauses.contains(where: { $0.isCorrupt }) {
            throw PoiskError.corruptIndex(
                file: view.reader.fileName, section: "postings", reason: "postings or positions fail structural checks")
        }
        return scored
    }
}

/// One clause of a windowed sum: a term (scored block by block from its cursor) or any other
/// scorer (a phrase).
enum WindowClause {
    case term(TermScorer)
    case other(Scorer)

    /// Moves to the clause's first (or next) document.
    @inline(__always)
    func next() -> Int32 {
        switch self {
        case .term(let t): return t.next()
        case .other(let s): return s.next()
        }
    }

    /// Adds the clause's scores of documents in `base..<limit` into `scores` (indexed from
    /// `base`), marks them in `seen`, and returns the first document at or past `limit`.
    @inline(__always)
    func accumulate(
        base: Int32, limit: Int32, scores: UnsafeMutablePointer<Double>, seen: UnsafeMutablePointer<UInt64>
    ) -> Int32 {
        switch self {
        case .term(let t):
            return t.accumulate(base: base, limit: limit, scores: scores, seen: seen)
        case .other(let s):
            var d = s.doc
            while d < limit {
                let offset = Int(d &- base)
                scores[offset] += s.score()
                seen[offset &>> 6] |= 1 &<< UInt64(offset & 63)
                d = s.next()
            }
            return d
        }
    }

    var isCorrupt: Bool {
        switch self {
        case .term(let t): return t.isCorrupt
        case .other(let s): return s.isCorrupt
        }
    }
}

extension TermScorer {
    /// Adds the scores of this term's documents below `limit` into a window of `base`-relative
    /// slots (``BM25/score(tf:length:)``, as ``score()``) and marks them in `seen`.
    /// - Returns: the first document >= `limit` (the new ``doc``).
    @inline(__always)
    func accumulate(base: Int32, limit: Int32, scores: UnsafeMutablePointer<Double>, seen: UnsafeMutablePointer<UInt64>) -> Int32 {
        let bm25 = self.bm25
        doc = cursor.forEach(below: limit) { d, tf in
            let offset = Int(d &- base)
            scores[offset] += bm25.score(tf: Double(tf), length: length(d))
            seen[offset &>> 6] |= 1 &<< UInt64(offset & 63)
        }
        return doc
    }
}
