// The steps of the Snowball English (Porter2) algorithm, applied by the driver in order:
// 1a (possessives, plurals), 1b (ed/ing), 1c (y → i), 2 and 3 (suffix
// replacements in R1), 4 (suffix removal in R2), 5 (final e and ll).
//
// For: EnglishStemmer. Not for: the character classes, regions and driver (EnglishStemmer.swift).

extension Porter2Run {
    /// Step 1a: possessives, then plurals (sses, ied/ies, s).
    @inline(__always)
    mutating func step1a() {
        if ends("'s'") {
            n -= 3
        } else if ends("'s") {
            n -= 2
        } else if ends("'") {
            n -= 1
        }
        guard n > 0 else { return }
        switch w[n - 1] {
        case 115:  // s
            if ends("sses") {
                n -= 2
            } else if ends("ies") {
                n -= n - 3 >= 2 ? 2 : 1
            } else if ends("ss") || ends("us") {
                return
            } else {
                // Delete the s if a vowel occurs before the character preceding it.
                guard n >= 3 else { return }
                var i = n - 3
                while i >= 0 {
                    if Self.isVowel(w[i]) {
                        n -= 1
                        return
                    }
                    i -= 1
                }
            }
        case 100:  // d
            if ends("ied") { n -= n - 3 >= 2 ? 2 : 1 }
        default:
            break
        }
    }

    /// Step 1b: eed/eedly, ed/edly, ing/ingly.
    @inline(__always)
    mutating func step1b() {
        guard n >= 2 else { return }
        var k = 0
        var kind = 0  // 1: eed(ly); 2: ed, edly, ingly; 3: ing
        let last = w[n - 1]
        if last == 100 {  // d
            if ends("eed") {
                k = 3
                kind = 1
            } else if ends("ed") {
                k = 2
                kind = 2
            }
        } else if last == 103 {  // g
            if ends("ing") {
                k = 3
                kind = 3
            }
        } else if last == 121 {  // y
            if ends("eedly") {
                k = 5
                kind = 1
            } else if ends("edly") {
                k = 4
                kind = 2
            } else if ends("ingly") {
                k = 5
                kind = 2
            }
        }
        if kind == 0 { return }
        let bra = n - k
        if kind == 1 {
            if bra >= p1 {
                if (bra == 4 && (prefixIs("succ", length: 4) || prefixIs("proc", length: 4)))
                    || (bra == 3 && prefixIs("exc", length: 3))
                {
                    return
                }
                n = bra
                put("ee")
            }
            return
        }
        if kind == 3 {
            if bra >= 1 && w[bra - 1] == 121 {  // ...ying
                if bra == 2 && !Self.isVowel(w[0]) {
                    n = 1
                    put("ie")
                    return
                }
            } else if prefixIs("even", length: bra) || prefixIs("cann", length: bra) || prefixIs("inn", length: bra)
                || prefixIs("earr", length: bra) || prefixIs("herr", length: bra) || prefixIs("out", length: bra)
            {
                return
            }
        }
        // Delete the suffix if the part before it contains a vowel, then tidy up.
        var hasVowel = false
        var i = 0
        while i < bra {
            if Self.isVowel(w[i]) {
                hasVowel = true
                break
            }
            i += 1
        }
        guard hasVowel else { return }
        n = bra
        if n >= 2 {
            let a = w[n - 2]
            let b = w[n - 1]
            if (a == 97 && b == 116) || (a == 98 && b == 108) || (a == 105 && b == 122) {  // at, bl, iz
                put("e")
                return
            }
            if a == b && Self.isDoubleable(b) {
                if n == 3 && (w[0] == 97 || w[0] == 101 || w[0] == 111) { return }  // add, egg, off
                n -= 1
                return
            }
        }
        if n == p1 && endsShortSyllable(at: n) { put("e") }
    }

    /// Step 1c: final y/Y after a non-vowel (not the first letter) becomes i.
    @inline(__always)
    mutating func step1c() {
        guard n >= 3 else { return }
        let last = w[n - 1]
        if (last == 121 || last == 89) && !Self.isVowel(w[n - 2]) { w[n - 1] = 105 }
    }

    /// Step 2: derivational suffixes in R1.
    @inline(__always)
    mutating func step2() {
        guard n >= 3 else { return }
        switch w[n - 1] {
        case 105:  // i
            if w[n - 2] == 108 {  // ...li
                if ends("abli") {
                    r1Replace(4, "able")
                } else if ends("bli") {
                    r1Replace(3, "ble")
                } else if ends("alli") {
                    r1Replace(4, "al")
                } else if ends("fulli") {
                    r1Replace(5, "ful")
                } else if ends("lessli") {
                    r1Replace(6, "less")
                } else if ends("ousli") {
                    r1Replace(5, "ous")
                } else if ends("entli") {
                    r1Replace(5, "ent")
                } else if n - 2 >= p1 && n - 2 > 0 && Self.isValidLI(w[n - 3]) {
                    n -= 2
                }
            } else if ends("anci") {
                r1Replace(4, "ance")
            } else if ends("enci") {
                r1Replace(4, "ence")
            } else if ends("ogi") {
                if n - 3 >= p1 && n - 3 > 0 && w[n - 4] == 108 { n -= 1 }  // logi -> log
            } else if ends("aliti") {
                r1Replace(5, "al")
            } else if ends("biliti") {
                r1Replace(6, "ble")
            } else if ends("iviti") {
                r1Replace(5, "ive")
            }
        case 108:  // l
            if ends("ational") { r1Replace(7, "ate") } else if ends("tional") { r1Replace(6, "tion") }
        case 109:  // m
            if ends("alism") { r1Replace(5, "al") }
        case 110:  // n
            if ends("ization") { r1Replace(7, "ize") } else if ends("ation") { r1Replace(5, "ate") }
        case 114:  // r
            if ends("izer") { r1Replace(4, "ize") } else if ends("ator") { r1Replace(4, "ate") }
        case 115:  // s
            if ends("iveness") {
                r1Replace(7, "ive")
            } else if ends("fulness") {
                r1Replace(7, "ful")
            } else if ends("ousness") {
                r1Replace(7, "ous")
            }
        case 116:  // t
            if ends("ogist") { r1Replace(5, "og") }
        default:
            break
        }
    }

    /// Replaces the last `k` characters with `s` when they lie in R1.
    @inline(__always)
    mutating func r1Replace(_ k: Int, _ s: StaticString) {
        if n - k >= p1 { replace(k, with: s) }
    }

    /// Step 3: more derivational suffixes in R1 (ative in R2).
    @inline(__always)
    mutating func step3() {
        guard n >= 3 else { return }
        switch w[n - 1] {
        case 101:  // e
            if ends("icate") {
                r1Replace(5, "ic")
            } else if ends("ative") {
                if n - 5 >= p1 && n - 5 >= p2 { n -= 5 }
            } else if ends("alize") {
                r1Replace(5, "al")
            }
        case 105:  // i
            if ends("iciti") { r1Replace(5, "ic") }
        case 108:  // l
            if ends("ational") {
                r1Replace(7, "ate")
            } else if ends("tional") {
                r1Replace(6, "tion")
            } else if ends("ical") {
                r1Replace(4, "ic")
            } else if ends("ful") {
                r1Replace(3, "")
            }
        case 115:  // s
            if ends("ness") { r1Replace(4, "") }
        default:
            break
        }
    }

    /// Step 4: residual suffixes deleted in R2.
    @inline(__always)
    mutating func step4() {
        guard n >= 2 else { return }
        var k = 0
        switch w[n - 1] {
        case 99:  // c
            if ends("ic") { k = 2 }
        case 101:  // e
            if ends("ance") || ends("ence") || ends("able") || ends("ible") {
                k = 4
            } else if ends("ate") || ends("ive") || ends("ize") {
                k = 3
            }
        case 105:  // i
            if ends("iti") { k = 3 }
        case 108:  // l
            if ends("al") { k = 2 }
        case 109:  // m
            if ends("ism") { k = 3 }
        case 110:  // n
            if ends("ion") {
                let bra = n - 3
                if bra >= p2 && bra > 0 && (w[bra - 1] == 115 || w[bra - 1] == 116) { n = bra }
                return
            }
        case 114:  // r
            if ends("er") { k = 2 }
        case 115:  // s
            if ends("ous") { k = 3 }
        case 116:  // t
            if ends("ement") { k = 5 } else if ends("ment") { k = 4 } else if ends("ent") || ends("ant") { k = 3 }
        default:
            break
        }
        if k > 0 && n - k >= p2 { n -= k }
    }

    /// Step 5: final e (R2, or R1 after a non-short syllable) and ll in R2.
    @inline(__always)
    mutating func step5() {
        guard n >= 1 else { return }
        let bra = n - 1
        switch w[bra] {
        case 101:  // e
            if bra >= p2 || (bra >= p1 && !endsShortSyllable(at: bra)) { n = bra }
        case 108:  // l
            if bra >= p2 && bra > 0 && w[bra - 1] == 108 { n = bra }
        default:
            break
        }
    }
}
