// Scorers: per-segment iterators over matching documents that also compute scores.
//
// For: executing a query's weight tree in one segment, doc by doc, in increasing doc order
// (term, conjunction by leapfrogging, disjunction, exclusion, optional, phrase, match-all).
// Not for: collection statistics (Weight) or choosing the top k (collectors in Searcher).

import Foundation

/// Unretained references to objects another property keeps alive, for hot loops that would
/// otherwise retain and release every element they touch.
final class UnretainedList<T: AnyObject> {
    let count: Int
    /// The references, typed only where they are read: the deinit of a generic class runs
    /// unspecialized, and freeing a typed pointer there looked up `Unmanaged<T>`'s metadata at
    /// run time on every query (some 300 instructions, and cold runtime tables).
    private let raw: UnsafeMutableRawPointer

    init(_ objects: [T]) {
        count = objects.count
        let refs = RawMemory.allocate(Unmanaged<T>.self, capacity: objects.count)
        for (i, o) in objects.enumerated() { (refs + i).initialize(to: .passUnretained(o)) }
        raw = UnsafeMutableRawPointer(refs)
    }

    deinit { RawMemory.free(raw.assumingMemoryBound(to: UInt8.self)) }

    /// Calls `body` with element `i` without retaining it.
    @inline(__always)
    func with<R>(_ i: Int, _ body: (T) -> R) -> R {
        raw.assumingMemoryBound(to: Unmanaged<T>.self)[i]._withUnsafeGuaranteedRef(body)
    }
}

/// The base of every scorer. Subclasses override `next`, `advance(to:)` and `score`.
class Scorer {
    /// The current document, -1 before the first call, `PostingsCursor.end` at the end.
    var doc: Int32 = -1
    /// An estimate of how many documents the scorer will visit (for ordering conjunctions).
    var cost: Int { 0 }
    /// Moves to the next matching document.
    func next() -> Int32 { PostingsCursor.end }
    /// Moves to the first matching document >= target.
    func advance(to target: Int32) -> Int32 {
        var d = doc
        while d < target { d = next() }
        return d
    }
    /// The score of the current document.
    func score() -> Double { 0 }
    /// True when any postings the scorer read were damaged.
    var isCorrupt: Bool { false }
    /// How the current document's score came about. Its `value` is ``score()``, bit for bit:
    /// a leaf's comes from ``BM25/explanation(_:tf:length:phrase:)``, a sum's is formed from its
    /// parts in the order ``score()`` adds them.
    func explanation() -> Explanation { Explanation(value: score(), description: "score") }
}

/// A node that sums the explanations of `parts` in order, as the scorers sum scores.
func sumExplanation(_ parts: [Explanation]) -> Explanation {
    var sum = 0.0
    for p in parts { sum += p.value }
    return Explanation(value: sum, description: "sum of:", details: parts)
}

/// One term in one field of one segment.
final class TermScorer: Scorer {
    let cursor: PostingsCursor
    /// The term's scoring function (boosts folded in).
    let bm25: BM25
    let segment: SegmentReader
    let field: Int
    let fieldName: String
    let termText: String
    /// The field's lengths section (docCount × u32), read directly on the scoring path.
    private let lengths: UnsafeRawBufferPointer

    init(cursor: PostingsCursor, bm25: BM25, segment: SegmentReader, field: Int, fieldName: String, term: String) {
        self.cursor = cursor
        self.bm25 = bm25
        self.segment = segment
        self.field = field
        self.fieldName = fieldName
        self.termText = term
        self.lengths = segment.fields[field]?.lengths ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    override var cost: Int { cursor.docFreq }
    override var isCorrupt: Bool { cursor.isCorrupt }
    override func next() -> Int32 {
        doc = cursor.next()
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        doc = cursor.advance(to: target)
        return doc
    }
    @inline(__always)
    private func length(_ doc: Int32) -> Double {
        let offset = Int(doc) &* 4
        guard offset >= 0, offset + 4 <= lengths.count, let base = lengths.baseAddress else { return 0 }
        return Double(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }
    override func score() -> Double {
        bm25.score(tf: Double(cursor.termFrequency), length: length(doc))
    }

    /// Adds the scores of this term's documents below `limit` into a window of `base`-relative
    /// slots (``BM25/score(tf:length:)``, as ``score()``) and marks them in `seen`.
    /// - Returns: the first document >= `limit` (the new ``doc``).
    @inline(__always)
    func accumulate(base: Int32, limit: Int32, scores: UnsafeMutablePointer<Double>, seen: UnsafeMutablePointer<UInt64>) -> Int32 {
        let bm25 = self.bm25
        doc = cursor.forEach(below: limit) { d, tf in
            let offset = Int(d &- base)
            scores[offset] += bm25.score(tf: Double(tf), length: length(d))
            seen[offset &>> 6] |= 1 &<< UInt64(offset & 63)
        }
        return doc
    }

    /// For each document whose bit is set in `candidates` (documents `base + offset` of one
    /// window), in order: when this term's list holds it, adds its score to `scores[offset]` and
    /// sets its bit in `matched`. The cursor only moves forward (`advance`), so whole blocks
    /// with no candidate are skipped. Same arithmetic as ``score()``.
    func accumulate(
        base: Int32, candidates: UnsafePointer<UInt64>, words: Int, scores: UnsafeMutablePointer<Double>,
        matched: UnsafeMutablePointer<UInt64>
    ) {
        let bm25 = self.bm25
        var current = cursor.doc
        for w in 0..<words where candidates[w] != 0 {
            var bits = candidates[w]
            while bits != 0 {
                let offset = w &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                let d = base &+ Int32(truncatingIfNeeded: offset)
                if current < d { current = cursor.advance(to: d) }
                if current == PostingsCursor.end {
                    doc = current
                    return
                }
                if current == d {
                    scores[offset] += bm25.score(tf: Double(cursor.termFrequency), length: length(d))
                    matched[offset &>> 6] |= 1 &<< UInt64(offset & 63)
                }
            }
        }
        doc = current
    }

    /// Scores every remaining document of the list into `collector` (``BM25/score(tf:length:)``,
    /// as ``score()``), skipping deleted documents.
    /// - Returns: how many documents were scored.
    func collectAll(segment: Int, view: SegmentView, into collector: inout TopDocsCollector) -> Int {
        var scored = 0
        let hasDeletions = view.deleted != nil
        let bm25 = self.bm25
        while let block = cursor.nextBlock() {
            for j in 0..<block.count {
                let d = Int32(bitPattern: block.docs[j])
                if hasDeletions && !view.isLive(d) { continue }
                collector.collect(segment: segment, doc: d, score: bm25.score(tf: Double(block.tfs[j]), length: length(d)))
                scored += 1
            }
        }
        doc = cursor.doc
        return scored
    }
    override func explanation() -> Explanation {
        bm25.explanation("\(fieldName):\(termText)", tf: Double(cursor.termFrequency), length: length(doc))
    }
}

/// Documents matching every sub-scorer; the score is the sum.
final class ConjunctionScorer: Scorer {
    let scorers: [Scorer]
    /// `scorers`, unretained, for the leapfrog loop.
    private let refs: UnretainedList<Scorer>
    private let n: Int

    init(_ scorers: [Scorer]) {
        self.scorers = scorers.sorted { $0.cost < $1.cost }
        n = scorers.count
        refs = UnretainedList(self.scorers)
    }

    override var cost: Int { scorers.first?.cost ?? 0 }
    override var isCorrupt: Bool { scorers.contains { $0.isCorrupt } }

    override func next() -> Int32 {
        guard n > 0 else { return PostingsCursor.end }
        return align(refs.with(0) { $0.next() })
    }
    override func advance(to target: Int32) -> Int32 {
        guard n > 0 else { return PostingsCursor.end }
        return align(refs.with(0) { $0.advance(to: target) })
    }

    /// Leapfrog: advance every scorer to the candidate until all agree.
    private func align(_ start: Int32) -> Int32 {
        var candidate = start
        var i = 1
        while candidate != PostingsCursor.end && i < n {
            let target = candidate
            let d = refs.with(i) { $0.advance(to: target) }
            if d > candidate {
                candidate = refs.with(0) { $0.advance(to: d) }
                i = 1
            } else {
                i += 1
            }
        }
        doc = candidate
        return doc
    }

    override func score() -> Double {
        var sum = 0.0
        for i in 0..<n { sum += refs.with(i) { $0.score() } }
        return sum
    }
    override func explanation() -> Explanation { sumExplanation(scorers.map { $0.explanation() }) }
}

/// Documents matching at least one sub-scorer; the score is the sum of those that match.
final class DisjunctionScorer: Scorer {
    let scorers: [Scorer]
    /// `scorers`, unretained, for the hot loops.
    private let refs: UnretainedList<Scorer>
    private let n: Int

    init(_ scorers: [Scorer]) {
        self.scorers = scorers
        n = scorers.count
        refs = UnretainedList(scorers)
    }

    override var cost: Int { scorers.reduce(0) { $0 + $1.cost } }
    override var isCorrupt: Bool { scorers.contains { $0.isCorrupt } }

    override func next() -> Int32 {
        let current = doc
        var smallest = PostingsCursor.end
        for i in 0..<n {
            let d = refs.with(i) { s -> Int32 in s.doc <= current ? s.next() : s.doc }
            if d < smallest { smallest = d }
        }
        doc = smallest
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        var smallest = PostingsCursor.end
        for i in 0..<n {
            let d = refs.with(i) { s -> Int32 in s.doc < target ? s.advance(to: target) : s.doc }
            if d < smallest { smallest = d }
        }
        doc = smallest
        return doc
    }
    override func score() -> Double {
        var sum = 0.0
        let current = doc
        for i in 0..<n { sum += refs.with(i) { s in s.doc == current ? s.score() : 0 } }
        return sum
    }
    override func explanation() -> Explanation {
        sumExplanation(scorers.filter { $0.doc == doc }.map { $0.explanation() })
    }
}

/// Documents of `required` that do not match `excluded`.
final class ExclusionScorer: Scorer {
    let required: Scorer
    let excluded: Scorer

    init(required: Scorer, excluded: Scorer) {
        self.required = required
        self.excluded = excluded
    }

    override var cost: Int { required.cost }
    override var isCorrupt: Bool { required.isCorrupt || excluded.isCorrupt }

    private func skipExcluded(_ start: Int32) -> Int32 {
        var d = start
        while d != PostingsCursor.end {
            let e = excluded.doc < d ? excluded.advance(to: d) : excluded.doc
            if e != d { break }
            d = required.next()
        }
        doc = d
        return d
    }
    override func next() -> Int32 { skipExcluded(required.next()) }
    override func advance(to target: Int32) -> Int32 { skipExcluded(required.advance(to: target)) }
    override func score() -> Double { required.score() }
    override func explanation() -> Explanation { required.explanation() }
}

/// Documents of `required`; `optional` adds its score where it matches too.
final class RequiredOptionalScorer: Scorer {
    let required: Scorer
    let optional: Scorer

    init(required: Scorer, optional: Scorer) {
        self.required = required
        self.optional = optional
    }

    override var cost: Int { required.cost }
    override var isCorrupt: Bool { required.isCorrupt || optional.isCorrupt }
    override func next() -> Int32 {
        doc = required.next()
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        doc = required.advance(to: target)
        return doc
    }
    override func score() -> Double {
        var s = required.score()
        if optional.doc < doc { _ = optional.advance(to: doc) }
        if optional.doc == doc { s += optional.score() }
        return s
    }
    override func explanation() -> Explanation {
        if optional.doc < doc { _ = optional.advance(to: doc) }
        if optional.doc == doc { return sumExplanation([required.explanation(), optional.explanation()]) }
        return sumExplanation([required.explanation()])
    }
}

/// Every live document, with a constant score.
final class MatchAllScorer: Scorer {
    let maxDoc: Int32
    let constant: Double

    init(maxDoc: Int, score: Double) {
        self.maxDoc = Int32(maxDoc)
        self.constant = score
    }

    override var cost: Int { Int(maxDoc) }
    override func next() -> Int32 {
        doc = doc + 1 < maxDoc ? doc + 1 : PostingsCursor.end
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        doc = target < maxDoc ? max(target, doc + 1) : PostingsCursor.end
        return doc
    }
    override func score() -> Double { constant }
    override func explanation() -> Explanation {
        Explanation(value: constant, description: "matches every document")
    }
}

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
