// The conjunction window executor: `a AND b` where each clause is a sum of terms (a word over
// several fields), by windows of 2048 documents.
//
// For: conjunctions of word groups whose rarest clause is frequent enough to fill windows (see
// `QueryPlanner`). The rarest clause's terms mark and score their documents in the window; each
// further clause (rarer first) scores only the documents still in, its terms advancing straight
// to them; the documents every clause matched go to the collector. Not for: conjunctions with
// phrases, optional or excluded clauses (the scorer tree).

/// Runs a conjunction of sums of terms over one segment by windows of ``WindowBuffers/size``.
enum WindowedConjunctionExecutor {
    /// Collects a conjunction of sums of terms (`a AND b`, each word in several fields), by
    /// windows of 2048 documents: the rarest clause's terms mark and score their documents in
    /// the window; each further clause (rarer first) scores only the documents still in, its
    /// terms advancing straight to them; the documents every clause matched are collected. The
    /// same sums, in the same order, as the scorer tree (clauses by cost, a clause's terms in
    /// order), without a virtual call per document and term.
    /// - Returns: how many documents were scored.
    /// - Throws: `PoiskError.corruptIndex` when a term's postings are damaged.
    static func run<C: Collector>(
        _ groups: [[Weight]], in reader: IndexReader, segment index: Int, view: SegmentView, into collector: inout C
    ) throws -> Int {
        try reader.withWindowBuffers { buffers in
            try run(groups, buffers, segment: index, view: view, into: &collector)
        }
    }

    private static func run<C: Collector>(
        _ groups: [[Weight]], _ buffers: WindowBuffers, segment index: Int, view: SegmentView,
        into collector: inout C
    ) throws -> Int {
        var scored = 0
        let windowSize = Int32(WindowBuffers.size)
        let words = WindowBuffers.words
        let total = buffers.scores
        let clause = buffers.partial
        let candidates = buffers.seen
        let matched = buffers.matched
        do {
            var clauses: [[TermScorer]] = []
            for group in groups {
                let terms = try TermScorer.scorers(group, in: view)
                // A clause with no term in this segment: nothing here matches.
                if terms.isEmpty { return 0 }
                clauses.append(terms)
            }
            // Rarest clause first (as the scorer tree orders a conjunction); stable for ties.
            let costs = clauses.map { $0.reduce(0) { $0 + $1.cost } }
            let order = clauses.indices.sorted { costs[$0] < costs[$1] || (costs[$0] == costs[$1] && $0 < $1) }
            clauses = order.map { clauses[$0] }
            let lead = clauses[0]
            var leadDocs = lead.map { $0.next() }
            let hasDeletions = view.hasExclusions
            windows: while true {
                var minDoc = PostingsCursor.end
                for d in leadDocs where d < minDoc { minDoc = d }
                if minDoc == PostingsCursor.end { break }
                let base = minDoc & ~(windowSize - 1)
                let limit = base &+ windowSize
                // The lead clause: every document of its terms in the window.
                for i in lead.indices where leadDocs[i] < limit {
                    leadDocs[i] = lead[i].accumulate(base: base, limit: limit, scores: clause, seen: candidates)
                }
                Self.addClause(clause, into: total, bits: candidates, words: words)
                // Further clauses: only the documents still in.
                for c in 1..<clauses.count {
                    for term in clauses[c] where term.doc != PostingsCursor.end {
                        term.accumulate(base: base, candidates: candidates, words: words, scores: clause, matched: matched)
                    }
                    // Documents this clause missed leave; the rest add the clause's sum.
                    var any: UInt64 = 0
                    for w in 0..<words where candidates[w] != 0 {
                        var gone = candidates[w] & ~matched[w]
                        while gone != 0 {
                            total[w &* 64 &+ gone.trailingZeroBitCount] = 0
                            gone &= gone &- 1
                        }
                        candidates[w] &= matched[w]
                        any |= candidates[w]
                    }
                    Self.addClause(clause, into: total, bits: matched, words: words)
                    for w in 0..<words { matched[w] = 0 }
                    if any == 0 { break }
                }
                for w in 0..<words where candidates[w] != 0 {
                    var bits = candidates[w]
                    while bits != 0 {
                        let offset = w &* 64 &+ bits.trailingZeroBitCount
                        let d = base &+ Int32(offset)
                        if !hasDeletions || view.isLive(d) {
                            collector.collect(d, score: total[offset])
                            scored += 1
                        }
                        total[offset] = 0
                        bits &= bits &- 1
                    }
                    candidates[w] = 0
                }
                // Every clause but the lead may have run out: no later window can match.
                for c in 1..<clauses.count where clauses[c].allSatisfy({ $0.doc == PostingsCursor.end }) {
                    break windows
                }
            }
            if clauses.contains(where: { $0.contains { $0.isCorrupt } }) {
                throw PoiskError.corruptIndex(
                    file: view.reader.fileName, section: "postings", reason: "postings fail structural checks")
            }
        }
        return scored
    }

    /// `total[o] = total[o] + clause[o]` for every set bit `o` (one clause's sum added to the
    /// documents' running sums, as the scorer tree adds a sub-scorer's score), clearing
    /// `clause[o]`.
    @inline(__always)
    private static func addClause(
        _ clause: UnsafeMutablePointer<Double>, into total: UnsafeMutablePointer<Double>,
        bits: UnsafeMutablePointer<UInt64>, words: Int
    ) {
        for w in 0..<words where bits[w] != 0 {
            var b = bits[w]
            while b != 0 {
                let o = w &* 64 &+ b.trailingZeroBitCount
                total[o] = total[o] + clause[o]
                clause[o] = 0
                b &= b &- 1
            }
        }
    }
}

extension TermScorer {
    /// For each document whose bit is set in `candidates` (documents `base + offset` of one
    /// window), in order: when this term's list holds it, adds its score to `scores[offset]` and
    /// sets its bit in `matched`. The cursor only moves forward (`advance`), so whole blocks
    /// with no candidate are skipped. Same arithmetic as ``score()``.
    func accumulate(
        base: Int32, candidates: UnsafePointer<UInt64>, words: Int, scores: UnsafeMutablePointer<Double>,
        matched: UnsafeMutablePointer<UInt64>
    ) {
        let bm25 = self.bm25
        var current = cursor.doc
        for w in 0..<words where candidates[w] != 0 {
            var bits = candidates[w]
            while bits != 0 {
                let offset = w &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                let d = base &+ Int32(truncatingIfNeeded: offset)
                if current < d { current = cursor.advance(to: d) }
                if current == PostingsCursor.end {
                    doc = current
                    return
                }
                if current == d {
                    scores[offset] += bm25.score(tf: Double(cursor.termFrequency), length: length(d))
                    matched[offset &>> 6] |= 1 &<< UInt64(offset & 63)
                }
            }
        }
        doc = current
    }
}
