// The scorer base class: a per-segment iterator over matching documents, in increasing document
// order, that also scores and explains the current document.
//
// For: the scorer tree built from a weight (`Weight.scorer(in:)`), run by ScorerTreeExecutor and
// used by the window executors for phrases. One scorer kind per file: TermScorer, PhraseScorer,
// BooleanScorers (conjunction, disjunction, exclusion, required + optional), MatchAllScorer.
// Not for: collection statistics (Weight) or keeping results (collectors: scorers never see one).

import Foundation

/// Unretained references to objects another property keeps alive, for hot loops that would
/// otherwise retain and release every element they touch.
final class UnretainedList<T: AnyObject> {
    let count: Int
    /// The references, typed only where they are read: the deinit of a generic class runs
    /// unspecialized, and freeing a typed pointer there looked up `Unmanaged<T>`'s metadata at
    /// run time on every query (some 300 instructions, and cold runtime tables).
    private let raw: UnsafeMutableRawPointer

    init(_ objects: [T]) {
        count = objects.count
        let refs = RawMemory.allocate(Unmanaged<T>.self, capacity: objects.count)
        for (i, o) in objects.enumerated() { (refs + i).initialize(to: .passUnretained(o)) }
        raw = UnsafeMutableRawPointer(refs)
    }

    deinit { RawMemory.free(raw.assumingMemoryBound(to: UInt8.self)) }

    /// Calls `body` with element `i` without retaining it.
    @inline(__always)
    func with<R>(_ i: Int, _ body: (T) -> R) -> R {
        raw.assumingMemoryBound(to: Unmanaged<T>.self)[i]._withUnsafeGuaranteedRef(body)
    }
}

/// The base of every scorer. Subclasses override `next`, `advance(to:)` and `score`.
class Scorer {
    /// The current document, -1 before the first call, `PostingsCursor.end` at the end.
    var doc: Int32 = -1
    /// An estimate of how many documents the scorer will visit (for ordering conjunctions).
    var cost: Int { 0 }
    /// Moves to the next matching document.
    func next() -> Int32 { PostingsCursor.end }
    /// Moves to the first matching document >= target.
    func advance(to target: Int32) -> Int32 {
        var d = doc
        while d < target { d = next() }
        return d
    }
    /// The score of the current document.
    func score() -> Double { 0 }
    /// True when any postings the scorer read were damaged.
    var isCorrupt: Bool { false }
    /// How the current document's score came about. Its `value` is ``score()``, bit for bit:
    /// a leaf's comes from ``BM25/explanation(_:tf:length:phrase:)``, a sum's is formed from its
    /// parts in the order ``score()`` adds them.
    func explanation() -> Explanation { Explanation(value: score(), description: "score") }
}
