// The segmentation loop's helpers: unchecked byte access to the text, and the property codes and
// masks the rules test.
//
// For: WordSegmenter and WordBreakLookup. Not for: callers of the segmenter.

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
