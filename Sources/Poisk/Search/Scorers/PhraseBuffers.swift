// A phrase scorer's scratch memory: two position buffers and two position bitmaps, grown as
// documents need, kept from one scorer to the next through a pool.
//
// For: PhraseScorer's exact algorithms, which decode positions into raw buffers and mark them in
// bitmaps (each allocation and clearing of a bitmap sized for a long document cost more than
// counting a short document's pairs). Not for: the general merge's arrays (PhraseScorer keeps
// those).

/// Position buffers and zeroed bitmaps owned by one phrase scorer at a time; freed by `deinit`.
/// The pointers and sizes live behind one pointer, so the per-document calls pay no exclusivity
/// check.
final class PhraseBuffers {
    private struct Memory {
        /// The two position buffers (each `positionCapacity` values).
        var first: UnsafeMutablePointer<UInt32>?
        var second: UnsafeMutablePointer<UInt32>?
        var positionCapacity = 0
        /// The bitmaps (`pairWords` and `confirmWords` 64-bit words), all zero between uses:
        /// every bit set while counting a document is cleared before the next.
        var pair: UnsafeMutablePointer<UInt64>?
        var pairWords = 0
        var confirm: UnsafeMutablePointer<UInt64>?
        var confirmWords = 0
    }

    private let memory: UnsafeMutablePointer<Memory>

    /// How many are kept for the next scorers.
    static let pooled = 16
    /// Buffers with a bitmap larger than this (in 64-bit words: positions up to 2^19) are freed.
    static let largestPooledWords = 1 << 13
    /// Buffers whose position buffers hold more than this many positions are freed.
    static let largestPooledPositions = 1 << 14
    /// Buffers of finished phrase scorers (only ones that hold memory, and not too much of it).
    static let pool = Pool<PhraseBuffers>(capacity: pooled) { buffers in
        let m = buffers.memory.pointee
        let empty = m.first == nil && m.pair == nil && m.confirm == nil
        let small =
            m.pairWords <= largestPooledWords && m.confirmWords <= largestPooledWords
            && m.positionCapacity <= largestPooledPositions
        return small && !empty
    }

    init() {
        memory = .allocate(capacity: 1)
        memory.initialize(to: Memory())
    }

    deinit {
        let m = memory.pointee
        if let first = m.first { RawMemory.free(first) }
        if let second = m.second { RawMemory.free(second) }
        if let pair = m.pair { RawMemory.free(pair) }
        if let confirm = m.confirm { RawMemory.free(confirm) }
        memory.deinitialize(count: 1)
        memory.deallocate()
    }

    /// The two position buffers, each with room for at least `count` positions (reallocated,
    /// their contents dropped, when smaller: to twice the larger of `count` and 64).
    @inline(__always)
    func positions(count: Int) -> (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>) {
        if let first = memory.pointee.first, let second = memory.pointee.second, memory.pointee.positionCapacity >= count {
            return (first, second)
        }
        return grownPositions(count: count)
    }

    private func grownPositions(count: Int) -> (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>) {
        if let first = memory.pointee.first { RawMemory.free(first) }
        if let second = memory.pointee.second { RawMemory.free(second) }
        let capacity = max(count, 64) * 2
        let a = RawMemory.allocate(UInt32.self, capacity: capacity)
        let b = RawMemory.allocate(UInt32.self, capacity: capacity)
        memory.pointee.first = a
        memory.pointee.second = b
        memory.pointee.positionCapacity = capacity
        return (a, b)
    }

    /// The first bitmap, zero, with at least `words` words.
    @inline(__always)
    func pairBitmap(words: Int) -> UnsafeMutablePointer<UInt64> {
        if let pair = memory.pointee.pair, memory.pointee.pairWords >= words { return pair }
        return PhraseBuffers.zeroed(&memory.pointee.pair, &memory.pointee.pairWords, words: words)
    }

    /// The second bitmap (candidates a term confirmed), zero, with at least `words` words.
    @inline(__always)
    func confirmBitmap(words: Int) -> UnsafeMutablePointer<UInt64> {
        if let confirm = memory.pointee.confirm, memory.pointee.confirmWords >= words { return confirm }
        return PhraseBuffers.zeroed(&memory.pointee.confirm, &memory.pointee.confirmWords, words: words)
    }

    /// Zeroes both bitmaps entirely (after a failed decode left bits set).
    func clearBitmaps() {
        if let pair = memory.pointee.pair { pair.update(repeating: 0, count: memory.pointee.pairWords) }
        if let confirm = memory.pointee.confirm { confirm.update(repeating: 0, count: memory.pointee.confirmWords) }
    }

    /// A new zeroed bitmap of at least 256 words in place of `bitmap`.
    private static func zeroed(
        _ bitmap: inout UnsafeMutablePointer<UInt64>?, _ capacity: inout Int, words: Int
    ) -> UnsafeMutablePointer<UInt64> {
        if let bitmap { RawMemory.free(bitmap) }
        let size = max(words, 256)
        let memory = RawMemory.allocate(UInt64.self, capacity: size)
        memory.initialize(repeating: 0, count: size)
        bitmap = memory
        capacity = size
        return memory
    }
}
