// Searching a snapshot: query → weight → per-segment scorers → top-k collector → hits with
// stored fields, snippets and (on request) explanations.
//
// For: the public search API. Not for: query syntax (QueryParser) or scoring math (Scorers).

import Foundation

/// How matched words are marked in snippets.
public enum HighlightStyle: String, Sendable, Hashable, Codable, CaseIterable {
    /// `**word**`
    case markdown
    /// ANSI bold, for terminals.
    case ansi
    /// `<mark>word</mark>`, with the rest of the text HTML-escaped.
    case html
    /// No marks.
    case none
}

/// Options of one search.
public struct SearchOptions: Sendable, Hashable {
    /// How many hits to return. Default 10.
    public var limit: Int
    /// How many top hits to skip (for paging). Default 0.
    public var offset: Int
    /// Fields searched by words without `field:`, with their boosts; nil = the schema's
    /// default fields (`title`^2 and `body`).
    public var fields: [String: Double]?
    /// BM25's term-frequency saturation. Default 1.2.
    public var k1: Double
    /// BM25's length normalization. Default 0.75.
    public var b: Double
    /// Operator between juxtaposed words in a query string. Default AND.
    public var defaultOperator: QueryParser.DefaultOperator
    /// Approximate snippet length in characters, per fragment. Default 200.
    public var snippetLength: Int
    /// How many fragments a snippet may join (the best non-overlapping ones, in text order).
    /// Default 1.
    public var snippetFragments: Int
    /// The field snippets are taken from. Default `body`.
    public var snippetField: String
    /// Marks around matched words in snippets. Default Markdown.
    public var highlight: HighlightStyle
    /// Also match Latin ↔ Cyrillic transliterations of query words (scored lower). Default off.
    public var transliterate: Bool
    /// Attach a score explanation to each hit. Default off.
    public var explain: Bool
    /// Cap on terms a prefix or fuzzy word expands to (highest document frequency first). Default 64.
    public var maxExpansions: Int
    /// Count every match exactly (default). When false, disjunctions of terms use Block-Max WAND
    /// and skip documents that cannot reach the top hits; ``SearchResults/total`` is then a
    /// lower bound (``SearchResults/totalIsExact`` is false). The hits are the same either way.
    public var exactTotal: Bool

    /// Creates options; every parameter has the default documented on its property.
    public init(
        limit: Int = 10, offset: Int = 0, fields: [String: Double]? = nil, k1: Double = 1.2, b: Double = 0.75,
        defaultOperator: QueryParser.DefaultOperator = .and, snippetLength: Int = 200, snippetField: String = "body",
        highlight: HighlightStyle = .markdown, transliterate: Bool = false, explain: Bool = false,
        maxExpansions: Int = 64, exactTotal: Bool = true, snippetFragments: Int = 1
    ) {
        self.limit = limit
        self.offset = offset
        self.fields = fields
        self.k1 = k1
        self.b = b
        self.defaultOperator = defaultOperator
        self.snippetLength = snippetLength
        self.snippetField = snippetField
        self.highlight = highlight
        self.transliterate = transliterate
        self.explain = explain
        self.maxExpansions = maxExpansions
        self.exactTotal = exactTotal
        self.snippetFragments = snippetFragments
    }
}

/// How a score was computed (like Lucene's Explanation).
public struct Explanation: Sendable, Hashable, Codable {
    /// The value this node contributes.
    public var value: Double
    /// What the value is.
    public var description: String
    /// The parts it is made of.
    public var details: [Explanation]

    /// Creates an explanation node.
    public init(value: Double, description: String, details: [Explanation] = []) {
        self.value = value
        self.description = description
        self.details = details
    }

    /// An indented, human-readable rendering.
    public func rendered(indent: Int = 0) -> String {
        var s = String(repeating: "  ", count: indent) + "\(fmt(value)) \(description)\n"
        for d in details { s += d.rendered(indent: indent + 1) }
        return s
    }
}

/// One search result.
public struct SearchHit: Sendable, Hashable {
    /// The document's id.
    public var id: String
    /// The BM25 score.
    public var score: Double
    /// The stored fields.
    public var document: Document
    /// The best fragment of the snippet field, matches marked in the chosen style.
    public var snippet: String
    /// UTF-8 byte ranges of matched words in the snippet field's full text, in text order (for
    /// your own highlighting). Matched CJK bigrams that overlap are joined into one range.
    public var matches: [Range<Int>]
    /// The score's explanation, when requested.
    public var explanation: Explanation?

    /// The `title` field.
    public var title: String { document.title }
}

/// The answer to a search: a collection of the returned hits, best first, with the total.
///
/// As a collection, `SearchResults` holds the hits of this page (``hits``): `results.count` is
/// how many were returned (at most ``SearchOptions/limit``), ``total`` how many documents match.
///
/// ```swift
/// for hit in try reader.search("patriot") { print(hit.id, hit.score) }
/// ```
public struct SearchResults: Sendable, Hashable, RandomAccessCollection {
    /// The number of matching documents: exact unless the search pruned (see
    /// ``SearchOptions/exactTotal``).
    public var total: Int
    /// Whether ``total`` is exact.
    public var totalIsExact: Bool = true
    /// The hits, best first.
    public var hits: [SearchHit]
    /// Wall time of the search, in milliseconds.
    public var tookMilliseconds: Double

    /// The first hit's position: 0.
    public var startIndex: Int { hits.startIndex }
    /// One past the last hit's position: the number of hits returned.
    public var endIndex: Int { hits.endIndex }
    /// The hit at `position` (0 is the best).
    public subscript(position: Int) -> SearchHit { hits[position] }
}

extension IndexReader {
    /// Parses and runs a query string.
    /// - Parameters:
    ///   - query: the query in Poisk's query syntax (see QuerySyntax).
    ///   - options: limits, fields, BM25 parameters, snippets.
    /// - Throws: `PoiskError.invalidQuery` for syntax errors, `.unknownField`, `.corruptIndex`.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        let parsed = try QueryParser(defaultOperator: options.defaultOperator).parse(query)
        return try search(parsed, options: options)
    }

    /// Runs a query tree.
    /// - Complexity: O(matching postings) plus O(k log k) for the top k, plus snippet work per hit.
    public func search(_ query: Query, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        let started = DispatchTime.now().uptimeNanoseconds
        guard options.limit >= 0, options.offset >= 0 else {
            throw PoiskError.invalidArgument(reason: "limit and offset must not be negative")
        }
        let weight = try prepare(query, options: options)
        let collector = try topDocs(weight, k: options.limit + options.offset, exact: options.exactTotal)
        var hits: [SearchHit] = []
        var terms: [String: Set<[UInt8]>] = [:]
        weight.highlightTerms(into: &terms)
        let highlighter = Highlighter(terms: terms, field: options.snippetField, analyzer: analyzer(for: options.snippetField))
        for entry in collector.sorted().dropFirst(options.offset) {
            let view = segments[entry.segment]
            let document = try view.reader.document(entry.doc)
            let text = document[options.snippetField] ?? ""
            let snippet = highlighter.snippet(
                of: text, length: options.snippetLength, fragments: options.snippetFragments, style: options.highlight)
            var explanation: Explanation?
            if options.explain { explanation = try explain(weight, segment: entry.segment, doc: entry.doc, score: entry.score) }
            hits.append(
                SearchHit(
                    id: document.id, score: entry.score, document: document, snippet: snippet.text,
                    matches: snippet.matches, explanation: explanation))
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        return SearchResults(
            total: collector.total, totalIsExact: options.exactTotal || collector.exact, hits: hits, tookMilliseconds: took)
    }

    /// The top k (segment, doc, score) and the exact total, without loading documents (the
    /// benchmark's timed path; ``search(_:options:)`` adds stored fields and snippets).
    package func topDocuments(
        _ query: Query, options: SearchOptions
    ) throws -> (total: Int, hits: [(segment: Int, doc: Int32, score: Double)], scored: Int) {
        let collector = try topDocs(try prepare(query, options: options), k: options.limit + options.offset, exact: options.exactTotal)
        return (collector.total, collector.sorted().dropFirst(options.offset).map { ($0.segment, $0.doc, $0.score) }, collector.scored)
    }

    /// The id of a document found by ``topDocuments(_:options:)``.
    package func documentID(segment: Int, doc: Int32) throws -> String {
        try segments[segment].reader.document(doc).id
    }

    func topDocs(_ weight: Weight, k: Int, exact: Bool = true) throws -> TopDocsCollector {
        var collector = TopDocsCollector(k: k)
        if let flat = weight.flatTerms() {
            // A sum of terms: one flat list of term scorers, boosts folded in, summed in the same
            // order whether pruned or not, so both paths give bit-identical scores.
            try collectFlat(flat, pruned: !exact && k > 0, into: &collector)
            return collector
        }
        if let clauses = weight.flatClauses(), clauses.count > 1 {
            // Terms and phrases summed (no term-only sum: that took the path above).
            try collectMixed(clauses, into: &collector)
            return collector
        }
        if let groups = weight.flatConjunction(), IndexReader.leadCost(groups) >= IndexReader.windowedConjunctionMinCost {
            try collectConjunction(groups, into: &collector)
            return collector
        }
        try collect(weight) { segment, doc, score in collector.collect(segment: segment, doc: doc, score: score) }
        collector.scored = collector.total
        return collector
    }

    /// Top-k over a conjunction of sums of terms (`a AND b`, each word in several fields), by
    /// windows of 2048 documents: the rarest clause's terms mark and score their documents in
    /// the window; each further clause (rarer first) scores only the documents still in, its
    /// terms advancing straight to them; the documents every clause matched are collected. The
    /// same sums, in the same order, as the scorer tree (clauses by cost, a clause's terms in
    /// order), without a virtual call per document and term.
    func collectConjunction(_ groups: [[Weight]], into collector: inout TopDocsCollector) throws {
        try withWindowBuffers { buffers in try collectConjunction(groups, buffers, into: &collector) }
    }

    private func collectConjunction(
        _ groups: [[Weight]], _ buffers: WindowBuffers, into collector: inout TopDocsCollector
    ) throws {
        let windowSize = Int32(WindowBuffers.size)
        let words = WindowBuffers.words
        let total = buffers.scores
        let clause = buffers.partial
        let candidates = buffers.seen
        let matched = buffers.matched
        segments: for (index, view) in segments.enumerated() {
            var clauses: [[TermScorer]] = []
            for group in groups {
                let terms = try termScorers(group, segment: index, view: view)
                // A clause with no term in this segment: nothing here matches.
                if terms.isEmpty { continue segments }
                clauses.append(terms)
            }
            // Rarest clause first (as the scorer tree orders a conjunction); stable for ties.
            let costs = clauses.map { $0.reduce(0) { $0 + $1.cost } }
            let order = clauses.indices.sorted { costs[$0] < costs[$1] || (costs[$0] == costs[$1] && $0 < $1) }
            clauses = order.map { clauses[$0] }
            let lead = clauses[0]
            var leadDocs = lead.map { $0.next() }
            let hasDeletions = view.deleted != nil
            windows: while true {
                var minDoc = PostingsCursor.end
                for d in leadDocs where d < minDoc { minDoc = d }
                if minDoc == PostingsCursor.end { break }
                let base = minDoc & ~(windowSize - 1)
                let limit = base &+ windowSize
                // The lead clause: every document of its terms in the window.
                for i in lead.indices where leadDocs[i] < limit {
                    leadDocs[i] = lead[i].accumulate(base: base, limit: limit, scores: clause, seen: candidates)
                }
                Self.addClause(clause, into: total, bits: candidates, words: words)
                // Further clauses: only the documents still in.
                for c in 1..<clauses.count {
                    for term in clauses[c] where term.doc != PostingsCursor.end {
                        term.accumulate(base: base, candidates: candidates, words: words, scores: clause, matched: matched)
                    }
                    // Documents this clause missed leave; the rest add the clause's sum.
                    var any: UInt64 = 0
                    for w in 0..<words where candidates[w] != 0 {
                        var gone = candidates[w] & ~matched[w]
                        while gone != 0 {
                            total[w &* 64 &+ gone.trailingZeroBitCount] = 0
                            gone &= gone &- 1
                        }
                        candidates[w] &= matched[w]
                        any |= candidates[w]
                    }
                    Self.addClause(clause, into: total, bits: matched, words: words)
                    for w in 0..<words { matched[w] = 0 }
                    if any == 0 { break }
                }
                for w in 0..<words where candidates[w] != 0 {
                    var bits = candidates[w]
                    while bits != 0 {
                        let offset = w &* 64 &+ bits.trailingZeroBitCount
                        let d = base &+ Int32(offset)
                        if !hasDeletions || view.isLive(d) {
                            collector.collect(segment: index, doc: d, score: total[offset])
                            collector.scored += 1
                        }
                        total[offset] = 0
                        bits &= bits &- 1
                    }
                    candidates[w] = 0
                }
                // Every clause but the lead may have run out: no later window can match.
                for c in 1..<clauses.count where clauses[c].allSatisfy({ $0.doc == PostingsCursor.end }) {
                    break windows
                }
            }
            if clauses.contains(where: { $0.contains { $0.isCorrupt } }) {
                throw PoiskError.corruptIndex(
                    file: view.reader.fileName, section: "postings", reason: "postings fail structural checks")
            }
        }
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
                guard case .term(_, _, _, _, let infos) = w, let infos else { return 0 }
                for info in infos { cost += info?.docFreq ?? 0 }
            }
            lead = min(lead, cost)
        }
        return lead == Int.max ? 0 : lead
    }

    /// `total[o] = total[o] + clause[o]` for every set bit `o` (one clause's sum added to the
    /// documents' running sums, as the scorer tree adds a sub-scorer's score), clearing
    /// `clause[o]`.
    @inline(__always)
    static func addClause(
        _ clause: UnsafeMutablePointer<Double>, into total: UnsafeMutablePointer<Double>,
        bits: UnsafeMutablePointer<UInt64>, words: Int
    ) {
        for w in 0..<words where bits[w] != 0 {
            var b = bits[w]
            while b != 0 {
                let o = w &* 64 &+ b.trailingZeroBitCount
                total[o] = total[o] + clause[o]
                clause[o] = 0
                b &= b &- 1
            }
        }
    }

    /// Term scorers for a flat list of terms in segment `index` (terms absent from the segment
    /// left out), from the entries looked up while the weight was built.
    func termScorers(_ flat: [Weight], segment index: Int, view: SegmentView) throws -> [TermScorer] {
        var terms: [TermScorer] = []
        for w in flat {
            guard case .term(let field, let term, let text, let bm25, let infos) = w else { continue }
            guard let f = view.reader.fieldID(field),
                let info = try infos.map({ index < $0.count ? $0[index] : nil })
                    ?? term.withUnsafeBytes({ try view.reader.termInfo(field: f, term: $0) }),
                let cursor = try view.reader.postings(field: f, info: info)
            else { continue }
            terms.append(TermScorer(cursor: cursor, bm25: bm25, segment: view.reader, field: f, fieldName: field, term: text))
        }
        return terms
    }

    /// Top-k over a flat disjunction of terms: exhaustive, or with Block-Max WAND.
    func collectFlat(_ flat: [Weight], pruned: Bool, into collector: inout TopDocsCollector) throws {
        for (index, view) in segments.enumerated() {
            let terms = try termScorers(flat, segment: index, view: view)
            if terms.isEmpty { continue }
            if pruned && WANDScorer.canPrune(terms) {
                collector.exact = false
                let wand = WANDScorer(terms)
                var doc = wand.next(threshold: collector.threshold)
                while doc != PostingsCursor.end {
                    if view.isLive(doc) { collector.collect(segment: index, doc: doc, score: wand.score()) }
                    doc = wand.next(threshold: collector.threshold)
                }
                collector.scored += wand.scored
                if wand.isCorrupt {
                    throw PoiskError.corruptIndex(
                        file: view.reader.fileName, section: "postings", reason: "postings fail structural checks")
                }
            } else {
                // Exhaustive: one term scores whole decoded blocks; several terms add their scores
                // into windows of 2048 documents, term after term (sums in term order, as on the
                // pruned path), then each window's matches are collected in doc order.
                let n = terms.count
                if n == 1 {
                    // One term: whole decoded blocks, scored in a tight loop.
                    let scored = terms[0].collectAll(segment: index, view: view, into: &collector)
                    collector.scored += scored
                    if terms[0].isCorrupt {
                        throw PoiskError.corruptIndex(
                            file: view.reader.fileName, section: "postings", reason: "postings fail structural checks")
                    }
                    continue
                }
                try collectWindows(terms.map { .term($0) }, segment: index, view: view, into: &collector)
            }
        }
    }

    /// Top-k over a sum of terms and phrases (`"a b" OR c`, each in several fields): like the
    /// exhaustive path of ``collectFlat(_:pruned:into:)``, each clause adds its scores into windows
    /// of 2048 documents, clause after clause, instead of a tree of disjunction scorers with a
    /// virtual call per document and clause.
    func collectMixed(_ clauses: [Weight], into collector: inout TopDocsCollector) throws {
        for (index, view) in segments.enumerated() {
            var window: [WindowClause] = []
            for clause in clauses {
                if case .term = clause {
                    if let t = try termScorers([clause], segment: index, view: view).first { window.append(.term(t)) }
                } else if let s = try clause.scorer(in: view) {
                    window.append(.other(s))
                }
            }
            if window.isEmpty { continue }
            try collectWindows(window, segment: index, view: view, into: &collector)
        }
    }

    /// Adds every clause's scores into windows of 2048 documents (in clause order, so each
    /// document's sum is formed in that order), then collects each window's matches in doc order.
    func collectWindows(
        _ clauses: [WindowClause], segment index: Int, view: SegmentView, into collector: inout TopDocsCollector
    ) throws {
        try withWindowBuffers { buffers in
            try collectWindows(clauses, buffers, segment: index, view: view, into: &collector)
        }
    }

    private func collectWindows(
        _ clauses: [WindowClause], _ buffers: WindowBuffers, segment index: Int, view: SegmentView,
        into collector: inout TopDocsCollector
    ) throws {
        let n = clauses.count
        var docs = clauses.map { $0.next() }
        let windowSize = Int32(WindowBuffers.size)
        let scores = buffers.scores
        let words = WindowBuffers.words
        let seen = buffers.seen
        let hasDeletions = view.deleted != nil
        while true {
            var minDoc = PostingsCursor.end
            for i in 0..<n where docs[i] < minDoc { minDoc = docs[i] }
            if minDoc == PostingsCursor.end { break }
            let base = minDoc & ~(windowSize - 1)
            let limit = base &+ windowSize
            for i in 0..<n where docs[i] < limit {
                docs[i] = clauses[i].accumulate(base: base, limit: limit, scores: scores, seen: seen)
            }
            for w in 0..<words where seen[w] != 0 {
                var bits = seen[w]
                while bits != 0 {
                    let offset = w * 64 + bits.trailingZeroBitCount
                    let d = base + Int32(offset)
                    if !hasDeletions || view.isLive(d) {
                        collector.collect(segment: index, doc: d, score: scores[offset])
                        collector.scored += 1
                    }
                    scores[offset] = 0
                    bits &= bits - 1
                }
                seen[w] = 0
            }
        }
        if clauses.contains(where: { $0.isCorrupt }) {
            throw PoiskError.corruptIndex(
                file: view.reader.fileName, section: "postings", reason: "postings or positions fail structural checks")
        }
    }

    /// Parses a query string and counts the documents it matches, without loading them.
    /// - Parameters:
    ///   - query: the query in Poisk's query syntax.
    ///   - options: the fields, default operator and expansions that decide what matches (limits,
    ///     snippets and BM25 parameters do not change a count).
    /// - Throws: `PoiskError.invalidQuery` for syntax errors, `.unknownField`, `.corruptIndex`.
    public func count(_ query: String, options: SearchOptions = SearchOptions()) throws -> Int {
        let parsed = try QueryParser(defaultOperator: options.defaultOperator).parse(query)
        return try count(parsed, options: options)
    }

    /// Counts matching documents without scoring or loading them.
    public func count(_ query: Query, options: SearchOptions = SearchOptions()) throws -> Int {
        let weight = try prepare(query, options: options)
        var total = 0
        try collect(weight) { _, _, _ in total += 1 }
        return total
    }

    func prepare(_ query: Query, options: SearchOptions) throws -> Weight {
        let defaults: [(String, Double)]
        if let fields = options.fields {
            for name in fields.keys where schema.fieldID(name) == nil { throw PoiskError.unknownField(name: name) }
            defaults = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        } else {
            defaults = defaultFields
        }
        let context = WeightContext(
            reader: self, k1: options.k1, b: options.b, defaultFields: defaults,
            maxExpansions: max(1, options.maxExpansions), transliterate: options.transliterate)
        return try context.build(query)
    }

    /// Calls `body` for every live matching document of every segment.
    func collect(_ weight: Weight, _ body: (Int, Int32, Double) -> Void) throws {
        for (index, view) in segments.enumerated() {
            guard let scorer = try weight.scorer(in: view) else { continue }
            var doc = scorer.next()
            while doc != PostingsCursor.end {
                if view.isLive(doc) { body(index, doc, scorer.score()) }
                doc = scorer.next()
            }
            if scorer.isCorrupt {
                throw PoiskError.corruptIndex(
                    file: view.reader.fileName, section: "postings", reason: "postings or positions fail structural checks")
            }
        }
    }

    func explain(_ weight: Weight, segment: Int, doc: Int32, score: Double) throws -> Explanation {
        guard let scorer = try weight.scorer(in: segments[segment]), scorer.advance(to: doc) == doc else {
            return Explanation(value: score, description: "no match")
        }
        let explanation = scorer.explanation()
        // The root is always a sum, even of one leaf.
        return explanation.description == "sum of:" ? explanation : sumExplanation([explanation])
    }
}

/// Keeps the k best (score, segment, doc), ties broken by index order.
struct TopDocsCollector {
    struct Entry {
        var score: Double
        var segment: Int
        var doc: Int32

        /// True when `self` ranks below `other`.
        @inline(__always)
        func ranksBelow(_ other: Entry) -> Bool {
            if score != other.score { return score < other.score }
            if segment != other.segment { return segment > other.segment }
            return doc > other.doc
        }
    }

    let k: Int
    private(set) var total = 0
    /// Documents whose score was computed.
    var scored = 0
    /// False when pruning skipped documents (then `total` counts only those scored).
    var exact = true
    private var heap: [Entry] = []  // min-heap by rank: heap[0] is the worst kept

    /// The score a document must beat to enter the top k (−∞ until k are collected).
    var threshold: Double { heap.count < k ? -Double.infinity : heap[0].score }

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(min(k, 1024))
    }

    mutating func collect(segment: Int, doc: Int32, score: Double) {
        total += 1
        guard k > 0 else { return }
        let entry = Entry(score: score, segment: segment, doc: doc)
        if heap.count < k {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if heap[0].ranksBelow(entry) {
            heap[0] = entry
            siftDown(0)
        }
    }

    private mutating func siftUp(_ i: Int) {
        var i = i
        while i > 0 {
            let parent = (i - 1) / 2
            if heap[i].ranksBelow(heap[parent]) {
                heap.swapAt(i, parent)
                i = parent
            } else {
                break
            }
        }
    }

    private mutating func siftDown(_ i: Int) {
        var i = i
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < heap.count && heap[l].ranksBelow(heap[m]) { m = l }
            if r < heap.count && heap[r].ranksBelow(heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }

    /// The kept entries, best first.
    func sorted() -> [Entry] { heap.sorted { $1.ranksBelow($0) } }
}

/// One clause of a windowed sum: a term (scored block by block from its cursor) or any other
/// scorer (a phrase).
enum WindowClause {
    case term(TermScorer)
    case other(Scorer)

    /// Moves to the clause's first (or next) document.
    @inline(__always)
    func next() -> Int32 {
        switch self {
        case .term(let t): return t.next()
        case .other(let s): return s.next()
        }
    }

    /// Adds the clause's scores of documents in `base..<limit` into `scores` (indexed from
    /// `base`), marks them in `seen`, and returns the first document at or past `limit`.
    @inline(__always)
    func accumulate(
        base: Int32, limit: Int32, scores: UnsafeMutablePointer<Double>, seen: UnsafeMutablePointer<UInt64>
    ) -> Int32 {
        switch self {
        case .term(let t):
            return t.accumulate(base: base, limit: limit, scores: scores, seen: seen)
        case .other(let s):
            var d = s.doc
            while d < limit {
                let offset = Int(d &- base)
                scores[offset] += s.score()
                seen[offset &>> 6] |= 1 &<< UInt64(offset & 63)
                d = s.next()
            }
            return d
        }
    }

    var isCorrupt: Bool {
        switch self {
        case .term(let t): return t.isCorrupt
        case .other(let s): return s.isCorrupt
        }
    }
}
