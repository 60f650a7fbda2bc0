// The query planner: how a prepared query (a Weight) is executed, chosen in one place for every
// search, count and explanation.
//
// For: matching a weight's shape to an executor, running the plan over every segment into a
// collector, and explaining a hit by the same plan. Shapes, most specific first:
//
//     a sum of terms (a word over several fields, `a OR b`, prefix and fuzzy expansions)
//         per segment: one term present → TermBlocksExecutor; several → WindowedSumExecutor,
//         or BlockMaxWANDExecutor when pruning is allowed and its bounds are exact
//     a sum of terms and phrases (`"a b" OR c`)                        → WindowedSumExecutor
//     a conjunction of sums of terms whose rarest clause is frequent   → WindowedConjunctionExecutor
//     every document (`*:*`, filters alone)                             → DocSetExecutor
//     anything else, and every count                                   → ScorerTreeExecutor
//
// Filters at the top (typed-field clauses, FILTER clauses, excluded typed clauses) are taken off
// first: per segment they become the set of documents an executor may collect (the segment's
// deletes folded in), and the rest of the weight is planned as above, so `word AND
// section:driver-api` runs as the word alone over fewer documents and scores as the word alone.
// Behind a text query, a numeric, date or boolean filter over a columnar field is not read from
// the index at all: each candidate's value is checked in the column as it is collected (Lucene's
// IndexOrDocValuesQuery; a wide range's terms cost tens of microseconds, a check nanoseconds).
//
// Every executor adds a document's leaf scores (BM25) in the order the scorer tree adds them, so
// the plan changes how fast a query runs, never its hits or their scores; an explanation is built
// from the scorer tree of the same weight and has the hit's score, bit for bit.
// Not for: preparing the weight (WeightBuilder) or keeping results (collectors).

/// A weight and the executor shape chosen for it.
struct QueryPlan {
    /// How the segments are run.
    enum Shape {
        /// A sum of terms: one term's blocks, windows, or (`pruned`) Block-Max WAND per segment.
        case termSum([Weight], pruned: Bool)
        /// A sum of terms and phrases, by windows.
        case windowedSum([Weight])
        /// A conjunction of sums of terms, by windows.
        case windowedConjunction([[Weight]])
        /// The weight's scorer tree, document at a time.
        case scorerTree
        /// Every accepted document, with this score.
        case everyDocument(Double)
    }

    /// What the plan is for.
    enum Purpose {
        /// The top k by score; `exact` counts every match (no pruning).
        case topScores(k: Int, exact: Bool)
        /// A count of the matches (no scores).
        case count
    }

    /// The prepared query (what explanations follow).
    let weight: Weight
    /// The part of it that is run by `shape`: the weight without its top-level filters.
    let scoring: Weight
    /// The top-level filters (every one must match) and excluded clauses, applied per segment
    /// as the documents the executor may collect; empty when there are none.
    let filters: [Weight]
    let excluded: [Weight]
    /// How it is run.
    let shape: Shape

    init(weight: Weight, scoring: Weight? = nil, filters: [Weight] = [], excluded: [Weight] = [], shape: Shape) {
        self.weight = weight
        self.scoring = scoring ?? weight
        self.filters = filters
        self.excluded = excluded
        self.shape = shape
    }

    /// Whether the plan restricts the documents per segment.
    var isFiltered: Bool { !filters.isEmpty || !excluded.isEmpty }

    /// Whether the executor collects straight from the filters' accepted documents (the
    /// every-document shape), so that they need not be turned into deletes.
    var walksAcceptedDocuments: Bool {
        if case .everyDocument = shape { return true }
        return false
    }
}

/// Chooses a plan for a weight.
enum QueryPlanner {
    /// The plan for running `weight` for `purpose`.
    /// - Complexity: O(size of the weight).
    static func plan(_ weight: Weight, for purpose: QueryPlan.Purpose) -> QueryPlan {
        var scoring = weight
        var filters: [Weight] = []
        var excluded: [Weight] = []
        switch weight {
        case .filtered(let inner, let f, let e):
            (scoring, filters, excluded) = (inner, f, e)
        case .filter:
            (scoring, filters) = (.matchAll(0), [weight])
        default:
            break
        }
        func plan(_ shape: QueryPlan.Shape) -> QueryPlan {
            QueryPlan(weight: weight, scoring: scoring, filters: filters, excluded: excluded, shape: shape)
        }
        if case .matchAll(let score) = scoring { return plan(.everyDocument(score)) }
        guard case .topScores(let k, let exact) = purpose else { return plan(.scorerTree) }
        if let flat = scoring.flatTerms() {
            return plan(.termSum(flat, pruned: !exact && k > 0))
        }
        if let clauses = scoring.flatClauses(), clauses.count > 1 {
            // Terms and phrases summed (a term-only sum took the shape above).
            return plan(.windowedSum(clauses))
        }
        if let groups = scoring.flatConjunction(), leadCost(groups) >= windowedConjunctionMinCost {
            return plan(.windowedConjunction(groups))
        }
        return plan(.scorerTree)
    }

    /// A conjunction whose rarest clause matches fewer documents than this (summed over its
    /// terms and segments) runs through the scorer tree: its leapfrog costs less than setting up
    /// windows (measured on kernel-docs-en: the windows win from a few hundred documents).
    static let windowedConjunctionMinCost = 256

    /// The document count of a conjunction's rarest clause (the sum of its terms' document
    /// frequencies over all segments), from the entries looked up while the weight was built.
    static func leadCost(_ groups: [[Weight]]) -> Int {
        var lead = Int.max
        for group in groups {
            var cost = 0
            for w in group {
                guard case .term(let term) = w, let infos = term.infos else { return 0 }
                for info in infos { cost += info?.docFreq ?? 0 }
            }
            lead = min(lead, cost)
        }
        return lead == Int.max ? 0 : lead
    }
}

/// What running a plan did.
struct ExecutionStats {
    /// Documents whose score was computed.
    var scored = 0
    /// False when Block-Max WAND skipped documents (the collector's count is then a lower bound).
    var totalIsExact = true
}

extension IndexReader {
    /// Runs `plan` over every segment, in order, into `collector`.
    /// - Throws: `PoiskError.corruptIndex` when postings or positions are damaged.
    /// - Complexity: O(matching postings) for the exhaustive shapes; less with pruning.
    func execute<C: Collector>(_ plan: QueryPlan, into collector: inout C) throws -> ExecutionStats {
        var stats = ExecutionStats()
        for (index, segmentView) in segments.enumerated() {
            collector.beginSegment(index)
            var view = segmentView
            var accepted: DocBitSet?
            if plan.isFiltered {
                // Behind a text query, numeric filters over columns are checked per candidate
                // (its value read from the column); the other filters become the documents the
                // executor may collect, live ones only, as the view's deletes.
                var filters = plan.filters
                var checks: [ValueCheck] = []
                if plan.scoring.isText {
                    filters = try filters.filter { filter in
                        guard case .filter(let terms) = filter, let range = terms.sortableRange,
                            case .numeric(let column) = try view.reader.column(named: terms.field)
                        else { return true }
                        checks.append(ValueCheck(column: column, lower: range.lower, upper: range.upper))
                        return false
                    }
                }
                if !filters.isEmpty || !plan.excluded.isEmpty {
                    guard
                        let docs = try Weight.accepted(
                            filters: filters, excluded: plan.excluded, in: view, excludingDeleted: true)
                    else { continue }
                    accepted = docs
                    // The every-document executor walks `accepted` itself; the others see the
                    // documents it leaves out as deleted.
                    if !plan.walksAcceptedDocuments {
                        view = SegmentView(reader: view.reader, deleted: docs.complement, deleteGeneration: view.deleteGeneration)
                        view.index = segmentView.index
                    }
                }
                view.valueChecks = checks
            }
            switch plan.shape {
            case .termSum(let flat, let pruned):
                let terms = try TermScorer.scorers(flat, in: view)
                if terms.isEmpty { continue }
                if pruned && BlockMaxWAND.canPrune(terms) {
                    stats.totalIsExact = false
                    stats.scored += try BlockMaxWANDExecutor.run(terms, view: view, into: &collector)
                } else if terms.count == 1 {
                    stats.scored += try TermBlocksExecutor.run(terms[0], view: view, into: &collector)
                } else {
                    stats.scored += try WindowedSumExecutor.run(
                        terms.map { .term($0) }, in: self, view: view, into: &collector)
                }
            case .windowedSum(let clauses):
                var window: [WindowClause] = []
                for clause in clauses {
                    if case .term = clause {
                        if let t = try TermScorer.scorers([clause], in: view).first {
                            window.append(.term(t))
                        }
                    } else if let s = try clause.scorer(in: view) {
                        window.append(.other(s))
                    }
                }
                if window.isEmpty { continue }
                stats.scored += try WindowedSumExecutor.run(window, in: self, view: view, into: &collector)
            case .windowedConjunction(let groups):
                stats.scored += try WindowedConjunctionExecutor.run(
                    groups, in: self, segment: index, view: view, into: &collector)
            case .scorerTree:
                guard let scorer = try plan.scoring.scorer(in: view) else { continue }
                stats.scored += try ScorerTreeExecutor.run(scorer, view: view, into: &collector)
            case .everyDocument(let score):
                stats.scored += DocSetExecutor.run(accepted, score: score, view: view, into: &collector)
            }
        }
        return stats
    }

    /// How document `doc` of segment `segment` got `score` under `plan`: the scorer tree of the
    /// plan's weight, whose sums add the same leaves in the same order as every executor, so the
    /// explanation's value is `score` bit for bit. The root is always a sum, even of one leaf.
    func explain(_ plan: QueryPlan, segment: Int, doc: Int32, score: Double) throws -> Explanation {
        guard let scorer = try plan.weight.scorer(in: segments[segment]), scorer.advance(to: doc) == doc else {
            return Explanation(value: score, description: "no match")
        }
        let explanation = scorer.explanation()
        return explanation.description == Explanation.sumDescription ? explanation : Explanation.sum([explanation])
    }
}

extension Weight {
    /// When this weight is a conjunction (at least two required clauses, nothing optional or
    /// excluded) of clauses that are each a sum of terms (a word searched in several fields): the
    /// clauses' term leaves. Such a query is collected by windows of documents
    /// (`WindowedConjunctionExecutor`) instead of a tree of scorers.
    func flatConjunction() -> [[Weight]]? {
        switch self {
        case .boolean(let must, let should, let mustNot) where must.count >= 2 && should.isEmpty && mustNot.isEmpty:
            var groups: [[Weight]] = []
            for w in must {
                guard let terms = w.flatTerms(), !terms.isEmpty else { return nil }
                groups.append(terms)
            }
            return groups
        default: return nil
        }
    }

    /// The leaves of a sum of terms (`a OR b`, a word over several fields, a prefix's
    /// expansions): the shape Block-Max WAND handles; nil when the weight is anything else.
    func flatTerms() -> [Weight]? { flatLeaves(phrases: false) }

    /// Like ``flatTerms()``, but the leaves may also be phrases: a sum of terms and phrases
    /// (`"a b" OR c` over several fields); nil otherwise.
    func flatClauses() -> [Weight]? { flatLeaves(phrases: true) }

    private func flatLeaves(phrases: Bool) -> [Weight]? {
        var leaves: [Weight] = []
        return appendLeaves(phrases: phrases, to: &leaves) ? leaves : nil
    }

    /// Appends this weight's leaves to `leaves` when it is a sum of terms (and, with `phrases`,
    /// phrases); false otherwise. One array for the whole sum.
    private func appendLeaves(phrases: Bool, to leaves: inout [Weight]) -> Bool {
        switch self {
        case .term:
            leaves.append(self)
            return true
        case .phrase where phrases:
            leaves.append(self)
            return true
        case .any(let ws):
            for w in ws where !w.appendLeaves(phrases: phrases, to: &leaves) { return false }
            return true
        case .boolean(let must, let should, let mustNot) where must.isEmpty && mustNot.isEmpty && !should.isEmpty:
            for w in should where !w.appendLeaves(phrases: phrases, to: &leaves) { return false }
            return true
        default:
            return false
        }
    }
}
