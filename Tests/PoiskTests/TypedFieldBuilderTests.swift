// One typed field of a segment built on its own (TypedFieldBuilder): its terms and postings
// read back document by document, its column against the values given, and columns merged
// (ColumnMerger) without deleted documents.

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct TypedFieldBuilderTests {
    /// The documents of each term of a finished field, by term.
    static func postings(_ parts: TypedFieldBuilder.Parts, docCount: Int) throws -> [[UInt8]: [UInt32]] {
        guard let index = parts.index else { return [:] }
        let dictionary = index.terms.finish()
        let postings = index.postings.bytes
        let positions: [UInt8] = []
        var result: [[UInt8]: [UInt32]] = [:]
        try dictionary.withUnsafeBytes { d in
            try postings.withUnsafeBytes { p in
                try positions.withUnsafeBytes { q in
                    let reader = try TermDictionaryReader(d, file: "t", section: "terms", singletons: true)
                    var cursor = try reader.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
                    while try cursor.next() {
                        let info = cursor.info
                        let pc =
                            info.singleton.map { PostingsCursor(singleton: $0, docCount: docCount) }
                            ?? PostingsCursor(postings: p, positions: q, info: info, docCount: docCount, hasPositions: false)
                        var docs: [UInt32] = []
                        while let block = pc.nextBlock() { docs += (0..<block.count).map { block.docs[$0] } }
                        result[cursor.withTerm { Array($0) }] = docs
                    }
                }
            }
        }
        return result
    }

    @Test func keywordFieldsIndexTheirValuesAndKeepOrdinals() throws {
        let builder = TypedFieldBuilder(options: .keyword("tags"))
        let values: [Int: [String]] = [0: ["b", "a"], 1: [], 2: ["c"], 4: ["a", "a", "driver-api"], 200: ["b"]]
        for d in values.keys.sorted() where !(values[d] ?? []).isEmpty {
            builder.add(.keywords(values[d] ?? []), doc: Int32(d))
        }
        var writer = PostingsWriter()
        let parts = builder.finish(docCount: 201, writer: &writer)
        #expect(parts.stats.docsWithField == 4)
        #expect(parts.stats.termCount == 4)
        let postings = try TypedFieldBuilderTests.postings(parts, docCount: 201)
        #expect(postings[Array("a".utf8)] == [0, 4])
        #expect(postings[Array("b".utf8)] == [0, 200])
        #expect(postings[Array("c".utf8)] == [2])
        #expect(postings[Array("driver-api".utf8)] == [4])
        let column = try #require(parts.column)
        try column.withUnsafeBytes { raw in
            guard case .keyword(let c) = try Column.open(raw, docCount: 201, file: "t", section: "c") else {
                Issue.record("not a keyword column")
                return
            }
            try Column.keyword(c).verify(file: "t", section: "c")
            #expect((0..<c.ordinalCount).map { c.string($0) } == ["a", "b", "c", "driver-api"])
            #expect(c.ordinals(of: 0) == [0, 1])
            #expect(c.ordinals(of: 1) == [])
            #expect(c.ordinals(of: 4) == [0, 3])
            #expect(c.ordinals(of: 200) == [1])
            #expect(c.ordinals(of: 100) == [])
        }
    }

    @Test func numericFieldsIndexTrieTermsAndKeepValues() throws {
        let builder = TypedFieldBuilder(options: .date("date"))
        let days = [0: "2023-09-26", 1: "2015-01-10", 3: "2023-09-26"]
        for (d, text) in days.sorted(by: { $0.key < $1.key }) {
            builder.add(.date(try #require(ISODate.parse(text))), doc: Int32(d))
        }
        var writer = PostingsWriter()
        let parts = builder.finish(docCount: 5, writer: &writer)
        let postings = try TypedFieldBuilderTests.postings(parts, docCount: 5)
        let day = SortableNumber.bits(try #require(ISODate.parse("2023-09-26")))
        #expect(postings[NumericTerms.term(day, shift: 0)] == [0, 3])
        #expect(postings.keys.allSatisfy { $0.withUnsafeBytes { NumericTerms.decode($0) } != nil })
        // Two distinct values: the levels where they still differ hold the same sets as level 0
        // and are left out (format 6); the kept ones are in the statistics, and only they.
        let shifts = try #require(parts.stats.trieShifts)
        #expect(shifts.first == 0 && shifts.count < NumericTerms.shifts.count)
        let levels = Set(postings.keys.compactMap { $0.withUnsafeBytes { NumericTerms.decode($0)?.shift } })
        #expect(levels == Set(shifts))
        #expect(parts.stats.termCount == postings.count)
        let column = try #require(parts.column)
        try column.withUnsafeBytes { raw in
            guard case .numeric(let c) = try Column.open(raw, docCount: 5, file: "t", section: "c") else {
                Issue.record("not a numeric column")
                return
            }
            #expect(c.value(0) == day)
            #expect(c.value(2) == nil)
            #expect(c.value(4) == nil)
            #expect(c.value(1) == SortableNumber.bits(try #require(ISODate.parse("2015-01-10"))))
        }
        // Neither indexed nor columnar: nothing but statistics.
        let bare = TypedFieldBuilder(options: .integer("n", indexed: false, columnar: false))
        bare.add(.integer(5), doc: 0)
        let bareParts = bare.finish(docCount: 1, writer: &writer)
        #expect(bareParts.index == nil && bareParts.column == nil)
        #expect(bareParts.stats.docsWithField == 1)
    }

    @Test func columnsMergeWithoutDeletedDocuments() throws {
        // Two keyword columns with overlapping dictionaries; the second document of the first
        // source is deleted.
        let first = ColumnWriter.keywords(
            docCount: 3, dictionary: [[0x61], [0x63]], starts: [0, 1, 3, 4], ordinals: [0, 0, 1, 1])
        let second = ColumnWriter.keywords(docCount: 2, dictionary: [[0x62], [0x63], [0x64]], starts: [0, 2, 3], ordinals: [0, 2, 1])
        try first.withUnsafeBytes { a in
            try second.withUnsafeBytes { b in
                let merged = ColumnMerger.merge(
                    type: .keyword,
                    sources: [
                        (try Column.open(a, docCount: 3, file: "a", section: "c"), [0, -1, 1]),
                        (try Column.open(b, docCount: 2, file: "b", section: "c"), [2, 3]),
                        (nil, [4]),
                    ],
                    docCount: 5)
                try merged.withUnsafeBytes { m in
                    let column = try Column.open(m, docCount: 5, file: "m", section: "c")
                    try column.verify(file: "m", section: "c")
                    guard case .keyword(let c) = column else {
                        Issue.record("not a keyword column")
                        return
                    }
                    #expect((0..<c.ordinalCount).map { c.string($0) } == ["a", "b", "c", "d"])
                    #expect((0..<5).map { c.ordinals(of: Int32($0)).map { c.string($0) } } == [["a"], ["c"], ["b", "d"], ["c"], []])
                }
            }
        }
        let numbers = ColumnWriter.numeric([7, 8, 9], present: nil)
        try numbers.withUnsafeBytes { raw in
            let merged = ColumnMerger.merge(
                type: .integer, sources: [(try Column.open(raw, docCount: 3, file: "n", section: "c"), [1, -1, 0]), (nil, [2])],
                docCount: 3)
            try merged.withUnsafeBytes { m in
                guard case .numeric(let c) = try Column.open(m, docCount: 3, file: "m", section: "c") else {
                    Issue.record("not a numeric column")
                    return
                }
                #expect([c.value(0), c.value(1), c.value(2)] == [9, 7, nil])
            }
        }
    }
}
