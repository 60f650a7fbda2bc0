// TEMPORARY stand-ins for components being written in parallel; deleted when they land.
public struct WordSegmenter: Sendable {
    public init(tailoredForSearch: Bool = true) {}
    @inlinable
    public func forEachWord(in text: UnsafeRawBufferPointer, _ body: (_ range: Range<Int>) throws -> Void) rethrows {
        var i = 0
        let n = text.count
        while i < n {
            while i < n && !isWordByte(text[i]) { i += 1 }
            let s = i
            while i < n && isWordByte(text[i]) { i += 1 }
            if i > s { try body(s..<i) }
        }
    }
    @inlinable func isWordByte(_ b: UInt8) -> Bool {
        b >= 0x80 || (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }
}
public struct NormalizationOptions: Sendable, Hashable, Codable {
    public var foldYo: Bool
    public var foldDiacritics: Bool
    public var repairMixedScripts: Bool
    public init(foldYo: Bool = true, foldDiacritics: Bool = true, repairMixedScripts: Bool = true) {
        self.foldYo = foldYo
        self.foldDiacritics = foldDiacritics
        self.repairMixedScripts = repairMixedScripts
    }
}
public struct WordScript: Sendable, Equatable {
    public var latinLetters = 0, cyrillicLetters = 0, digits = 0, otherLetters = 0
    public var hasUkrainianLetters = false
    public var hasApostrophe = false
    public var isASCII = true
}
public struct TokenNormalizer: Sendable {
    public init(options: NormalizationOptions = .init()) {}
    public func normalize(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> WordScript {
        output.removeAll(keepingCapacity: true)
        var s = WordScript()
        let str = String(decoding: input, as: UTF8.self).lowercased()
        output.append(contentsOf: str.utf8)
        for b in output {
            if b >= 0x80 { s.isASCII = false; s.cyrillicLetters += 1 }
            else if b >= 0x30 && b <= 0x39 { s.digits += 1 }
            else { s.latinLetters += 1 }
        }
        return s
    }
}
