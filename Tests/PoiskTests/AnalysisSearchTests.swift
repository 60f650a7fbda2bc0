// Analysis as a searcher meets it: query words analyzed like the documents.

import PoiskTestSupport
import Foundation
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

    // MARK: - CJK bigrams

    static let chinese = [
        Document(id: "tools", title: "工具", body: "我们使用开发工具编写程序"),
        Document(id: "apart", title: "会议", body: "会议开始了，他发言很长"),
        Document(id: "risk", title: "安全", body: "系统中可能存在安全漏洞"),
        Document(id: "split", title: "标点", body: "其中可能，存在问题"),
        Document(id: "reversed", title: "倒序", body: "存在可能中"),
        Document(id: "mixed", title: "Mixed", body: "The report says 中可能存在 risks"),
    ]

    /// The ids of the hits of `query` (all of them).
    static func ids(_ reader: IndexReader, _ query: String) throws -> Set<String> {
        Set(try reader.search(query, options: SearchOptions(limit: 100)).hits.map(\.id))
    }

    /// The UTF-8 byte range of the first occurrence of `needle` in `text`.
    static func byteRange(of needle: String, in text: String) throws -> Range<Int> {
        let range = try #require(text.range(of: needle))
        let start = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
        return start..<(start + needle.utf8.count)
    }

    @Test func aTwoCharacterQueryIsOneBigramTerm() throws {
        let reader = try IndexReader.inMemory(Self.chinese)
        #expect(reader.analyzer(for: "body").terms(of: "开发") == ["开发"])
        let weight = try reader.prepare(.term("开发"), options: SearchOptions(fields: ["body": 1]))
        guard case .term(let term) = weight else {
            Issue.record("开发 should be one term, not \(weight)")
            return
        }
        #expect(term.term == Array("开发".utf8))
        // It finds the document where the two characters touch, not the one with 开 and 发 apart.
        let hits = try Self.ids(reader, "开发")
        #expect(hits == Set(Self.chinese.filter { $0.body.contains("开发") }.map(\.id)))
        #expect(hits == ["tools"])
        #expect(try reader.search("开发工具").hits.map(\.id) == ["tools"])
    }

    @Test func aLongerQueryFindsExactlyTheDocumentsWithThatRun() throws {
        let reader = try IndexReader.inMemory(Self.chinese)
        let query = "中可能存在"
        let weight = try reader.prepare(.term(query), options: SearchOptions(fields: ["body": 1]))
        guard case .phrase(let phrase) = weight else {
            Issue.record("\(query) should be a phrase of bigrams, not \(weight)")
            return
        }
        let terms = phrase.terms
        #expect((0..<terms.count).map { String(decoding: terms.term($0), as: UTF8.self) } == ["中可", "可能", "能存", "存在"])
        #expect(phrase.offsets == [0, 1, 2, 3])
        // Three of the four bigrams are read (kept ones at most two positions apart).
        let cover = phrase.cover
        #expect(cover?.count == 3 && cover?.first == 0 && cover?.last == 3)
        let expected = Set(Self.chinese.filter { $0.body.contains(query) }.map(\.id))
        #expect(expected == ["risk", "mixed"])
        #expect(try Self.ids(reader, query) == expected)
        #expect(try Self.ids(reader, "\"\(query)\"") == expected)
        // The same words in a phrase with the Latin text around them.
        #expect(try Self.ids(reader, "\"says 中可能存在 risks\"") == ["mixed"])
        #expect(try Self.ids(reader, "\"says 中可能存在 report\"").isEmpty)
        // Punctuation inside the query splits the run the way it splits the text.
        #expect(try Self.ids(reader, "中可能，存在") == ["split"])
    }

    @Test func highlightingMarksTheWholeRun() throws {
        let reader = try IndexReader.inMemory(Self.chinese)
        let risk = try #require(Self.chinese.first { $0.id == "risk" })
        let hit = try #require(try reader.search("中可能存在").hits.first { $0.id == "risk" })
        #expect(hit.snippet.contains("**中可能存在**"))
        #expect(hit.snippet.replacingOccurrences(of: "**", with: "") == risk.body)
        #expect(hit.matches == [try Self.byteRange(of: "中可能存在", in: risk.body)])
        let tools = try #require(try reader.search("开发").hits.first)
        #expect(tools.snippet.contains("**开发**工具"))
        let html = try #require(try reader.search("开发工具", options: SearchOptions(highlight: .html)).hits.first)
        #expect(html.snippet.contains("<mark>开发工具</mark>"))
        #expect(html.matches == [try Self.byteRange(of: "开发工具", in: tools.document.body)])
    }

    @Test func highlightingFindsRunsInALongChineseText() throws {
        // No spaces for the snippet window to snap to: the match must still be in the fragment.
        let filler = String(repeating: "这是一段很长的没有空格的中文文本", count: 20)
        let body = filler + "系统中可能存在安全漏洞" + filler
        var unigrams = Schema.standard
        for i in unigrams.fields.indices { unigrams.fields[i].analyzer.cjkBigrams = false }
        for schema in [Schema.standard, unigrams] {
            let reader = try IndexReader.inMemory([Document(id: "long", title: "长", body: body)], schema: schema)
            let hit = try #require(try reader.search("中可能存在").hits.first)
            #expect(hit.snippet.hasPrefix("…") && hit.snippet.hasSuffix("…"))
            #expect(hit.snippet.contains("**中可能存在**") == schema.fields[1].analyzer.cjkBigrams)
            #expect(hit.snippet.contains("**中****可****能****存****在**") == !schema.fields[1].analyzer.cjkBigrams)
            // About `snippetLength` characters of text (give or take a character), plus the ellipses.
            let shown = hit.snippet.replacingOccurrences(of: "**", with: "")
            #expect(shown.count <= SearchOptions().snippetLength + 4, "\(hit.snippet)")
            let run = try Self.byteRange(of: "中可能存在", in: body)
            if schema.fields[1].analyzer.cjkBigrams {
                #expect(hit.matches == [run])
            } else {
                // One range per character (the filler's 中 match too).
                let characters = stride(from: run.lowerBound, to: run.upperBound, by: 3).map { $0..<($0 + 3) }
                #expect(Set(characters).isSubset(of: Set(hit.matches)))
            }
        }
    }

    @Test func anIndexWithoutBigramsKeepsOneTermPerCharacter() throws {
        var schema = Schema.standard
        for i in schema.fields.indices { schema.fields[i].analyzer.cjkBigrams = false }
        let reader = try IndexReader.inMemory(Self.chinese, schema: schema)
        #expect(reader.analyzer(for: "body").terms(of: "开发") == ["开", "发"])
        let weight = try reader.prepare(.term("开发"), options: SearchOptions(fields: ["body": 1]))
        guard case .phrase(let phrase) = weight else {
            Issue.record("开发 should be a phrase of two characters here, not \(weight)")
            return
        }
        #expect(phrase.terms.count == 2)
        let bigrams = try IndexReader.inMemory(Self.chinese)
        for query in ["开发", "\"says 中可能存在 risks\"", "开发*", "开发工具"] {
            #expect(try Self.ids(reader, query) == Self.ids(bigrams, query), "\(query)")
            #expect(try !Self.ids(reader, query).isEmpty, "\(query)")
        }
        // A phrase of single characters also matches across punctuation (which leaves no
        // position gap): `中可能，存在` is found too, as before bigrams existed.
        for query in ["中可能存在", "中可能存在*"] {
            #expect(try Self.ids(reader, query) == Self.ids(bigrams, query).union(["split"]), "\(query)")
        }
        // A single character still finds every document containing it (it is a term here).
        #expect(try Self.ids(reader, "中") == Set(Self.chinese.filter { $0.body.contains("中") }.map(\.id)))
    }

    @Test func aPrefixOfOneCharacterFindsTheBigramsStartingWithIt() throws {
        let reader = try IndexReader.inMemory(Self.chinese)
        // `开*` expands to 开发, 开始 (the bigrams that start with 开).
        #expect(try Self.ids(reader, "开*") == Set(Self.chinese.filter { $0.body.contains("开") }.map(\.id)))
        #expect(try Self.ids(reader, "开发*") == ["tools"])
    }

    @Test func theOptionIsSavedWithTheIndexAndOldIndexesReadWithoutIt() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/cjk.index"
            let writer = try IndexWriter(at: path)
            try writer.add(contentsOf: Self.chinese)
            try writer.commit()
            writer.close()
            let reader = try IndexReader.open(at: path)
            #expect(reader.schema.fields.allSatisfy { $0.analyzer.cjkBigrams })
            #expect(reader.analyzer(for: "body").configuration.cjkBigrams)
            #expect(try Self.ids(reader, "开发") == ["tools"])
        }
        // golden-v1 was written before the option existed: it reads as off. Later goldens saved
        // it (on).
        #expect(GoldenIndexes.versions.contains(1))
        for version in GoldenIndexes.versions {
            let bigrams = version >= 2
            try GoldenIndexes.withCopy(of: version) { index in
                let reader = try IndexReader.open(at: index)
                #expect(reader.schema.fields.allSatisfy { $0.analyzer.cjkBigrams == bigrams }, "golden-v\(version)")
                #expect(
                    reader.analyzer(for: "body").terms(of: "中文") == (bigrams ? ["中文"] : ["中", "文"]),
                    "golden-v\(version)")
                // A writer continuing the old index keeps its analysis.
                let writer = try IndexWriter(at: index)
                try writer.add(Document(id: "zh", title: "中文", body: "开发工具"))
                try writer.commit()
                writer.close()
                let updated = try IndexReader.open(at: index)
                #expect(updated.analyzer(for: "body").configuration.cjkBigrams == bigrams)
                #expect(try Self.ids(updated, "开发") == ["zh"])
                // One character: a term of its own without bigrams; inside a run with them.
                #expect(try Self.ids(updated, "开") == (bigrams ? [] : ["zh"]))
            }
        }
    }
}
