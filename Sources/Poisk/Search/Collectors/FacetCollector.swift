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
    /// Per facet: 0 keyword values, 1 boolean values, 2 ranges (read per document without
    /// copying the specs' payloads).
    private let kinds: [UInt8]
    /// Every range facet's buckets, back to back (`bucketStarts[f] ..< bucketStarts[f + 1]`).
    private let lowers: [UInt64]
    private let uppers: [UInt64]
    private let bucketStarts: [Int]
    /// The current segment's columns.
    private var currentNumeric: [NumericColumn?] = []
    private var currentKeyword: [KeywordColumn?] = []
    /// Per facet: the current segment's counts per ordinal (value facets) or per bucket, in
    /// memory sized for the largest segment (`sizes[f]` entries), reached through `counts[f]`.
    private let memory: [CollectorMemory]
    private let counts: [UnsafeMutablePointer<Int32>]
    private let sizes: [Int]
    /// Per facet: counts by value over the segments done.
    private var totals: [[String: Int]]
    /// Per facet, matching documents with a value (in `withValueMemory`).
    private let withValueMemory: CollectorMemory
    private let withValue: UnsafeMutablePointer<Int>

    init(inner: Inner, specs: [FacetSpec], segments: [FacetSegment]) {
        self.inner = inner
        self.specs = specs
        self.segments = segments
        let sizes = specs.enumerated().map { f, spec -> Int in
            switch spec.kind {
            case .ranges(let buckets): return buckets.count
            case .values(_, _, let boolean):
                return boolean ? 2 : segments.map { $0.keyword[f]?.ordinalCount ?? 0 }.max() ?? 0
            }
        }
        let memory = sizes.map { CollectorMemory(Int32.self, count: $0) }
        self.memory = memory
        self.sizes = sizes
        counts = memory.map { $0.pointer(Int32.self) }
        totals = specs.map { _ in [:] }
        withValueMemory = CollectorMemory(Int.self, count: specs.count)
        withValue = withValueMemory.pointer(Int.self)
        var kinds: [UInt8] = []
        var lowers: [UInt64] = []
        var uppers: [UInt64] = []
        var starts: [Int] = [0]
        for spec in specs {
            switch spec.kind {
            case .values(_, _, let boolean): kinds.append(boolean ? 1 : 0)
            case .ranges(let buckets):
                kinds.append(2)
                for b in buckets {
                    lowers.append(b.lower)
                    uppers.append(b.upper)
                }
            }
            starts.append(lowers.count)
        }
        self.kinds = kinds
        self.lowers = lowers
        self.uppers = uppers
        bucketStarts = starts
    }

    mutating func beginSegment(_ index: Int) {
        flushSegment()
        segment = index
        currentNumeric = segments[index].numeric
        currentKeyword = segments[index].keyword
        for f in specs.indices where kinds[f] != 2 { counts[f].update(repeating: 0, count: sizes[f]) }
        inner.beginSegment(index)
    }

    /// Adds the current segment's value counts to the totals.
    private mutating func flushSegment(skippingKeywordFacets: Bool = false) {
        guard segment >= 0 else { return }
        for (f, spec) in specs.enumerated() where !(skippingKeywordFacets && kinds[f] == 0) {
            guard case .values(_, _, let boolean) = spec.kind else { continue }
            if boolean {
                if counts[f][0] > 0 { totals[f]["false", default: 0] += Int(counts[f][0]) }
                if counts[f][1] > 0 { totals[f]["true", default: 0] += Int(counts[f][1]) }
                continue
            }
            guard let column = segments[segment].keyword[f] else { continue }
            for o in 0..<min(column.ordinalCount, sizes[f]) where counts[f][o] > 0 {
                totals[f][column.string(o), default: 0] += Int(counts[f][o])
            }
        }
    }

    @inline(__always)
    mutating func collect(_ doc: Int32, score: Double) {
        inner.collect(doc, score: score)
        for f in 0..<kinds.count {
            switch kinds[f] {
            case 0:
                guard let column = currentKeyword[f] else { continue }
                let range = column.ordinalRange(doc)
                if range.isEmpty { continue }
                withValue[f] &+= 1
                for k in range {
                    let o = column.ordinal(at: k, in: range)
                    if o < sizes[f] { counts[f][o] &+= 1 }
                }
            case 1:
                guard let v = currentNumeric[f]?.value(doc) else { continue }
                counts[f][v == 0 ? 0 : 1] &+= 1
                withValue[f] &+= 1
            default:
                guard let v = currentNumeric[f]?.value(doc) else { continue }
                withValue[f] &+= 1
                for b in bucketStarts[f]..<bucketStarts[f + 1] where v >= lowers[b] && v <= uppers[b] {
                    counts[f][b &- bucketStarts[f]] &+= 1
                }
            }
        }
    }

    /// The facets' results, once every segment is collected.
    mutating func results() -> [FacetResult] {
        // One segment: its ordinals are in value order, so the top values come from the counts
        // by ordinal, and only those are turned into strings.
        let single = segments.count == 1 && segment == 0
        flushSegment(skippingKeywordFacets: single)
        defer { segment = -1 }
        return specs.enumerated().map { f, spec in
            switch spec.kind {
            case .values(let limit, let chosen, let boolean):
                if single && !boolean, let column = segments[0].keyword[f] {
                    var present: [(ordinal: Int, count: Int32)] = []
                    for o in 0..<min(column.ordinalCount, sizes[f]) where counts[f][o] > 0 { present.append((o, counts[f][o])) }
                    present.sort { $0.count != $1.count ? $0.count > $1.count : $0.ordinal < $1.ordinal }
                    let chosenCounts = chosen.map { value -> FacetResult.Count in
                        var value = value
                        let o = value.withUTF8 { column.ordinal(of: UnsafeRawBufferPointer($0)) }
                        return FacetResult.Count(value: value, count: o.map { $0 < sizes[f] ? Int(counts[f][$0]) : 0 } ?? 0)
                    }
                    return FacetResult(
                        field: spec.field,
                        counts: present.prefix(max(0, limit)).map {
                            FacetResult.Count(value: column.string($0.ordinal), count: Int($0.count))
                        },
                        chosen: chosenCounts, documentsWithValue: withValue[f], distinctValues: present.count)
                }
                let all = totals[f]
                // Ties by value in byte order: each value's bytes taken once.
                let keyed = all.map { (bytes: Array($0.key.utf8), value: $0.key, count: $0.value) }
                let top = keyed.sorted { a, b in
                    a.count != b.count ? a.count > b.count : a.bytes.lexicographicallyPrecedes(b.bytes)
                }.prefix(max(0, limit))
                return FacetResult(
                    field: spec.field, counts: top.map { FacetResult.Count(value: $0.value, count: $0.count) },
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
