// The whole analysis pipeline: segmentation → normalization → possessives → stop words →
// per-token language dispatch to stemmers.

import PoiskTestSupport
import Foundation
import Testing

@testable import PoiskAnalysis

@Suite struct AnalyzerTests {
    let analyzer = Analyzer()

    @Test func tokensCarryPositionsOffsetsAndTerms() {
        let text = "Trump’s 155mm: ракетами!"
        let tokens = analyzer.tokens(of: text)
        #expect(tokens.map(\.term) == ["trump", "155mm", "ракет"])
        #expect(tokens.map(\.position) == [0, 1, 2])
        #expect(tokens.map(\.text) == ["Trump’s", "155mm", "ракетами"])
        let utf8 = Array(text.utf8)
        for t in tokens { #expect(String(decoding: utf8[t.start..<t.end], as: UTF8.self) == t.text) }
    }

    @Test func numbersAndCodesAreOneTokenAndNotStemmed() {
        #expect(analyzer.terms(of: "2.3 1,270 GMLRS 155mm F-16s") == ["2.3", "1,270", "gmlrs", "155mm", "f", "16s"])
    }

    @Test func languageDispatchPerToken() {
        // English → Porter2, Russian → Snowball Russian, Ukrainian → the light stemmer, in one field.
        #expect(analyzer.terms(of: "missiles ракетами ракетою") == ["missil", "ракет", "ракет"])
        let family = ["Зеленський", "Зеленського", "Зеленському", "Зеленським"].map { analyzer.terms(of: $0) }
        #expect(Set(family.map { $0.first ?? "" }).count == 1)
        // Ukrainian letters route the word to the Ukrainian stemmer and keep their letters.
        #expect(analyzer.terms(of: "України") == ["україн"])
        #expect(analyzer.terms(of: "Україна") == analyzer.terms(of: "України"))
    }

    @Test func cyrillicNormalizationMatchesAcrossForms() {
        #expect(analyzer.terms(of: "ёлка") == analyzer.terms(of: "елка"))
        #expect(analyzer.terms(of: "за\u{301}мок") == analyzer.terms(of: "замок"))
        #expect(analyzer.terms(of: "и\u{306}од") == analyzer.terms(of: "йод"))
        #expect(analyzer.terms(of: "ПАТРИОТ") == analyzer.terms(of: "патриот"))
        #expect(analyzer.terms(of: "Пatriot") == analyzer.terms(of: "Patriot"))
        #expect(analyzer.terms(of: "Pаtriot") == analyzer.terms(of: "Patriot"))
        #expect(analyzer.terms(of: "ＰＡＴＲＩＯＴ") == analyzer.terms(of: "patriot"))
        #expect(analyzer.terms(of: "café naïve") == analyzer.terms(of: "cafe naive"))
        #expect(analyzer.terms(of: "soft\u{AD}ware") == analyzer.terms(of: "software"))
        #expect(analyzer.terms(of: "сло\u{200B}во") == analyzer.terms(of: "слово"))
    }

    @Test func optionsChangeThePipeline() {
        // The Russian stemmer folds ё itself (Snowball 2.2+); without stemming the option shows.
        let noYo = Analyzer(AnalyzerConfiguration(stemming: false, normalization: NormalizationOptions(foldYo: false)))
        #expect(noYo.terms(of: "ёлка") == ["ёлка"])
        #expect(Analyzer(.unstemmed).terms(of: "ёлка") == ["елка"])
        let unstemmed = Analyzer(.unstemmed)
        #expect(unstemmed.terms(of: "ракетами missiles") == ["ракетами", "missiles"])
        let stop = Analyzer(AnalyzerConfiguration(stopWords: [.english, .russian]))
        let tokens = stop.tokens(of: "the missile и ракета")
        #expect(tokens.map(\.term) == ["missil", "ракет"])
        #expect(tokens.map(\.position) == [1, 3])  // stop words leave position gaps
        let englishOnly = Analyzer(AnalyzerConfiguration(languages: [.english]))
        #expect(englishOnly.terms(of: "ракетами missiles") == ["ракетами", "missil"])
    }

    @Test func configurationRoundTripsThroughCodable() throws {
        let config = AnalyzerConfiguration(stemming: false, languages: [.russian], stopWords: [.english])
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(AnalyzerConfiguration.self, from: data) == config)
    }

    @Test func overlongTermsAreSkippedAndBadBytesNeverCrash() {
        let long = String(repeating: "a", count: 300)
        #expect(analyzer.terms(of: "ok \(long) fine") == ["ok", "fine"])
        var rng = UInt64(7)
        for _ in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng % 64) {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: rng >> 33))
            }
            bytes.withUnsafeBytes { raw in
                analyzer.analyze(utf8: raw) { token in
                    #expect(token.range.upperBound <= raw.count)
                    #expect(token.term.count <= Analyzer.maxTermBytes)
                }
            }
        }
    }

    // MARK: - CJK bigrams

    /// The UTF-8 byte offset of every scalar of `text`, and the end.
    static func scalarOffsets(_ text: String) -> [Int] {
        var offsets: [Int] = []
        var offset = 0
        for scalar in text.unicodeScalars {
            offsets.append(offset)
            offset += String(scalar).utf8.count
        }
        return offsets + [offset]
    }

    @Test func aRunOfHanCharactersBecomesOverlappingBigrams() {
        let text = "中可能存在"
        let chars = text.unicodeScalars.map { String($0) }
        let tokens = analyzer.tokens(of: text)
        #expect(tokens.map(\.term) == ["中可", "可能", "能存", "存在"])
        let pairs: [String] = (0..<chars.count - 1).map { i in chars[i] + chars[i + 1] }
        #expect(tokens.map(\.term) == pairs)
        #expect(tokens.map(\.position) == [0, 1, 2, 3])
        // Each bigram's range spans its two characters.
        let offsets = Self.scalarOffsets(text)
        #expect(tokens.map { $0.start..<$0.end } == (0..<4).map { offsets[$0]..<offsets[$0 + 2] })
        #expect(tokens.map(\.text) == tokens.map(\.term))
        // The Token API reports the same ranges.
        var ranges: [Range<Int>] = []
        analyzer.analyze(text) { ranges.append($0.range) }
        #expect(ranges == tokens.map { $0.start..<$0.end })
    }

    @Test func aLoneCharacterStaysOneTerm() {
        let tokens = analyzer.tokens(of: "中")
        #expect(tokens.map(\.term) == ["中"])
        #expect(tokens.map(\.position) == [0])
        #expect(tokens.map { $0.start..<$0.end } == [0..<"中".utf8.count])
        #expect(analyzer.terms(of: "a 中 b") == ["a", "中", "b"])
        #expect(analyzer.tokens(of: "a 中 b").map(\.position) == [0, 1, 2])
    }

    @Test func bigramsAndOtherWordsShareConsecutivePositions() {
        let text = "中文 text 日本語"
        let tokens = analyzer.tokens(of: text)
        #expect(tokens.map(\.term) == ["中文", "text", "日本", "本語"])
        // A run of bigrams is followed by `Analyzer.cjkRunGapPositions` unused positions.
        #expect(tokens.map(\.position) == [0, 3, 4, 5])
        #expect(
            Analyzer(AnalyzerConfiguration(cjkRunGap: false)).tokens(of: text).map(\.position) == [0, 1, 2, 3])
        #expect(tokens.map(\.text) == ["中文", "text", "日本", "本語"])
        let utf8 = Array(text.utf8)
        for t in tokens { #expect(String(decoding: utf8[t.start..<t.end], as: UTF8.self) == t.text) }
        // A Latin word or digits touching the run end it too.
        #expect(analyzer.terms(of: "中文text日本語") == ["中文", "text", "日本", "本語"])
        #expect(analyzer.terms(of: "2024年3月") == ["2024", "年", "3", "月"])
    }

    @Test func punctuationAndSpaceStartANewRun() {
        #expect(analyzer.terms(of: "中文，日本") == ["中文", "日本"])
        #expect(analyzer.terms(of: "中文 日本") == ["中文", "日本"])
        #expect(analyzer.terms(of: "中 文") == ["中", "文"])
        #expect(analyzer.terms(of: "中。文字") == ["中", "文字"])
        #expect(analyzer.terms(of: "我们，在这里。") == ["我们", "在这", "这里"])
        #expect(analyzer.tokens(of: "中。文字").map(\.position) == [0, 1])
        // A newline, a tab and a full-width space end a run as well.
        #expect(analyzer.terms(of: "中文\n日本\t漢字\u{3000}仮名") == ["中文", "日本", "漢字", "仮名"])
    }

    @Test func hiraganaJoinsHanAndKatakanaStaysOneWord() {
        #expect(analyzer.terms(of: "食べる") == ["食べ", "べる"])
        #expect(analyzer.terms(of: "東京へ行く") == ["東京", "京へ", "へ行", "行く"])
        #expect(analyzer.terms(of: "ひらがな") == ["ひら", "らが", "がな"])
        // Katakana is one UAX #29 word: it ends the Han run before it and is not split.
        let tokens = analyzer.tokens(of: "東京タワーへ")
        #expect(tokens.map(\.term) == ["東京", "タワー", "へ"])
        #expect(tokens.map(\.position) == [0, 3, 4])
        // The iteration mark 々 is part of a run, unless UAX #29 joins it to letters or digits.
        #expect(analyzer.terms(of: "人々は") == ["人々", "々は"])
        #expect(analyzer.terms(of: "人々word") == ["人", "々word"])
        // Hangul words are unchanged.
        #expect(analyzer.terms(of: "한국어 텍스트") == ["한국어", "텍스트"])
        // A decomposed voiced kana (か + U+3099) is the same character as the precomposed が.
        #expect(analyzer.terms(of: "か\u{3099}な") == analyzer.terms(of: "がな"))
    }

    @Test func compatibilityAndSupplementaryIdeographsAreCJKCharacters() {
        // U+F900 normalizes to U+8C48 like before; in a run it is half of a bigram.
        #expect(
            analyzer.terms(of: "\u{F900}") == Analyzer(AnalyzerConfiguration(cjkBigrams: false)).terms(of: "\u{F900}"))
        #expect(analyzer.terms(of: "\u{F900}文") == analyzer.terms(of: "\u{8C48}文"))
        // Extension B (four UTF-8 bytes) and extension A characters.
        let text = "\u{20BB7}野家\u{3400}"
        let chars = text.unicodeScalars.map { String($0) }
        let tokens = analyzer.tokens(of: text)
        let pairs: [String] = (0..<chars.count - 1).map { i in chars[i] + chars[i + 1] }
        #expect(tokens.map(\.term) == pairs)
        let offsets = Self.scalarOffsets(text)
        #expect(tokens.map { $0.start..<$0.end } == (0..<chars.count - 1).map { offsets[$0]..<offsets[$0 + 2] })
        // A variation selector stays with its ideograph; the bigram covers both characters' bytes.
        let selected = analyzer.tokens(of: "中\u{FE00}文")
        #expect(selected.count == 1)
        #expect(selected.first.map { $0.start..<$0.end } == 0..<"中\u{FE00}文".utf8.count)
        #expect(selected.first?.term == TokenNormalizer().normalize("中\u{FE00}") + "文")
    }

    @Test func overlongCJKTermsAreSkippedButKeepTheirPositions() {
        // Combining marks stay on an ideograph: 3 + 2 · 70 = 143 bytes per character.
        let marks = String(repeating: "\u{301}", count: 70)
        let normalizer = TokenNormalizer()
        #expect(normalizer.normalize("中" + marks).utf8.count == 143)
        // 中́…文́… is 286 bytes (over Analyzer.maxTermBytes): skipped; 文́…字 is indexed.
        let text = "中" + marks + "文" + marks + "字"
        let tokens = analyzer.tokens(of: text)
        #expect(tokens.map(\.position) == [1])
        #expect(tokens.first?.term == normalizer.normalize("文" + marks) + "字")
        #expect(tokens.first.map { $0.start..<$0.end } == ("中" + marks).utf8.count..<text.utf8.count)
        // A character that alone is over-long ends the run and leaves a gap, like an over-long word.
        let huge = "中" + String(repeating: "\u{301}", count: 130)
        let after = analyzer.tokens(of: "文" + huge + "字 word")
        #expect(after.map(\.term) == ["文", "字", "word"])
        #expect(after.map(\.position) == [0, 2, 3])
    }

    @Test func theCJKCharacterSetMatchesTheSegmenterAndTheNormalizer() {
        let segmenter = WordSegmenter(tailoredForSearch: true)
        let normalizers = [
            TokenNormalizer(),
            TokenNormalizer(
                options: NormalizationOptions(foldYo: false, foldDiacritics: false, repairMixedScripts: false)),
        ]
        var checked = 0
        var alone = 0
        for cp in UInt32(0x3000)...UInt32(0x3FFFF) where Analyzer.isCJKCharacter(cp) {
            guard let scalar = Unicode.Scalar(cp) else { continue }
            checked += 1
            // Every joined character is Word_Break Other: UAX #29 makes it a segment of its own,
            // so a run is exactly a sequence of adjacent one-character segments. 々 and 〻 are
            // ALetter: the analyzer joins them only when they stand alone in their segment.
            let expected: WordBreakProperty = cp == 0x3005 || cp == 0x303B ? .aLetter : .other
            #expect(segmenter.wordBreakProperty(of: scalar) == expected, "U+\(String(cp, radix: 16))")
            // The shortcut that skips the normalizer is exact.
            if Analyzer.normalizesToItself(cp) {
                alone += 1
                for n in normalizers {
                    #expect(n.normalize(String(scalar)) == String(scalar), "U+\(String(cp, radix: 16))")
                }
            }
        }
        #expect(alone == (0x9FFF - 0x4E00 + 1) + (0x4DBF - 0x3400 + 1) + (0x3096 - 0x3041 + 1))
        #expect(checked > alone)
        // Scripts UAX #29 already keeps whole, and other scripts, are not joined.
        for cp: UInt32 in [0x30A2, 0x30FC, 0x309B, 0x3099, 0xAC00, 0x0041, 0x0416, 0x3002, 0xFF0C, 0x1B000] {
            #expect(!Analyzer.isCJKCharacter(cp), "U+\(String(cp, radix: 16))")
        }
    }

    @Test func aConfigurationSavedWithoutTheOptionKeepsOneTermPerCharacter() throws {
        // What earlier versions wrote: no "cjkBigrams" key.
        let saved = """
            {"languages":["ukrainian","english","russian"],\
            "normalization":{"foldDiacritics":true,"foldYo":true,"repairMixedScripts":true},\
            "stemming":true,"stopWords":[]}
            """
        let config = try JSONDecoder().decode(AnalyzerConfiguration.self, from: Data(saved.utf8))
        #expect(config.cjkBigrams == false)
        #expect(config.stemming && config.languages == Set(Language.allCases) && config.stopWords.isEmpty)
        #expect(config == AnalyzerConfiguration(cjkBigrams: false, cjkRunGap: false))
        let old = Analyzer(config)
        let text = "中可能存在"
        let tokens = old.tokens(of: text)
        #expect(tokens.map(\.term) == text.unicodeScalars.map { String($0) })
        #expect(tokens.map(\.position) == Array(0..<5))
        let offsets = Self.scalarOffsets(text)
        #expect(tokens.map { $0.start..<$0.end } == (0..<5).map { offsets[$0]..<offsets[$0 + 1] })
        #expect(old.terms(of: "中文 text 日本語") == ["中", "文", "text", "日", "本", "語"])
    }

    @Test func theOptionRoundTripsAndDefaultsOnForNewConfigurations() throws {
        #expect(AnalyzerConfiguration().cjkBigrams)
        #expect(AnalyzerConfiguration.standard.cjkBigrams)
        #expect(AnalyzerConfiguration.unstemmed.cjkBigrams)
        for config in [AnalyzerConfiguration.standard, AnalyzerConfiguration(stemming: false, cjkBigrams: false)] {
            let data = try JSONEncoder().encode(config)
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["cjkBigrams"] as? Bool == config.cjkBigrams)
            let decoded = try JSONDecoder().decode(AnalyzerConfiguration.self, from: data)
            #expect(decoded == config)
            #expect(decoded.cjkBigrams == config.cjkBigrams)
        }
        #expect(AnalyzerConfiguration(cjkBigrams: true) != AnalyzerConfiguration(cjkBigrams: false))
        #expect(Set([AnalyzerConfiguration(cjkBigrams: true), AnalyzerConfiguration(cjkBigrams: false)]).count == 2)
        // A required key is still required.
        let broken =
            #"{"languages":[],"normalization":{"foldDiacritics":true,"foldYo":true,"repairMixedScripts":true},"stopWords":[]}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AnalyzerConfiguration.self, from: Data(broken.utf8))
        }
    }

    /// Random mixes of Han, Hiragana, Katakana, Latin, punctuation and spaces: the bigram analyzer
    /// equals a reference built from the one-term-per-character analyzer's tokens.
    @Test func bigramsMatchAReferenceBuiltFromUnigrams() {
        let unigrams = Analyzer(AnalyzerConfiguration(cjkBigrams: false))
        let pieces = ["中", "文", "日", "本", "語", "の", "は", "を", "𠮷", "々", "タワー", "word", "42", " ", "，", "。", "\n", "·"]
        var rng = SplitMix64(seed: 29)
        var scratch = AnalysisScratch()
        for _ in 0..<400 {
            let text = (0..<Int(rng.next() % 16)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            // Reference: group adjacent one-character CJK unigrams into runs.
            // Positions: one per token, and `Analyzer.cjkRunGapPositions` unused ones after a run of bigrams.
            var expected: [(term: String, range: Range<Int>, position: Int)] = []
            var position = 0
            var run: [AnalyzedToken] = []
            func add(_ term: String, _ range: Range<Int>) {
                expected.append((term, range, position))
                position += 1
            }
            func endRun() {
                if run.count == 1 { add(run[0].term, run[0].start..<run[0].end) }
                for i in 0..<max(0, run.count - 1) { add(run[i].term + run[i + 1].term, run[i].start..<run[i + 1].end) }
                if run.count > 1 { position += Analyzer.cjkRunGapPositions }
                run = []
            }
            for t in unigrams.tokens(of: text) {
                let scalars = Array(t.text.unicodeScalars)
                let isCJK = scalars.count == 1 && Analyzer.isCJKCharacter(scalars[0].value)
                if !isCJK || (run.last.map { $0.end != t.start } ?? false) { endRun() }
                if isCJK { run.append(t) } else { add(t.term, t.start..<t.end) }
            }
            endRun()
            let tokens = analyzer.tokens(of: text)
            #expect(tokens.map(\.term) == expected.map(\.term), "\(text)")
            #expect(tokens.map { $0.start..<$0.end } == expected.map(\.range), "\(text)")
            #expect(tokens.map(\.position) == expected.map(\.position), "\(text)")
            // A reused scratch gives the same tokens (no run leaks from one text into the next).
            var reused: [String] = []
            analyzer.analyze(text, scratch: &scratch) { reused.append($0.termString) }
            #expect(reused == tokens.map(\.term), "\(text)")
        }
    }

    @Test func aRunNeverContinuesIntoTheNextText() {
        var scratch = AnalysisScratch()
        var first: [String] = []
        var second: [String] = []
        analyzer.analyze("中", scratch: &scratch) { first.append($0.termString) }
        analyzer.analyze("文", scratch: &scratch) { second.append($0.termString) }
        #expect(first == ["中"])
        #expect(second == ["文"])
    }

    @Test func scratchReuseGivesTheSameTokens() {
        var scratch = AnalysisScratch()
        let texts = ["Patriot missiles", "ракеты ПВО", "", "Зеленського", "中文 text 日本語", "中", "食べる"]
        for t in texts {
            var reused: [String] = []
            analyzer.analyze(t, scratch: &scratch) { reused.append($0.termString) }
            #expect(reused == analyzer.terms(of: t))
        }
    }
}
