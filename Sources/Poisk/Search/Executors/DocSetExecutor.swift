// The every-document executor: each accepted document of a segment, with one constant score.
//
// For: `*:*` and queries made only of filters (`section:driver-api`, `*:* AND date:[…]`): the
// documents the filters accept (or every live one) are collected straight from the set's words,
// without a scorer. Not for: anything that scores by terms.

/// Collects the accepted documents of one segment.
enum DocSetExecutor {
    /// Hands `collector` every document of `accepted` (deletes already taken out), or, without
    /// a set, every live document of the view, each with `score`.
    /// - Returns: how many documents were collected.
    static func run<C: Collector>(_ accepted: DocBitSet?, score: Double, view: SegmentView, into collector: inout C) -> Int {
        var collected = 0
        if let accepted {
            for (w, word) in accepted.words.enumerated() where word != 0 {
                collector.collect(word: word, base: Int32(truncatingIfNeeded: w << 6), score: score)
                collected += word.nonzeroBitCount
            }
            return collected
        }
        let docCount = view.reader.docCount
        if !view.valueChecks.isEmpty {
            for d in 0..<Int32(docCount) where view.isLive(d) {
                collector.collect(d, score: score)
                collected += 1
            }
            return collected
        }
        // Every live document, 64 at a time: all ones but the deleted (and past the end).
        var w = 0
        while w << 6 < docCount {
            let rest = docCount - w << 6
            var word: UInt64 = rest >= 64 ? .max : (1 << UInt64(rest)) &- 1
            if let deleted = view.deleted, w < deleted.words.count { word &= ~deleted.words[w] }
            if word != 0 {
                collector.collect(word: word, base: Int32(truncatingIfNeeded: w << 6), score: score)
                collected += word.nonzeroBitCount
            }
            w += 1
        }
        return collected
    }
}
