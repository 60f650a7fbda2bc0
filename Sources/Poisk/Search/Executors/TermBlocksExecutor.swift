// The one-term executor: a single term's postings scored block by block.
//
// For: a sum of terms that has one term in a segment (a word searched in one field, or whose
// other fields lack it there): whole decoded blocks of 128 documents, scored in a tight loop,
// without windows. Not for: several terms (WindowedSumExecutor, BlockMaxWANDExecutor).

/// Runs one term over one segment.
enum TermBlocksExecutor {
    /// Scores every remaining document of `term`'s list (``BM25/score(tf:length:)``, as
    /// ``TermScorer/score()``) and hands the live ones to `collector`.
    /// - Returns: how many documents were scored.
    /// - Throws: `PoiskError.corruptIndex` when the postings are damaged.
    static func run<C: Collector>(_ term: TermScorer, view: SegmentView, into collector: inout C) throws -> Int {
        var scored = 0
        let hasDeletions = view.hasExclusions
        let bm25 = term.bm25
        let cursor = term.cursor
        while let block = cursor.nextBlock() {
            for j in 0..<block.count {
                let d = Int32(bitPattern: block.docs[j])
                if hasDeletions && !view.isLive(d) { continue }
                collector.collect(d, score: bm25.score(tf: Double(block.tfs[j]), length: term.length(d)))
                scored += 1
            }
        }
        term.doc = cursor.doc
        if term.isCorrupt {
            throw PoiskError.corruptIndex(
                file: view.reader.fileName, section: "postings", reason: "postings fail structural checks")
        }
        return scored
    }
}
