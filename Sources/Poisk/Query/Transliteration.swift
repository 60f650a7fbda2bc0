// Cross-script search: Latin ↔ Cyrillic transliterations of a query word.
//
// For: `--translit` / `SearchOptions.transliterate`, so `Zelensky` finds `Зеленский` and
// `Зеленський`, and `Патриот` finds `Patriot`. Matches through a transliteration score at
// `scoreFactor` of an exact match. Not for: indexing (documents keep their script).
//
// Rules (lowercase; applied greedily, longest match first):
// - Cyrillic → Latin (Russian and Ukrainian, a practical BGN/PCGN-like romanization):
//   а a, б b, в v, г g (Ukrainian г → h as a second variant), ґ g, д d, е e, є ye, ё e, ж zh,
//   з z, и i (Ukrainian и → y as a second variant), і i, ї yi, й y, к k, л l, м m, н n, о o,
//   п p, р r, с s, т t, у u, ф f, х kh, ц ts, ч ch, ш sh, щ shch, ъ —, ы y, ь —, э e, ю yu,
//   я ya, ' —; endings -ий/-ый → y.
// - Latin → Cyrillic: shch щ, sch щ, zh ж, kh х, ts ц, ch ч, sh ш, yu ю, ya я, yo ё, ye е,
//   a а, b б, c к, d д, e е, f ф, g г, h х, i и, j й, k к, l л, m м, n н, o о, p п, q к,
//   r р, s с, t т, u у, v в, w в, x кс, y ы, z з; a word-final `y` or `iy` after a consonant
//   becomes Russian `ий` (`-sky` → `ский`) and, as a Ukrainian variant, `-sky` → `ський`,
//   `i` → `і`.
enum Transliteration {
    /// The score multiplier for matches through a transliteration.
    static let scoreFactor = 0.5

    static func isCyrillic(_ s: Unicode.Scalar) -> Bool { (0x0400...0x04FF).contains(s.value) }
    static func isLatin(_ s: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value)
    }

    /// Transliterated variants of `word` in the other script (empty when it has no letters of
    /// either script).
    static func variants(of word: String) -> [String] {
        let lower = word.lowercased()
        let scalars = Array(lower.unicodeScalars)
        let cyrillic = scalars.filter(isCyrillic).count
        let latin = scalars.filter(isLatin).count
        if cyrillic == 0 && latin == 0 { return [] }
        var result: [String] = []
        if cyrillic >= latin {
            let latinForms = [toLatin(lower, ukrainian: false), toLatin(lower, ukrainian: true)]
            result.append(contentsOf: latinForms)
            // Russian ↔ Ukrainian spellings of the same name (Зеленский ↔ Зеленський) through
            // the Latin form.
            for l in latinForms {
                result.append(toCyrillic(l, ukrainian: false))
                result.append(toCyrillic(l, ukrainian: true))
            }
        } else {
            result.append(toCyrillic(lower, ukrainian: false))
            result.append(toCyrillic(lower, ukrainian: true))
        }
        var seen = Set<String>()
        return result.filter { !$0.isEmpty && $0 != lower && seen.insert($0).inserted }
    }

    static let cyrillicToLatin: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "'": "",
    ]

    static func toLatin(_ word: String, ukrainian: Bool) -> String {
        var w = word
        for ending in ["ий", "ый"] where w.hasSuffix(ending) {
            w.removeLast(2)
            w += "y"
        }
        var out = ""
        for c in w {
            if ukrainian && c == "г" {
                out += "h"
            } else if ukrainian && c == "и" {
                out += "y"
            } else if let l = cyrillicToLatin[c] {
                out += l
            } else {
                out.append(c)
            }
        }
        return out
    }

    static let latinDigraphs: [(String, String)] = [
        ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
        ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"),
    ]
    static let latinToCyrillic: [Character: String] = [
        "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й",
        "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т",
        "u": "у", "v": "в", "w": "в", "x": "кс", "y": "ы", "z": "з",
    ]

    static func toCyrillic(_ word: String, ukrainian: Bool) -> String {
        var w = Substring(word)
        var suffix = ""
        if w.hasSuffix("skiy") || w.hasSuffix("skyi") || w.hasSuffix("sky") || w.hasSuffix("ski") {
            w = w.dropLast(w.hasSuffix("sky") || w.hasSuffix("ski") ? 3 : 4)
            suffix = ukrainian ? "ський" : "ский"
        } else if w.hasSuffix("iy") {
            w = w.dropLast(2)
            suffix = "ий"
        } else if w.count > 2, w.hasSuffix("y"), let before = w.dropLast().last, !"aeiou".contains(before) {
            w = w.dropLast()
            suffix = "ий"
        }
        var out = ""
        var i = w.startIndex
        outer: while i < w.endIndex {
            for (latin, cyr) in latinDigraphs where w[i...].hasPrefix(latin) {
                out += cyr
                i = w.index(i, offsetBy: latin.count)
                continue outer
            }
            let c = w[i]
            if ukrainian && c == "i" {
                out += "і"
            } else if ukrainian && c == "h" {
                out += "г"
            } else if let cyr = latinToCyrillic[c] {
                out += cyr
            } else {
                out.append(c)
            }
            i = w.index(after: i)
        }
        return out + suffix
    }
}
