// Facets: counts of the values of a field over every document a query matches, computed from the
// columnar store while the query runs.
//
// For: what a caller asks for (FacetRequest) and gets back (FacetResult): the top values of a
// keyword or boolean field with their counts, counts of chosen values, and numeric or date range
// buckets. Not for: counting (Collectors/FacetCollector).

/// A facet to compute over a query's matches (``SearchOptions/facets``).
public struct FacetRequest: Sendable, Hashable, Codable {
    /// What to count.
    public enum Kind: Sendable, Hashable, Codable {
        /// The most frequent values of a keyword or boolean field: the top `limit` by count (ties
        /// by value, in byte order), and the counts of `values` (the chosen ones, even when they
        /// are not among the top, 0 when no match has them).
        case values(limit: Int, chosen: [String])
        /// Documents per range of a numeric or date field, in the order given.
        case ranges([FacetRange])
    }

    /// The field.
    public var field: String
    /// What to count.
    public var kind: Kind

    /// Counts of the top `limit` values of a keyword (or boolean) field, ties by value.
    public static func values(_ field: String, limit: Int = 10, chosen: [String] = []) -> FacetRequest {
        FacetRequest(field: field, kind: .values(limit: limit, chosen: chosen))
    }

    /// Counts per range of a numeric or date field.
    public static func ranges(_ field: String, _ ranges: [FacetRange]) -> FacetRequest {
        FacetRequest(field: field, kind: .ranges(ranges))
    }

    /// Creates a request.
    public init(field: String, kind: Kind) {
        self.field = field
        self.kind = kind
    }

    /// Parses the CLI's `FIELD` or `FIELD:N` (the top N values, 10 by default).
    /// - Throws: `PoiskError.invalidArgument` for a count that is not a positive number.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first, !name.isEmpty else {
            throw PoiskError.invalidArgument(reason: "a facet needs a field name: FIELD[:N]")
        }
        var limit = 10
        if parts.count == 2 {
            guard let n = Int(parts[1]), n > 0 else {
                throw PoiskError.invalidArgument(reason: "facet '\(text)': the count after ':' must be a positive number")
            }
            limit = n
        }
        self = .values(name, limit: limit)
    }
}

/// A bucket of a range facet: the values from `from` up to `to` (each end included or not; nil:
/// open), named by `label`. Bounds are text the field's type reads (`2025-07-01`, `1000`), or
/// typed values; a date bound written as a day alone covers that whole day, as in a query.
public struct FacetRange: Sendable, Hashable, Codable {
    /// The bucket's name in the results.
    public var label: String
    /// The lower bound, nil for none.
    public var from: FieldValue?
    /// The upper bound, nil for none.
    public var to: FieldValue?
    /// Whether `from` itself is in the bucket. Default true.
    public var includesFrom: Bool
    /// Whether `to` itself is in the bucket. Default false (buckets `[a, b)` tile a scale).
    public var includesTo: Bool

    /// Creates a bucket.
    public init(_ label: String, from: FieldValue?, to: FieldValue?, includesFrom: Bool = true, includesTo: Bool = false) {
        self.label = label
        self.from = from
        self.to = to
        self.includesFrom = includesFrom
        self.includesTo = includesTo
    }
}

/// The counts of one facet over a query's matches.
public struct FacetResult: Sendable, Hashable, Codable {
    /// One value (or bucket) and how many matching documents have it.
    public struct Count: Sendable, Hashable, Codable {
        /// The value as text (a keyword, `true`/`false`) or the bucket's label.
        public var value: String
        /// Matching documents with the value (a document with several keywords counts once for
        /// each).
        public var count: Int

        /// Creates a count.
        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    /// The field.
    public var field: String
    /// The top values by count (ties by value), or the buckets in the order asked for.
    public var counts: [Count]
    /// The counts of the chosen values, in the order asked for.
    public var chosen: [Count]
    /// Matching documents with at least one value of the field.
    public var documentsWithValue: Int
    /// Distinct values among the matches (for value facets).
    public var distinctValues: Int

    /// Creates a result.
    public init(field: String, counts: [Count], chosen: [Count] = [], documentsWithValue: Int, distinctValues: Int) {
        self.field = field
        self.counts = counts
        self.chosen = chosen
        self.documentsWithValue = documentsWithValue
        self.distinctValues = distinctValues
    }
}
