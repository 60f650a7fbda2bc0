// The normalizer's fast path: words of ASCII and basic Cyrillic (plus a few known extras) lowercased
// arithmetically, eight bytes at a time where possible, without any table lookup.
//
// For: most words of English, Russian and Ukrainian text. Not for: anything else (the general path
// in TokenNormalizer.swift).

extension TokenNormalizer {
    /// Bit i set ⇔ U+0430+i is a Cyrillic vowel (а е и о у ы э ю я ё є і ї).
    static var cyrillicVowelMask: UInt64 { 0xD2_E808_4121 }

    /// Tries the table-free path. Copies the input into `output`, rewrites it in place (the fast path
    /// never grows a word) and returns the summary, or returns `nil` if the word needs the general path.
    @inline(__always)
    func fastPath(_ src: UnsafePointer<UInt8>, _ n: Int, _ output: inout [UInt8]) -> WordScript? {
        // Clear the output and copy the input into it (capacity is reused; removeAll + append of a
        // buffer pointer is a plain memcpy, where replaceSubrange took a generic path).
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: UnsafeBufferPointer(start: src, count: n))
        let result: (Int, WordScript)? = output.withUnsafeMutableBufferPointer { buf -> (Int, WordScript)? in
            guard let p = buf.baseAddress else { return nil }
            return fastKernel(p, n)
        }
        guard let (count, script) = result else { return nil }
        if count < n { output.removeLast(n - count) }
        return script
    }

    /// The fast path on raw memory, for the analyzer's hot loop: copies `input` to `dst` (which
    /// must hold `input.count` bytes) and normalizes it there. Returns the normalized length and
    /// summary, or nil when the word needs the general path or mixed-script repair (then call
    /// ``normalize(_:into:)``).
    @inline(__always)
    package func normalizeFast(_ input: UnsafeRawBufferPointer, into dst: UnsafeMutablePointer<UInt8>) -> (Int, WordScript)? {
        let n = input.count
        guard n > 0, let base = input.baseAddress else { return nil }
        UnsafeMutableRawPointer(dst).copyMemory(from: base, byteCount: n)
        guard let (count, script) = fastKernel(dst, n) else { return nil }
        if script.cyrillicLetters > 0 && script.latinLetters > 0 && options.repairMixedScripts { return nil }
        return (count, script)
    }

    /// Normalizes `p[0..<n]` in place (ASCII and basic Cyrillic only; never grows the word).
    @inline(__always)
    func fastKernel(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> (Int, WordScript)? {
        let foldYo = options.foldYo
        do {
            var latin = 0
            var cyr = 0
            var digits = 0
            var sawApostrophe = false
            var i = 0
            // Tight ASCII loop first, eight bytes at a time: most words never leave it.
            let raw = UnsafeMutableRawPointer(p)
            while i &+ 8 <= n {
                var x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if x & NormalizerSWAR.high != 0 { break }
                if NormalizerSWAR.lowerASCII(&x, &latin, &digits) { sawApostrophe = true }
                raw.storeBytes(of: x, toByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            if i < n && n &- i < 8 {
                // Tail (or a whole short word) of k < 8 bytes: two overlapping loads gather it into one
                // word (overlapping lanes hold the same byte, so OR-ing them is exact); stores mirror them.
                let k = n &- i
                var x = NormalizerSWAR.gather(raw, i, k)
                if x & NormalizerSWAR.high == 0 {
                    if NormalizerSWAR.lowerASCII(&x, &latin, &digits) { sawApostrophe = true }
                    NormalizerSWAR.scatter(raw, i, k, x)
                    i = n
                }
            }
            if i == n {
                var s = WordScript(latinLetters: latin, digits: digits)
                if sawApostrophe && latin > 1 { s.hasApostrophe = TokenNormalizer.fastOutputHasApostrophe(UnsafePointer(p), n) }
                return (n, s)
            }
            // Mixed ASCII / Cyrillic loop, writing at w <= i. `prev` is the last scalar written
            // (skipped ignorables leave it unchanged), needed only to recognize stress marks.
            var w = i
            var ukr = false
            var prev: UInt32 = i > 0 ? UInt32(p[i &- 1]) : 0
            while i < n {
                let b = p[i]
                if b < 0x80 {
                    var c = b
                    if c &- 0x41 < 26 {
                        c |= 0x20
                        latin &+= 1
                    } else if c &- 0x61 < 26 {
                        latin &+= 1
                    } else if c &- 0x30 < 10 {
                        digits &+= 1
                    } else if c == 0x60 {
                        c = 0x27
                        sawApostrophe = true
                    } else if c == 0x27 {
                        sawApostrophe = true
                    }
                    p[w] = c
                    w &+= 1
                    i &+= 1
                    prev = UInt32(c)
                    continue
                }
                guard i &+ 1 < n else { return nil }
                let b1 = p[i &+ 1]
                if b &- 0xD0 < 2 && b1 & 0xC0 == 0x80 {
                    // U+0400…U+047F; lowercase arithmetically.
                    var s = (UInt32(b & 0x1F) << 6) | UInt32(b1 & 0x3F)
                    if s < 0x430 {
                        s &+= s < 0x410 ? 0x50 : 0x20
                    } else if s >= 0x460 {
                        return nil
                    }
                    if s >= 0x450 {
                        switch s {
                        case 0x450: s = 0x435  // ѐ (stressed е)
                        case 0x45D: s = 0x438  // ѝ (stressed и)
                        case 0x451: if foldYo { s = 0x435 }  // ё
                        case 0x454, 0x456, 0x457: ukr = true  // є і ї
                        default: break
                        }
                    }
                    p[w] = UInt8(truncatingIfNeeded: 0xC0 | (s >> 6))
                    p[w &+ 1] = UInt8(truncatingIfNeeded: 0x80 | (s & 0x3F))
                    w &+= 2
                    i &+= 2
                    cyr &+= 1
                    prev = s
                    continue
                }
                var apostrophe = false
                var skip = 0
                switch b {
                case 0xD2:
                    guard b1 == 0x90 || b1 == 0x91 else { return nil }
                    p[w] = 0xD2
                    p[w &+ 1] = 0x91
                    w &+= 2
                    i &+= 2
                    cyr &+= 1
                    ukr = true
                    prev = 0x491
                    continue
                case 0xCC:
                    // U+0300 / U+0301 directly after a Cyrillic vowel: stress mark, dropped.
                    guard b1 == 0x80 || b1 == 0x81, prev &- 0x430 < 48,
                        (TokenNormalizer.cyrillicVowelMask >> UInt64(prev &- 0x430)) & 1 != 0
                    else { return nil }
                    skip = 2
                case 0xC2:
                    if b1 == 0xAD {
                        skip = 2
                    } else if b1 == 0xB4 {
                        apostrophe = true
                        skip = 2
                    } else {
                        return nil
                    }
                case 0xCA:
                    guard b1 == 0xBC else { return nil }
                    apostrophe = true
                    skip = 2
                case 0xE2:
                    guard i &+ 2 < n else { return nil }
                    let b2 = p[i &+ 2]
                    if b1 == 0x80 {
                        switch b2 {
                        case 0x8B, 0x8C, 0x8D: skip = 3
                        case 0x98, 0x99, 0xB2:
                            apostrophe = true
                            skip = 3
                        default: return nil
                        }
                    } else if b1 == 0x81 && b2 == 0xA0 {
                        skip = 3
                    } else {
                        return nil
                    }
                case 0xEF:
                    guard i &+ 2 < n, b1 == 0xBB, p[i &+ 2] == 0xBF else { return nil }
                    skip = 3
                default:
                    return nil
                }
                i &+= skip
                if apostrophe {
                    p[w] = 0x27
                    w &+= 1
                    prev = 0x27
                    sawApostrophe = true
                }
            }
            // Only Cyrillic letters put non-ASCII bytes into the output of this loop.
            let apos = sawApostrophe && latin &+ cyr > 1 && TokenNormalizer.fastOutputHasApostrophe(UnsafePointer(p), w)
            let s = WordScript(
                latinLetters: latin, cyrillicLetters: cyr, digits: digits,
                hasUkrainianLetters: ukr, hasApostrophe: apos, isASCII: cyr == 0)
            return (w, s)
        }
    }

    /// `true` if an apostrophe stands between two letters in fast-path output `p[0..<n]`, which holds only
    /// lowercase ASCII and two-byte Cyrillic letters (lead byte D0/D1/D2, so a continuation byte before
    /// the apostrophe ends a Cyrillic letter).
    static func fastOutputHasApostrophe(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n >= 3 else { return false }
        var i = 1
        while i < n &- 1 {
            if p[i] == 0x27 {
                let before = p[i &- 1]
                let after = p[i &+ 1]
                let letterBefore = before &- 0x61 < 26 || before & 0xC0 == 0x80
                let letterAfter = after &- 0x61 < 26 || after &- 0xD0 < 3
                if letterBefore && letterAfter { return true }
            }
            i &+= 1
        }
        return false
    }

    // MARK: - General path
}
