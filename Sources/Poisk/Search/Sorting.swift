// Sorting search results by fields: what a caller asks for (SortField), the values each hit was
// sorted by, and the cursor that continues a sorted listing after a hit (searchAfter).
//
// For: `SearchOptions.sort` and `SearchOptions.searchAfter`, the CLI's `--sort`. Not for:
// collecting the top hits by those keys (Collectors/TopFieldCollector) or reading columns
// (Format/ColumnStore).

/// One key of a sort: a columnar typed field (ascending or descending), or the relevance score.
///
/// Hits are ordered by the first key, ties by the next, then by score (highest first), then by
/// id (ascending, byte order). A document without a value for a field comes after every
/// document with one, in either direction. A document with several keywords sorts by its
/// smallest ascending and by its largest descending.
public struct SortField: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field, or nil for the relevance score.
    public var field: String?
    /// Highest first (`desc`). Default false for fields; the score sorts highest first.
    public var descending: Bool

    /// A sort by `field` (a columnar keyword, integer, double, date or boolean field).
    public init(_ field: String, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    private init(score: ()) {
        field = nil
        descending = true
    }

    /// The relevance score, highest first.
    public static let score = SortField(score: ())

    /// Parses `FIELD`, `FIELD:asc` or `FIELD:desc` (`score` alone is the relevance score).
    /// - Throws: `PoiskError.invalidArgument` for another direction.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        guard !name.isEmpty else { throw PoiskError.invalidArgument(reason: "a sort needs a field name: FIELD[:asc|desc]") }
        var descending = name == "score"
        if parts.count == 2 {
            switch parts[1].lowercased() {
            case "asc": descending = false
            case "desc": descending = true
            default:
                throw PoiskError.invalidArgument(reason: "sort '\(text)': the direction is asc or desc, not '\(parts[1])'")
            }
        }
        if name == "score" {
            self.init(score: ())
            self.descending = descending
        } else {
            self.init(name, descending: descending)
        }
    }

    /// `field:asc`, `field:desc` or `score`.
    public var description: String {
        guard let field else { return descending ? "score" : "score:asc" }
        return field + (descending ? ":desc" : ":asc")
    }
}

/// Where a sorted listing stopped: the sort values, score and id of its last hit. Passing it
/// as ``SearchOptions/searchAfter`` returns the hits that come after that one (Lucene's
/// `searchAfter`), however deep, without collecting the hits before it.
public struct SearchCursor: Sendable, Hashable, Codable {
    /// The last hit's value for each sort field (nil: it had none; the score key: its score).
    public var values: [FieldValue?]
    /// The last hit's score.
    public var score: Double
    /// The last hit's id.
    public var id: String

    /// Creates a cursor.
    public init(values: [FieldValue?], score: Double, id: String) {
        self.values = values
        self.score = score
        self.id = id
    }
}
