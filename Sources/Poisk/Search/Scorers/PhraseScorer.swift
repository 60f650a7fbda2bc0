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
    let cursorRefs: UnretainedList<PostingsCursor>
    let cursors: [PostingsCursor]
    let offsets: [Int]  // position of each term in the phrase
    let slop: Int
    /// The phrase's scoring function: tf is the phrase frequency, idf the sum of its terms'.
    let bm25: BM25
    let segment: SegmentReader
    let field: Int
    let fieldName: String
    let phraseText: String
    let conjunction: [PostingsCursor]
    /// `conjunction`, unretained, for the leapfrog loop.
    let conjunctionRefs: UnretainedList<PostingsCursor>
    var freq = 0
    var flatPositions: [UInt32] = []
    /// Scratch of the general (sloppy) path, sized on its first use: exact phrases never need it.
    var startsScratch: [Int] = []
    var cursorScratch: [Int] = []
    var usedScratch: [Int] = []
    var corrupt = false

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
        self.buffers = PhraseBuffers.pool.take() ?? PhraseBuffers()
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

    /// Position buffers and bitmaps of the exact algorithms, from a pool and given back to it.
    let buffers: PhraseBuffers

    deinit { PhraseBuffers.pool.give(buffers) }

    /// Positions beyond this are counted by merging instead (the bitmap would be too large).
    static let bitmapMaxPosition = 1 << 22

    /// Counts matches of the phrase in the current document, by the cheapest algorithm for it:
    /// a two-word exact phrase by a bitmap (`PhraseScorer+ExactPair`), a longer exact phrase by
    /// candidate bitmaps (`PhraseScorer+ExactMany`), anything else (sloppy phrases, positions too
    /// large for bitmaps) by merging (`PhraseScorer+Merge`).
    func phraseFrequency() -> Int {
        if slop == 0 && cursors.count == 2 { return exactPairFrequency() }
        if slop == 0, let count = exactPhraseFrequency() { return count }
        return mergedPhraseFrequency()
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
