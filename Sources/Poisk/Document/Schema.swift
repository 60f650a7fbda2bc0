// The schema: how each field of an index is analyzed, stored and boosted, and whether a schema
// given to a writer agrees with the one an existing index was built with.
//
// For: FieldOptions and Schema, saved with every segment and commit. Not for: documents
// (Document) or analysis itself (PoiskAnalysis).

/// How one field is indexed, stored and weighted.
///
/// A field is analysed ``FieldType/text`` (the default) or one of the typed kinds (keyword,
/// integer, double, date, boolean), which are matched exactly and never scored: a typed clause
/// of a query filters (see ``Occur/filter``). A typed field can be ``indexed`` (for filters and
/// ranges), ``stored`` (returned with hits) and ``columnar`` (a per-segment column of values for
/// sorting and facets), in any combination.
public struct FieldOptions: Sendable, Hashable {
    /// The field's name (`title`, `body`, …). `id` is reserved for the document key.
    public var name: String
    /// The field's kind. Default ``FieldType/text``.
    public var type: FieldType
    /// Whether the field's terms go into the inverted index (for a typed field: whether it can
    /// be filtered and ranged by).
    public var indexed: Bool
    /// Whether the field's text is kept, for results and snippets.
    public var stored: Bool
    /// Whether a typed field's values are kept in a column per segment, for sorting by the field
    /// and counting its values in facets (Lucene's doc values, Tantivy's fast fields). Only typed
    /// fields can be columnar; the typed constructors turn it on.
    public var columnar: Bool
    /// The weight of this field's BM25 score in the sum over fields (text fields only).
    public var boost: Double
    /// Whether a query word without `field:` searches this field (text fields only).
    public var searchedByDefault: Bool
    /// The analysis pipeline for this field (text fields only).
    public var analyzer: AnalyzerConfiguration

    /// Creates field options.
    /// - Parameters:
    ///   - name: the field's name.
    ///   - type: its kind (default text).
    ///   - indexed: searchable (text) or filterable (typed). Default true.
    ///   - stored: returned with hits. Default true.
    ///   - columnar: kept in columns for sorting and facets; nil (the default) turns it on for
    ///     typed fields and off for text.
    ///   - boost: the field's BM25 weight (text).
    ///   - searchedByDefault: searched by words without `field:` (text).
    ///   - analyzer: the analysis of a text field.
    public init(
        name: String, type: FieldType = .text, indexed: Bool = true, stored: Bool = true, columnar: Bool? = nil,
        boost: Double = 1, searchedByDefault: Bool = false, analyzer: AnalyzerConfiguration = .standard
    ) {
        self.name = name
        self.type = type
        self.indexed = indexed
        self.stored = stored
        self.columnar = columnar ?? type.isTyped
        self.boost = boost
        self.searchedByDefault = searchedByDefault
        self.analyzer = analyzer
    }

    /// A text field (analysed, scored).
    public static func text(
        _ name: String, boost: Double = 1, searchedByDefault: Bool = true, stored: Bool = true,
        analyzer: AnalyzerConfiguration = .standard
    ) -> FieldOptions {
        FieldOptions(name: name, boost: boost, searchedByDefault: searchedByDefault, analyzer: analyzer)
            .with(stored: stored)
    }

    /// A keyword field: exact strings, one or several per document; indexed, stored and columnar
    /// unless told otherwise.
    public static func keyword(_ name: String, indexed: Bool = true, stored: Bool = true, columnar: Bool = true) -> FieldOptions {
        FieldOptions(name: name, type: .keyword, indexed: indexed, stored: stored, columnar: columnar)
    }

    /// An integer field (64-bit); indexed, stored and columnar unless told otherwise.
    public static func integer(_ name: String, indexed: Bool = true, stored: Bool = true, columnar: Bool = true) -> FieldOptions {
        FieldOptions(name: name, type: .integer, indexed: indexed, stored: stored, columnar: columnar)
    }

    /// A floating-point field; indexed, stored and columnar unless told otherwise.
    public static func double(_ name: String, indexed: Bool = true, stored: Bool = true, columnar: Bool = true) -> FieldOptions {
        FieldOptions(name: name, type: .double, indexed: indexed, stored: stored, columnar: columnar)
    }

    /// A date field (ISO 8601 in, milliseconds since 1970 kept); indexed, stored and columnar
    /// unless told otherwise.
    public static func date(_ name: String, indexed: Bool = true, stored: Bool = true, columnar: Bool = true) -> FieldOptions {
        FieldOptions(name: name, type: .date, indexed: indexed, stored: stored, columnar: columnar)
    }

    /// A boolean field; indexed, stored and columnar unless told otherwise.
    public static func boolean(_ name: String, indexed: Bool = true, stored: Bool = true, columnar: Bool = true) -> FieldOptions {
        FieldOptions(name: name, type: .boolean, indexed: indexed, stored: stored, columnar: columnar)
    }

    private func with(stored: Bool) -> FieldOptions {
        var copy = self
        copy.stored = stored
        return copy
    }
}

extension FieldOptions: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, type, indexed, stored, columnar, boost, searchedByDefault, analyzer
    }

    /// Decodes options; `type` (text) and `columnar` (false) may be absent, as in the schemas
    /// of indexes written before typed fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decodeIfPresent(FieldType.self, forKey: .type) ?? .text
        indexed = try c.decode(Bool.self, forKey: .indexed)
        stored = try c.decode(Bool.self, forKey: .stored)
        columnar = try c.decodeIfPresent(Bool.self, forKey: .columnar) ?? false
        boost = try c.decode(Double.self, forKey: .boost)
        searchedByDefault = try c.decode(Bool.self, forKey: .searchedByDefault)
        analyzer = try c.decode(AnalyzerConfiguration.self, forKey: .analyzer)
    }

    /// Encodes options; `type` and `columnar` only when they are not the defaults (text, false),
    /// so a text field's JSON is what versions before typed fields wrote.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        if type != .text { try c.encode(type, forKey: .type) }
        try c.encode(indexed, forKey: .indexed)
        try c.encode(stored, forKey: .stored)
        if columnar { try c.encode(columnar, forKey: .columnar) }
        try c.encode(boost, forKey: .boost)
        try c.encode(searchedByDefault, forKey: .searchedByDefault)
        try c.encode(analyzer, forKey: .analyzer)
    }
}

/// The fields of an index. Fields not declared are added on first use: text with
/// ``dynamicField``'s options, a typed value (``Document/values``) as a field of its type (see
/// ``dynamicOptions(_:type:)``).
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
    mutating func fieldIDAdding(_ name: String, type: FieldType = .text) -> Int {
        if let id = fieldID(name) { return id }
        fields.append(dynamicOptions(name, type: type))
        return fields.count - 1
    }

    /// The options of a field by name, or nil.
    public func options(_ name: String) -> FieldOptions? { fields.first { $0.name == name } }

    /// Checks the schema: field names not empty, not `id`, not repeated, and only typed fields
    /// columnar.
    /// - Throws: `PoiskError.invalidArgument` naming the field and what to change.
    /// - Complexity: O(fields).
    public func validate() throws(PoiskError) {
        var seen = Set<String>()
        for f in fields {
            if f.name.isEmpty { throw PoiskError.invalidArgument(reason: "a field of the schema has an empty name") }
            if f.name == "id" {
                throw PoiskError.invalidArgument(reason: "'id' is the document key, not a field: rename the field")
            }
            guard seen.insert(f.name).inserted else {
                throw PoiskError.invalidArgument(reason: "field '\(f.name)' is declared twice in the schema")
            }
        }
        for f in fields + [dynamicField] where f.columnar && !f.type.isTyped {
            throw PoiskError.invalidArgument(
                reason:
                    "field '\(f.name)' is text and cannot be columnar: only keyword, integer, double, date and boolean fields can (declare it as a keyword to sort or facet by it)"
            )
        }
    }
}

extension FieldOptions {
    /// The first property in which `self` (a schema's) differs from `other` (an index's), said
    /// as "what in the index, what in the schema"; nil when they agree (names aside).
    func difference(fromIndex other: FieldOptions) -> String? {
        func say(_ what: String, _ index: Any, _ schema: Any) -> String {
            "\(what) is \(index) in the index, \(schema) in the schema"
        }
        if type != other.type { return say("type", other.type.rawValue, type.rawValue) }
        if indexed != other.indexed { return say("indexed", other.indexed, indexed) }
        if stored != other.stored { return say("stored", other.stored, stored) }
        if columnar != other.columnar { return say("columnar", other.columnar, columnar) }
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
    /// The options a field this schema does not declare gets: for text, ``dynamicField`` under
    /// that name; for a typed value (see ``FieldValue/inferredType``), a field of that type,
    /// indexed, stored and columnar. Never indexed when the name starts with `_`.
    public func dynamicOptions(_ name: String, type: FieldType = .text) -> FieldOptions {
        var options = type == .text ? dynamicField : FieldOptions(name: name, type: type)
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
            if let difference = dynamicOptions(existing.name, type: existing.type).difference(fromIndex: existing) {
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
