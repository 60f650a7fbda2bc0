// The options of token normalization (ё, diacritics, mixed-script repair), saved with an index.
//
// For: TokenNormalizer and AnalyzerConfiguration. Not for: normalizing (TokenNormalizer).

/// Options controlling `TokenNormalizer`.
///
/// The defaults are what the search analyzer uses for both indexing and querying; the same options
/// must be used on both sides.
public struct NormalizationOptions: Sendable, Hashable, Codable {
    /// Fold `ё` to `е` (and `Ё` to `е`). Default `true`.
    public var foldYo: Bool
    /// Fold Latin diacritics (`café` → `cafe`, `Ł` → `l`, `æ` → `ae`, `İ` → `i`) and drop combining
    /// marks left on Cyrillic letters. Default `true`.
    public var foldDiacritics: Bool
    /// Rewrite look-alike letters of the minority script in words mixing Latin and Cyrillic. Default `true`.
    public var repairMixedScripts: Bool

    /// Creates normalization options.
    /// - Parameters:
    ///   - foldYo: fold `ё` to `е`.
    ///   - foldDiacritics: fold Latin diacritics and stray marks on Cyrillic letters.
    ///   - repairMixedScripts: repair words that mix Latin and Cyrillic letters.
    public init(foldYo: Bool = true, foldDiacritics: Bool = true, repairMixedScripts: Bool = true) {
        self.foldYo = foldYo
        self.foldDiacritics = foldDiacritics
        self.repairMixedScripts = repairMixedScripts
    }
}
