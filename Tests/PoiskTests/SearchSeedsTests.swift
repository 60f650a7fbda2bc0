// End-to-end search over the seed articles through the library.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct SearchSeedsTests {
    let reader: IndexReader

    init() throws {
        reader = try IndexReader.inMemory(try Fixtures.seedDocuments())
    }

    @Test func patriotFindsTheFourArticlesWith000First() throws {
        let results = try reader.search("Patriot")
        #expect(results.total == 4)
        let ids = results.hits.map(\.id)
        #expect(Set(ids) == ["000_b12ab77b13486087.txt", "002_d3562a3d2d08cdb6.txt", "003_1a0085ccc8c9eb6a.txt", "004_c9c46d5bc268ac0b.txt"])
        #expect(ids.first == "000_b12ab77b13486087.txt")
        for hit in results.hits { #expect(hit.snippet.contains("**Patriot**")) }
        // Scores are ordered, highest first.
        #expect(zip(results.hits, results.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func booleanOperators() throws {
        let patriot = Set(try reader.search("Patriot").hits.map(\.id))
        let hellfire = Set(try reader.search("Hellfire").hits.map(\.id))
        #expect(!hellfire.isEmpty)
        let not = Set(try reader.search("Patriot NOT Hellfire").hits.map(\.id))
        #expect(not == patriot.subtracting(hellfire))
        #expect(Set(try reader.search("Patriot -Hellfire").hits.map(\.id)) == not)
        let and = Set(try reader.search("Patriot AND Hellfire").hits.map(\.id))
        #expect(and == patriot.intersection(hellfire))
        let or = Set(try reader.search("Patriot OR Hellfire").hits.map(\.id))
        #expect(or == patriot.union(hellfire))
        // Implicit AND.
        #expect(Set(try reader.search("Patriot Hellfire").hits.map(\.id)) == and)
        #expect(try reader.search("Patriot xyzzyunknownword").total == 0)
        #expect(try reader.search("Patriot OR xyzzyunknownword").total == patriot.count)
    }

    @Test func limitAndOffsetPage() throws {
        let all = try reader.search("Ukraine", options: SearchOptions(limit: 5)).hits.map(\.id)
        let page = try reader.search("Ukraine", options: SearchOptions(limit: 2, offset: 1)).hits.map(\.id)
        #expect(Array(all[1..<3]) == page)
    }

    @Test func highlightStyles() throws {
        var options = SearchOptions()
        options.highlight = .html
        #expect(try reader.search("Patriot", options: options).hits[0].snippet.contains("<mark>Patriot</mark>"))
        options.highlight = .none
        let plain = try reader.search("Patriot", options: options).hits[0].snippet
        #expect(!plain.contains("**") && plain.contains("Patriot"))
        options.highlight = .ansi
        #expect(try reader.search("Patriot", options: options).hits[0].snippet.contains("\u{1B}[1mPatriot\u{1B}[0m"))
    }

    @Test func matchOffsetsPointAtTheWords() throws {
        let hit = try #require(try reader.search("Patriot").hits.first)
        let body = Array(hit.document.body.utf8)
        #expect(!hit.matches.isEmpty)
        for m in hit.matches {
            #expect(String(decoding: body[m], as: UTF8.self).lowercased().hasPrefix("patriot"))
        }
    }

    @Test func storedFieldsComeBack() throws {
        let docs = try Fixtures.seedDocuments()
        for d in docs {
            let stored = try #require(try reader.document(id: d.id))
            #expect(stored == d)
        }
    }
}
