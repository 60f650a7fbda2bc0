// Two-word exact phrases, the common case: the sparser term's positions marked in a bitmap, the
// other's counted against it straight from the index (no merge, no data-dependent branch: the
// merge's unpredictable branches dominated frequent pairs such as "of the"); a merge of the two
// decoded lists when positions are too large for a bitmap.
//
// For: PhraseScorer.phraseFrequency. Not for: longer or sloppy phrases.

extension PhraseScorer {
    /// The common case, a two-word exact phrase: decode the first term's positions, then the
    /// second's only up to the last position that could follow one, and merge.
    func exactPairFrequency() -> Int {
        cursorRefs.with(0) { first in cursorRefs.with(1) { second in pairFrequency(first, second) } }
    }

    func pairFrequency(_ first: PostingsCursor, _ second: PostingsCursor) -> Int {
        guard let tf0 = first.plausibleTermFrequency, let tf1 = second.plausibleTermFrequency else {
            corrupt = true
            return 0
        }
        let need = max(tf0, tf1)
        let buffers = self.buffers.positions(count: need)
        let gap = offsets[1] - offsets[0]
        if first === second {
            // One term twice (a shared cursor): its positions decoded once, each matched
            // against the one `gap` further on.
            guard let n = first.decodePositions(into: buffers.0, limit: UInt32.max) else {
                corrupt = true
                return 0
            }
            return PhraseScorer.countPairs(buffers.0, n, buffers.0, n, gap: gap)
        }
        // Decode the term with fewer positions in full; count the other against a bitmap of
        // them (or, for huge positions, decode it only as far as it can matter and merge).
        let n0: Int
        let n1: Int
        if first.termFrequency <= second.termFrequency {
            guard let a = first.decodePositions(into: buffers.0, limit: UInt32.max), a > 0 else {
                if first.isCorrupt { corrupt = true }
                return 0
            }
            if let count = bitmapCount(buffers.0, a, shift: gap, counting: second) { return count }
            let last = Int(buffers.0[a - 1]) + gap
            guard last >= 0, let b = second.decodePositions(into: buffers.1, limit: UInt32(clamping: last)) else {
                if second.isCorrupt { corrupt = true }
                return 0
            }
            n0 = a
            n1 = b
        } else {
            guard let b = second.decodePositions(into: buffers.1, limit: UInt32.max), b > 0 else {
                if second.isCorrupt { corrupt = true }
                return 0
            }
            if let count = bitmapCount(buffers.1, b, shift: -gap, counting: first) { return count }
            let last = Int(buffers.1[b - 1]) - gap
            guard last >= 0, let a = first.decodePositions(into: buffers.0, limit: UInt32(clamping: last)) else {
                if first.isCorrupt { corrupt = true }
                return 0
            }
            n0 = a
            n1 = b
        }
        return PhraseScorer.countPairs(buffers.0, n0, buffers.1, n1, gap: gap)
    }

    /// How many positions `p` of `a` have `p + gap` in `b` (both ascending): for each of the
    /// first term's positions, the second list moves up to the position that would complete
    /// the phrase.
    @inline(__always)
    static func countPairs(
        _ a: UnsafePointer<UInt32>, _ n0: Int, _ b: UnsafePointer<UInt32>, _ n1: Int, gap: Int
    ) -> Int {
        var count = 0
        var j = 0
        for k in 0..<n0 {
            let want = Int(a[k]) &+ gap
            while j < n1 && Int(b[j]) < want { j &+= 1 }
            if j == n1 { break }
            count &+= Int(b[j]) == want ? 1 : 0
        }
        return count
    }

    /// Counts the pairs of a two-word exact phrase with a bitmap: the sparser term's positions
    /// (decoded: `setting[0..<n]`), moved by `shift` to where the other term must be, set bits;
    /// the other term's positions are then read straight from the index and tested, with no
    /// merge and no data-dependent branch (the merge's unpredictable branches dominated frequent
    /// pairs such as "of the"). Returns nil when the positions are too large for a bitmap (the
    /// caller merges instead); damaged bytes count 0 and mark the scorer corrupt.
    func bitmapCount(
        _ setting: UnsafeMutablePointer<UInt32>, _ n: Int, shift: Int, counting: PostingsCursor
    ) -> Int? {
        let highest = Int(setting[n - 1]) + shift
        if highest < 0 { return 0 }  // every shifted position is negative: no pair
        guard highest <= PhraseScorer.bitmapMaxPosition else { return nil }
        // Room past `highest` for a run of eight gaps read at once (no bounds check per bit).
        let words = (highest + PostingsCursor.bitmapSlack) >> 6 + 1
        let bitmap = buffers.pairBitmap(words: words)
        for k in 0..<n {
            let q = Int(setting[k]) + shift
            if q >= 0 { bitmap[q >> 6] |= 1 << UInt64(q & 63) }
        }
        let count = counting.countPositions(inBitmap: bitmap, words: words, limit: UInt32(highest))
        for k in 0..<n {
            let q = Int(setting[k]) + shift
            if q >= 0 { bitmap[q >> 6] = 0 }
        }
        if count == nil && counting.isCorrupt { corrupt = true }
        return count ?? 0
    }
}
