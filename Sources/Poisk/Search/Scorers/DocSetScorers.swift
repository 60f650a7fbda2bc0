// Scorers over document sets: a filter's matches as a leaf (scoring a constant, 0 for typed
// fields), and a scorer restricted to a set (a query with filters, inside a larger tree).
//
// For: the scorer tree of weights with filters (`Weight.filter`, `Weight.filtered`) where the
// planner cannot apply the filters to the whole segment (a filtered clause inside an OR). Not
// for: top-level filters, which the planner turns into the documents executors may collect.

/// The documents of a set, in order, each with a constant score.
final class DocSetScorer: Scorer {
    let docs: DocBitSet
    let constant: Double
    let text: String

    init(_ docs: DocBitSet, score: Double, text: String) {
        self.docs = docs
        self.constant = score
        self.text = text
    }

    override var cost: Int { docs.count }
    override func next() -> Int32 {
        doc = docs.next(atOrAfter: doc + 1)
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        doc = docs.next(atOrAfter: max(target, doc + 1))
        return doc
    }
    override func score() -> Double { constant }
    override func explanation() -> Explanation {
        Explanation(value: constant, description: "filter \(text) (no score)")
    }
}

/// The documents of `inner` that are in `accepted`, with inner's scores and explanations.
final class FilteredScorer: Scorer {
    let inner: Scorer
    let accepted: DocBitSet

    init(_ inner: Scorer, accepted: DocBitSet) {
        self.inner = inner
        self.accepted = accepted
    }

    override var cost: Int { min(inner.cost, accepted.count) }
    override var isCorrupt: Bool { inner.isCorrupt }

    private func settle(_ start: Int32) -> Int32 {
        var d = start
        while d != PostingsCursor.end && !accepted.contains(d) {
            let next = accepted.next(atOrAfter: d + 1)
            if next == PostingsCursor.end {
                d = next
                break
            }
            d = inner.advance(to: next)
        }
        doc = d
        return d
    }
    override func next() -> Int32 { settle(inner.next()) }
    override func advance(to target: Int32) -> Int32 { settle(inner.advance(to: target)) }
    override func score() -> Double { inner.score() }
    override func explanation() -> Explanation { inner.explanation() }
}
