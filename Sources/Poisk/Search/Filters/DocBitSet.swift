// A set of a segment's documents as a bitset: what a filter matches in one segment.
//
// For: filters (typed-field terms and ranges, FILTER clauses), combined by words and handed to
// the executors as the documents they may collect. Not for: deletes on disk (DeletedDocs), which
// a query's accepted set folds in.

/// The documents of one segment in a set, one bit per document.
struct DocBitSet: Sendable, Equatable {
    private(set) var words: [UInt64]
    let docCount: Int

    /// An empty set (`full: false`) or every document (`full: true`).
    init(docCount: Int, full: Bool = false) {
        self.docCount = docCount
        words = [UInt64](repeating: full ? .max : 0, count: (docCount + 63) >> 6)
        if full { clearTail() }
    }

    /// Bits past the last document are always 0.
    private mutating func clearTail() {
        let rest = docCount & 63
        if rest != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(rest)) &- 1 }
    }

    @inline(__always)
    func contains(_ doc: Int32) -> Bool {
        let w = Int(doc) >> 6
        return w >= 0 && w < words.count && words[w] & (1 << UInt64(doc & 63)) != 0
    }

    @inline(__always)
    mutating func insert(_ doc: Int32) {
        let w = Int(doc) >> 6
        guard w >= 0 && w < words.count, Int(doc) < docCount else { return }
        words[w] |= 1 << UInt64(doc & 63)
    }

    /// Adds `count` documents (each below `docCount`; others are ignored).
    mutating func insert(_ docs: UnsafePointer<UInt32>, count: Int) {
        let limit = UInt32(docCount)
        words.withUnsafeMutableBufferPointer { w in
            for i in 0..<count {
                let d = docs[i]
                if d < limit { w[Int(d >> 6)] |= 1 << UInt64(d & 63) }
            }
        }
    }

    /// Calls `body` with the set's words (bit d % 64 of word d / 64), to add many documents at
    /// once; bits past the last document must stay 0.
    @inline(__always)
    mutating func withWords<R>(_ body: (UnsafeMutableBufferPointer<UInt64>) -> R) -> R {
        words.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Keeps only documents also in `other`.
    mutating func formIntersection(_ other: DocBitSet) {
        for i in 0..<min(words.count, other.words.count) { words[i] &= other.words[i] }
    }

    /// Adds the documents of `other`.
    mutating func formUnion(_ other: DocBitSet) {
        for i in 0..<min(words.count, other.words.count) { words[i] |= other.words[i] }
    }

    /// Removes the documents of `other`.
    mutating func subtract(_ other: DocBitSet) {
        for i in 0..<min(words.count, other.words.count) { words[i] &= ~other.words[i] }
    }

    /// Removes deleted documents.
    mutating func subtract(_ deleted: DeletedDocs) {
        for i in 0..<min(words.count, deleted.words.count) { words[i] &= ~deleted.words[i] }
    }

    /// Removes the documents for which `shouldRemove` is true (each document of the set is
    /// tested once, in order).
    mutating func removeAll(where shouldRemove: (Int32) -> Bool) {
        for w in words.indices where words[w] != 0 {
            var bits = words[w]
            var kept = bits
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                if shouldRemove(Int32(w << 6 | bit)) { kept &= ~(1 << UInt64(bit)) }
                bits &= bits &- 1
            }
            words[w] = kept
        }
    }

    /// The number of documents in the set.
    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether the set is empty.
    var isEmpty: Bool { !words.contains { $0 != 0 } }

    /// The first document at or after `doc` in the set, or `PostingsCursor.end`.
    @inline(__always)
    func next(atOrAfter doc: Int32) -> Int32 {
        var w = Int(max(0, doc)) >> 6
        guard w < words.count else { return PostingsCursor.end }
        var word = words[w] & (UInt64.max << UInt64(max(0, doc) & 63))
        while word == 0 {
            w += 1
            if w >= words.count { return PostingsCursor.end }
            word = words[w]
        }
        return Int32(w << 6 | word.trailingZeroBitCount)
    }

    /// The documents not in the set, as the deletes of a view: the executors skip them.
    var complement: DeletedDocs {
        var inverted = DocBitSet(docCount: docCount)
        for i in words.indices { inverted.words[i] = ~words[i] }
        inverted.clearTail()
        return DeletedDocs(words: inverted.words)
    }
}
