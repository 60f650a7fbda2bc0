// EnglishStemmer.swift — the Snowball English ("Porter2") stemmer over UTF-8 bytes.
//
// What it is for: reducing one already-lowercased English token to its Snowball
// stem, in place, on the indexing and query hot paths. It reproduces the output
// of the reference Snowball 3.1.1 `english` algorithm (as shipped in the Python
// `snowballstemmer` 3.1.1 package) exactly, including its exceptional forms, the
// R1 prefix exceptions (arsen, commun, emerg, gener, inter, later, organ, past,
// univers), the `-ying` rule, the step 1b invariants and the rule that words
// shorter than three characters are left alone.
//
// What it is not for: tokenizing, lowercasing, apostrophe unification or Unicode
// normalization (callers do those first), and not for the original 1980 Porter
// algorithm, whose output differs.
//
// Implementation notes. Snowball works on Unicode characters. Every edit the
// English algorithm makes touches only ASCII text (matched suffixes, `y`/`Y`, the
// leading apostrophe), and every non-ASCII character is simply a non-vowel that
// matches no suffix. So the core runs on one byte per character:
// - all-ASCII words (the common case) are stemmed directly in the caller's buffer;
// - other words are compacted into a stack scratch buffer with each non-ASCII
//   character replaced by the placeholder byte 0x80, stemmed there, and the
//   original multi-byte sequences are put back in order (they are never removed
//   or reordered by the algorithm). Invalid UTF-8 bytes are kept verbatim, each
//   stray byte counting as one character.

/// The Snowball English (Porter2) stemmer, byte-exact with Snowball 3.1.1.
///
/// The stemmer is stateless; one value can be shared freely across threads.
public struct EnglishStemmer: Sendable {
    /// Creates a stemmer. The stemmer has no state or tables to build.
    public init() {}

    /// Stems a word in place.
    ///
    /// - Parameters:
    ///   - word: The word's UTF-8 bytes, `word[0..<count]`, already lowercased
    ///     and with apostrophes unified to U+0027. Any bytes are accepted; invalid
    ///     UTF-8 never crashes (stray bytes are kept and count as one non-vowel
    ///     character each).
    ///   - count: The number of bytes in `word`. Values below 3 return at once.
    /// - Returns: The stem's length in bytes; the stem is `word[0..<result]`.
    ///   Always `0 <= result <= max(count, 0)`.
    /// - Complexity: O(`count`). No heap allocation for all-ASCII words of any
    ///   length; words containing non-ASCII bytes use a stack scratch buffer of
    ///   `2 * count` bytes (heap only when the runtime refuses that much stack,
    ///   which does not happen for words of up to 512 bytes, i.e. at least 128
    ///   scalars).
    public func stem(_ word: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        // Fewer than 3 bytes means fewer than 3 characters: Snowball leaves it.
        guard count >= 3 else { return max(count, 0) }
        var high: UInt8 = 0
        var i = 0
        while i < count {
            high |= word[i]
            i += 1
        }
        if high < 0x80 {
            var core = Porter2Run(word, count)
            return core.run()
        }
        return Self.stemNonASCII(word, count: count)
    }

    /// Stems a word given as a `String`; convenience for tests and tools.
    ///
    /// - Parameter word: A lowercased word with apostrophes unified to U+0027.
    /// - Returns: The Snowball English stem of `word`.
    /// - Complexity: O(n); allocates the result string.
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        let count = bytes.count
        let newCount = bytes.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            return stem(base, count: count)
        }
        return String(decoding: bytes[0..<newCount], as: UTF8.self)
    }

    /// The non-ASCII path: one placeholder byte per non-ASCII character.
    private static func stemNonASCII(_ word: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * count) { scratch -> Int in
            guard let chars = scratch.baseAddress else { return count }
            let original = chars + count
            original.update(from: word, count: count)

            // Compact: ASCII bytes as they are, each non-ASCII character -> 0x80.
            var m = 0
            var nonASCIIChars = 0
            var i = 0
            while i < count {
                let b = original[i]
                if b < 0x80 {
                    chars[m] = b
                    i += 1
                } else {
                    chars[m] = Porter2Run.placeholder
                    nonASCIIChars += 1
                    i += sequenceLength(original, at: i, count: count)
                }
                m += 1
            }
            guard m >= 3 else { return count }

            var core = Porter2Run(chars, m)
            let stemChars = core.run()

            // The algorithm never drops or moves non-ASCII characters; verify the
            // invariant defensively before writing anything back.
            var kept = 0
            var asciiOut = 0
            for k in 0..<stemChars {
                if chars[k] == Porter2Run.placeholder { kept += 1 } else { asciiOut += 1 }
            }
            let nonASCIIBytes = count - (m - nonASCIIChars)
            let outCount = asciiOut + nonASCIIBytes
            guard kept == nonASCIIChars, outCount <= count else { return count }

            var o = 0
            var r = 0
            for k in 0..<stemChars {
                let c = chars[k]
                if c != Porter2Run.placeholder {
                    word[o] = c
                    o += 1
                } else {
                    while r < count && original[r] < 0x80 { r += 1 }
                    let len = sequenceLength(original, at: r, count: count)
                    for j in 0..<len { word[o + j] = original[r + j] }
                    o += len
                    r += len
                }
            }
            return o
        }
    }

    /// Length of the character starting at `p[i]` (a byte >= 0x80): a well-formed
    /// UTF-8 sequence is one scalar; any malformed byte stands alone.
    @inline(__always)
    private static func sequenceLength(_ p: UnsafeMutablePointer<UInt8>, at i: Int, count: Int) -> Int {
        let b = p[i]
        let need: Int
        if b >= 0xF8 {
            need = 0
        } else if b >= 0xF0 {
            need = 3
        } else if b >= 0xE0 {
            need = 2
        } else if b >= 0xC0 {
            need = 1
        } else {
            need = 0
        }
        var len = 1
        while len <= need && i + len < count && (p[i + len] & 0xC0) == 0x80 { len += 1 }
        return len
    }
}

// MARK: - Core algorithm (one byte per character)

/// Working state of one stemming run over `w[0..<n]`, one byte per character.
/// Edits only ever shorten the word or keep its length, so they happen in place.
struct Porter2Run {
    /// Stand-in for a non-ASCII character: not a vowel, matches no suffix.
    static var placeholder: UInt8 { 0x80 }

    let w: UnsafeMutablePointer<UInt8>
    var n: Int
    var p1 = 0
    var p2 = 0

    @inline(__always)
    init(_ w: UnsafeMutablePointer<UInt8>, _ n: Int) {
        self.w = w
        self.n = n
    }

    // MARK: Character classes

    /// a e i o u y (lowercase y only: a marked `Y` is a consonant).
    @inline(__always)
    static func isVowel(_ b: UInt8) -> Bool {
        let d = b &- 97
        return d < 26 && (UInt32(0x0110_4111) >> UInt32(d)) & 1 != 0
    }

    /// Vowels plus w, x and Y: the letters a short syllable may not end with.
    @inline(__always)
    static func isVowelWXY(_ b: UInt8) -> Bool {
        let d = b &- 97
        return b == 89 || (d < 26 && (UInt32(0x01D0_4111) >> UInt32(d)) & 1 != 0)
    }

    /// c d e g h k m n r t: letters that may precede a deletable `li`.
    @inline(__always)
    static func isValidLI(_ b: UInt8) -> Bool {
        let d = b &- 97
        return d < 26 && (UInt32(0x000A_34DC) >> UInt32(d)) & 1 != 0
    }

    /// b d f g m n p r t: letters whose doubling is undone in step 1b.
    @inline(__always)
    static func isDoubleable(_ b: UInt8) -> Bool {
        let d = b &- 97
        return d < 26 && (UInt32(0x000A_B06A) >> UInt32(d)) & 1 != 0
    }

    // MARK: Small helpers

    /// Whether `w[0..<n]` ends with `s`.
    @inline(__always)
    func ends(_ s: StaticString) -> Bool {
        let k = s.utf8CodeUnitCount
        guard k <= n else { return false }
        let p = s.utf8Start
        let base = w + (n - k)
        var i = 0
        while i < k {
            if base[i] != p[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether `w[0..<length]` is exactly `s`.
    @inline(__always)
    func prefixIs(_ s: StaticString, length: Int) -> Bool {
        let k = s.utf8CodeUnitCount
        guard k == length, k <= n else { return false }
        let p = s.utf8Start
        var i = 0
        while i < k {
            if w[i] != p[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether `w[0..<n]` starts with `s`.
    @inline(__always)
    func starts(_ s: StaticString) -> Bool {
        let k = s.utf8CodeUnitCount
        guard k <= n else { return false }
        let p = s.utf8Start
        var i = 0
        while i < k {
            if w[i] != p[i] { return false }
            i += 1
        }
        return true
    }

    /// Appends `s` at `n`. Callers only append after removing at least as much.
    @inline(__always)
    mutating func put(_ s: StaticString) {
        let k = s.utf8CodeUnitCount
        let p = s.utf8Start
        var i = 0
        while i < k {
            w[n + i] = p[i]
            i += 1
        }
        n += k
    }

    /// Replaces the last `k` characters with `s` (`s` is never longer than `k`).
    @inline(__always)
    mutating func replace(_ k: Int, with s: StaticString) {
        n -= k
        put(s)
    }

    /// Snowball's `shortv` at position `c`: the word up to `c` ends in a short
    /// syllable (non-vowel, vowel, non-vowel other than w, x, Y; or vowel,
    /// non-vowel at the very start) or in `past`.
    @inline(__always)
    func endsShortSyllable(at c: Int) -> Bool {
        if c >= 3 && !Self.isVowelWXY(w[c - 1]) && Self.isVowel(w[c - 2]) && !Self.isVowel(w[c - 3]) {
            return true
        }
        if c == 2 && !Self.isVowel(w[1]) && Self.isVowel(w[0]) { return true }
        return c >= 4 && w[c - 4] == 112 && w[c - 3] == 97 && w[c - 2] == 115 && w[c - 1] == 116  // "past"
    }

    // MARK: Driver

    /// Runs the whole algorithm; returns the stem length.
    @inline(__always)
    mutating func run() -> Int {
        if n < 3 { return n }
        if let length = exceptionalForm() { return length }
        let yFound = prelude()
        markRegions()
        step1a()
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        if yFound {
            var i = 0
            while i < n {
                if w[i] == 89 { w[i] = 121 }  // Y -> y
                i += 1
            }
        }
        return n
    }

    /// Whole-word exceptions; returns the stem length when the word is one.
    @inline(__always)
    mutating func exceptionalForm() -> Int? {
        switch n {
        case 3:
            if prefixIs("sky", length: n) { return 3 }
        case 4:
            if prefixIs("skis", length: n) || prefixIs("idly", length: n) { return 3 }
            if prefixIs("ugly", length: n) || prefixIs("only", length: n) {
                w[3] = 105
                return 4
            }  // -> ugli, onli
            if prefixIs("bias", length: n) || prefixIs("howe", length: n) || prefixIs("news", length: n) { return 4 }
        case 5:
            if prefixIs("skies", length: n) {
                w[2] = 121
                return 3
            }  // -> sky
            if prefixIs("early", length: n) {
                w[4] = 105
                return 5
            }  // -> earli
            if prefixIs("andes", length: n) || prefixIs("atlas", length: n) { return 5 }
        case 6:
            if prefixIs("gently", length: n) || prefixIs("singly", length: n) { return 5 }
            if prefixIs("cosmos", length: n) { return 6 }
        default:
            break
        }
        return nil
    }

    /// Drops one leading apostrophe and marks consonant `y` as `Y`.
    /// Returns whether any `Y` was marked.
    @inline(__always)
    mutating func prelude() -> Bool {
        if w[0] == 39 {
            var i = 1
            while i < n {
                w[i - 1] = w[i]
                i += 1
            }
            n -= 1
        }
        var found = false
        if n > 0 && w[0] == 121 {
            w[0] = 89
            found = true
        }
        var i = 0
        while i + 1 < n {
            if w[i + 1] == 121 && Self.isVowel(w[i]) {
                w[i + 1] = 89
                found = true
            }
            i += 1
        }
        return found
    }

    /// Computes R1 (`p1`) and R2 (`p2`).
    @inline(__always)
    mutating func markRegions() {
        p1 = n
        p2 = n
        var c: Int
        if starts("gener") || starts("inter") || starts("later") || starts("organ") || starts("arsen") || starts("emerg") {
            c = 5
        } else if starts("commun") {
            c = 6
        } else if starts("univers") {
            c = 7
        } else if starts("past") {
            c = 4
        } else {
            guard let after = afterVowelRun(from: 0) else { return }
            c = after
        }
        p1 = c
        guard let after = afterVowelRun(from: c) else { return }
        p2 = after
    }

    /// Position just past the first non-vowel that follows a vowel at or after
    /// `start`; nil when there is none.
    @inline(__always)
    func afterVowelRun(from start: Int) -> Int? {
        var i = start
        while i < n && !Self.isVowel(w[i]) { i += 1 }
        if i >= n { return nil }
        i += 1
        while i < n && Self.isVowel(w[i]) { i += 1 }
        if i >= n { return nil }
        return i + 1
    }
}
