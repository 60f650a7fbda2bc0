// The query engine end to end: phrases, slop, prefixes, fields, boosts, transliteration,
// explanations, and BM25 against an independent naive implementation.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct QueryEngineTests {
    let seeds: IndexReader

    init() throws {
        seeds = try IndexReader.inMemory(try Fixtures.seedDocuments())
    }

    func ids(_ q: String, _ reader: IndexReader? = nil) throws -> Set<String> {
        Set(try (reader ?? seeds).search(q, options: SearchOptions(limit: 100)).hits.map(\.id))
    }

    @Test func seedAcceptance() throws {
        #expect(try ids("Zelensky~1").contains("001_3beda4c96ad14779.txt"))  // spelled "Zekensky" there
        #expect(try ids("title:Trump") == ["002_d3562a3d2d08cdb6.txt"])
        #expect(try ids("patri*") == ids("Patriot OR Patriots"))
        #expect(try !ids("Patriot -Hellfire").contains("000_b12ab77b13486087.txt"))
        #expect(try ids("Patriot -Hellfire") == ids("Patriot").subtracting(ids("Hellfire")))
    }

    @Test func phrasesMatchAdjacentWordsOnly() throws {
        let docs = [
            Document(id: "phrase", body: "Ukraine needs more air defense systems."),
            Document(id: "apart", body: "The defense of the air base was strong."),
            Document(id: "reversed", body: "Defense air units."),
            Document(id: "gap", body: "air and missile defense"),
        ]
        let r = try IndexReader.inMemory(docs)
        #expect(try ids("\"air defense\"", r) == ["phrase"])
        #expect(try ids("air defense", r) == ["phrase", "apart", "reversed", "gap"])
        #expect(try ids("\"air defense\"~2", r) == ["phrase", "gap", "reversed"])
        #expect(try ids("\"air defense\"~1", r) == ["phrase"])
        #expect(try ids("title:\"air defense\"", r).isEmpty)
        // On the seeds, every "air defense" phrase hit really contains the phrase.
        for hit in try seeds.search("\"air defense\"", options: SearchOptions(limit: 10)).hits {
            let folded = hit.document.body.lowercased().split(whereSeparator: { !$0.isLetter }).joined(separator: " ")
            #expect(folded.contains("air defense"), "\(hit.id)")
        }
    }

    @Test func boostsAndFieldsChangeScores() throws {
        let docs = [Document(id: "a", title: "alpha", body: "beta"), Document(id: "b", title: "beta", body: "alpha")]
        let r = try IndexReader.inMemory(docs)
        #expect(try r.search("alpha").hits.first?.id == "a")  // title boost 2
        #expect(try r.search("body:alpha").hits.map(\.id) == ["b"])
        let plain = try r.search("alpha OR beta").hits
        let boosted = try r.search("alpha^3 OR beta").hits
        #expect(plain.count == 2 && boosted.count == 2)
        #expect(try r.search("alpha^3").hits[0].score == 3 * r.search("alpha").hits[0].score)
        var options = SearchOptions()
        options.fields = ["body": 1]
        #expect(try r.search("alpha", options: options).hits.map(\.id) == ["b"])
        #expect(throws: PoiskError.unknownField(name: "nope")) { try r.search("nope:alpha") }
    }

    @Test func transliterationCrossesScriptsAndScoresLower() throws {
        let docs = [
            Document(id: "ru", body: "Президент Зеленский заявил о поставках."),
            Document(id: "uk", body: "Президент Зеленський заявив про постачання."),
            Document(id: "en", body: "The Patriot system arrived, Zelensky said."),
            Document(id: "ru2", body: "Комплекс Патриот прибыл."),
        ]
        let r = try IndexReader.inMemory(docs)
        var options = SearchOptions()
        options.transliterate = true
        let z = try r.search("Zelensky", options: options).hits
        #expect(Set(z.map(\.id)) == ["ru", "uk", "en"])
        #expect(z.first?.id == "en")  // the exact-script match ranks first
        #expect(Set(try r.search("Патриот", options: options).hits.map(\.id)) == ["ru2", "en"])
        #expect(try r.search("Патриот", options: options).hits.first?.id == "ru2")
        #expect(try r.search("Zelensky").hits.map(\.id) == ["en"])  // off by default
    }

    @Test func explanationAddsUpToTheScore() throws {
        var options = SearchOptions()
        options.explain = true
        for hit in try seeds.search("Patriot OR \"air defense\"", options: options).hits {
            let e = try #require(hit.explanation)
            #expect(abs(e.value - hit.score) <= 1e-9 * hit.score)
            #expect(abs(e.details.reduce(0) { $0 + $1.value } - hit.score) <= 1e-9 * hit.score)
            #expect(e.rendered().contains("idf"))
        }
    }

    @Test func snippetsCanHaveSeveralFragments() throws {
        var options = SearchOptions()
        options.snippetFragments = 3
        options.snippetLength = 60
        let hit = try #require(try seeds.search("Patriot", options: options).hits.first)
        #expect(hit.snippet.components(separatedBy: "**Patriot**").count - 1 >= 2)
    }

    /// An index of three segments (three commits of `perBatch` documents) over a small vocabulary
    /// whose words range from "everywhere" to rare, so windows and leads of every shape occur;
    /// every 7th id reappears in a later batch, so older copies are deleted.
    static func threeSegmentsWithReplacements(at dir: String, seed: UInt64, perBatch: Int) throws -> IndexReader {
        var rng = SplitMix64(seed: seed)
        let vocabulary = ["the", "and", "kernel", "memory", "page", "fault", "driver", "rare", "ракета", "один"]
        func text(_ n: Int) -> String {
            (0..<n).map { _ in
                let r = Int(rng.next() % 100)
                return vocabulary[r < 40 ? r % 2 : 2 + (r % 8) * Int(rng.next() % 2)]
            }.joined(separator: " ")
        }
        let writer = try IndexWriter(at: dir, options: IndexWriterOptions(threads: 1, autoMerge: false))
        for batch in 0..<3 {
            for i in 0..<perBatch {
                let id = i % 7 == 0 ? "r\(i)" : "d\(batch)-\(i)"
                try writer.add(Document(id: id, title: text(Int(rng.next() % 4)), body: text(1 + Int(rng.next() % 40))))
            }
            try writer.commit()
        }
        writer.close()
        let reader = try IndexReader.open(at: dir)
        #expect(reader.segmentCount == 3 && reader.deletedCount > 0)
        return reader
    }

    /// Sums of terms and phrases (`"a b" OR c`, in several fields, boosted) are collected by
    /// windows of documents, clause after clause; that path must match every document of the
    /// scorer tree with the same score, bit for bit (both add the same leaves in the same order),
    /// across segments, with replaced (deleted) documents.
    @Test func windowedTermAndPhraseSumsEqualTheScorerTree() throws {
        try withTemporaryDirectory { dir in
            let reader = try Self.threeSegmentsWithReplacements(at: dir, seed: 2028, perBatch: 1_500)
            for query in [
                "\"the and\" OR kernel", "\"page fault\" OR \"memory page\" OR rare", "title:\"the and\" OR body:driver",
                "\"kernel memory\"^2 OR the", "\"ракета один\" OR один OR \"the the\"", "rare OR \"fault driver page\"",
            ] {
                let weight = try reader.prepare(try QueryParser().parse(query), options: SearchOptions())
                #expect(weight.flatTerms() == nil, "\(query)")
                let clauses = try #require(weight.flatClauses(), "\(query)")
                var windowed = TopScoreCollector(k: 100_000)
                _ = try reader.execute(QueryPlan(weight: weight, shape: .windowedSum(clauses)), into: &windowed)
                var tree = TopScoreCollector(k: 100_000)
                _ = try reader.execute(QueryPlan(weight: weight, shape: .scorerTree), into: &tree)
                #expect(windowed.total == tree.total, "\(query)")
                #expect(windowed.total > 0, "\(query)")
                let a = Dictionary(uniqueKeysWithValues: windowed.sorted().map { ("\($0.segment)/\($0.doc)", $0.score) })
                let b = Dictionary(uniqueKeysWithValues: tree.sorted().map { ("\($0.segment)/\($0.doc)", $0.score) })
                #expect(Set(a.keys) == Set(b.keys), "\(query)")
                for (key, score) in a {
                    #expect(score.bitPattern == (b[key] ?? -1).bitPattern, "\(query) \(key)")
                }
                // And through the public API, which takes this path.
                let hits = try reader.search(query, options: SearchOptions(limit: 20)).hits
                #expect(hits.count == min(20, tree.total), "\(query)")
            }
        }
    }

    /// Window buffers go back to the reader's pool after each query and must come back zeroed:
    /// after sums, conjunctions and mixes of terms and phrases, in every segment, every pooled
    /// buffer is all zeros, and each query asked again (on reused buffers) gives the same hits,
    /// scores and totals as the first time.
    @Test func pooledWindowBuffersComeBackZeroed() throws {
        try withTemporaryDirectory { dir in
            let reader = try Self.threeSegmentsWithReplacements(at: dir, seed: 2029, perBatch: 1_200)
            let queries = [
                "the OR kernel", "the AND and", "kernel AND memory AND page", "\"page fault\" OR rare", "the and",
                "\"the and\" OR \"and the\" OR driver", "ракета один", "pa*",
            ]
            func run(_ q: String) throws -> (Int, [String]) {
                let r = try reader.search(q, options: SearchOptions(limit: 50))
                return (r.total, r.hits.map { "\($0.id) \($0.score)" })
            }
            let first = try queries.map(run)
            for _ in 0..<3 {
                for (i, q) in queries.enumerated() {
                    let again = try run(q)
                    #expect(again.0 == first[i].0 && again.1 == first[i].1, "\(q)")
                }
            }
            let pool = reader.windowBuffers.pooled
            #expect(!pool.isEmpty)
            for buffers in pool {
                #expect((0..<WindowBuffers.size).allSatisfy { buffers.scores[$0] == 0 && buffers.partial[$0] == 0 })
                #expect((0..<WindowBuffers.words).allSatisfy { buffers.seen[$0] == 0 && buffers.matched[$0] == 0 })
            }
        }
    }

    /// Conjunctions of words searched in several fields are collected by windows of documents;
    /// that path must give exactly the scorer tree's hits, totals and scores, across segments,
    /// with replaced (deleted) documents, for clauses of every size.
    @Test func windowedConjunctionsEqualTheScorerTree() throws {
        try withTemporaryDirectory { dir in
            let reader = try Self.threeSegmentsWithReplacements(at: dir, seed: 2027, perBatch: 2_500)
            for query in [
                "the AND and", "the AND kernel", "kernel AND memory", "the AND and AND page", "rare AND the",
                "ракета AND один", "title:the AND body:and", "the AND driver AND fault AND page",
            ] {
                let weight = try reader.prepare(try QueryParser().parse(query), options: SearchOptions())
                let groups = try #require(weight.flatConjunction(), "\(query)")
                var windowed = TopScoreCollector(k: 50)
                _ = try reader.execute(QueryPlan(weight: weight, shape: .windowedConjunction(groups)), into: &windowed)
                var tree = TopScoreCollector(k: 50)
                _ = try reader.execute(QueryPlan(weight: weight, shape: .scorerTree), into: &tree)
                #expect(windowed.total == tree.total, "\(query)")
                #expect(windowed.total > 0, "\(query)")
                let a = windowed.sorted()
                let b = tree.sorted()
                #expect(a.map(\.doc) == b.map(\.doc), "\(query)")
                #expect(a.map(\.segment) == b.map(\.segment), "\(query)")
                #expect(a.map(\.score.bitPattern) == b.map(\.score.bitPattern), "\(query)")
            }
        }
    }

    /// Random corpora and queries: every hit's score equals a naive BM25 over the analyzed tokens.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func scoresEqualNaiveBM25(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let vocabulary = ["ракета", "ракеты", "система", "air", "defense", "missile", "missiles", "kernel", "один", "alpha", "beta"]
        func text(_ n: Int) -> String { (0..<n).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }.joined(separator: " ") }
        let docs = (0..<300).map { Document(id: "d\($0)", title: text(Int(rng.next() % 4)), body: text(1 + Int(rng.next() % 30))) }
        let reader = try IndexReader.inMemory(docs)
        let analyzer = Analyzer()
        let titleTerms = docs.map { analyzer.terms(of: $0.title) }
        let bodyTerms = docs.map { analyzer.terms(of: $0.body) }
        let n = Double(docs.count)
        let avgTitle = Double(titleTerms.reduce(0) { $0 + $1.count }) / n
        let avgBody = Double(bodyTerms.reduce(0) { $0 + $1.count }) / n
        var dfCache: [String: Double] = [:]
        let titleCounts = titleTerms.map { Dictionary($0.map { ($0, 1) }, uniquingKeysWith: +) }
        let bodyCounts = bodyTerms.map { Dictionary($0.map { ($0, 1) }, uniquingKeysWith: +) }
        func bm25(_ terms: [[String]], _ avg: Double, doc: Int, term: String) -> Double {
            let isTitle = avg == avgTitle
            let counts = isTitle ? titleCounts : bodyCounts
            let tf = Double(counts[doc][term] ?? 0)
            guard tf > 0 else { return 0 }
            let key = (isTitle ? "t:" : "b:") + term
            let df = dfCache[key] ?? Double(counts.filter { $0[term] != nil }.count)
            dfCache[key] = df
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            return idf * tf / (tf + 1.2 * (1 - 0.75 + 0.75 * Double(terms[doc].count) / avg))
        }
        for _ in 0..<30 {
            let words = (0..<(1 + Int(rng.next() % 3))).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }
            let query = words.joined(separator: " OR ")
            let hits = try reader.search(query, options: SearchOptions(limit: 1000)).hits
            // One clause per word: words with the same stem count once per clause, as in Lucene.
            let queryTerms = words.compactMap { analyzer.terms(of: $0).first }
            var expectedIDs = Set<String>()
            for (d, doc) in docs.enumerated() {
                let s = queryTerms.reduce(0.0) {
                    $0 + 2 * bm25(titleTerms, avgTitle, doc: d, term: $1) + bm25(bodyTerms, avgBody, doc: d, term: $1)
                }
                if s > 0 { expectedIDs.insert(doc.id) }
            }
            #expect(Set(hits.map(\.id)) == expectedIDs, "\(query)")
            for hit in hits {
                guard let d = docs.firstIndex(where: { $0.id == hit.id }) else { continue }
                let expected = queryTerms.reduce(0.0) {
                    $0 + 2 * bm25(titleTerms, avgTitle, doc: d, term: $1) + bm25(bodyTerms, avgBody, doc: d, term: $1)
                }
                #expect(abs(hit.score - expected) <= 1e-6 * expected, "\(query) \(hit.id)")
            }
        }
    }
}
