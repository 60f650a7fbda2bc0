// Postings cursors' memory, recycled: one block per cursor for its state and decoded block.
//
// For: PostingsCursor. Not for: the bytes of postings (mapped segment files).

/// The memory of postings cursors: each needs ~1.1 KB (its state, then one decoded block of docs
/// and frequencies), just above what malloc's per-thread cache serves, so a fresh block cost a
/// trip through malloc's bins and back on every cursor (a Chinese word searched in two fields
/// opens a dozen). Finished cursors give their block to ``pool`` for the next ones (see `Pool`);
/// a recycled block is also still in the cache.
enum CursorMemory {
    /// The bytes before the docs: `PostingsCursor.State`, rounded up to 8.
    static let stateBytes = (MemoryLayout<PostingsCursor.State>.stride + 7) & ~7
    /// One block: the state, then `blockSize` docs and `blockSize` frequencies.
    static let words = (stateBytes + 2 * PostingsFormat.blockSize * 4 + 7) / 8
    /// How many blocks are kept.
    static let pooled = 64
    /// Blocks of finished cursors (raw memory: the pool frees the ones it drops).
    static let pool = Pool<UnsafeMutableRawPointer>(
        capacity: pooled, discard: { RawMemory.free($0.assumingMemoryBound(to: UInt64.self)) })

    /// A new block of `words` 8-byte words, uninitialized.
    static func allocate() -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(RawMemory.allocate(UInt64.self, capacity: words))
    }
}
