// WordSegmenter.swift — Unicode word-boundary segmentation (UAX #29, rules WB1–WB999) over UTF-8 bytes.
//
// What it is for: splitting raw UTF-8 text into word segments for the search tokenizer, reporting
// byte ranges and whether each segment is "word-like" (contains a letter or digit), without
// allocating, decoding to `String`, or crashing on invalid UTF-8. It has an optional search
// tailoring (ZWSP does not split words; ` ´ ′ act as apostrophes).
// What it is not for: normalisation, case folding, stemming, or dictionary-based segmentation of
// scripts written without spaces (CJK/Thai come out one ideograph or one run per segment as UAX #29 says).
// The per-scalar data lives in Generated/WordBreakTables.swift (generated, do not edit by hand).

/// The Word_Break property values of UAX #29, as stored in the generated tables.
public enum WordBreakProperty: UInt8, Sendable {
    /// Any scalar not listed below (`XX`).
    case other
    /// U+000D CARRIAGE RETURN.
    case cr
    /// U+000A LINE FEED.
    case lf
    /// Other line separators (VT, FF, NEL, LS, PS).
    case newline
    /// Grapheme extenders and spacing marks.
    case extend
    /// U+200D ZERO WIDTH JOINER.
    case zwj
    /// Regional indicator symbols (flag halves).
    case regionalIndicator
    /// Format characters (Cf, except ZWSP, ZWNJ, ZWJ).
    case format
    /// Katakana and related characters.
    case katakana
    /// Hebrew letters.
    case hebrewLetter
    /// Alphabetic letters (other than Hebrew and Katakana, and not ideographs).
    case aLetter
    /// U+0027 APOSTROPHE.
    case singleQuote
    /// U+0022 QUOTATION MARK.
    case doubleQuote
    /// Punctuation joining letters and numbers (`.`, `’`, …).
    case midNumLet
    /// Punctuation joining letters only (`:`, `·`, …).
    case midLetter
    /// Punctuation joining numbers only (`,`, `;`, …).
    case midNum
    /// Digits.
    case numeric
    /// Connector punctuation (`_`, …).
    case extendNumLet
    /// Whitespace that is not a line break (space, NBSP excluded).
    case wSegSpace
}

/// Splits UTF-8 text into UAX #29 word segments.
///
/// The segmenter works directly on bytes: it decodes UTF-8 itself (with an ASCII fast path),
/// looks each scalar up in compact generated tables and applies the rules WB1–WB999 of
/// Unicode 15.0, including the lookahead of WB6/WB7b/WB12 over ignored Extend/Format/ZWJ scalars.
/// Each maximal invalid UTF-8 subsequence is treated as one U+FFFD (property Other).
/// Values are cheap to create and copy, and immutable, so they can be shared between threads.
public struct WordSegmenter: Sendable {
    /// Whether Poisk's search tailoring is on (see `init(tailoredForSearch:)`).
    public let tailoredForSearch: Bool

    @usableFromInline
    let tables: _WordBreakLookup

    /// Creates a segmenter.
    /// - Parameter tailoredForSearch: `false` gives exact UAX #29 (what WordBreakTest.txt checks).
    ///   `true` gives Poisk's search tailoring: U+200B ZERO WIDTH SPACE is treated as Format (so it does
    ///   not split a word; the normalizer deletes it later), and U+0060 \`, U+00B4 ´ and U+2032 ′ are
    ///   treated as MidNumLet (apostrophe variants, so "don\`t" stays one word).
    public init(tailoredForSearch: Bool = true) {
        self.tailoredForSearch = tailoredForSearch
        self.tables = tailoredForSearch ? _WordBreakLookup.search : _WordBreakLookup.exact
    }

    /// The Unicode version of the property tables, e.g. `"15.0.0"`.
    public static var unicodeVersion: String { WordBreakTableData.unicodeVersion }

    /// The Word_Break property this segmenter uses for `scalar` (tailoring included).
    /// - Parameter scalar: Any Unicode scalar.
    /// - Returns: The property; unknown raw values (never produced by the tables) map to `.other`.
    public func wordBreakProperty(of scalar: Unicode.Scalar) -> WordBreakProperty {
        WordBreakProperty(rawValue: tables.properties(of: scalar.value) & _WB.propertyMask) ?? .other
    }

    /// Whether `scalar` counts as a letter or digit (general category L* or N*) for `isWordLike`.
    /// - Parameter scalar: Any Unicode scalar.
    /// - Returns: `true` for letters and digits.
    public func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        tables.properties(of: scalar.value) & _WB.alnumBit != 0
    }

    /// Whether `scalar` has the Extended_Pictographic property (used by rule WB3c).
    /// - Parameter scalar: Any Unicode scalar.
    /// - Returns: `true` for emoji-like pictographs.
    public func isExtendedPictographic(_ scalar: Unicode.Scalar) -> Bool {
        tables.properties(of: scalar.value) & _WB.extPictBit != 0
    }

    /// Calls `body` with the byte range of every segment, in order; the ranges cover all of `text` exactly.
    ///
    /// Never allocates and never reads outside `text`; invalid UTF-8 is segmented as U+FFFD.
    /// - Parameters:
    ///   - text: UTF-8 bytes (need not be valid). An empty buffer produces no segments.
    ///   - body: Called once per segment with its byte range in `text` and `isWordLike`, which is
    ///     `true` when the segment contains at least one letter or digit scalar. Errors it throws are rethrown
    ///     and stop the segmentation.
    /// - Complexity: O(n) in the number of bytes (lookahead may re-read ignorable scalars once).
    @inlinable
    public func forEachSegment(
        in text: UnsafeRawBufferPointer,
        _ body: (_ range: Range<Int>, _ isWordLike: Bool) throws -> Void
    ) rethrows {
        guard let base = text.baseAddress, text.count > 0 else { return }
        try _segment(_UTF8Bytes(base), text.count, body)
    }

    /// Calls `body` with the byte range of every word-like segment (one containing a letter or digit), in order.
    /// - Parameters:
    ///   - text: UTF-8 bytes (need not be valid).
    ///   - body: Called once per word-like segment with its byte range in `text`.
    /// - Complexity: O(n) in the number of bytes.
    @inlinable
    public func forEachWord(in text: UnsafeRawBufferPointer, _ body: (_ range: Range<Int>) throws -> Void) rethrows {
        try forEachSegment(in: text) { range, isWordLike in
            if isWordLike { try body(range) }
        }
    }

    /// All segments of `text` as strings (convenience for tests and tools; allocates).
    /// - Parameter text: Any string.
    /// - Returns: The segments in order; their concatenation equals `text`.
    public func segments(of text: String) -> [String] {
        var copy = text
        var result: [String] = []
        copy.withUTF8 { utf8 in
            forEachSegment(in: UnsafeRawBufferPointer(utf8)) { range, _ in
                result.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self))
            }
        }
        return result
    }

    // MARK: - Core

    /// The segmentation state machine. Specialised into callers through `@inlinable`.
    @inlinable
    func _segment(
        _ s: _UTF8Bytes, _ n: Int,
        _ body: (_ range: Range<Int>, _ isWordLike: Bool) throws -> Void
    ) rethrows {
        let t = tables
        // Table pointers in locals: the body call is opaque, so loads through `t` would be repeated.
        let asciiProps = UnsafePointer(t.ascii)
        let asciiRun = UnsafePointer(t.asciiRun)
        let asciiAction = UnsafePointer(t.asciiAction)
        let pairAction = UnsafePointer(t.pairAction)
        var segStart = 0
        var seen: UInt8 = 0  // OR of the property bytes of the current segment (alphanumeric bit → word-like)
        var lastRaw = _WB.sot  // property of the scalar just before `i` (sot at the start)
        var prev = _WB.sot  // property of the last non-ignored scalar (WB4), or sot
        var prevPrev = _WB.sot  // the one before `prev`
        var riOdd = false  // odd number of regional indicators ends at `prev` (valid while prev is RI)
        var i = 0
        while i < n {
            // Word-run fast path: between AHLetter/Numeric/ExtendNumLet and another AHLetter, Numeric or
            // ExtendNumLet there is never a boundary (WB5, WB8, WB9, WB10, WB13a, WB13b). Covers ASCII and
            // two-byte scalars (Latin-1 to Cyrillic, Greek, Hebrew, Arabic…).
            if _WB.bit(prev) & _WB.wordRunMask != 0 {
                var j = i
                var acc: UInt8 = 0
                var lastTwoByte: UInt8 = 0
                while true {
                    // Eight ASCII bytes at a time (SWAR); words shorter than 8 bytes then need no loop.
                    while j &+ 8 <= n {
                        let (word, alnum) = _WB.asciiWordBytes(
                            UInt64(littleEndian: s.base.loadUnaligned(fromByteOffset: j, as: UInt64.self)))
                        let stop = ~word & _WB.highBits
                        if stop == 0 {
                            if alnum != 0 { acc |= _WB.alnumBit }
                            j &+= 8
                            continue
                        }
                        let k = stop.trailingZeroBitCount &>> 3
                        if alnum & ((UInt64(1) &<< UInt64(k &<< 3)) &- 1) != 0 { acc |= _WB.alnumBit }
                        j &+= k
                        break
                    }
                    while j < n {
                        let f = asciiRun[Int(s[j])]
                        if f == 0 { break }
                        acc |= f
                        j &+= 1
                    }
                    // Two-byte scalars (Latin-1 supplement to Arabic, incl. Cyrillic).
                    let twoByteStart = j
                    while j &+ 1 < n {
                        let b = s[j]
                        guard b &- 0xC2 < 0x1E else { break }  // lead byte C2...DF
                        let b1 = s[j &+ 1]
                        guard b1 & 0xC0 == 0x80 else { break }
                        let f2 = t.bmp(UInt32(b & 0x1F) &<< 6 | UInt32(b1 & 0x3F))
                        guard _WB.bit(f2 & _WB.propertyMask) & _WB.wordRunMask != 0 else { break }
                        acc |= f2
                        lastTwoByte = f2
                        j &+= 2
                    }
                    if j == twoByteStart { break }
                }
                if j != i {
                    seen |= acc
                    prevPrev = prev
                    let lb = s[j &- 1]
                    prev = (lb < 0x80 ? asciiProps[Int(lb)] : lastTwoByte) & _WB.propertyMask
                    lastRaw = prev
                    i = j
                    if i >= n { break }
                    // One ASCII space, then another run ("word word", the commonest gap): the
                    // space is a segment of its own (WB999 on both sides: WB3d joins only two
                    // spaces), so emit both and scan the next run at once, skipping two steps of
                    // the general path. `prev` stays a run property; the run starts a segment.
                    if i &+ 1 < n && s[i] == 0x20 && asciiRun[Int(s[i &+ 1])] != 0 {
                        try body(segStart..<i, seen & _WB.alnumBit != 0)
                        try body(i..<(i &+ 1), false)
                        i &+= 1
                        segStart = i
                        seen = 0
                        continue
                    }
                }
            }

            let b0 = s[i]
            let props: UInt8
            let length: Int
            if b0 < 0x80 {
                // ASCII has no ignorable scalars, so after any simple step `lastRaw == prev == c`;
                // the action comes straight from (prev, byte) and nothing chains through it.
                if lastRaw == prev {
                    let action = asciiAction[Int(prev) &<< 7 | Int(b0)]
                    if action != _WB.actionComplex {
                        let ap = asciiProps[Int(b0)]
                        prevPrev = prev
                        prev = ap & _WB.propertyMask
                        lastRaw = prev
                        if action & _WB.actionBreak != 0 {
                            try body(segStart..<i, seen & _WB.alnumBit != 0)
                            segStart = i
                            seen = 0
                        }
                        seen |= ap
                        i &+= 1
                        continue
                    }
                }
                props = asciiProps[Int(b0)]
                length = 1
            } else {
                (props, length) = t.decodeNonASCII(s, i, n, b0)
                // Common case: no ignored scalars pending, and the pair (prev, c) decides alone.
                if lastRaw == prev {
                    let c = props & _WB.propertyMask
                    let action = pairAction[Int(prev) &<< 5 | Int(c)]
                    if action != _WB.actionComplex {
                        if action & _WB.actionUpdate != 0 {
                            prevPrev = prev
                            prev = c
                        }
                        lastRaw = c
                        if action & _WB.actionBreak != 0 {
                            try body(segStart..<i, seen & _WB.alnumBit != 0)
                            segStart = i
                            seen = 0
                        }
                        seen |= props
                        i &+= length
                        continue
                    }
                }
            }
            let c = props & _WB.propertyMask

            let cm = _WB.bit(c)
            let isBreak: Bool
            if _WB.bit(lastRaw) & _WB.newSegmentMask != 0 {
                // WB3 (CR × LF), WB3a ((Newline|CR|LF) ÷); sot (WB1). The scalar starts a new X even if it is
                // Extend/Format/ZWJ (WB4 does not apply after sot, CR, LF, Newline).
                isBreak = !(lastRaw == _WB.cr && c == _WB.lf)
                prevPrev = prev
                prev = c
                riOdd = c == _WB.regionalIndicator
            } else if cm & _WB.newlineMask != 0 {
                isBreak = true  // WB3b
                prevPrev = prev
                prev = c
            } else if cm & _WB.ignorableMask != 0 {
                isBreak = false  // WB4: X (Extend | Format | ZWJ)* → X
            } else {
                if lastRaw == _WB.zwj && props & _WB.extPictBit != 0 {
                    isBreak = false  // WB3c
                } else if lastRaw == _WB.wSegSpace && c == _WB.wSegSpace {
                    isBreak = false  // WB3d
                } else {
                    isBreak = !_WordBreakLookup.noBreakBetween(
                        prev: prev, prevPrev: prevPrev, current: c, riOdd: riOdd,
                        lookahead: { t.nextNonIgnorable(s, i &+ length, n) })
                }
                riOdd = c == _WB.regionalIndicator && !(prev == _WB.regionalIndicator && riOdd)
                prevPrev = prev
                prev = c
            }
            lastRaw = c
            if isBreak && i > segStart {
                try body(segStart..<i, seen & _WB.alnumBit != 0)
                segStart = i
                seen = 0
            }
            seen |= props
            i &+= length
        }
        try body(segStart..<n, seen & _WB.alnumBit != 0)
    }
}

/// Unchecked byte access to the text being segmented (indices are always checked by the caller).
@usableFromInline
@frozen
struct _UTF8Bytes {
    @usableFromInline let base: UnsafeRawPointer

    @inlinable @inline(__always)
    init(_ base: UnsafeRawPointer) { self.base = base }

    @inlinable
    subscript(_ i: Int) -> UInt8 {
        @inline(__always) get { base.load(fromByteOffset: i, as: UInt8.self) }
    }
}

/// Property codes and masks used by the segmenter (raw values of `WordBreakProperty`, plus bits).
@usableFromInline
enum _WB {
    @inlinable static var cr: UInt8 { 1 }
    @inlinable static var lf: UInt8 { 2 }
    @inlinable static var zwj: UInt8 { 5 }
    @inlinable static var regionalIndicator: UInt8 { 6 }
    @inlinable static var katakana: UInt8 { 8 }
    @inlinable static var hebrewLetter: UInt8 { 9 }
    @inlinable static var singleQuote: UInt8 { 11 }
    @inlinable static var doubleQuote: UInt8 { 12 }
    @inlinable static var numeric: UInt8 { 16 }
    @inlinable static var extendNumLet: UInt8 { 17 }
    @inlinable static var wSegSpace: UInt8 { 18 }
    /// Start of text; also "end of text" in lookahead. Not a real property.
    @inlinable static var sot: UInt8 { 19 }

    @inlinable static var propertyMask: UInt8 { 0x1F }
    /// `pairAction` bits: a boundary before the current scalar; the current scalar becomes `prev`.
    @inlinable static var actionBreak: UInt8 { 1 }
    @inlinable static var actionUpdate: UInt8 { 2 }
    /// `pairAction` value: context needed (lookahead, lookbehind, RI parity, WB3c); use the full rules.
    @inlinable static var actionComplex: UInt8 { 0xFF }
    @inlinable static var extPictBit: UInt8 { 0x20 }
    @inlinable static var alnumBit: UInt8 { 0x40 }

    @inlinable @inline(__always)
    static func bit(_ p: UInt8) -> UInt32 { UInt32(1) &<< UInt32(p) }

    @inlinable static var highBits: UInt64 { 0x8080_8080_8080_8080 }
    @inlinable static var lowBits: UInt64 { 0x0101_0101_0101_0101 }

    /// SWAR classification of 8 bytes: the high bit of each byte of `word` is set where the byte is an ASCII
    /// letter, digit or `_`, and in `alnum` where it is an ASCII letter or digit.
    @inlinable @inline(__always)
    static func asciiWordBytes(_ x: UInt64) -> (word: UInt64, alnum: UInt64) {
        let ascii = ~x & highBits
        let y = x & ~highBits  // every byte ≤ 0x7F, so the additions below never carry between bytes
        // High bit set where byte ≥ lo (valid for bytes ≤ 0x7F and lo ≤ 0x80).
        @inline(__always) func atLeast(_ v: UInt64, _ lo: UInt64) -> UInt64 { (v &+ lowBits &* (0x80 &- lo)) & highBits }
        let folded = y | 0x2020_2020_2020_2020  // A-Z → a-z; nothing else lands in a-z
        let letter = atLeast(folded, 0x61) & ~atLeast(folded, 0x7B)
        let digit = atLeast(y, 0x30) & ~atLeast(y, 0x3A)
        let u = y ^ 0x5F5F_5F5F_5F5F_5F5F
        let underscore = ~(((u & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | u) & highBits
        let alnum = (letter | digit) & ascii
        return (alnum | (underscore & ascii), alnum)
    }

    // 1 << property
    @inlinable static var crB: UInt32 { 1 << 1 }
    @inlinable static var lfB: UInt32 { 1 << 2 }
    @inlinable static var newlineB: UInt32 { 1 << 3 }
    @inlinable static var extendB: UInt32 { 1 << 4 }
    @inlinable static var zwjB: UInt32 { 1 << 5 }
    @inlinable static var formatB: UInt32 { 1 << 7 }
    @inlinable static var katakanaB: UInt32 { 1 << 8 }
    @inlinable static var hebrewB: UInt32 { 1 << 9 }
    @inlinable static var aLetterB: UInt32 { 1 << 10 }
    @inlinable static var singleQuoteB: UInt32 { 1 << 11 }
    @inlinable static var midNumLetB: UInt32 { 1 << 13 }
    @inlinable static var midLetterB: UInt32 { 1 << 14 }
    @inlinable static var midNumB: UInt32 { 1 << 15 }
    @inlinable static var numericB: UInt32 { 1 << 16 }
    @inlinable static var extendNumLetB: UInt32 { 1 << 17 }
    @inlinable static var sotB: UInt32 { 1 << 19 }

    @inlinable static var newlineMask: UInt32 { crB | lfB | newlineB }
    @inlinable static var newSegmentMask: UInt32 { crB | lfB | newlineB | sotB }
    @inlinable static var ignorableMask: UInt32 { extendB | formatB | zwjB }
    @inlinable static var ahLetterMask: UInt32 { aLetterB | hebrewB }
    /// MidLetter | MidNumLetQ (WB6, WB7).
    @inlinable static var midLetterMask: UInt32 { midLetterB | midNumLetB | singleQuoteB }
    /// MidNum | MidNumLetQ (WB11, WB12).
    @inlinable static var midNumMask: UInt32 { midNumB | midNumLetB | singleQuoteB }
    /// Previous properties after which an ASCII letter/digit/underscore never breaks.
    @inlinable static var wordRunMask: UInt32 { ahLetterMask | numericB | extendNumLetB }
}

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
