// Fuzz target: the analysis pipeline on untrusted bytes.
//
// For: finding inputs on which word segmentation, normalization, stemming or the whole
// analyzer crashes, traps, reads out of bounds or breaks its contract. Not for: checking that
// words are split or stemmed linguistically right (the Unicode and Snowball test files do that).
//
// Input: raw bytes, possibly invalid UTF-8. Checked: the segmenter's ranges tile the input in
// order; word ranges are in bounds and in order; the normalizer's output is valid UTF-8; every
// analyzer token has a range inside the input starting after the previous token's start (only
// the bigrams of a CJK run overlap, by one character), a term of 1…Analyzer.maxTermBytes valid
// UTF-8 bytes, and a position above the previous token's; the stemmed and unstemmed analyzers see
// the same positions and ranges; without CJK bigrams no ranges overlap; `tokens(of:)` on the
// decoded string agrees with itself.

import PoiskAnalysis

let standard = Analyzer()
let unstemmed = Analyzer(.unstemmed)
let withStopWords = Analyzer(AnalyzerConfiguration(stopWords: Set(Language.allCases)))
let noBigrams = Analyzer(AnalyzerConfiguration(cjkBigrams: false))
let segmenter = WordSegmenter(tailoredForSearch: true)
let unicodeSegmenter = WordSegmenter(tailoredForSearch: false)
let normalizer = TokenNormalizer()

/// libFuzzer's input function.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = UnsafeRawBufferPointer(start: data, count: size)
    checkSegmenter(segmenter, text)
    checkSegmenter(unicodeSegmenter, text)

    // The normalizer alone, on the whole input and on every word.
    var output: [UInt8] = []
    _ = normalizer.normalize(text, into: &output)
    precondition(isValidUTF8(output), "normalizer output is not valid UTF-8")
    segmenter.forEachWord(in: text) { range in
        let script = normalizer.normalize(UnsafeRawBufferPointer(rebasing: text[range]), into: &output)
        precondition(isValidUTF8(output), "normalized word is not valid UTF-8")
        precondition(script.latinLetters >= 0 && script.cyrillicLetters >= 0 && script.digits >= 0)
    }

    // The analyzer, stemmed and unstemmed, with a fresh and a reused scratch.
    let a = tokens(standard, text)
    let b = tokens(unstemmed, text)
    // Stemming only shortens terms; which words become tokens, and where, does not change.
    precondition(a.count == b.count, "stemming changes the number of tokens")
    for (x, y) in zip(a, b) {
        precondition(x.position == y.position && x.range == y.range, "stemming moves a token")
        precondition(x.term.count <= y.term.count, "a stem is longer than its word")
    }
    _ = tokens(withStopWords, text)
    var lastEnd = 0
    for t in tokens(noBigrams, text) {
        precondition(t.range.lowerBound >= lastEnd, "token ranges overlap without CJK bigrams")
        lastEnd = t.range.upperBound
    }
    var scratch = AnalysisScratch()
    for _ in 0..<2 {
        var again: [(position: Int, range: Range<Int>, term: [UInt8])] = []
        standard.analyze(utf8: text, scratch: &scratch) { again.append(($0.position, $0.range, Array($0.term))) }
        precondition(again.elementsEqual(a, by: { $0.position == $1.position && $0.range == $1.range && $0.term == $1.term }),
            "a reused scratch changes the tokens")
    }
    let string = String(decoding: text, as: UTF8.self)
    let fromString = standard.tokens(of: string)
    precondition(fromString.allSatisfy { $0.start >= 0 && $0.start < $0.end && $0.end <= string.utf8.count })
    precondition(standard.terms(of: string).count == fromString.count)
    return 0
}

/// Runs `analyzer` over `text`, checking every token, and returns them.
func tokens(_ analyzer: Analyzer, _ text: UnsafeRawBufferPointer) -> [(position: Int, range: Range<Int>, term: [UInt8])] {
    var result: [(position: Int, range: Range<Int>, term: [UInt8])] = []
    var lastPosition = -1
    var lastStart = -1
    analyzer.analyze(utf8: text) { token in
        precondition(
            token.range.lowerBound > lastStart && token.range.lowerBound < token.range.upperBound,
            "token ranges out of order or empty")
        precondition(token.range.upperBound <= text.count, "token range beyond the input")
        precondition(token.position > lastPosition, "positions do not increase")
        precondition(token.term.count >= 1 && token.term.count <= Analyzer.maxTermBytes, "term length \(token.term.count)")
        precondition(isValidUTF8(token.term), "term is not valid UTF-8")
        lastPosition = token.position
        lastStart = token.range.lowerBound
        result.append((token.position, token.range, Array(token.term)))
    }
    return result
}

/// Segments must tile the input exactly, in order; words are a subset of them.
func checkSegmenter(_ segmenter: WordSegmenter, _ text: UnsafeRawBufferPointer) {
    var end = 0
    segmenter.forEachSegment(in: text) { range, _ in
        precondition(range.lowerBound == end && range.upperBound > range.lowerBound, "segments do not tile the input")
        end = range.upperBound
    }
    precondition(end == text.count, "segments end at \(end), not \(text.count)")
    var lastEnd = 0
    segmenter.forEachWord(in: text) { range in
        precondition(range.lowerBound >= lastEnd && range.upperBound <= text.count, "word range out of order or bounds")
        lastEnd = range.upperBound
    }
}

func isValidUTF8<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}
