// Conveniences for embedding: URLs, the caller's own types, Codable sources, async entry points.
//
// For: applications that index their own models and search from async code. Not for: new
// capabilities; everything here forwards to the core API.

import Foundation

/// A value of your own that can be indexed: it names its id and the text of its fields.
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
}

extension Document {
    /// The stored-only field that keeps an `Encodable` value's JSON (fields whose names start
    /// with `_` are stored but never indexed).
    public static let sourceField = "_source"

    /// A document from your own value: `fields` are indexed; `value` is stored as JSON in
    /// ``sourceField`` so ``SearchHit/decode(_:)`` can rebuild it.
    /// - Throws: the encoder's error when `value` cannot be encoded.
    public init<T: Encodable>(id: String, fields: [String: String], source value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        var all = fields
        all[Document.sourceField] = json
        self.init(id: id, fields: all)
    }
}

extension SearchHit {
    /// Decodes the value stored with ``Document/init(id:fields:source:)``.
    /// - Throws: `PoiskError.invalidDocument` when the hit has no stored source, or the
    ///   decoder's error when it does not match `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let json = document[Document.sourceField] else {
            throw PoiskError.invalidDocument(source: id, reason: "no stored \(Document.sourceField) to decode")
        }
        return try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}

extension IndexWriter {
    /// Opens (or creates) the index at a file URL. See ``init(path:schema:options:)``.
    public convenience init(url: URL, schema: Schema = .standard, options: IndexWriterOptions = IndexWriterOptions()) throws {
        try self.init(path: url.path, schema: schema, options: options)
    }

    /// Adds (or replaces, by id) a value of your own type; when it is `Encodable`, use
    /// ``add(encoding:)`` to store it for ``SearchHit/decode(_:)``.
    public func add(_ item: some SearchIndexable) throws {
        try add(Document(id: item.searchID, fields: item.searchFields))
    }

    /// Adds (or replaces, by id) a value of your own type and stores it as JSON.
    /// - Throws: the encoder's error, or `PoiskError.io` when a flush fails.
    public func add<T: SearchIndexable & Encodable>(encoding item: T) throws {
        try add(Document(id: item.searchID, fields: item.searchFields, source: item))
    }

    /// ``commit(userData:)`` on a Dispatch queue, so its writes and fsyncs never block a thread
    /// of Swift's cooperative pool.
    public func commitInBackground(userData: [String: String] = [:]) async throws {
        try await runBlocking { try self.commit(userData: userData) }
    }

    /// ``merge(maxSegments:)`` on a Dispatch queue (it reads and writes whole segments).
    public func mergeInBackground(maxSegments: Int = 1) async throws {
        try await runBlocking { try self.merge(maxSegments: maxSegments) }
    }
}

extension IndexReader {
    /// Opens the index at a file URL. See ``open(at:)``.
    public static func open(url: URL) throws -> IndexReader { try open(at: url.path) }

    /// ``open(at:)`` on a Dispatch queue (it maps files and verifies their small sections).
    public static func openInBackground(at path: String) async throws -> IndexReader {
        try await runBlocking { try IndexReader.open(at: path) }
    }

    /// ``search(_:options:)-(String,_)`` on a Dispatch queue. Searches are CPU-bound and usually
    /// take microseconds, so calling the synchronous form from a task is fine; use this one for
    /// large result sets or long snippets.
    public func searchInBackground(_ query: String, options: SearchOptions = SearchOptions()) async throws -> SearchResults {
        try await runBlocking { try self.search(query, options: options) }
    }
}

/// Runs blocking work on a Dispatch queue and resumes the caller when it finishes, so long I/O
/// never blocks a thread of Swift's cooperative pool.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
