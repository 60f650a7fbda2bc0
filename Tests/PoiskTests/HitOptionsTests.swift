// What a hit carries: ids and scores only, the stored fields named, snippets of the fields named;
// the defaults and `snippetField` as before. Ids come from the id column without touching the
// stored fields.
//
// For: SearchOptions.storedFields / snippetFields / idsOnly, SearchHit.snippets, the id column.
// Not for: the snippets' text (SnippetIdentityTests), partial reads of stored-field blocks
// (StoredFieldsTests).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct HitOptionsTests {
    let reader: IndexReader
    let documents: [Document]

    init() throws {
        documents = try Fixtures.seedDocuments() + (try SnippetFixtures.documents())
        reader = try IndexReader.inMemory(documents)
    }

    @Test func theDefaultsAreAllStoredFieldsAndABodySnippet() throws {
        let options = SearchOptions()
        #expect(options.storedFields == .all)
        #expect(options.snippetFields == ["body"])
        #expect(options.snippetField == "body")
        for hit in try reader.search("kernel OR Patriot") {
            #expect(hit.document == documents.first { $0.id == hit.id })
            #expect(hit.snippets.keys.sorted() == ["body"])
            #expect(hit.snippet == hit.snippets["body"]?.text)
            #expect(hit.matches == hit.snippets["body"]?.matches)
            #expect(!hit.snippet.isEmpty)
        }
    }

    @Test func snippetFieldIsTheFirstSnippetField() throws {
        var options = SearchOptions(snippetField: "title")
        #expect(options.snippetFields == ["title"])
        options.snippetField = "body"
        #expect(options.snippetFields == ["body"])
        options.snippetFields = ["title", "body"]
        #expect(options.snippetField == "title")
        options.snippetFields = []
        #expect(options.snippetField == "")
        #expect(SearchOptions(snippetField: "title", snippetFields: ["body"]).snippetFields == ["body"])
        // The old spelling gives what it gave: a title snippet in `snippet`.
        let hit = try #require(try reader.search("memory", options: SearchOptions(snippetField: "title")).first)
        #expect(hit.snippet == hit.snippets["title"]?.text)
        #expect(hit.snippet.contains("**"))
    }

    @Test func idsOnlyHitsHaveIdsAndScoresAndNothingElse() throws {
        for query in ["kernel", "Patriot", "\"air defense\"", "ядро OR 内核", "mem*"] {
            let full = try reader.search(query, options: SearchOptions(limit: 20))
            var options = SearchOptions.idsOnly
            options.limit = 20
            let lean = try reader.search(query, options: options)
            #expect(lean.total == full.total)
            #expect(lean.hits.map(\.id) == full.hits.map(\.id))
            #expect(lean.hits.map(\.score) == full.hits.map(\.score))
            for hit in lean.hits {
                #expect(hit.document.fields.isEmpty)
                #expect(hit.document.id == hit.id)
                #expect(hit.snippet.isEmpty && hit.matches.isEmpty && hit.snippets.isEmpty)
                #expect(hit.title == "")
            }
        }
    }

    @Test func storedFieldsNamedAreTheOnesLoaded() throws {
        var options = SearchOptions(storedFields: ["title"], snippetFields: [])
        options.limit = 30
        let hits = try reader.search("kernel OR Patriot OR ядро", options: options).hits
        #expect(hits.count > 5)
        for hit in hits {
            let document = try #require(documents.first { $0.id == hit.id })
            #expect(hit.document.fields == ["title": document.title])
            #expect(hit.title == document.title)
        }
        options.storedFields = .only(["body", "nonexistent"])
        for hit in try reader.search("kernel", options: options) {
            #expect(hit.document.fields.keys.sorted() == ["body"])
        }
        options.storedFields = .none
        #expect(try reader.search("kernel", options: options).allSatisfy { $0.document.fields.isEmpty })
        #expect(FieldSelection.all.contains("x") && !FieldSelection.none.contains("x"))
        #expect(FieldSelection(arrayLiteral: "a", "b") == .only(["a", "b"]))
    }

    @Test func snippetsOfSeveralFields() throws {
        var options = SearchOptions(storedFields: .none, snippetFields: ["title", "body", "nonexistent"])
        options.highlight = .html
        let hits = try reader.search("memory", options: options).hits
        #expect(!hits.isEmpty)
        for hit in hits {
            #expect(hit.snippets.keys.sorted() == ["body", "nonexistent", "title"])
            #expect(hit.snippets["nonexistent"] == HitSnippet(text: "", matches: []))
            #expect(hit.snippet == hit.snippets["title"]?.text)
            let document = try #require(documents.first { $0.id == hit.id })
            // Each snippet's matches are ranges of its own field's text.
            for (field, snippet) in hit.snippets where field != "nonexistent" {
                let text = Array((document[field] ?? "").utf8)
                for m in snippet.matches {
                    #expect(m.upperBound <= text.count)
                    let word = String(decoding: text[m], as: UTF8.self).lowercased()
                    #expect(word.hasPrefix("memor"), "\(field): \(word)")
                }
            }
        }
        // The same field twice is one snippet.
        options.snippetFields = ["body", "body"]
        #expect(try reader.search("memory", options: options).allSatisfy { $0.snippets.count == 1 })
    }

    /// A hit's id comes from the id column: with the stored fields damaged, ids-only searches
    /// still answer, and searches that load stored text report the damage.
    @Test func idsDoNotReadStoredFields() throws {
        let builder = SegmentBuilder(schema: .standard)
        for d in documents { builder.add(d) }
        var bytes = builder.finish(name: "s")
        let file = try SegmentFileReader(FileBytes(copying: bytes, name: "s"))
        let stored = try #require(file.sections.first { $0.kind == SectionKind.stored.rawValue })
        bytes[stored.offset + stored.length / 2] ^= 0xFF
        let segment = try SegmentReader(bytes: FileBytes(copying: bytes, name: "s"), verify: false)
        let damaged = IndexReader(segments: [SegmentView(reader: segment, deleted: nil)], generation: 0)
        let ids = try damaged.search("kernel", options: .idsOnly)
        #expect(ids.hits.map(\.id) == (try reader.search("kernel", options: .idsOnly)).hits.map(\.id))
        #expect(throws: PoiskError.self) { _ = try damaged.search("kernel") }
        for doc in 0..<segment.docCount {
            #expect(try segment.documentID(Int32(doc)) == documents[doc].id)
        }
    }
}
