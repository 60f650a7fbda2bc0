// The bad-input matrix: every input a user can get wrong ends in documented behaviour or a clear
// PoiskError, never a crash.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct BadInputTests {
    @Test func invalidUTF8IsDecodedWithReplacementAndStillIndexed() throws {
        try withTemporaryDirectory { dir in
            try Data([0x50, 0x61, 0x74, 0x72, 0x69, 0x6F, 0x74, 0x20, 0xFF, 0xC3, 0x28, 0x20, 0x6F, 0x6B])
                .write(to: URL(fileURLWithPath: dir + "/bad.txt"))
            var loader = DocumentLoader()
            let docs = try loader.load(paths: [dir])
            #expect(docs.count == 1)
            #expect(docs[0].body.contains("\u{FFFD}"))
            let reader = try IndexReader.inMemory(docs)
            #expect(try reader.search("patriot").total == 1)
            #expect(try reader.search("ok").total == 1)
        }
    }

    @Test func nulBytesEmptyDocumentsAndEmptyFields() throws {
        let docs = [
            Document(id: "nul", body: "alpha\u{0}beta"),
            Document(id: "empty"),
            Document(id: "", body: "an empty id is allowed"),
            Document(id: "spaces", title: "   ", body: "\n\n\t"),
        ]
        let reader = try IndexReader.inMemory(docs)
        #expect(reader.documentCount == 4)
        #expect(try reader.search("alpha").hits.map(\.id) == ["nul"])
        #expect(try reader.search("beta").hits.map(\.id) == ["nul"])
        #expect(try reader.document(id: "empty") != nil)
        #expect(try reader.search("allowed").hits.map(\.id) == [""])
    }

    @Test func duplicateIdsInOneBatchLastWins() throws {
        let reader = try IndexReader.inMemory([
            Document(id: "x", body: "first"), Document(id: "x", body: "second"), Document(id: "x", body: "third"),
        ])
        #expect(reader.documentCount == 1)
        #expect(try reader.document(id: "x")?.body == "third")
        #expect(try reader.search("first OR second").total == 0)
    }

    @Test func overlongWordsAreSkippedAsDocumented() throws {
        let long = String(repeating: "x", count: Analyzer.maxTermBytes + 1)
        let ok = String(repeating: "y", count: Analyzer.maxTermBytes)
        let reader = try IndexReader.inMemory([Document(id: "w", body: "\(long) \(ok) tail")])
        #expect(try reader.search(long).total == 0)  // skipped at index and query time alike
        #expect(try reader.search(ok).total == 1)
        #expect(try reader.search("tail").total == 1)
    }

    @Test func queriesThatAreEmptyPunctuationOrStopWords() throws {
        let reader = try IndexReader.inMemory([Document(id: "a", body: "the cat")])
        #expect(throws: PoiskError.self) { try reader.search("") }
        #expect(throws: PoiskError.self) { try reader.search("   ") }
        // Punctuation only: the analyzer leaves no term, so nothing matches (not an error).
        #expect(try reader.search("!!! ...").total == 0)
        // Stop words are indexed by default, so they match; with stop words on they are dropped.
        #expect(try reader.search("the").total == 1)
        var schema = Schema.standard
        schema.fields[1].analyzer = AnalyzerConfiguration(stopWords: [.english])
        let stopped = try IndexReader.inMemory([Document(id: "a", body: "the cat")], schema: schema)
        #expect(try stopped.search("body:the").total == 0)
        #expect(try stopped.search("body:(the cat)").total == 1)
    }

    @Test func deeplyNestedQueriesAreAnErrorNotAStackOverflow() throws {
        let reader = try IndexReader.inMemory([Document(id: "a", body: "a")])
        let deep = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        #expect(throws: PoiskError.self) { try reader.search(deep) }
        #expect(throws: PoiskError.self) { try reader.search(String(repeating: "NOT ", count: 10_000) + "a") }
        // A word of ten thousand dashes is just a word: the analyzer keeps "a"; no error, no crash.
        #expect(try reader.search("-" + String(repeating: "-", count: 10_000) + "a").total == 0)
    }

    @Test func aLargeDocumentIsIndexed() throws {
        // 8 MB in the debug test run; `Scripts/bad-inputs.sh` runs the 50 MB and 1,000,000-document
        // cases against the release binary.
        var words: [String] = []
        words.reserveCapacity(1_000_000)
        for i in 0..<1_000_000 { words.append(i % 1000 == 0 ? "needle\(i % 7)" : "hay") }
        let body = words.joined(separator: " ")
        #expect(body.utf8.count > 4_000_000)
        let reader = try IndexReader.inMemory([Document(id: "big", body: body), Document(id: "small", body: "hay")])
        #expect(try reader.search("needle3").hits.map(\.id) == ["big"])
        let hit = try #require(try reader.search("needle3").hits.first)
        #expect(hit.snippet.contains("**needle3**"))
    }

    @Test func manyTinyDocuments() throws {
        try withTemporaryDirectory { dir in
            var options = IndexWriterOptions()
            options.memoryBudgetBytes = 8 * 1024 * 1024
            let writer = try IndexWriter(at: dir, options: options)
            for i in 0..<50_000 { try writer.add(Document(id: "d\(i)", body: i % 2 == 0 ? "even" : "odd")) }
            try writer.commit()
            let reader = try writer.reader()
            #expect(reader.documentCount == 50_000)
            #expect(try reader.search("even").total == 25_000)
            #expect(try IndexChecker.check(at: dir).isValid)
        }
    }

    @Test func pathsThatDoNotExistOrAreNotIndexes() throws {
        #expect(throws: PoiskError.fileNotFound(path: "/nonexistent/poisk-index")) {
            _ = try IndexReader.open(at: "/nonexistent/poisk-index")
        }
        try withTemporaryDirectory { dir in
            #expect(throws: PoiskError.notAnIndex(path: dir)) { _ = try IndexReader.open(at: dir) }
            let file = dir + "/plain.txt"
            try "hello".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(throws: PoiskError.notAnIndex(path: file)) { _ = try IndexReader.open(at: file) }
            #expect(throws: PoiskError.self) { _ = try IndexWriter(at: file) }
        }
    }

    @Test func unreadableFilesAreReported() throws {
        guard getuid() != 0 else { return }  // root reads everything; the permission case needs a user
        try withTemporaryDirectory { dir in
            let file = dir + "/secret.txt"
            try "x".write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0)
            var loader = DocumentLoader()
            #expect(throws: PoiskError.self) { _ = try loader.load(paths: [file]) }
        }
    }
}
