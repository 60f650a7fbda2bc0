// Collecting a search's hits for its options: the top k by score, by sort fields (with a
// searchAfter cursor), and facet counts in the same pass. The one place that picks the collector,
// for the public search and the benchmark's timed path alike.
//
// For: IndexReader+Search. Not for: running the plan (QueryPlanner) or loading hits (HitLoader).

/// What a search collected, before its hits are loaded.
struct CollectedHits {
    /// The returned entries (after the offset), in order.
    var entries: [(segment: Int, doc: Int32, score: Double)]
    /// Per entry, its sort values (sorted searches only).
    var sortValues: [[FieldValue?]]
    var total: Int
    var totalIsExact: Bool
    var facets: [FacetResult]
    /// Documents scored.
    var scored: Int
}

extension IndexReader {
    /// Plans `weight` and runs it into the collector `options` call for.
    /// - Throws: `.invalidArgument` or `.unknownField` for a sort or facet the index cannot
    ///   answer; `.corruptIndex` for damaged bytes.
    func collect(_ weight: Weight, options: SearchOptions) throws -> CollectedHits {
        let k = options.limit + options.offset
        let keys = try sortKeys(options.sort)
        let facetSpecs = try options.facets.map { try facetSpec($0) }
        if options.searchAfter != nil && keys.isEmpty {
            throw PoiskError.invalidArgument(reason: "searchAfter needs a sort: set SearchOptions.sort (or use offset)")
        }
        if let after = options.searchAfter, after.values.count != keys.count {
            throw PoiskError.invalidArgument(
                reason: "the searchAfter cursor has \(after.values.count) sort values, the sort \(keys.count) keys")
        }
        let exact = options.exactTotal || !keys.isEmpty || !facetSpecs.isEmpty
        let plan = QueryPlanner.plan(weight, for: .topScores(k: k, exact: exact))
        let facetSegments =
            try facetSpecs.isEmpty
            ? []
            : segments.map { view in
                FacetSegment(
                    numeric: try facetSpecs.map { spec in
                        if case .numeric(let c) = try view.reader.column(named: spec.field) { return c }
                        return nil
                    },
                    keyword: try facetSpecs.map { spec in
                        if case .keyword(let c) = try view.reader.column(named: spec.field) { return c }
                        return nil
                    })
            }
        if keys.isEmpty {
            let top = TopScoreCollector(k: k)
            if facetSpecs.isEmpty {
                var collector = top
                let stats = try execute(plan, into: &collector)
                return CollectedHits(
                    entries: collector.sorted().dropFirst(options.offset).map { ($0.segment, $0.doc, $0.score) }, sortValues: [],
                    total: collector.total, totalIsExact: options.exactTotal || stats.totalIsExact, facets: [],
                    scored: stats.scored)
            }
            var collector = FacetCollector(inner: top, specs: facetSpecs, segments: facetSegments)
            let stats = try execute(plan, into: &collector)
            let facets = collector.results()
            return CollectedHits(
                entries: collector.inner.sorted().dropFirst(options.offset).map { ($0.segment, $0.doc, $0.score) },
                sortValues: [], total: collector.inner.total, totalIsExact: true, facets: facets, scored: stats.scored)
        }
        // Per segment, the column of each key (one lookup per key) and the id order.
        var sortSegments: [SortSegment] = []
        sortSegments.reserveCapacity(segments.count)
        for view in segments {
            var numeric: [NumericColumn?] = []
            var keyword: [KeywordColumn?] = []
            numeric.reserveCapacity(keys.count)
            keyword.reserveCapacity(keys.count)
            for key in keys {
                var n: NumericColumn?
                var w: KeywordColumn?
                if let field = key.field {
                    switch try view.reader.column(named: field) {
                    case .numeric(let c)?: n = c
                    case .keyword(let c)?: w = c
                    case nil: break
                    }
                }
                numeric.append(n)
                keyword.append(w)
            }
            sortSegments.append(SortSegment(numeric: numeric, keyword: keyword, idOrder: try view.reader.idOrder()))
        }
        var entries: [TopFieldCollector.Entry]
        var total: Int
        var facets: [FacetResult] = []
        var scored = 0
        if facetSpecs.isEmpty {
            var collector = TopFieldCollector(k: k, keys: keys, segments: sortSegments, after: options.searchAfter)
            scored = try execute(plan, into: &collector).scored
            entries = collector.sorted()
            total = collector.total
        } else {
            var collector = FacetCollector(
                inner: TopFieldCollector(k: k, keys: keys, segments: sortSegments, after: options.searchAfter), specs: facetSpecs,
                segments: facetSegments)
            scored = try execute(plan, into: &collector).scored
            facets = collector.results()
            entries = collector.inner.sorted()
            total = collector.inner.total
        }
        let page = entries.count > options.offset ? entries[options.offset...] : []
        var hits: [(segment: Int, doc: Int32, score: Double)] = []
        var sortValues: [[FieldValue?]] = []
        hits.reserveCapacity(page.count)
        sortValues.reserveCapacity(page.count)
        for entry in page {
            hits.append((entry.segment, entry.doc, entry.score))
            sortValues.append(entry.values)
        }
        return CollectedHits(
            entries: hits, sortValues: sortValues, total: total, totalIsExact: true, facets: facets, scored: scored)
    }

    /// The sort keys of `fields`, checked against the schema.
    func sortKeys(_ fields: [SortField]) throws -> [SortKey] {
        guard fields.count <= 64 else { throw PoiskError.invalidArgument(reason: "at most 64 sort keys, not \(fields.count)") }
        return try fields.map { sort in
            guard let name = sort.field else { return SortKey(kind: .score, descending: sort.descending, field: nil) }
            let options = try columnarField(name, for: "sort by")
            return SortKey(kind: options.type == .keyword ? .keyword : .numeric(options.type), descending: sort.descending, field: name)
        }
    }

    /// The facet of `request`, checked against the schema.
    func facetSpec(_ request: FacetRequest) throws -> FacetSpec {
        let options = try columnarField(request.field, for: "count values of")
        switch request.kind {
        case .values(let limit, let chosen):
            guard options.type == .keyword || options.type == .boolean else {
                throw PoiskError.invalidArgument(
                    reason:
                        "value counts need a keyword or boolean field; '\(request.field)' is \(options.type.article) field: ask for range buckets (FacetRequest.ranges)"
                )
            }
            guard limit >= 0 else { throw PoiskError.invalidArgument(reason: "a facet's limit must not be negative") }
            return FacetSpec(field: request.field, kind: .values(limit: limit, chosen: chosen, boolean: options.type == .boolean))
        case .ranges(let ranges):
            guard options.type.isNumeric else {
                throw PoiskError.invalidArgument(
                    reason: "range buckets need an integer, double or date field; '\(request.field)' is \(options.type.article) field")
            }
            let buckets = try ranges.map { range -> (label: String, lower: UInt64, upper: UInt64) in
                let lower = try TypedBounds.numeric(
                    range.from, type: options.type, field: request.field, upper: false, inclusive: range.includesFrom)
                let upper = try TypedBounds.numeric(
                    range.to, type: options.type, field: request.field, upper: true, inclusive: range.includesTo)
                guard let lower, let upper else { return (range.label, 1, 0) }  // empty
                return (range.label, lower, upper)
            }
            return FacetSpec(field: request.field, kind: .ranges(buckets))
        }
    }

    /// The options of a typed, columnar field.
    /// - Throws: `.unknownField`, or `.invalidArgument` saying what the field lacks.
    private func columnarField(_ name: String, for what: String) throws -> FieldOptions {
        guard let options = schema.options(name) else { throw PoiskError.unknownField(name: name) }
        guard options.type.isTyped, options.columnar else {
            let why = options.type.isTyped ? "is not columnar" : "is text"
            throw PoiskError.invalidArgument(
                reason:
                    "cannot \(what) '\(name)': the field \(why); declare it as a columnar keyword, integer, double, date or boolean field in the schema"
            )
        }
        return options
    }
}
