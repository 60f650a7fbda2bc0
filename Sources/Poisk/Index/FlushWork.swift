// The shared state of one flush's workers: the pieces of the batch they claim documents from, the
// tail a worker takes over from a slower one, and the plan they wait for.
//
// For: IndexWriter+Flush. Not for: building segments (SegmentBuilder).

/// The shared state of one flush's workers: which documents each piece (a contiguous range of the
/// batch, built into one segment) still holds, and each piece's outcome.
///
/// Workers claim their piece's documents one at a time. A worker whose last piece has no
/// documents left, before it finishes that piece's segment, may take over the back part of the
/// piece with the most estimated cost left, as a new piece it builds afterwards: when one core
/// runs slower than the other (this happens on shared machines) or the cost estimate was off, the
/// workers still end together. Every piece stays a contiguous range in document order.
final class FlushWork: Sendable {
    struct Piece {
        let start: Int
        var next: Int
        var end: Int
    }

    /// The outcome of building one piece.
    final class Result: @unchecked Sendable {
        // Written only by the worker that builds the piece, read after all workers finished.
        var docCount = 0
        var replaced: [Int32] = []
        var schema: Schema?
        var error: Error?
        /// The segment's bytes, when the flush keeps it in memory (for a near-real-time reader).
        var parts: [[UInt8]]?
    }

    /// The share of the remaining cost the taking worker gets: it adds those documents at once,
    /// but then finishes two segments (its own, as the other worker does, and the taken one:
    /// sorting and encoding take about a quarter as long as adding the documents did), so an
    /// even split would leave it last.
    static let takenShare = 0.45

    private let state: Protected<[Piece]>
    private let costPrefix: [Int]
    private let maxPieces: Int
    private let minTakenCost: Int
    /// One per possible piece: the initial chunks, then the pieces taken over, in that order.
    let results: [Result]
    /// The number of initial chunks (pieces `0..<initialPieces`).
    let initialPieces: Int

    /// - Parameters:
    ///   - chunks: the initial pieces, in document order.
    ///   - costPrefix: estimated cost of documents `0..<i` at index `i`.
    ///   - maxPieces: the most pieces there may be.
    ///   - minTakenCost: the least estimated cost a piece taken over must have.
    init(chunks: [Range<Int>], costPrefix: [Int], maxPieces: Int, minTakenCost: Int) {
        state = Protected(chunks.map { Piece(start: $0.lowerBound, next: $0.lowerBound, end: $0.upperBound) })
        self.costPrefix = costPrefix
        self.maxPieces = max(maxPieces, chunks.count)
        self.minTakenCost = minTakenCost
        results = (0..<max(maxPieces, chunks.count)).map { _ in Result() }
        initialPieces = chunks.count
    }

    /// The next document of `piece` for its builder, or nil when the piece has none left.
    func claim(_ piece: Int) -> Int? {
        state.withLock { pieces in
            guard pieces[piece].next < pieces[piece].end else { return nil }
            pieces[piece].next += 1
            return pieces[piece].next - 1
        }
    }

    /// Takes over the back part of the piece with the most estimated cost left, when that part
    /// is worth a segment; returns the new piece, or nil.
    func takeOver() -> Int? {
        state.withLock { pieces in
            guard pieces.count < maxPieces else { return nil }
            var best = -1
            var bestCost = 0
            for (i, p) in pieces.enumerated() where p.end - p.next >= 2 {
                let cost = costPrefix[p.end] - costPrefix[p.next]
                if cost > bestCost {
                    best = i
                    bestCost = cost
                }
            }
            let taken = Int(Double(bestCost) * FlushWork.takenShare)
            guard best >= 0, taken >= minTakenCost else { return nil }
            let victim = pieces[best]
            // The first document from which the cost to the piece's end is at most `taken`.
            let target = costPrefix[victim.end] - taken
            var lo = victim.next + 1
            var hi = victim.end - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if costPrefix[mid] < target { lo = mid + 1 } else { hi = mid }
            }
            pieces[best].end = lo
            pieces.append(Piece(start: lo, next: lo, end: victim.end))
            return pieces.count - 1
        }
    }

    /// Every piece's index and document range, in document order (after all workers finished).
    func pieces() -> [(index: Int, range: Range<Int>)] {
        state.withLock { pieces in
            pieces.enumerated().map { ($0.offset, $0.element.start..<$0.element.end) }
                .filter { !$0.1.isEmpty }
                .sorted { $0.1.lowerBound < $1.1.lowerBound }
        }
    }
}

/// The plan of a flush (its work and segment names), made by one worker and awaited by the
/// others.
final class FlushPlan: @unchecked Sendable {
    private let plan = Protected<(work: FlushWork, names: [String])?>(nil)

    func publish(_ plan: (work: FlushWork, names: [String])) {
        self.plan.withLock { $0 = plan }
    }

    /// The plan, once published (the workers wait for at most the planning of one batch);
    /// never nil in practice: worker 0 always publishes one before any worker waits for it.
    func wait() -> (work: FlushWork, names: [String])? {
        var spins = 0
        while true {
            if let plan = plan.current { return plan }
            spins += 1
            if spins > 1_000 { SystemThread.yield() }
        }
    }
}
