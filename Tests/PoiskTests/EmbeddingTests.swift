// The embedding API: your own types, stored JSON sources, URLs, async overloads, results as a
// collection, counts of query strings, and schemas that must agree with the index's.

import Foundation
import Poisk
import Testing

struct Article: SearchIndexable, Codable, Equatable {
    var slug: String
    var headline: String
    var text: String
    var views: Int
    var searchID: String { slug }
    var searchFields: [String: String] { ["title": headline, "body": text] }
}

/// A type that is not `Encodable`: indexed, nothing stored to decode.
struct Note: SearchIndexable {
    var key: String
    var words: String
    var searchID: String { key }
    var searchFields: [String: String] { ["body": words] }
}

@Suite struct EmbeddingTests {
    func tempURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("poisk-embed-\(UUID().uuidString)")
    }

    @Test func encodableValuesAreStoredAndDecode() throws {
        let url = tempURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try IndexWriter(at: url)
        let a = Article(slug: "a", headline: "Patriot delivered", text: "Air defense for Kyiv", views: 42)
        let b = Article(slug: "b", headline: "Погода", text: "Дождь в Киеве", views: 7)
        try writer.add(a)
        try writer.add(contentsOf: [b])
        try writer.add(Note(key: "n", words: "дождь note"))
        // Through existentials too: the dynamic type decides.
        let mixed: [any SearchIndexable] = [Article(slug: "c", headline: "Third", text: "rain", views: 1)]
        for item in mixed { try writer.add(item) }
        try writer.commit()
        let reader = try IndexReader.open(at: url)
        let hit = try #require(try reader.search("patriot").first)
        #expect(try hit.decode(Article.self) == a)
        #expect(try hit.document.decode(Article.self) == a)
        #expect(try reader.search("Киеве").first?.decode(Article.self) == b)
        #expect(try reader.search("rain").first?.decode(Article.self).slug == "c")
        let note = try #require(try reader.search("note").first)
        #expect(throws: PoiskError.self) { try note.decode(Article.self) }
        // The stored JSON source is not searchable.
        #expect(try reader.search("views").total == 0)
        #expect(try reader.search("_source:patriot").total == 0)
    }

    @Test func documentsAreNeverWrapped() throws {
        let document = Document(id: "1", title: "Patriot", body: "missiles")
        #expect(try Document(indexing: document) == document)
        let reader = try IndexReader.inMemory([document])
        #expect(try reader.search("patriot").first?.document[Document.sourceField] == nil)
    }

    @Test func resultsAreACollectionAndStringsCount() throws {
        let reader = try IndexReader.inMemory([
            Document(id: "1", title: "Patriot", body: "missiles"),
            Document(id: "2", title: "Patriot", body: "air defense"),
            Document(id: "3", title: "Weather", body: "rain"),
        ])
        let results = try reader.search("patriot", options: SearchOptions(limit: 1))
        #expect(results.total == 2)
        #expect(results.count == 1)
        #expect(results.map(\.id) == results.hits.map(\.id))
        #expect(results[0] == results.hits[0])
        #expect(try reader.count("patriot") == 2)
        #expect(try reader.count("patriot missiles") == 1)
        #expect(try reader.count("patriot missiles", options: SearchOptions(defaultOperator: .or)) == 2)
        #expect(throws: PoiskError.self) { try reader.count("(patriot") }
    }

    @Test func asyncOverloads() async throws {
        let url = tempURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try IndexWriter(at: url)
        try writer.add(Document(id: "1", title: "Patriot", body: "missiles"))
        try await writer.commit()
        let reader = try await IndexReader.open(at: url)
        #expect(try await reader.search("patriot").total == 1)
        #expect(try await reader.search(Query.term("missiles")).total == 1)
        #expect(try await reader.count("patriot") == 1)
        // Many tasks share one reader.
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await reader.search("missiles").total } }
            var all: [Int] = []
            for try await t in group { all.append(t) }
            return all
        }
        #expect(totals == Array(repeating: 1, count: 8))
        try await writer.merge()
        writer.close()
        #expect(try await IndexReader.open(at: url.path).documentCount == 1)
    }

    @Test func aSchemaThatDiffersFromTheIndexIsRefused() throws {
        let url = tempURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try IndexWriter(at: url)
        try writer.add(Document(id: "1", title: "Patriot", body: "missiles", fields: ["tag": "news"]))
        try writer.commit()
        writer.close()
        // No schema: the index's own. The same schema: fine (the dynamic `tag` field agrees
        // with the template).
        try IndexWriter(at: url).close()
        try IndexWriter(at: url, schema: .standard).close()
        func refusal(_ schema: Schema) -> PoiskError? {
            do {
                try IndexWriter(at: url, schema: schema).close()
                return nil
            } catch let error as PoiskError {
                return error
            } catch {
                return nil
            }
        }
        var boosted = Schema.standard
        boosted.fields[0].boost = 3
        #expect(refusal(boosted) == .schemaMismatch(field: "title", reason: "boost is 2.0 in the index, 3.0 in the schema"))
        var unstemmed = Schema.standard
        unstemmed.fields[1].analyzer = .unstemmed
        #expect(refusal(unstemmed) == .schemaMismatch(field: "body", reason: "analyzer.stemming is true in the index, false in the schema"))
        var extra = Schema.standard
        extra.fields.append(FieldOptions(name: "summary"))
        #expect(refusal(extra) == .schemaMismatch(field: "summary", reason: "declared by the schema but not in the index"))
        let titleOnly = Schema(fields: [FieldOptions(name: "title", boost: 2, searchedByDefault: true)])
        if case .schemaMismatch(let field, _) = refusal(titleOnly) { #expect(field == "body") } else { Issue.record("accepted") }
        var template = Schema.standard
        template.dynamicField.stored = false
        if case .schemaMismatch(let field, _) = refusal(template) { #expect(field == "tag") } else { Issue.record("accepted") }
        // The message says what to do.
        #expect(refusal(boosted)?.description.contains("open the writer without a schema") == true)
        // Field order does not matter.
        try IndexWriter(at: url, schema: Schema(fields: Schema.standard.fields.reversed())).close()
    }
}
