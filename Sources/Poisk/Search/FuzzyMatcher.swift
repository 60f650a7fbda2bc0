// Bounded Damerau–Levenshtein distance (optimal string alignment: a transposition of two
// adjacent characters counts as one edit), for fuzzy queries.
//
// For: testing dictionary terms against a fuzzy query word with early exit once every cell of
// a row exceeds the edit budget. Not for: unbounded distances.

struct FuzzyMatcher {
    let target: [Unicode.Scalar]
    let maxEdits: Int
    private var term: [Unicode.Scalar] = []
    private var rows: [[Int]]

    init(target: [Unicode.Scalar], maxEdits: Int) {
        self.target = target
        self.maxEdits = maxEdits
        rows = Array(repeating: Array(repeating: 0, count: target.count + 1), count: 3)
    }

    /// The distance from the target to `bytes` (UTF-8), or nil when above `maxEdits`.
    mutating func distance(to bytes: UnsafeRawBufferPointer) -> Int? {
        // Cheap length filter first (scalars <= bytes).
        if bytes.count + maxEdits < target.count { return nil }
        term.removeAll(keepingCapacity: true)
        for s in String(decoding: bytes, as: UTF8.self).unicodeScalars { term.append(s) }
        let n = target.count
        let m = term.count
        if abs(n - m) > maxEdits { return nil }
        // rows[0] = i-2, rows[1] = i-1, rows[2] = i
        for j in 0...n { rows[1][j] = j }
        for i in 1...max(m, 1) where m > 0 {
            rows[2][0] = i
            var rowMin = i
            for j in 1...max(n, 1) where n > 0 {
                let cost = term[i - 1] == target[j - 1] ? 0 : 1
                var v = min(rows[1][j] + 1, rows[2][j - 1] + 1, rows[1][j - 1] + cost)
                if i > 1 && j > 1 && term[i - 1] == target[j - 2] && term[i - 2] == target[j - 1] {
                    v = min(v, rows[0][j - 2] + 1)
                }
                rows[2][j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > maxEdits { return nil }
            rows.swapAt(0, 1)
            rows.swapAt(1, 2)
        }
        let d = m == 0 ? n : rows[1][n]
        return d <= maxEdits ? d : nil
    }
}
