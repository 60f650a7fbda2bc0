// Mixed-script repair: in a word mixing Latin and Cyrillic letters, the minority script's letters
// rewritten to their look-alikes (or one-letter transliterations) in the majority script.
//
// For: TokenNormalizer (see its documentation for the tables). Not for: transliteration of whole
// query words (Poisk's Transliteration).

extension TokenNormalizer {
    /// Latin (ASCII lowercase letter index 0…25) → Cyrillic look-alike, 0 = none.
    static let latinToCyrillic: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 26)
        let pairs: [(Character, UInt16)] = [
            ("a", 0x430), ("b", 0x432), ("c", 0x441), ("e", 0x435), ("h", 0x43D),
            ("i", 0x456), ("k", 0x43A), ("m", 0x43C), ("o", 0x43E), ("p", 0x440),
            ("t", 0x442), ("x", 0x445), ("y", 0x443),
        ]
        for (ch, cy) in pairs {
            if let a = ch.asciiValue { t[Int(a - 0x61)] = cy }
        }
        return t
    }()

    /// Cyrillic U+0430…U+045F → Latin look-alike or one-letter transliteration, 0 = none.
    static let cyrillicToLatin: [UInt8] = {
        // а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я
        // ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ
        let s = "abbgdezzijklmhoppctyfxccss_y_eua" + "eedgesiijlnckiud"
        return s.utf8.map { $0 == UInt8(ascii: "_") ? 0 : $0 }  // 48 entries (checked by a test)
    }()

    /// Latin letter for a Cyrillic scalar in a Latin-majority word, or 0.
    @inline(__always)
    static func latinFor(_ c: UInt32) -> UInt8 {
        let k = Int(c &- 0x430)
        if c &- 0x430 < 48 && k < cyrillicToLatin.count { return cyrillicToLatin[k] }
        switch c {
        case 0x491: return UInt8(ascii: "g")  // ґ
        case 0x4BB: return UInt8(ascii: "h")  // һ
        case 0x4CF: return UInt8(ascii: "l")  // ӏ
        case 0x501: return UInt8(ascii: "d")  // ԁ
        case 0x51B: return UInt8(ascii: "q")  // ԛ
        case 0x51D: return UInt8(ascii: "w")  // ԝ
        default: return 0
        }
    }

    /// Rewrites the minority script's look-alike letters in place and updates the summary.
    func repairMixedScripts(_ output: inout [UInt8], _ script: inout WordScript) {
        let data = self.data
        if script.cyrillicLetters > script.latinLetters {
            // Latin → Cyrillic: each converted byte becomes two. Count, grow, rewrite backwards.
            var extra = 0
            output.withUnsafeBufferPointer { buf in
                let n = buf.count
                guard let p = buf.baseAddress else { return }
                var i = 0
                while i < n {
                    let b = p[i]
                    if b &- 0x61 < 26 && TokenNormalizer.latinToCyrillic[Int(b &- 0x61)] != 0
                        && !TokenNormalizer.markFollows(p, i &+ 1, n, data)
                    {
                        extra &+= 1
                    }
                    i &+= 1
                }
            }
            guard extra > 0 else { return }
            let oldCount = output.count
            output.append(contentsOf: repeatElement(0, count: extra))
            var ukr = false
            output.withUnsafeMutableBufferPointer { buf in
                guard let p = buf.baseAddress else { return }
                var r = oldCount &- 1
                var w = oldCount &+ extra &- 1
                var nextIsMark = false
                while r >= 0 {
                    var start = r
                    while start > 0 && p[start] & 0xC0 == 0x80 { start &-= 1 }
                    let b = p[start]
                    if start == r && b &- 0x61 < 26 && TokenNormalizer.latinToCyrillic[Int(b &- 0x61)] != 0 && !nextIsMark {
                        let cy = UInt32(TokenNormalizer.latinToCyrillic[Int(b &- 0x61)])
                        if cy == 0x456 { ukr = true }
                        p[w] = UInt8(truncatingIfNeeded: 0x80 | (cy & 0x3F))
                        p[w &- 1] = UInt8(truncatingIfNeeded: 0xC0 | (cy >> 6))
                        w &-= 2
                        nextIsMark = false
                    } else {
                        let (c, _) = NormalizerUTF8.decode(UnsafePointer(p), start, r &+ 1)
                        if c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 { ukr = true }
                        nextIsMark = NormalizerProps.isMark(data.properties(c))
                        var k = r
                        while k >= start {
                            p[w] = p[k]
                            w &-= 1
                            k &-= 1
                        }
                    }
                    r = start &- 1
                }
            }
            script.latinLetters &-= extra
            script.cyrillicLetters &+= extra
            script.hasUkrainianLetters = ukr
            script.isASCII = false
        } else {
            // Cyrillic → Latin: two bytes become one; rewrite forwards in place.
            var converted = 0
            var ukr = false
            var ascii = true
            var newCount = 0
            output.withUnsafeMutableBufferPointer { buf in
                let n = buf.count
                guard let p = buf.baseAddress else { return }
                var r = 0
                var w = 0
                while r < n {
                    let (c, len) = NormalizerUTF8.decode(UnsafePointer(p), r, n)
                    if len == 2 {
                        let lat = TokenNormalizer.latinFor(c)
                        if lat != 0 && !TokenNormalizer.markFollows(UnsafePointer(p), r &+ 2, n, data) {
                            p[w] = lat
                            w &+= 1
                            r &+= 2
                            converted &+= 1
                            continue
                        }
                        if c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 { ukr = true }
                    }
                    if len > 1 || p[r] >= 0x80 { ascii = false }
                    var k = 0
                    while k < len {
                        p[w &+ k] = p[r &+ k]
                        k &+= 1
                    }
                    w &+= len
                    r &+= len
                }
                newCount = w
            }
            if converted > 0 { output.removeLast(output.count &- newCount) }
            script.cyrillicLetters &-= converted
            script.latinLetters &+= converted
            script.hasUkrainianLetters = ukr
            script.isASCII = ascii
        }
    }

    /// `true` if the scalar starting at byte `i` (if any) is a combining mark.
    @inline(__always)
    static func markFollows(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ data: NormalizationData) -> Bool {
        guard i < n, p[i] >= 0x80 else { return false }
        let (c, _) = NormalizerUTF8.decode(p, i, n)
        return NormalizerProps.isMark(data.properties(c))
    }
}
