// Fuzzy term expansion: the terms of a sorted dictionary within k Damerau–Levenshtein edits of a
// word (optimal string alignment: an adjacent transposition counts as one edit).
//
// For: fuzzy queries, without testing every term. The dynamic-programming rows are computed
// scalar by scalar along each term; as soon as every cell of a row exceeds k, no term sharing
// that prefix can match, so the dictionary cursor seeks past the whole prefix range (the
// "automaton intersected with the dictionary" idea, driven by the DP rows). Rows are kept per
// prefix scalar, so consecutive terms reuse the rows of their shared prefix.
// Not for: unbounded distances.

struct FuzzyMatcher {
    let target: [UInt32]  // scalars
    let maxEdits: Int
    /// rows[i] is the DP row after i scalars of the current term.
    private var rows: [[Int]]
    /// Scalars of the current term and their byte ends.
    private var scalars: [UInt32] = []
    private var byteEnds: [Int] = []

    init(target: [Unicode.Scalar], maxEdits: Int) {
        self.target = target.map(\.value)
        self.maxEdits = maxEdits
        rows = [Array(0...target.count)]
    }

    enum Outcome {
        /// The term is within `maxEdits`: the distance.
        case match(Int)
        /// The term is not, but later terms sharing a prefix may be.
        case noMatch
        /// No term starting with the first `bytes` bytes of this term can match.
        case skipPrefix(bytes: Int)
    }

    /// Tests one term (UTF-8). `sharedBytes` is how many leading bytes it shares with the
    /// previous term tested (rows for that prefix are reused).
    mutating func test(_ term: UnsafeRawBufferPointer, sharedBytes: Int) -> Outcome {
        // Keep the rows of whole scalars inside the shared prefix.
        var keep = 0
        while keep < byteEnds.count && byteEnds[keep] <= sharedBytes { keep += 1 }
        scalars.removeSubrange(keep...)
        byteEnds.removeSubrange(keep...)
        rows.removeSubrange((keep + 1)...)
        // Decode the rest of the term.
        var i = keep == 0 ? 0 : byteEnds[keep - 1]
        while i < term.count {
            let b0 = UInt32(term[i])
            var value = b0
            var length = 1
            if b0 >= 0xF0, i + 3 < term.count {
                value =
                    (b0 & 0x07) << 18 | (UInt32(term[i + 1]) & 0x3F) << 12 | (UInt32(term[i + 2]) & 0x3F) << 6
                    | (UInt32(term[i + 3]) & 0x3F)
                length = 4
            } else if b0 >= 0xE0, i + 2 < term.count {
                value = (b0 & 0x0F) << 12 | (UInt32(term[i + 1]) & 0x3F) << 6 | (UInt32(term[i + 2]) & 0x3F)
                length = 3
            } else if b0 >= 0xC0, i + 1 < term.count {
                value = (b0 & 0x1F) << 6 | (UInt32(term[i + 1]) & 0x3F)
                length = 2
            }
            i += length
            scalars.append(value)
            byteEnds.append(i)
        }
        // Extend the rows.
        let n = target.count
        for r in rows.count...max(rows.count, scalars.count) where r <= scalars.count && r >= 1 {
            let c = scalars[r - 1]
            var row = [Int](repeating: 0, count: n + 1)
            row[0] = r
            var rowMin = r
            let previous = rows[r - 1]
            for j in stride(from: 1, through: n, by: 1) {
                let cost = c == target[j - 1] ? 0 : 1
                var v = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if r > 1 && j > 1 && c == target[j - 2] && scalars[r - 2] == target[j - 1] {
                    v = min(v, rows[r - 2][j - 2] + 1)
                }
                row[j] = v
                rowMin = min(rowMin, v)
            }
            rows.append(row)
            if rowMin > maxEdits {
                // Every continuation of scalars[0..<r] is too far.
                return .skipPrefix(bytes: byteEnds[r - 1])
            }
        }
        for r in 1..<rows.count where r <= scalars.count {
            if (rows[r].min() ?? 0) > maxEdits { return .skipPrefix(bytes: byteEnds[r - 1]) }
        }
        let d = rows[scalars.count][n]
        return d <= maxEdits ? .match(d) : .noMatch
    }
}

/// The smallest byte string greater than every string starting with `prefix`, or nil when none
/// exists (all 0xFF).
func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
    var p = prefix
    while let last = p.last {
        if last < 0xFF {
            p[p.count - 1] = last + 1
            return p
        }
        p.removeLast()
    }
    return nil
}
