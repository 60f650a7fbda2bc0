// EnglishStemmerTests.swift — conformance and robustness tests for EnglishStemmer.
//
// What it is for: proving byte-exact agreement with the reference Snowball English
// stemmer on the generated fixture (Tests/Fixtures/stemmer-english.tsv, produced by
// Scripts/gen-stemmer-fixtures.py), pinning a few well-known stems, and checking
// that arbitrary bytes never crash or write outside the word.
// What it is not for: performance measurement.

import PoiskTestSupport
import Foundation
import Testing
import PoiskAnalysis

/// Where the checked-in fixtures live.
private let fixturesDirectory = Fixtures.fixtures

/// Loads `word<TAB>stem` pairs from a fixture file.
private func loadPairs(_ name: String) throws -> [(word: String, stem: String)] {
    let url = fixturesDirectory.appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    var pairs: [(word: String, stem: String)] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
        guard fields.count == 2 else { continue }
        pairs.append((String(fields[0]), String(fields[1])))
    }
    return pairs
}

/// Stems `bytes` through the pointer API inside a buffer with guard bytes on both
/// sides; records an issue if anything outside `bytes` was written.
private func stemBytes(_ bytes: [UInt8], _ stemmer: EnglishStemmer = EnglishStemmer()) -> [UInt8] {
    let guardSize = 16
    let guardByte: UInt8 = 0xA5
    var buffer = [UInt8](repeating: guardByte, count: bytes.count + 2 * guardSize)
    for (i, b) in bytes.enumerated() { buffer[guardSize + i] = b }
    let count = bytes.count
    let newCount = buffer.withUnsafeMutableBufferPointer { buf -> Int in
        guard let base = buf.baseAddress else { return -1 }
        return stemmer.stem(base + guardSize, count: count)
    }
    #expect(newCount >= 0 && newCount <= count, "length \(newCount) out of 0...\(count)")
    let untouched = buffer[0..<guardSize].allSatisfy { $0 == guardByte }
        && buffer[(guardSize + count)...].allSatisfy { $0 == guardByte }
    #expect(untouched, "stemmer wrote outside the word")
    let clamped = min(max(newCount, 0), count)
    return Array(buffer[guardSize..<(guardSize + clamped)])
}


@Suite("EnglishStemmer")
struct EnglishStemmerTests {
    let stemmer = EnglishStemmer()

    @Test("agrees 100% with Snowball on the fixture (pointer API)")
    func fixtureAgreement() throws {
        let pairs = try loadPairs("stemmer-english.tsv")
        #expect(pairs.count >= 20_000)
        var mismatches: [String] = []
        var mismatchCount = 0
        for (word, expected) in pairs {
            let got = stemBytes(Array(word.utf8), stemmer)
            if got != Array(expected.utf8) {
                mismatchCount += 1
                if mismatches.count < 20 {
                    mismatches.append("\(word) -> \(String(decoding: got, as: UTF8.self)) (expected \(expected))")
                }
            }
        }
        #expect(mismatchCount == 0, "\(mismatchCount) of \(pairs.count) mismatches; first: \(mismatches.joined(separator: "; "))")
    }

    @Test("String convenience agrees with the fixture")
    func fixtureAgreementString() throws {
        let pairs = try loadPairs("stemmer-english.tsv")
        var mismatchCount = 0
        var first: [String] = []
        for (word, expected) in pairs where stemmer.stem(word) != expected {
            mismatchCount += 1
            if first.count < 20 { first.append("\(word) -> \(stemmer.stem(word)) (expected \(expected))") }
        }
        #expect(mismatchCount == 0, "\(mismatchCount) mismatches; first: \(first.joined(separator: "; "))")
    }

    @Test("fixture covers the special cases and non-ASCII words")
    func fixtureCoverage() throws {
        let words = Set(try loadPairs("stemmer-english.tsv").map(\.word))
        for w in ["skies", "dying", "news", "inning", "proceed", "generously", "'tis", "sayings", "café", "naïvely"] {
            #expect(words.contains(w), "fixture lacks \(w)")
        }
        #expect(words.filter { !$0.utf8.allSatisfy { $0 < 0x80 } }.count >= 50)
    }

    @Test("well-known stems", arguments: [
        ("generously", "generous"), ("generation", "generat"), ("communism", "communism"),
        ("arsenal", "arsenal"), ("universal", "universal"), ("pasting", "paste"),
        ("dying", "die"), ("lying", "lie"), ("skies", "sky"), ("skis", "ski"), ("news", "news"),
        ("only", "onli"), ("early", "earli"), ("gently", "gentl"),
        ("proceeding", "proceed"), ("succeeded", "succeed"), ("evening", "evening"),
        ("inning", "inning"), ("hopping", "hop"), ("hoping", "hope"), ("running", "run"),
        ("fluently", "fluentli"), ("happily", "happili"), ("cried", "cri"), ("ties", "tie"),
        ("ponies", "poni"), ("caresses", "caress"), ("gas", "gas"), ("this", "this"),
        ("kiwis", "kiwi"), ("relational", "relat"), ("'tis", "tis"), ("youth", "youth"),
        ("sayings", "say"), ("cafés", "café"), ("naïvely", "naïv"), ("résumés", "résumé"),
        ("ab", "ab"), ("yy", "yy"), ("'s'", "s"), ("''s", ""),
    ])
    func knownStems(word: String, stem: String) {
        #expect(stemmer.stem(word) == stem)
        #expect(stemBytes(Array(word.utf8), stemmer) == Array(stem.utf8))
    }

    @Test("long non-ASCII words (including ones past the stack scratch size)")
    func longNonASCII() {
        let e100 = String(repeating: "é", count: 100)
        #expect(stemmer.stem(e100 + "ational") == e100 + "ation")
        #expect(stemmer.stem("r" + e100 + "elational") == "r" + e100 + "elat")
        let we = String(repeating: "wé", count: 150)
        #expect(stemmer.stem(we + "nesses") == we + "ness")
        let o300 = String(repeating: "ö", count: 300)
        #expect(stemmer.stem(o300 + "eeedly") == o300 + "eeed")
    }

    @Test("degenerate lengths")
    func degenerateLengths() {
        #expect(stemBytes([]) == [])
        #expect(stemBytes(Array("a".utf8)) == Array("a".utf8))
        #expect(stemBytes(Array("s".utf8)) == Array("s".utf8))
        #expect(stemBytes(Array("is".utf8)) == Array("is".utf8))
        // A nil-free zero count through the raw API.
        var one: UInt8 = 0x61
        #expect(stemmer.stem(&one, count: 0) == 0)
        #expect(stemmer.stem(&one, count: -5) == 0)
        let a200 = [UInt8](repeating: 0x61, count: 200)
        #expect(stemBytes(a200) == a200)
        let long = Array((String(repeating: "abc", count: 66) + "ational").utf8)
        #expect(stemBytes(long).count <= long.count)
        #expect(stemmer.stem(String(repeating: "abc", count: 66) + "ational") == String(repeating: "abc", count: 66))
    }

    @Test("digits, punctuation and random bytes never crash or overrun")
    func fuzz() {
        var rng = SplitMix64(seed: 0x5EED_0F_57E3)
        let letters = Array("abcdefghijklmnopqrstuvwxyz'yyyeeiiss0123456789".utf8)
        let nonASCII: [[UInt8]] = [Array("é".utf8), Array("ö".utf8), Array("ß".utf8), Array("€".utf8), Array("😀".utf8), [0x80], [0xFF], [0xC3], [0xE2, 0x82]]
        for round in 0..<20_000 {
            let length = Int.random(in: 0...(round % 10 == 0 ? 300 : 24), using: &rng)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(length * 2)
            while bytes.count < length {
                switch round % 3 {
                case 0:
                    bytes.append(UInt8.random(in: 0...255, using: &rng))
                case 1:
                    bytes.append(letters[Int.random(in: 0..<letters.count, using: &rng)])
                default:
                    if Int.random(in: 0..<5, using: &rng) == 0 {
                        bytes.append(contentsOf: nonASCII[Int.random(in: 0..<nonASCII.count, using: &rng)])
                    } else {
                        bytes.append(letters[Int.random(in: 0..<letters.count, using: &rng)])
                    }
                }
            }
            let first = stemBytes(bytes, stemmer)
            #expect(first.count <= bytes.count)
            // Deterministic: the same input gives the same output.
            #expect(stemBytes(bytes, stemmer) == first)
            // The stem keeps the word's non-ASCII bytes, in order.
            #expect(first.filter { $0 >= 0x80 } == bytes.filter { $0 >= 0x80 })
        }
    }

    @Test("digits are non-vowels and stay put")
    func digits() {
        #expect(stemmer.stem("123") == "123")
        #expect(stemmer.stem("x86s") == "x86s")
        #expect(stemmer.stem("ipv6ing") == "ipv6")
        #expect(stemmer.stem("mp3s") == "mp3s")
    }
}
