// The columnar store's sections (ColumnStore.swift) and the numeric trie terms (NumericTerms.swift)
// on their own: round trips of every column kind, damaged sections refused, and range splits
// checked against brute force.

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct ColumnStoreTests {
    /// Opens a column from bytes, in a closure (the reader points into them).
    @discardableResult
    func withColumn<R>(_ bytes: [UInt8], docCount: Int, _ body: (Column) throws -> R) throws -> R {
        try bytes.withUnsafeBytes { raw in
            try body(try Column.open(raw, docCount: docCount, file: "t", section: "column"))
        }
    }

    @Test(arguments: [0, 1, 7, 64, 200])
    func packedIntegersRoundTripAtEveryWidth(count: Int) throws {
        var rng = SplitMix64(seed: UInt64(count))
        for bits in 0...64 {
            let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
            let values = (0..<count).map { _ in rng.next() & mask }
            var w = ByteWriter()
            PackedInts.write(values, bits: bits, into: &w)
            #expect(w.count == PackedInts.byteCount(count, bits: bits))
            try w.bytes.withUnsafeBytes { raw in
                let packed = try #require(PackedInts(raw, offset: 0, count: count, bits: bits))
                for i in 0..<count { #expect(packed.get(i) == values[i], "bits \(bits), value \(i)") }
                #expect(PackedInts(raw, offset: 1, count: count, bits: bits) == nil)
            }
        }
    }

    @Test func numericColumnsPickTheSmallerEncoding() throws {
        // Dates of whole days: min and gcd (a day), 13 bits.
        let days = (0..<1000).map { SortableNumber.bits(Int64(($0 * 7919) % 7000) * ISODate.millisecondsPerDay) }
        let direct = ColumnWriter.numeric(days, present: nil)
        #expect(direct[0] == ColumnWriter.numericKind)
        #expect(direct[2] == 13)
        try withColumn(direct, docCount: 1000) { column in
            guard case .numeric(let c) = column else {
                Issue.record("not numeric")
                return
            }
            for d in 0..<1000 { #expect(c.value(Int32(d)) == days[d]) }
            #expect(c.value(1000) == nil)
            #expect(c.gcd == UInt64(ISODate.millisecondsPerDay))
            try column.verify(file: "t", section: "c")
        }
        // Ratings with two decimals: few distinct doubles, spread over 62 bits: a table.
        var rng = SplitMix64(seed: 5)
        let ratings = (0..<3000).map { _ in SortableNumber.bits(Double(rng.next(below: 500)) / 100) }
        var present = [UInt64](repeating: 0, count: (3000 + 63) / 64)
        for d in 0..<3000 where d % 10 != 3 { present[d >> 6] |= 1 << UInt64(d & 63) }
        let table = ColumnWriter.numeric(ratings, present: present)
        #expect(table[0] == ColumnWriter.tableKind)
        #expect(table.count < 3000 * 2 + 500 * 8 + 500)
        try withColumn(table, docCount: 3000) { column in
            guard case .numeric(let c) = column else {
                Issue.record("not numeric")
                return
            }
            for d in 0..<3000 {
                #expect(c.value(Int32(d)) == (d % 10 == 3 ? nil : ratings[d]))
            }
            // Ranks order documents as their values do.
            for d in 1..<3000 where d % 10 != 3 && (d - 1) % 10 != 3 {
                #expect((c.rank(Int32(d)) < c.rank(Int32(d - 1))) == (ratings[d] < ratings[d - 1]))
            }
            try column.verify(file: "t", section: "c")
        }
        // Full-width values, negative and positive.
        let wide: [UInt64] = [0, .max, SortableNumber.bits(Int64.min), SortableNumber.bits(-1 as Int64), 12345]
        try withColumn(ColumnWriter.numeric(wide, present: nil), docCount: wide.count) { column in
            guard case .numeric(let c) = column else {
                Issue.record("not numeric")
                return
            }
            for d in wide.indices { #expect(c.value(Int32(d)) == wide[d]) }
        }
        // No value at all, and no documents.
        try withColumn(ColumnWriter.numeric([0, 0], present: [0]), docCount: 2) { column in
            guard case .numeric(let c) = column else {
                Issue.record("not numeric")
                return
            }
            #expect(c.value(0) == nil && c.value(1) == nil)
        }
        try withColumn(ColumnWriter.numeric([], present: nil), docCount: 0) { _ in }
    }

    /// A range read from a column (the scan a wide numeric filter takes instead of its trie
    /// terms) holds exactly the documents whose value lies in it: direct and table columns,
    /// with and without missing values, bounds on, between and outside the values.
    @Test(arguments: [false, true])
    func columnRangesHoldExactlyTheirDocuments(table: Bool) throws {
        var rng = SplitMix64(seed: table ? 11 : 12)
        for docCount in [1, 63, 64, 65, 700] {
            let values: [UInt64] = (0..<docCount).map { _ in
                table
                    ? SortableNumber.bits(Double(rng.next(below: 300)) / 100 - 1)
                    : SortableNumber.bits(Int64(rng.next(below: 400)) * 7 - 1000)
            }
            var present = [UInt64](repeating: 0, count: (docCount + 63) / 64)
            for d in 0..<docCount where rng.next(below: 8) != 0 { present[d >> 6] |= 1 << UInt64(d & 63) }
            let bytes = ColumnWriter.numeric(values, present: present)
            // (A few values are written directly either way: the writer picks the smaller.)
            if docCount >= 64 { #expect(bytes[0] == (table ? ColumnWriter.tableKind : ColumnWriter.numericKind)) }
            try withColumn(bytes, docCount: docCount) { column in
                guard case .numeric(let c) = column else {
                    Issue.record("not numeric")
                    return
                }
                let sorted = values.sorted()
                var bounds: [UInt64] = [0, .max, sorted[0], sorted[sorted.count - 1]]
                for _ in 0..<40 {
                    let v = sorted[rng.next(below: sorted.count)]
                    bounds += [v, v &+ 1, v &- 1]
                }
                for _ in 0..<60 {
                    let a = bounds[rng.next(below: bounds.count)]
                    let b = bounds[rng.next(below: bounds.count)]
                    let ranks = c.ranks(from: a, through: b)
                    let set = ranks.map { c.documents(withRanksIn: $0) }
                    for d in 0..<docCount {
                        let has = present[d >> 6] & (1 << UInt64(d & 63)) != 0
                        let expected = has && a <= values[d] && values[d] <= b
                        #expect((set?.contains(Int32(d)) ?? false) == expected, "docs \(docCount), doc \(d), range \(a)...\(b)")
                    }
                }
            }
        }
    }

    /// A direct column spanning every 64-bit value (Int64.min to Int64.max: 64-bit ranks): ranges
    /// that end at the last rank keep it, and the first ranks above and at least a value agree.
    @Test func columnRangesReachTheLastOf64BitRanks() throws {
        // All distinct (so the writer packs them directly, 64 bits each), both ends included.
        var rng = SplitMix64(seed: 64)
        let values: [UInt64] = [0, .max] + (0..<70).map { _ in rng.next() }
        let bytes = ColumnWriter.numeric(values, present: nil)
        #expect(bytes[0] == ColumnWriter.numericKind && bytes[2] == 64)
        try withColumn(bytes, docCount: values.count) { column in
            guard case .numeric(let c) = column else {
                Issue.record("not numeric")
                return
            }
            #expect(c.firstRank(above: .max) == nil)
            #expect(c.firstRank(atLeast: 0) == 0)
            for (lower, upper) in [(UInt64(0), UInt64.max), (SortableNumber.bits(Int64(0)), .max), (.max, .max), (5, 4), (0, 0)] {
                let set = c.ranks(from: lower, through: upper).map { c.documents(withRanksIn: $0) }
                for d in values.indices {
                    let expected = lower <= upper && lower <= values[d] && values[d] <= upper
                    #expect((set?.contains(Int32(d)) ?? false) == expected, "\(lower)...\(upper), doc \(d)")
                }
            }
        }
    }

    /// The levels kept: 0, then each level with at most three quarters of the last kept one's
    /// terms (whole-day dates: one term per day up to shift 24; two-decimal ratings: one per
    /// value up to shift 40).
    @Test func trieLevelsKeptAreThoseThatCoarsen() {
        #expect(NumericTerms.keptShifts(counts: [800, 800, 800, 800, 150, 2, 1, 1]) == [0, 32, 40, 48])
        #expect(NumericTerms.keptShifts(counts: [500, 500, 500, 500, 500, 500, 12, 1]) == [0, 48, 56])
        #expect(NumericTerms.keptShifts(counts: [1000, 700, 600, 400, 100, 10, 1, 1]) == [0, 8, 24, 32, 40, 48])
        #expect(NumericTerms.keptShifts(counts: [1, 1, 1, 1, 1, 1, 1, 1]) == [0])
        #expect(NumericTerms.keptShifts(counts: [0, 0, 0, 0, 0, 0, 0, 0]) == [0])
    }

    @Test func keywordColumnsHoldOrdinalsAndTheirValues() throws {
        let dictionary = ["admin-guide", "driver-api", "gimp-ru/filter", "RCU", "ш"].map { Array($0.utf8) }.sorted {
            $0.lexicographicallyPrecedes($1)
        }
        // One value per document (or none).
        let single = ColumnWriter.keywords(docCount: 4, dictionary: dictionary, starts: [0, 1, 1, 2, 3], ordinals: [2, 0, 4])
        #expect(single[0] == ColumnWriter.keywordKind)
        try withColumn(single, docCount: 4) { column in
            guard case .keyword(let c) = column else {
                Issue.record("not keyword")
                return
            }
            #expect(c.ordinalCount == 5)
            #expect(c.ordinals(of: 0) == [2])
            #expect(c.ordinals(of: 1) == [])
            #expect(c.ordinals(of: 3) == [4])
            #expect(c.ordinals(of: 9) == [])
            #expect((0..<5).map { c.string($0) } == dictionary.map { String(decoding: $0, as: UTF8.self) })
            #expect(Array("driver-api".utf8).withUnsafeBytes { c.ordinal(of: $0) } == 2)
            #expect(Array("driver".utf8).withUnsafeBytes { c.ordinal(of: $0) } == nil)
            #expect(Array("driver".utf8).withUnsafeBytes { c.lowerBound($0) } == 2)
            try column.verify(file: "t", section: "c")
        }
        // Several per document.
        let multi = ColumnWriter.keywords(
            docCount: 3, dictionary: dictionary, starts: [0, 3, 3, 5], ordinals: [0, 2, 4, 1, 3])
        #expect(multi[0] == ColumnWriter.keywordsKind)
        try withColumn(multi, docCount: 3) { column in
            guard case .keyword(let c) = column else {
                Issue.record("not keyword")
                return
            }
            #expect(c.ordinals(of: 0) == [0, 2, 4])
            #expect(c.ordinals(of: 1) == [])
            #expect(c.ordinals(of: 2) == [1, 3])
            try column.verify(file: "t", section: "c")
        }
        // Out of order: opens (a query checks ordinals as it reads), but the checker refuses it.
        let unordered = ColumnWriter.keywords(docCount: 1, dictionary: dictionary, starts: [0, 2], ordinals: [3, 1])
        try withColumn(unordered, docCount: 1) { column in
            #expect(throws: PoiskError.self) { try column.verify(file: "t", section: "c") }
        }
    }

    @Test func damagedColumnsAreRefusedNotTrappedOn() throws {
        let sections = [
            ColumnWriter.numeric([1, 5, 9], present: nil),
            ColumnWriter.numeric((0..<100).map { UInt64($0 % 3) << 40 }, present: nil),
            ColumnWriter.keywords(docCount: 3, dictionary: [[0x61], [0x62]], starts: [0, 1, 2, 3], ordinals: [0, 1, 1]),
            ColumnWriter.keywords(docCount: 2, dictionary: [[0x61], [0x62]], starts: [0, 2, 3], ordinals: [0, 1, 1]),
        ]
        let docCounts = [3, 100, 3, 2]
        var rng = SplitMix64(seed: 8)
        for (bytes, docCount) in zip(sections, docCounts) {
            #expect(throws: PoiskError.self) { try withColumn(bytes, docCount: docCount + 1) { _ in } }
            for cut in [0, 1, 8, bytes.count / 2, bytes.count - 1] {
                #expect(throws: PoiskError.self) { try withColumn(Array(bytes.prefix(cut)), docCount: docCount) { _ in } }
            }
            // Random damage: either refused at open, or every read stays in bounds.
            for _ in 0..<300 {
                var damaged = bytes
                damaged[rng.next(below: damaged.count)] ^= UInt8(1 + rng.next(below: 255))
                _ = try? withColumn(damaged, docCount: docCount) { column in
                    switch column {
                    case .numeric(let c): for d in 0..<Int32(docCount) { _ = c.value(d) }
                    case .keyword(let c):
                        for d in 0..<Int32(docCount) { for o in c.ordinals(of: d) { _ = c.value(o) } }
                    }
                    _ = try? column.verify(file: "t", section: "c")
                }
            }
        }
    }

    @Test func numericTermsEncodeInOrder() throws {
        let values: [UInt64] = [0, 1, 255, 256, 0x1234_5678_9ABC_DEF0, .max]
        for shift in NumericTerms.shifts {
            let terms = values.map { NumericTerms.term($0, shift: shift) }
            #expect(terms.allSatisfy { $0.count == 1 + (64 - shift) / 8 && $0[0] == UInt8(shift) })
            for (a, b) in zip(terms, terms.dropFirst()) { #expect(!b.lexicographicallyPrecedes(a)) }
            for v in values {
                let decoded = NumericTerms.term(v, shift: shift).withUnsafeBytes { NumericTerms.decode($0) }
                #expect(decoded?.shift == shift)
                #expect(decoded?.value == (v >> UInt64(shift)) << UInt64(shift))
            }
        }
        #expect([UInt8]([3, 0]).withUnsafeBytes { NumericTerms.decode($0) } == nil)
        #expect([UInt8]([8, 0]).withUnsafeBytes { NumericTerms.decode($0) } == nil)
    }

    /// A range's intervals hold exactly the values in it: checked value by value, with values
    /// near the bounds and at random, over ranges of every scale.
    /// Each value in a range falls in exactly one interval of the split (and no value outside
    /// in any), with all eight trie levels and with the levels a segment may keep (format 6).
    @Test(arguments: [[0, 8, 16, 24, 32, 40, 48, 56], [0], [0, 32, 40], [0, 8], [0, 56], [0, 16, 24, 48], [0, 40]])
    func rangeSplitsCoverExactlyTheRange(kept: [Int]) throws {
        var rng = SplitMix64(seed: 42)
        func contains(_ intervals: [(lower: [UInt8], upper: [UInt8])], _ v: UInt64) -> Int {
            var hits = 0
            for shift in kept {
                let t = NumericTerms.term(v, shift: shift)
                for i in intervals where !t.lexicographicallyPrecedes(i.lower) && !i.upper.lexicographicallyPrecedes(t) { hits += 1 }
            }
            return hits
        }
        var cases: [(UInt64, UInt64)] = [(0, .max), (0, 0), (.max, .max), (5, 4), (256, 511), (255, 256), (1000, .max)]
        for _ in 0..<300 {
            let a = rng.next() >> UInt64(rng.next(below: 64))
            let width = rng.next() >> UInt64(rng.next(below: 64))
            cases.append((a, a &+ width < a ? .max : a &+ width))
        }
        for (lower, upper) in cases {
            let intervals = NumericTerms.intervals(lower, upper, shifts: kept)
            if lower > upper {
                #expect(intervals.isEmpty)
                continue
            }
            #expect(intervals.count <= 2 * kept.count)
            // Every interval stays within one kept level.
            for i in intervals {
                #expect(i.lower.first == i.upper.first && kept.contains(Int(i.lower.first ?? 255)))
            }
            var probes: [UInt64] = [lower, upper, lower &- 1, upper &+ 1, lower &+ 1, upper &- 1, 0, .max]
            for _ in 0..<20 { probes.append(rng.next()) }
            for _ in 0..<20 where upper > lower { probes.append(lower &+ rng.next() % (upper - lower)) }
            for v in probes {
                let inside = v >= lower && v <= upper
                #expect(contains(intervals, v) == (inside ? 1 : 0), "\(v) in [\(lower), \(upper)]")
            }
        }
    }
}
