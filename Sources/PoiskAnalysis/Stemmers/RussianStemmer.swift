// RussianStemmer.swift — the Snowball Russian stemming algorithm, working in place on UTF-8 bytes.
//
// What it is for: reducing lowercased Russian words to the exact stems produced by the official
// Snowball "russian" stemmer (Snowball 2.2+/3.x, which folds ё to е), so that inflected forms
// (ракета, ракеты, ракетами → ракет) meet in the index. It runs on the hot indexing path: no
// allocation, no `String`/`Character`, only byte comparisons on the tail of the word.
// What it is not for: lowercasing, tokenization, Ukrainian or other Cyrillic languages (see
// `UkrainianStemmer`), or stop-word removal. Words are expected to be lowercased already; any byte
// that is not a lowercase Cyrillic letter is treated as a non-vowel and never matches a suffix.
//
// Algorithm (see snowballstem.org/algorithms/russian/stemmer.html), with positions as byte offsets:
//   0. Replace every ё (D1 91) by е (D0 B5); same length, so it is done in place.
//   1. RV starts after the first vowel; R2 is the standard R2 (after vowel+non-vowel twice).
//      All suffix searches are confined to RV.
//   2. Step 1: perfective gerund, or else (optional reflexive, then adjectival | verb | noun).
//   3. Step 2: remove a final и.  Step 3: remove a derivational ост/ость lying in R2.
//   4. Step 4: ейш/ейше (then нн→н), or нн→н, or a final ь.
// Each "among" search picks the longest table suffix that lies inside RV and then applies that
// entry's condition (group 1 suffixes must follow а or я, also inside RV); when the condition
// fails the routine fails without trying shorter suffixes, exactly as Snowball does.

/// The Snowball Russian stemmer operating in place on lowercased UTF-8 bytes.
///
/// Produces byte-for-byte the same stems as the reference Snowball implementation (Snowball 2.2
/// and later, including the ё→е folding) for lowercased Cyrillic words. Non-Cyrillic bytes never
/// crash the stemmer; they are simply treated as consonants that no suffix can match.
public struct RussianStemmer: Sendable {
    /// Creates a stemmer. The stemmer is stateless; one value can be shared between threads.
    public init() {}

    /// Stems the word stored in `word[0..<count]` in place.
    ///
    /// - Parameters:
    ///   - word: UTF-8 bytes of one lowercased word. Every ё is rewritten to е, as Snowball does;
    ///     the stem is left in `word[0..<result]`.
    ///   - count: number of bytes in the word. Zero or negative counts return 0.
    /// - Returns: the byte length of the stem, always `<= max(count, 0)`.
    /// - Complexity: O(count) for the ё fold and region scan; suffix matching only inspects the
    ///   last 16 bytes (8 letters). Allocates nothing.
    public func stem(_ word: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let n = count

        // 0. ё → е. Look for the rare second byte first so the loop is branch-predictable; D1 is
        // a lead byte, so a D1 91 pair is always aligned in valid UTF-8.
        var i = 1
        while i < n {
            if word[i] == 0x91 && word[i - 1] == 0xD1 {
                word[i - 1] = 0xD0
                word[i] = 0xB5
            }
            i += 1
        }

        // 1. Regions. RV = [pV, n), R2 = [p2, n).
        var pV = n
        var p2 = n
        Self.markRegions(word, n, &pV, &p2)
        if pV >= n { return n }  // empty RV: nothing can be removed
        let t = tables
        var tail = RussianTail(word, end: n, lowerBound: pV)

        // 2. Step 1: perfective gerund, or (optional reflexive, then adjectival | verb | noun).
        if !tail.removeConditional(t.perfectiveGerund, word) {
            tail.remove(t.reflexive, word)
            if tail.remove(t.adjective, word) {
                tail.removeConditional(t.participle, word)
            } else if !tail.removeConditional(t.verb, word) {
                tail.remove(t.noun, word)
            }
        }

        // 3. Step 2: final и.
        tail.refill(word)
        if tail.last == RussianLetter.i { tail.drop(1) }

        // 4. Step 3: derivational ост / ость, which must also lie in R2.
        let d = tail.find(t.derivational, word)
        if d != 0 && tail.end - 2 * RussianSuffixes.length(d) >= p2 {
            tail.drop(RussianSuffixes.length(d))
        }

        // 5. Step 4: ейш/ейше then нн → н; or нн → н; or final ь.
        let u = tail.find(t.tidyUp, word)
        if u != 0 {
            let len = RussianSuffixes.length(u)
            switch RussianSuffixes.group(u) {
            case 1:
                tail.drop(len)
                tail.refill(word)
                if tail.letter(at: 0) == RussianLetter.n && tail.letter(at: 1) == RussianLetter.n {
                    tail.drop(1)
                }
            case 2:
                if tail.letter(at: 1) == RussianLetter.n { tail.drop(1) }
            default:
                tail.drop(len)
            }
        }
        return tail.end
    }

    /// Stems a lowercased word given as a `String` (convenience for tests and tools).
    ///
    /// - Parameter word: one lowercased word.
    /// - Returns: its Snowball Russian stem (with ё folded to е).
    /// - Complexity: O(n); allocates the result string.
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        let newCount = bytes.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            return stem(base, count: buf.count)
        }
        return String(decoding: bytes[0..<newCount], as: UTF8.self)
    }

    /// The suffix tables, copied from the shared statics once so `stem` never hits a lazy global.
    private let tables = RussianSuffixes.tables

    // MARK: - Regions

    /// Computes RV (`pV`) and R2 (`p2`) as byte offsets; both stay `n` when absent.
    ///
    /// Walks the word one character at a time: a lowercase Cyrillic letter is 2 bytes and is a
    /// vowel or a consonant; any other byte sequence counts as one non-vowel character.
    @inline(__always)
    private static func markRegions(_ w: UnsafeMutablePointer<UInt8>, _ n: Int, _ pV: inout Int, _ p2: inout Int) {
        var i = 0
        var state = 0  // 0: seeking vowel (RV), 1: seeking non-vowel, 2: seeking vowel, 3: seeking non-vowel (R2)
        while i < n {
            let code: UInt8 = i + 1 < n ? RussianSuffixes.letterCode(w[i], w[i + 1]) : 0
            let vowel = code != 0 && (vowelMask >> UInt64(code & 0x3F)) & 1 == 1
            let next = code != 0 ? i + 2 : min(i + charLength(w[i]), n)
            switch state {
            case 0:
                if vowel { pV = next; state = 1 }
            case 1:
                if !vowel { state = 2 }
            case 2:
                if vowel { state = 3 }
            default:
                if !vowel {
                    p2 = next
                    return
                }
            }
            i = next
        }
    }

    /// Bit `code & 0x3F` is set for the vowels а е и о у ы э ю я (codes from `letterCode`).
    private static let vowelMask: UInt64 = 0x0001_0000_0000_0000 | 0x0020_0000_0000_0000
        | 0x0100_0000_0000_0000 | 0x4000_0000_0000_0000 | 0x8 | 0x800 | 0x2000 | 0x4000 | 0x8000

    /// Length of the UTF-8 sequence introduced by lead byte `b` (1 for ASCII and stray bytes).
    @inline(__always)
    private static func charLength(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        return 4
    }
}

/// Letter codes (see `RussianSuffixes.letterCode`) used by single-letter tests.
enum RussianLetter {
    static let a: UInt64 = 0x30   // а
    static let i: UInt64 = 0x38   // и
    static let n: UInt64 = 0x3D   // н
    static let ya: UInt64 = 0x4F  // я
}

/// The end of the word being stemmed, as packed letter codes.
///
/// Holds up to 8 trailing letters of `word[lowerBound..<end]` (one byte each, last letter in the
/// low byte), so that suffix tests are integer compares and deletions are shifts. Letters are
/// read only inside RV and stop at the first byte pair that is not а–я.
struct RussianTail {
    /// Packed letters; `key & 0xFF` is the last letter.
    var key: UInt64 = 0
    /// Number of letters held in `key` (0...8).
    var chars = 0
    /// Byte offset one past the word's current last byte.
    var end: Int
    /// Byte offset of the earliest letter held in `key`.
    var start: Int
    /// RV start: letters before it are never read.
    let lowerBound: Int
    /// True once reading stopped at `lowerBound` or at a non-letter.
    var exhausted = false

    @inline(__always)
    init(_ w: UnsafeMutablePointer<UInt8>, end: Int, lowerBound: Int) {
        self.end = end
        self.start = end
        self.lowerBound = lowerBound
        refill(w, upTo: 8)
    }

    /// Reads more letters before `start` until `upTo` letters are held or none remain.
    @inline(__always)
    mutating func refill(_ w: UnsafeMutablePointer<UInt8>, upTo limit: Int = 6) {
        while chars < limit && !exhausted {
            let p = start - 2
            if p < lowerBound {
                exhausted = true
                break
            }
            let c = RussianSuffixes.letterCode(w[p], w[p + 1])
            if c == 0 {
                exhausted = true
                break
            }
            key |= UInt64(c) << UInt64(8 * chars)
            chars += 1
            start = p
        }
    }

    /// The last letter's code, or 0 when the tail is empty.
    @inline(__always) var last: UInt64 { chars > 0 ? key & 0xFF : 0 }

    /// The code of the letter `k` positions before the last one, or 0 when not held.
    @inline(__always) func letter(at k: Int) -> UInt64 {
        k < chars ? (key >> UInt64(8 * k)) & 0xFF : 0
    }

    /// Removes the last `k` letters (k <= chars).
    @inline(__always)
    mutating func drop(_ k: Int) {
        key = k >= 8 ? 0 : key >> UInt64(8 * k)
        chars -= k
        end -= 2 * k
    }

    /// The longest entry of `table` that is a suffix of the word, or 0.
    @inline(__always)
    mutating func find(_ table: RussianSuffixTable, _ w: UnsafeMutablePointer<UInt8>) -> UInt64 {
        if chars < 7 { refill(w, upTo: 7) }  // 6 for the longest suffix + 1 for the а/я test
        if chars == 0 { return 0 }
        let range = table.buckets[Int(key & 0x3F)]  // codes 0x30–0x4F: low 6 bits are unique
        var i = Int(range >> 8)
        let stop = i + Int(range & 0xFF)
        while i < stop {
            let e = table.entries[i]
            let len = RussianSuffixes.length(e)
            if len <= chars {
                let mask: UInt64 = (UInt64(1) << UInt64(8 * len)) &- 1
                if (key & mask) == (e & 0xFFFF_FFFF_FFFF) { return e }
            }
            i += 1
        }
        return 0
    }

    /// Deletes the longest matching suffix of `table`; returns whether one matched.
    @inline(__always) @discardableResult
    mutating func remove(_ table: RussianSuffixTable, _ w: UnsafeMutablePointer<UInt8>) -> Bool {
        let e = find(table, w)
        if e == 0 { return false }
        drop(RussianSuffixes.length(e))
        return true
    }

    /// Like `remove`, but group-1 suffixes are deleted only after а or я (inside RV); when that
    /// condition fails nothing is deleted and the result is false (no shorter suffix is tried).
    @inline(__always) @discardableResult
    mutating func removeConditional(_ table: RussianSuffixTable, _ w: UnsafeMutablePointer<UInt8>) -> Bool {
        let e = find(table, w)
        if e == 0 { return false }
        let len = RussianSuffixes.length(e)
        if RussianSuffixes.group(e) == 1 {
            let before = letter(at: len)
            if before != RussianLetter.a && before != RussianLetter.ya { return false }
        }
        drop(len)
        return true
    }
}

/// One "among" table: packed entries grouped by last letter, plus for each 6-bit letter slot the
/// bucket's start index (high byte) and entry count (low byte).
struct RussianSuffixTable: Sendable {
    let entries: [UInt64]
    let buckets: [UInt16]
}

/// The eight "among" tables of the Russian algorithm (immutable; shared by every stemmer value
/// through one reference so that copying a `RussianStemmer` stays cheap).
final class RussianTables: Sendable {
    let perfectiveGerund: RussianSuffixTable
    let adjective: RussianSuffixTable
    let participle: RussianSuffixTable
    let reflexive: RussianSuffixTable
    let verb: RussianSuffixTable
    let noun: RussianSuffixTable
    let derivational: RussianSuffixTable
    let tidyUp: RussianSuffixTable

    init(
        perfectiveGerund: RussianSuffixTable, adjective: RussianSuffixTable, participle: RussianSuffixTable,
        reflexive: RussianSuffixTable, verb: RussianSuffixTable, noun: RussianSuffixTable,
        derivational: RussianSuffixTable, tidyUp: RussianSuffixTable
    ) {
        self.perfectiveGerund = perfectiveGerund
        self.adjective = adjective
        self.participle = participle
        self.reflexive = reflexive
        self.verb = verb
        self.noun = noun
        self.derivational = derivational
        self.tidyUp = tidyUp
    }
}

/// Suffix tables of the Russian stemmer, packed as `UInt64` entries:
/// bits 0–47 the letters (one byte per letter, last letter lowest), bits 48–55 the length in
/// letters, bits 56–63 the group.
enum RussianSuffixes {
    /// One-byte code of a lowercase letter а–я given its two UTF-8 bytes, or 0 for anything else.
    @inline(__always)
    static func letterCode(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0xD0 {
            return (b >= 0xB0 && b <= 0xBF) ? b &- 0x80 : 0  // а–п → 0x30–0x3F
        }
        if a == 0xD1 {
            return (b >= 0x80 && b <= 0x8F) ? b &- 0x40 : 0  // р–я → 0x40–0x4F
        }
        return 0
    }

    /// Builds a table from space-separated suffix lists, one string per group (group = index + 1).
    static func build(_ groups: [String]) -> RussianSuffixTable {
        var out: [UInt64] = []
        for (gi, list) in groups.enumerated() {
            for suffix in list.split(separator: " ") {
                let bytes = Array(suffix.utf8)
                var key: UInt64 = 0
                var k = 0
                var p = bytes.count
                while p >= 2 && k < 6 {
                    key |= UInt64(letterCode(bytes[p - 2], bytes[p - 1])) << UInt64(8 * k)
                    k += 1
                    p -= 2
                }
                out.append(key | (UInt64(k) << 48) | (UInt64(gi + 1) << 56))
            }
        }
        // Group by last letter, longest first inside a bucket.
        out.sort { a, b in
            let la = a & 0x3F, lb = b & 0x3F
            if la != lb { return la < lb }
            return (a >> 48) & 0xFF > (b >> 48) & 0xFF
        }
        var buckets = [UInt16](repeating: 0, count: 64)
        var i = 0
        while i < out.count {
            let slot = Int(out[i] & 0x3F)
            var j = i
            while j < out.count && Int(out[j] & 0x3F) == slot { j += 1 }
            buckets[slot] = UInt16(i << 8 | (j - i))
            i = j
        }
        return RussianSuffixTable(entries: out, buckets: buckets)
    }

    /// Entry length in letters.
    @inline(__always) static func length(_ e: UInt64) -> Int { Int((e >> 48) & 0xFF) }
    /// Entry group (1 or 2, or 3 for the tidy-up ь).
    @inline(__always) static func group(_ e: UInt64) -> Int { Int(e >> 56) }

    /// All tables of the algorithm.
    static let tables = RussianTables(
        perfectiveGerund: perfectiveGerund, adjective: adjective, participle: participle,
        reflexive: reflexive, verb: verb, noun: noun, derivational: derivational, tidyUp: tidyUp)

    static let perfectiveGerund = build([
        "в вши вшись",
        "ив ивши ившись ыв ывши ывшись",
    ])
    static let adjective = build([
        "ее ие ое ые ими ыми ей ий ой ый ем им ом ым его ого ему ому их ых ую юю ая яя ою ею",
    ])
    static let participle = build([
        "ем нн вш ющ щ",
        "ивш ывш ующ",
    ])
    static let reflexive = build(["ся сь"])
    static let verb = build([
        "ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно",
        "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены ить ыть ишь ую ю",
    ])
    static let noun = build([
        "а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я",
    ])
    static let derivational = build(["ост ость"])
    static let tidyUp = build([
        "ейше ейш",
        "н",
        "ь",
    ])
}
