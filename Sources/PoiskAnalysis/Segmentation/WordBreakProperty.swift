// The Word_Break property values of UAX #29, as the generated tables store them.
//
// For: WordSegmenter and callers that ask a scalar's property. Not for: the tables themselves
// (Generated/WordBreakTables.swift).

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
