// The phrase scorer: terms at consecutive positions (or within `slop` moves), scored as one BM25
// term whose tf is the phrase frequency and whose idf is the sum of the terms' idfs.
//
// For: phrase queries and CJK words (phrases of bigrams). The documents holding every term are
// found by leapfrogging the terms' cursors (rarest first); in each, the phrase frequency is counted
// by the cheapest algorithm for the phrase: a bitmap for two-term exact phrases, candidate bitmaps
// for longer exact phrases, a merge of decoded positions otherwise (and for sloppy phrases).
// Not for: single terms (TermScorer).

import Foundation

/// Terms at consecutive positions (or within `slop` moves), scored as one BM25 term whose tf
/// is the phrase frequency and whose idf is the sum of the terms' idfs.
final class PhraseScorer: Scorer {
    /// `cursors` (phrase order), unretained, for the per-document paths.
    private let cursorRefs: UnretainedList<PostingsCursor>
    let cursors: [PostingsCursor]
    let offsets: [Int]  // position of each term in the phrase
    let slop: Int
    /// The phrase's scoring function: tf is the phrase frequency, idf the sum of its terms'.
    let bm25: BM25
    let segment: SegmentReader
    let field: Int
    let fieldName: String
    let phraseText: String
    private let conjunction: [PostingsCursor]
    /// `conjunction`, unretained, for the leapfrog loop.
    private let conjunctionRefs: UnretainedList<PostingsCursor>
    private var freq = 0
    private var flatPositions: [UInt32] = []
    /// Scratch of the general (sloppy) path, sized on its first use: exact phrases never need it.
    private var startsScratch: [Int] = []
    private var cursorScratch: [Int] = []
    private var usedScratch: [Int] = []
    private var corrupt = false

    init(
        cursors: [PostingsCursor], offsets: [Int], slop: Int, bm25: BM25, segment: SegmentReader, field: Int,
        fieldName: String, text: String
    ) {
        self.cursors = cursors
        self.offsets = offsets
        self.slop = slop
        self.bm25 = bm25
        self.segment = segment
        self.field = field
        self.fieldName = fieldName
        self.phraseText = text
        self.conjunction = cursors.sorted { $0.docFreq < $1.docFreq }
        self.conjunctionRefs = UnretainedList(conjunction)
        self.cursorRefs = UnretainedList(cursors)
        let memory = PhraseMemory.take()
        self.pairBuffers = memory.pairBuffers
        self.pairBitmap = memory.pairBitmap
        self.confirmBitmap = memory.confirmBitmap
    }

    override var cost: Int { conjunction.first?.docFreq ?? 0 }
    override var isCorrupt: Bool { corrupt || cursors.contains { $0.isCorrupt } }

    override func next() -> Int32 {
        find(conjunction.isEmpty ? PostingsCursor.end : conjunctionRefs.with(0) { $0.next() })
    }
    override func advance(to target: Int32) -> Int32 {
        find(conjunction.isEmpty ? PostingsCursor.end : conjunctionRefs.with(0) { $0.advance(to: target) })
    }

    private func find(_ start: Int32) -> Int32 {
        var candidate = start
        let refs = conjunctionRefs
        let n = conjunction.count
        while candidate != PostingsCursor.end {
            var agreed = true
            for i in 1..<max(n, 1) {
                let target = candidate
                let d = refs.with(i) { $0.advance(to: target) }
                if d > candidate {
                    candidate = refs.with(0) { $0.advance(to: d) }
                    agreed = false
                    break
                }
            }
            if !agreed { continue }
            let f = phraseFrequency()
            freq = f
            if f > 0 {
                doc = candidate
                return doc
            }
            candidate = refs.with(0) { $0.next() }
        }
        doc = PostingsCursor.end
        return doc
    }

    /// Raw position buffers for two-term exact phrases (grown as needed, freed in deinit).
    private var pairBuffers: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int)?
    /// A zeroed bitmap of positions for two-term exact phrases (grown as needed; every bit set
    /// while counting a document is cleared again before the next).
    private var pairBitmap: (UnsafeMutablePointer<UInt64>, Int)?
    /// The second bitmap of ``exactPhraseFrequency()`` (the candidates a term confirmed).
    private var confirmBitmap: (UnsafeMutablePointer<UInt64>, Int)?

    deinit {
        PhraseMemory.give(PhraseMemory(pairBuffers: pairBuffers, pairBitmap: pairBitmap, confirmBitmap: confirmBitmap))
    }

    /// Positions beyond this are counted by merging instead (the bitmap would be too large).
    private static let bitmapMaxPosition = 1 << 22

    /// Counts the pairs of a two-word exact phrase with a bitmap: the sparser term's positions
    /// (decoded: `setting[0..<n]`), moved by `shift` to where the other term must be, set bits;
    /// the other term's positions are then read straight from the index and tested, with no
    /// merge and no data-dependent branch (the merge's unpredictable branches dominated frequent
    /// pairs such as "of the"). Returns nil when the positions are too large for a bitmap (the
    /// caller merges instead); damaged bytes count 0 and mark the scorer corrupt.
    private func bitmapCount(
        _ setting: UnsafeMutablePointer<UInt32>, _ n: Int, shift: Int, counting: PostingsCursor
    ) -> Int? {
        let highest = Int(setting[n - 1]) + shift
        if highest < 0 { return 0 }  // every shifted position is negative: no pair
        guard highest <= PhraseScorer.bitmapMaxPosition else { return nil }
        // Room past `highest` for a run of eight gaps read at once (no bounds check per bit).
        let words = (highest + PostingsCursor.bitmapSlack) >> 6 + 1
        if pairBitmap == nil || pairBitmap!.1 < words {
            if let (bitmap, _) = pairBitmap { RawMemory.free(bitmap) }
            let capacity = max(words, 256)
            let memory = RawMemory.allocate(UInt64.self, capacity: capacity)
            memory.initialize(repeating: 0, count: capacity)
            pairBitmap = (memory, capacity)
        }
        guard let (bitmap, _) = pairBitmap else { return nil }
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

    /// An exact phrase of three or more terms (CJK words are phrases of bigrams): the term with
    /// the fewest positions in the document gives the candidate starts (a bitmap); every other
    /// term, decoded only as far as the last candidate can use, keeps the candidates it confirms
    /// (a second bitmap), until none or all terms are checked. Nothing is merged or appended.
    /// Returns nil when positions are too large for the bitmaps (the caller merges instead).
    private func exactPhraseFrequency() -> Int? {
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
        var buffers: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int)
        if let b = pairBuffers, b.2 >= need {
            buffers = b
        } else {
            if let (a, b, _) = pairBuffers {
                RawMemory.free(a)
                RawMemory.free(b)
            }
            let capacity = max(need, 64) * 2
            buffers = (
                RawMemory.allocate(UInt32.self, capacity: capacity), RawMemory.allocate(UInt32.self, capacity: capacity),
                capacity
            )
            pairBuffers = buffers
        }
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
        if pairBitmap == nil || pairBitmap!.1 < words {
            if let (bitmap, _) = pairBitmap { RawMemory.free(bitmap) }
            let capacity = max(words, 256)
            let memory = RawMemory.allocate(UInt64.self, capacity: capacity)
            memory.initialize(repeating: 0, count: capacity)
            pairBitmap = (memory, capacity)
        }
        if confirmBitmap == nil || confirmBitmap!.1 < words {
            if let (bitmap, _) = confirmBitmap { RawMemory.free(bitmap) }
            let capacity = max(words, 256)
            let memory = RawMemory.allocate(UInt64.self, capacity: capacity)
            memory.initialize(repeating: 0, count: capacity)
            confirmBitmap = (memory, capacity)
        }
        guard let (open, _) = pairBitmap, let (confirmed, _) = confirmBitmap else { return nil }
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
            if let (bitmap, capacity) = pairBitmap { bitmap.update(repeating: 0, count: capacity) }
            if let (bitmap, capacity) = confirmBitmap { bitmap.update(repeating: 0, count: capacity) }
            return 0
        }
        return m
    }

    /// The common case, a two-word exact phrase: decode the first term's positions, then the
    /// second's only up to the last position that could follow one, and merge.
    private func exactPairFrequency() -> Int {
        cursorRefs.with(0) { first in cursorRefs.with(1) { second in pairFrequency(first, second) } }
    }

    private func pairFrequency(_ first: PostingsCursor, _ second: PostingsCursor) -> Int {
        guard let tf0 = first.plausibleTermFrequency, let tf1 = second.plausibleTermFrequency else {
            corrupt = true
            return 0
        }
        let need = max(tf0, tf1)
        var buffers: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int)
        if let b = pairBuffers, b.2 >= need {
            buffers = b
        } else {
            if let (a, b, _) = pairBuffers {
                RawMemory.free(a)
                RawMemory.free(b)
            }
            let capacity = max(need, 64) * 2
            buffers = (
                RawMemory.allocate(UInt32.self, capacity: capacity), RawMemory.allocate(UInt32.self, capacity: capacity),
                capacity
            )
            pairBuffers = buffers
        }
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

    /// Counts matches of the phrase in the current document.
    private func phraseFrequency() -> Int {
        if slop == 0 && cursors.count == 2 { return exactPairFrequency() }
        if slop == 0, let count = exactPhraseFrequency() { return count }
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

    override func score() -> Double {
        bm25.score(tf: Double(freq), length: Double(segment.fieldLength(field, doc: doc)))
    }
    override func explanation() -> Explanation {
        bm25.explanation(
            "\(fieldName):\"\(phraseText)\"", tf: Double(freq), length: Double(segment.fieldLength(field, doc: doc)),
            phrase: true)
    }
}

/// A phrase scorer's buffers (positions, and the bitmaps, all zero), kept from a finished scorer
/// for the next one: each allocation and clearing of a bitmap sized for a long document cost
/// more than counting a short document's pairs.
struct PhraseMemory: @unchecked Sendable {
    var pairBuffers: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int)?
    var pairBitmap: (UnsafeMutablePointer<UInt64>, Int)?
    var confirmBitmap: (UnsafeMutablePointer<UInt64>, Int)?

    /// How many sets are kept.
    static let pooled = 16
    /// Sets with a bitmap larger than this (in 64-bit words: positions up to 2^19) are freed.
    static let largestPooledWords = 1 << 13
    /// Sets whose position buffers hold more than this many positions are freed.
    static let largestPooledPositions = 1 << 14
    private static let pool = Protected<[PhraseMemory]>([])

    /// A pooled set, or an empty one (its buffers are allocated on first use).
    static func take() -> PhraseMemory {
        pool.withLock { $0.popLast() } ?? PhraseMemory()
    }

    /// Returns a scorer's set (its bitmaps zero, as the scorer leaves them after each document)
    /// to the pool, or frees it.
    static func give(_ memory: PhraseMemory) {
        let small =
            (memory.pairBitmap?.1 ?? 0) <= largestPooledWords && (memory.confirmBitmap?.1 ?? 0) <= largestPooledWords
            && (memory.pairBuffers?.2 ?? 0) <= largestPooledPositions
        let empty = memory.pairBuffers == nil && memory.pairBitmap == nil && memory.confirmBitmap == nil
        if small && !empty {
            let kept = pool.withLock { pool -> Bool in
                guard pool.count < pooled else { return false }
                pool.append(memory)
                return true
            }
            if kept { return }
        }
        if let (a, b, _) = memory.pairBuffers {
            RawMemory.free(a)
            RawMemory.free(b)
        }
        if let (bitmap, _) = memory.pairBitmap { RawMemory.free(bitmap) }
        if let (bitmap, _) = memory.confirmBitmap { RawMemory.free(bitmap) }
    }
}
