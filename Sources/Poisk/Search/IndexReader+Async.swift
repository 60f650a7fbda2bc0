// The reader's `async` overloads: the same calls as the synchronous ones, run on a Dispatch
// queue.
//
// For: async code (`try await IndexReader.open(at:)`, `try await reader.search(…)`). Opening maps
// files and verifies their small sections; a search is CPU-bound and usually takes microseconds,
// so the async forms matter for large result sets, long snippets and slow storage. In
// synchronous code the same names call the synchronous forms. Not for: anything new.

import Foundation

extension IndexReader {
    /// ``open(at:)-(String)``, off the cooperative thread pool.
    public static func open(at path: String) async throws -> IndexReader {
        try await runBlocking { try IndexReader.open(at: path) }
    }

    /// ``open(at:)-(URL)``, off the cooperative thread pool.
    public static func open(at url: URL) async throws -> IndexReader {
        try await runBlocking { try IndexReader.open(at: url) }
    }

    /// ``search(_:options:)-(String,_)``, off the cooperative thread pool.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) async throws -> SearchResults {
        try await runBlocking { try self.search(query, options: options) }
    }

    /// ``search(_:options:)-(Query,_)``, off the cooperative thread pool.
    public func search(_ query: Query, options: SearchOptions = SearchOptions()) async throws -> SearchResults {
        try await runBlocking { try self.search(query, options: options) }
    }

    /// ``count(_:options:)-(String,_)``, off the cooperative thread pool.
    public func count(_ query: String, options: SearchOptions = SearchOptions()) async throws -> Int {
        try await runBlocking { try self.count(query, options: options) }
    }

    /// ``count(_:options:)-(Query,_)``, off the cooperative thread pool.
    public func count(_ query: Query, options: SearchOptions = SearchOptions()) async throws -> Int {
        try await runBlocking { try self.count(query, options: options) }
    }
}
