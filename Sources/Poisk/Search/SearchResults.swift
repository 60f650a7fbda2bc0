// What a search returns: the hits (id, score, the stored fields and snippets asked for, an
// explanation) and the total.
//
// For: the values callers read. Not for: computing them (IndexReader+Search).

/// A snippet of one field of a hit: its best fragments with the matched words marked, and where
/// the matched words are in the field's full text.
public struct HitSnippet: Sendable, Hashable {
    /// The best fragments of the field (see ``SearchOptions/snippetFragments``), matches marked in
    /// the style of ``SearchOptions/highlight``; the start of the text when nothing matched there.
    public var text: String
    /// UTF-8 byte ranges of every matched word in the field's full text, in text order (for your
    /// own highlighting). Matched CJK bigrams that overlap are joined into one range.
    public var matches: [Range<Int>]

    /// Creates a snippet.
    /// - Parameters:
    ///   - text: the fragments, marked.
    ///   - matches: the matched words' byte ranges in the field's text.
    public init(text: String, matches: [Range<Int>]) {
        self.text = text
        self.matches = matches
    }
}

/// One search result.
public struct SearchHit: Sendable, Hashable {
    /// The document's id.
    public var id: String
    /// The BM25 score.
    public var score: Double
    /// The stored fields asked for by ``SearchOptions/storedFields`` (all by default), with the id.
    public var document: Document
    /// The snippet of the first of ``SearchOptions/snippetFields`` (`body` by default): its best
    /// fragment, matches marked in the chosen style; "" when no snippet was asked for.
    public var snippet: String
    /// UTF-8 byte ranges of matched words in the full text of the first snippet field, in text
    /// order (for your own highlighting). Matched CJK bigrams that overlap are joined into one
    /// range.
    public var matches: [Range<Int>]
    /// A snippet per field of ``SearchOptions/snippetFields``, by field name.
    public var snippets: [String: HitSnippet] = [:]
    /// The score's explanation, when requested.
    public var explanation: Explanation?
    /// The hit's value for each key of ``SearchOptions/sort``, in order (nil: it has none; the
    /// score key: its score as a `.double`); empty for a search by relevance.
    public var sortValues: [FieldValue?] = []

    /// The `title` field ("" when it was not loaded: see ``SearchOptions/storedFields``).
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
    /// The counts of ``SearchOptions/facets``, in the order asked for.
    public var facets: [FacetResult] = []
    /// For a sorted search: the cursor after the last hit, to pass as
    /// ``SearchOptions/searchAfter`` for the next page; nil when there is no hit or no sort.
    public var nextCursor: SearchCursor?

    /// The counts of the facet of `field`, or nil.
    public func facet(_ field: String) -> FacetResult? { facets.first { $0.field == field } }

    /// The first hit's position: 0.
    public var startIndex: Int { hits.startIndex }
    /// One past the last hit's position: the number of hits returned.
    public var endIndex: Int { hits.endIndex }
    /// The hit at `position` (0 is the best).
    public subscript(position: Int) -> SearchHit { hits[position] }
}
