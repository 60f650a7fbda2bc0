// Sorting and facets beyond the structured sets: pages by searchAfter equal pages by offset,
// missing values last in both directions, several keys, multi-valued keywords, chosen values,
// range buckets, booleans, the errors of impossible requests, and damaged columns.

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct SortFacetTests {
    static let schema = Schema(fields: [
        .text("title", boost: 2), .text("body"), .keyword("tags"), .date("date"), .integer("n"), .double("r"),
        .boolean("flag"), .keyword("plain", columnar: false),
    ])

    /// 200 documents, some values missing, many ties.
    static let documents: [Document] = (0..<200).map { i in
        var values: [String: FieldValue] = [:]
        if i % 7 != 0 { values["n"] = .integer(Int64(i % 13) - 6) }
        if i % 5 != 0 { values["r"] = .double(Double(i % 11) / 4) }
        values["date"] = .date(ISODate.millisecondsPerDay * Int64(i % 17) + (i % 2 == 0 ? 0 : 3_600_000))
        values["flag"] = .boolean(i % 3 == 0)
        let tags = ["a", "b", "c", "d", "e"].enumerated().filter { (i >> $0.offset) & 1 == 1 }.map(\.element)
        if !tags.isEmpty { values["tags"] = .keywords(tags) }
        return Document(
            id: String(format: "doc-%03d", (i * 37) % 200), title: i % 4 == 0 ? "alpha beta" : "alpha",
            body: String(repeating: "gamma ", count: 1 + i % 5), values: values)
    }

    static func readers() throws -> [(String, IndexReader)] {
        var out = [("memory", try IndexReader.inMemory(documents, schema: schema))]
        let dir = temporaryPath("poisk-sort-")
        let writer = try IndexWriter(at: dir, schema: schema, options: IndexWriterOptions(threads: 1, autoMerge: false))
        for chunk in stride(from: 0, to: 200, by: 45) {
            try writer.add(contentsOf: documents[chunk..<min(200, chunk + 45)])
            try writer.commit()
        }
        writer.close()
        out.append(("segments", try IndexReader.open(at: dir)))
        return out
    }

    @Test func pagesBySearchAfterEqualPagesByOffset() throws {
        for (label, reader) in try SortFacetTests.readers() {
            for sort in [
                [SortField("n")], [SortField("n", descending: true)], [SortField("r", descending: true), SortField("date")],
                [SortField("tags")], [SortField("tags", descending: true)], [SortField("flag"), .score],
                [SortField("date", descending: true)],
            ] {
                for query in ["alpha", "*:*", "beta OR gamma"] {
                    var all = SearchOptions(limit: 1000, storedFields: .none, snippetFields: [], sort: sort)
                    let full = try reader.search(query, options: all).hits
                    #expect(full.count == (query == "beta OR gamma" ? 200 : 200), "\(label) \(sort) \(query)")
                    // Pages of 17 by offset, and by the cursor of the previous page.
                    var cursor: SearchCursor?
                    var byCursor: [SearchHit] = []
                    var byOffset: [SearchHit] = []
                    for page in 0..<12 {
                        all.limit = 17
                        all.offset = page * 17
                        all.searchAfter = nil
                        byOffset += try reader.search(query, options: all).hits
                        all.offset = 0
                        all.searchAfter = cursor
                        let results = try reader.search(query, options: all)
                        byCursor += results.hits
                        cursor = results.nextCursor ?? cursor
                    }
                    #expect(byOffset.map(\.id) == full.map(\.id), "\(label) \(sort) \(query)")
                    #expect(byCursor.map(\.id) == full.map(\.id), "\(label) \(sort) \(query)")
                    // The order: keys (missing last), then score, then id.
                    for (a, b) in zip(full, full.dropFirst()) {
                        #expect(SortFacetTests.inOrder(a, b, sort), "\(label) \(sort) \(query): \(a.id) \(b.id)")
                    }
                }
            }
        }
    }

    static func inOrder(_ a: SearchHit, _ b: SearchHit, _ sort: [SortField]) -> Bool {
        func number(_ v: FieldValue?) -> Double? {
            switch v {
            case .integer(let n), .date(let n): return Double(n)
            case .double(let d): return d
            case .boolean(let x): return x ? 1 : 0
            default: return nil
            }
        }
        for (i, key) in sort.enumerated() {
            let va = a.sortValues[i]
            let vb = b.sortValues[i]
            switch (va, vb) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            default: break
            }
            if case .keyword(let x) = va, case .keyword(let y) = vb {
                if x == y { continue }
                return key.descending
                    ? Array(y.utf8).lexicographicallyPrecedes(Array(x.utf8)) : Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            }
            guard let x = number(va), let y = number(vb) else { return false }
            if x == y { continue }
            return key.descending ? x > y : x < y
        }
        if a.score != b.score { return a.score > b.score }
        return Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
    }

    @Test func facetsCountEveryMatch() throws {
        let docs = SortFacetTests.documents
        for (label, reader) in try SortFacetTests.readers() {
            let options = SearchOptions(
                limit: 3, storedFields: .none, snippetFields: [],
                facets: [
                    .values("tags", limit: 2, chosen: ["e", "zzz", "a"]), .values("flag"),
                    .ranges(
                        "date",
                        [
                            FacetRange("first days", from: nil, to: .keyword("1970-01-03")),
                            FacetRange("the 3rd, inclusive", from: .keyword("1970-01-03"), to: .keyword("1970-01-03"), includesTo: true),
                            FacetRange("later", from: .keyword("1970-01-04"), to: nil),
                        ]),
                    .ranges("n", [FacetRange("negative", from: nil, to: .integer(0)), FacetRange("0 up", from: .keyword("0"), to: nil)]),
                ])
            let results = try reader.search("alpha", options: options)
            #expect(results.total == 200)
            var tagCounts: [String: Int] = [:]
            for d in docs { if case .keywords(let list) = d.values["tags"] { for t in list { tagCounts[t, default: 0] += 1 } } }
            let top = tagCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(2)
            let tags = try #require(results.facet("tags"))
            #expect(tags.counts.map(\.value) == top.map(\.key), "\(label)")
            #expect(tags.counts.map(\.count) == top.map(\.value), "\(label)")
            #expect(tags.chosen.map(\.count) == [tagCounts["e"] ?? 0, 0, tagCounts["a"] ?? 0], "\(label)")
            #expect(tags.documentsWithValue == docs.filter { $0.values["tags"] != nil }.count)
            #expect(tags.distinctValues == 5)
            let flags = try #require(results.facet("flag"))
            #expect(Set(flags.counts.map(\.value)) == ["true", "false"])
            #expect(flags.counts.reduce(0) { $0 + $1.count } == 200)
            let dates = try #require(results.facet("date"))
            func dayCount(_ match: (Int) -> Bool) -> Int { (0..<200).filter { match($0 % 17) }.count }
            #expect(dates.counts.map(\.count) == [dayCount { $0 < 2 }, dayCount { $0 == 2 }, dayCount { $0 >= 3 }], "\(label)")
            let numbers = try #require(results.facet("n"))
            let ns = docs.compactMap { if case .integer(let n) = $0.values["n"] { return n } else { return nil } }
            #expect(numbers.counts.map(\.count) == [ns.filter { $0 < 0 }.count, ns.filter { $0 >= 0 }.count], "\(label)")
            // A filter narrows the counts; the counts do not depend on the limit.
            var filtered = options
            filtered.limit = 0
            let only = try reader.search("alpha AND flag:true", options: filtered)
            #expect(only.facet("flag")?.counts.map(\.value) == ["true"])
            #expect(only.facet("flag")?.counts.first?.count == only.total)
        }
    }

    @Test func impossibleSortsAndFacetsAreErrors() throws {
        let reader = try IndexReader.inMemory(SortFacetTests.documents, schema: SortFacetTests.schema)
        func fails(_ options: SearchOptions, _ fragment: String) {
            do {
                _ = try reader.search("alpha", options: options)
                Issue.record("searched: \(fragment)")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
            }
        }
        fails(SearchOptions(sort: [SortField("title")]), "is text")
        fails(SearchOptions(sort: [SortField("plain")]), "not columnar")
        fails(SearchOptions(sort: [SortField("nope")]), "nope")
        fails(SearchOptions(facets: [.values("n")]), "range buckets")
        fails(SearchOptions(facets: [.ranges("tags", [])]), "range buckets need")
        fails(SearchOptions(searchAfter: SearchCursor(values: [], score: 1, id: "x")), "needs a sort")
        fails(SearchOptions(sort: [SortField("n")], searchAfter: SearchCursor(values: [], score: 1, id: "x")), "sort values")
    }

    @Test func typedQueriesOnTheSortFixture() throws {
        for (label, reader) in try SortFacetTests.readers() {
            func count(_ q: String) throws -> Int { try reader.count(q) }
            #expect(
                try count("n:[-2 TO 2]")
                    == SortFacetTests.documents.filter {
                        if case .integer(let n) = $0.values["n"] { return (-2...2).contains(n) }
                        return false
                    }.count, "\(label)")
            #expect(
                try count("n:{-2 TO 2}")
                    == SortFacetTests.documents.filter {
                        if case .integer(let n) = $0.values["n"] { return (-1...1).contains(n) }
                        return false
                    }.count, "\(label)")
            #expect(
                try count("r:[1.5 TO *]")
                    == SortFacetTests.documents.filter {
                        if case .double(let r) = $0.values["r"] { return r >= 1.5 }
                        return false
                    }.count, "\(label)")
            #expect(try count("n:[-0.5 TO 0.5]") == SortFacetTests.documents.filter { $0.values["n"] == .integer(0) }.count)
            #expect(try count("date:1970-01-02") == (0..<200).filter { $0 % 17 == 1 }.count)
            #expect(
                try count("date:[1970-01-02T00:30:00Z TO 1970-01-02T23:00:00Z]") == (0..<200).filter { $0 % 17 == 1 && $0 % 2 == 1 }.count)
            #expect(try count("tags:a AND -tags:b") == (0..<200).filter { $0 & 1 == 1 && $0 & 2 == 0 }.count)
            #expect(try count("tags:[b TO c]") == (0..<200).filter { $0 & 6 != 0 }.count)
            #expect(try count("tags:{b TO c]") == (0..<200).filter { $0 & 4 != 0 }.count)
            #expect(try count("plain:x") == 0)
            #expect(throws: PoiskError.self) { try reader.count("n:abc") }
            #expect(throws: PoiskError.self) { try reader.count("title:[a TO b]") }
            #expect(throws: PoiskError.self) { try reader.count("n:1~") }
            // A typed clause never changes a score.
            let plain = try reader.search("alpha", options: SearchOptions(limit: 300))
            let filtered = try reader.search("alpha AND flag:true AND n:[* TO 3]", options: SearchOptions(limit: 300))
            let scores = Dictionary(uniqueKeysWithValues: plain.hits.map { ($0.id, $0.score) })
            for hit in filtered.hits { #expect(scores[hit.id] == hit.score) }
        }
    }
}

@Suite struct ColumnOnlyFieldTests {
    /// A field kept only as a column (not indexed) still sorts and counts after a merge: the
    /// merge carries its column even though the field has no terms.
    @Test func columnOnlyFieldsSurviveMerges() throws {
        let schema = Schema(fields: [.text("body"), .integer("rank", indexed: false), .keyword("kind", indexed: false)])
        let ranks: [Int64] = (0..<60).map { Int64(($0 * 17) % 60) }
        var documents: [Document] = []
        for i in 0..<60 {
            let kind = i % 3 == 0 ? "x" : "y"
            let values: [String: FieldValue] = ["rank": .integer(ranks[i]), "kind": .keywords([kind])]
            documents.append(Document(id: String(format: "d%02d", i), title: "", body: "word", values: values))
        }
        let dir = temporaryPath("poisk-column-only-")
        let writer = try IndexWriter(at: dir, schema: schema, options: IndexWriterOptions(threads: 1, autoMerge: false))
        for chunk in stride(from: 0, to: 60, by: 20) {
            try writer.add(contentsOf: documents[chunk..<chunk + 20])
            try writer.commit()
        }
        var options = SearchOptions(limit: 5, storedFields: .none, snippetFields: [])
        options.sort = [SortField("rank", descending: true)]
        options.facets = [.values("kind")]
        let before = try IndexReader.open(at: dir).search("word", options: options)
        try writer.merge(maxSegments: 1)
        writer.close()
        let merged = try IndexReader.open(at: dir)
        #expect(merged.segmentCount == 1)
        let after = try merged.search("word", options: options)
        let order = (0..<60).sorted { ranks[$0] > ranks[$1] }
        let expected: [String] = order.prefix(5).map { documents[$0].id }
        #expect(before.hits.map(\.id) == expected)
        #expect(after.hits.map(\.id) == expected)
        let counts: [Int] = after.facet("kind")?.counts.map { $0.count } ?? []
        #expect(counts == [40, 20])
        #expect(try IndexChecker.check(at: dir).documents == 60)
    }
}

@Suite struct ExtremeSortValueTests {
    /// Integers at both ends of Int64 (a column of 64-bit ranks): ties at Int64.max still break
    /// by score then id, ascending and descending, and a range to `*` keeps Int64.max.
    @Test func sortsAndRangesAtTheEndsOfInt64() throws {
        var documents: [Document] = []
        for i in 0..<12 {
            let n: Int64 = i == 5 ? .min : (i == 8 ? 0 : .max)
            documents.append(Document(id: String(format: "e%02d", i), title: "", body: "same", values: ["n": .integer(n)]))
        }
        let reader = try IndexReader.inMemory(documents, schema: Schema(fields: [.text("title"), .text("body"), .integer("n")]))
        var options = SearchOptions(limit: 4, storedFields: .none, snippetFields: [])
        options.sort = [SortField("n")]
        #expect(try reader.search("same", options: options).hits.map(\.id) == ["e05", "e08", "e00", "e01"])
        options.sort = [SortField("n", descending: true)]
        #expect(try reader.search("same", options: options).hits.map(\.id) == ["e00", "e01", "e02", "e03"])
        #expect(try reader.search("*:* AND n:[0 TO *]", options: options).total == 11)
        #expect(try reader.search("*:* AND n:[* TO 0]", options: options).total == 2)
    }
}
