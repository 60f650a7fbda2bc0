// Memory the sort and facet collectors write for every document they see, owned by a class and
// reached through pointers: a collector is a struct, and writing into its arrays would check
// their uniqueness (a runtime call) on every write.
//
// For: TopFieldCollector (the kept documents' keys) and FacetCollector (counts). Not for
// anything that outlives one search.

/// Zeroed raw memory, freed with the object. Not generic (a generic class's deinit runs
/// unspecialized); callers bind it to their element type.
final class CollectorMemory: @unchecked Sendable {
    // The pointer never escapes the collector that owns this object.
    private let raw: UnsafeMutablePointer<UInt64>
    /// The memory's size in 8-byte words.
    let words: Int

    /// Zeroed memory for `count` values of `T` (a trivial type of at most 8-byte alignment).
    init<T: BitwiseCopyable>(_: T.Type, count: Int) {
        words = max(1, (max(1, count) * MemoryLayout<T>.stride + 7) / 8)
        raw = RawMemory.allocate(UInt64.self, capacity: words)
        raw.initialize(repeating: 0, count: words)
    }

    deinit { RawMemory.free(raw) }

    /// The memory as values of `T` (the type it was made for).
    @inline(__always)
    func pointer<T: BitwiseCopyable>(_: T.Type) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer(raw).assumingMemoryBound(to: T.self)
    }
}
