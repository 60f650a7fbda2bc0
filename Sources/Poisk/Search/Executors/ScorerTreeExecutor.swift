// The scorer-tree executor: any query, document at a time, through its tree of scorers.
//
// For: every shape the window and pruning executors do not take (conjunctions with phrases,
// optional or excluded clauses, rare conjunctions, match-all, nested booleans), and counts. Not
// for: sums of terms or phrases and frequent conjunctions of words, which the planner sends to
// faster executors that add the same scores in the same order.

/// Runs a scorer tree over one segment.
enum ScorerTreeExecutor {
    /// Hands `collector` every live document `scorer` matches, scored when the collector needs
    /// scores.
    /// - Returns: how many documents were collected.
    /// - Throws: `PoiskError.corruptIndex` when postings or positions are damaged.
    static func run<C: Collector>(_ scorer: Scorer, view: SegmentView, into collector: inout C) throws -> Int {
        var collected = 0
        var doc = scorer.next()
        while doc != PostingsCursor.end {
            if view.isLive(doc) {
                collector.collect(doc, score: C.needsScores ? scorer.score() : 0)
                collected += 1
            }
            doc = scorer.next()
        }
        if scorer.isCorrupt {
            throw PoiskError.corruptIndex(
                file: view.reader.fileName, section: "postings", reason: "postings or positions fail structural checks")
        }
        return collected
    }
}
