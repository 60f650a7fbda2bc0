// Round trip: what a reader decodes from a segment equals what went in, for random documents.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct SegmentRoundTripTests {
    static let vocabulary = [
        "alpha", "beta", "gamma", "delta", "ракета", "ракеты", "система", "patriot", "missile", "defense", "один",
        "два", "kernel", "memory", "Зеленський", "україна", "x", "y", "z", "155mm",
        // The builder remembers each word's term (by its original bytes): spellings of one term,
        // words it skips or keeps unstemmed, over-long words and CJK runs must index exactly
        // what the analyzer alone produces.
        "Alpha", "ALPHA", "Trump's", "students'", "ёлка", "ра́кета", "don't", "hello,world", "Ab12", "'", "—",
        "supercalifragilisticexpialidocious-and-more", "中可能存在", "存在", "请注意", "中", "すし",
    ]

    func randomDocuments(count: Int, seed: UInt64) -> [Document] {
        var rng = SplitMix64(seed: seed)
        var docs: [Document] = []
        for i in 0..<count {
            func text(_ n: Int) -> String {
                (0..<n).map { _ in Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))] }.joined(separator: " ")
            }
            let bodyLength = Int(rng.next() % 40)
            var extra: [String: String] = [:]
            if rng.next() % 3 == 0 { extra["tags"] = text(3) }
            docs.append(Document(id: "doc-\(i)", title: text(Int(rng.next() % 5)), body: text(bodyLength), fields: extra))
        }
        return docs
    }

    /// Expected postings: field → term → [(doc, positions)].
    func expected(_ docs: [Document], schema: Schema) -> [String: [String: [(Int32, [UInt32])]]] {
        var result: [String: [String: [(Int32, [UInt32])]]] = [:]
        let analyzer = Analyzer()
        for (d, doc) in docs.enumerated() {
            for (field, text) in doc.fields where !text.isEmpty {
                var perTerm: [String: [UInt32]] = [:]
                var order: [String] = []
                analyzer.analyze(text) { t in
                    let term = t.termString
                    if perTerm[term] == nil { order.append(term) }
                    perTerm[term, default: []].append(UInt32(t.position))
                }
                for term in order { result[field, default: [:]][term, default: []].append((Int32(d), perTerm[term] ?? [])) }
            }
        }
        return result
    }

    @Test(arguments: [(50, 1), (700, 2), (1500, 3)] as [(Int, UInt64)])
    func decodedEqualsBuilt(count: Int, seed: UInt64) throws {
        let docs = randomDocuments(count: count, seed: seed)
        let builder = SegmentBuilder(schema: .standard)
        for d in docs { builder.add(d) }
        let bytes = builder.finish(name: "rt")
        let reader = try SegmentReader(bytes: FileBytes(copying: bytes, name: "rt.seg"), verify: true)
        #expect(reader.docCount == docs.count)
        let want = expected(docs, schema: builder.schema)
        var positions: [UInt32] = []
        for (field, terms) in want {
            let f = try #require(reader.fieldID(field))
            let fr = try #require(reader.fields[f])
            // Every term, in order, with exact postings.
            var cursor = try fr.terms.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            var seen: [String] = []
            while try cursor.next() {
                let term = cursor.termString
                seen.append(term)
                let list = try #require(terms[term], "unexpected term \(term) in \(field)")
                #expect(cursor.info.docFreq == list.count)
                let pc = try #require(try reader.postings(field: f, info: cursor.info))
                var i = 0
                while pc.next() != PostingsCursor.end {
                    #expect(pc.doc == list[i].0)
                    #expect(Int(pc.termFrequency) == list[i].1.count)
                    #expect(pc.readPositions(into: &positions))
                    #expect(positions == list[i].1)
                    i += 1
                }
                #expect(i == list.count)
                #expect(!pc.isCorrupt)
            }
            #expect(seen == terms.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            // Lengths.
            for (d, doc) in docs.enumerated() {
                let length = Analyzer().terms(of: doc.fields[field] ?? "").count
                #expect(reader.fieldLength(f, doc: Int32(d)) == UInt32(length))
            }
        }
        // Stored fields and ids.
        for (d, doc) in docs.enumerated() {
            var stored = try reader.document(Int32(d))
            for k in ["title", "body"] where doc.fields[k] == "" { stored.fields[k] = stored.fields[k] ?? "" }
            #expect(stored == doc)
            #expect(try reader.docID(for: doc.id) == Int32(d))
        }
    }

    /// The builder's fast path for lists of fewer than 128 documents writes the same bytes as
    /// the general writer.
    @Test func shortListEncodingMatchesTheGeneralWriter() {
        var rng = SplitMix64(seed: 31)
        var writer = PostingsWriter()
        let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
        let tfs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: PostingsWriter.shortListMaxBytes)
        defer {
            docs.deallocate()
            tfs.deallocate()
            out.deallocate()
        }
        for trial in 0..<500 {
            let n = 1 + Int(rng.next() % 127)
            writer.reset()
            var doc: UInt32 = trial % 3 == 0 ? 0 : UInt32(rng.next() % 1000)
            var minLength = UInt32.max
            for i in 0..<n {
                // Gaps from 1 to huge (multi-byte varints), frequencies 1 to a few hundred.
                if i > 0 { doc += rng.next() % 10 == 0 ? UInt32(1 + rng.next() % 5_000_000) : UInt32(1 + rng.next() % 20) }
                let tf = rng.next() % 4 == 0 ? UInt32(2 + rng.next() % 300) : 1
                let length = UInt32(rng.next() % 100_000)
                minLength = min(minLength, length)
                docs[i] = doc
                tfs[i] = tf
                writer.add(doc: doc, positions: (0..<tf).map { $0 * 3 }[...], fieldLength: length)
            }
            var postings = ByteWriter()
            var positions = ByteWriter()
            writer.write(postings: &postings, positions: &positions)
            let count = PostingsWriter.encodeShortList(docs: docs, tfs: tfs, count: n, into: out)
            #expect(Array(UnsafeBufferPointer(start: out, count: count)) == postings.bytes, "trial \(trial)")
        }
    }

    /// Terms in one document, once, are kept in the dictionary (format 2 singletons): they
    /// answer term, phrase and prefix queries, survive a merge, and the checker accepts them.
    @Test func singletonTermsAnswerQueriesAndSurviveMerges() throws {
        func documents(_ range: Range<Int>) -> [Document] {
            range.map { i in
                // "u<i>" occurs once in the whole index; "twice<i>" twice in one document.
                Document(id: "d\(i)", title: "common", body: "common u\(i) tail twice\(i) x twice\(i)")
            }
        }
        try withTemporaryDirectory { dir in
            let writer = try IndexWriter(at: dir, options: IndexWriterOptions(threads: 1, autoMerge: false))
            try writer.add(contentsOf: documents(0..<300))
            try writer.commit()
            try writer.add(contentsOf: documents(300..<500))
            try writer.commit()
            for stage in ["two segments", "merged"] {
                let reader = try IndexReader.open(at: dir)
                #expect(try reader.search("u7").hits.map(\.id) == ["d7"], "\(stage)")
                #expect(try reader.search("u450").hits.map(\.id) == ["d450"], "\(stage)")
                #expect(try reader.search("\"u42 tail\"").hits.map(\.id) == ["d42"], "\(stage)")
                #expect(try reader.search("\"tail u42\"").total == 0, "\(stage)")
                #expect(try reader.search("twice9").hits.map(\.id) == ["d9"], "\(stage)")
                // u45 and u450–u459 (prefixes expand to at most 64 terms).
                #expect(try reader.search("u45*").total == 11, "\(stage)")
                let hit = try #require(try reader.search("u301").hits.first)
                #expect(hit.snippet.contains("**u301**"), "\(stage)")
                #expect(try IndexChecker.check(at: dir).isValid, "\(stage)")
                if stage == "two segments" {
                    #expect(reader.segmentCount == 2)
                    try writer.merge(maxSegments: 1)
                }
            }
            writer.close()
        }
    }

    @Test func skippingMatchesLinearScan() throws {
        let docs = randomDocuments(count: 3000, seed: 9)
        let builder = SegmentBuilder(schema: .standard)
        for d in docs { builder.add(d) }
        let reader = try SegmentReader(bytes: FileBytes(copying: builder.finish(name: "s"), name: "s.seg"))
        let f = try #require(reader.fieldID("body"))
        let term = Array("alpha".utf8)
        let info = try #require(try term.withUnsafeBytes { try reader.termInfo(field: f, term: $0) })
        #expect(info.docFreq > 256)
        var all: [Int32] = []
        let linear = try #require(try reader.postings(field: f, info: info))
        while linear.next() != PostingsCursor.end { all.append(linear.doc) }
        var rng = SplitMix64(seed: 5)
        for _ in 0..<50 {
            let skipping = try #require(try reader.postings(field: f, info: info))
            var target: Int32 = 0
            while true {
                target += Int32(rng.next() % 200)
                let got = skipping.advance(to: target)
                let want = all.first { $0 >= target } ?? PostingsCursor.end
                #expect(got == want)
                if got == PostingsCursor.end { break }
                // Term frequency after a skip matches a fresh linear read.
                #expect(skipping.termFrequency >= 1)
            }
        }
    }
}
