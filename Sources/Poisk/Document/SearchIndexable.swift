// Indexing values of your own types, and getting them back from hits.
//
// For: applications that index their own models. A value names its id and the text of its
// fields; when its type is `Encodable`, its JSON encoding is stored with it and decodes back.
// Not for: how fields are analyzed (Schema) or the writer's buffering (IndexWriter).

import Foundation

/// A value of your own that can be indexed: it names its id and the text of its fields.
///
/// ``IndexWriter/add(_:)-(SearchIndexable)`` indexes ``searchFields`` (and stores their text, as
/// for a ``Document``). When the value's type also conforms to `Encodable`, the writer stores
/// its JSON encoding too, in the stored-only field ``Document/sourceField`` (`_source`), and
/// ``SearchHit/decode(_:)`` rebuilds the value from a hit. Whether a value is `Encodable` is
/// decided by its dynamic type at every add, so a value added through an array of
/// `any SearchIndexable` is stored the same way as one added on its own. A ``Document`` (itself
/// `Codable`) is never wrapped: its fields are what is stored.
///
/// ```swift
/// struct Article: SearchIndexable, Codable {
///     var slug: String, headline: String, text: String
///     var searchID: String { slug }
///     var searchFields: [String: String] { ["title": headline, "body": text] }
/// }
/// try writer.add(article)                  // fields indexed, the whole value stored as JSON
/// let back = try hit.decode(Article.self)  // from the stored source
/// ```
public protocol SearchIndexable {
    /// The unique id of the value in the index.
    var searchID: String { get }
    /// The text of each field to index (`title`, `body`, or your own names).
    var searchFields: [String: String] { get }
    /// Typed values to index (keywords, numbers, dates, booleans; see ``Document/values``).
    /// Default: none.
    var searchValues: [String: FieldValue] { get }
}

extension SearchIndexable {
    /// No typed values.
    public var searchValues: [String: FieldValue] { [:] }
}

extension Document: SearchIndexable {
    /// The document's ``id``.
    public var searchID: String { id }
    /// The document's ``fields``.
    public var searchFields: [String: String] { fields }
    /// The document's ``values``.
    public var searchValues: [String: FieldValue] { values }
}

extension Document {
    /// The stored-only field that keeps an `Encodable` value's JSON (fields whose names start
    /// with `_` are stored but never indexed).
    public static let sourceField = "_source"

    /// A document from your own value: `fields` and `values` are indexed; `value` is stored as JSON (keys
    /// sorted) in ``sourceField`` so ``decode(_:)`` can rebuild it.
    /// - Throws: the encoder's error when `value` cannot be encoded.
    public init<T: Encodable>(
        id: String, fields: [String: String], values: [String: FieldValue] = [:], source value: T
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        var all = fields
        all[Document.sourceField] = json
        self.init(id: id, fields: all, values: values)
    }

    /// The document the writer indexes for `item`: `item` itself when it is a ``Document``;
    /// otherwise its id and fields, plus its JSON in ``sourceField`` when its dynamic type is
    /// `Encodable` (see ``SearchIndexable``).
    /// - Throws: the encoder's error when an `Encodable` value cannot be encoded.
    public init(indexing item: some SearchIndexable) throws {
        if let document = item as? Document {
            self = document
        } else if let value = item as? any Encodable {
            try self.init(id: item.searchID, fields: item.searchFields, values: item.searchValues, source: value)
        } else {
            self.init(id: item.searchID, fields: item.searchFields, values: item.searchValues)
        }
    }

    /// Decodes the value stored in ``sourceField`` (by adding an `Encodable` value, or with
    /// ``init(id:fields:source:)``).
    /// - Throws: `PoiskError.invalidDocument` when the document has no stored source, or the
    ///   decoder's error when the source does not match `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let json = fields[Document.sourceField] else {
            throw PoiskError.invalidDocument(source: id, reason: "no stored \(Document.sourceField) to decode")
        }
        return try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}

extension SearchHit {
    /// Decodes the value stored with the hit's document (see ``Document/decode(_:)``).
    /// - Throws: `PoiskError.invalidDocument` when the hit has no stored source, or the
    ///   decoder's error when it does not match `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(type) }
}
