// The estimated indexing cost of documents, for splitting a flush into chunks of equal work: a
// document's bytes, plus a surcharge per CJK character (each is a token of its own), plus a fixed
// cost per document; wide characters counted 32 bytes at a time with vector compares.
//
// For: IndexWriter+Flush. Not for: measuring anything (the weights were fitted on two corpora:
// see Benchmarks/README.md).

extension IndexWriter {
    /// The number of bytes ≥ 0xE3 in `bytes` (UTF-8 lead bytes of U+3000 and above): 32 bytes
    /// at a time with vector compares, the lane counts summed every 255 blocks (before a
    /// one-byte lane could overflow); the tail eight at a time, where a byte is counted when
    /// its high bit is set and its low seven bits are ≥ 0x63 (adding 0x1D to the low seven bits
    /// of every byte at once carries into bit 7 exactly then).
    static func countBytesFromE3(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var count = 0
        var i = 0
        let threshold = SIMD32<UInt8>(repeating: 0xE3)
        while i &+ 32 <= n {
            // Each lane counts up to 255 hits, then the lanes are summed into `count`.
            var lanes = SIMD32<UInt8>.zero
            let stop = min(n &- 32, i &+ 254 &* 32)
            while i <= stop {
                let v = base.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // A true lane of the mask is all ones (−1): subtracting it adds one.
                lanes &-= unsafeBitCast(v .>= threshold, to: SIMD32<UInt8>.self)
                i &+= 32
            }
            var sum = 0
            for k in 0..<32 { sum &+= Int(lanes[k]) }
            count &+= sum
        }
        while i &+ 8 <= n {
            let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let low = (x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x1D1D_1D1D_1D1D_1D1D
            // The marked lanes summed by one multiply (no popcount instruction in the baseline
            // x86-64 target).
            count &+= Int(truncatingIfNeeded: (((low & x & 0x8080_8080_8080_8080) &>> 7) &* 0x0101_0101_0101_0101) &>> 56)
            i &+= 8
        }
        while i < n {
            if base.load(fromByteOffset: i, as: UInt8.self) >= 0xE3 { count &+= 1 }
            i &+= 1
        }
        return count
    }

    /// Each document's estimated indexing cost, in units of about one byte of Latin or Cyrillic
    /// text: its text bytes, plus ``costPerWideCharacter`` per character whose UTF-8 lead byte is
    /// 0xE3 or above (CJK ideographs, kana, Hangul: each is a token of its own), plus
    /// ``costPerDocument``. (A flush computes the estimate on all its workers: see `CostEstimate`.)
    static func estimatedCosts(_ documents: [Document]) -> [Int] {
        let estimate = CostEstimate(documents)
        estimate.work()
        return Array(estimate.values)
    }

    /// The estimated cost of one document (see ``estimatedCosts(_:)``).
    static func estimatedCost(_ document: Document) -> Int {
        var cost = IndexWriter.costPerDocument + document.id.utf8.count
        for (key, value) in document.fields {
            cost += key.utf8.count
            var value = value
            value.withUTF8 { utf8 in
                cost += utf8.count + IndexWriter.costPerWideCharacter * IndexWriter.countBytesFromE3(UnsafeRawBufferPointer(utf8))
            }
        }
        return cost
    }
}

/// The estimated cost of each document of a batch (``IndexWriter/estimatedCost(_:)``), computed
/// by any number of workers: each claims blocks of documents until none are left.
final class CostEstimate: @unchecked Sendable {
    /// Documents claimed at a time.
    static let blockSize = 8

    private let documents: [Document]
    /// Each block is written by the worker that claimed it and read after ``waitUntilDone()``.
    let values: UnsafeMutableBufferPointer<Int>
    /// The next document to claim, and how many documents have been estimated.
    private let progress = Protected((next: 0, done: 0))

    init(_ documents: [Document]) {
        self.documents = documents
        values = .allocate(capacity: documents.count)
        values.initialize(repeating: 0)
    }

    deinit { values.deallocate() }

    /// Estimates blocks of documents until every block has been claimed.
    func work() {
        let n = documents.count
        while true {
            let start = progress.withLock { p in
                defer { p.next += CostEstimate.blockSize }
                return p.next
            }
            if start >= n { return }
            let end = min(n, start + CostEstimate.blockSize)
            for d in start..<end { values[d] = IndexWriter.estimatedCost(documents[d]) }
            progress.withLock { $0.done += end - start }
        }
    }

    /// Returns when every document's cost is in ``values``: after this thread's ``work()``, only
    /// blocks other workers are in the middle of remain, so the wait is short.
    func waitUntilDone() {
        var spins = 0
        while progress.current.done < documents.count {
            spins += 1
            if spins > 1_000 { SystemThread.yield() }
        }
    }
}
