// WordBreakTests.swift — conformance and robustness tests for `WordSegmenter` (UAX #29 word boundaries).
//
// What it is for: running the official WordBreakTest.txt (Tests/Fixtures) against the exact segmenter,
// checking the search tailoring and the tokenizer's sanity cases, and fuzzing with invalid UTF-8.
// What it is not for: measuring speed (see the benchmarks).

import PoiskTestSupport
import Foundation
import PoiskAnalysis
import Testing

/// One segment as reported by the segmenter.
private struct Segment: Equatable, CustomStringConvertible {
    var range: Range<Int>
    var isWordLike: Bool
    var description: String { "\(range.lowerBound)..<\(range.upperBound)\(isWordLike ? "w" : "")" }
}

private func segments(_ bytes: [UInt8], _ segmenter: WordSegmenter) -> [Segment] {
    var result: [Segment] = []
    bytes.withUnsafeBytes { raw in
        segmenter.forEachSegment(in: raw) { range, isWordLike in
            result.append(Segment(range: range, isWordLike: isWordLike))
        }
    }
    return result
}

private func words(_ text: String, _ segmenter: WordSegmenter = WordSegmenter()) -> [String] {
    let bytes = Array(text.utf8)
    var result: [String] = []
    bytes.withUnsafeBytes { raw in
        segmenter.forEachWord(in: raw) { range in
            result.append(String(decoding: bytes[range], as: UTF8.self))
        }
    }
    return result
}

/// Checks that `segs` are non-empty, contiguous and cover `0..<count` exactly.
private func coversExactly(_ segs: [Segment], count: Int) -> Bool {
    if count == 0 { return segs.isEmpty }
    var expected = 0
    for s in segs {
        if s.range.lowerBound != expected || s.range.isEmpty { return false }
        expected = s.range.upperBound
    }
    return expected == count
}

private let wordBreakFixtures = Fixtures.fixtures

/// One line of WordBreakTest.txt: the text and the byte offsets of its boundaries (including 0 and the end).
private struct ConformanceCase {
    var line: Int
    var source: String
    var bytes: [UInt8]
    var boundaries: [Int]
}

private func loadConformanceCases() throws -> [ConformanceCase] {
    let url = wordBreakFixtures.appendingPathComponent("WordBreakTest.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    var cases: [ConformanceCase] = []
    for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if fields.isEmpty { continue }
        var bytes: [UInt8] = []
        var boundaries: [Int] = []
        for field in fields {
            if field == "÷" {
                boundaries.append(bytes.count)
            } else if field == "×" {
                continue
            } else if let value = UInt32(field, radix: 16), let scalar = Unicode.Scalar(value) {
                bytes += Array(String(Character(scalar)).utf8)
            } else {
                Issue.record("WordBreakTest.txt line \(number + 1): bad field \(field)")
            }
        }
        cases.append(ConformanceCase(line: number + 1, source: String(content), bytes: bytes, boundaries: boundaries))
    }
    return cases
}

@Suite("Word segmentation (UAX #29)")
struct WordBreakTests {
    @Test("WordBreakTest.txt passes 100% with the exact segmenter")
    func conformance() throws {
        let cases = try loadConformanceCases()
        #expect(cases.count > 1800, "expected the full Unicode 15.0 WordBreakTest.txt, got \(cases.count) cases")
        let segmenter = WordSegmenter(tailoredForSearch: false)
        var failures: [String] = []
        var passed = 0
        for c in cases {
            let segs = segments(c.bytes, segmenter)
            let got = [0] + segs.map(\.range.upperBound)
            if got == c.boundaries && coversExactly(segs, count: c.bytes.count) {
                passed += 1
            } else {
                failures.append("line \(c.line): \(c.source) expected \(c.boundaries) got \(got)")
            }
        }
        print("WordBreakTest.txt: \(passed)/\(cases.count) cases passed")
        #expect(failures.count == 0, "\(failures.count) failures, first: \(failures.prefix(5).joined(separator: "\n"))")
        #expect(passed == cases.count)
    }

    @Test(
        "Search tokenizer sanity cases are one word-like segment",
        arguments: [
            "Trump’s", "155mm", "2.3", "1,270", "GMLRS", "Зеленського", "пам'ять", "за\u{301}мок", "и\u{306}",
            "don`t", "don´t", "don′t", "слово\u{200B}слово", "snake_case", "x86_64", "U.S.A", "can't",
        ])
    func sanityOneWord(_ text: String) {
        let segmenter = WordSegmenter(tailoredForSearch: true)
        let segs = segments(Array(text.utf8), segmenter)
        #expect(segs.count == 1, "\(text): \(segmenter.segments(of: text))")
        #expect(segs.first?.isWordLike == true)
        #expect(words(text, segmenter) == [text])
    }

    @Test("e-mail splits into e, -, mail")
    func hyphenSplits() {
        let segmenter = WordSegmenter(tailoredForSearch: true)
        #expect(segmenter.segments(of: "e-mail") == ["e", "-", "mail"])
        let segs = segments(Array("e-mail".utf8), segmenter)
        #expect(segs.map(\.isWordLike) == [true, false, true])
        #expect(words("e-mail") == ["e", "mail"])
    }

    @Test("Tailoring: ZWSP joins and apostrophe variants join only when tailored")
    func tailoring() {
        let exact = WordSegmenter(tailoredForSearch: false)
        let search = WordSegmenter(tailoredForSearch: true)
        #expect(exact.segments(of: "слово\u{200B}слово") == ["слово", "\u{200B}", "слово"])
        #expect(words("слово\u{200B}слово", exact) == ["слово", "слово"])
        #expect(search.segments(of: "слово\u{200B}слово") == ["слово\u{200B}слово"])
        for apostrophe in ["`", "´", "′"] {
            #expect(exact.segments(of: "don\(apostrophe)t") == ["don", apostrophe, "t"])
            #expect(search.segments(of: "don\(apostrophe)t") == ["don\(apostrophe)t"])
            // MidNumLet joins digits too, and never joins at the edges.
            #expect(search.segments(of: "1\(apostrophe)2") == ["1\(apostrophe)2"])
            #expect(search.segments(of: "\(apostrophe)a\(apostrophe)") == [apostrophe, "a", apostrophe])
        }
        #expect(exact.wordBreakProperty(of: "\u{200B}") == .other)
        #expect(search.wordBreakProperty(of: "\u{200B}") == .format)
        #expect(exact.wordBreakProperty(of: "`") == .other)
        #expect(search.wordBreakProperty(of: "`") == .midNumLet)
        #expect(search.wordBreakProperty(of: "\u{2032}") == .midNumLet)
        #expect(search.wordBreakProperty(of: "\u{B4}") == .midNumLet)
        #expect(search.tailoredForSearch && !exact.tailoredForSearch)
        #expect(WordSegmenter().tailoredForSearch)
    }

    @Test("A sentence yields the expected words and segments")
    func sentence() {
        let text = "Trump’s 155mm GMLRS, e-mail: 1,270 at 2.3% — пам'ять.\r\nOK 🇺🇦🇺🇦 👨‍👩‍👧"
        #expect(words(text) == ["Trump’s", "155mm", "GMLRS", "e", "mail", "1,270", "at", "2.3", "пам'ять", "OK"])
        let segs = WordSegmenter().segments(of: text)
        #expect(segs.joined() == text)
        #expect(segs.contains("\r\n"))
        #expect(segs.contains("🇺🇦"))
        #expect(segs.filter { $0 == "🇺🇦" }.count == 2)
        #expect(segs.contains("👨‍👩‍👧"))
    }

    @Test("Table lookups for representative scalars")
    func properties() {
        let s = WordSegmenter(tailoredForSearch: false)
        #expect(s.wordBreakProperty(of: "A") == .aLetter)
        #expect(s.wordBreakProperty(of: "\u{5D0}") == .hebrewLetter)
        #expect(s.wordBreakProperty(of: "\u{30A2}") == .katakana)
        #expect(s.wordBreakProperty(of: "\u{1F1E6}") == .regionalIndicator)
        #expect(s.wordBreakProperty(of: "\u{200D}") == .zwj)
        #expect(s.wordBreakProperty(of: "\u{301}") == .extend)
        #expect(s.wordBreakProperty(of: "\u{AD}") == .format)
        #expect(s.wordBreakProperty(of: "\u{2019}") == .midNumLet)
        #expect(s.wordBreakProperty(of: ":") == .midLetter)
        #expect(s.wordBreakProperty(of: ";") == .midNum)
        #expect(s.wordBreakProperty(of: "\u{661}") == .numeric)
        #expect(s.wordBreakProperty(of: "_") == .extendNumLet)
        #expect(s.wordBreakProperty(of: " ") == .wSegSpace)
        #expect(s.wordBreakProperty(of: "\u{85}") == .newline)
        #expect(s.wordBreakProperty(of: "\u{1D400}") == .aLetter)
        #expect(s.wordBreakProperty(of: "\u{E0020}") == .extend)
        #expect(s.wordBreakProperty(of: "\u{10FFFF}") == .other)
        #expect(s.isAlphanumeric("\u{4E2D}") && s.isAlphanumeric("\u{20000}") && s.isAlphanumeric("\u{B2}"))
        #expect(s.isAlphanumeric("\u{1D400}") && s.isAlphanumeric("ж") && s.isAlphanumeric("7"))
        #expect(!s.isAlphanumeric("_") && !s.isAlphanumeric("\u{301}") && !s.isAlphanumeric("-"))
        #expect(s.isExtendedPictographic("\u{1F600}") && s.isExtendedPictographic("\u{A9}"))
        #expect(!s.isExtendedPictographic("A") && !s.isExtendedPictographic("\u{1F1E6}"))
        #expect(WordSegmenter.unicodeVersion == "15.0.0")
    }

    @Test("Empty input produces no segments")
    func empty() {
        for tailored in [false, true] {
            let segmenter = WordSegmenter(tailoredForSearch: tailored)
            #expect(segments([], segmenter).isEmpty)
            var calls = 0
            segmenter.forEachSegment(in: UnsafeRawBufferPointer(start: nil, count: 0)) { _, _ in calls += 1 }
            segmenter.forEachWord(in: UnsafeRawBufferPointer(start: nil, count: 0)) { _ in calls += 1 }
            #expect(calls == 0)
            #expect(segmenter.segments(of: "").isEmpty)
        }
    }

    @Test("Invalid UTF-8: each maximal invalid subsequence is one U+FFFD segment")
    func invalidUTF8() {
        let s = WordSegmenter(tailoredForSearch: false)
        func ranges(_ bytes: [UInt8]) -> [Range<Int>] { segments(bytes, s).map(\.range) }
        #expect(ranges([0xFF]) == [0..<1])
        #expect(ranges([0x61, 0xFF, 0x62]) == [0..<1, 1..<2, 2..<3])
        // Truncated sequences: the valid prefix is one maximal subpart.
        #expect(ranges([0x61, 0x62, 0xE2, 0x82]) == [0..<2, 2..<4])
        #expect(ranges([0xF0, 0x9F, 0x98]) == [0..<3])
        #expect(ranges([0xD0]) == [0..<1])
        #expect(ranges([0xD0, 0x61]) == [0..<1, 1..<2])
        // Overlong, surrogate, out of range: every byte is its own subpart.
        #expect(ranges([0xC0, 0xAF]) == [0..<1, 1..<2])
        #expect(ranges([0xE0, 0x80, 0xAF]) == [0..<1, 1..<2, 2..<3])
        #expect(ranges([0xED, 0xA0, 0x80]) == [0..<1, 1..<2, 2..<3])
        #expect(ranges([0xF4, 0x90, 0x80, 0x80]) == [0..<1, 1..<2, 2..<3, 3..<4])
        #expect(ranges([0xF5, 0x80]) == [0..<1, 1..<2])
        // A lone continuation byte inside a word breaks it; invalid bytes are never word-like.
        let segs = segments(Array("сло".utf8) + [0x80] + Array("во".utf8), s)
        #expect(segs.map(\.range) == [0..<6, 6..<7, 7..<11])
        #expect(segs.map(\.isWordLike) == [true, false, true])
        // Truncated lookahead after a MidLetter at the very end.
        #expect(ranges([0x61, 0x3A, 0xCC]) == [0..<1, 1..<2, 2..<3])
        #expect(ranges([0x61, 0x3A, 0xCC, 0x81]) == [0..<1, 1..<4])
    }

    @Test("Random bytes never crash, always cover the input, and match String's U+FFFD repair")
    func randomBytes() {
        var rng = SplitMix64(seed: 0x5EED_CAFE_F00D_0001)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("Z9".utf8), Array(" ".utf8), Array(".".utf8), Array("'".utf8), Array(",".utf8),
            Array(":".utf8), Array("\r\n".utf8), Array("_".utf8), Array("\"".utf8), Array("ж".utf8), Array("\u{301}".utf8),
            Array("\u{200D}".utf8), Array("\u{200B}".utf8), Array("\u{5D0}".utf8), Array("\u{30A2}".utf8),
            Array("\u{1F1E6}".utf8), Array("\u{1F600}".utf8), Array("\u{3000}".utf8), Array("`".utf8),
            Array("\u{E0020}".utf8), Array("\u{4E2D}".utf8), Array("7".utf8), Array("\u{AD}".utf8),
        ]
        for tailored in [false, true] {
            let segmenter = WordSegmenter(tailoredForSearch: tailored)
            for round in 0..<3000 {
                let count = Int(rng.next() % 48)
                var bytes: [UInt8] = []
                for _ in 0..<count {
                    let r = rng.next()
                    if r % 3 == 0 {
                        bytes.append(UInt8(truncatingIfNeeded: r >> 8))
                    } else {
                        bytes += pieces[Int((r >> 8) % UInt64(pieces.count))]
                    }
                }
                let segs = segments(bytes, segmenter)
                #expect(coversExactly(segs, count: bytes.count), "round \(round): \(bytes) -> \(segs)")
                // Repairing the bytes with U+FFFD must give the same segmentation (same count, same word-likeness).
                let repaired = Array(String(decoding: bytes, as: UTF8.self).utf8)
                let repairedSegs = segments(repaired, segmenter)
                #expect(repairedSegs.count == segs.count, "round \(round): \(bytes)")
                #expect(repairedSegs.map(\.isWordLike) == segs.map(\.isWordLike), "round \(round): \(bytes)")
                var wordCount = 0
                bytes.withUnsafeBytes { raw in segmenter.forEachWord(in: raw) { _ in wordCount += 1 } }
                #expect(wordCount == segs.filter(\.isWordLike).count)
            }
        }
    }

    @Test("Long ASCII runs: every ASCII byte at every position of a 25-character word (fast paths)")
    func asciiRuns() {
        let segmenter = WordSegmenter(tailoredForSearch: true)
        let letters = Array("abcdefghijklmnopqrstuvwxy".utf8)
        let digits = Array("0123456789012345678901234".utf8)
        func isWordByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }
        for (base, joiners) in [(letters, Array(":.'`".utf8)), (digits, Array(",;.'`".utf8))] {
            for b in UInt8(0)..<128 {
                for k in 1..<(base.count - 1) {
                    var text = base
                    text[k] = b
                    let segs = segments(text, segmenter)
                    let expected = isWordByte(b) || joiners.contains(b) ? 1 : 3
                    #expect(segs.count == expected, "byte \(b) at \(k) in \(String(decoding: base, as: UTF8.self))")
                    #expect(coversExactly(segs, count: text.count))
                    #expect(segs.first?.isWordLike == true && segs.last?.isWordLike == true)
                }
            }
        }
        // Underscore-only runs are segments but not word-like; one letter anywhere makes them word-like.
        for count in [1, 7, 8, 9, 16, 17, 40] {
            let underscores = [UInt8](repeating: 0x5F, count: count)
            #expect(segments(underscores, segmenter) == [Segment(range: 0..<count, isWordLike: false)])
            for k in 0..<count {
                var text = underscores
                text[k] = 0x78
                #expect(segments(text, segmenter) == [Segment(range: 0..<count, isWordLike: true)])
            }
        }
        // Mixed ASCII/Cyrillic words stay one word; a long word followed by punctuation ends at the right byte.
        let mixed = Array("abcdefghijабвгдеёжзийklmnopqrs12345_тест".utf8)
        #expect(segments(mixed, segmenter) == [Segment(range: 0..<mixed.count, isWordLike: true)])
        let long = Array("internationalization, localisation".utf8)
        #expect(segments(long, segmenter).map(\.range) == [0..<20, 20..<21, 21..<22, 22..<34])
    }

    @Test("Random ASCII text: segments follow a direct transcription of the UAX #29 rules")
    func asciiAgainstRules() {
        // Word_Break of the ASCII bytes used: letters, digits, `_`, space, `:` (MidLetter),
        // `.` and `'` (MidNumLet), `,` and `;` (MidNum), CR, LF and `-` (Other).
        enum P { case letter, numeric, extendNumLet, space, midLetter, midNumLet, midNum, cr, lf, other }
        func property(_ b: UInt8) -> P {
            switch b {
            case 0x41...0x5A, 0x61...0x7A: return .letter
            case 0x30...0x39: return .numeric
            case 0x5F: return .extendNumLet
            case 0x20: return .space
            case 0x3A: return .midLetter
            case 0x2E, 0x27: return .midNumLet
            case 0x2C, 0x3B: return .midNum
            case 0x0D: return .cr
            case 0x0A: return .lf
            default: return .other
            }
        }
        /// Whether there is a boundary between `p[k - 1]` and `p[k]` (0 < k < count).
        func isBoundary(_ p: [P], _ k: Int) -> Bool {
            let a = p[k - 1]
            let b = p[k]
            let before = k >= 2 ? p[k - 2] : nil
            let after = k + 1 < p.count ? p[k + 1] : nil
            if a == .cr && b == .lf { return false }  // WB3
            if [.cr, .lf].contains(a) || [.cr, .lf].contains(b) { return true }  // WB3a, WB3b
            if a == .space && b == .space { return false }  // WB3d
            let midLetterQ: Set<P> = [.midLetter, .midNumLet]
            let midNumQ: Set<P> = [.midNum, .midNumLet]
            if a == .letter && b == .letter { return false }  // WB5
            if a == .letter && midLetterQ.contains(b) && after == .letter { return false }  // WB6
            if before == .letter && midLetterQ.contains(a) && b == .letter { return false }  // WB7
            if a == .numeric && b == .numeric { return false }  // WB8
            if a == .letter && b == .numeric { return false }  // WB9
            if a == .numeric && b == .letter { return false }  // WB10
            if before == .numeric && midNumQ.contains(a) && b == .numeric { return false }  // WB11
            if a == .numeric && midNumQ.contains(b) && after == .numeric { return false }  // WB12
            if [.letter, .numeric, .extendNumLet].contains(a) && b == .extendNumLet { return false }  // WB13a
            if a == .extendNumLet && [.letter, .numeric].contains(b) { return false }  // WB13b
            return true  // WB999
        }
        // Spaces between words are the commonest gap, so they are the likeliest byte.
        let alphabet =
            Array("aZq9 _ : .', ;\r\n-".utf8) + [UInt8](repeating: 0x20, count: 6)
            + Array("abcxyz0123".utf8)
        var rng = SplitMix64(seed: 29)
        for segmenter in [WordSegmenter(), WordSegmenter(tailoredForSearch: true)] {
            for _ in 0..<3_000 {
                let n = Int(rng.next() % 24)
                let text = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                let p = text.map(property)
                var expected: [Segment] = []
                var start = 0
                for k in 0...n where k == n || (k > 0 && isBoundary(p, k)) {
                    guard k > start else { continue }
                    let wordLike = p[start..<k].contains { $0 == .letter || $0 == .numeric }
                    expected.append(Segment(range: start..<k, isWordLike: wordLike))
                    start = k
                }
                #expect(segments(text, segmenter) == expected, "\(String(decoding: text, as: UTF8.self).debugDescription)")
            }
        }
    }

    @Test("Every prefix of a mixed text is covered exactly (truncation at any byte)")
    func truncations() {
        let text = Array("Пример: e-mail 1,270.5 don't 👨‍👩‍👧 🇺🇦🇺 a\u{301}b שָׁלוֹם \"ab\" x".utf8)
        let segmenter = WordSegmenter()
        for end in 0...text.count {
            let prefix = Array(text[0..<end])
            #expect(coversExactly(segments(prefix, segmenter), count: end))
        }
    }

    @Test("Errors thrown by the body are rethrown and stop segmentation")
    func bodyErrorsAreRethrown() {
        struct Stop: Error {}
        var calls = 0
        let bytes = Array("one two three".utf8)
        #expect(throws: Stop.self) {
            try bytes.withUnsafeBytes { raw in
                try WordSegmenter().forEachWord(in: raw) { _ in
                    calls += 1
                    if calls == 2 { throw Stop() }
                }
            }
        }
        #expect(calls == 2)
    }
}
