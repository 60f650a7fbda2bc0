// The schema: how each field of an index is analyzed, stored and boosted, and whether a schema
// given to a writer agrees with the one an existing index was built with.
//
// For: FieldOptions and Schema, saved with every segment and commit. Not for: documents
// (Document) or analysis itself (PoiskAnalysis).

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
        fields.append(dynamicOptions(name))
        return fields.count - 1
    }
}

extension FieldOptions {
    /// The first property in which `self` (a schema's) differs from `other` (an index's), said
    /// as "what in the index, what in the schema"; nil when they agree (names aside).
    func difference(fromIndex other: FieldOptions) -> String? {
        func say(_ what: String, _ index: Any, _ schema: Any) -> String {
            "\(what) is \(index) in the index, \(schema) in the schema"
        }
        if indexed != other.indexed { return say("indexed", other.indexed, indexed) }
        if stored != other.stored { return say("stored", other.stored, stored) }
        if boost != other.boost { return say("boost", other.boost, boost) }
        if searchedByDefault != other.searchedByDefault {
            return say("searchedByDefault", other.searchedByDefault, searchedByDefault)
        }
        let a = analyzer
        let b = other.analyzer
        if a.stemming != b.stemming { return say("analyzer.stemming", b.stemming, a.stemming) }
        if a.languages != b.languages {
            return say("analyzer.languages", b.languages.map(\.rawValue).sorted(), a.languages.map(\.rawValue).sorted())
        }
        if a.normalization != b.normalization { return say("analyzer.normalization", b.normalization, a.normalization) }
        if a.stopWords != b.stopWords {
            return say("analyzer.stopWords", b.stopWords.map(\.rawValue).sorted(), a.stopWords.map(\.rawValue).sorted())
        }
        if a.cjkBigrams != b.cjkBigrams { return say("analyzer.cjkBigrams", b.cjkBigrams, a.cjkBigrams) }
        if a.cjkRunGap != b.cjkRunGap { return say("analyzer.cjkRunGap", b.cjkRunGap, a.cjkRunGap) }
        return nil
    }
}

extension Schema {
    /// The options a field this schema does not declare gets: ``dynamicField`` under that
    /// name, never indexed when the name starts with `_`.
    func dynamicOptions(_ name: String) -> FieldOptions {
        var options = dynamicField
        options.name = name
        if name.hasPrefix("_") {
            options.indexed = false
            options.searchedByDefault = false
        }
        return options
    }

    /// The first difference between this schema (given to a writer) and `index`, the schema of
    /// the index it opens, as the error to throw; nil when they agree.
    ///
    /// They agree when every field this schema declares is in the index with the same options,
    /// every other field of the index has the options this schema's ``dynamicField`` would give
    /// it (it was added by a document), and the two dynamic templates are the same. Field order
    /// does not matter.
    /// - Complexity: O(fields²).
    func mismatch(withIndex index: Schema) -> PoiskError? {
        for field in fields {
            guard let existing = index.fields.first(where: { $0.name == field.name }) else {
                return .schemaMismatch(field: field.name, reason: "declared by the schema but not in the index")
            }
            if let difference = field.difference(fromIndex: existing) {
                return .schemaMismatch(field: field.name, reason: difference)
            }
        }
        for existing in index.fields where fieldID(existing.name) == nil {
            if let difference = dynamicOptions(existing.name).difference(fromIndex: existing) {
                return .schemaMismatch(
                    field: existing.name,
                    reason: "in the index but not declared by the schema, whose dynamic-field template differs: \(difference)")
            }
        }
        if let difference = dynamicField.difference(fromIndex: index.dynamicField) {
            return .schemaMismatch(field: "*", reason: "the dynamic-field template differs: \(difference)")
        }
        return nil
    }
}
