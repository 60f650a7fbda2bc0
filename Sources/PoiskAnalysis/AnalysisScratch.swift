// Reusable work space for the analyzer, so analyzing many texts allocates nothing per text.
//
// For: the indexing path (one scratch per thread, reused for every document). Not for: sharing
// between threads. A stem cache was tried here and measured slower than stemming (a hash probe
// costs about as much as the Snowball stemmer on short words): see Benchmarks/README.md.

/// Buffers reused across ``Analyzer/analyze(utf8:scratch:_:)`` calls.
public struct AnalysisScratch: Sendable {
    var buffer: [UInt8] = []
    var position = 0
    /// Raw memory for the normalizer's fast path (words up to `FastBuffer.capacity` bytes).
    let fast = FastBuffer()

    /// Creates an empty scratch.
    public init() {
        buffer.reserveCapacity(64)
    }
}

/// A fixed block of raw memory owned by one scratch (so one thread).
final class FastBuffer: @unchecked Sendable {
    // Only the thread that owns the scratch touches the memory.
    static let capacity = 512
    let pointer: UnsafeMutablePointer<UInt8>

    init() { pointer = .allocate(capacity: FastBuffer.capacity) }
    deinit { pointer.deallocate() }
}
