// Boolean combinations of scorers: conjunction (leapfrog), disjunction, exclusion, and required
// with optional clauses. Each sums its parts' scores in a fixed order (a conjunction by cost, the
// others in clause order), the order the window executors reproduce.
//
// For: the inner nodes of scorer trees. Not for: leaves (TermScorer, PhraseScorer,
// MatchAllScorer).

/// Documents matching every sub-scorer; the score is the sum.
final class ConjunctionScorer: Scorer {
    let scorers: [Scorer]
    /// `scorers`, unretained, for the leapfrog loop.
    private let refs: UnretainedList<Scorer>
    private let n: Int

    init(_ scorers: [Scorer]) {
        self.scorers = scorers.sorted { $0.cost < $1.cost }
        n = scorers.count
        refs = UnretainedList(self.scorers)
    }

    override var cost: Int { scorers.first?.cost ?? 0 }
    override var isCorrupt: Bool { scorers.contains { $0.isCorrupt } }

    override func next() -> Int32 {
        guard n > 0 else { return PostingsCursor.end }
        return align(refs.with(0) { $0.next() })
    }
    override func advance(to target: Int32) -> Int32 {
        guard n > 0 else { return PostingsCursor.end }
        return align(refs.with(0) { $0.advance(to: target) })
    }

    /// Leapfrog: advance every scorer to the candidate until all agree.
    private func align(_ start: Int32) -> Int32 {
        var candidate = start
        var i = 1
        while candidate != PostingsCursor.end && i < n {
            let target = candidate
            let d = refs.with(i) { $0.advance(to: target) }
            if d > candidate {
                candidate = refs.with(0) { $0.advance(to: d) }
                i = 1
            } else {
                i += 1
            }
        }
        doc = candidate
        return doc
    }

    override func score() -> Double {
        var sum = 0.0
        for i in 0..<n { sum += refs.with(i) { $0.score() } }
        return sum
    }
    override func explanation() -> Explanation { Explanation.sum(scorers.map { $0.explanation() }) }
}

/// Documents matching at least one sub-scorer; the score is the sum of those that match.
final class DisjunctionScorer: Scorer {
    let scorers: [Scorer]
    /// `scorers`, unretained, for the hot loops.
    private let refs: UnretainedList<Scorer>
    private let n: Int

    init(_ scorers: [Scorer]) {
        self.scorers = scorers
        n = scorers.count
        refs = UnretainedList(scorers)
    }

    override var cost: Int { scorers.reduce(0) { $0 + $1.cost } }
    override var isCorrupt: Bool { scorers.contains { $0.isCorrupt } }

    override func next() -> Int32 {
        let current = doc
        var smallest = PostingsCursor.end
        for i in 0..<n {
            let d = refs.with(i) { s -> Int32 in s.doc <= current ? s.next() : s.doc }
            if d < smallest { smallest = d }
        }
        doc = smallest
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        var smallest = PostingsCursor.end
        for i in 0..<n {
            let d = refs.with(i) { s -> Int32 in s.doc < target ? s.advance(to: target) : s.doc }
            if d < smallest { smallest = d }
        }
        doc = smallest
        return doc
    }
    override func score() -> Double {
        var sum = 0.0
        let current = doc
        for i in 0..<n { sum += refs.with(i) { s in s.doc == current ? s.score() : 0 } }
        return sum
    }
    override func explanation() -> Explanation {
        Explanation.sum(scorers.filter { $0.doc == doc }.map { $0.explanation() })
    }
}

/// Documents of `required` that do not match `excluded`.
final class ExclusionScorer: Scorer {
    let required: Scorer
    let excluded: Scorer

    init(required: Scorer, excluded: Scorer) {
        self.required = required
        self.excluded = excluded
    }

    override var cost: Int { required.cost }
    override var isCorrupt: Bool { required.isCorrupt || excluded.isCorrupt }

    private func skipExcluded(_ start: Int32) -> Int32 {
        var d = start
        while d != PostingsCursor.end {
            let e = excluded.doc < d ? excluded.advance(to: d) : excluded.doc
            if e != d { break }
            d = required.next()
        }
        doc = d
        return d
    }
    override func next() -> Int32 { skipExcluded(required.next()) }
    override func advance(to target: Int32) -> Int32 { skipExcluded(required.advance(to: target)) }
    override func score() -> Double { required.score() }
    override func explanation() -> Explanation { required.explanation() }
}

/// Documents of `required`; `optional` adds its score where it matches too.
final class RequiredOptionalScorer: Scorer {
    let required: Scorer
    let optional: Scorer

    init(required: Scorer, optional: Scorer) {
        self.required = required
        self.optional = optional
    }

    override var cost: Int { required.cost }
    override var isCorrupt: Bool { required.isCorrupt || optional.isCorrupt }
    override func next() -> Int32 {
        doc = required.next()
        return doc
    }
    override func advance(to target: Int32) -> Int32 {
        doc = required.advance(to: target)
        return doc
    }
    override func score() -> Double {
        var s = required.score()
        if optional.doc < doc { _ = optional.advance(to: doc) }
        if optional.doc == doc { s += optional.score() }
        return s
    }
    override func explanation() -> Explanation {
        if optional.doc < doc { _ = optional.advance(to: doc) }
        if optional.doc == doc { return Explanation.sum([required.explanation(), optional.explanation()]) }
        return Explanation.sum([required.explanation()])
    }
}
