// The general phrase algorithm: every term's positions decoded and merged, exactly or within
// `slop` moves.
//
// For: sloppy phrases, and exact ones whose positions are too large for the bitmaps. Not for:
// the common exact cases (PhraseScorer+ExactPair, PhraseScorer+ExactMany).

extension PhraseScorer {
    /// The phrase frequency by merging: every term's positions decoded into one flat array, then,
    /// for each occurrence of the first term, the others looked up at their offsets (exact) or
    /// at their closest unused position (sloppy: the match costs the total displacement,
    /// Lucene-style, and counts when the cost is at most `slop`).
    func mergedPhraseFrequency() -> Int {
        // All terms' positions go into one flat local array (swapped out of the class, so no
        // copies, no per-access exclusivity checks, no retains in the loops); the small
        // per-term arrays are reused scratch too, so a candidate document allocates nothing.
        var flat: [UInt32] = []
        var starts: [Int] = []
        var cursor: [Int] = []
        var used: [Int] = []
        swap(&flat, &self.flatPositions)
        swap(&starts, &self.startsScratch)
        swap(&cursor, &self.cursorScratch)
        swap(&used, &self.usedScratch)
        defer {
            swap(&flat, &self.flatPositions)
            swap(&starts, &self.startsScratch)
            swap(&cursor, &self.cursorScratch)
            swap(&used, &self.usedScratch)
        }
        flat.removeAll(keepingCapacity: true)
        let n = cursors.count
        if starts.count != n + 1 {
            starts = Array(repeating: 0, count: n + 1)
            cursor = Array(repeating: 0, count: n + 1)
            used = Array(repeating: -1, count: n)
        }
        for i in 0..<n {
            starts[i] = flat.count
            if !cursorRefs.with(i, { $0.appendPositions(to: &flat) }) {
                corrupt = true
                return 0
            }
        }
        starts[n] = flat.count
        let offsets = self.offsets
        let slop = self.slop
        return flat.withUnsafeBufferPointer { all -> Int in
            var count = 0
            if slop == 0 {
                // Exact: for each position p of term 0, every term i at p − offset_0 + offset_i.
                for i in 0...n { cursor[i] = starts[i] }
                for k in starts[0]..<starts[1] {
                    let base = Int(all[k]) - offsets[0]
                    var matched = true
                    for i in 1..<n {
                        let want = base + offsets[i]
                        var j = cursor[i]
                        while j < starts[i + 1] && Int(all[j]) < want { j += 1 }
                        cursor[i] = j
                        if j >= starts[i + 1] || Int(all[j]) != want {
                            matched = false
                            break
                        }
                    }
                    if matched { count += 1 }
                }
                return count
            }
            // Sloppy: for each occurrence of the first term, every other term takes its unused
            // position closest to where it should be; the match costs the total displacement
            // (Lucene-style edit distance in positions). Counts matches with cost <= slop.
            for k in starts[0]..<starts[1] {
                let base = Int(all[k]) - offsets[0]
                used[0] = Int(all[k])
                var cost = 0
                var ok = true
                for i in 1..<n {
                    let want = base + offsets[i]
                    var best = Int.max
                    var bestPos = -1
                    for j in starts[i]..<starts[i + 1] {
                        let p = Int(all[j])
                        if used[0..<i].contains(p) { continue }
                        let d = abs(p - want)
                        if d < best {
                            best = d
                            bestPos = p
                        }
                    }
                    if bestPos < 0 {
                        ok = false
                        break
                    }
                    used[i] = bestPos
                    cost += best
                    if cost > slop {
                        ok = false
                        break
                    }
                }
                if ok { count += 1 }
            }
            return count
        }
    }
}
