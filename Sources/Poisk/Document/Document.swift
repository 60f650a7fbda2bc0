// Documents and the schema that says how each field is analyzed, stored and boosted.
//
// For: the values users hand to the writer and get back from search. Not for: parsing files
// (see DocumentLoader) or the on-disk layout (see Format/).

/// A document: a unique string `id` and named text fields (`title`, `body`, and any others).
public struct Document: Sendable, Hashable, Codable {
    /// The unique key of the document. Adding a document whose id exists replaces it at commit.
    public var id: String
    /// The text fields by name. `title` and `body` are the conventional ones.
    public var fields: [String: String]

    /// Creates a document.
    /// - Parameters:
    ///   - id: unique key.
    ///   - title: the `title` field.
    ///   - body: the `body` field.
    ///   - fields: more text fields by name (they override `title`/`body` if named so).
    public init(id: String, title: String = "", body: String = "", fields: [String: String] = [:]) {
        self.id = id
        var all = ["title": title, "body": body]
        for (k, v) in fields { all[k] = v }
        self.fields = all
    }

    /// The `title` field ("" when absent).
    public var title: String {
        get { fields["title"] ?? "" }
        set { fields["title"] = newValue }
    }

    /// The `body` field ("" when absent).
    public var body: String {
        get { fields["body"] ?? "" }
        set { fields["body"] = newValue }
    }

    /// The value of a field, or nil.
    public subscript(field: String) -> String? {
        get { fields[field] }
        set { fields[field] = newValue }
    }
}

/// How one field is indexed, stored and weighted.
public struct FieldOptions: Sendable, Hashable, Codable {
    /// The field's name (`title`, `body`, …). `id` is reserved for the document key.
    public var name: String
    /// Whether the field's terms go into the inverted index.
    public var indexed: Bool
    /// Whether the field's text is kept, for results and snippets.
    public var stored: Bool
    /// The weight of this field's BM25 score in the sum over fields.
    public var boost: Double
    /// Whether a query word without `field:` searches this field.
    public var searchedByDefault: Bool
    /// The analysis pipeline for this field.
    public var analyzer: AnalyzerConfiguration

    /// Creates field options.
    public init(
        name: String, indexed: Bool = true, stored: Bool = true, boost: Double = 1,
        searchedByDefault: Bool = false, analyzer: AnalyzerConfiguration = .standard
    ) {
        self.name = name
        self.indexed = indexed
        self.stored = stored
        self.boost = boost
        self.searchedByDefault = searchedByDefault
        self.analyzer = analyzer
    }
}

/// The fields of an index. Fields not declared are added on first use with ``dynamicField``'s options.
public struct Schema: Sendable, Hashable, Codable {
    /// The declared fields, in field-id order.
    public var fields: [FieldOptions]
    /// The template for fields a document brings that the schema does not declare.
    public var dynamicField: FieldOptions

    /// Creates a schema.
    public init(fields: [FieldOptions], dynamicField: FieldOptions = FieldOptions(name: "*")) {
        self.fields = fields
        self.dynamicField = dynamicField
    }

    /// `title` (boost 2) and `body` (boost 1), both searched by default, stored, standard analyzer.
    public static let standard = Schema(fields: [
        FieldOptions(name: "title", boost: 2, searchedByDefault: true),
        FieldOptions(name: "body", boost: 1, searchedByDefault: true),
    ])

    /// The id of a field by name, or nil.
    public func fieldID(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The id of a field, adding it with the dynamic template when missing. Fields whose names
    /// start with `_` (such as ``Document/sourceField``) are stored but never indexed.
    mutating func fieldIDAdding(_ name: String) -> Int {
        if let id = fieldID(name) { return id }
        var options = dynamicField
        options.name = name
        if name.hasPrefix("_") {
            options.indexed = false
            options.searchedByDefault = false
        }
        fields.append(options)
        return fields.count - 1
    }
}
