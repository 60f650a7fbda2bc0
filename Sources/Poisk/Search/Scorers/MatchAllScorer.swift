// The match-all scorer: every document of a segment, with a constant score.
//
// For: `*` and queries made only of negations (`-word`: every document except those). Not for:
// deletes (executors skip deleted documents).

/// Every live document, with a constant score.
final class MatchAllScorer: Scorer {
    let maxDoc: Int32
    let constant: Double

    init(maxDoc: Int, score: Double) {
        self.maxDoc = Int32(maxDoc)
        self.constant = score
    }

    override var cost: Int { Int(maxDoc) }
    override func next() -> Int32 {
        doc = doc + 1 < maxDoc ? doc + 1 : PostingsCursor.end
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        doc = target < maxDoc ? max(target, doc + 1) : PostingsCursor.end
        return doc
    }
    override func score() -> Double { constant }
    override func explanation() -> Explanation {
        Explanation(value: constant, description: "matches every document")
    }
}
