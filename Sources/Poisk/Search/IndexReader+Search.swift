// Searching a snapshot: the public search and count calls. A query string is parsed into a Query,
// prepared into a Weight (WeightBuilder), planned (QueryPlanner), executed over every segment into
// a collector, and the returned hits are loaded (HitLoader) with the stored fields and snippets
// the options ask for and, on request, explanations.
//
// For: the public search API and the benchmark's timed path. Not for: query syntax (QueryParser),
// scoring (BM25, scorers) or choosing how to execute (QueryPlanner).

import Foundation

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
    /// - Complexity: O(matching postings) plus O(k log k) for the top k, plus, per hit, the
    ///   stored bytes up to the last field asked for and the snippet work (about a few dozen
    ///   words analyzed per matched word).
    public func search(_ query: Query, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        try search(query, options: options, matching: .indexed)
    }

    /// Runs a query tree, finding snippets' matches from the index where segments allow (as
    /// `search` does) or by a full analysis of every text rendered as before format 4 (the
    /// reference): the benchmark and the tests compare the two ways.
    /// - Parameter sources: when given, counts the snippets made each way.
    package func search(
        _ query: Query, options: SearchOptions, snippetsByFullAnalysis: Bool, sources: SnippetSources? = nil
    ) throws -> SearchResults {
        try search(query, options: options, matching: snippetsByFullAnalysis ? .fullAnalysis : .indexed, sources: sources)
    }

    private func search(
        _ query: Query, options: SearchOptions, matching: HitLoader.Matching, sources: SnippetSources? = nil
    ) throws -> SearchResults {
        let started = DispatchTime.now().uptimeNanoseconds
        guard options.limit >= 0, options.offset >= 0 else {
            throw PoiskError.invalidArgument(reason: "limit and offset must not be negative")
        }
        let weight = try prepare(query, options: options)
        let collected = try collect(weight, options: options)
        let entries = collected.entries
        var hits = try HitLoader(reader: self, weight: weight, options: options, matching: matching, sources: sources)
            .load(entries)
        if options.explain {
            let plan = QueryPlanner.plan(weight, for: .topScores(k: options.limit + options.offset, exact: true))
            for (k, entry) in entries.enumerated() {
                hits[k].explanation = try explain(plan, segment: entry.segment, doc: entry.doc, score: entry.score)
            }
        }
        for (k, values) in collected.sortValues.enumerated() where k < hits.count { hits[k].sortValues = values }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        var results = SearchResults(
            total: collected.total, totalIsExact: collected.totalIsExact, hits: hits, tookMilliseconds: took)
        results.facets = collected.facets
        if !options.sort.isEmpty, let last = hits.last {
            results.nextCursor = SearchCursor(values: last.sortValues, score: last.score, id: last.id)
        }
        return results
    }

    /// The top k (segment, doc, score) and the exact total, without loading documents (the
    /// benchmark's timed path; `search(_:options:)` adds stored fields and snippets).
    package func topDocuments(
        _ query: Query, options: SearchOptions
    ) throws -> (total: Int, hits: [(segment: Int, doc: Int32, score: Double)], scored: Int) {
        let collected = try collect(try prepare(query, options: options), options: options)
        return (collected.total, collected.entries, collected.scored)
    }

    /// The top k with their sort values and the facets, without loading documents (the
    /// benchmark's timed path for sorted and faceted queries).
    package func topDocumentsWithFacets(
        _ query: Query, options: SearchOptions
    ) throws -> (total: Int, hits: [(segment: Int, doc: Int32, score: Double)], facets: [FacetResult], scored: Int) {
        let collected = try collect(try prepare(query, options: options), options: options)
        return (collected.total, collected.entries, collected.facets, collected.scored)
    }

    /// The id of a document found by ``topDocuments(_:options:)`` (from the id column: no stored
    /// fields are decompressed, except in segments written before format 4).
    package func documentID(segment: Int, doc: Int32) throws -> String {
        try segments[segment].reader.documentID(doc)
    }

    /// The top k of a prepared weight (the tests' hook into planning and collection).
    func topDocs(_ weight: Weight, k: Int, exact: Bool = true) throws -> TopScoreCollector {
        var collector = TopScoreCollector(k: k)
        _ = try execute(QueryPlanner.plan(weight, for: .topScores(k: k, exact: exact)), into: &collector)
        return collector
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
        let plan = QueryPlanner.plan(try prepare(query, options: options), for: .count)
        var collector = CountCollector()
        _ = try execute(plan, into: &collector)
        return collector.count
    }

    func prepare(_ query: Query, options: SearchOptions) throws -> Weight {
        let defaults: [(String, Double)]
        if let fields = options.fields {
            for name in fields.keys where schema.fieldID(name) == nil { throw PoiskError.unknownField(name: name) }
            defaults = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        } else {
            defaults = defaultFields
        }
        let builder = WeightBuilder(
            reader: self, k1: options.k1, b: options.b, defaultFields: defaults,
            maxExpansions: max(1, options.maxExpansions), transliterate: options.transliterate)
        return try builder.build(query)
    }
}
