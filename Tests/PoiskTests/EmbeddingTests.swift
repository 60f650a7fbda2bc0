// The embedding conveniences: your own types, stored JSON sources, URLs, async entry points.

import Foundation
import Testing

import Poisk

struct Article: SearchIndexable, Codable, Equatable {
    var slug: String
    var headline: String
    var text: String
    var views: Int
    var searchID: String { slug }
    var searchFields: [String: String] { ["title": headline, "body": text] }
}

@Suite struct EmbeddingTests {
    func tempURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("poisk-embed-\(UUID().uuidString)")
    }

    @Test func ownTypesRoundTripThroughTheIndex() throws {
        let url = tempURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try IndexWriter(url: url)
        let a = Article(slug: "a", headline: "Patriot delivered", text: "Air defense for Kyiv", views: 42)
        let b = Article(slug: "b", headline: "Погода", text: "Дождь в Киеве", views: 7)
        try writer.add(encoding: a)
        try writer.add(b)  // indexed without a stored source
        try writer.commit()
        let reader = try IndexReader.open(url: url)
        let hit = try #require(try reader.search("patriot").hits.first)
        #expect(try hit.decode(Article.self) == a)
        #expect(try reader.search("Киеве").hits.map(\.id) == ["b"])
        let plain = try #require(try reader.search("дождь").hits.first)
        #expect(throws: PoiskError.self) { try plain.decode(Article.self) }
        // The stored JSON source is not searchable.
        #expect(try reader.search("views").total == 0)
        #expect(try reader.search("_source:patriot").total == 0)
    }

    @Test func asyncEntryPoints() async throws {
        let url = tempURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try IndexWriter(url: url)
        try writer.add(Document(id: "1", title: "Patriot", body: "missiles"))
        try await writer.commitInBackground()
        let reader = try await IndexReader.openInBackground(at: url.path)
        let results = try await reader.searchInBackground("patriot")
        #expect(results.total == 1)
        // Many tasks share one reader.
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try reader.search("missiles", options: SearchOptions()).total } }
            var all: [Int] = []
            for try await t in group { all.append(t) }
            return all
        }
        #expect(totals == Array(repeating: 1, count: 8))
        try await writer.mergeInBackground()
        writer.close()
    }
}
