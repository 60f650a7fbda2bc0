// What a normalized word is made of (Latin, Cyrillic, digits, other letters), for choosing a
// stemmer.
//
// For: TokenNormalizer's result and the analyzer's language dispatch. Not for: normalizing.

/// What a normalized word is made of, for the analyzer's per-token language dispatch.
///
/// All counts refer to the normalized output (after mixed-script repair). Letters are scalars of
/// general category L*; their script comes from the Unicode Scripts property.
public struct WordScript: Sendable, Equatable {
    /// Number of Latin-script letters.
    public var latinLetters: Int
    /// Number of Cyrillic-script letters.
    public var cyrillicLetters: Int
    /// Number of decimal digits (general category Nd). Digits are not letters.
    public var digits: Int
    /// Number of letters of any other script (Greek, Han, Arabic, …).
    public var otherLetters: Int
    /// `true` if one of the Ukrainian letters і ї є ґ is present.
    public var hasUkrainianLetters: Bool
    /// `true` if an apostrophe U+0027 stands directly between two letters.
    public var hasApostrophe: Bool
    /// `true` if every output byte is < 0x80 (also `true` for an empty output).
    public var isASCII: Bool

    /// Creates a summary; every field defaults to the summary of an empty word.
    /// - Parameters:
    ///   - latinLetters: number of Latin letters.
    ///   - cyrillicLetters: number of Cyrillic letters.
    ///   - digits: number of decimal digits.
    ///   - otherLetters: number of letters of other scripts.
    ///   - hasUkrainianLetters: whether і ї є ґ occur.
    ///   - hasApostrophe: whether an apostrophe stands between two letters.
    ///   - isASCII: whether the output is pure ASCII.
    public init(
        latinLetters: Int = 0, cyrillicLetters: Int = 0, digits: Int = 0, otherLetters: Int = 0,
        hasUkrainianLetters: Bool = false, hasApostrophe: Bool = false, isASCII: Bool = true
    ) {
        self.latinLetters = latinLetters
        self.cyrillicLetters = cyrillicLetters
        self.digits = digits
        self.otherLetters = otherLetters
        self.hasUkrainianLetters = hasUkrainianLetters
        self.hasApostrophe = hasApostrophe
        self.isASCII = isASCII
    }

    /// Total number of letters of all scripts.
    public var letters: Int { latinLetters + cyrillicLetters + otherLetters }
}
