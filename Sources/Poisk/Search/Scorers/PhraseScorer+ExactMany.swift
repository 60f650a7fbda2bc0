// Exact phrases of three or more terms (a Chinese word is a phrase of bigrams): candidate starts
// in a bitmap, each further term keeping the candidates it confirms.
//
// For: PhraseScorer.phraseFrequency. Not for: two-word or sloppy phrases.

extension PhraseScorer {
    /// An exact phrase of three or more terms (CJK words are phrases of bigrams): the term with
    /// the fewest positions in the document gives the candidate starts (a bitmap); every other
    /// term, decoded only as far as the last candidate can use, keeps the candidates it confirms
    /// (a second bitmap), until none or all terms are checked. Nothing is merged or appended.
    /// Returns nil when positions are too large for the bitmaps (the caller merges instead).
    func exactPhraseFrequency() -> Int? {
        let n = cursors.count
        var need = 0
        var rarest = 0
        var rarestTF = Int.max
        for i in 0..<n {
            guard let tf = cursorRefs.with(i, { $0.plausibleTermFrequency }) else {
                corrupt = true
                return 0
            }
            need = max(need, tf)
            if tf < rarestTF {
                rarestTF = tf
                rarest = i
            }
        }
        let buffers = self.buffers.positions(count: need)
        // Candidate starts: the rarest term's positions minus its offset (ascending).
        let candidates = buffers.0
        guard let decoded = cursorRefs.with(rarest, { $0.decodePositions(into: candidates, limit: UInt32.max) }) else {
            if cursorRefs.with(rarest, { $0.isCorrupt }) { corrupt = true }
            return 0
        }
        let rarestOffset = offsets[rarest]
        var m = 0
        for k in 0..<decoded where Int(candidates[k]) >= rarestOffset {
            candidates[m] = UInt32(Int(candidates[k]) - rarestOffset)
            m += 1
        }
        if m == 0 { return 0 }
        guard Int(candidates[m - 1]) <= PhraseScorer.bitmapMaxPosition else { return nil }
        let words = Int(candidates[m - 1]) >> 6 + 1
        let open = self.buffers.pairBitmap(words: words)
        let confirmed = self.buffers.confirmBitmap(words: words)
        for k in 0..<m { open[Int(candidates[k]) >> 6] |= 1 << UInt64(candidates[k] & 63) }
        let positions = buffers.1
        var failed = false
        for t in 0..<n where t != rarest && m > 0 {
            let offset = offsets[t]
            let last = Int(candidates[m - 1]) + offset
            guard let count = cursorRefs.with(t, { $0.decodePositions(into: positions, limit: UInt32(clamping: last)) })
            else {
                failed = true
                break
            }
            let highest = Int(candidates[m - 1])
            for k in 0..<count {
                let start = Int(positions[k]) - offset
                if start < 0 || start > highest { continue }
                let bit: UInt64 = 1 << UInt64(start & 63)
                if open[start >> 6] & bit != 0 { confirmed[start >> 6] |= bit }
            }
            // Keep the confirmed candidates; reset both bitmaps to exactly those.
            var kept = 0
            for k in 0..<m {
                let c = Int(candidates[k])
                let bit: UInt64 = 1 << UInt64(c & 63)
                if confirmed[c >> 6] & bit != 0 {
                    candidates[kept] = candidates[k]
                    kept += 1
                } else {
                    open[c >> 6] &= ~bit
                }
            }
            for k in 0..<kept { confirmed[Int(candidates[k]) >> 6] = 0 }
            m = kept
        }
        // Clear what is left set.
        for k in 0..<m {
            open[Int(candidates[k]) >> 6] = 0
            confirmed[Int(candidates[k]) >> 6] = 0
        }
        if failed {
            if cursors.contains(where: { $0.isCorrupt }) { corrupt = true }
            // A failed decode leaves bits set only for candidates already cleared above; the
            // open bitmap may still hold dropped ones from this round: clear it fully.
            self.buffers.clearBitmaps()
            return 0
        }
        return m
    }
}
