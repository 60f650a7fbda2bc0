// What a search returns: the hits (stored fields, snippet, matches, score, explanation) and the
// total.
//
// For: the values callers read. Not for: computing them (IndexReader+Search).

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
