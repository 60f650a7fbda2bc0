// The facet collector: counts the values of columnar fields over every document a query
// matches, in the same pass as another collector (the top hits), from the columnar store.
//
// For: `SearchOptions.facets`. Value facets count ordinals per segment in an array (one
// increment per value of a matching document), and turn them into values once per segment;
// range facets test each matching document's value against the buckets. Not for: keeping hits
// (the wrapped collector) or reading stored documents (never needed).

/// One facet, resolved against the index.
struct FacetSpec {
    enum Kind {
        /// Top values of a keyword column (or a boolean column, as `false`/`true`).
        case values(limit: Int, chosen: [String], boolean: Bool)
        /// Buckets of inclusive sortable bounds, in order, with their labels.
        case ranges([(label: String, lower: UInt64, upper: UInt64)])
    }

    let field: String
    let kind: Kind
}

/// The columns of one segment the facets read, per facet.
struct FacetSegment {
    let numeric: [NumericColumn?]
    let keyword: [KeywordColumn?]
}

/// Counts facets over every collected document, passing each on to `inner`.
struct FacetCollector<Inner: Collector>: Collector {
    static var needsScores: Bool { Inner.needsScores }
    /// Every match must be counted: no pruning.
    var threshold: Double { -Double.infinity }

    var inner: Inner
    let specs: [FacetSpec]
    let segments: [FacetSegment]
    private var segment = -1
    /// Per facet: the current segment's counts per ordinal (value facets) or per bucket.
    private var counts: [[Int32]]
    /// Per facet: counts by value over the segments done.
    private var totals: [[String: Int]]
    private var withValue: [Int]

    init(inner: Inner, specs: [FacetSpec], segments: [FacetSegment]) {
        self.inner = inner
        self.specs = specs
        self.segments = segments
        counts = specs.map { spec in
            if case .ranges(let buckets) = spec.kind { return [Int32](repeating: 0, count: buckets.count) }
            return []
        }
        totals = specs.map { _ in [:] }
        withValue = specs.map { _ in 0 }
    }

    mutating func beginSegment(_ index: Int) {
        flushSegment()
        segment = index
        for (f, spec) in specs.enumerated() {
            guard case .values(_, _, let boolean) = spec.kind else { continue }
            let size = boolean ? 2 : (segments[index].keyword[f]?.ordinalCount ?? 0)
            if counts[f].count < size {
                counts[f] = [Int32](repeating: 0, count: size)
            } else {
                for i in 0..<size { counts[f][i] = 0 }
            }
        }
        inner.beginSegment(index)
    }

    /// Adds the current segment's value counts to the totals.
    private mutating func flushSegment() {
        guard segment >= 0 else { return }
        for (f, spec) in specs.enumerated() {
            guard case .values(_, _, let boolean) = spec.kind else { continue }
            if boolean {
                if counts[f].count >= 2 {
                    if counts[f][0] > 0 { totals[f]["false", default: 0] += Int(counts[f][0]) }
                    if counts[f][1] > 0 { totals[f]["true", default: 0] += Int(counts[f][1]) }
                }
                continue
            }
            guard let column = segments[segment].keyword[f] else { continue }
            for o in 0..<min(column.ordinalCount, counts[f].count) where counts[f][o] > 0 {
                totals[f][column.string(o), default: 0] += Int(counts[f][o])
            }
        }
    }

    @inline(__always)
    mutating func collect(_ doc: Int32, score: Double) {
        inner.collect(doc, score: score)
        let columns = segments[segment]
        for f in 0..<specs.count {
            switch specs[f].kind {
            case .values(_, _, let boolean):
                if boolean {
                    guard let column = columns.numeric[f], let v = column.value(doc) else { continue }
                    counts[f][v == 0 ? 0 : 1] &+= 1
                    withValue[f] += 1
                    continue
                }
                guard let column = columns.keyword[f] else { continue }
                let range = column.ordinalRange(doc)
                if range.isEmpty { continue }
                withValue[f] += 1
                for k in range {
                    let o = column.ordinal(at: k, in: range)
                    if o < counts[f].count { counts[f][o] &+= 1 }
                }
            case .ranges(let buckets):
                guard let column = columns.numeric[f], let v = column.value(doc) else { continue }
                withValue[f] += 1
                for (b, bucket) in buckets.enumerated() where v >= bucket.lower && v <= bucket.upper { counts[f][b] &+= 1 }
            }
        }
    }

    /// The facets' results, once every segment is collected.
    mutating func results() -> [FacetResult] {
        flushSegment()
        segment = -1
        return specs.enumerated().map { f, spec in
            switch spec.kind {
            case .values(let limit, let chosen, _):
                let all = totals[f]
                let top = all.sorted { a, b in
                    a.value != b.value ? a.value > b.value : Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
                }.prefix(max(0, limit))
                return FacetResult(
                    field: spec.field, counts: top.map { FacetResult.Count(value: $0.key, count: $0.value) },
                    chosen: chosen.map { FacetResult.Count(value: $0, count: all[$0] ?? 0) }, documentsWithValue: withValue[f],
                    distinctValues: all.count)
            case .ranges(let buckets):
                return FacetResult(
                    field: spec.field,
                    counts: buckets.enumerated().map { FacetResult.Count(value: $0.element.label, count: Int(counts[f][$0.offset])) },
                    documentsWithValue: withValue[f], distinctValues: 0)
            }
        }
    }
}
