// Loading documents from folders, text files and JSON Lines.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct DocumentLoaderTests {
    @Test func seedsFolder() throws {
        let docs = try Fixtures.seedDocuments()
        #expect(docs.count == 5)
        #expect(docs.map(\.id) == docs.map(\.id).sorted())
        #expect(docs[0].id == "000_b12ab77b13486087.txt")
        #expect(docs[0].title == "Today: Jul 08, 2025")
        #expect(docs[2].title == "So much for peace? Trump to send weapons to Ukraine as ceasefire talks hit wall")
        // A first line that is a paragraph is shortened to a title.
        #expect(docs[4].title.count <= DocumentLoader.maxTitleCharacters + 1)
        #expect(docs[4].title.hasSuffix("…"))
    }

    @Test func gzipJSONLinesAreDecompressedWhole() throws {
        // 589,170 bytes of JSON Lines (many reads of the pipe), Cyrillic included.
        let path = Fixtures.fixtures.appendingPathComponent("gzip-3000.jsonl.gz").path
        #expect(try DocumentLoader.readFile(path).count == 589_170)
        var docs: [Document] = []
        try DocumentLoader.loadJSONLines(path: path, into: &docs)
        #expect(docs.count == 3_000)
        #expect(docs.first?.id == "d0")
        #expect(docs.last?.id == "d2999")
        #expect(docs[1].title == "Документ 1")
        #expect(docs[2_999].body.hasSuffix(" n2999"))
    }

    @Test func damagedGzipIsAnIOErrorAndMissingIsNotFound() throws {
        let good = try Data(contentsOf: Fixtures.fixtures.appendingPathComponent("gzip-3000.jsonl.gz"))
        try withTemporaryDirectory { dir in
            let cases: [(String, Data)] = [
                ("truncated.jsonl.gz", good.prefix(good.count / 2)),
                ("plain-text.jsonl.gz", Data("{\"id\": \"a\"}\n".utf8)),
                ("empty.jsonl.gz", Data()),
            ]
            for (name, bytes) in cases {
                let path = dir + "/" + name
                try bytes.write(to: URL(fileURLWithPath: path))
                do {
                    _ = try DocumentLoader.readFile(path)
                    Issue.record("\(name) was read")
                } catch PoiskError.io(let failed, let reason) {
                    #expect(failed == path)
                    #expect(reason.contains("gzip"))
                } catch {
                    Issue.record("\(name): \(error)")
                }
            }
            #expect(throws: PoiskError.fileNotFound(path: dir + "/missing.jsonl.gz")) {
                try DocumentLoader.readFile(dir + "/missing.jsonl.gz")
            }
        }
    }

    @Test func jsonLinesWithExtraFieldsAndErrors() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/docs.jsonl"
            try """
            {"id": "a", "title": "T", "body": "B", "lang": "en"}

            {"id": 7, "body": "numeric id"}
            """.write(toFile: path, atomically: true, encoding: .utf8)
            var docs: [Document] = []
            try DocumentLoader.loadJSONLines(path: path, into: &docs)
            #expect(docs.count == 2)
            #expect(docs[0].fields["lang"] == "en")
            #expect(docs[1].id == "7")
            try "{\"title\": \"no id\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: PoiskError.self) { try DocumentLoader.loadJSONLines(path: path, into: &docs) }
            try "{not json\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: PoiskError.self) { try DocumentLoader.loadJSONLines(path: path, into: &docs) }
        }
    }

    /// Lines are split on the raw bytes: blank and whitespace-only lines (CRLF too) are skipped
    /// but counted, so an error names the right line; the last line needs no newline; a `Data`
    /// slice that does not start at index 0 parses the same.
    @Test func jsonLinesAreSplitOnRawBytesAndErrorsNameTheLine() throws {
        let text = "{\"id\": \"a\", \"body\": \"x\"}\r\n \t\r\n\n{\"id\": \"b\", \"body\": \"y\"}\n{\"id\": \"c\"}"
        var docs: [Document] = []
        try DocumentLoader.parseJSONLines(Data(text.utf8), source: "t", into: &docs)
        #expect(docs.map(\.id) == ["a", "b", "c"])
        let padded = Data("XXXX".utf8) + Data(text.utf8)
        var fromSlice: [Document] = []
        try DocumentLoader.parseJSONLines(padded[4...], source: "t", into: &fromSlice)
        #expect(fromSlice.map(\.body) == ["x", "y", ""])
        let broken = Data("{\"id\": \"a\"}\n\n  \n{oops\n".utf8)
        #expect(throws: PoiskError.invalidDocument(source: "t:4", reason: "not valid JSON")) {
            var out: [Document] = []
            try DocumentLoader.parseJSONLines(broken, source: "t", into: &out)
        }
    }

    /// An id is a string or an integer: JSON booleans (which Foundation hands over as numbers,
    /// "1"/"0") and fractions are refused, naming the line.
    @Test func booleanAndFractionalIdsAreRefused() throws {
        var docs: [Document] = []
        try DocumentLoader.parseJSONLines(Data("{\"id\": 0}\n{\"id\": -12}\n{\"id\": \"true\"}".utf8), source: "t", into: &docs)
        #expect(docs.map(\.id) == ["0", "-12", "true"])
        for (value, word) in [("true", "boolean"), ("false", "boolean"), ("1.5", "fraction")] {
            let data = Data("{\"id\": \"a\"}\n{\"id\": \(value)}\n".utf8)
            #expect(throws: PoiskError.invalidDocument(source: "t:2", reason: "\"id\" is a \(word); give a string or an integer")) {
                var out: [Document] = []
                try DocumentLoader.parseJSONLines(data, source: "t", into: &out)
            }
        }
    }

    @Test func missingPathAndBinaryFiles() throws {
        var loader = DocumentLoader()
        #expect(throws: PoiskError.fileNotFound(path: "/nonexistent/poisk")) { try loader.load(paths: ["/nonexistent/poisk"]) }
        try withTemporaryDirectory { dir in
            try Data([0x41, 0x00, 0x42]).write(to: URL(fileURLWithPath: dir + "/bin.txt"))
            try Data([0xFF, 0xFE, 0x41, 0x20, 0x42]).write(to: URL(fileURLWithPath: dir + "/bad-utf8.txt"))
            var loader = DocumentLoader()
            let docs = try loader.load(paths: [dir])
            #expect(docs.map(\.id) == ["bad-utf8.txt"])
            #expect(docs[0].body.contains("\u{FFFD}"))
            #expect(loader.warnings.count == 1)
        }
    }
}
