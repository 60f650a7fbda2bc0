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

    /// Bit i set ⇔ U+0430+i is a Cyrillic vowel (а е и о у ы э ю я ё є і ї).
    static var cyrillicVowelMask: UInt64 { 0xD2_E808_4121 }

    /// Tries the table-free path. Copies the input into `output`, rewrites it in place (the fast path
    /// never grows a word) and returns the summary, or returns `nil` if the word needs the general path.
    @inline(__always)
    func fastPath(_ src: UnsafePointer<UInt8>, _ n: Int, _ output: inout [UInt8]) -> WordScript? {
        // Clear the output and copy the input into it (capacity is reused; removeAll + append of a
        // buffer pointer is a plain memcpy, where replaceSubrange took a generic path).
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: UnsafeBufferPointer(start: src, count: n))
        let result: (Int, WordScript)? = output.withUnsafeMutableBufferPointer { buf -> (Int, WordScript)? in
            guard let p = buf.baseAddress else { return nil }
            return fastKernel(p, n)
        }
        guard let (count, script) = result else { return nil }
        if count < n { output.removeLast(n - count) }
        return script
    }

    /// The fast path on raw memory, for the analyzer's hot loop: copies `input` to `dst` (which
    /// must hold `input.count` bytes) and normalizes it there. Returns the normalized length and
    /// summary, or nil when the word needs the general path or mixed-script repair (then call
    /// ``normalize(_:into:)``).
    @inline(__always)
    package func normalizeFast(_ input: UnsafeRawBufferPointer, into dst: UnsafeMutablePointer<UInt8>) -> (Int, WordScript)? {
        let n = input.count
        guard n > 0, let base = input.baseAddress else { return nil }
        UnsafeMutableRawPointer(dst).copyMemory(from: base, byteCount: n)
        guard let (count, script) = fastKernel(dst, n) else { return nil }
        if script.cyrillicLetters > 0 && script.latinLetters > 0 && options.repairMixedScripts { return nil }
        return (count, script)
    }

    /// Normalizes `p[0..<n]` in place (ASCII and basic Cyrillic only; never grows the word).
    @inline(__always)
    func fastKernel(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> (Int, WordScript)? {
        let foldYo = options.foldYo
        do {
            var latin = 0
            var cyr = 0
            var digits = 0
            var sawApostrophe = false
            var i = 0
            // Tight ASCII loop first, eight bytes at a time: most words never leave it.
            let raw = UnsafeMutableRawPointer(p)
            while i &+ 8 <= n {
                var x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if x & NormalizerSWAR.high != 0 { break }
                if NormalizerSWAR.lowerASCII(&x, &latin, &digits) { sawApostrophe = true }
                raw.storeBytes(of: x, toByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            if i < n && n &- i < 8 {
                // Tail (or a whole short word) of k < 8 bytes: two overlapping loads gather it into one
                // word (overlapping lanes hold the same byte, so OR-ing them is exact); stores mirror them.
                let k = n &- i
                var x = NormalizerSWAR.gather(raw, i, k)
                if x & NormalizerSWAR.high == 0 {
                    if NormalizerSWAR.lowerASCII(&x, &latin, &digits) { sawApostrophe = true }
                    NormalizerSWAR.scatter(raw, i, k, x)
                    i = n
                }
            }
            if i == n {
                var s = WordScript(latinLetters: latin, digits: digits)
                if sawApostrophe && latin > 1 { s.hasApostrophe = TokenNormalizer.fastOutputHasApostrophe(UnsafePointer(p), n) }
                return (n, s)
            }
            // Mixed ASCII / Cyrillic loop, writing at w <= i. `prev` is the last scalar written
            // (skipped ignorables leave it unchanged), needed only to recognize stress marks.
            var w = i
            var ukr = false
            var prev: UInt32 = i > 0 ? UInt32(p[i &- 1]) : 0
            while i < n {
                let b = p[i]
                if b < 0x80 {
                    var c = b
                    if c &- 0x41 < 26 {
                        c |= 0x20
                        latin &+= 1
                    } else if c &- 0x61 < 26 {
                        latin &+= 1
                    } else if c &- 0x30 < 10 {
                        digits &+= 1
                    } else if c == 0x60 {
                        c = 0x27
                        sawApostrophe = true
                    } else if c == 0x27 {
                        sawApostrophe = true
                    }
                    p[w] = c
                    w &+= 1
                    i &+= 1
                    prev = UInt32(c)
                    continue
                }
                guard i &+ 1 < n else { return nil }
                let b1 = p[i &+ 1]
                if b &- 0xD0 < 2 && b1 & 0xC0 == 0x80 {
                    // U+0400…U+047F; lowercase arithmetically.
                    var s = (UInt32(b & 0x1F) << 6) | UInt32(b1 & 0x3F)
                    if s < 0x430 {
                        s &+= s < 0x410 ? 0x50 : 0x20
                    } else if s >= 0x460 {
                        return nil
                    }
                    if s >= 0x450 {
                        switch s {
                        case 0x450: s = 0x435  // ѐ (stressed е)
                        case 0x45D: s = 0x438  // ѝ (stressed и)
                        case 0x451: if foldYo { s = 0x435 }  // ё
                        case 0x454, 0x456, 0x457: ukr = true  // є і ї
                        default: break
                        }
                    }
                    p[w] = UInt8(truncatingIfNeeded: 0xC0 | (s >> 6))
                    p[w &+ 1] = UInt8(truncatingIfNeeded: 0x80 | (s & 0x3F))
                    w &+= 2
                    i &+= 2
                    cyr &+= 1
                    prev = s
                    continue
                }
                var apostrophe = false
                var skip = 0
                switch b {
                case 0xD2:
                    guard b1 == 0x90 || b1 == 0x91 else { return nil }
                    p[w] = 0xD2
                    p[w &+ 1] = 0x91
                    w &+= 2
                    i &+= 2
                    cyr &+= 1
                    ukr = true
                    prev = 0x491
                    continue
                case 0xCC:
                    // U+0300 / U+0301 directly after a Cyrillic vowel: stress mark, dropped.
                    guard b1 == 0x80 || b1 == 0x81, prev &- 0x430 < 48,
                        (TokenNormalizer.cyrillicVowelMask >> UInt64(prev &- 0x430)) & 1 != 0
                    else { return nil }
                    skip = 2
                case 0xC2:
                    if b1 == 0xAD {
                        skip = 2
                    } else if b1 == 0xB4 {
                        apostrophe = true
                        skip = 2
                    } else {
                        return nil
                    }
                case 0xCA:
                    guard b1 == 0xBC else { return nil }
                    apostrophe = true
                    skip = 2
                case 0xE2:
                    guard i &+ 2 < n else { return nil }
                    let b2 = p[i &+ 2]
                    if b1 == 0x80 {
                        switch b2 {
                        case 0x8B, 0x8C, 0x8D: skip = 3
                        case 0x98, 0x99, 0xB2:
                            apostrophe = true
                            skip = 3
                        default: return nil
                        }
                    } else if b1 == 0x81 && b2 == 0xA0 {
                        skip = 3
                    } else {
                        return nil
                    }
                case 0xEF:
                    guard i &+ 2 < n, b1 == 0xBB, p[i &+ 2] == 0xBF else { return nil }
                    skip = 3
                default:
                    return nil
                }
                i &+= skip
                if apostrophe {
                    p[w] = 0x27
                    w &+= 1
                    prev = 0x27
                    sawApostrophe = true
                }
            }
            // Only Cyrillic letters put non-ASCII bytes into the output of this loop.
            let apos = sawApostrophe && latin &+ cyr > 1 && TokenNormalizer.fastOutputHasApostrophe(UnsafePointer(p), w)
            let s = WordScript(
                latinLetters: latin, cyrillicLetters: cyr, digits: digits,
                hasUkrainianLetters: ukr, hasApostrophe: apos, isASCII: cyr == 0)
            return (w, s)
        }
    }

    /// `true` if an apostrophe stands between two letters in fast-path output `p[0..<n]`, which holds only
    /// lowercase ASCII and two-byte Cyrillic letters (lead byte D0/D1/D2, so a continuation byte before
    /// the apostrophe ends a Cyrillic letter).
    static func fastOutputHasApostrophe(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n >= 3 else { return false }
        var i = 1
        while i < n &- 1 {
            if p[i] == 0x27 {
                let before = p[i &- 1]
                let after = p[i &+ 1]
                let letterBefore = before &- 0x61 < 26 || before & 0xC0 == 0x80
                let letterAfter = after &- 0x61 < 26 || after &- 0xD0 < 3
                if letterBefore && letterAfter { return true }
            }
            i &+= 1
        }
        return false
    }

    // MARK: - General path

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

    /// Latin (ASCII lowercase letter index 0…25) → Cyrillic look-alike, 0 = none.
    static let latinToCyrillic: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 26)
        let pairs: [(Character, UInt16)] = [
            ("a", 0x430), ("b", 0x432), ("c", 0x441), ("e", 0x435), ("h", 0x43D),
            ("i", 0x456), ("k", 0x43A), ("m", 0x43C), ("o", 0x43E), ("p", 0x440),
            ("t", 0x442), ("x", 0x445), ("y", 0x443),
        ]
        for (ch, cy) in pairs {
            if let a = ch.asciiValue { t[Int(a - 0x61)] = cy }
        }
        return t
    }()

    /// Cyrillic U+0430…U+045F → Latin look-alike or one-letter transliteration, 0 = none.
    static let cyrillicToLatin: [UInt8] = {
        // а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я
        // ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ
        let s = "abbgdezzijklmhoppctyfxccss_y_eua" + "eedgesiijlnckiud"
        return s.utf8.map { $0 == UInt8(ascii: "_") ? 0 : $0 }  // 48 entries (checked by a test)
    }()

    /// Latin letter for a Cyrillic scalar in a Latin-majority word, or 0.
    @inline(__always)
    static func latinFor(_ c: UInt32) -> UInt8 {
        let k = Int(c &- 0x430)
        if c &- 0x430 < 48 && k < cyrillicToLatin.count { return cyrillicToLatin[k] }
        switch c {
        case 0x491: return UInt8(ascii: "g")  // ґ
        case 0x4BB: return UInt8(ascii: "h")  // һ
        case 0x4CF: return UInt8(ascii: "l")  // ӏ
        case 0x501: return UInt8(ascii: "d")  // ԁ
        case 0x51B: return UInt8(ascii: "q")  // ԛ
        case 0x51D: return UInt8(ascii: "w")  // ԝ
        default: return 0
        }
    }

    /// Rewrites the minority script's look-alike letters in place and updates the summary.
    func repairMixedScripts(_ output: inout [UInt8], _ script: inout WordScript) {
        let data = self.data
        if script.cyrillicLetters > script.latinLetters {
            // Latin → Cyrillic: each converted byte becomes two. Count, grow, rewrite backwards.
            var extra = 0
            output.withUnsafeBufferPointer { buf in
                let n = buf.count
                guard let p = buf.baseAddress else { return }
                var i = 0
                while i < n {
                    let b = p[i]
                    if b &- 0x61 < 26 && TokenNormalizer.latinToCyrillic[Int(b &- 0x61)] != 0
                        && !TokenNormalizer.markFollows(p, i &+ 1, n, data)
                    {
                        extra &+= 1
                    }
                    i &+= 1
                }
            }
            guard extra > 0 else { return }
            let oldCount = output.count
            output.append(contentsOf: repeatElement(0, count: extra))
            var ukr = false
            output.withUnsafeMutableBufferPointer { buf in
                guard let p = buf.baseAddress else { return }
                var r = oldCount &- 1
                var w = oldCount &+ extra &- 1
                var nextIsMark = false
                while r >= 0 {
                    var start = r
                    while start > 0 && p[start] & 0xC0 == 0x80 { start &-= 1 }
                    let b = p[start]
                    if start == r && b &- 0x61 < 26 && TokenNormalizer.latinToCyrillic[Int(b &- 0x61)] != 0 && !nextIsMark {
                        let cy = UInt32(TokenNormalizer.latinToCyrillic[Int(b &- 0x61)])
                        if cy == 0x456 { ukr = true }
                        p[w] = UInt8(truncatingIfNeeded: 0x80 | (cy & 0x3F))
                        p[w &- 1] = UInt8(truncatingIfNeeded: 0xC0 | (cy >> 6))
                        w &-= 2
                        nextIsMark = false
                    } else {
                        let (c, _) = NormalizerUTF8.decode(UnsafePointer(p), start, r &+ 1)
                        if c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 { ukr = true }
                        nextIsMark = NormalizerProps.isMark(data.properties(c))
                        var k = r
                        while k >= start {
                            p[w] = p[k]
                            w &-= 1
                            k &-= 1
                        }
                    }
                    r = start &- 1
                }
            }
            script.latinLetters &-= extra
            script.cyrillicLetters &+= extra
            script.hasUkrainianLetters = ukr
            script.isASCII = false
        } else {
            // Cyrillic → Latin: two bytes become one; rewrite forwards in place.
            var converted = 0
            var ukr = false
            var ascii = true
            var newCount = 0
            output.withUnsafeMutableBufferPointer { buf in
                let n = buf.count
                guard let p = buf.baseAddress else { return }
                var r = 0
                var w = 0
                while r < n {
                    let (c, len) = NormalizerUTF8.decode(UnsafePointer(p), r, n)
                    if len == 2 {
                        let lat = TokenNormalizer.latinFor(c)
                        if lat != 0 && !TokenNormalizer.markFollows(UnsafePointer(p), r &+ 2, n, data) {
                            p[w] = lat
                            w &+= 1
                            r &+= 2
                            converted &+= 1
                            continue
                        }
                        if c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 { ukr = true }
                    }
                    if len > 1 || p[r] >= 0x80 { ascii = false }
                    var k = 0
                    while k < len {
                        p[w &+ k] = p[r &+ k]
                        k &+= 1
                    }
                    w &+= len
                    r &+= len
                }
                newCount = w
            }
            if converted > 0 { output.removeLast(output.count &- newCount) }
            script.cyrillicLetters &-= converted
            script.latinLetters &+= converted
            script.hasUkrainianLetters = ukr
            script.isASCII = ascii
        }
    }

    /// `true` if the scalar starting at byte `i` (if any) is a combining mark.
    @inline(__always)
    static func markFollows(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ data: NormalizationData) -> Bool {
        guard i < n, p[i] >= 0x80 else { return false }
        let (c, _) = NormalizerUTF8.decode(p, i, n)
        return NormalizerProps.isMark(data.properties(c))
    }
}

// MARK: - NormalizerSWAR helpers

/// Eight-bytes-at-a-time ASCII helpers ("SIMD within a register"). Every byte of the word must be < 0x80,
/// so adding a constant < 0x80 to a byte never carries into the next byte; byte order does not matter.
enum NormalizerSWAR {
    static var ones: UInt64 { 0x0101_0101_0101_0101 }
    static var high: UInt64 { 0x8080_8080_8080_8080 }

    /// Loads `k` (1…7) bytes at `p + i` into the low lanes of a word (little-endian lane order), without
    /// reading outside `p[i..<i+k]`.
    @inline(__always)
    static func gather(_ p: UnsafeMutableRawPointer, _ i: Int, _ k: Int) -> UInt64 {
        if k >= 4 {
            let lo = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            let hi = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i &+ k &- 4, as: UInt32.self)))
            return lo | (hi << UInt64(8 &* (k &- 4)))
        }
        if k >= 2 {
            let lo = UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
            let hi = UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: i &+ k &- 2, as: UInt16.self)))
            return lo | (hi << UInt64(8 &* (k &- 2)))
        }
        return UInt64(p.load(fromByteOffset: i, as: UInt8.self))
    }

    /// Stores the low `k` (1…7) lanes of `x` back to `p + i` (the inverse of `gather`).
    @inline(__always)
    static func scatter(_ p: UnsafeMutableRawPointer, _ i: Int, _ k: Int, _ x: UInt64) {
        if k >= 4 {
            p.storeBytes(of: UInt32(truncatingIfNeeded: x).littleEndian, toByteOffset: i, as: UInt32.self)
            p.storeBytes(
                of: UInt32(truncatingIfNeeded: x >> UInt64(8 &* (k &- 4))).littleEndian,
                toByteOffset: i &+ k &- 4, as: UInt32.self)
        } else if k >= 2 {
            p.storeBytes(of: UInt16(truncatingIfNeeded: x).littleEndian, toByteOffset: i, as: UInt16.self)
            p.storeBytes(
                of: UInt16(truncatingIfNeeded: x >> UInt64(8 &* (k &- 2))).littleEndian,
                toByteOffset: i &+ k &- 2, as: UInt16.self)
        } else {
            p.storeBytes(of: UInt8(truncatingIfNeeded: x), toByteOffset: i, as: UInt8.self)
        }
    }

    /// High bit set in each byte that is >= `lo` and <= `hi`.
    @inline(__always)
    static func inRange(_ x: UInt64, _ lo: UInt8, _ hi: UInt8) -> UInt64 {
        let ge = x &+ ones &* UInt64(0x80 &- lo)
        let gt = x &+ ones &* UInt64(0x80 &- (hi &+ 1))
        return ge & ~gt & high
    }

    /// High bit set exactly in each byte of `x` equal to `byte`.
    @inline(__always)
    static func equal(_ x: UInt64, _ byte: UInt8) -> UInt64 {
        let t = x ^ (ones &* UInt64(byte))
        return ~(((t & ~high) &+ ~high) | t | ~high)
    }

    /// Lowercases A–Z, maps ` to ', and counts a–z letters and 0–9 digits of eight ASCII bytes
    /// (zero padding bytes count as nothing). Returns `true` if an apostrophe is present.
    @inline(__always)
    static func lowerASCII(_ x: inout UInt64, _ latin: inout Int, _ digits: inout Int) -> Bool {
        x |= inRange(x, 0x41, 0x5A) >> 2
        // Lane sums by one multiply (the baseline x86-64 target has no popcount instruction).
        latin &+= Int(truncatingIfNeeded: ((inRange(x, 0x61, 0x7A) &>> 7) &* ones) &>> 56)
        digits &+= Int(truncatingIfNeeded: ((inRange(x, 0x30, 0x39) &>> 7) &* ones) &>> 56)
        let backticks = equal(x, 0x60)
        if backticks != 0 {
            let lanes = backticks >> 7
            x = (x & ~(lanes &* 0xFF)) | (lanes &* 0x27)
            return true
        }
        return equal(x, 0x27) != 0
    }
}

// MARK: - Properties

/// Bit layout of the generated per-scalar property words.
enum NormalizerProps {
    static var cccMask: UInt32 { 0xFF }
    static var classShift: UInt32 { 8 }
    static var classMask: UInt32 { 0x7 }
    static var cyrillicVowel: UInt32 { 1 << 11 }
    static var compositionFirst: UInt32 { 1 << 12 }
    static var compositionSecond: UInt32 { 1 << 13 }
    static var hasFold: UInt32 { 1 << 14 }
    static var hasDiacriticFold: UInt32 { 1 << 15 }
    /// Class values (bits 8–10).
    static var classOther: UInt32 { 0 }
    static var classLatin: UInt32 { 1 }
    static var classCyrillic: UInt32 { 2 }
    static var classOtherLetter: UInt32 { 3 }
    static var classDigit: UInt32 { 4 }
    static var classMark: UInt32 { 5 }
    /// The class field of a property word.
    @inline(__always) static func cls(_ p: UInt32) -> UInt32 { (p >> classShift) & classMask }
    /// `true` for combining marks (general category M*; every scalar with ccc > 0 is one).
    @inline(__always) static func isMark(_ p: UInt32) -> Bool { (p >> classShift) & classMask == classMark }
}

// MARK: - Cluster builder

/// Accumulates one starter and its combining marks, then orders, composes and emits them.
struct NormalizerClusterBuilder {
    /// Marks buffered per cluster (the Stream-Safe Text Format allows 30).
    static var markCapacity: Int { 32 }

    let data: NormalizationData
    let foldYo: Bool
    let foldDiacritics: Bool
    /// Marks of the current cluster, packed as scalar | ccc << 21 | compositionSecond << 29.
    let marks: UnsafeMutableBufferPointer<UInt32>
    var markCount = 0
    var starter: UInt32 = 0
    var starterProps: UInt32 = 0
    var hasStarter = false
    /// Set after a mark overflow when the following marks are to be dropped until the next starter.
    var dropOrphanMarks = false
    var out: [UInt8] = []
    var script = WordScript()
    var pendingApos = false
    var lastLetter = false

    init(data: NormalizationData, options: NormalizationOptions, marks: UnsafeMutableBufferPointer<UInt32>) {
        self.data = data
        self.foldYo = options.foldYo
        self.foldDiacritics = options.foldDiacritics
        self.marks = marks
    }

    /// Adds one folded scalar with its properties.
    @inline(__always)
    mutating func feed(_ c: UInt32, _ pr: UInt32) {
        let ccc = pr & NormalizerProps.cccMask
        if ccc == 0 && NormalizerProps.cls(pr) != NormalizerProps.classMark {
            if hasStarter {
                finalize()
                if markCount == 0 && starterProps & NormalizerProps.compositionFirst != 0 && pr & NormalizerProps.compositionSecond != 0,
                    let comp = data.compose(starter, c)
                {
                    starter = comp
                    starterProps = data.properties(comp)
                    return
                }
                emit()
            } else if markCount > 0 {
                finalize()
                emit()
            }
            starter = c
            starterProps = pr
            hasStarter = true
            dropOrphanMarks = false
            return
        }
        if dropOrphanMarks { return }
        if hasStarter && foldDiacritics && NormalizerProps.cls(starterProps) == NormalizerProps.classLatin {
            return  // would be dropped by finalize() anyway
        }
        if markCount == NormalizerClusterBuilder.markCapacity {
            // Pathologically long mark sequence (beyond the Stream-Safe limit of 30): flush what we
            // have. Marks that follow are orphans; with diacritic folding on a Latin/Cyrillic starter
            // they are dropped like the ones before them.
            let cls = NormalizerProps.cls(starterProps)
            dropOrphanMarks = hasStarter && foldDiacritics && (cls == NormalizerProps.classLatin || cls == NormalizerProps.classCyrillic)
            finalize()
            emit()
            if dropOrphanMarks { return }
        }
        let second: UInt32 = pr & NormalizerProps.compositionSecond != 0 ? 1 << 29 : 0
        marks[markCount] = c | (ccc << 21) | second
        markCount &+= 1
    }

    /// Flushes the last cluster.
    mutating func finish() {
        if hasStarter || markCount > 0 {
            finalize()
            emit()
        }
    }

    /// Orders the marks canonically, drops stress/diacritic marks, composes, folds ё.
    mutating func finalize() {
        // Stable insertion sort by ccc; marks with ccc 0 are barriers.
        if markCount > 1 {
            for j in 1..<markCount {
                let m = marks[j]
                let cc = (m >> 21) & 0xFF
                if cc == 0 { continue }
                var k = j
                while k > 0 {
                    let prev = marks[k &- 1]
                    if (prev >> 21) & 0xFF > cc {
                        marks[k] = prev
                        k &-= 1
                    } else {
                        break
                    }
                }
                marks[k] = m
            }
        }
        guard hasStarter else { return }
        let cls = NormalizerProps.cls(starterProps)
        if foldDiacritics && cls == NormalizerProps.classLatin {
            markCount = 0
            return
        }
        if markCount > 0 {
            if starterProps & NormalizerProps.cyrillicVowel != 0 {
                var kept = 0
                for j in 0..<markCount {
                    let c = marks[j] & 0x1FFFFF
                    if c != 0x301 && c != 0x300 {
                        marks[kept] = marks[j]
                        kept &+= 1
                    }
                }
                markCount = kept
            }
            // Canonical composition of the starter with unblocked marks.
            var kept = 0
            var lastCCC: UInt32 = 0xFFFF_FFFF
            for j in 0..<markCount {
                let m = marks[j]
                let c = m & 0x1FFFFF
                let cc = (m >> 21) & 0xFF
                let blocked = lastCCC != 0xFFFF_FFFF && (lastCCC == 0 || lastCCC >= cc)
                if !blocked && starterProps & NormalizerProps.compositionFirst != 0 && m & (1 << 29) != 0,
                    let comp = data.compose(starter, c)
                {
                    starter = comp
                    starterProps = data.properties(comp)
                    continue
                }
                marks[kept] = m
                kept &+= 1
                lastCCC = cc
            }
            markCount = kept
        }
        if foldYo && starter == 0x451 {
            starter = 0x435
            starterProps = data.properties(0x435)
        }
        if foldDiacritics && NormalizerProps.cls(starterProps) == NormalizerProps.classCyrillic {
            markCount = 0
        }
    }

    /// Writes the current cluster to `out` and resets it.
    mutating func emit() {
        if hasStarter {
            put(starter, starterProps)
            hasStarter = false
        }
        if markCount > 0 {
            for j in 0..<markCount {
                let c = marks[j] & 0x1FFFFF
                put(c, data.properties(c))
            }
            markCount = 0
        }
    }

    /// Appends one scalar as UTF-8 and updates the summary.
    @inline(__always)
    mutating func put(_ c: UInt32, _ pr: UInt32) {
        if c < 0x80 {
            out.append(UInt8(truncatingIfNeeded: c))
        } else {
            script.isASCII = false
            if c < 0x800 {
                out.append(UInt8(truncatingIfNeeded: 0xC0 | (c >> 6)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
            } else if c < 0x10000 {
                out.append(UInt8(truncatingIfNeeded: 0xE0 | (c >> 12)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 6) & 0x3F)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
            } else {
                out.append(UInt8(truncatingIfNeeded: 0xF0 | (c >> 18)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 12) & 0x3F)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 6) & 0x3F)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
            }
        }
        let cls = NormalizerProps.cls(pr)
        var isLetter = false
        switch cls {
        case NormalizerProps.classLatin:
            script.latinLetters &+= 1
            isLetter = true
        case NormalizerProps.classCyrillic:
            script.cyrillicLetters &+= 1
            isLetter = true
            if c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 { script.hasUkrainianLetters = true }
        case NormalizerProps.classOtherLetter:
            script.otherLetters &+= 1
            isLetter = true
        case NormalizerProps.classDigit: script.digits &+= 1
        case NormalizerProps.classMark: return
        default: break
        }
        if isLetter {
            if pendingApos { script.hasApostrophe = true }
            pendingApos = false
            lastLetter = true
        } else if c == 0x27 {
            pendingApos = lastLetter
            lastLetter = false
        } else {
            pendingApos = false
            lastLetter = false
        }
    }
}

// MARK: - UTF-8 decoding

/// Lenient UTF-8 decoding: invalid input yields U+FFFD for each maximal invalid subpart.
enum NormalizerUTF8 {
    /// Decodes the scalar starting at `p[i]` (`i < n`). Returns the scalar and the bytes consumed (≥ 1).
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let avail = n &- i
        if b0 < 0xC2 { return (0xFFFD, 1) }
        if b0 < 0xE0 {
            guard avail >= 2, p[i &+ 1] & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(p[i &+ 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard avail >= 2 else { return (0xFFFD, 1) }
            let b1 = p[i &+ 1]
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= lo && b1 <= hi else { return (0xFFFD, 1) }
            guard avail >= 3, p[i &+ 2] & 0xC0 == 0x80 else { return (0xFFFD, 2) }
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(p[i &+ 2] & 0x3F), 3)
        }
        if b0 < 0xF5 {
            guard avail >= 2 else { return (0xFFFD, 1) }
            let b1 = p[i &+ 1]
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lo && b1 <= hi else { return (0xFFFD, 1) }
            guard avail >= 3, p[i &+ 2] & 0xC0 == 0x80 else { return (0xFFFD, 2) }
            guard avail >= 4, p[i &+ 3] & 0xC0 == 0x80 else { return (0xFFFD, 3) }
            return (
                (UInt32(b0 & 0x07) << 18) | (UInt32(b1 & 0x3F) << 12)
                    | (UInt32(p[i &+ 2] & 0x3F) << 6) | UInt32(p[i &+ 3] & 0x3F), 4
            )
        }
        return (0xFFFD, 1)
    }
}

// MARK: - Decoded tables

/// The generated tables, decoded once from `NormalizationTables.blobBase64` into immutable memory
/// that lives for the whole process.
///
/// It is `@unchecked Sendable` because it only holds pointers to memory that is written once during
/// initialization and never mutated or freed afterwards.
final class NormalizationData: @unchecked Sendable {
    /// The process-wide instance.
    static let shared = NormalizationData()

    let stage0: UnsafeBufferPointer<UInt16>
    let stage1: UnsafeBufferPointer<UInt16>
    let stage2: UnsafeBufferPointer<UInt32>
    /// Composition keys (first << 21 | second), sorted, and the composites at the same index.
    let compositionKeys: UnsafeBufferPointer<UInt64>
    let compositionValues: UnsafeBufferPointer<UInt32>
    /// Fold data (length byte + UTF-8), zero-padded by 260 bytes so no length can read past the end.
    let fold: UnsafePointer<UInt8>
    let lowBits = UInt32(NormalizationTables.lowBits)
    let midBits = UInt32(NormalizationTables.midBits)
    let lowMask = UInt32((1 << NormalizationTables.lowBits) - 1)
    let midMask = UInt32((1 << NormalizationTables.midBits) - 1)
    /// Properties used for Variation Selectors Supplement (U+E0100…U+E01EF): a combining mark.
    let variationSelectorProps = NormalizerProps.classMark << NormalizerProps.classShift

    private init() {
        // Runs once per process, when the first analyzer is made (for a two-thread flush, while
        // the other worker waits): the blob is decoded in one pass into raw memory, and each
        // table is then read out of it with whole-word loads.
        let blob = NormalizationData.decodeBase64(NormalizationTables.blobBase64)
        defer { blob.deallocate() }
        var offset = 0
        func take<T>(_ type: T.Type, _ count: Int) -> UnsafeBufferPointer<T> where T: FixedWidthInteger {
            let buf = UnsafeMutableBufferPointer<T>.allocate(capacity: max(count, 1))
            buf.initialize(repeating: 0)
            let size = MemoryLayout<T>.size
            // A blob shorter than the tables say (it never is) leaves the rest zero.
            let available = min(count, max(0, blob.count - offset) / size)
            for k in 0..<available {
                buf[k] = T(littleEndian: blob.loadUnaligned(fromByteOffset: offset &+ k &* size, as: T.self))
            }
            offset += count * size
            return UnsafeBufferPointer(buf)
        }
        stage0 = take(UInt16.self, NormalizationTables.stage0Count)
        stage1 = take(UInt16.self, NormalizationTables.stage1Count)
        stage2 = take(UInt32.self, NormalizationTables.stage2Count)
        let triples = take(UInt32.self, NormalizationTables.compositionCount * 3)
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(NormalizationTables.compositionCount, 1))
        let values = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(NormalizationTables.compositionCount, 1))
        keys.initialize(repeating: 0)
        values.initialize(repeating: 0)
        for k in 0..<NormalizationTables.compositionCount {
            keys[k] = UInt64(triples[3 * k]) << 21 | UInt64(triples[3 * k + 1])
            values[k] = triples[3 * k + 2]
        }
        triples.deallocate()
        compositionKeys = UnsafeBufferPointer(rebasing: keys[0..<NormalizationTables.compositionCount])
        compositionValues = UnsafeBufferPointer(rebasing: values[0..<NormalizationTables.compositionCount])
        let foldCount = NormalizationTables.foldByteCount
        let foldBuf = UnsafeMutablePointer<UInt8>.allocate(capacity: foldCount + 260)
        foldBuf.initialize(repeating: 0, count: foldCount + 260)
        let foldAvailable = min(foldCount, max(0, blob.count - offset))
        if foldAvailable > 0, let base = blob.baseAddress {
            UnsafeMutableRawPointer(foldBuf).copyMemory(from: base + offset, byteCount: foldAvailable)
        }
        fold = UnsafePointer(foldBuf)
    }

    /// Decodes base64, skipping any non-alphabet characters (line breaks); the caller frees the
    /// result.
    /// - Complexity: O(n), one table lookup per character; a group of four characters is
    ///   decoded at once.
    static func decodeBase64(_ text: StaticString) -> UnsafeMutableRawBufferPointer {
        // Each alphabet character's 6-bit value; 0xFF for every other byte.
        var values = (0..<256).map { _ in UInt8(0xFF) }
        for (v, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            values[Int(c)] = UInt8(v)
        }
        let capacity = text.utf8CodeUnitCount / 4 * 3 + 3
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        var count = 0
        values.withUnsafeBufferPointer { table in
            text.withUTF8Buffer { buf in
                var acc: UInt32 = 0
                var bits: UInt32 = 0
                var i = 0
                while i < buf.count {
                    // Whole groups of four alphabet characters make three bytes at once.
                    if bits == 0, i &+ 4 <= buf.count {
                        let a = table[Int(buf[i])]
                        let b = table[Int(buf[i &+ 1])]
                        let c = table[Int(buf[i &+ 2])]
                        let d = table[Int(buf[i &+ 3])]
                        if (a | b | c | d) & 0x80 == 0 {
                            let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                            out[count] = UInt8(truncatingIfNeeded: group >> 16)
                            out[count &+ 1] = UInt8(truncatingIfNeeded: group >> 8)
                            out[count &+ 2] = UInt8(truncatingIfNeeded: group)
                            count &+= 3
                            i &+= 4
                            continue
                        }
                    }
                    let v = table[Int(buf[i])]
                    i &+= 1
                    if v == 0xFF { continue }
                    acc = (acc << 6) | UInt32(v)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        out[count] = UInt8(truncatingIfNeeded: acc >> bits)
                        count += 1
                    }
                }
            }
        }
        return UnsafeMutableRawBufferPointer(rebasing: out[0..<count])
    }

    /// The property word of a scalar (see the generated file's header for the bit layout).
    @inline(__always)
    func properties(_ c: UInt32) -> UInt32 {
        if c < NormalizationTables.trieLimit {
            let b0 = Int(stage0[Int(c >> (lowBits &+ midBits))])
            let b1 = Int(stage1[(b0 << Int(midBits)) | Int((c >> lowBits) & midMask)])
            return stage2[(b1 << Int(lowBits)) | Int(c & lowMask)]
        }
        if c &- 0xE0100 < 0xF0 { return variationSelectorProps }
        return 0
    }

    /// The canonical composite of `first` + `second`, if any (including Hangul LV/LVT).
    @inline(__always)
    func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
        // Hangul: L + V → LV, LV + T → LVT.
        if first &- 0x1100 < 19 && second &- 0x1161 < 21 {
            return 0xAC00 + ((first - 0x1100) * 21 + (second - 0x1161)) * 28
        }
        if first &- 0xAC00 < 11172 && (first - 0xAC00) % 28 == 0 && second &- 0x11A8 < 27 {
            return first + (second - 0x11A7)
        }
        let key = UInt64(first) << 21 | UInt64(second)
        var lo = 0
        var hi = compositionKeys.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            let k = compositionKeys[mid]
            if k == key { return compositionValues[mid] }
            if k < key { lo = mid &+ 1 } else { hi = mid }
        }
        return nil
    }
}
