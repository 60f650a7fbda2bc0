// The segmenter's decoded lookup tables (ASCII array, BMP two-stage table, supplementary ranges)
// and the rule tables that decide a break between two properties, built once per variant.
//
// For: WordSegmenter. Not for: editing the data (Scripts/gen-wordbreak-tables.py writes
// Generated/WordBreakTables.swift).

/// Decoded lookup tables (ASCII array, BMP two-stage table, supplementary range list), built once.
///
/// The memory is allocated once per variant and kept for the life of the process; it is never mutated
/// after `init`, which is why the type can be `@unchecked Sendable`.
@usableFromInline
final class _WordBreakLookup: @unchecked Sendable {
    /// Property bytes of U+0000...U+007F.
    @usableFromInline let ascii: UnsafeMutablePointer<UInt8>
    /// For every byte value: its property byte if it is an ASCII letter, digit or `_`, else 0.
    @usableFromInline let asciiRun: UnsafeMutablePointer<UInt8>
    /// `pairAction[prev << 5 | current]`: what to do when no ignored scalar separates `prev` and `current`
    /// (`_WB.actionBreak` | `_WB.actionUpdate` bits, or `_WB.actionComplex`). 20 rows (incl. sot) of 32.
    @usableFromInline let pairAction: UnsafeMutablePointer<UInt8>
    /// `asciiAction[prev << 7 | byte]`: `pairAction` for an ASCII current scalar (never "absorb").
    @usableFromInline let asciiAction: UnsafeMutablePointer<UInt8>
    /// Stage 1 of the BMP table: block number per 64 code points.
    @usableFromInline let bmpIndex: UnsafeMutablePointer<UInt8>
    /// Stage 2 of the BMP table: blocks of 64 property bytes.
    @usableFromInline let bmpBlocks: UnsafeMutablePointer<UInt8>
    /// Sorted `start << 8 | propertyByte` entries for U+10000...U+10FFFF.
    @usableFromInline let supplementary: UnsafeMutablePointer<UInt32>
    @usableFromInline let supplementaryCount: Int

    /// Exact UAX #29 data.
    @usableFromInline static let exact = _WordBreakLookup(overrides: [])

    /// Poisk's search tailoring: ZWSP → Format; ` ´ ′ → MidNumLet.
    @usableFromInline static let search = _WordBreakLookup(overrides: [
        (0x200B, 7),
        (0x0060, 13),
        (0x00B4, 13),
        (0x2032, 13),
    ])

    /// Builds the tables, replacing the Word_Break property of the BMP scalars in `overrides`
    /// (their Extended_Pictographic and alphanumeric bits are kept).
    init(overrides: [(scalar: UInt32, property: UInt8)]) {
        let data = WordBreakTableData.decode()
        ascii = .allocate(capacity: 128)
        ascii.initialize(repeating: 0, count: 128)
        for (k, v) in data.ascii.prefix(128).enumerated() { ascii[k] = v }

        var index = data.bmpIndex
        if index.count < 1024 { index += [UInt8](repeating: 0, count: 1024 - index.count) }
        var blocks = data.bmpBlocks
        if blocks.count < 64 { blocks += [UInt8](repeating: 0, count: 64 - blocks.count) }
        var copied: [Int: Int] = [:]
        for (scalar, property) in overrides {
            let keep = WordBreakTableData.extendedPictographicBit | WordBreakTableData.alphanumericBit
            if scalar < 128 {
                ascii[Int(scalar)] = ascii[Int(scalar)] & keep | property
            } else if scalar < 0x10000 {
                let blockNumber = Int(scalar >> 6)
                let start: Int
                if let existing = copied[blockNumber] {
                    start = existing
                } else {
                    let old = min(Int(index[blockNumber]) * 64, blocks.count - 64)
                    start = blocks.count
                    blocks += blocks[old..<old + 64]
                    copied[blockNumber] = start
                    index[blockNumber] = UInt8(truncatingIfNeeded: start / 64)
                }
                let k = start + Int(scalar & 63)
                blocks[k] = blocks[k] & keep | property
            }
        }
        // Block numbers are single bytes: at most 256 blocks.
        let blockCount = min(blocks.count / 64, 256)
        bmpIndex = .allocate(capacity: 1024)
        for k in 0..<1024 { bmpIndex[k] = Int(index[k]) < blockCount ? index[k] : 0 }
        bmpBlocks = .allocate(capacity: blockCount * 64)
        for k in 0..<blockCount * 64 { bmpBlocks[k] = blocks[k] }

        var ranges = data.supplementary
        if ranges.first.map({ $0 >> 8 != 0x10000 }) ?? true { ranges.insert(0x10000 << 8, at: 0) }
        supplementaryCount = ranges.count
        supplementary = .allocate(capacity: ranges.count)
        for (k, v) in ranges.enumerated() { supplementary[k] = v }

        asciiRun = .allocate(capacity: 256)
        asciiRun.initialize(repeating: 0, count: 256)
        for b in 0..<128 {
            let p = ascii[b] & _WB.propertyMask
            if p == 10 || p == 16 || p == 17 { asciiRun[b] = ascii[b] }
        }

        pairAction = .allocate(capacity: 20 * 32)
        pairAction.initialize(repeating: _WB.actionComplex, count: 20 * 32)
        for p in UInt8(0)...19 {
            for c in UInt8(0)...18 {
                pairAction[Int(p) << 5 | Int(c)] = _WordBreakLookup.action(prev: p, current: c) {
                    _WordBreakLookup.noBreakBetween(
                        prev: p, prevPrev: _WB.sot, current: c, riOdd: false, lookahead: { _WB.sot })
                }
            }
        }
        asciiAction = .allocate(capacity: 20 * 128)
        for p in 0..<20 {
            for b in 0..<128 {
                let action = pairAction[p << 5 | Int(ascii[b] & _WB.propertyMask)]
                // An ASCII scalar must always become `prev`; anything else goes through the full rules.
                asciiAction[p << 7 | b] = action & _WB.actionUpdate != 0 ? action : _WB.actionComplex
            }
        }
    }

    /// The `pairAction` entry for `prev` directly followed by `current` (no ignored scalars in between).
    /// `noBreak` evaluates WB5–WB16 for the pairs that need no context.
    static func action(prev p: UInt8, current c: UInt8, noBreak: () -> Bool) -> UInt8 {
        let update = _WB.actionUpdate
        let breakAndUpdate = _WB.actionBreak | _WB.actionUpdate
        let pm = _WB.bit(p)
        let cm = _WB.bit(c)
        if c == _WB.regionalIndicator { return _WB.actionComplex }  // RI parity bookkeeping
        if p == _WB.sot { return update }  // WB1: no boundary at the start; the scalar becomes X
        if p == _WB.cr && c == _WB.lf { return update }  // WB3
        if pm & _WB.newlineMask != 0 || cm & _WB.newlineMask != 0 { return breakAndUpdate }  // WB3a, WB3b
        if p == _WB.zwj { return _WB.actionComplex }  // WB3c needs Extended_Pictographic
        if p == _WB.wSegSpace && c == _WB.wSegSpace { return update }  // WB3d
        if cm & _WB.ignorableMask != 0 { return 0 }  // WB4: absorbed, `prev` stays
        // Lookahead (WB6, WB7b, WB12) and lookbehind (WB7, WB7c, WB11) pairs.
        if pm & _WB.ahLetterMask != 0 && cm & _WB.midLetterMask != 0 { return _WB.actionComplex }
        if p == _WB.hebrewLetter && c == _WB.doubleQuote { return _WB.actionComplex }
        if p == _WB.numeric && cm & _WB.midNumMask != 0 { return _WB.actionComplex }
        if pm & (_WB.midLetterMask | _WB.midNumMask | _WB.bit(_WB.doubleQuote)) != 0
            && cm & (_WB.ahLetterMask | _WB.numericB) != 0
        {
            return _WB.actionComplex
        }
        return noBreak() ? update : breakAndUpdate
    }

    deinit {
        asciiAction.deallocate()
        pairAction.deallocate()
        ascii.deallocate()
        asciiRun.deallocate()
        bmpIndex.deallocate()
        bmpBlocks.deallocate()
        supplementary.deallocate()
    }

    /// Property byte of a BMP scalar (`cp < 0x10000`).
    @inlinable @inline(__always)
    func bmp(_ cp: UInt32) -> UInt8 {
        let block = Int(bmpIndex[Int(cp &>> 6)])
        return bmpBlocks[block &<< 6 | Int(cp & 63)]
    }

    /// Property byte of a supplementary scalar (binary search in the range list).
    @inlinable
    func supplementaryProperties(_ cp: UInt32) -> UInt8 {
        let key = cp &<< 8 | 0xFF
        var lo = 0
        var hi = supplementaryCount
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if supplementary[mid] <= key { lo = mid &+ 1 } else { hi = mid }
        }
        return lo > 0 ? UInt8(truncatingIfNeeded: supplementary[lo &- 1]) : 0
    }

    /// Property byte of any scalar value; values outside the code space get 0 (Other).
    @inlinable
    func properties(of cp: UInt32) -> UInt8 {
        if cp < 0x80 { return ascii[Int(cp)] }
        if cp < 0x10000 { return bmp(cp) }
        if cp < 0x110000 { return supplementaryProperties(cp) }
        return 0
    }

    /// Decodes the scalar starting with the non-ASCII byte `b0` at `i`.
    /// - Returns: Its property byte and length; a maximal invalid subsequence yields `(0, its length)` (U+FFFD).
    @inlinable @inline(__always)
    func decodeNonASCII(_ s: _UTF8Bytes, _ i: Int, _ n: Int, _ b0: UInt8) -> (UInt8, Int) {
        if b0 < 0xE0 {
            if b0 >= 0xC2 && i &+ 1 < n {
                let b1 = s[i &+ 1]
                if b1 & 0xC0 == 0x80 {
                    return (bmp(UInt32(b0 & 0x1F) &<< 6 | UInt32(b1 & 0x3F)), 2)
                }
            }
            return (0, 1)
        }
        return decodeLong(s, i, n, b0)
    }

    /// Three- and four-byte sequences (and their invalid prefixes).
    @inlinable
    func decodeLong(_ s: _UTF8Bytes, _ i: Int, _ n: Int, _ b0: UInt8) -> (UInt8, Int) {
        guard b0 <= 0xF4, i &+ 1 < n else { return (0, 1) }
        let b1 = s[i &+ 1]
        if b0 < 0xF0 {
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= lo && b1 <= hi else { return (0, 1) }
            guard i &+ 2 < n else { return (0, 2) }
            let b2 = s[i &+ 2]
            guard b2 & 0xC0 == 0x80 else { return (0, 2) }
            let cp = UInt32(b0 & 0x0F) &<< 12 | UInt32(b1 & 0x3F) &<< 6 | UInt32(b2 & 0x3F)
            return (bmp(cp), 3)
        }
        let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
        let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
        guard b1 >= lo && b1 <= hi else { return (0, 1) }
        guard i &+ 2 < n else { return (0, 2) }
        let b2 = s[i &+ 2]
        guard b2 & 0xC0 == 0x80 else { return (0, 2) }
        guard i &+ 3 < n else { return (0, 3) }
        let b3 = s[i &+ 3]
        guard b3 & 0xC0 == 0x80 else { return (0, 3) }
        let cp = UInt32(b0 & 0x07) &<< 18 | UInt32(b1 & 0x3F) &<< 12 | UInt32(b2 & 0x3F) &<< 6 | UInt32(b3 & 0x3F)
        return (supplementaryProperties(cp), 4)
    }

    /// Property of the first scalar at or after `j` that is not Extend/Format/ZWJ, or `_WB.sot` at the end of text.
    @inlinable
    func nextNonIgnorable(_ s: _UTF8Bytes, _ j: Int, _ n: Int) -> UInt8 {
        var k = j
        while k < n {
            let b0 = s[k]
            let props: UInt8
            let length: Int
            if b0 < 0x80 {
                props = ascii[Int(b0)]
                length = 1
            } else {
                (props, length) = decodeNonASCII(s, k, n, b0)
            }
            let c = props & _WB.propertyMask
            if _WB.bit(c) & _WB.ignorableMask == 0 { return c }
            k &+= length
        }
        return _WB.sot
    }

    /// Rules WB5–WB16 between the non-ignored `prev` (preceded by `prevPrev`) and `current`.
    /// `lookahead` returns the property of the first non-ignorable scalar after `current` (`_WB.sot` at the end).
    /// - Returns: `true` when a rule forbids a boundary (`×`), `false` for WB999 (`÷`).
    @inlinable @inline(__always)
    static func noBreakBetween(
        prev p: UInt8, prevPrev pp: UInt8, current c: UInt8, riOdd: Bool, lookahead: () -> UInt8
    ) -> Bool {
        let pm = _WB.bit(p)
        let cm = _WB.bit(c)
        if pm & _WB.ahLetterMask != 0 {
            // WB5, WB9, WB13a
            if cm & (_WB.ahLetterMask | _WB.numericB | _WB.extendNumLetB) != 0 { return true }
            if p == _WB.hebrewLetter {
                if c == _WB.singleQuote { return true }  // WB7a
                if c == _WB.doubleQuote { return lookahead() == _WB.hebrewLetter }  // WB7b
            }
            if cm & _WB.midLetterMask != 0 {  // WB6
                return _WB.bit(lookahead()) & _WB.ahLetterMask != 0
            }
            return false
        }
        if p == _WB.numeric {
            // WB8, WB10, WB13a
            if cm & (_WB.numericB | _WB.ahLetterMask | _WB.extendNumLetB) != 0 { return true }
            if cm & _WB.midNumMask != 0 { return lookahead() == _WB.numeric }  // WB12
            return false
        }
        if p == _WB.extendNumLet {  // WB13a, WB13b
            return cm & (_WB.ahLetterMask | _WB.numericB | _WB.katakanaB | _WB.extendNumLetB) != 0
        }
        if p == _WB.katakana {  // WB13, WB13a
            return cm & (_WB.katakanaB | _WB.extendNumLetB) != 0
        }
        if p == _WB.regionalIndicator {  // WB15, WB16
            return c == _WB.regionalIndicator && riOdd
        }
        let ppm = _WB.bit(pp)
        if cm & _WB.ahLetterMask != 0 && pm & _WB.midLetterMask != 0 && ppm & _WB.ahLetterMask != 0 {
            return true  // WB7
        }
        if c == _WB.hebrewLetter && p == _WB.doubleQuote && pp == _WB.hebrewLetter {
            return true  // WB7c
        }
        if c == _WB.numeric && pm & _WB.midNumMask != 0 && pp == _WB.numeric {
            return true  // WB11
        }
        return false
    }
}
