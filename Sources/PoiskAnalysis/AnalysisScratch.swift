// Reusable work space for the analyzer, so analyzing many texts allocates nothing per text.
//
// For: the indexing path (one scratch per thread, reused for every document). Not for: sharing
// between threads. A stem cache was tried here and measured slower than stemming (a hash probe
// costs about as much as the Snowball stemmer on short words): see Benchmarks/README.md.

/// Buffers reused across ``Analyzer/analyze(utf8:scratch:_:)`` calls.
public struct AnalysisScratch: Sendable {
    var buffer: [UInt8] = []
    var position = 0

    /// Creates an empty scratch.
    public init() {
        buffer.reserveCapacity(64)
    }
}
