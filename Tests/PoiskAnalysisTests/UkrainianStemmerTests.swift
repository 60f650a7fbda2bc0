// UkrainianStemmerTests.swift — behaviour tests for the light UkrainianStemmer.
//
// What it is for: checking that the documented inflection families conflate, that distinct words
// stay distinct, that short words are left alone, and that hostile input never crashes.
// What it is not for: measuring recall on a corpus (there is no Ukrainian reference stemmer).

import PoiskTestSupport
import Testing
import PoiskAnalysis

@Suite("UkrainianStemmer")
struct UkrainianStemmerTests {
    let stemmer = UkrainianStemmer()

    /// Asserts that every word of `family` stems to `expected`.
    private func expectFamily(_ family: [String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in family {
            let got = stemmer.stem(word)
            #expect(got == expected, "\(word) → \(got), expected \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test("surname Зеленський in all cases")
    func surname() {
        expectFamily(
            ["зеленський", "зеленського", "зеленському", "зеленським", "зеленській",
             "зеленська", "зеленської", "зеленською", "зеленську"],
            "зеленськ")
    }

    @Test("hard-stem feminine noun ракета")
    func hardNoun() {
        expectFamily(
            ["ракета", "ракети", "ракеті", "ракету", "ракетою", "ракет", "ракетами", "ракетах"],
            "ракет")
    }

    @Test("-ння nouns, including the genitive plural -нь")
    func nnyaNouns() {
        expectFamily(
            ["рішення", "рішенням", "рішенні", "рішенню", "рішеннями", "рішеннях", "рішень"],
            "рішен")
        expectFamily(["знання", "знанням", "знань"], "знан")
    }

    @Test("-ува-/-юва- verbs")
    func verbs() {
        expectFamily(
            ["працювати", "працює", "працюють", "працював", "працювала", "працювали",
             "працюю", "працюєш", "працюємо", "працюєте", "працюючи"],
            "працю")
        expectFamily(["читає", "читають", "читаючи", "читайте", "читаєш"], "чита")
        // Reflexive forms meet the plain present stem.
        expectFamily(["збирається", "збираються", "збирає", "збирають"], "збира")
    }

    @Test("adjective український")
    func adjective() {
        expectFamily(
            ["український", "українська", "українське", "українського", "українських",
             "українському", "українськими", "українські", "українською", "українську"],
            "українськ")
    }

    @Test("soft-stem nouns, -ія nouns, -ість nouns, -ець nouns")
    func softStems() {
        expectFamily(["земля", "землі", "землею", "землю", "землями", "землях"], "земл")
        expectFamily(["вчитель", "вчителя", "вчителю", "вчителі", "вчителів"], "вчител")
        expectFamily(["ситуація", "ситуації", "ситуацію", "ситуацією", "ситуацій", "ситуаціями", "ситуаціях"], "ситуац")
        expectFamily(["можливість", "можливості", "можливістю", "можливостей", "можливостями"], "можлив")
        expectFamily(["українець", "українця", "українці", "українців", "українцями"], "українц")
        #expect(stemmer.stem("жнець") == "жнец")  // no vowel would be left before -ць: only ь goes
    }

    @Test("apostrophes are kept as part of the word")
    func apostrophes() {
        expectFamily(["пам'ять", "пам'яті"], "пам'ят")
        #expect(stemmer.stem("м'ясо") == "м'яс")
        #expect(stemmer.stem("м\u{2019}ясо") == "м\u{2019}яс")
        #expect(stemmer.stem("ім'я") == "ім'я")  // only 2 letters would remain
    }

    @Test("short words are never over-stemmed")
    func shortWords() {
        for word in ["він", "мій", "так", "але", "дім", "сон", "рік", "вже", "ще", "і", "й", "у"] {
            #expect(stemmer.stem(word) == word, "\(word) must stay unchanged")
        }
        // The stem keeps at least three letters and a vowel.
        #expect(stemmer.stem("мама") == "мам")
        #expect(stemmer.stem("дати") == "дат")
        #expect(stemmer.stem("квіти") == "квіт")
        for word in ["ракета", "вона", "мама", "люди", "герой", "знання", "працює"] {
            #expect(stemmer.stem(word).count >= 3)
        }
    }

    @Test("distinct words stay distinct")
    func distinct() {
        let words = [
            "ракета", "рука", "річка", "мова", "місто", "місце", "країна", "кран", "дума", "думка",
            "рішення", "вода", "війна", "віра", "ворог", "воля", "поле", "море", "гора", "голова",
            "книга", "робота", "машина", "людина", "дитина", "сонце", "небо", "земля", "зелений",
            "український", "президент", "уряд", "закон", "новина", "світ", "сила", "слово", "час",
            "день", "ніч", "рік", "місяць", "тиждень", "школа", "вчитель", "лікар", "лікарня",
            "хвороба", "держава", "армія", "танк", "ракетний", "зброя", "мир", "правда", "сім'я",
            "батько", "мати", "брат", "сестра", "друг", "ворота", "поїзд", "літак", "корабель",
        ]
        var seen: [String: String] = [:]
        for word in words {
            let s = stemmer.stem(word)
            if let other = seen[s] {
                Issue.record("\(word) and \(other) both stem to \(s)")
            }
            seen[s] = word
        }
        #expect(seen.count == words.count)
        // Derived words with a different suffix stay apart from their base.
        #expect(stemmer.stem("ракетний") != stemmer.stem("ракета"))
        #expect(stemmer.stem("україна") != stemmer.stem("український"))
    }

    @Test("non-Ukrainian input is left alone or handled without crashing")
    func foreign() {
        #expect(stemmer.stem("") == "")
        #expect(stemmer.stem("hello") == "hello")
        #expect(stemmer.stem("2025") == "2025")
        #expect(stemmer.stem("ракетаx") == "ракетаx")
        #expect(stemmer.stem("xракета") == "xракет")
    }

    @Test("robustness: empty, one letter, long words, random bytes")
    func robustness() {
        func run(_ input: [UInt8]) -> Int {
            var bytes = input
            return bytes.withUnsafeMutableBufferPointer { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return stemmer.stem(base, count: buf.count)
            }
        }
        #expect(run([]) == 0)
        #expect(run(Array("і".utf8)) == 2)
        #expect(run([0xD1]) == 1)
        #expect(run([0xD2, 0x91]) == 2)
        var zero: [UInt8] = [0xD0, 0xB0]
        let z = zero.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return -1 }
            return stemmer.stem(base, count: 0) + stemmer.stem(base, count: -3)
        }
        #expect(z == 0)

        let long = String(repeating: "ракета", count: 25)  // 300 bytes
        #expect(long.utf8.count == 300)
        #expect(run(Array(long.utf8)) == 298)
        let longSoft = String(repeating: "ь", count: 150)
        #expect(run(Array(longSoft.utf8)) == 300)  // no vowel: unchanged

        var rng = SplitMix64(seed: 0xC0FF_EE00_2025)
        for _ in 0..<20_000 {
            let len = Int(rng.next() % 40)
            var input = [UInt8](repeating: 0, count: len)
            for j in 0..<len {
                let r = rng.next()
                switch r % 5 {
                case 0: input[j] = 0xD0
                case 1: input[j] = 0xD1
                case 2: input[j] = UInt8(0x80 + (r >> 8) % 0x40)
                case 3: input[j] = [0x27, 0xE2, 0x80, 0x99, 0xCA, 0xBC, 0xD2][Int((r >> 8) % 7)]
                default: input[j] = UInt8(truncatingIfNeeded: r >> 16)
                }
            }
            let n = run(input)
            #expect(n >= 0 && n <= len)
            if n < 0 || n > len { break }
        }
    }
}

