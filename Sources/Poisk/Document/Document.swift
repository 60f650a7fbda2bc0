// Documents: what users hand to the writer and get back from search.
//
// For: a document's id and named text fields. Not for: how fields are analyzed and weighted
// (Schema), parsing files (DocumentLoader) or the on-disk layout (Format/).

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

    /// A document with exactly `storedFields` (no empty `title` and `body` added).
    init(id: String, storedFields: [String: String]) {
        self.id = id
        self.fields = storedFields
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
