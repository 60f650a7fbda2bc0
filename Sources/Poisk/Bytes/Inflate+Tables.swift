// Building the Huffman decoding tables of a DEFLATE block (RFC 1951 3.2.6 and 3.2.7): the fixed
// codes of block type 1, the code lengths a dynamic block (type 2) sends, and the lookup tables
// `Inflate.decodeHuffmanBlock` reads (an 11/8-bit primary table with subtables for longer codes).
//
// For: `Inflate`, once per block. Not for: decoding symbols (Inflate.swift), or encoding.

extension Inflate {
    /// Builds the fixed literal/length and distance codes of block type 1 (RFC 1951 3.2.6).
    static func buildFixedTables(_ tables: InflateTables) throws(InflateFailure) {
        let lengths = tables.lengths
        for i in 0..<144 { lengths[i] = 8 }
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        for i in 280..<288 { lengths[i] = 8 }
        for i in 288..<320 { lengths[i] = 5 }
        guard
            buildTable(
                tables, lengths: UnsafePointer(lengths), count: 288, alphabet: .literalLength, primaryBits: literalBits,
                at: InflateTables.fixedLiteralOffset, capacity: 1 << literalBits, allowSingleCode: false) == nil,
            buildTable(
                tables, lengths: UnsafePointer(lengths + 288), count: 32, alphabet: .distance, primaryBits: distanceBits,
                at: InflateTables.fixedDistanceOffset, capacity: 1 << distanceBits, allowSingleCode: false) == nil
        else {
            throw InflateFailure(kind: .corrupt("internal error building the fixed Huffman codes"), offset: 0)
        }
        tables.fixedBuilt = true
    }

    /// Reads a dynamic block's code lengths and builds its literal/length and distance tables.
    static func readDynamicTables(_ reader: inout BitReader, _ tables: InflateTables) throws(InflateFailure) {
        try reader.refill()
        let literalCount = Int(truncatingIfNeeded: reader.bits & 31) + 257
        let distanceCount = Int(truncatingIfNeeded: (reader.bits >> 5) & 31) + 1
        let codeLengthCount = Int(truncatingIfNeeded: (reader.bits >> 10) & 15) + 4
        reader.consume(14)
        guard literalCount <= 286, distanceCount <= 30 else {
            throw reader.corrupt("too many literal/length or distance codes (\(literalCount), \(distanceCount))")
        }
        let lengths = tables.lengths
        for i in 0..<19 { lengths[i] = 0 }
        for i in 0..<codeLengthCount {
            if reader.available < 3 { try reader.refill() }
            lengths[codeLengthOrder[i]] = UInt8(truncatingIfNeeded: reader.bits & 7)
            reader.consume(3)
        }
        if let problem = buildTable(
            tables, lengths: UnsafePointer(lengths), count: 19, alphabet: .codeLength, primaryBits: codeLengthBits,
            at: InflateTables.codeLengthOffset, capacity: InflateTables.codeLengthCapacity, allowSingleCode: false)
        {
            throw reader.corrupt("invalid Huffman code lengths (\(problem) code-length code)")
        }

        // The code lengths of both alphabets, run-length coded with the code-length code.
        // Read into `lengths` from index 0: the code-length code's own lengths are not needed
        // any more (its table is built).
        let codeLengthTable = tables.entries + InflateTables.codeLengthOffset
        let total = literalCount + distanceCount
        var i = 0
        while i < total {
            try reader.refill()
            let entry = codeLengthTable[Int(truncatingIfNeeded: reader.bits & 127)]
            guard entry & Entry.invalid == 0 else { throw reader.corrupt("invalid code-length code") }
            reader.consume(Int(entry & 15))
            let symbol = Int(entry >> 16)
            if symbol < 16 {
                lengths[i] = UInt8(truncatingIfNeeded: symbol)
                i += 1
                continue
            }
            var value: UInt8 = 0
            let repeatCount: Int
            switch symbol {
            case 16:
                guard i > 0 else { throw reader.corrupt("invalid Huffman code lengths (a repeat with no previous length)") }
                value = lengths[i - 1]
                repeatCount = 3 + Int(truncatingIfNeeded: reader.bits & 3)
                reader.consume(2)
            case 17:
                repeatCount = 3 + Int(truncatingIfNeeded: reader.bits & 7)
                reader.consume(3)
            default:
                repeatCount = 11 + Int(truncatingIfNeeded: reader.bits & 127)
                reader.consume(7)
            }
            guard repeatCount <= total - i else {
                throw reader.corrupt("invalid Huffman code lengths (a repeat runs past the last code)")
            }
            for k in i..<(i + repeatCount) { lengths[k] = value }
            i += repeatCount
        }
        guard lengths[256] != 0 else { throw reader.corrupt("invalid Huffman code lengths (no end-of-block code)") }
        if let problem = buildTable(
            tables, lengths: UnsafePointer(lengths), count: literalCount, alphabet: .literalLength, primaryBits: literalBits,
            at: InflateTables.literalOffset, capacity: InflateTables.literalCapacity, allowSingleCode: true)
        {
            throw reader.corrupt("invalid Huffman code lengths (\(problem) literal/length code)")
        }
        if let problem = buildTable(
            tables, lengths: UnsafePointer(lengths + literalCount), count: distanceCount, alphabet: .distance,
            primaryBits: distanceBits, at: InflateTables.distanceOffset, capacity: InflateTables.distanceCapacity,
            allowSingleCode: true)
        {
            throw reader.corrupt("invalid Huffman code lengths (\(problem) distance code)")
        }
    }

    /// The low `n` bits of `value`, reversed (Huffman codes are stored most significant bit
    /// first in DEFLATE's least-significant-bit-first stream).
    @inline(__always)
    static func reversed(_ value: Int, _ n: Int) -> Int {
        var v = value
        var r = 0
        for _ in 0..<n {
            r = (r << 1) | (v & 1)
            v >>= 1
        }
        return r
    }

    /// Builds the decoding table of a canonical Huffman code from its code lengths (each
    /// 0…15) into `tables.entries[offset...]`: a primary table of `2^primaryBits` entries
    /// followed by the subtables of codes longer than `primaryBits`.
    ///
    /// - Parameters:
    ///   - allowSingleCode: accept an incomplete code whose codewords are all one bit long
    ///     (one symbol), as RFC 1951 permits for distances; otherwise incomplete codes fail.
    ///     An alphabet with no codes at all is accepted then too (its table is all invalid
    ///     entries, so using it fails).
    /// - Returns: nil on success, else what is wrong ("over-subscribed", "incomplete",
    ///   "empty", "oversized").
    /// - Complexity: O(symbols + table entries).
    static func buildTable(
        _ tables: InflateTables, lengths: UnsafePointer<UInt8>, count n: Int, alphabet: Alphabet, primaryBits: Int,
        at offset: Int, capacity: Int, allowSingleCode: Bool
    ) -> String? {
        let table = tables.entries + offset
        let counts = tables.counters
        let remaining = tables.counters + 16
        let offsets = tables.counters + 32
        for len in 0..<16 { counts[len] = 0 }
        for symbol in 0..<n { counts[Int(lengths[symbol] & 15)] += 1 }
        var maxLength = 15
        while maxLength > 0 && counts[maxLength] == 0 { maxLength -= 1 }
        let primarySize = 1 << primaryBits
        if maxLength == 0 {
            table.update(repeating: Entry.invalid, count: primarySize)
            return allowSingleCode ? nil : "empty"
        }
        var left = 1
        for len in 1...15 {
            left = (left << 1) - counts[len]
            if left < 0 { return "over-subscribed" }
        }
        if left > 0 {
            guard allowSingleCode && maxLength == 1 else { return "incomplete" }
            table.update(repeating: Entry.invalid, count: primarySize)
        }

        // Symbols sorted by (length, symbol): the order of their canonical codes.
        offsets[1] = 0
        for len in 1..<15 { offsets[len + 1] = offsets[len] + counts[len] }
        for symbol in 0..<n {
            let len = Int(lengths[symbol] & 15)
            if len != 0 {
                tables.sorted[offsets[len]] = UInt16(truncatingIfNeeded: symbol)
                offsets[len] += 1
            }
        }
        for len in 0..<16 { remaining[len] = counts[len] }

        var code = 0  // the canonical code, most significant bit first
        var index = 0
        var nextFree = primarySize
        var currentPrefix = -1
        var subtableStart = 0
        var subtableBits = 0
        for len in 1...maxLength {
            for _ in 0..<counts[len] {
                let entry = alphabet.entry(Int(tables.sorted[index]))
                index += 1
                if len <= primaryBits {
                    var i = reversed(code, len)
                    let value = entry | UInt32(len)
                    while i < primarySize {
                        table[i] = value
                        i += 1 << len
                    }
                } else {
                    let prefix = code >> (len - primaryBits)
                    if prefix != currentPrefix {
                        // A new subtable, deep enough for every code sharing this prefix: the
                        // codes not yet placed fill it from the shortest length on.
                        currentPrefix = prefix
                        var bits = len - primaryBits
                        var room = (1 << bits) - remaining[len]
                        while room > 0 && primaryBits + bits < maxLength {
                            bits += 1
                            room = (room << 1) - remaining[primaryBits + bits]
                        }
                        subtableBits = bits
                        subtableStart = nextFree
                        nextFree += 1 << bits
                        guard nextFree <= capacity, subtableStart < 1 << 16 else { return "oversized" }
                        table[reversed(prefix, primaryBits)] =
                            Entry.subtable | UInt32(subtableStart) << 16 | UInt32(subtableBits) << 4 | UInt32(primaryBits)
                    }
                    let rest = len - primaryBits
                    var i = reversed(code & ((1 << rest) - 1), rest)
                    let value = entry | UInt32(rest)
                    while i < 1 << subtableBits {
                        table[subtableStart + i] = value
                        i += 1 << rest
                    }
                }
                remaining[len] -= 1
                code += 1
            }
            code <<= 1
        }
        return nil
    }
}
