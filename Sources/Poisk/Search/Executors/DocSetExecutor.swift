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
                var bits = word
                while bits != 0 {
                    collector.collect(Int32(w << 6 | bits.trailingZeroBitCount), score: score)
                    bits &= bits &- 1
                    collected += 1
                }
            }
            return collected
        }
        for d in 0..<Int32(view.reader.docCount) where view.isLive(d) {
            collector.collect(d, score: score)
            collected += 1
        }
        return collected
    }
}
