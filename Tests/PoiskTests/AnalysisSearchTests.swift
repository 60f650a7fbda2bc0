// Analysis as a searcher meets it: query words analyzed like the documents.

import Testing

@testable import Poisk

@Suite struct AnalysisSearchTests {
    @Test func seedVariantsFindThePatriotArticles() throws {
        let reader = try IndexReader.inMemory(try Fixtures.seedDocuments())
        let expected = Set(try reader.search("Patriot").hits.map(\.id))
        #expect(expected.count == 4)
        for q in ["Patriots", "PATRIOT", "Пatriot", "patriot’s"] {
            #expect(Set(try reader.search(q).hits.map(\.id)) == expected, "\(q)")
        }
    }

    @Test func russianSentences() throws {
        let docs = [
            Document(id: "r1", body: "Над городом сбили несколько ракет."),
            Document(id: "r2", body: "Армия ударила ракетами по складам."),
            Document(id: "r3", body: "В парке поставили высокую елку."),
            Document(id: "r4", body: "Старинный замок стоит на холме."),
            Document(id: "r5", body: "Таблетки с йодом раздали жителям."),
            Document(id: "r6", body: "Погода сегодня тёплая."),
        ]
        let reader = try IndexReader.inMemory(docs)
        #expect(Set(try reader.search("ракеты").hits.map(\.id)) == ["r1", "r2"])
        #expect(Set(try reader.search("ёлка").hits.map(\.id)) == ["r3"])
        #expect(Set(try reader.search("за\u{301}мок").hits.map(\.id)) == ["r4"])
        #expect(Set(try reader.search("и\u{306}одом").hits.map(\.id)) == ["r5"])
        #expect(Set(try reader.search("теплая").hits.map(\.id)) == ["r6"])
    }

    @Test func theIndexKeepsItsAnalyzer() throws {
        var schema = Schema.standard
        schema.fields[1].analyzer = .unstemmed
        let reader = try IndexReader.inMemory([Document(id: "a", body: "ракетами")], schema: schema)
        // Stemming is off for body in this index, so queries are not stemmed either.
        #expect(try reader.search("body:ракеты").total == 0)
        #expect(try reader.search("body:ракетами").total == 1)
        #expect(reader.analyzer(for: "body").configuration == .unstemmed)
    }
}
