// Snippets found from the index (the postings' positions and each document's token checkpoints,
// format 4) must be exactly those of a full analysis of the text, rendered as before format 4:
// the same fragments, marks and match ranges, for every field, query shape and option set.
//
// For: the identity of the two ways, on committed documents (Tests/Fixtures/snippets, made by
// Scripts/make-snippet-fixture.py: English, Chinese, Japanese, Korean and Russian documentation,
// long documents, a mixed document with marks, CR LF, ZWSP and HTML characters), in one segment,
// in several merged ones, and in a merge with a segment of format 3. Not for: what snippets look
// like (SearchSeedsTests, AnalysisSearchTests), the checkpoints themselves (TokenCheckpointTests).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

enum SnippetFixtures {
    static func documents() throws -> [Document] {
        var documents: [Document] = []
        try DocumentLoader.loadJSONLines(path: Fixtures.url("snippets/documents.jsonl.gz").path, into: &documents)
        return documents
    }

    /// Queries of every shape over the fixture documents.
    static let queries = [
        "kernel", "memory", "driver", "memory AND cgroup", "device OR fpga", "\"device mapper\"", "\"the kernel\"",
        "\"memory cgroup\"~2", "driv*", "mem*", "th*", "kernal~1", "fpga~1", "kernel -memory", "memory NOT cgroup",
        "title:howto", "title:memory OR body:driver", "(kernel OR driver) AND NOT fpga", "kernel^3 driver",
        "内核", "内核驱动", "\"安全漏洞\"", "补丁", "カーネル", "開発", "커널", "개발자", "ядро", "фильтр",
        "фильтры шум", "\"случайный выбор\"", "изображ*", "шумы~1", "icmp", "драйвер", "café", "cooperation",
        "ёлка", "елка", "zerowidth", "<tags>", "quotes", "155mm", "2.6.32", "Ёжик", "e", "a", "the",
    ]

    /// Option sets: fragment counts, lengths and styles, with the title and the body highlighted.
    static func optionSets() -> [SearchOptions] {
        var sets: [SearchOptions] = []
        for (fragments, length, style) in [
            (1, 200, HighlightStyle.markdown), (3, 60, .html), (2, 400, .none), (1, 10, .ansi), (5, 30, .markdown),
        ] {
            var o = SearchOptions(snippetFields: ["title", "body"])
            o.limit = 20
            o.snippetFragments = fragments
            o.snippetLength = length
            o.highlight = style
            sets.append(o)
        }
        var translit = SearchOptions(snippetFields: ["body"])
        translit.transliterate = true
        translit.limit = 20
        sets.append(translit)
        var or = SearchOptions(snippetFields: ["body", "title"])
        or.defaultOperator = .or
        or.limit = 20
        sets.append(or)
        return sets
    }

    /// Every query under every option set: the snippets found from the index equal the full
    /// analysis's. Returns the number of snippets with matches compared, and how many snippets
    /// the index path made from the index and by full analysis (a test tells from them that the
    /// comparison is not vacuous).
    static func expectIdentical(
        _ reader: IndexReader, queries: [String] = queries
    ) throws -> (compared: Int, fromIndex: Int, byFullAnalysis: Int) {
        var compared = 0
        let sources = SnippetSources()
        for options in optionSets() {
            for query in queries {
                let parsed = try QueryParser(defaultOperator: options.defaultOperator).parse(query)
                let indexed = try reader.search(parsed, options: options, snippetsByFullAnalysis: false, sources: sources)
                let analyzed = try reader.search(parsed, options: options, snippetsByFullAnalysis: true)
                #expect(indexed.hits.map(\.id) == analyzed.hits.map(\.id), "\(query)")
                for (a, b) in zip(indexed.hits, analyzed.hits) {
                    #expect(a.snippets == b.snippets, "\(query) \(a.id) \(options.snippetLength) \(options.highlight)")
                    #expect(a.snippet == b.snippet && a.matches == b.matches, "\(query) \(a.id)")
                    compared += b.snippets.values.filter { !$0.matches.isEmpty }.count
                }
            }
        }
        return (compared, sources.fromIndex, sources.byFullAnalysis)
    }
}

@Suite struct SnippetIdentityTests {
    @Test func oneSegment() throws {
        let reader = try IndexReader.inMemory(try SnippetFixtures.documents())
        let result = try SnippetFixtures.expectIdentical(reader)
        #expect(result.compared > 500)
        // Every snippet of a fixture document comes from the index.
        #expect(result.fromIndex > 1_000 && result.byFullAnalysis == 0)
    }

    @Test func mergedSegmentsCarryTheCheckpoints() throws {
        let documents = try SnippetFixtures.documents()
        try withTemporaryDirectory { dir in
            let index = dir + "/index"
            let writer = try IndexWriter(at: index, options: IndexWriterOptions(threads: 1, autoMerge: false))
            // Four segments, then one: the merged segment's checkpoints are copied ones.
            for chunk in stride(from: 0, to: documents.count, by: 4) {
                for d in documents[chunk..<min(chunk + 4, documents.count)] { try writer.add(d) }
                try writer.commit()
            }
            let before = try IndexReader.open(at: index)
            #expect(before.segmentCount == 4)
            let compared = try SnippetFixtures.expectIdentical(before)
            #expect(compared.byFullAnalysis == 0)
            try writer.merge(maxSegments: 1)
            writer.close()
            let after = try IndexReader.open(at: index)
            #expect(after.segmentCount == 1)
            #expect(try SnippetFixtures.expectIdentical(after) == compared)
            // The merged segment has the checkpoints of every document (the fixtures have long
            // texts: at least one checkpoint each for most of them).
            let segment = after.segments[0].reader
            let body = try #require(segment.fieldID("body"))
            let column = try #require(try segment.checkpointColumn(field: body))
            let withCheckpoints = (0..<segment.docCount).filter { (column.value($0)?.count ?? 0) > 0 }
            #expect(withCheckpoints.count >= documents.count - 3)
        }
    }

    @Test func aMergeWithAFormat3SegmentKeepsItsDocumentsSnippets() throws {
        let seeds = try Fixtures.seedDocuments()
        try GoldenIndexes.withCopy(of: 3) { index in
            let writer = try IndexWriter(at: index, options: IndexWriterOptions(threads: 1, autoMerge: false))
            for d in try SnippetFixtures.documents() { try writer.add(d) }
            try writer.commit()
            let queries = ["Patriot", "\"air defense\"", "ракеты", "Зеленський OR Hellfire", "Ukrain*", "missile~1"]
            let mixed = try IndexReader.open(at: index)
            #expect(mixed.segments.map(\.reader.file.formatVersion).sorted() == [3, segmentFormatVersion])
            let mixedResult = try SnippetFixtures.expectIdentical(mixed, queries: queries + SnippetFixtures.queries)
            // The format 3 segment's snippets are made by full analysis, the new one's from the index.
            #expect(mixedResult.fromIndex > 0 && mixedResult.byFullAnalysis > 0)
            try writer.merge(maxSegments: 1)
            writer.close()
            let merged = try IndexReader.open(at: index)
            #expect(merged.segmentCount == 1)
            #expect(merged.documentCount == seeds.count + (try SnippetFixtures.documents().count))
            // Merged, the seeds have no checkpoints (format 3 kept none) but their matches still come
            // from the postings: analysis then starts at each text's beginning.
            let mergedResult = try SnippetFixtures.expectIdentical(merged, queries: queries + SnippetFixtures.queries)
            #expect(mergedResult.byFullAnalysis == 0 && mergedResult.fromIndex == mixedResult.fromIndex + mixedResult.byFullAnalysis)
        }
    }

    @Test func theFormat3GoldenIndexHasItsSnippetsByFullAnalysis() throws {
        let reader = try IndexReader.open(at: GoldenIndexes.path(3))
        let result = try SnippetFixtures.expectIdentical(reader, queries: ["Patriot", "\"air defense\"", "ракеты", "Hellfire"])
        #expect(result.compared > 0 && result.fromIndex == 0)
    }

    @Test func positionsTheTextDoesNotHaveFallBackToTheFullAnalysis() throws {
        var text = "alpha beta gamma delta"
        let analyzer = Analyzer()
        var scratch = AnalysisScratch()
        let terms: [[UInt8]] = [Array("beta".utf8), Array("gamma".utf8)]
        try text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            let none = TokenCheckpointReader(UnsafeRawBufferPointer(start: nil, count: 0))
            let found = try #require(
                SnippetMatches.locate(
                    in: bytes, positions: [(1, 0), (2, 1)], terms: terms, checkpoints: none, analyzer: analyzer,
                    scratch: &scratch))
            #expect(found.map(\.range) == [6..<10, 11..<16])
            // Another term at a position, a position past the end, a checkpoint past the end.
            #expect(
                SnippetMatches.locate(
                    in: bytes, positions: [(2, 0)], terms: terms, checkpoints: none, analyzer: analyzer, scratch: &scratch)
                    == nil)
            #expect(
                SnippetMatches.locate(
                    in: bytes, positions: [(9, 0)], terms: terms, checkpoints: none, analyzer: analyzer, scratch: &scratch)
                    == nil)
            var far = ByteWriter()
            far.writeVarInt(22)  // the scalar count
            far.writeVarInt(1)
            far.writeVarInt(1_000)
            far.bytes.withUnsafeBytes { value in
                #expect(
                    SnippetMatches.locate(
                        in: bytes, positions: [(1, 0)], terms: terms, checkpoints: TokenCheckpointReader(value),
                        analyzer: analyzer, scratch: &scratch) == nil)
            }
        }
    }
}
