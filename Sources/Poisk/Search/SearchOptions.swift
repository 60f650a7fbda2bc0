// The options of one search: how many hits, which fields, BM25's parameters, what each hit
// carries (stored fields, snippets), highlighting, transliteration, explanations and pruning.
//
// For: what a caller can ask of `IndexReader.search(_:options:)`. Not for: the
// results (SearchResults) or how they are computed (QueryPlanner).

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

/// Which stored fields a hit carries in ``SearchHit/document``.
///
/// Only the fields asked for are decompressed and decoded: a hit's id comes from a column of ids
/// and costs nothing to load, a title stored before the body costs the bytes up to the title.
///
/// ```swift
/// var options = SearchOptions()
/// options.storedFields = ["title"]          // an array literal is `.only(["title"])`
/// options.storedFields = .none              // ids and scores only (see SearchOptions.idsOnly)
/// ```
public enum FieldSelection: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// Every stored field (the default).
    case all
    /// No stored field: ``SearchHit/document`` has the id and no fields.
    case none
    /// The named fields (those a document has; names the index does not know are ignored).
    case only(Set<String>)

    /// `.only` the listed fields.
    /// - Parameter elements: field names.
    public init(arrayLiteral elements: String...) {
        self = .only(Set(elements))
    }

    /// Whether the field named `name` is selected.
    /// - Parameter name: a field name.
    public func contains(_ name: String) -> Bool {
        switch self {
        case .all: return true
        case .none: return false
        case .only(let names): return names.contains(name)
        }
    }
}

/// Options of one search.
///
/// What a hit carries is chosen by ``storedFields`` (the fields in ``SearchHit/document``) and
/// ``snippetFields`` (the fields highlighted into ``SearchHit/snippets``). The default is every
/// stored field and a snippet of `body`; nothing that is not asked for is decompressed or
/// analyzed, so the leanest search, ``idsOnly``, costs little more than `count(_:options:)`:
///
/// ```swift
/// var options = SearchOptions.idsOnly                     // ids and scores
/// options.limit = 100
/// let ids = try reader.search("patriot", options: options).map(\.id)
///
/// var rich = SearchOptions()
/// rich.storedFields = ["title"]                           // the title, not the body
/// rich.snippetFields = ["title", "body"]                  // both highlighted
/// for hit in try reader.search("patriot", options: rich) {
///     print(hit.snippets["title"]?.text ?? "", hit.snippets["body"]?.text ?? "")
/// }
/// ```
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
    /// The stored fields each hit carries in ``SearchHit/document``. Default ``FieldSelection/all``.
    public var storedFields: FieldSelection
    /// The fields each hit gets a snippet of (``SearchHit/snippets``), in order; the first one's
    /// is also ``SearchHit/snippet``. A field a document lacks, or does not store, gives an empty
    /// snippet. Default `["body"]`; empty: no snippets (and no text decompressed for them).
    public var snippetFields: [String]
    /// The field of ``SearchHit/snippet``: the first of ``snippetFields`` ("" when there is none).
    /// Setting it makes it the only snippet field. Default `body`.
    public var snippetField: String {
        get { snippetFields.first ?? "" }
        set { snippetFields = [newValue] }
    }
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
    /// Sorting and facets always count exactly.
    public var exactTotal: Bool
    /// Sort the hits by these keys instead of by relevance (see ``SortField``): columnar typed
    /// fields, ascending or descending, missing values last; ties by score, then id. Default
    /// none (by score, ties in index order).
    public var sort: [SortField]
    /// With ``sort``: return the hits after this one (its ``SearchHit/sortValues``, score and id,
    /// as ``SearchResults/nextCursor`` gives them), for deep pages without collecting the pages
    /// before. ``offset`` still applies after it. Default nil.
    public var searchAfter: SearchCursor?
    /// Value counts to compute over every matching document (see ``FacetRequest``), returned in
    /// ``SearchResults/facets`` in the same order. Default none.
    public var facets: [FacetRequest]

    /// Creates options; every parameter has the default documented on its property.
    /// - Parameters:
    ///   - snippetField: the one snippet field, when `snippetFields` is nil.
    ///   - storedFields: the stored fields hits carry (default all).
    ///   - snippetFields: the fields hits get snippets of; nil: `[snippetField]`.
    ///   - sort: sort keys (default none: by relevance).
    ///   - searchAfter: a cursor from a sorted search's ``SearchResults/nextCursor``.
    ///   - facets: value counts to compute.
    public init(
        limit: Int = 10, offset: Int = 0, fields: [String: Double]? = nil, k1: Double = 1.2, b: Double = 0.75,
        defaultOperator: QueryParser.DefaultOperator = .and, snippetLength: Int = 200, snippetField: String = "body",
        highlight: HighlightStyle = .markdown, transliterate: Bool = false, explain: Bool = false,
        maxExpansions: Int = 64, exactTotal: Bool = true, snippetFragments: Int = 1,
        storedFields: FieldSelection = .all, snippetFields: [String]? = nil, sort: [SortField] = [],
        searchAfter: SearchCursor? = nil, facets: [FacetRequest] = []
    ) {
        self.sort = sort
        self.searchAfter = searchAfter
        self.facets = facets
        self.limit = limit
        self.offset = offset
        self.fields = fields
        self.k1 = k1
        self.b = b
        self.defaultOperator = defaultOperator
        self.snippetLength = snippetLength
        self.snippetFields = snippetFields ?? [snippetField]
        self.storedFields = storedFields
        self.highlight = highlight
        self.transliterate = transliterate
        self.explain = explain
        self.maxExpansions = maxExpansions
        self.exactTotal = exactTotal
        self.snippetFragments = snippetFragments
    }

    /// Hits with ids and scores only: no stored field, no snippet (what Tantivy's `TopDocs` and
    /// Lucene's `TopDocs` return). Other options keep their defaults; change them on a copy.
    public static var idsOnly: SearchOptions {
        SearchOptions(storedFields: .none, snippetFields: [])
    }
}
