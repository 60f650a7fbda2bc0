// Memory the sort and facet collectors write for every document they see, owned by a class and
// reached through pointers: a collector is a struct, and writing into its arrays would check
// their uniqueness (a runtime call) on every write.
//
// For: TopFieldCollector (the kept documents' keys) and FacetCollector (counts). Not for
// anything that outlives one search.

/// Zeroed raw memory, freed with the object, cut into regions each bound to one trivial type
/// (one allocation for all of a collector's arrays). Not generic: a generic class's deinit runs
/// unspecialized.
final class CollectorMemory: @unchecked Sendable {
    // The pointers never escape the collector that owns this object.
    private let raw: UnsafeMutablePointer<UInt64>
    /// The memory's size in 8-byte words.
    let words: Int

    /// Zeroed memory of `words` 8-byte words (at least one).
    init(words: Int) {
        self.words = max(1, words)
        raw = RawMemory.allocate(UInt64.self, capacity: self.words)
        raw.initialize(repeating: 0, count: self.words)
    }

    /// Zeroed memory for `count` values of `T` (a trivial type of at most 8-byte alignment),
    /// bound to `T` from its start: see ``region(at:_:count:)``.
    convenience init<T: BitwiseCopyable>(_: T.Type, count: Int) {
        self.init(words: (max(1, count) * MemoryLayout<T>.stride + 7) / 8)
    }

    deinit { RawMemory.free(raw) }

    /// The memory from word `word` on, bound to `count` values of `T` (each region is bound
    /// once, to one type, and used only as that type).
    func region<T: BitwiseCopyable>(at word: Int, _: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer(raw + word).bindMemory(to: T.self, capacity: max(1, count))
    }

    /// The whole memory as values of `T` (the type it was made for).
    func pointer<T: BitwiseCopyable>(_: T.Type) -> UnsafeMutablePointer<T> {
        region(at: 0, T.self, count: words * 8 / MemoryLayout<T>.stride)
    }
}
