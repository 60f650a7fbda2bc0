// The analyzer: the whole text → terms pipeline, as one value.
//
// For: turning a field's text into the terms the index stores and the query matches, with
// positions and byte ranges (for phrases and highlighting). The same configuration is saved with
// an index, so queries are always analyzed exactly as the documents were.
// Not for: deciding what to index (that is the schema's job) or scoring.
//
// Pipeline per word: UAX #29 segmentation (search tailoring) → keep segments with a letter or
// digit → TokenNormalizer (case folding, composition, ё, stress marks, apostrophes, diacritics,
// mixed-script repair) → possessive removal → stop words (optional) → per-token language
// dispatch to a stemmer (Cyrillic → Russian or Ukrainian, Latin → English, letters mixed with
// digits → not stemmed).

/// A language the analyzer can stem or filter stop words for.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    /// English: Snowball English (Porter2) stemmer, English stop words.
    case english
    /// Russian: Snowball Russian stemmer, Russian stop words.
    case russian
    /// Ukrainian: Poisk's light Ukrainian stemmer, Ukrainian stop words.
    case ukrainian
}

/// The options of an analysis pipeline. Saved with an index, per field.
public struct AnalyzerConfiguration: Sendable, Hashable, Codable {
    /// Whether words are reduced to their stems. Default `true`.
    public var stemming: Bool
    /// The languages whose stemmers may be used. A word whose language is not in the set is
    /// indexed unstemmed. Default: English, Russian and Ukrainian.
    public var languages: Set<Language>
    /// Character-level normalization options (ё folding, diacritic folding, mixed-script repair).
    public var normalization: NormalizationOptions
    /// The languages whose stop-word lists are applied. Default: none (stop words are indexed;
    /// BM25's idf already gives them little weight, and phrases keep working).
    public var stopWords: Set<Language>

    /// Creates a configuration.
    /// - Parameters:
    ///   - stemming: reduce words to stems (default `true`).
    ///   - languages: languages whose stemmers are used (default all).
    ///   - normalization: character normalization options.
    ///   - stopWords: languages whose stop words are dropped (default none).
    public init(
        stemming: Bool = true,
        languages: Set<Language> = Set(Language.allCases),
        normalization: NormalizationOptions = .init(),
        stopWords: Set<Language> = []
    ) {
        self.stemming = stemming
        self.languages = languages
        self.normalization = normalization
        self.stopWords = stopWords
    }

    /// The default pipeline for text fields: stemming for all languages, ё and diacritics folded,
    /// mixed scripts repaired, no stop words.
    public static let standard = AnalyzerConfiguration()

    /// Normalization only, no stemming: exact-word matching with case and Unicode folding.
    public static let unstemmed = AnalyzerConfiguration(stemming: false)
}

/// One token produced by the analyzer. Its `term` bytes are valid only inside the callback
/// that receives the token.
public struct Token {
    /// The indexed term, as UTF-8 bytes (normalized and possibly stemmed).
    public let term: UnsafeRawBufferPointer
    /// The word's position in the field: 0, 1, 2, … (stop words and over-long words leave gaps).
    public let position: Int
    /// The UTF-8 byte range of the word in the original text.
    public let range: Range<Int>

    /// The term as a `String` (allocates; for tools and tests, not hot paths).
    public var termString: String { String(decoding: term, as: UTF8.self) }
}

/// A token copied out of the analyzer's buffers, for tools and tests.
public struct AnalyzedToken: Sendable, Hashable, Codable {
    /// The word's position in the field.
    public var position: Int
    /// The word as it appears in the text.
    public var text: String
    /// UTF-8 byte offset of the word's first byte in the text.
    public var start: Int
    /// UTF-8 byte offset one past the word's last byte.
    public var end: Int
    /// The indexed term.
    public var term: String
}

/// A text analysis pipeline: segmentation, normalization, stop words and stemming.
///
/// `Analyzer` is a small immutable value; it is safe to share between threads.
///
/// ```swift
/// let analyzer = Analyzer()
/// analyzer.terms(of: "Ракеты Patriot’s")   // ["ракет", "patriot"]
/// ```
public struct Analyzer: Sendable {
    /// The configuration this analyzer was built from.
    public let configuration: AnalyzerConfiguration

    /// Terms longer than this many UTF-8 bytes (after normalization) are skipped: they are
    /// almost always base64, hashes or binary junk, and would bloat the term dictionary.
    public static let maxTermBytes = 255

    let segmenter: WordSegmenter
    let normalizer: TokenNormalizer
    let english: EnglishStemmer?
    let russian: RussianStemmer?
    let ukrainian: UkrainianStemmer?
    let stopWords: StopWordSet?

    /// Creates an analyzer.
    /// - Parameter configuration: the pipeline's options; `.standard` by default.
    public init(_ configuration: AnalyzerConfiguration = .standard) {
        self.configuration = configuration
        self.segmenter = WordSegmenter(tailoredForSearch: true)
        self.normalizer = TokenNormalizer(options: configuration.normalization)
        let stem = configuration.stemming
        self.english = stem && configuration.languages.contains(.english) ? EnglishStemmer() : nil
        self.russian = stem && configuration.languages.contains(.russian) ? RussianStemmer() : nil
        self.ukrainian = stem && configuration.languages.contains(.ukrainian) ? UkrainianStemmer() : nil
        self.stopWords = configuration.stopWords.isEmpty ? nil : StopWordSet(configuration.stopWords)
    }

    /// Analyzes UTF-8 text and calls `body` with each token in order.
    ///
    /// Invalid UTF-8 is read as U+FFFD and never traps.
    /// - Parameters:
    ///   - text: the UTF-8 bytes of one field value.
    ///   - body: called once per token; the token's `term` is valid only during the call.
    /// - Complexity: O(n) in the length of `text`; no allocation per token.
    public func analyze(utf8 text: UnsafeRawBufferPointer, _ body: (Token) throws -> Void) rethrows {
        var scratch = AnalysisScratch()
        try analyze(utf8: text, scratch: &scratch, body)
    }

    /// Analyzes UTF-8 text reusing `scratch`'s buffers and stem cache across calls (the
    /// indexing path: one scratch per thread, reused for every document).
    /// - Parameters:
    ///   - text: the UTF-8 bytes of one field value.
    ///   - scratch: work space; pass the same one to later calls with this analyzer.
    ///   - body: called once per token; the token's `term` is valid only during the call.
    /// - Complexity: O(n) in the length of `text`; no allocation per token in steady state.
    public func analyze(
        utf8 text: UnsafeRawBufferPointer, scratch: inout AnalysisScratch, _ body: (Token) throws -> Void
    ) rethrows {
        // Work through a pointer to the scratch: an `inout` captured by the segmenter's closure
        // would pay a dynamic exclusivity check (and retains) on every access, per token.
        try withUnsafeMutablePointer(to: &scratch) { s in
            try analyzeWords(text, s, body)
        }
    }

    @inline(__always)
    private func analyzeWords(
        _ text: UnsafeRawBufferPointer, _ s: UnsafeMutablePointer<AnalysisScratch>, _ body: (Token) throws -> Void
    ) rethrows {
        // `position` lives in the scratch, not in a captured local (a mutable capture is boxed
        // and access-checked on every use).
        s.pointee.position = 0
        try segmenter.forEachWord(in: text) { range in
            let position = s.pointee.position
            defer { s.pointee.position = position + 1 }
            let word = UnsafeRawBufferPointer(rebasing: text[range])
            // Fast path: ASCII / basic Cyrillic words normalized in raw scratch memory.
            if word.count <= FastBuffer.capacity {
                let base = s.pointee.fast.pointer
                if let (count, script) = normalizer.normalizeFast(word, into: base) {
                    var length = stripPossessive(base, count: count)
                    if length == 0 || length > Analyzer.maxTermBytes { return }
                    if let stopWords, stopWords.contains(UnsafeRawBufferPointer(start: base, count: length)) { return }
                    length = stem(base, count: length, script: script)
                    try body(Token(term: UnsafeRawBufferPointer(start: base, count: length), position: position, range: range))
                    return
                }
            }
            let script = normalizer.normalize(word, into: &s.pointee.buffer)
            try s.pointee.buffer.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                var length = stripPossessive(base, count: buffer.count)
                if length == 0 || length > Analyzer.maxTermBytes { return }
                if let stopWords, stopWords.contains(UnsafeRawBufferPointer(start: base, count: length)) { return }
                length = stem(base, count: length, script: script)
                try body(Token(term: UnsafeRawBufferPointer(start: base, count: length), position: position, range: range))
            }
        }
    }

    /// Analyzes a string and calls `body` with each token in order.
    /// - Complexity: O(n); see ``analyze(utf8:_:)``.
    public func analyze(_ text: String, _ body: (Token) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { try analyze(utf8: UnsafeRawBufferPointer($0), body) }
    }

    /// Analyzes a string reusing `scratch` (see ``analyze(utf8:scratch:_:)``).
    public func analyze(_ text: String, scratch: inout AnalysisScratch, _ body: (Token) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { try analyze(utf8: UnsafeRawBufferPointer($0), scratch: &scratch, body) }
    }

    /// The terms of `text`, in order (allocates; for tools, tests and query parsing).
    public func terms(of text: String) -> [String] {
        var result: [String] = []
        analyze(text) { result.append($0.termString) }
        return result
    }

    /// The tokens of `text` with positions, original text, byte offsets and terms.
    public func tokens(of text: String) -> [AnalyzedToken] {
        var result: [AnalyzedToken] = []
        var copy = text
        copy.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            analyze(utf8: raw) { token in
                let original = String(decoding: UnsafeRawBufferPointer(rebasing: raw[token.range]), as: UTF8.self)
                result.append(
                    AnalyzedToken(
                        position: token.position, text: original, start: token.range.lowerBound,
                        end: token.range.upperBound, term: token.termString))
            }
        }
        return result
    }

    /// Removes an English possessive `'s` or a trailing apostrophe (`Trump's` → `trump`,
    /// `students'` → `students`). Returns the new length.
    @inline(__always)
    func stripPossessive(_ base: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var n = count
        if n >= 3 && base[n - 1] == UInt8(ascii: "s") && base[n - 2] == UInt8(ascii: "'") { n -= 2 }
        while n > 0 && base[n - 1] == UInt8(ascii: "'") { n -= 1 }
        return n
    }

    /// Per-token language dispatch. Returns the stemmed length.
    @inline(__always)
    func stem(_ base: UnsafeMutablePointer<UInt8>, count: Int, script: WordScript) -> Int {
        if script.digits > 0 { return count }  // letters mixed with digits (155mm) or numbers
        if script.cyrillicLetters > 0 && script.latinLetters == 0 && script.otherLetters == 0 {
            if script.hasUkrainianLetters || script.hasApostrophe {
                return ukrainian?.stem(base, count: count) ?? count
            }
            return russian?.stem(base, count: count) ?? count
        }
        if script.latinLetters > 0 && script.cyrillicLetters == 0 && script.otherLetters == 0 {
            return english?.stem(base, count: count) ?? count
        }
        return count
    }
}
