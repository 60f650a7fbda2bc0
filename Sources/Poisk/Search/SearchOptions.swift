// The options of one search: how many hits, which fields, BM25's parameters, snippets,
// highlighting, transliteration, explanations and pruning.
//
// For: what a caller can ask of ``IndexReader/search(_:options:)-(String,_)``. Not for: the
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
