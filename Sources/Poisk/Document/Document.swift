// Documents: what users hand to the writer and get back from search.
//
// For: a document's id, named text fields and typed values. Not for: how fields are analyzed
// and weighted (Schema), parsing files (DocumentLoader) or the on-disk layout (Format/).

/// A document: a unique string `id`, named text fields (`title`, `body`, and any others) and
/// typed values (keywords, numbers, dates, booleans).
///
/// A field's value comes from ``values`` when it has one there, else from ``fields``: the text
/// of a typed field (`"2025-07-01"` for a date field, `"1587"` for an integer field) is parsed
/// as that type when the document is added (see ``FieldValue/parse(_:as:)``), so documents built
/// from strings alone work with a typed schema.
///
/// ```swift
/// var note = Document(id: "notes/kyiv.md", title: "Kyiv", body: "…")
/// note.values = ["tags": .keywords(["ukraine", "travel"]), "date": .date(ISODate.parse("2025-07-08")!),
///                "words": .integer(812), "draft": .boolean(false)]
/// ```
public struct Document: Sendable, Hashable {
    /// The unique key of the document. Adding a document whose id exists replaces it at commit.
    public var id: String
    /// The text fields by name. `title` and `body` are the conventional ones.
    public var fields: [String: String]
    /// The typed values by field name. A name here takes precedence over the same name in
    /// ``fields``. A hit's document has its typed fields here, read back in their field's type.
    public var values: [String: FieldValue]

    /// Creates a document.
    /// - Parameters:
    ///   - id: unique key.
    ///   - title: the `title` field.
    ///   - body: the `body` field.
    ///   - fields: more text fields by name (they override `title`/`body` if named so).
    ///   - values: typed values by field name.
    public init(
        id: String, title: String = "", body: String = "", fields: [String: String] = [:],
        values: [String: FieldValue] = [:]
    ) {
        self.id = id
        var all = ["title": title, "body": body]
        for (k, v) in fields { all[k] = v }
        self.fields = all
        self.values = values
    }

    /// A document with exactly `storedFields` (no empty `title` and `body` added) and `values`.
    init(id: String, storedFields: [String: String], values: [String: FieldValue] = [:]) {
        self.id = id
        self.fields = storedFields
        self.values = values
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

    /// The text of a field, or nil: its text field, else its typed value as text
    /// (``FieldValue/description``). Setting sets the text field.
    public subscript(field: String) -> String? {
        get { fields[field] ?? values[field]?.description }
        set { fields[field] = newValue }
    }
}

extension Document: Codable {
    private enum CodingKeys: String, CodingKey { case id, fields, values }

    /// Decodes a document; `values` may be absent (documents encoded before typed values).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        fields = try c.decode([String: String].self, forKey: .fields)
        values = try c.decodeIfPresent([String: FieldValue].self, forKey: .values) ?? [:]
    }

    /// Encodes a document; `values` only when there are any.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(fields, forKey: .fields)
        if !values.isEmpty { try c.encode(values, forKey: .values) }
    }
}

extension FieldValue: Codable {
    private enum CodingKeys: String, CodingKey { case keyword, keywords, integer, double, date, boolean }

    /// Decodes a value written by ``encode(to:)``: an object with one key naming the case.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let key = c.allKeys.first, c.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: c.codingPath, debugDescription: "expected one of keyword, keywords, integer, double, date, boolean"))
        }
        switch key {
        case .keyword: self = .keyword(try c.decode(String.self, forKey: key))
        case .keywords: self = .keywords(try c.decode([String].self, forKey: key))
        case .integer: self = .integer(try c.decode(Int64.self, forKey: key))
        case .double: self = .double(try c.decode(Double.self, forKey: key))
        case .date: self = .date(try c.decode(Int64.self, forKey: key))
        case .boolean: self = .boolean(try c.decode(Bool.self, forKey: key))
        }
    }

    /// Encodes the value as an object with one key naming the case: `{"integer": 1587}`,
    /// `{"date": 1751932800000}` (milliseconds).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .keyword(let s): try c.encode(s, forKey: .keyword)
        case .keywords(let list): try c.encode(list, forKey: .keywords)
        case .integer(let n): try c.encode(n, forKey: .integer)
        case .double(let d): try c.encode(d, forKey: .double)
        case .date(let ms): try c.encode(ms, forKey: .date)
        case .boolean(let b): try c.encode(b, forKey: .boolean)
        }
    }
}
