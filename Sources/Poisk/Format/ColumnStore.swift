// The columnar store: one column per columnar typed field and segment, each document's values
// by document id, for sorting and facets (Lucene's doc values, Tantivy's fast fields).
//
// For: reading a field's value of any document in O(1), in place from the mapped segment, and
// writing such columns (builder and merger). Not for: finding documents by value (the inverted
// index: keyword and numeric terms) or returning stored values with hits (stored fields); a
// column is read for every document a query matches, stored fields only for the hits shown.
//
// A column is one section (kind 8, per field). Every section starts with `u8 kind`:
//
//     numeric (kind 1):  u8 flags (bit 0: a presence bitset follows) │ u8 bits │ u8 0 │ u32 docCount
//                        │ u64 min │ u64 gcd │ [presence] │ packed docCount × bits │ 8 zero bytes
//                        value(d) = min + gcd × packed[d]         (sortable u64, see SortableNumber)
//     table (kind 2):    u8 flags │ u8 bits │ u8 0 │ u32 docCount │ u32 tableCount │ tableCount × u64
//                        (sorted, distinct) │ [presence] │ packed docCount × bits │ 8 zero bytes
//                        value(d) = table[packed[d]]
//     keyword (kind 3):  u8 0 │ u8 bits │ u8 0 │ u32 docCount │ dictionary │ packed docCount × bits
//                        │ 8 zero bytes;   packed[d] = ordinal + 1, 0 = no value
//     keywords (kind 4): u8 0 │ u8 startBits │ u8 ordinalBits │ u32 docCount │ dictionary
//                        │ u32 valueCount │ packed (docCount + 1) × startBits │ 8 zero bytes
//                        │ packed valueCount × ordinalBits │ 8 zero bytes
//                        document d's ordinals: ordinals[starts[d] ..< starts[d + 1]], ascending
//     dictionary:        u32 ordinalCount │ u32 byteCount │ (ordinalCount + 1) × u32 offsets
//                        │ byteCount bytes: the values in byte order, value o = bytes[offsets[o] ..< offsets[o + 1]]
//     presence:          ⌈docCount / 64⌉ × u64, bit d % 64 of word d / 64 set ⇔ d has a value
//
// Packed integers are a little-endian bit stream: value i occupies bits [i·w, (i+1)·w). The
// zero bytes after each let a reader load 8 bytes at any value's first byte. Numeric columns
// take whichever of kinds 1 and 2 is smaller; both keep the values' order in the packed
// integers, so a segment's documents compare by them without decoding.

/// Writes column sections.
enum ColumnWriter {
    static let numericKind: UInt8 = 1
    static let tableKind: UInt8 = 2
    static let keywordKind: UInt8 = 3
    static let keywordsKind: UInt8 = 4

    /// A numeric column: `values[d]` (sortable) for each document d with a value.
    /// - Parameters:
    ///   - values: one value per document (any value where `present` says none).
    ///   - present: the presence bitset (bit d % 64 of word d / 64), or nil when every document has a value.
    static func numeric(_ values: [UInt64], present: [UInt64]?) -> [UInt8] {
        let docCount = values.count
        func has(_ d: Int) -> Bool { present.map { $0[d >> 6] & (1 << UInt64(d & 63)) != 0 } ?? true }
        var minimum = UInt64.max
        var maximum = UInt64.min
        var distinct = Set<UInt64>()
        var tooMany = false
        for d in 0..<docCount where has(d) {
            minimum = min(minimum, values[d])
            maximum = max(maximum, values[d])
            if !tooMany {
                distinct.insert(values[d])
                tooMany = distinct.count > 1 << 16
            }
        }
        if minimum > maximum { (minimum, maximum) = (0, 0) }
        var gcd: UInt64 = 0
        for d in 0..<docCount where has(d) {
            gcd = greatestCommonDivisor(gcd, values[d] - minimum)
            if gcd == 1 { break }
        }
        if gcd == 0 { gcd = 1 }
        let directBits = bitWidth((maximum - minimum) / gcd)
        let directBytes = PackedInts.byteCount(docCount, bits: directBits)
        var tableBits = 64
        var table: [UInt64] = []
        if !tooMany {
            table = distinct.sorted()
            tableBits = bitWidth(UInt64(max(0, table.count - 1)))
        }
        let useTable = !tooMany && table.count * 8 + PackedInts.byteCount(docCount, bits: tableBits) < directBytes
        let bits = useTable ? tableBits : directBits
        var w = ByteWriter(capacity: 40 + table.count * 8 + (present?.count ?? 0) * 8 + PackedInts.byteCount(docCount, bits: bits))
        w.writeUInt8(useTable ? tableKind : numericKind)
        w.writeUInt8(present == nil ? 0 : 1)
        w.writeUInt8(UInt8(bits))
        w.writeUInt8(0)
        w.writeUInt32LE(UInt32(docCount))
        if useTable {
            w.writeUInt32LE(UInt32(table.count))
            for v in table { w.writeUInt64LE(v) }
        } else {
            w.writeUInt64LE(minimum)
            w.writeUInt64LE(gcd)
        }
        if let present { for word in present { w.writeUInt64LE(word) } }
        var packed = [UInt64](repeating: 0, count: docCount)
        if useTable {
            var index: [UInt64: UInt64] = [:]
            for (i, v) in table.enumerated() { index[v] = UInt64(i) }
            for d in 0..<docCount where has(d) { packed[d] = index[values[d]] ?? 0 }
        } else {
            for d in 0..<docCount where has(d) { packed[d] = (values[d] - minimum) / gcd }
        }
        PackedInts.write(packed, bits: bits, into: &w)
        return w.bytes
    }

    /// A keyword column.
    /// - Parameters:
    ///   - docCount: the segment's documents.
    ///   - dictionary: the field's distinct values, in byte order (ordinal = position).
    ///   - starts: `docCount + 1` offsets into `ordinals`: document d's ordinals are
    ///     `ordinals[starts[d] ..< starts[d + 1]]`, ascending and distinct.
    ///   - ordinals: every document's ordinals, back to back.
    static func keywords(docCount: Int, dictionary: [[UInt8]], starts: [UInt32], ordinals: [UInt32]) -> [UInt8] {
        var single = true
        for d in 0..<docCount where starts[d + 1] - starts[d] > 1 {
            single = false
            break
        }
        let dictionaryBytes = dictionary.reduce(0) { $0 + $1.count }
        var w = ByteWriter(capacity: 32 + dictionaryBytes + dictionary.count * 4 + (docCount + ordinals.count) * 4)
        if single {
            let bits = bitWidth(UInt64(dictionary.count))
            w.writeUInt8(keywordKind)
            w.writeUInt8(0)
            w.writeUInt8(UInt8(bits))
            w.writeUInt8(0)
            w.writeUInt32LE(UInt32(docCount))
            writeDictionary(dictionary, byteCount: dictionaryBytes, into: &w)
            var packed = [UInt64](repeating: 0, count: docCount)
            for d in 0..<docCount where starts[d + 1] > starts[d] { packed[d] = UInt64(ordinals[Int(starts[d])]) + 1 }
            PackedInts.write(packed, bits: bits, into: &w)
        } else {
            let startBits = bitWidth(UInt64(ordinals.count))
            let ordinalBits = bitWidth(UInt64(max(0, dictionary.count - 1)))
            w.writeUInt8(keywordsKind)
            w.writeUInt8(0)
            w.writeUInt8(UInt8(startBits))
            w.writeUInt8(UInt8(ordinalBits))
            w.writeUInt32LE(UInt32(docCount))
            writeDictionary(dictionary, byteCount: dictionaryBytes, into: &w)
            w.writeUInt32LE(UInt32(ordinals.count))
            PackedInts.write(starts.map { UInt64($0) }, bits: startBits, into: &w)
            PackedInts.write(ordinals.map { UInt64($0) }, bits: ordinalBits, into: &w)
        }
        return w.bytes
    }

    private static func writeDictionary(_ dictionary: [[UInt8]], byteCount: Int, into w: inout ByteWriter) {
        w.writeUInt32LE(UInt32(dictionary.count))
        w.writeUInt32LE(UInt32(byteCount))
        var offset: UInt32 = 0
        w.writeUInt32LE(0)
        for value in dictionary {
            offset += UInt32(value.count)
            w.writeUInt32LE(offset)
        }
        for value in dictionary { w.writeBytes(value) }
    }

    /// Bits needed for `value` (0 for 0).
    static func bitWidth(_ value: UInt64) -> Int { 64 - value.leadingZeroBitCount }

    static func greatestCommonDivisor(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}

/// Packed unsigned integers of one width, read in place.
struct PackedInts: @unchecked Sendable {
    // Points into a mapped segment (kept alive by its SegmentReader) or a test's buffer.
    let base: UnsafeRawPointer
    let count: Int
    let bits: Int
    let mask: UInt64

    /// Bytes of `count` values of `bits` bits, with the 8 bytes of padding.
    static func byteCount(_ count: Int, bits: Int) -> Int { (count * bits + 7) / 8 + 8 }

    /// Appends `values` (each below 2^bits) and 8 zero bytes.
    static func write(_ values: [UInt64], bits: Int, into w: inout ByteWriter) {
        let n = byteCount(values.count, bits: bits)
        var bytes = [UInt8](repeating: 0, count: n)
        if bits > 0 {
            var bit = 0
            for v in values {
                var value = v
                var remaining = bits
                var position = bit
                while remaining > 0 {
                    let byte = position >> 3
                    let shift = position & 7
                    let take = min(8 - shift, remaining)
                    bytes[byte] |= UInt8(truncatingIfNeeded: (value & ((1 << UInt64(take)) - 1)) << UInt64(shift))
                    value >>= UInt64(take)
                    remaining -= take
                    position += take
                }
                bit += bits
            }
        }
        w.writeBytes(bytes)
    }

    /// Reads `count` values of `bits` bits at `offset` of `bytes`; nil when they do not fit.
    init?(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int, bits: Int) {
        guard bits >= 0, bits <= 64, count >= 0, let start = bytes.baseAddress, offset >= 0,
            offset <= bytes.count, PackedInts.byteCount(count, bits: bits) <= bytes.count - offset
        else { return nil }
        self.base = start + offset
        self.count = count
        self.bits = bits
        self.mask = bits == 64 ? .max : (1 << UInt64(bits)) &- 1
    }

    /// Value `i` (`0 <= i < count`, which the caller checks).
    @inline(__always)
    func get(_ i: Int) -> UInt64 {
        let bit = i &* bits
        let byte = bit >> 3
        let shift = UInt64(bit & 7)
        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        if bits <= 57 { return (word >> shift) & mask }
        let high = UInt64(base.load(fromByteOffset: byte + 8, as: UInt8.self))
        return ((word >> shift) | (shift == 0 ? 0 : high << (64 - shift))) & mask
    }
}

/// A numeric column read in place.
struct NumericColumn: @unchecked Sendable {
    let docCount: Int
    /// The presence bitset, nil when every document has a value.
    let present: UnsafeRawPointer?
    let packed: PackedInts
    let minimum: UInt64
    let gcd: UInt64
    /// The sorted distinct values of a table column, nil for a direct one.
    let table: UnsafeRawPointer?
    let tableCount: Int

    /// Whether document `doc` has a value.
    @inline(__always)
    func has(_ doc: Int32) -> Bool {
        guard let present else { return true }
        let word = UInt64(littleEndian: present.loadUnaligned(fromByteOffset: Int(doc >> 6) &* 8, as: UInt64.self))
        return word & (1 << UInt64(doc & 63)) != 0
    }

    /// The packed integer of document `doc`: ordered as the values are (within this column).
    @inline(__always)
    func rank(_ doc: Int32) -> UInt64 { packed.get(Int(doc)) }

    /// The sortable value of a rank.
    @inline(__always)
    func value(rank: UInt64) -> UInt64 {
        guard let table else { return minimum &+ gcd &* rank }
        let i = Int(truncatingIfNeeded: min(rank, UInt64(max(0, tableCount - 1))))
        return tableCount == 0 ? 0 : UInt64(littleEndian: table.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
    }

    /// The sortable value of document `doc`, or nil when it has none.
    @inline(__always)
    func value(_ doc: Int32) -> UInt64? {
        guard doc >= 0, Int(doc) < docCount, has(doc) else { return nil }
        return value(rank: rank(doc))
    }

    /// How many ranks the column can hold: a table column's distinct values, a direct one's
    /// packed range (2^bits).
    var rankCount: UInt64 {
        if table != nil { return UInt64(max(0, tableCount)) }
        return packed.bits >= 64 ? .max : 1 << UInt64(packed.bits)
    }

    /// The first rank whose value is at least `value` (sortable): every rank below it holds a
    /// smaller value. May pass the ranks in use (then no value is that large).
    /// - Complexity: O(1) for a direct column, O(log distinct values) for a table one.
    func firstRank(atLeast value: UInt64) -> UInt64 {
        if table != nil { return firstTableRank { $0 >= value } }
        guard value > minimum else { return 0 }
        let (q, r) = (value - minimum).quotientAndRemainder(dividingBy: max(gcd, 1))
        return r == 0 ? q : q &+ 1
    }

    /// The first rank whose value is above `value` (sortable): every rank below it holds a value
    /// at most `value`. Nil when no rank can hold a larger value (a direct column of 64-bit ranks
    /// whose last rank holds `value`).
    /// - Complexity: O(1) for a direct column, O(log distinct values) for a table one.
    func firstRank(above value: UInt64) -> UInt64? {
        if table != nil { return firstTableRank { $0 > value } }
        guard value >= minimum else { return 0 }
        let last = (value - minimum) / max(gcd, 1)
        return last == .max ? nil : last + 1
    }

    /// A table column's first rank whose value satisfies `isPast` (false for a prefix of the
    /// ranks, true after: values are sorted), or its number of values.
    private func firstTableRank(_ isPast: (UInt64) -> Bool) -> UInt64 {
        guard let table else { return 0 }
        var low = 0
        var high = max(0, tableCount)
        while low < high {
            let mid = (low + high) / 2
            if isPast(UInt64(littleEndian: table.loadUnaligned(fromByteOffset: mid &* 8, as: UInt64.self))) {
                high = mid
            } else {
                low = mid + 1
            }
        }
        return UInt64(low)
    }

    /// The ranks whose values lie in `lower ... upper` (sortable values), nil when none: ranks
    /// are ordered as values.
    /// - Complexity: O(1) for a direct column, O(log distinct values) for a table one.
    func ranks(from lower: UInt64, through upper: UInt64) -> ClosedRange<UInt64>? {
        guard lower <= upper else { return nil }
        let from = firstRank(atLeast: lower)
        let last: UInt64
        if let end = firstRank(above: upper) {
            guard end > 0 else { return nil }
            last = end - 1
        } else {
            last = .max
        }
        return from <= last ? from...last : nil
    }

    /// The documents whose value's rank lies in `ranks`, as a set over `docCount` documents.
    /// - Complexity: O(documents): one packed read per document.
    func documents(withRanksIn ranks: ClosedRange<UInt64>) -> DocBitSet {
        var set = DocBitSet(docCount: docCount)
        let low = ranks.lowerBound
        let span = ranks.upperBound &- low
        set.withWords { words in
            for w in 0..<words.count {
                var word: UInt64 = 0
                let first = w << 6
                let end = min(first + 64, docCount)
                for d in first..<end where packed.get(d) &- low <= span {
                    word |= 1 << UInt64(d & 63)
                }
                if let present { word &= UInt64(littleEndian: present.loadUnaligned(fromByteOffset: w &* 8, as: UInt64.self)) }
                words[w] = word
            }
        }
        return set
    }
}

/// A keyword column read in place: each document's ordinals, and the values they stand for.
struct KeywordColumn: @unchecked Sendable {
    let docCount: Int
    /// Distinct values (ordinals `0 ..< ordinalCount`, in byte order).
    let ordinalCount: Int
    private let offsets: UnsafeRawPointer
    private let valueBytes: UnsafeRawBufferPointer
    /// Single-valued: ordinal + 1 per document (0: none). Multi-valued: nil.
    let single: PackedInts?
    /// Multi-valued: `docCount + 1` starts and the ordinals.
    let starts: PackedInts?
    let ordinals: PackedInts?

    init(
        docCount: Int, ordinalCount: Int, offsets: UnsafeRawPointer, valueBytes: UnsafeRawBufferPointer, single: PackedInts?,
        starts: PackedInts?, ordinals: PackedInts?
    ) {
        self.docCount = docCount
        self.ordinalCount = ordinalCount
        self.offsets = offsets
        self.valueBytes = valueBytes
        self.single = single
        self.starts = starts
        self.ordinals = ordinals
    }

    /// The bytes of ordinal `ordinal` (empty when out of range).
    func value(_ ordinal: Int) -> UnsafeRawBufferPointer {
        guard ordinal >= 0, ordinal < ordinalCount else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = Int(UInt32(littleEndian: offsets.loadUnaligned(fromByteOffset: ordinal &* 4, as: UInt32.self)))
        let end = Int(UInt32(littleEndian: offsets.loadUnaligned(fromByteOffset: (ordinal + 1) &* 4, as: UInt32.self)))
        guard start <= end, end <= valueBytes.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: valueBytes[start..<end])
    }

    /// The value of ordinal `ordinal` as a string.
    func string(_ ordinal: Int) -> String { String(decoding: value(ordinal), as: UTF8.self) }

    /// The ordinal of `key`, or nil when no document has it.
    /// - Complexity: O(log ordinals).
    func ordinal(of key: UnsafeRawBufferPointer) -> Int? {
        var low = 0
        var high = ordinalCount
        while low < high {
            let mid = (low + high) / 2
            let c = compareBytes(value(mid), key)
            if c == 0 { return mid }
            if c < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// The first ordinal not below `key` (`ordinalCount` when every value is below it).
    func lowerBound(_ key: UnsafeRawBufferPointer) -> Int {
        var low = 0
        var high = ordinalCount
        while low < high {
            let mid = (low + high) / 2
            if compareBytes(value(mid), key) < 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The range of document `doc`'s ordinals in ``ordinals`` (multi-valued), or of a
    /// single-valued column's one ordinal (as `o ..< o + 1`); empty when it has none.
    @inline(__always)
    func ordinalRange(_ doc: Int32) -> Range<Int> {
        guard doc >= 0, Int(doc) < docCount else { return 0..<0 }
        if let single {
            let v = single.get(Int(doc))
            guard v > 0, v <= UInt64(ordinalCount) else { return 0..<0 }
            return Int(v - 1)..<Int(v)
        }
        guard let starts, let ordinals else { return 0..<0 }
        let s = Int(truncatingIfNeeded: starts.get(Int(doc)))
        let e = Int(truncatingIfNeeded: starts.get(Int(doc) + 1))
        guard s <= e, e <= ordinals.count else { return 0..<0 }
        return s..<e
    }

    /// The ordinal at position `k` of a range from ``ordinalRange(_:)`` (`ordinalCount` when
    /// damaged: callers skip it).
    @inline(__always)
    func ordinal(at k: Int, in range: Range<Int>) -> Int {
        guard let ordinals else { return range.lowerBound }
        let o = Int(truncatingIfNeeded: ordinals.get(k))
        return o < ordinalCount ? o : ordinalCount
    }

    /// Document `doc`'s ordinals, ascending.
    func ordinals(of doc: Int32) -> [Int] {
        let range = ordinalRange(doc)
        return range.map { ordinal(at: $0, in: range) }.filter { $0 < ordinalCount }
    }
}

/// A column of either kind.
enum Column: @unchecked Sendable {
    case numeric(NumericColumn)
    case keyword(KeywordColumn)

    /// Reads a column section.
    /// - Parameters:
    ///   - bytes: the section.
    ///   - docCount: the segment's documents (the column must hold as many).
    ///   - file: the file's name, for messages.
    ///   - section: the section's label, for messages.
    /// - Throws: `PoiskError.corruptIndex` when the section is malformed.
    /// - Complexity: O(distinct values) for keyword columns (their offsets are checked), O(1) otherwise.
    static func open(_ bytes: UnsafeRawBufferPointer, docCount: Int, file: String, section: String) throws -> Column {
        func corrupt(_ reason: String) -> PoiskError {
            PoiskError.corruptIndex(file: file, section: section, reason: reason)
        }
        var r = ByteReader(bytes)
        guard let kind = r.readUInt8(), let flags = r.readUInt8(), let bits = r.readUInt8(), let bits2 = r.readUInt8(),
            let count = r.readUInt32LE()
        else { throw corrupt("truncated header") }
        guard Int(count) == docCount else { throw corrupt("holds \(count) documents, the segment \(docCount)") }
        let presenceWords = (docCount + 63) / 64
        switch kind {
        case ColumnWriter.numericKind, ColumnWriter.tableKind:
            guard bits <= 64, bits2 == 0, flags <= 1 else { throw corrupt("bad numeric header") }
            var minimum: UInt64 = 0
            var gcd: UInt64 = 1
            var table: UnsafeRawPointer?
            var tableCount = 0
            if kind == ColumnWriter.tableKind {
                guard let n = r.readUInt32LE(), let values = r.readBytes(count: Int(n) * 8),
                    let base = values.baseAddress ?? bytes.baseAddress
                else { throw corrupt("truncated value table") }
                table = base
                tableCount = Int(n)
                guard tableCount > 0 || docCount == 0 || flags == 1 else { throw corrupt("empty value table") }
            } else {
                guard let m = r.readUInt64LE(), let g = r.readUInt64LE(), g > 0 else { throw corrupt("bad min or gcd") }
                minimum = m
                gcd = g
            }
            var present: UnsafeRawPointer?
            if flags == 1 {
                guard let words = r.readBytes(count: presenceWords * 8) else { throw corrupt("truncated presence bitset") }
                present = words.baseAddress ?? bytes.baseAddress
            }
            guard let packed = PackedInts(bytes, offset: r.offset, count: docCount, bits: Int(bits)),
                r.offset + PackedInts.byteCount(docCount, bits: Int(bits)) == bytes.count
            else { throw corrupt("packed values do not fit the section") }
            return .numeric(
                NumericColumn(
                    docCount: docCount, present: present, packed: packed, minimum: minimum, gcd: gcd, table: table,
                    tableCount: tableCount))
        case ColumnWriter.keywordKind, ColumnWriter.keywordsKind:
            guard flags == 0, bits <= 64, bits2 <= 64 else { throw corrupt("bad keyword header") }
            guard let ordinalCount = r.readUInt32LE(), let byteCount = r.readUInt32LE(),
                let offsetBytes = r.readBytes(count: (Int(ordinalCount) + 1) * 4),
                let valueBytes = r.readBytes(count: Int(byteCount)), let offsets = offsetBytes.baseAddress
            else { throw corrupt("truncated dictionary") }
            var previous: UInt32 = 0
            for o in 0...Int(ordinalCount) {
                let offset = UInt32(littleEndian: offsets.loadUnaligned(fromByteOffset: o * 4, as: UInt32.self))
                guard offset >= previous, offset <= byteCount, o > 0 || offset == 0 else { throw corrupt("bad dictionary offsets") }
                previous = offset
            }
            guard previous == byteCount else { throw corrupt("bad dictionary offsets") }
            if kind == ColumnWriter.keywordKind {
                guard bits2 == 0, let single = PackedInts(bytes, offset: r.offset, count: docCount, bits: Int(bits)),
                    r.offset + PackedInts.byteCount(docCount, bits: Int(bits)) == bytes.count
                else { throw corrupt("packed ordinals do not fit the section") }
                return .keyword(
                    KeywordColumn(
                        docCount: docCount, ordinalCount: Int(ordinalCount), offsets: offsets, valueBytes: valueBytes,
                        single: single, starts: nil, ordinals: nil))
            }
            guard let valueCount = r.readUInt32LE(),
                let starts = PackedInts(bytes, offset: r.offset, count: docCount + 1, bits: Int(bits))
            else { throw corrupt("truncated starts") }
            let ordinalsOffset = r.offset + PackedInts.byteCount(docCount + 1, bits: Int(bits))
            guard let ordinals = PackedInts(bytes, offset: ordinalsOffset, count: Int(valueCount), bits: Int(bits2)),
                ordinalsOffset + PackedInts.byteCount(Int(valueCount), bits: Int(bits2)) == bytes.count
            else { throw corrupt("packed ordinals do not fit the section") }
            return .keyword(
                KeywordColumn(
                    docCount: docCount, ordinalCount: Int(ordinalCount), offsets: offsets, valueBytes: valueBytes, single: nil,
                    starts: starts, ordinals: ordinals))
        default:
            throw corrupt("unknown column kind \(kind)")
        }
    }
}

extension Column {
    /// Decodes every value and checks what a query would not: dictionary values in strictly
    /// increasing byte order, each document's ordinals ascending and in range, starts
    /// increasing, table indices in range. For `poisk check`.
    /// - Throws: `PoiskError.corruptIndex` naming the first problem.
    /// - Complexity: O(documents + values + dictionary bytes).
    func verify(file: String, section: String) throws {
        func corrupt(_ reason: String) -> PoiskError {
            PoiskError.corruptIndex(file: file, section: section, reason: reason)
        }
        switch self {
        case .numeric(let c):
            guard let table = c.table else { return }
            var previous: UInt64?
            for i in 0..<c.tableCount {
                let v = UInt64(littleEndian: table.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                if let p = previous, p >= v { throw corrupt("value table out of order") }
                previous = v
            }
            for d in 0..<Int32(c.docCount) where c.has(d) && c.rank(d) >= UInt64(c.tableCount) {
                throw corrupt("document \(d) points past the value table")
            }
        case .keyword(let c):
            for o in 1..<max(1, c.ordinalCount) where compareBytes(c.value(o - 1), c.value(o)) >= 0 {
                throw corrupt("dictionary values out of order at ordinal \(o)")
            }
            if let single = c.single {
                for d in 0..<c.docCount where single.get(d) > UInt64(c.ordinalCount) {
                    throw corrupt("document \(d) has an ordinal past the dictionary")
                }
                return
            }
            guard let starts = c.starts, let ordinals = c.ordinals else { return }
            var previousStart: UInt64 = 0
            for d in 0...c.docCount {
                let s = starts.get(d)
                if s < previousStart || s > UInt64(ordinals.count) { throw corrupt("starts out of order at document \(d)") }
                previousStart = s
            }
            if starts.get(0) != 0 || starts.get(c.docCount) != UInt64(ordinals.count) { throw corrupt("starts do not cover the ordinals") }
            for d in 0..<c.docCount {
                var previous: UInt64?
                for k in Int(starts.get(d))..<Int(starts.get(d + 1)) {
                    let o = ordinals.get(k)
                    if o >= UInt64(c.ordinalCount) { throw corrupt("document \(d) has an ordinal past the dictionary") }
                    if let p = previous, p >= o { throw corrupt("document \(d)'s ordinals are not ascending") }
                    previous = o
                }
            }
        }
    }
}
