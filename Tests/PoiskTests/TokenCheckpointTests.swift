// Token checkpoints and the id column (format 4): analysis restarted at a checkpoint gives the
// whole text's tokens (the claim snippets rest on), on the snippet fixtures and on random text of
// every kind of character; each document's scalar count; and a merge carries both columns.
//
// For: Format/TokenCheckpoints and Format/DocColumn as written by the builder and the merger. Not
// for: snippets (SnippetIdentityTests).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct TokenCheckpointTests {
    /// The documents of Tests/Fixtures/snippets (Scripts/make-snippet-fixture.py).
    static func fixtureDocuments() throws -> [Document] {
        var documents: [Document] = []
        try DocumentLoader.loadJSONLines(path: Fixtures.url("snippets/documents.jsonl.gz").path, into: &documents)
        return documents
    }

    /// The claim checkpoints rest on: analyzing a text from a checkpoint, counting positions
    /// from its position, gives exactly the tokens of the whole text from that byte on.
    @Test func analysisRestartedAtACheckpointGivesTheWholeTextsTokens() throws {
        var texts = try TokenCheckpointTests.fixtureDocuments().map(\.body)
        var rng = SplitMix64(seed: 2024)
        // Random text of every kind of character: letters of several scripts, digits, marks,
        // joiners, white space of several kinds, punctuation, CJK runs, emoji, flags.
        let pieces = [
            "word", "Слово", "ёж", "naïve", "e\u{301}", "\u{301}", "\u{200D}", "\u{200B}", "\u{00A0}", "\u{3000}",
            " ", "  ", "\t", "\n", "\r\n", "\r", ".", ",", "'", "’", "-", "_", "3.14", "155mm", "v2", "内核", "驱",
            "カーネル", "ひらがな", "한국어", "👍", "👍🏽", "🇺🇦", "🇩🇪", "\u{FE0F}", "a'b", "don`t", "x.y", "1,000",
            "ש\"ע", "مرحبا", "\u{0600}", "\u{AD}", "&", "<", "\"",
        ]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<(50 + rng.next(below: 400)) { text += pieces[rng.next(below: pieces.count)] }
            texts.append(text)
        }
        let builder = SegmentBuilder(schema: .standard)
        for (i, text) in texts.enumerated() { builder.add(Document(id: "d\(i)", body: text)) }
        let segment = try SegmentReader(bytes: FileBytes(copying: builder.finish(name: "t"), name: "t"))
        let body = try #require(segment.fieldID("body"))
        let column = try #require(try segment.checkpointColumn(field: body))
        let analyzer = Analyzer()
        var checked = 0
        for (d, text) in texts.enumerated() {
            var whole: [(position: Int, range: Range<Int>, term: [UInt8])] = []
            analyzer.analyze(text) { whole.append(($0.position, $0.range, Array($0.term))) }
            var reader = TokenCheckpointReader(try #require(column.value(d)))
            #expect(reader.scalarCount == (text.isEmpty ? nil : text.unicodeScalars.count))
            var previous = 0
            while reader.next() {
                #expect(reader.position >= previous + TokenCheckpointWriter.interval)
                previous = reader.position
                let (position, offset) = (reader.position, reader.offset)
                var restarted: [(position: Int, range: Range<Int>, term: [UInt8])] = []
                var copy = text
                copy.withUTF8 { utf8 in
                    let tail = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[offset...])
                    analyzer.analyze(utf8: tail) {
                        restarted.append(
                            ($0.position + position, ($0.range.lowerBound + offset)..<($0.range.upperBound + offset), Array($0.term)))
                    }
                }
                let expected = whole.filter { $0.range.lowerBound >= offset }
                #expect(restarted.count == expected.count, "document \(d) at byte \(offset)")
                #expect(
                    zip(restarted, expected).allSatisfy { $0.position == $1.position && $0.range == $1.range && $0.term == $1.term },
                    "document \(d) at byte \(offset)")
                checked += 1
            }
            #expect(!reader.isCorrupt)
        }
        #expect(checked > 300)
    }

    @Test func aMergeCarriesTheColumns() throws {
        let documents = try TokenCheckpointTests.fixtureDocuments()
        var views: [SegmentView] = []
        for (s, chunk) in [documents[..<5], documents[5...]].enumerated() {
            let builder = SegmentBuilder(schema: .standard)
            for d in chunk { builder.add(d) }
            let reader = try SegmentReader(bytes: FileBytes(copying: builder.finish(name: "s\(s)"), name: "s\(s)"))
            var deleted = DeletedDocs(capacity: reader.docCount)
            deleted.insert(1)  // one document of each segment is deleted: the merge skips it
            views.append(SegmentView(reader: reader, deleted: deleted))
        }
        let merged = try SegmentMerger.merge(views, name: "m")
        let reader = try SegmentReader(bytes: FileBytes(copying: joinParts(merged.parts), name: "m"))
        #expect(reader.docCount == documents.count - 2)
        try reader.checkColumns()
        var doc = 0
        for view in views {
            for d in 0..<view.reader.docCount where view.isLive(Int32(d)) {
                #expect(try reader.documentID(Int32(doc)) == (try view.reader.documentID(Int32(d))))
                for field in ["title", "body"] {
                    let oldField = try #require(view.reader.fieldID(field))
                    let newField = try #require(reader.fieldID(field))
                    let old = try #require(try view.reader.checkpointColumn(field: oldField))
                    let new = try #require(try reader.checkpointColumn(field: newField))
                    #expect(old.value(d).map(Array.init) == new.value(doc).map(Array.init), "\(field) \(doc)")
                }
                doc += 1
            }
        }
    }
}
