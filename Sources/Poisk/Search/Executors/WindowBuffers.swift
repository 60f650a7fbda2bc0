// Scratch memory of the window executors: score arrays and bitmaps for one window of 2048
// documents, reused from query to query.
//
// For: WindowedSumExecutor and WindowedConjunctionExecutor. Not for: anything kept between calls
// but zeros (the executors clear what they set).

/// Scratch for scoring by windows of ``size`` documents: two score arrays and two bitmaps, all
/// zero between uses (the collectors clear what they set as they go). Owned by one query at a
/// time: taken from and returned to a reader's pool under its lock.
final class WindowBuffers: @unchecked Sendable {
    static let size = 2048
    static let words = size / 64
    /// How many an `IndexReader` keeps for reuse (one per concurrent query, up to this).
    static let pooled = 8
    /// A document's running sum (a window's `total`).
    let scores: UnsafeMutablePointer<Double>
    /// One clause's sum, before it joins `scores` (conjunctions).
    let partial: UnsafeMutablePointer<Double>
    /// Documents seen (or still candidates) in the window.
    let seen: UnsafeMutablePointer<UInt64>
    /// Documents a further clause matched (conjunctions).
    let matched: UnsafeMutablePointer<UInt64>

    init() {
        scores = RawMemory.allocate(Double.self, capacity: WindowBuffers.size)
        partial = RawMemory.allocate(Double.self, capacity: WindowBuffers.size)
        seen = RawMemory.allocate(UInt64.self, capacity: WindowBuffers.words)
        matched = RawMemory.allocate(UInt64.self, capacity: WindowBuffers.words)
        scores.initialize(repeating: 0, count: WindowBuffers.size)
        partial.initialize(repeating: 0, count: WindowBuffers.size)
        seen.initialize(repeating: 0, count: WindowBuffers.words)
        matched.initialize(repeating: 0, count: WindowBuffers.words)
    }

    deinit {
        RawMemory.free(scores)
        RawMemory.free(partial)
        RawMemory.free(seen)
        RawMemory.free(matched)
    }
}
