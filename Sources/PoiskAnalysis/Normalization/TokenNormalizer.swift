// TokenNormalizer.swift
//
// What it is for: normalizing ONE word segment (the UTF-8 bytes of a token produced by the
// word segmenter) into the canonical form that is indexed and searched: ignorable characters
// removed, compatibility-mapped and fully case-folded, canonically composed, Russian stress
// marks and (optionally) ё and Latin diacritics folded, apostrophes unified, and mixed
// Latin/Cyrillic keyboard/homoglyph slips repaired. It also reports what the word is made of
// (`WordScript`) so the analyzer can pick a stemmer.
//
// What it is not for: splitting text into words (the segmenter does that), stemming, stop
// words, or full Unicode NFC/NFKC conformance (Hangul syllables are left composed, and only
// canonical ordering + pairwise composition is performed). The data comes from the generated
// `NormalizationTables.swift`; regenerate it with `Scripts/gen-normalization-tables.py`.
//
// Pipeline per word (the order matters for idempotence):
//  1. Fast path: if the bytes are ASCII, or ASCII plus basic Cyrillic (U+0400–U+045F, Ґ/ґ) plus a few
//     known 2–3-byte extras (soft hyphen, zero-width characters, apostrophe variants, stress marks after
//     a Cyrillic vowel), the word is lowercased arithmetically without any table lookup.
//  2. Otherwise, each scalar is replaced by its precomputed folded form (apostrophe variants → ',
//     soft hyphen / zero-width characters → nothing, NFKD + full case folding to a fixed point; with
//     `foldDiacritics` the Latin-diacritic-folded variant). Scalars are grouped into clusters
//     (a starter and its combining marks); each cluster is canonically ordered, stress marks
//     (U+0301, U+0300) after a Cyrillic vowel are dropped, marks after a Latin letter are dropped when
//     folding diacritics, the rest is canonically composed (и+◌̆ → й, е+◌̈ → ё, e+◌́ → é …), ё → е when
//     `foldYo`, and with `foldDiacritics` marks still left on a Cyrillic letter are dropped. Precomposed
//     Cyrillic letters (й ё ї ў ѓ ќ ӓ …) are letters and are never reduced to their bases (except ё → е
//     with `foldYo`, and the stressed ѐ → е, ѝ → и).
//  3. Mixed-script repair (see `TokenNormalizer` for the look-alike tables).
//
// Files: TokenNormalizer (the public API and the general path), TokenNormalizer+FastPath (ASCII
// and basic Cyrillic without tables), TokenNormalizer+MixedScripts (look-alike repair),
// NormalizationOptions, WordScript, NormalizerClusterBuilder (ordering and composing one cluster),
// NormalizerSWAR, NormalizerUTF8, NormalizationData (the decoded tables and their property bits).

/// Normalizes word segments for indexing and search.
///
/// Steps (see the file header for the exact order): deletion of soft hyphen and zero-width
/// characters; compatibility mapping and full case folding; canonical composition; Cyrillic stress
/// mark removal and optional ё → е; apostrophe unification (’ ‘ ʼ ` ´ ′ → '); optional Latin
/// diacritic folding; optional mixed-script repair.
///
/// **Mixed-script repair.** When a word contains both Latin and Cyrillic letters:
/// * if Cyrillic letters are the strict majority, Latin letters with a convincing Cyrillic look-alike
///   are rewritten: a→а b→в c→с e→е h→н i→і k→к m→м o→о p→р t→т x→х y→у (b, h, m, t look alike in
///   upper case, which is what a slip usually is). Other Latin letters stay.
/// * otherwise (Latin majority or a tie) Cyrillic letters become Latin: look-alikes first
///   (а→a в→b е→e ё→e к→k м→m н→h о→o р→p с→c т→t у→y х→x і→i ї→i ј→j ѕ→s ԁ→d ԛ→q ԝ→w һ→h ӏ→l),
///   otherwise a one-letter transliteration (б→b г→g ґ→g д→d ж→z з→z и→i й→j л→l п→p ф→f ц→c ч→c
///   ш→s щ→s ы→y э→e є→e ю→u я→a ђ→d ѓ→g љ→l њ→n ћ→c ќ→k ў→u џ→d). ъ and ь have no Latin
///   counterpart and stay.
/// * a letter directly followed by a combining mark is left alone (rewriting it could change how the
///   mark composes and break idempotence).
///
/// `TokenNormalizer` is a small immutable value; share one per analyzer. It is idempotent:
/// normalizing an output again returns it unchanged.
public struct TokenNormalizer: Sendable {
    /// The options this normalizer applies.
    public let options: NormalizationOptions
    let data: NormalizationData

    /// Creates a normalizer.
    /// - Parameter options: the normalization options (defaults: fold ё, fold diacritics, repair mixed scripts).
    /// - Complexity: the first normalizer created in a process decodes the generated tables (≈100 KB, well under a millisecond).
    public init(options: NormalizationOptions = .init()) {
        self.options = options
        self.data = NormalizationData.shared
    }

    /// Normalizes one word segment.
    ///
    /// - Parameters:
    ///   - input: the segment's UTF-8 bytes. Invalid UTF-8 is tolerated: each maximal invalid
    ///     subsequence becomes U+FFFD.
    ///   - output: receives the normalized UTF-8 bytes. It is cleared first and its capacity is
    ///     reused, so in steady state no allocation happens.
    /// - Returns: the script summary of the normalized word.
    /// - Complexity: O(n) in the input length. ASCII and basic-Cyrillic words take a table-free fast path.
    public func normalize(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> WordScript {
        let n = input.count
        guard n > 0, let base = input.baseAddress else {
            output.removeAll(keepingCapacity: true)
            return WordScript()
        }
        let src = base.assumingMemoryBound(to: UInt8.self)
        if let fast = fastPath(src, n, &output) {
            if fast.cyrillicLetters == 0 || fast.latinLetters == 0 || !options.repairMixedScripts { return fast }
            return repaired(&output, fast)
        }
        output.removeAll(keepingCapacity: true)
        let script = generalPath(src, n, &output)
        if script.cyrillicLetters == 0 || script.latinLetters == 0 || !options.repairMixedScripts { return script }
        return repaired(&output, script)
    }

    /// Runs mixed-script repair (kept out of line so the common return path stays in registers).
    @inline(never)
    func repaired(_ output: inout [UInt8], _ script: WordScript) -> WordScript {
        var s = script
        repairMixedScripts(&output, &s)
        return s
    }

    /// Normalizes a word given as a `String` (a convenience for tests and tools; allocates).
    /// - Parameter word: the word segment.
    /// - Returns: the normalized word.
    public func normalize(_ word: String) -> String {
        var copy = word
        var out: [UInt8] = []
        _ = copy.withUTF8 { normalize(UnsafeRawBufferPointer($0), into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Normalizes a word given as a `String` and also returns its script summary (allocates).
    /// - Parameter word: the word segment.
    /// - Returns: the normalized word and its summary.
    public func normalizeWithScript(_ word: String) -> (word: String, script: WordScript) {
        var copy = word
        var out: [UInt8] = []
        let script = copy.withUTF8 { normalize(UnsafeRawBufferPointer($0), into: &out) }
        return (String(decoding: out, as: UTF8.self), script)
    }

    // MARK: - Fast path (ASCII + basic Cyrillic)

    /// Decodes, folds, composes and emits a word that the fast path could not handle.
    func generalPath(_ src: UnsafePointer<UInt8>, _ n: Int, _ output: inout [UInt8]) -> WordScript {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: NormalizerClusterBuilder.markCapacity) { marks in
            var builder = NormalizerClusterBuilder(data: data, options: options, marks: marks)
            swap(&builder.out, &output)
            let fold = data.fold
            var i = 0
            while i < n {
                let (scalar, length) = NormalizerUTF8.decode(src, i, n)
                i &+= length
                let pr = data.properties(scalar)
                if pr & NormalizerProps.hasFold == 0 {
                    builder.feed(scalar, pr)
                    continue
                }
                var off = Int(pr >> 16)
                var len = Int(fold[off])
                off &+= 1
                if options.foldDiacritics && pr & NormalizerProps.hasDiacriticFold != 0 {
                    off &+= len
                    len = Int(fold[off])
                    off &+= 1
                }
                let end = off &+ len
                while off < end {
                    let (s, l) = NormalizerUTF8.decode(fold, off, end)
                    off &+= l
                    builder.feed(s, data.properties(s))
                }
            }
            builder.finish()
            swap(&builder.out, &output)
            return builder.script
        }
    }

    // MARK: - Mixed-script repair
}
