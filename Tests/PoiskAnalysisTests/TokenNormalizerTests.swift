// TokenNormalizerTests.swift
//
// What it is for: the behaviour of `TokenNormalizer` step by step (ignorables, compatibility mapping
// + case folding, composition, stress marks, ё, apostrophes, Latin diacritics, mixed-script repair),
// each option on and off, the `WordScript` summary, robustness on hostile input, idempotence, and
// agreement of the table-free fast path with the table-driven general path.
// What it is not for: word segmentation or stemming (tested elsewhere).

import PoiskTestSupport
import Testing
@testable import PoiskAnalysis


private let defaultNormalizer = TokenNormalizer()
private let noFold = TokenNormalizer(options: .init(foldYo: false, foldDiacritics: false, repairMixedScripts: false))

private func norm(_ s: String, _ n: TokenNormalizer = defaultNormalizer) -> String { n.normalize(s) }

private func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

/// Runs only the general (table-driven) path, bypassing the fast path.
private func generalOnly(_ s: String, _ n: TokenNormalizer = defaultNormalizer) -> (String, WordScript) {
    var copy = s
    var out: [UInt8] = []
    var script = copy.withUTF8 { buf -> WordScript in
        guard let base = buf.baseAddress, buf.count > 0 else { return WordScript() }
        return n.generalPath(base, buf.count, &out)
    }
    if n.options.repairMixedScripts && script.latinLetters > 0 && script.cyrillicLetters > 0 {
        n.repairMixedScripts(&out, &script)
    }
    return (String(decoding: out, as: UTF8.self), script)
}

@Suite("TokenNormalizer")
struct TokenNormalizerTests {

    // MARK: (a) ignorables

    @Test("soft hyphen and zero-width characters are deleted")
    func ignorables() {
        #expect(norm("soft\u{AD}ware") == "software")
        #expect(norm("zero\u{200B}width") == "zerowidth")
        #expect(norm("a\u{200C}b\u{200D}c\u{2060}d\u{FEFF}e") == "abcde")
        #expect(norm("ра\u{AD}ке\u{200B}та") == "ракета")
        #expect(norm("\u{FEFF}\u{200B}") == "")
        #expect(scalars(norm("e\u{301}\u{AD}t\u{E9}", noFold)) == [0xE9, 0x74, 0xE9])
        // An ignorable between a vowel and its stress mark does not protect the mark.
        #expect(norm("за\u{AD}\u{301}мок") == "замок")
    }

    // MARK: (b) compatibility mapping + full case folding

    @Test("compatibility mapping and full case folding")
    func caseFolding() {
        #expect(norm("ПАТРИОТ") == "патриот")
        #expect(norm("Straße") == "strasse")
        #expect(norm("STRAẞE") == "strasse")
        #expect(norm("ＰＡＴＲＩＯＴ") == "patriot")
        #expect(norm("ﬁle") == "file")
        #expect(norm("x²") == "x2")
        #expect(norm("㎏") == "kg")
        #expect(norm("ΣΊΣΥΦΟΣ") == "σίσυφοσ")          // final sigma folds to σ
        #expect(norm("ς") == "σ")
        #expect(norm("Ǆemal") == "dzemal")
        #expect(norm("ÉCOLE", noFold) == "école")
        #expect(norm("ＡＢＣ１２３") == "abc123")
    }

    @Test("İ folds to i + U+0307; diacritic folding drops the dot")
    func dottedCapitalI() {
        #expect(norm("İstanbul") == "istanbul")
        #expect(scalars(norm("İstanbul", noFold)) == [0x69, 0x307] + scalars("stanbul"))
        #expect(norm("ı") == "i")
        #expect(norm("ı", noFold) == "ı")
    }

    // MARK: (c) canonical composition and ё

    @Test("canonical composition of Cyrillic letters")
    func cyrillicComposition() {
        let keepYo = TokenNormalizer(options: .init(foldYo: false))
        #expect(scalars(norm("и\u{306}од")) == scalars("йод"))
        #expect(norm("И\u{306}ОД") == "йод")
        #expect(norm("е\u{308}лка", keepYo) == "ёлка")
        #expect(norm("е\u{308}лка") == "елка")
        #expect(norm("і\u{308}жак") == "їжак")
        #expect(norm("у\u{306}") == "ў")
        #expect(norm("Ё") == "е")
        #expect(norm("Ё", keepYo) == "ё")
        #expect(norm("ЁЖИК", keepYo) == "ёжик")
        #expect(norm("ЁЖИК") == "ежик")
        #expect(norm("Е\u{308}ЖИК", keepYo) == "ёжик")
    }

    @Test("й ё ї ў are letters, never folded to their bases")
    func shortLettersSurvive() {
        for n in [defaultNormalizer, noFold, TokenNormalizer(options: .init(foldYo: false))] {
            #expect(norm("йод", n) == "йод")
            #expect(norm("їжак", n) == "їжак")
            #expect(norm("ўсё", n).hasPrefix("ў"))
            #expect(norm("Й", n) == "й")
        }
        #expect(norm("ёж", TokenNormalizer(options: .init(foldYo: false, foldDiacritics: true))) == "ёж")
    }

    @Test("Latin composition without diacritic folding")
    func latinComposition() {
        #expect(scalars(norm("cafe\u{301}", noFold)) == scalars("café"))
        #expect(scalars(norm("CAFE\u{301}", noFold)) == scalars("café"))
        #expect(norm("café", noFold) == "café")
        #expect(scalars(norm("n\u{303}", noFold)) == [0xF1])
        // Canonical reordering: dot below (ccc 220) before circumflex (ccc 230), either input order.
        #expect(scalars(norm("e\u{302}\u{323}", noFold)) == [0x1EC7])
        #expect(scalars(norm("e\u{323}\u{302}", noFold)) == [0x1EC7])
        #expect(norm("Łódź", noFold) == "łódź")
        // Hangul conjoining jamo compose to a syllable.
        #expect(norm("\u{1112}\u{1161}\u{11AB}") == "한")
    }

    // MARK: (d) stress marks

    @Test("stress marks on Cyrillic vowels are removed")
    func stressMarks() {
        #expect(norm("за́мок") == "замок")
        #expect(norm("замо́к") == "замок")
        #expect(norm("за\u{300}мок") == "замок")
        #expect(norm("ЗА́МОК") == "замок")
        #expect(norm("ѐж") == "еж")
        #expect(norm("ѝ") == "и")
        #expect(norm("Ѐ") == "е")
        #expect(norm("все\u{308}\u{301}", TokenNormalizer(options: .init(foldYo: false))) == "всё")
        #expect(norm("ї\u{301}жак") == "їжак")
        // Stress removal does not depend on diacritic folding.
        #expect(norm("за́мок", noFold) == "замок")
        // Not after a consonant: г + acute is the Macedonian letter ѓ.
        #expect(norm("г\u{301}", noFold) == "ѓ")
        #expect(norm("ѓ") == "ѓ")
    }

    @Test("other marks on Cyrillic letters are dropped only with diacritic folding")
    func cyrillicStrayMarks() {
        #expect(norm("м\u{323}ир") == "мир")
        #expect(scalars(norm("м\u{323}ир", noFold)) == [0x43C, 0x323, 0x438, 0x440])
        #expect(norm("д\u{33E}ом") == "дом")
    }

    // MARK: (e) apostrophes

    @Test("apostrophe variants become U+0027")
    func apostrophes() {
        for a in ["\u{2019}", "\u{2018}", "\u{02BC}", "`", "\u{00B4}", "\u{2032}", "'"] {
            #expect(norm("м\(a)ята") == "м'ята")
            #expect(norm("don\(a)t") == "don't")
            #expect(norm("O\(a)Neill") == "o'neill")
        }
        #expect(norm("don`t", noFold) == "don't")
    }

    // MARK: (f) Latin diacritics

    @Test("Latin diacritic folding on and off")
    func latinDiacritics() {
        let cases: [(String, String)] = [
            ("café", "cafe"), ("naïve", "naive"), ("Łódź", "lodz"), ("Ørsted", "orsted"), ("đak", "dak"),
            ("Æther", "aether"), ("Œuvre", "oeuvre"), ("Þing", "thing"), ("Ħal", "hal"), ("crème brûlée", "creme brulee"),
            ("façade", "facade"), ("Ångström", "angstrom"), ("São", "sao"), ("a\u{301}\u{301}", "a"),
        ]
        for (input, folded) in cases {
            #expect(norm(input) == folded, "\(input)")
            #expect(norm(input, noFold) != folded, "\(input) must keep its diacritics without folding")
        }
        #expect(norm("Ørsted", noFold) == "ørsted")
        #expect(norm("Æther", noFold) == "æther")
        // Greek keeps its accents (only Latin letters are folded).
        #expect(norm("ά") == "ά")
    }

    // MARK: (g) mixed-script repair

    @Test("mixed-script repair")
    func mixedScripts() {
        #expect(norm("Pаtriot") == "patriot")          // Cyrillic а in a Latin word
        #expect(norm("Пatriot") == "patriot")          // Cyrillic П in a Latin word
        #expect(norm("рaкета") == "ракета")            // Latin a in a Russian word
        #expect(norm("MOCKBA") == "mockba")            // pure Latin stays Latin
        #expect(norm("MОСКВА") == "москва")            // Latin M in a Cyrillic word
        #expect(norm("Bлaдимиp") == "владимир")
        #expect(norm("Пa") == "pa")                    // tie → Latin
        #expect(norm("Жjx") == "zjx")                  // transliteration of a letter without look-alike
        #expect(norm("Ъab") == "ъab")                  // ъ has no Latin counterpart
        #expect(norm("сlон") == "сlон")                // l has no Cyrillic look-alike: stays
        #expect(norm("iгра") == "ігра")                 // i → і (Ukrainian look-alike)
        #expect(norm("Pаtriot", TokenNormalizer(options: .init(repairMixedScripts: false))) == "pаtriot")
        #expect(norm("рaкета", TokenNormalizer(options: .init(repairMixedScripts: false))) == "рaкета")
    }

    @Test("the transliteration table covers U+0430…U+045F")
    func transliterationTable() {
        #expect(TokenNormalizer.cyrillicToLatin.count == 48)
        let expected: [(Character, Character)] = [("а", "a"), ("в", "b"), ("н", "h"), ("р", "p"), ("с", "c"), ("у", "y"),
                                                  ("х", "x"), ("я", "a"), ("ю", "u"), ("џ", "d"), ("ў", "u"), ("ї", "i")]
        for (cy, lat) in expected {
            let c = cy.unicodeScalars.first?.value ?? 0
            #expect(TokenNormalizer.latinFor(c) == lat.asciiValue, "\(cy)")
        }
        #expect(TokenNormalizer.latinFor(0x44A) == 0)   // ъ
        #expect(TokenNormalizer.latinFor(0x44C) == 0)   // ь
    }

    @Test("pure words are unchanged apart from case")
    func pureWords() {
        #expect(norm("Москва") == "москва")
        #expect(norm("Patriot") == "patriot")
        #expect(norm("ПВО") == "пво")
        #expect(norm("C++") == "c++")
        #expect(norm("S-300") == "s-300")
        #expect(norm("С-300") == "с-300")
        #expect(norm("東京") == "東京")
        #expect(norm("ελληνικά") == "ελληνικά")
    }

    @Test("digits do not count as letters in the majority vote")
    func digitsInRepair() {
        // Cyrillic majority (2 vs 1) even though the word has many digits.
        #expect(norm("Тяy123456") == "тяу123456")
        // Latin majority (2 vs 1).
        #expect(norm("Тya12345") == "tya12345")
        // Tie (1 vs 1) → Latin.
        #expect(norm("Тy1234567") == "ty1234567")
    }

    // MARK: WordScript

    @Test("WordScript summary")
    func wordScript() {
        let n = defaultNormalizer
        var r = n.normalizeWithScript("ПАТРИОТ")
        #expect(r.script == WordScript(cyrillicLetters: 7, isASCII: false))
        r = n.normalizeWithScript("Patriot3")
        #expect(r.script == WordScript(latinLetters: 7, digits: 1, isASCII: true))
        r = n.normalizeWithScript("м’ята")
        #expect(r.script == WordScript(cyrillicLetters: 4, hasApostrophe: true, isASCII: false))
        r = n.normalizeWithScript("Ґанок")
        #expect(r.script.hasUkrainianLetters && r.script.cyrillicLetters == 5)
        r = n.normalizeWithScript("їжак")
        #expect(r.script.hasUkrainianLetters)
        r = n.normalizeWithScript("ёжик")
        #expect(!r.script.hasUkrainianLetters)
        r = n.normalizeWithScript("Pаtriot")
        #expect(r.script == WordScript(latinLetters: 7, isASCII: true))
        r = n.normalizeWithScript("рaкета")
        #expect(r.script == WordScript(cyrillicLetters: 6, isASCII: false))
        r = n.normalizeWithScript("café")
        #expect(r.script == WordScript(latinLetters: 4, isASCII: true))
        r = noFold.normalizeWithScript("café")
        #expect(r.script == WordScript(latinLetters: 4, isASCII: false))
        r = n.normalizeWithScript("東京2024")
        #expect(r.script == WordScript(digits: 4, otherLetters: 2, isASCII: false))
        r = n.normalizeWithScript("'tis")
        #expect(!r.script.hasApostrophe)
        r = n.normalizeWithScript("rock'n'roll")
        #expect(r.script.hasApostrophe)
        r = n.normalizeWithScript("a''b")
        #expect(!r.script.hasApostrophe)
        r = n.normalizeWithScript("ab'")
        #expect(!r.script.hasApostrophe)
        r = n.normalizeWithScript("iгра")
        #expect(r.script.hasUkrainianLetters && r.script.cyrillicLetters == 4 && r.script.latinLetters == 0)
        r = n.normalizeWithScript("")
        #expect(r.word == "" && r.script == WordScript())
        r = n.normalizeWithScript("١٢٣")                      // Arabic-Indic digits are digits
        #expect(r.script.digits == 3 && r.script.letters == 0)
    }

    // MARK: robustness

    @Test("invalid UTF-8 becomes U+FFFD")
    func invalidUTF8() {
        let n = defaultNormalizer
        var out: [UInt8] = []
        let cases: [[UInt8]] = [
            [0xFF], [0xC0, 0x80], [0xD0], [0xE2, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0x41, 0xD0, 0x41], [0xD0, 0x9F, 0xCC], [0xE2, 0x80, 0x41], [0xF0, 0x9F, 0x98],
        ]
        for bytes in cases {
            let script = bytes.withUnsafeBytes { n.normalize($0, into: &out) }
            let text = String(decoding: out, as: UTF8.self)
            #expect(text.unicodeScalars.contains("\u{FFFD}"), "\(bytes)")
            #expect(String(validating: out, as: UTF8.self) != nil)
            #expect(!script.isASCII)
        }
        _ = [UInt8]([0x41, 0xFF, 0x42]).withUnsafeBytes { n.normalize($0, into: &out) }
        #expect(out == [0x61, 0xEF, 0xBF, 0xBD, 0x62])
        _ = [UInt8]([0xE2, 0x80, 0x41]).withUnsafeBytes { n.normalize($0, into: &out) }
        #expect(out == [0xEF, 0xBF, 0xBD, 0x61])             // maximal subpart E2 80 → one U+FFFD
    }

    @Test("empty input and output reuse")
    func emptyInput() {
        let n = defaultNormalizer
        var out: [UInt8] = Array("leftover".utf8)
        let s = n.normalize(UnsafeRawBufferPointer(start: nil, count: 0), into: &out)
        #expect(out.isEmpty)
        #expect(s == WordScript())
        #expect(n.normalize("") == "")
        #expect(n.normalize("\u{AD}") == "")
    }

    @Test("long input")
    func longInput() {
        // One huge mixed word: 6 Cyrillic vs 8 Latin letters per repetition → Latin majority.
        let long = String(repeating: "Ра́кетаPatriotÉ\u{301}", count: 5000)
        let r = defaultNormalizer.normalize(long)
        #expect(r == String(repeating: "paketapatriote", count: 5000))
        #expect(noFold.normalize(long).hasPrefix("ракетаpatriot"))
        let marks = "a" + String(repeating: "\u{301}\u{323}", count: 1000)
        #expect(defaultNormalizer.normalize(marks) == "a")
        #expect(defaultNormalizer.normalize("б" + String(repeating: "\u{301}\u{323}", count: 1000)) == "б")
        // Without folding, an over-long mark run (beyond the Stream-Safe limit) is kept, never crashes.
        let kept = noFold.normalize(marks)
        #expect(kept.unicodeScalars.count > 1000)
        let ascii = String(repeating: "ABCdef", count: 100_000)
        #expect(defaultNormalizer.normalize(ascii) == String(repeating: "abcdef", count: 100_000))
    }

    @Test("random bytes never crash and always give valid UTF-8", arguments: [1 as UInt64, 2, 3])
    func randomBytes(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var out: [UInt8] = []
        let options: [NormalizationOptions] = [.init(), .init(foldYo: false, foldDiacritics: false, repairMixedScripts: false),
                                               .init(foldYo: true, foldDiacritics: false, repairMixedScripts: true)]
        let normalizers = options.map { TokenNormalizer(options: $0) }
        // Bias towards interesting lead bytes.
        let interesting: [UInt8] = [0xD0, 0xD1, 0xD2, 0xCC, 0xC2, 0xCA, 0xE2, 0x80, 0x99, 0xEF, 0xF0, 0xC3, 0x41, 0x61, 0x27, 0x60]
        for _ in 0..<3000 {
            let len = Int(rng.next() % 40)
            var bytes: [UInt8] = []
            for _ in 0..<len {
                let r = rng.next()
                bytes.append(r & 1 == 0 ? interesting[Int((r >> 8) % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: r >> 16))
            }
            for n in normalizers {
                let script = bytes.withUnsafeBytes { n.normalize($0, into: &out) }
                let valid = String(validating: out, as: UTF8.self)
                #expect(valid != nil)
                #expect(script.isASCII == out.allSatisfy { $0 < 0x80 })
                if let valid {
                    #expect(n.normalize(valid) == valid, "not idempotent for \(bytes)")
                }
            }
        }
    }

    // MARK: idempotence and fast/general agreement

    static let sample: [String] = [
        "ПАТРИОТ", "İstanbul", "Straße", "ＰＡＴＲＩＯＴ", "ﬁle", "и\u{306}од", "е\u{308}лка", "за́мок", "café", "cafe\u{301}",
        "naïve", "Pаtriot", "Пatriot", "рaкета", "Москва", "Patriot", "ПВО", "C++", "м’ята", "Ёжик", "ѐж", "Łódź",
        "ΣΊΣΥΦΟΣ", "한국어", "ᄒ\u{1161}\u{11AB}", "Ǆemal", "soft\u{AD}ware", "Ґанок", "ї", "і\u{308}", "у\u{306}", "ѓ",
        "г\u{301}", "\u{301}a", "ά", "ΐ", "ǅ", "ΐ", "Bлaдимиp", "Жjx", "Ъab", "сlон", "с\u{327}ab", "e\u{308}ёж",
        "O’Neill", "rock'n'roll", "Ѝ", "ЇЖАК", "ŀl", "ǰ", "ẛ", "ﬀ", "Ⅻ", "①②", "x\u{301}\u{302}\u{323}",
        "á\u{301}", "ω\u{345}\u{301}", "Ѷ", "ѷ", "ӓ", "а\u{308}", "ЁЁ", "i\u{307}", "ï", "y\u{308}ж", "жy\u{308}",
    ]

    @Test("idempotence on a sample of mixed words under every option combination")
    func idempotence() {
        for foldYo in [false, true] {
            for foldDiacritics in [false, true] {
                for repair in [false, true] {
                    let n = TokenNormalizer(options: .init(foldYo: foldYo, foldDiacritics: foldDiacritics, repairMixedScripts: repair))
                    for w in Self.sample {
                        let once = n.normalize(w)
                        #expect(n.normalize(once) == once, "\(w) → \(once) with \(n.options)")
                    }
                }
            }
        }
    }

    @Test("the fast path agrees with the general path")
    func fastMatchesGeneral() {
        var words = Self.sample + [
            "Привет", "ПРИВЕТ", "мир", "Ёлка", "ёлка", "ЀЍ", "ѓќ", "Ђорђе", "ҐаНоК", "м’ята", "м‘ята", "мʼята", "м´ята",
            "м′ята", "don`t", "ра\u{AD}ке\u{200B}та", "за́мок", "замо\u{300}к", "рa\u{301}кета", "\u{FEFF}слово", "слово\u{2060}",
            "Pаtriot", "iгра", "ИГРАi", "ab'cd", "'ab", "ab'", "a''b", "x", "1", "Ъ", "ЎЎ", "ЇЇ", "Є", "Ѕ", "Ј",
        ]
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґІЇЄҐѐѝЀЍabcdeXYZ09'`’\u{AD}\u{301}")
        for _ in 0..<2000 {
            let len = Int(rng.next() % 12) + 1
            words.append(String((0..<len).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        for options in [NormalizationOptions(), .init(foldYo: false, foldDiacritics: false, repairMixedScripts: false),
                        .init(foldYo: false, foldDiacritics: true, repairMixedScripts: true)] {
            let n = TokenNormalizer(options: options)
            for w in words {
                let fast = n.normalizeWithScript(w)
                let general = generalOnly(w, n)
                #expect(fast.word == general.0, "\(w)")
                #expect(fast.script == general.1, "\(w)")
            }
        }
    }

    @Test("the general path is taken for non-basic input and reuses the output buffer")
    func outputReuse() {
        let n = defaultNormalizer
        var out: [UInt8] = []
        out.reserveCapacity(64)
        let capacity = out.capacity
        for w in ["Straße", "ПАТРИОТ", "café", "abc"] {
            var copy = w
            _ = copy.withUTF8 { n.normalize(UnsafeRawBufferPointer($0), into: &out) }
            #expect(out.capacity == capacity)
        }
        #expect(String(decoding: out, as: UTF8.self) == "abc")
    }

    @Test("options are Codable with the documented defaults")
    func optionsDefaults() {
        let o = NormalizationOptions()
        #expect(o.foldYo && o.foldDiacritics && o.repairMixedScripts)
        #expect(TokenNormalizer().options == o)
        #expect(NormalizationTables.unicodeVersion.description.hasPrefix("15."))
    }
}
