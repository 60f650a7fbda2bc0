// The gap after runs of CJK bigrams, and the exact phrases that read every other bigram of a run
// because of it: same documents, same scores, with or without the gap.

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct CJKRunGapTests {
    /// A schema whose fields use bigrams with (or without) the gap.
    static func schema(gap: Bool) -> Schema {
        var schema = Schema.standard
        for i in schema.fields.indices { schema.fields[i].analyzer.cjkRunGap = gap }
        return schema
    }

    static func positions(_ text: String, gap: Bool = true) -> [Int] {
        Analyzer(AnalyzerConfiguration(cjkRunGap: gap)).tokens(of: text).map(\.position)
    }

    @Test func aRunOfBigramsIsFollowedByTwoUnusedPositions() {
        // 开发工具 → 开发 发工 工具 (0 1 2), then the gap: "test" at 5.
        #expect(Self.positions("开发工具 test 中可能") == [0, 1, 2, 5, 6, 7])
        #expect(Self.positions("开发工具 test 中可能", gap: false) == [0, 1, 2, 3, 4, 5])
        // Runs back to back, separated by punctuation only: each ends with the gap.
        #expect(Self.positions("开发，工具。文件") == [0, 3, 6])
        // A character alone is a term of its own, with no gap after it.
        #expect(Self.positions("中 test 文") == [0, 1, 2])
        // Without bigrams there is nothing to leave a gap after.
        let unigrams = Analyzer(AnalyzerConfiguration(cjkBigrams: false, cjkRunGap: true))
        #expect(unigrams.tokens(of: "开发 test").map(\.position) == [0, 1, 2])
        #expect(Analyzer.cjkRunGapPositions == 2)
    }

    @Test func theOptionDefaultsOnAndOldConfigurationsReadWithoutIt() throws {
        #expect(AnalyzerConfiguration().cjkRunGap)
        #expect(AnalyzerConfiguration.standard.cjkRunGap && AnalyzerConfiguration.unstemmed.cjkRunGap)
        // What earlier versions wrote: cjkBigrams but no cjkRunGap.
        let saved = """
            {"cjkBigrams":true,"languages":["english","russian","ukrainian"],\
            "normalization":{"foldDiacritics":true,"foldYo":true,"repairMixedScripts":true},\
            "stemming":true,"stopWords":[]}
            """
        let old = try JSONDecoder().decode(AnalyzerConfiguration.self, from: Data(saved.utf8))
        #expect(old.cjkBigrams && !old.cjkRunGap)
        #expect(Analyzer(old).tokens(of: "开发工具 test").map(\.position) == [0, 1, 2, 3])
        for config in [AnalyzerConfiguration(), AnalyzerConfiguration(cjkRunGap: false)] {
            let data = try JSONEncoder().encode(config)
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["cjkRunGap"] as? Bool == config.cjkRunGap)
            #expect(try JSONDecoder().decode(AnalyzerConfiguration.self, from: data) == config)
        }
    }

    @Test func goldenIndexesKeepTheirPositionsAndWritersContinueWithoutTheGap() throws {
        // The golden indexes written before the gap existed (format 3 and older); later ones have it.
        for version in GoldenIndexes.versions where version >= 4 {
            let reader = try IndexReader.open(at: GoldenIndexes.path(version))
            #expect(reader.schema.fields.allSatisfy { $0.analyzer.cjkRunGap }, "golden-v\(version)")
        }
        for version in GoldenIndexes.versions where version <= 3 {
            try GoldenIndexes.withCopy(of: version) { index in
                let reader = try IndexReader.open(at: index)
                #expect(reader.schema.fields.allSatisfy { !$0.analyzer.cjkRunGap }, "golden-v\(version)")
                let writer = try IndexWriter(at: index)
                try writer.add(Document(id: "zh", title: "中文", body: "开发工具 test 很容易"))
                try writer.commit()
                writer.close()
                let updated = try IndexReader.open(at: index)
                #expect(!updated.analyzer(for: "body").configuration.cjkRunGap, "golden-v\(version)")
                #expect(Set(try updated.search("\"开发工具 test\"").hits.map(\.id)) == ["zh"], "golden-v\(version)")
                #expect(try updated.search("开发工具很容易").total == 0, "golden-v\(version)")
            }
        }
    }

    /// Documents where the chosen bigrams of `开发工具很` sit where a phrase would want them,
    /// but from different runs: only the gap keeps them from matching when interior bigrams are
    /// not read.
    static let traps = [
        Document(id: "whole", body: "用开发工具很方便"),
        Document(id: "split1", body: "开发 x 具很"),  // 开发 · x · 具很: 0 and 2 without the gap
        Document(id: "split2", body: "开发工 x 很"),
        Document(id: "split3", body: "开发 工具很"),
        Document(id: "split4", body: "开发工具 很"),
        Document(id: "split5", body: "开发 x 工具很"),
        Document(id: "split6", body: "开发工 x 具很"),
        Document(id: "apart", body: "开发 工具 很"),
    ]

    @Test func everyOtherBigramMatchesOnlyWholeRuns() throws {
        for gap in [true, false] {
            let reader = try IndexReader.inMemory(Self.traps, schema: Self.schema(gap: gap))
            for query in ["开发工具很", "body:开发工具很", "\"开发工具很\""] {
                #expect(Set(try reader.search(query).hits.map(\.id)) == ["whole"], "gap \(gap): \(query)")
            }
            // A phrase across the end of a run still matches: queries leave the same gap.
            let mixed = try IndexReader.inMemory(
                [Document(id: "m", body: "用开发工具test很好"), Document(id: "n", body: "开发工具 x test")],
                schema: Self.schema(gap: gap))
            #expect(Set(try mixed.search("\"开发工具 test\"").hits.map(\.id)) == ["m"], "gap \(gap)")
            #expect(Set(try mixed.search("开发工具test").hits.map(\.id)) == ["m"], "gap \(gap)")
            // With slop every bigram is read.
            #expect(Set(try mixed.search("\"开发工具 test\"~2").hits.map(\.id)) == ["m", "n"], "gap \(gap)")
        }
    }

    @Test func theCoverKeepsTheRarestBigramAndEveryOtherOneAtMost() {
        var terms = AnalyzedTerms(capacity: 64)
        let analyzer = Analyzer()
        analyzer.analyze("所以通常很容易 ok") { terms.append($0.term, position: $0.position, range: $0.range) }
        // 所以 以通 通常 常很 很容 容易 ok: six chained bigrams, then a word.
        #expect(terms.count == 7)
        let cheap = [97, 101, 131, 6, 35, 75, 500]
        let cover = terms.exactCover(docFreqs: cheap)
        #expect(cover?.contains(3) == true)  // 常很, the rarest
        #expect(cover?.first == 0 && cover?.contains(5) == true && cover?.last == 6)
        if let cover {
            for (a, b) in zip(cover, cover.dropFirst()) where b <= 5 { #expect(b - a <= 2) }
            #expect(cover.count < terms.count)
        }
        // Equal costs: four of the six bigrams (the fewest that keep gaps of at most two).
        let even = terms.exactCover(docFreqs: [Int](repeating: 10, count: 7)) ?? []
        #expect(even.count == 5 && even.first == 0 && even.suffix(2) == [5, 6])
        for (a, b) in zip(even, even.dropFirst()) where b <= 5 { #expect(b - a <= 2) }
        // Two bigrams, or none: nothing to drop.
        var short = AnalyzedTerms(capacity: 16)
        analyzer.analyze("中可能 test") { short.append($0.term, position: $0.position, range: $0.range) }
        #expect(short.exactCover(docFreqs: [1, 1, 1]) == nil)
        var latin = AnalyzedTerms(capacity: 16)
        analyzer.analyze("new york city") { latin.append($0.term, position: $0.position, range: $0.range) }
        #expect(latin.exactCover(docFreqs: [1, 1, 1]) == nil)
    }

    /// The hits of `query` in the body, and the same with every bigram read (the phrase's cover
    /// removed): both lists, with scores.
    static func withAndWithoutCover(
        _ reader: IndexReader, _ query: String
    ) throws -> (
        cover: [TopScoreCollector.Entry], all: [TopScoreCollector.Entry], reduced: Bool
    ) {
        let weight = try reader.prepare(.term(query), options: SearchOptions(fields: ["body": 1]))
        var full = weight
        var reduced = false
        if case .phrase(let phrase) = weight {
            reduced = phrase.cover != nil
            full = .phrase(phrase.readingEveryTerm())
        }
        return (
            try reader.topDocs(weight, k: 500).sorted(), try reader.topDocs(full, k: 500).sorted(), reduced
        )
    }

    /// Random texts over six characters, in runs split by spaces, punctuation and Latin words;
    /// random queries of three to eight characters. With the gap, a document matches exactly
    /// when the query is a substring of its text (a run of CJK characters lies within one of the
    /// text's runs), and reading every other bigram gives the same hits and bit-identical scores
    /// as reading them all. Without the gap (indexes from before it), every bigram is read, and
    /// bigrams of two runs that meet at consecutive positions can match too.
    @Test func randomRunsMatchExactlyTheirSubstrings() throws {
        var rng = SplitMix64(seed: 0x5EED_C1C1)
        let alphabet = Array("开发工具很容")
        let separators = [" ", "，", " ab ", "x", "。 ", " test "]
        var docs: [Document] = []
        for d in 0..<120 {
            var text = ""
            for _ in 0..<Int(rng.next() % 6 + 1) {
                if !text.isEmpty { text += separators[Int(rng.next() % UInt64(separators.count))] }
                for _ in 0..<Int(rng.next() % 9 + 1) { text.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            }
            docs.append(Document(id: "d\(d)", body: text))
        }
        let withGap = try IndexReader.inMemory(docs, schema: Self.schema(gap: true))
        let without = try IndexReader.inMemory(docs, schema: Self.schema(gap: false))
        var matched = 0
        var reduced = 0
        var acrossRuns = 0
        for q in 0..<150 {
            var query = ""
            if q % 2 == 0, let source = docs[Int(rng.next() % UInt64(docs.count))].body.split(separator: " ").first,
                source.count >= 3
            {
                // A piece of a document's text, so that many queries match.
                let chars = Array(source)
                let length = min(chars.count, Int(rng.next() % 6 + 3))
                let start = Int(rng.next() % UInt64(chars.count - length + 1))
                query = String(chars[start..<start + length])
            } else {
                for _ in 0..<Int(rng.next() % 6 + 3) { query.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            }
            guard query.allSatisfy({ alphabet.contains($0) }) else { continue }
            let expected = Set(docs.filter { $0.body.contains(query) }.map(\.id))
            let options = SearchOptions(limit: 200)
            let a = try withGap.search("body:\(query)", options: options)
            let b = try without.search("body:\(query)", options: options)
            #expect(Set(a.hits.map(\.id)) == expected, "\(query)")
            #expect(a.total == expected.count, "\(query)")
            #expect(Set(b.hits.map(\.id)).isSuperset(of: expected), "\(query)")
            let (cover, all, isReduced) = try Self.withAndWithoutCover(withGap, query)
            #expect(cover.map(\.doc) == all.map(\.doc), "\(query)")
            #expect(cover.map(\.score) == all.map(\.score), "\(query)")
            if isReduced { reduced += 1 }
            if !expected.isEmpty { matched += 1 }
            if Set(b.hits.map(\.id)) != expected { acrossRuns += 1 }
        }
        #expect(matched >= 40)
        #expect(reduced >= 60)
        // The gap also keeps bigrams of neighbouring runs apart: without it some queries match
        // documents that do not contain them.
        #expect(acrossRuns > 0)
    }
}
