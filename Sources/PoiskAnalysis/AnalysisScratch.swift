// Reusable work space for the analyzer, so analyzing many texts allocates nothing per text.
//
// For: the indexing path (one scratch per thread, reused for every document). Not for: sharing
// between threads, or caching stems (a hash probe costs about as much as the Snowball stemmer on a
// short word; the segment builder remembers whole words instead: Poisk's WordMemo).

/// Buffers reused across ``Analyzer/analyze(utf8:scratch:_:)`` calls.
public struct AnalysisScratch: Sendable {
    var buffer: [UInt8] = []
    var position = 0
    /// Raw memory for the normalizer's fast path (words up to `FastBuffer.capacity` bytes) and
    /// for the pending CJK character of a bigram run.
    let fast = FastBuffer()
    /// CJK bigrams: normalized length of the pending character (its bytes are at `fast.pending`);
    /// 0 when no run is open.
    var cjkPendingCount = 0
    /// CJK bigrams: byte range of the pending character's segment in the text.
    var cjkPendingStart = 0
    var cjkPendingEnd = 0
    /// CJK bigrams: whether the open run has emitted a bigram (else it ends as a unigram).
    var cjkRunHasBigram = false

    /// Bytes the scratch holds beyond its fixed buffers (its normalization buffer grows with the
    /// longest word it has seen); a pool of scratches drops one that grew large.
    package var growableBytes: Int { buffer.capacity }

    /// Creates an empty scratch.
    public init() {
        buffer.reserveCapacity(64)
    }
}

/// A fixed block of raw memory owned by one scratch (so one thread): the normalizer's fast-path
/// buffer, then room for one pending CJK character (at most `Analyzer.maxTermBytes` bytes).
final class FastBuffer: @unchecked Sendable {
    // Only the thread that owns the scratch touches the memory.
    static let capacity = 512
    static let pendingCapacity = 256
    let pointer: UnsafeMutablePointer<UInt8>
    /// `pendingCapacity` bytes after the fast-path buffer.
    var pending: UnsafeMutablePointer<UInt8> { pointer + FastBuffer.capacity }

    init() { pointer = RawMemory.allocate(UInt8.self, capacity: FastBuffer.capacity + FastBuffer.pendingCapacity) }
    deinit { RawMemory.free(pointer) }
}
