// RussianStemmerTests.swift — checks RussianStemmer against the Snowball reference.
//
// What it is for: proving byte-exact agreement with the official Snowball Russian stemmer on the
// generated fixture (Tests/Fixtures/stemmer-russian.tsv, produced by
// Scripts/gen-stemmer-fixtures-russian.py), plus hand-written expectations for each algorithm step
// and robustness on hostile input. What it is not for: performance measurement.

import PoiskTestSupport
import Foundation
import Testing
import PoiskAnalysis

@Suite("RussianStemmer")
struct RussianStemmerTests {
    let stemmer = RussianStemmer()

    static var fixtureURL: URL { Fixtures.url("stemmer-russian.tsv") }

    @Test("agrees 100% with Snowball on the fixture")
    func fixtureAgreement() throws {
        let data = try Data(contentsOf: Self.fixtureURL)
        let text = String(decoding: data, as: UTF8.self)
        var total = 0
        var mismatches: [String] = []
        var mismatchCount = 0
        var withYo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let word = String(parts[0])
            let expected = String(parts[1])
            if word.contains("ё") { withYo += 1 }
            total += 1
            let got = stemmer.stem(word)
            if got != expected {
                mismatchCount += 1
                if mismatches.count < 20 {
                    mismatches.append("\(word): expected \(expected), got \(got)")
                }
            }
        }
        #expect(total >= 20_000, "fixture too small: \(total) words")
        #expect(withYo > 0, "fixture should contain words with ё")
        #expect(
            mismatchCount == 0,
            "\(mismatchCount) of \(total) words differ; first \(mismatches.count):\n\(mismatches.joined(separator: "\n"))"
        )
    }

    @Test("each algorithm step on hand-picked words")
    func explicitExamples() {
        // Noun endings and ё folding.
        #expect(stemmer.stem("ракета") == "ракет")
        #expect(stemmer.stem("ракеты") == "ракет")
        #expect(stemmer.stem("ракетами") == "ракет")
        #expect(stemmer.stem("ракет") == "ракет")
        #expect(stemmer.stem("ёлками") == "елк")
        #expect(stemmer.stem("ёлка") == "елк")
        #expect(stemmer.stem("елка") == "елк")
        #expect(stemmer.stem("замок") == "замок")
        #expect(stemmer.stem("замками") == "замк")
        // Superlative ейш and нн → н.
        #expect(stemmer.stem("красивейший") == "красив")
        #expect(stemmer.stem("длинный") == "длин")
        #expect(stemmer.stem("каменный") == "камен")
        // Perfective gerunds (group 1 needs а/я before the suffix).
        #expect(stemmer.stem("бегая") == "бег")
        #expect(stemmer.stem("сделавшись") == "сдела")
        #expect(stemmer.stem("прочитав") == "прочита")
        #expect(stemmer.stem("купив") == "куп")
        // Reflexive verbs.
        #expect(stemmer.stem("собираться") == "собира")
        #expect(stemmer.stem("собирался") == "собира")
        #expect(stemmer.stem("учиться") == "уч")
        // Derivational -ость (in R2) and final ь.
        #expect(stemmer.stem("радость") == "радост")
        #expect(stemmer.stem("смелость") == "смелост")  // ость not in R2
        #expect(stemmer.stem("возможность") == "возможн")
        #expect(stemmer.stem("возможности") == "возможн")
        // Adjectival with participle.
        #expect(stemmer.stem("бегающий") == "бега")
        #expect(stemmer.stem("рисующий") == "рис")
        // Verbs.
        #expect(stemmer.stem("читали") == "чита")
        #expect(stemmer.stem("говорить") == "говор")
        // Words without a vowel-then-anything region are untouched.
        #expect(stemmer.stem("в") == "в")
        #expect(stemmer.stem("мы") == "мы")
        #expect(stemmer.stem("") == "")
    }

    @Test("in-place API folds ё and returns the stem length")
    func inPlace() {
        var bytes = Array("ёлками".utf8)
        let n = bytes.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return -1 }
            return stemmer.stem(base, count: buf.count)
        }
        #expect(n == 6)
        #expect(String(decoding: bytes[0..<n], as: UTF8.self) == "елк")
        // Zero and negative counts.
        var one: [UInt8] = [0xD0]
        let z = one.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return -1 }
            return stemmer.stem(base, count: 0) + stemmer.stem(base, count: -5)
        }
        #expect(z == 0)
    }

    @Test("non-Cyrillic and mixed words are handled without crashing")
    func mixed() {
        #expect(stemmer.stem("hello") == "hello")
        #expect(stemmer.stem("123") == "123")
        // Latin letters inside the word stop suffix matching at that point.
        #expect(stemmer.stem("xракета") == "xракет")
        #expect(stemmer.stem("ракетаx") == "ракетаx")
        // Uppercase Cyrillic is not lowercased (caller's job) and is treated as consonants.
        #expect(stemmer.stem("РАКЕТЫ") == "РАКЕТЫ")
    }

    @Test("robustness: empty, one letter, long words, random bytes")
    func robustness() {
        func run(_ input: [UInt8]) -> (Int, [UInt8]) {
            var bytes = input
            let n = bytes.withUnsafeMutableBufferPointer { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return stemmer.stem(base, count: buf.count)
            }
            return (n, bytes)
        }
        #expect(run([]).0 == 0)
        #expect(run(Array("а".utf8)).0 == 2)
        #expect(run(Array("я".utf8)).0 == 2)
        #expect(run([0xD1]).0 == 1)
        #expect(run([0x91]).0 == 1)

        // 300-byte words: 150 Cyrillic letters.
        let long = String(repeating: "ракета", count: 25)
        let (ln, lbytes) = run(Array(long.utf8))
        #expect(long.utf8.count == 300)
        #expect(ln == 298)
        #expect(String(decoding: lbytes[0..<ln], as: UTF8.self) == String(long.dropLast()))
        let longYo = String(repeating: "ё", count: 150)
        let (yn, ybytes) = run(Array(longYo.utf8))
        #expect(yn <= 300)
        #expect(ybytes[0] == 0xD0 && ybytes[1] == 0xB5)

        // Random bytes from a seeded generator, biased towards Cyrillic lead bytes.
        var rng = SplitMix64(seed: 0x5EED_2025)
        for _ in 0..<20_000 {
            let len = Int(rng.next() % 40)
            var input = [UInt8](repeating: 0, count: len)
            for j in 0..<len {
                let r = rng.next()
                switch r % 4 {
                case 0: input[j] = 0xD0
                case 1: input[j] = 0xD1
                case 2: input[j] = UInt8(0x80 + (r >> 8) % 0x40)
                default: input[j] = UInt8(truncatingIfNeeded: r >> 16)
                }
            }
            let (n, _) = run(input)
            #expect(n >= 0 && n <= len)
            if n < 0 || n > len { break }
        }
    }
}

