// WordSegmenter.swift — Unicode word-boundary segmentation (UAX #29, rules WB1–WB999) over UTF-8 bytes.
//
// What it is for: splitting raw UTF-8 text into word segments for the search tokenizer, reporting
// byte ranges and whether each segment is "word-like" (contains a letter or digit), without
// allocating, decoding to `String`, or crashing on invalid UTF-8. It has an optional search
// tailoring (ZWSP does not split words; ` ´ ′ act as apostrophes).
// What it is not for: normalisation, case folding, stemming, or dictionary-based segmentation of
// scripts written without spaces (CJK/Thai come out one ideograph or one run per segment as UAX #29 says).
// The per-scalar data lives in Generated/WordBreakTables.swift (generated, do not edit by hand).
//
// Files: WordSegmenter (the API and the segmentation loop), WordBreakProperty (the property
// values), WordBreakSupport (byte access and property masks of the loop), WordBreakLookup (the
// decoded tables and the pair rules).

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
