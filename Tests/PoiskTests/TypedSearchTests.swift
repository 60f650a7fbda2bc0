// Typed fields end to end, against a brute-force evaluation: the structured queries of the -meta
// corpora (filters, ranges, sorts, facets) over a committed sample of them (Tests/Fixtures/typed,
// made by Scripts/make-typed-fixture.py), in one segment, several, and several merged into one.
// The brute force takes the text part's matches and scores from a plain search and applies the
// filters, the sort (missing last, ties by score then id) and the facet counts to the loaded
// documents' values; the index must give the same totals, ids in order, scores bit for bit and
// counts.

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

/// The typed fixture: schema, documents (values as loaded through the schema) and queries.
enum TypedFixture {
    static let schema: Schema = (try? Schema(jsonFile: Fixtures.url("typed/meta-schema.json").path)) ?? .standard

    static let documents: [Document] = {
        var docs: [Document] = []
        try? DocumentLoader.loadJSONLines(path: Fixtures.url("typed/meta-sample.jsonl.gz").path, schema: schema, into: &docs)
        return docs
    }()

    struct StructuredQuery: Sendable, CustomStringConvertible {
        var cls: String
        var text: String
        var sort: String
        var facet: String
        var description: String { "\(cls): \(text) [\(sort)] [\(facet)]" }
    }

    static let queries: [StructuredQuery] = {
        guard let text = try? String(contentsOf: Fixtures.url("typed/structured.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { return nil }
            return StructuredQuery(
                cls: parts[0], text: parts[1], sort: parts.count > 2 ? parts[2] : "", facet: parts.count > 3 ? parts[3] : "")
        }
    }()

    /// Readers over the sample: one segment in memory; several segments on disk; and those
    /// merged into one. Built once.
    static let readers: [(String, IndexReader)] = {
        var out: [(String, IndexReader)] = []
        if let memory = try? IndexReader.inMemory(documents, schema: schema) { out.append(("one segment", memory)) }
        let dir = temporaryPath("poisk-typed-")
        guard let writer = try? IndexWriter(at: dir, schema: schema, options: IndexWriterOptions(threads: 1, autoMerge: false))
        else { return out }
        for chunk in stride(from: 0, to: documents.count, by: 70) {
            try? writer.add(contentsOf: documents[chunk..<min(documents.count, chunk + 70)])
            try? writer.commit()
        }
        if let several = try? IndexReader.open(at: dir) { out.append(("several segments", several)) }
        try? writer.merge(maxSegments: 1)
        writer.close()
        if let merged = try? IndexReader.open(at: dir) { out.append(("merged", merged)) }
        return out
    }()
}

/// A brute-force evaluation of one structured query.
struct BruteForce {
    let total: Int
    let ids: [String]
    let scores: [Double]
    let facet: [(String, Int)]

    /// One clause of a structured query.
    enum Clause {
        case words(String)
        case all
        case equals(String, String, negated: Bool)
        case range(String, String?, String?, includesFrom: Bool, includesTo: Bool)
    }

    static func clauses(_ text: String) -> [Clause] {
        text.components(separatedBy: " AND ").map { part in
            if part == "*:*" { return .all }
            var p = Substring(part)
            let negated = p.hasPrefix("-")
            if negated { p = p.dropFirst() }
            guard let colon = p.firstIndex(of: ":") else { return .words(part) }
            let field = String(p[..<colon])
            var value = String(p[p.index(after: colon)...])
            if let open = value.first, open == "[" || open == "{" {
                let close = value.last
                let bounds = value.dropFirst().dropLast().components(separatedBy: " TO ")
                let from = bounds[0] == "*" ? nil : bounds[0]
                let to = bounds.count > 1 && bounds[1] != "*" ? bounds[1] : nil
                return .range(field, from, to, includesFrom: open == "[", includesTo: close == "]")
            }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return .equals(field, value, negated: negated)
        }
    }

    /// Whether `document` passes the filter clauses.
    static func passes(_ document: Document, _ clauses: [Clause]) -> Bool {
        for clause in clauses {
            switch clause {
            case .words, .all:
                continue
            case .equals(let field, let value, let negated):
                let has: Bool
                switch document.values[field] {
                case .keywords(let list): has = list.contains(value)
                case .boolean(let b): has = "\(b)" == value
                case .integer(let n): has = "\(n)" == value
                default: has = false
                }
                if has == negated { return false }
            case .range(let field, let from, let to, let includesFrom, let includesTo):
                guard let v = document.values[field] else { return false }
                func compare(_ bound: String, day: Bool) -> Int {
                    switch v {
                    case .integer(let n): return n < Int64(bound) ?? 0 ? -1 : (n == Int64(bound) ?? 0 ? 0 : 1)
                    case .double(let d): return d < Double(bound) ?? 0 ? -1 : (d == Double(bound) ?? 0 ? 0 : 1)
                    case .date(let ms):
                        // Days: the document's day against the bound's.
                        let start = ISODate.parse(bound) ?? 0
                        if ms < start { return -1 }
                        return ms < start + ISODate.millisecondsPerDay ? 0 : 1
                    default: return 0
                    }
                }
                if let from {
                    let c = compare(from, day: true)
                    if c < 0 || (c == 0 && !includesFrom) { return false }
                }
                if let to {
                    let c = compare(to, day: true)
                    if c > 0 || (c == 0 && !includesTo) { return false }
                }
            }
        }
        return true
    }

    /// Sorts by `sort` (`field:asc|desc`): missing last, then score (highest first), then id.
    static func sortValue(_ document: Document, _ field: String) -> Double? {
        switch document.values[field] {
        case .integer(let n): return Double(n)
        case .double(let d): return d
        case .date(let ms): return Double(ms)
        case .boolean(let b): return b ? 1 : 0
        default: return nil
        }
    }

    init(_ query: TypedFixture.StructuredQuery, reader: IndexReader, byID: [String: Document]) throws {
        let clauses = BruteForce.clauses(query.text)
        let words = clauses.compactMap { if case .words(let w) = $0 { return w } else { return nil } }
        var matches: [(id: String, score: Double)] = []
        var options = SearchOptions(limit: 100_000, storedFields: .none, snippetFields: [])
        options.exactTotal = true
        if words.isEmpty {
            matches = try reader.search(.matchAll, options: options).hits.map { ($0.id, $0.score) }
        } else {
            let text = try QueryParser().parse(words.joined(separator: " AND "))
            matches = try reader.search(text, options: options).hits.map { ($0.id, $0.score) }
        }
        var kept = matches.filter { m in byID[m.id].map { BruteForce.passes($0, clauses) } ?? false }
        if !query.sort.isEmpty {
            let parts = query.sort.split(separator: ":").map(String.init)
            let field = parts[0]
            let descending = parts.count > 1 && parts[1] == "desc"
            kept.sort { a, b in
                let va = byID[a.id].flatMap { BruteForce.sortValue($0, field) }
                let vb = byID[b.id].flatMap { BruteForce.sortValue($0, field) }
                switch (va, vb) {
                case (nil, nil): break
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?) where x != y: return descending ? x > y : x < y
                default: break
                }
                if a.score != b.score { return a.score > b.score }
                return Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
            }
        }
        total = kept.count
        ids = kept.prefix(10).map(\.id)
        scores = kept.prefix(10).map(\.score)
        var counts: [String: Int] = [:]
        if !query.facet.isEmpty {
            for m in kept {
                switch byID[m.id]?.values[query.facet] {
                case .keywords(let list): for v in Set(list) { counts[v, default: 0] += 1 }
                case .boolean(let b): counts["\(b)", default: 0] += 1
                default: break
                }
            }
        }
        facet = counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
        }.prefix(10).map { ($0.key, $0.value) }
    }
}

@Suite struct TypedSearchTests {
    @Test func theFixtureLoads() {
        #expect(TypedFixture.documents.count == 450)
        #expect(TypedFixture.queries.count == 320)
        #expect(TypedFixture.readers.count == 3)
        #expect(TypedFixture.readers.allSatisfy { $0.1.documentCount == 450 })
        #expect(TypedFixture.readers[1].1.segmentCount > 1)
        #expect(TypedFixture.readers[2].1.segmentCount == 1)
    }

    /// The comparison is not vacuous: every class has queries with matches, sorted ones with
    /// ties broken, facets with several values.
    @Test func theQueriesMatchSomething() throws {
        let reader = try #require(TypedFixture.readers.first?.1)
        var matched: [String: Int] = [:]
        var facetValues = 0
        for query in TypedFixture.queries {
            var options = SearchOptions(limit: 10, storedFields: .none, snippetFields: [])
            if !query.facet.isEmpty { options.facets = [.values(query.facet)] }
            let results = try reader.search(query.text, options: options)
            if results.total > 0 { matched[query.cls, default: 0] += 1 }
            facetValues += results.facets.first?.counts.count ?? 0
        }
        for cls in ["filter_kw", "filter_tag", "filter_range", "filter_multi", "sort_date", "sort_all", "facet_section", "facet_all"] {
            #expect((matched[cls] ?? 0) >= 3, "\(cls): \(matched[cls] ?? 0) queries match")
        }
        #expect(facetValues > 100)
        print("matching queries per class:", matched.sorted { $0.key < $1.key })
    }

    @Test(arguments: TypedFixture.queries)
    func structuredQueriesMatchBruteForce(query: TypedFixture.StructuredQuery) throws {
        let byID = Dictionary(uniqueKeysWithValues: TypedFixture.documents.map { ($0.id, $0) })
        for (label, reader) in TypedFixture.readers {
            let expected = try BruteForce(query, reader: reader, byID: byID)
            var options = SearchOptions(limit: 10, storedFields: .none, snippetFields: [])
            if !query.sort.isEmpty { options.sort = [try SortField(parsing: query.sort)] }
            if !query.facet.isEmpty { options.facets = [.values(query.facet, limit: 10)] }
            let results = try reader.search(query.text, options: options)
            #expect(results.total == expected.total, "\(label): \(query)")
            #expect(results.hits.map(\.id) == expected.ids, "\(label): \(query)")
            #expect(results.hits.map(\.score) == expected.scores, "\(label): \(query)")
            if !query.facet.isEmpty {
                let counts = results.facet(query.facet)?.counts.map { ($0.value, $0.count) } ?? []
                #expect(counts.map(\.0) == expected.facet.map(\.0), "\(label): \(query)")
                #expect(counts.map(\.1) == expected.facet.map(\.1), "\(label): \(query)")
            }
        }
    }

    /// A numeric range reads its documents either from the trie terms or, when that is
    /// cheaper (a wide range of a small segment), from the field's column: both give the same
    /// documents, for random ranges of every numeric field, in every reader, and `*:*` with the
    /// range counts what the documents' values say.
    @Test func numericRangesFromColumnsAndFromTermsAgree() throws {
        var rng = SplitMix64(seed: 24)
        let fields: [(String, FieldType)] = [("date", .date), ("words", .integer), ("rating", .double)]
        // Format 6 leaves redundant trie levels out (whole-day dates: shifts 8 to 24), so the
        // ranges below are split along the levels each segment keeps.
        for (label, reader) in TypedFixture.readers {
            for view in reader.segments {
                let f = try #require(view.reader.fieldID("date"))
                let shifts = try #require(view.reader.fields[f]?.stats.trieShifts, "\(label)")
                #expect(shifts.first == 0 && !shifts.contains(8) && !shifts.contains(16), "\(label): \(shifts)")
            }
        }
        for (field, _) in fields {
            let values = TypedFixture.documents.compactMap { $0.values[field]?.sortableBits }.sorted()
            try #require(values.count > 100)
            for _ in 0..<25 {
                var a = values[rng.next(below: values.count)]
                var b = values[rng.next(below: values.count)]
                if a > b { swap(&a, &b) }
                func terms(_ shifts: [Int]) -> [TermSetWeight.Terms] {
                    NumericTerms.intervals(a, b, shifts: shifts).map {
                        .range(lower: $0.lower, upper: $0.upper, includesLower: true, includesUpper: true)
                    }
                }
                // As a query builds it: all levels, split again per segment, column when cheaper.
                let withColumn = TermSetWeight(field: field, terms: terms(NumericTerms.shifts), text: "range", sortableRange: (a, b))
                let expected = TypedFixture.documents.filter { d in
                    d.values[field]?.sortableBits.map { a <= $0 && $0 <= b } ?? false
                }.count
                for (label, reader) in TypedFixture.readers {
                    var total = 0
                    for view in reader.segments {
                        // Terms only, along the segment's own levels.
                        let f = try #require(view.reader.fieldID(field))
                        let shifts = view.reader.fields[f]?.stats.trieShifts ?? NumericTerms.shifts
                        let termsOnly = TermSetWeight(field: field, terms: terms(shifts), text: "range")
                        let fromColumn = try withColumn.docSet(in: view)
                        let fromTerms = try termsOnly.docSet(in: view)
                        #expect(fromColumn?.words == fromTerms?.words, "\(label): \(field) \(a)...\(b)")
                        total += fromTerms?.words.reduce(0) { $0 + $1.nonzeroBitCount } ?? 0
                    }
                    #expect(total == expected, "\(label): \(field) \(a)...\(b)")
                }
            }
        }
    }

    /// The typed golden indexes (golden-typed-v<N>, format 5 and later, made by
    /// Scripts/make-golden-index.sh) open, pass the checker and answer typed queries as an index
    /// built now from the same documents.
    @Test func typedGoldenIndexesOpenAndAnswerLikeAFreshIndex() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.fixtures.path)) ?? []
        let versions = names.compactMap { $0.hasPrefix("golden-typed-v") ? Int($0.dropFirst(14)) : nil }.sorted()
        #expect(versions.contains(segmentFormatVersion), "no golden-typed-v\(segmentFormatVersion): run Scripts/make-golden-index.sh")
        var documents: [Document] = []
        try DocumentLoader.loadJSONLines(
            path: Fixtures.url("typed/golden-typed.jsonl").path, schema: TypedFixture.schema, into: &documents)
        let fresh = try IndexReader.inMemory(documents, schema: TypedFixture.schema)
        for version in versions {
            try withTemporaryDirectory { dir in
                let copy = dir + "/index"
                try FileManager.default.copyItem(atPath: Fixtures.url("golden-typed-v\(version)").path, toPath: copy)
                let report = try IndexChecker.check(at: copy)
                #expect(report.isValid, "\(report.problems)")
                let golden = try IndexReader.open(at: copy)
                #expect(golden.documentCount == documents.count)
                let queries: [(String, [SortField], [FacetRequest])] = [
                    ("*:*", [SortField("date", descending: true)], [.values("section"), .values("tags", limit: 5)]),
                    ("*:* AND -section:filesystems", [SortField("rating", descending: true)], []),
                    ("*:* AND date:[2015-01-01 TO 2020-12-31]", [SortField("words")], [.values("draft")]),
                    ("the AND words:[300 TO *]", [], [.values("section")]),
                    ("*:* AND draft:false AND rating:{2 TO 5]", [SortField("section")], []),
                ]
                for (text, sort, facets) in queries {
                    let options = SearchOptions(limit: 10, storedFields: .all, snippetFields: [], sort: sort, facets: facets)
                    let a = try golden.search(text, options: options)
                    let b = try fresh.search(text, options: options)
                    #expect(a.total == b.total, "\(text)")
                    #expect(a.hits.map(\.id) == b.hits.map(\.id), "\(text)")
                    #expect(a.hits.map(\.sortValues) == b.hits.map(\.sortValues), "\(text)")
                    #expect(a.hits.map(\.document) == b.hits.map(\.document), "\(text)")
                    #expect(a.facets == b.facets, "\(text)")
                }
                // Stored typed values come back in their types.
                for d in documents {
                    let stored = try #require(try golden.document(id: d.id))
                    #expect(stored.values == d.values, "\(d.id)")
                    #expect(stored.title == d.title, "\(d.id)")
                }
            }
        }
    }

    /// A damaged column (one byte flipped, the checksum no longer matching) is named by the
    /// checker, and a sort or facet that reads it fails with `corruptIndex`, while searches
    /// that do not read it still answer.
    @Test func damagedColumnsAreReported() throws {
        try GoldenIndexesTyped.withCopy { index in
            let segment = try #require(
                try FileManager.default.contentsOfDirectory(atPath: index).first { $0.hasSuffix(".seg") })
            let path = index + "/" + segment
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let file = try SegmentFileReader(FileBytes(copying: bytes, name: segment))
            let reader = try SegmentReader(bytes: FileBytes(copying: bytes, name: segment))
            let f = try #require(reader.fieldID("section"))
            let section = try #require(file.sections.first { $0.kind == SectionKind.column.rawValue && $0.field == UInt16(f) })
            bytes[section.offset + section.length - 9] ^= 0x5A
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let report = try IndexChecker.check(at: index)
            #expect(!report.isValid)
            #expect(report.problems.contains { $0.section.contains("column") })
            let damaged = try IndexReader.open(at: index)
            #expect(throws: PoiskError.self) {
                _ = try damaged.search("*:*", options: SearchOptions(sort: [SortField("section")]))
            }
            #expect(throws: PoiskError.self) { _ = try damaged.search("*:*", options: SearchOptions(facets: [.values("section")])) }
            #expect(try damaged.search("*:*", options: SearchOptions(sort: [SortField("date")])).total == 24)
            #expect(try damaged.count("section:driver-api") > 0)
        }
    }
}

/// The newest typed golden index, copied (the fixture is never written).
enum GoldenIndexesTyped {
    static func withCopy<R>(_ body: (String) throws -> R) throws -> R {
        try withTemporaryDirectory { dir in
            let copy = dir + "/index"
            try FileManager.default.copyItem(atPath: Fixtures.url("golden-typed-v\(segmentFormatVersion)").path, toPath: copy)
            return try body(copy)
        }
    }
}
