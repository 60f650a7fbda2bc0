// UkrainianStemmer.swift — a light, conservative Ukrainian suffix stripper on UTF-8 bytes.
//
// What it is for: conflating the inflected forms of one Ukrainian word (case and number of nouns
// and adjectives, the common present-tense and reflexive verb forms) so that, e.g., Зеленський /
// Зеленського / Зеленському meet in the index. It works in place on lowercased UTF-8 bytes with no
// allocation, like `RussianStemmer`.
// What it is not for: linguistic analysis. It is not a lemmatizer, knows no dictionary and does
// not undo stem alternations (рік/року, Київ/Києва, земля/земель). It does not lowercase.
//
// Design (all lengths in letters; і ї є ґ are letters; the apostrophes ' U+2019 U+02BC are kept
// as part of the word but never counted towards the minimum stem length):
//
//   Guard used by every step: a removal is allowed only if the remaining stem has at least
//   3 letters and contains a vowel (а е є и і ї о у ю я). Short words (він, мій, так, але) are
//   therefore never touched, and no stem is shorter than 3 letters.
//
//   1. Reflexive particle: -ся, -сь (збирався → збирав, займаються → займають).
//   2. One inflectional ending, the longest one that matches and passes the guard (a longer
//      candidate that fails falls back to the next shorter one):
//        nouns      -а -я -о -е -є -и -і -ї -у -ю -й, -ою -ею -єю, -ом -єм, -ям -ами -ями,
//                   -ах -ях, -ів -їв, -ей, -ові -еві -єві; -ія -ії -ію -ією -ій -іям -іями -іях
//                   (whole -і- of the very frequent -ія nouns: ситуація/ситуацій → ситуац);
//                   -ість -ості -істю -остей -остям -остями -остях (і/о alternation of
//                   abstract nouns: можливість/можливості → можлив);
//        adjectives -ий -ій -ого -ому -им -ім -их -іх -ими -іми -ої (plus the 1-letter ones);
//        verbs      -ють -уть -ить -іть -єть -еть (the last two only occur before -ся),
//                   -єш -еш -иш, -ємо -емо -имо, -єте -ете -ите, -йте,
//                   -ючи -учи -ачи -ячи (gerunds);
//                   -вати -вав -вала -вало -вали only right after у/ю, keeping the у/ю, so the
//                   -ува-/-юва- verbs meet their present stem (працювати/працював → працю,
//                   like працює/працюють/працюю).
//      Special case instead of an ending: a final -ець becomes -ц when a vowel stays before it
//      (українець → українц, like українця/українці/українців; the fleeting е of the nominative).
//   3. A final soft sign is removed (вчитель → вчител, рішень → рішен, синього → син).
//   4. A final doubled consonant is reduced (рішенн → рішен, so рішення/рішенням/рішенні/
//      рішень all give рішен; знання/знань → знан).
//
//   Deliberately NOT removed, because they collide with frequent bare stems:
//   -ам/-ем (program/problem genitive plural: програм, проблем, систем would lose their м),
//   -ати/-яти/-ити infinitives and -в/-ла/-ло/-ли past tense outside -ува-/-юва- (кімнати, кредити,
//   сигнали, держав would be cut), -ать/-ять (пам'ять, десять).
//
// Expected quality (honest limits): recall is good for noun and adjective inflection of regular
// stems and for the verb forms above; it is poor for plain -ати/-ити verbs (читати/читає give
// читат/чита; робити/робить give робит/роб), for past tense, and for every stem alternation
// (рік/року, Київ/Києва, земля/земель, урок keeps its о but будинок/будинку do not meet).
// Precision: a 3-letter stem floor keeps most short words apart, but homographs of a stem and an
// inflected form do merge: син/синій (son/blue) → син, вода/водій → вод, рада/радість → рад,
// міст/місто → міст, and -ом nouns lose their м (альбом → альб while альбому → альбом).

/// A light Ukrainian stemmer that strips one inflectional ending in place on lowercased UTF-8.
///
/// See the file header for the exact ending list, order and guards. Stems are never shorter than
/// 3 letters and always contain a vowel; words that would violate that are left unchanged.
public struct UkrainianStemmer: Sendable {
    /// Creates a stemmer. The stemmer is stateless; one value can be shared between threads.
    public init() {}

    /// The ending table, copied once from the shared static so `stem` never hits a lazy global.
    private let table = UkrainianEndings.table

    /// Stems the word stored in `word[0..<count]` in place.
    ///
    /// - Parameters:
    ///   - word: UTF-8 bytes of one lowercased word; the stem is left in `word[0..<result]`.
    ///     Bytes are only rewritten by the -ець → -ц rule.
    ///   - count: number of bytes in the word. Zero or negative counts return 0.
    /// - Returns: the byte length of the stem, always `<= max(count, 0)`.
    /// - Complexity: O(count) for one forward scan; ending matching inspects only the last
    ///   16 bytes. Allocates nothing.
    public func stem(_ word: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let n = count

        // Forward scan: letter count (apostrophes excluded) and the end of the first vowel.
        var letters = 0
        var firstVowelEnd = Int.max
        var i = 0
        while i < n {
            let b = word[i]
            if i + 1 < n, b >= 0xD0 && b <= 0xD2 {
                let code = UkrainianEndings.letterCode(b, word[i + 1])
                if code != 0 {
                    letters += 1
                    if firstVowelEnd == Int.max && UkrainianEndings.isVowel(code) { firstVowelEnd = i + 2 }
                    i += 2
                    continue
                }
            }
            if b == 0x27 {
                i += 1  // ASCII apostrophe
            } else if b == 0xE2 && i + 2 < n && word[i + 1] == 0x80 && word[i + 2] == 0x99 {
                i += 3  // U+2019
            } else if b == 0xCA && i + 1 < n && word[i + 1] == 0xBC {
                i += 2  // U+02BC
            } else {
                letters += 1  // anything else counts as one letter but never matches an ending
                i += 1
            }
        }
        if letters <= 3 || firstVowelEnd == Int.max { return n }

        var tail = UkrainianTail(word, end: n)

        // 1. Reflexive -ся / -сь.
        if tail.chars >= 2 && ((tail.key & 0xFFFF) == UkrainianEndings.sya || (tail.key & 0xFFFF) == UkrainianEndings.s_)
            && Self.canCut(2, letters, tail.end, firstVowelEnd) {
            tail.drop(2)
            letters -= 2
            tail.refill(word)
        }

        // 2. -ець → -ц, else one inflectional ending.
        // The е is removed too, so the vowel must lie before it (end - 6).
        if tail.chars >= 3 && (tail.key & 0xFF_FFFF) == UkrainianEndings.ets
            && letters - 2 >= 3 && tail.end - 6 >= firstVowelEnd {
            let p = tail.end - 6  // е ц ь → ц
            word[p] = 0xD1
            word[p + 1] = 0x86
            tail.drop(2)
            letters -= 2
            tail.rewriteLast(UkrainianEndings.codeTse)
        } else {
            let k = tail.longestEnding(table, letters: letters, firstVowelEnd: firstVowelEnd)
            if k > 0 {
                tail.drop(k)
                letters -= k
                tail.refill(word)
            }
        }

        // 3. Final soft sign.
        if tail.chars >= 1 && tail.letter(at: 0) == UkrainianEndings.codeSoft
            && Self.canCut(1, letters, tail.end, firstVowelEnd) {
            tail.drop(1)
            letters -= 1
            tail.refill(word)
        }

        // 4. Final doubled consonant.
        if tail.chars >= 2 {
            let last = tail.letter(at: 0)
            if last == tail.letter(at: 1) && !UkrainianEndings.isVowel(UInt8(last))
                && Self.canCut(1, letters, tail.end, firstVowelEnd) {
                tail.drop(1)
            }
        }
        return tail.end
    }

    /// True when removing the last `k` letters keeps at least 3 letters and a vowel.
    @inline(__always)
    static func canCut(_ k: Int, _ letters: Int, _ end: Int, _ firstVowelEnd: Int) -> Bool {
        letters - k >= 3 && end - 2 * k >= firstVowelEnd
    }

    /// Stems a lowercased word given as a `String` (convenience for tests and tools).
    ///
    /// - Parameter word: one lowercased Ukrainian word.
    /// - Returns: its stem.
    /// - Complexity: O(n); allocates the result string.
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        let newCount = bytes.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            return stem(base, count: buf.count)
        }
        return String(decoding: bytes[0..<newCount], as: UTF8.self)
    }
}

/// The end of the word as packed letter codes (one byte per 2-byte letter, last letter lowest).
///
/// Holds up to 8 trailing letters; reading stops at the first byte pair that is not a lowercase
/// Ukrainian letter, so endings never match across apostrophes or foreign characters.
struct UkrainianTail {
    var key: UInt64 = 0
    var chars = 0
    /// Byte offset one past the current last byte.
    var end: Int
    /// Byte offset of the earliest letter held.
    var start: Int
    var exhausted = false

    @inline(__always)
    init(_ w: UnsafeMutablePointer<UInt8>, end: Int) {
        self.end = end
        self.start = end
        refill(w)
    }

    /// Reads letters before `start` until 8 are held or a non-letter/word start is reached.
    @inline(__always)
    mutating func refill(_ w: UnsafeMutablePointer<UInt8>) {
        while chars < 8 && !exhausted {
            let p = start - 2
            if p < 0 {
                exhausted = true
                break
            }
            let c = UkrainianEndings.letterCode(w[p], w[p + 1])
            if c == 0 {
                exhausted = true
                break
            }
            key |= UInt64(c) << UInt64(8 * chars)
            chars += 1
            start = p
        }
    }

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

    /// Replaces the code of the last letter (after an in-place byte rewrite).
    @inline(__always)
    mutating func rewriteLast(_ code: UInt64) {
        key = (key & ~0xFF) | code
    }

    /// Length in letters of the longest table ending that matches the tail, passes the stem
    /// guard (`UkrainianStemmer.canCut`) and, for -ва- endings, follows у/ю; 0 when none does.
    @inline(__always)
    func longestEnding(_ table: UkrainianEndingTable, letters: Int, firstVowelEnd: Int) -> Int {
        if chars == 0 { return 0 }
        let range = table.buckets[Int(key & 0x3F)]
        var i = Int(range >> 8)
        let stop = i + Int(range & 0xFF)
        while i < stop {
            let e = table.entries[i]
            i += 1
            let len = UkrainianEndings.length(e)
            if len > chars { continue }
            let mask: UInt64 = (UInt64(1) << UInt64(8 * len)) &- 1
            if (key & mask) != (e & 0xFFFF_FFFF_FFFF) { continue }
            if !UkrainianStemmer.canCut(len, letters, end, firstVowelEnd) { continue }
            if UkrainianEndings.needsUYu(e) {
                let before = letter(at: len)
                if before != UkrainianEndings.codeU && before != UkrainianEndings.codeYu { continue }
            }
            return len
        }
        return 0
    }
}

/// Ending entries grouped by last letter: `entries` sorted longest first inside each bucket;
/// `buckets[code & 0x3F]` holds the bucket start (high byte) and size (low byte).
struct UkrainianEndingTable: Sendable {
    let entries: [UInt64]
    let buckets: [UInt16]
}

/// Letter codes and the ending table of the Ukrainian stemmer.
///
/// Entry layout: bits 0–47 the letters (one byte each, last letter lowest), bits 48–55 the
/// length in letters, bit 56 set when the ending must follow у or ю.
enum UkrainianEndings {
    /// One-byte code of a lowercase Ukrainian letter from its two UTF-8 bytes, or 0.
    /// а–п → 0x30–0x3F, р–я → 0x40–0x4F, є → 0x54, і → 0x56, ї → 0x57, ґ → 0x11.
    /// The low 6 bits are unique across these letters.
    @inline(__always)
    static func letterCode(_ a: UInt8, _ b: UInt8) -> UInt8 {
        switch a {
        case 0xD0:
            return (b >= 0xB0 && b <= 0xBF) ? b &- 0x80 : 0
        case 0xD1:
            if b >= 0x80 && b <= 0x8F { return b &- 0x40 }
            if b == 0x94 || b == 0x96 || b == 0x97 { return b &- 0x40 }
            return 0
        case 0xD2:
            return b == 0x91 ? 0x11 : 0
        default:
            return 0
        }
    }

    /// True for the vowels а е є и і ї о у ю я (ы and э also count; they do not occur in Ukrainian).
    @inline(__always)
    static func isVowel(_ code: UInt8) -> Bool {
        (vowelMask >> UInt64(code & 0x3F)) & 1 == 1 && code != 0
    }

    // Codes: а30 е35 и38 о3E у43 ы4B э4D ю4E я4F є54 і56 ї57 → low 6 bits
    // 48 53 56 62 3 11 13 14 15 20 22 23.
    static let vowelMask: UInt64 = (1 << 48) | (1 << 53) | (1 << 56) | (1 << 62) | (1 << 3)
        | (1 << 11) | (1 << 13) | (1 << 14) | (1 << 15) | (1 << 20) | (1 << 22) | (1 << 23)

    static let codeU: UInt64 = 0x43  // у
    static let codeYu: UInt64 = 0x4E  // ю
    static let codeSoft: UInt64 = 0x4C  // ь
    static let codeTse: UInt64 = 0x46  // ц
    /// "ся" and "сь" as two packed letters (last letter lowest).
    static let sya: UInt64 = 0x41_4F
    static let s_: UInt64 = 0x41_4C
    /// "ець" packed.
    static let ets: UInt64 = 0x35_46_4C
    @inline(__always) static func length(_ e: UInt64) -> Int { Int((e >> 48) & 0xFF) }
    @inline(__always) static func needsUYu(_ e: UInt64) -> Bool { (e >> 56) & 1 == 1 }

    static let table: UkrainianEndingTable = build(
        plain: """
        а я о е є и і ї у ю й ою ею єю ом єм ям ами ями ах ях ів їв ей ові еві єві \
        ія ії ію ією ій іям іями іях ість ості істю остей остям остями остях \
        ий ого ому им ім их іх ими іми ої \
        ють уть ить іть єть еть єш еш иш ємо емо имо єте ете ите йте ючи учи ачи ячи
        """,
        afterUYu: "вати вав вала вало вали")

    /// Builds the bucketed table from space-separated ending lists.
    static func build(plain: String, afterUYu: String) -> UkrainianEndingTable {
        var out: [UInt64] = []
        func add(_ list: String, flag: UInt64) {
            for ending in list.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let bytes = Array(ending.utf8)
                var key: UInt64 = 0
                var k = 0
                var p = bytes.count
                while p >= 2 && k < 6 {
                    key |= UInt64(letterCode(bytes[p - 2], bytes[p - 1])) << UInt64(8 * k)
                    k += 1
                    p -= 2
                }
                out.append(key | (UInt64(k) << 48) | (flag << 56))
            }
        }
        add(plain, flag: 0)
        add(afterUYu, flag: 1)
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
        return UkrainianEndingTable(entries: out, buckets: buckets)
    }
}
