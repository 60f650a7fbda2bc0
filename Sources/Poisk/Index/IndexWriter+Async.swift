// The writer's `async` overloads: the same calls as the synchronous ones, run on a Dispatch
// queue so that their writes and fsyncs never block a thread of Swift's cooperative pool.
//
// For: async code (`try await writer.commit()`). In synchronous code the same names call the
// synchronous forms. Not for: anything the synchronous API cannot do.

extension IndexWriter {
    /// The synchronous `commit(userData:)`, off the cooperative thread pool (it writes and fsyncs files).
    /// - Throws: as the synchronous form.
    public func commit(userData: [String: String]? = nil) async throws {
        try await runBlocking { try self.commit(userData: userData) }
    }

    /// The synchronous `merge(maxSegments:)`, off the cooperative thread pool (it reads and writes whole
    /// segments).
    /// - Throws: as the synchronous form.
    public func merge(maxSegments: Int = 1) async throws {
        try await runBlocking { try self.merge(maxSegments: maxSegments) }
    }
}
