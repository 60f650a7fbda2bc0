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
//
// CJK bigrams (`cjkBigrams`, on for new configurations): UAX #29 makes every Han ideograph and
// Hiragana character its own segment; adjacent ones (no byte between them) form a run, and a run
// of n ≥ 2 characters is indexed as its n − 1 overlapping bigrams (like Lucene's
// CJKBigramFilter), a run of one as that character. The pending character's normalized bytes
// wait in the scratch's raw memory, so a run allocates nothing.

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
    /// Whether runs of adjacent Chinese and Japanese characters (Han ideographs and Hiragana,
    /// which UAX #29 splits one character per word) are indexed as overlapping bigrams:
    /// `中可能存在` → `中可 可能 能存 存在`, one position each; a character standing alone stays one
    /// term. Katakana and Hangul words are not affected (UAX #29 keeps them whole).
    ///
    /// Default `true` for new configurations. A configuration saved without this option (by a
    /// version of Poisk before it existed) decodes as `false`, so an existing index keeps
    /// analyzing queries exactly as its documents were indexed: one term per character.
    public var cjkBigrams: Bool
    /// A flag: whether a run of CJK bigrams is followed by ``Analyzer/cjkRunGapPositions`` (a
    /// count, 2) unused positions (with ``cjkBigrams``): the next word's position is the run's last bigram's plus 3.
    ///
    /// Two bigrams two positions apart are then always in the same run, so the characters
    /// between them are known: an exact phrase over a long run (a Chinese word in a query is
    /// one) is matched by every other bigram of the run, half the postings to read, with the
    /// same documents and the same scores. Phrases with slop use every bigram. Documents and
    /// queries are analyzed alike, so a phrase spanning the end of a run still matches.
    ///
    /// Default `true` for new configurations. A configuration saved without this option decodes
    /// as `false` (its index has no such gaps), and queries then read every bigram.
    public var cjkRunGap: Bool

    /// Creates a configuration.
    /// - Parameters:
    ///   - stemming: reduce words to stems (default `true`).
    ///   - languages: languages whose stemmers are used (default all).
    ///   - normalization: character normalization options.
    ///   - stopWords: languages whose stop words are dropped (default none).
    ///   - cjkBigrams: index runs of Han and Hiragana characters as overlapping bigrams
    ///     (default `true`).
    ///   - cjkRunGap: leave ``Analyzer/cjkRunGapPositions`` unused positions after each run of bigrams
    ///     (default `true`).
    public init(
        stemming: Bool = true,
        languages: Set<Language> = Set(Language.allCases),
        normalization: NormalizationOptions = .init(),
        stopWords: Set<Language> = [],
        cjkBigrams: Bool = true,
        cjkRunGap: Bool = true
    ) {
        self.stemming = stemming
        self.languages = languages
        self.normalization = normalization
        self.stopWords = stopWords
        self.cjkBigrams = cjkBigrams
        self.cjkRunGap = cjkRunGap
    }

    private enum CodingKeys: String, CodingKey {
        case stemming, languages, normalization, stopWords, cjkBigrams, cjkRunGap
    }

    /// Decodes a configuration. `cjkBigrams` and `cjkRunGap` are optional and default to
    /// `false`: configurations saved before an option existed describe indexes built without it.
    /// - Parameter decoder: the decoder to read from.
    /// - Throws: `DecodingError` when a required key is missing or has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.stemming = try container.decode(Bool.self, forKey: .stemming)
        self.languages = try container.decode(Set<Language>.self, forKey: .languages)
        self.normalization = try container.decode(NormalizationOptions.self, forKey: .normalization)
        self.stopWords = try container.decode(Set<Language>.self, forKey: .stopWords)
        self.cjkBigrams = try container.decodeIfPresent(Bool.self, forKey: .cjkBigrams) ?? false
        self.cjkRunGap = try container.decodeIfPresent(Bool.self, forKey: .cjkRunGap) ?? false
    }

    /// Encodes a configuration, `cjkBigrams` and `cjkRunGap` included (so a saved `true` reads
    /// back as `true`).
    /// - Parameter encoder: the encoder to write to.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stemming, forKey: .stemming)
        // Sets in a fixed order, so the same index is written as the same bytes every run.
        try container.encode(languages.map(\.rawValue).sorted(), forKey: .languages)
        try container.encode(normalization, forKey: .normalization)
        try container.encode(stopWords.map(\.rawValue).sorted(), forKey: .stopWords)
        try container.encode(cjkBigrams, forKey: .cjkBigrams)
        try container.encode(cjkRunGap, forKey: .cjkRunGap)
    }

    /// The default pipeline for text fields: stemming for all languages, ё and diacritics folded,
    /// mixed scripts repaired, no stop words, CJK runs as bigrams.
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
    /// A CJK bigram takes one position, like any word.
    public let position: Int
    /// The UTF-8 byte range of the word in the original text (both characters of a CJK bigram,
    /// so the ranges of a run's bigrams overlap).
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
    public var configuration: AnalyzerConfiguration { parts.configuration }

    /// Terms longer than this many UTF-8 bytes (after normalization) are skipped: they are
    /// almost always base64, hashes or binary junk, and would bloat the term dictionary.
    public static let maxTermBytes = 255

    /// The pipeline's parts, shared by every copy: copying an analyzer is one retain (a query
    /// looks up its fields' analyzers per term).
    final class Parts: Sendable {
        let configuration: AnalyzerConfiguration
        let segmenter: WordSegmenter
        let normalizer: TokenNormalizer
        let english: EnglishStemmer?
        let russian: RussianStemmer?
        let ukrainian: UkrainianStemmer?
        let stopWords: StopWordSet?
        let runGapPositions: Int

        init(_ configuration: AnalyzerConfiguration) {
            self.configuration = configuration
            self.runGapPositions = configuration.cjkBigrams && configuration.cjkRunGap ? Analyzer.cjkRunGapPositions : 0
            self.segmenter = WordSegmenter(tailoredForSearch: true)
            self.normalizer = TokenNormalizer(options: configuration.normalization)
            let stem = configuration.stemming
            self.english = stem && configuration.languages.contains(.english) ? EnglishStemmer() : nil
            self.russian = stem && configuration.languages.contains(.russian) ? RussianStemmer() : nil
            self.ukrainian = stem && configuration.languages.contains(.ukrainian) ? UkrainianStemmer() : nil
            self.stopWords = configuration.stopWords.isEmpty ? nil : StopWordSet(configuration.stopWords)
        }
    }

    let parts: Parts
    /// The same for every copy of this analyzer (and only for those): lets a caller that
    /// analyzes one text for several fields reuse the tokens when the fields share an analyzer.
    package var identity: ObjectIdentifier { ObjectIdentifier(parts) }
    var segmenter: WordSegmenter { parts.segmenter }
    var normalizer: TokenNormalizer { parts.normalizer }
    var english: EnglishStemmer? { parts.english }
    var russian: RussianStemmer? { parts.russian }
    var ukrainian: UkrainianStemmer? { parts.ukrainian }
    var stopWords: StopWordSet? { parts.stopWords }
    var cjkBigrams: Bool { parts.configuration.cjkBigrams }
    /// How many positions are left unused after a run of CJK bigrams when the configuration's
    /// flag ``AnalyzerConfiguration/cjkRunGap`` is on: 2, the most by which two bigrams of one
    /// run can be apart and still cover every character between them.
    public static let cjkRunGapPositions = 2
    /// How many positions this analyzer leaves after a run of CJK bigrams:
    /// ``cjkRunGapPositions`` when the configuration has both `cjkBigrams` and `cjkRunGap`, else 0.
    package var runGapPositions: Int { parts.runGapPositions }

    /// Creates an analyzer.
    /// - Parameter configuration: the pipeline's options; `.standard` by default.
    public init(_ configuration: AnalyzerConfiguration = .standard) {
        self.parts = Parts(configuration)
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

    /// Analyzes UTF-8 text reusing `scratch`'s buffers across calls (the indexing path: one
    /// scratch per thread, reused for every document).
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
            try analyzeWords(text, s, memo: { _, _ in false }) { token, _ in try body(token) }
        }
    }

    /// Analyzes UTF-8 text like ``analyze(utf8:scratch:_:)``, but first offers each word whose
    /// term depends on its own bytes alone (every word outside a CJK run) to `memo`: the indexing
    /// path remembers the term each distinct word produced, so a repeated word skips
    /// normalization and stemming.
    /// - Parameters:
    ///   - text: the UTF-8 bytes of one field value.
    ///   - scratch: work space; pass the same one to later calls with this analyzer.
    ///   - memo: called with a word's original bytes and its position; returns `true` when it
    ///     handled the word (the word then takes its position and `body` is not called for it).
    ///   - body: called for every other token, with whether the token's term is a function of the
    ///     bytes of `text[token.range]` alone (so it may be remembered for that word).
    ///   An error thrown by either callback stops the analysis and is rethrown (a reader that
    ///   needs only the first few tokens stops early).
    /// - Complexity: O(n) in the length of `text`.
    @inline(__always)
    package func analyze(
        utf8 text: UnsafeRawBufferPointer, scratch: inout AnalysisScratch,
        memo: (_ word: UnsafeRawBufferPointer, _ position: Int) throws -> Bool,
        _ body: (_ token: Token, _ memoizable: Bool) throws -> Void
    ) rethrows {
        try withUnsafeMutablePointer(to: &scratch) { s in
            try analyzeWords(text, s, memo: memo, body)
        }
    }

    @inline(__always)
    private func analyzeWords(
        _ text: UnsafeRawBufferPointer, _ s: UnsafeMutablePointer<AnalysisScratch>,
        memo: (UnsafeRawBufferPointer, Int) throws -> Bool, _ body: (Token, Bool) throws -> Void
    ) rethrows {
        // `position` lives in the scratch, not in a captured local (a mutable capture is boxed
        // and access-checked on every use).
        s.pointee.position = 0
        s.pointee.cjkPendingCount = 0
        s.pointee.cjkRunHasBigram = false
        try segmenter.forEachWord(in: text) { range in
            let word = UnsafeRawBufferPointer(rebasing: text[range])
            if cjkBigrams {
                // One compare for ASCII, Latin and Cyrillic words (their first byte is below 0xE3).
                if word[0] >= 0xE3, let cp = Analyzer.cjkScalar(word) {
                    try cjkCharacter(word, cp, range, s) { try body($0, false) }
                    return
                }
                if s.pointee.cjkPendingCount != 0 { try endCJKRun(s) { try body($0, false) } }
            }
            let position = s.pointee.position
            defer { s.pointee.position = position + 1 }
            if try memo(word, position) { return }
            // Fast path: ASCII / basic Cyrillic words normalized in raw scratch memory.
            if word.count <= FastBuffer.capacity {
                let base = s.pointee.fast.pointer
                if let (count, script) = normalizer.normalizeFast(word, into: base) {
                    var length = stripPossessive(base, count: count)
                    if length == 0 || length > Analyzer.maxTermBytes { return }
                    if let stopWords, stopWords.contains(UnsafeRawBufferPointer(start: base, count: length)) { return }
                    length = stem(base, count: length, script: script)
                    try body(
                        Token(term: UnsafeRawBufferPointer(start: base, count: length), position: position, range: range),
                        true)
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
                try body(
                    Token(term: UnsafeRawBufferPointer(start: base, count: length), position: position, range: range),
                    true)
            }
        }
        if s.pointee.cjkPendingCount != 0 { try endCJKRun(s) { try body($0, false) } }
    }

    // MARK: - CJK bigrams

    /// The scalar starting `word` when it is a Han ideograph or a Hiragana letter (a segment
    /// UAX #29 makes of one character), else nil. Decodes only lead bytes 0xE3–0xE9, 0xEF
    /// and 0xF0; the caller has checked `word[0] >= 0xE3`.
    @inline(__always)
    static func cjkScalar(_ word: UnsafeRawBufferPointer) -> UInt32? {
        let n = word.count
        let b0 = word[0]
        if b0 < 0xF0 {
            guard n >= 3 else { return nil }
            let b1 = word[1]
            let b2 = word[2]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return nil }
            let cp = UInt32(b0 & 0x0F) &<< 12 | UInt32(b1 & 0x3F) &<< 6 | UInt32(b2 & 0x3F)
            guard isCJKCharacter(cp) else { return nil }
            // 々 and 〻 are ALetter in UAX #29, so they can share a segment with letters and
            // digits (`々word`): only the mark alone is a CJK character.
            if (cp == 0x3005 || cp == 0x303B) && n != 3 { return nil }
            return cp
        }
        guard b0 == 0xF0, n >= 4 else { return nil }
        let b1 = word[1]
        let b2 = word[2]
        let b3 = word[3]
        guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return nil }
        let cp = UInt32(b1 & 0x3F) &<< 12 | UInt32(b2 & 0x3F) &<< 6 | UInt32(b3 & 0x3F)
        return isCJKCharacter(cp) ? cp : nil
    }

    /// Whether `cp` is a character that CJK bigrams join: a Han ideograph (Script=Han letters and
    /// numerals: the unified ideographs, extension A, the compatibility ideographs, planes 2 and 3
    /// (extensions B–H and the compatibility supplement), 々 〇 〡–〩 〸–〻) or a Hiragana letter
    /// (ぁ–ゖ, ゝ ゞ ゟ, and the Hiragana of the Kana Supplement and Small Kana Extension).
    /// All of them but 々 and 〻 (ALetter) have Word_Break Other, so UAX #29 makes each one its
    /// own segment (with any attached marks).
    @inline(__always)
    static func isCJKCharacter(_ cp: UInt32) -> Bool {
        if cp < 0x10000 {
            if cp &- 0x4E00 <= 0x9FFF - 0x4E00 { return true }  // CJK Unified Ideographs
            if cp &- 0x3400 <= 0x4DBF - 0x3400 { return true }  // Extension A
            if cp &- 0x3041 <= 0x3096 - 0x3041 || cp &- 0x309D <= 0x309F - 0x309D { return true }  // Hiragana
            if cp &- 0xF900 <= 0xFAFF - 0xF900 { return true }  // Compatibility Ideographs
            return cp == 0x3005 || cp == 0x3007 || cp &- 0x3021 <= 0x3029 - 0x3021 || cp &- 0x3038 <= 0x303B - 0x3038
        }
        if cp &- 0x20000 <= 0x3FFFF - 0x20000 { return true }  // planes 2 and 3: ideographs only
        // Hiragana in the Kana Supplement / Extended-A and the Small Kana Extension.
        return cp &- 0x1B001 <= 0x1B11F - 0x1B001 || cp == 0x1B132 || cp &- 0x1B150 <= 0x1B152 - 0x1B150
    }

    /// Whether the normalizer leaves `cp` alone when it is a segment by itself (no case, no
    /// decomposition that does not compose back): the unified ideographs, extension A and the
    /// Hiragana letters. Such a character's bytes are its normalized form.
    @inline(__always)
    static func normalizesToItself(_ cp: UInt32) -> Bool {
        cp &- 0x4E00 <= 0x9FFF - 0x4E00 || cp &- 0x3400 <= 0x4DBF - 0x3400 || cp &- 0x3041 <= 0x3096 - 0x3041
    }

    /// One CJK character segment: normalizes it (the segment's own bytes in the common case, else
    /// the normalizer's output: compatibility ideographs, attached marks, variation selectors) and
    /// adds it to the run.
    @inline(never)
    private func cjkCharacter(
        _ word: UnsafeRawBufferPointer, _ cp: UInt32, _ range: Range<Int>, _ s: UnsafeMutablePointer<AnalysisScratch>,
        _ body: (Token) throws -> Void
    ) rethrows {
        if word.count == 3 && Analyzer.normalizesToItself(cp) {
            try addToCJKRun(word, range, s, body)
            return
        }
        _ = normalizer.normalize(word, into: &s.pointee.buffer)
        let count = s.pointee.buffer.count
        if count == 0 || count > Analyzer.maxTermBytes {
            // Nothing to index (or over-long): ends the run and leaves a gap, like any skipped word.
            if s.pointee.cjkPendingCount != 0 { try endCJKRun(s, body) }
            s.pointee.position += 1
            return
        }
        try s.pointee.buffer.withUnsafeBytes { try addToCJKRun($0, range, s, body) }
    }

    /// Adds a character (its normalized bytes `character`, 1…`maxTermBytes` of them) to the open
    /// run, emitting the bigram with the pending character at the next position, or ends the run
    /// and opens a new one. The character becomes the pending one.
    @inline(__always)
    private func addToCJKRun(
        _ character: UnsafeRawBufferPointer, _ range: Range<Int>, _ s: UnsafeMutablePointer<AnalysisScratch>,
        _ body: (Token) throws -> Void
    ) rethrows {
        guard let source = character.baseAddress else { return }
        let count = character.count
        let fast = s.pointee.fast
        let pendingCount = s.pointee.cjkPendingCount
        if pendingCount != 0 && s.pointee.cjkPendingEnd == range.lowerBound {
            let position = s.pointee.position
            s.pointee.position = position + 1
            s.pointee.cjkRunHasBigram = true
            let length = pendingCount + count
            // An over-long bigram (only with many attached marks) is skipped but keeps its position.
            if length <= Analyzer.maxTermBytes {
                let out = fast.pointer
                out.update(from: fast.pending, count: pendingCount)
                UnsafeMutableRawPointer(out + pendingCount).copyMemory(from: source, byteCount: count)
                try body(
                    Token(
                        term: UnsafeRawBufferPointer(start: out, count: length), position: position,
                        range: s.pointee.cjkPendingStart..<range.upperBound))
            }
        } else {
            if pendingCount != 0 { try endCJKRun(s, body) }
            s.pointee.cjkRunHasBigram = false
        }
        UnsafeMutableRawPointer(fast.pending).copyMemory(from: source, byteCount: count)
        s.pointee.cjkPendingCount = count
        s.pointee.cjkPendingStart = range.lowerBound
        s.pointee.cjkPendingEnd = range.upperBound
    }

    /// Closes the open CJK run: a run of one character is emitted as that character (a longer
    /// run has emitted its bigrams already, and is followed by `runGapPositions` unused positions).
    @inline(never)
    private func endCJKRun(_ s: UnsafeMutablePointer<AnalysisScratch>, _ body: (Token) throws -> Void) rethrows {
        let count = s.pointee.cjkPendingCount
        s.pointee.cjkPendingCount = 0
        if s.pointee.cjkRunHasBigram {
            s.pointee.cjkRunHasBigram = false
            s.pointee.position += runGapPositions
            return
        }
        let position = s.pointee.position
        s.pointee.position = position + 1
        try body(
            Token(
                term: UnsafeRawBufferPointer(start: s.pointee.fast.pending, count: count), position: position,
                range: s.pointee.cjkPendingStart..<s.pointee.cjkPendingEnd))
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
