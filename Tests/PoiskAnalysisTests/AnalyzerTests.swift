// The whole analysis pipeline: segmentation → normalization → possessives → stop words →
// per-token language dispatch to stemmers.

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

    @Test func scratchReuseGivesTheSameTokens() {
        var scratch = AnalysisScratch()
        let texts = ["Patriot missiles", "ракеты ПВО", "", "Зеленського"]
        for t in texts {
            var reused: [String] = []
            analyzer.analyze(t, scratch: &scratch) { reused.append($0.termString) }
            #expect(reused == analyzer.terms(of: t))
        }
    }
}

import Foundation
