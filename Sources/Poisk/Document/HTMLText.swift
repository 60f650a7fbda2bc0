// Text from HTML: tags stripped, `<script>`/`<style>` dropped, entities decoded, the title kept.
//
// For: `DocumentLoader`, which turns `.html`/`.htm` files into documents. Not for: rendering or
// sanitizing HTML (it is a text extractor, not a parser: no tree is built, and malformed markup
// ends in text, never in an error).
//
// Rules: `<!-- … -->`, `<!DOCTYPE …>` and `<?…?>` are dropped; the contents of `<script>` and
// `<style>` are dropped; the first `<title>`'s text is the title; block elements (`p`, `div`,
// `li`, `h1`…`h6`, `br`, `tr`, …) end a line, table cells are separated by a space, other tags
// vanish (`<b>Pat</b>riot` is `Patriot`); outside `<pre>` runs of white space become one space.
// Entities: the 252 named ones of HTML 4 (Latin-1, symbols, Greek: every name of Python's
// `html.entities.name2codepoint`) plus `&apos;`, and numeric `&#…;`/`&#x…;` (the `;` optional),
// where 0, surrogates and values past U+10FFFF become U+FFFD and 128…159 are read as
// Windows-1252, as HTML5 says. An unknown `&name;` is kept as written. The bytes are read as
// UTF-8 (a `<meta charset>` naming another encoding is not followed).

enum HTMLText {
    /// The title and the text of an HTML document.
    /// - Parameter bytes: the file's bytes (UTF-8; invalid sequences become U+FFFD).
    /// - Returns: the first `<title>`'s text with white space collapsed ("" when there is none),
    ///   and the text without markup, one line per block.
    /// - Complexity: O(n) in the length of `bytes`.
    static func extract(_ bytes: [UInt8]) -> (title: String, text: String) {
        var out = TextBuffer()
        var title: String?
        var preformatted = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if starts(bytes, at: i, with: "<!--") {
                    i = find(bytes, "-->", from: i + 4).map { $0 + 3 } ?? n
                    continue
                }
                if starts(bytes, at: i, with: "<![CDATA[") {
                    let end = find(bytes, "]]>", from: i + 9) ?? n
                    for c in bytes[(i + 9)..<end] { out.append(c, preformatted: preformatted > 0) }
                    i = min(end + 3, n)
                    continue
                }
                if i + 1 < n && (bytes[i + 1] == UInt8(ascii: "!") || bytes[i + 1] == UInt8(ascii: "?")) {
                    i = (bytes[i...].firstIndex(of: UInt8(ascii: ">")) ?? (n - 1)) + 1
                    continue
                }
                if let tag = Tag(bytes, at: i) {
                    i = tag.end
                    if !tag.isClosing && (tag.name == "script" || tag.name == "style" || tag.name == "title") {
                        // Raw text up to the closing tag.
                        let close = findClosingTag(bytes, tag.name, from: i)
                        if tag.name == "title" && title == nil, let close {
                            var buffer = TextBuffer()
                            decodeText(bytes[i..<close.start], into: &buffer, preformatted: false)
                            title = buffer.string
                        }
                        i = close?.end ?? (tag.name == "title" ? i : n)
                        continue
                    }
                    if tag.name == "pre" { preformatted = tag.isClosing ? max(0, preformatted - 1) : preformatted + 1 }
                    if blockTags.contains(tag.name) {
                        out.lineBreak()
                    } else if tag.name == "td" || tag.name == "th" {
                        out.space()
                    }
                    continue
                }
            }
            if b == UInt8(ascii: "&"), let (scalar, end) = decodeEntity(bytes, at: i) {
                out.append(scalar)
                i = end
                continue
            }
            out.append(b, preformatted: preformatted > 0)
            i += 1
        }
        return (title ?? "", out.string)
    }

    /// Decodes text with entities (a title) into `buffer`.
    private static func decodeText(_ bytes: ArraySlice<UInt8>, into buffer: inout TextBuffer, preformatted: Bool) {
        let array = Array(bytes)
        var i = 0
        while i < array.count {
            if array[i] == UInt8(ascii: "&"), let (scalar, end) = decodeEntity(array, at: i) {
                buffer.append(scalar)
                i = end
            } else {
                buffer.append(array[i], preformatted: preformatted)
                i += 1
            }
        }
    }

    /// The elements that start and end a line.
    static let blockTags: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
        "hgroup", "hr", "html", "legend", "li", "main", "nav", "noscript", "ol", "option", "p", "pre", "section", "summary",
        "table", "tbody", "tfoot", "thead", "tr", "ul",
    ]

    /// A tag: `<name …>` or `</name>`, its attributes skipped (quoted values may hold `>`).
    struct Tag {
        let name: String
        let isClosing: Bool
        /// The index after its `>`.
        let end: Int

        init?(_ bytes: [UInt8], at start: Int) {
            var j = start + 1
            var closing = false
            if j < bytes.count && bytes[j] == UInt8(ascii: "/") {
                closing = true
                j += 1
            }
            let nameStart = j
            guard j < bytes.count, HTMLText.isLetter(bytes[j]) else { return nil }
            while j < bytes.count
                && (HTMLText.isLetter(bytes[j]) || HTMLText.isDigit(bytes[j]) || bytes[j] == UInt8(ascii: "-")
                    || bytes[j] == UInt8(ascii: ":"))
            {
                j += 1
            }
            name = String(decoding: bytes[nameStart..<j].map { HTMLText.lowercased($0) }, as: UTF8.self)
            var quote: UInt8?
            while j < bytes.count {
                let c = bytes[j]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: ">") {
                    break
                }
                j += 1
            }
            isClosing = closing
            end = min(j + 1, bytes.count)
        }
    }

    /// The first `</name` (any case) at or after `from`, ended by white space, `/` or `>`: where it
    /// starts and the index after its `>`.
    static func findClosingTag(_ bytes: [UInt8], _ name: String, from: Int) -> (start: Int, end: Int)? {
        let target = Array(name.utf8)
        var i = from
        while let lt = bytes[i...].firstIndex(of: UInt8(ascii: "<")) {
            var j = lt + 1
            if j < bytes.count && bytes[j] == UInt8(ascii: "/") {
                j += 1
                var k = 0
                while k < target.count && j + k < bytes.count && lowercased(bytes[j + k]) == target[k] { k += 1 }
                if k == target.count {
                    let after = j + k
                    if after == bytes.count || !(isLetter(bytes[after]) || isDigit(bytes[after])) {
                        let close = bytes[after...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 } ?? bytes.count
                        return (lt, close)
                    }
                }
            }
            i = lt + 1
            if i >= bytes.count { break }
        }
        return nil
    }

    /// Decodes the entity at `bytes[start]` (an `&`): the scalar and the index after it, or nil
    /// when it is not one.
    static func decodeEntity(_ bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        var j = start + 1
        let n = bytes.count
        guard j < n else { return nil }
        if bytes[j] == UInt8(ascii: "#") {
            j += 1
            var radix: UInt32 = 10
            if j < n && (bytes[j] == UInt8(ascii: "x") || bytes[j] == UInt8(ascii: "X")) {
                radix = 16
                j += 1
            }
            let digitsStart = j
            var value: UInt32 = 0
            while j < n, let digit = digitValue(bytes[j], radix: radix) {
                value = min(value &* radix &+ digit, 0x11_0000)  // saturates past the last scalar
                j += 1
            }
            guard j > digitsStart else { return nil }
            if j < n && bytes[j] == UInt8(ascii: ";") { j += 1 }
            return (numericScalar(value), j)
        }
        let nameStart = j
        while j < n && j - nameStart < 32 && (isLetter(bytes[j]) || isDigit(bytes[j])) { j += 1 }
        guard j > nameStart, j < n, bytes[j] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: bytes[nameStart..<j], as: UTF8.self)
        guard let value = namedEntities[name], let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, j + 1)
    }

    /// A numeric character reference's scalar, as HTML5 maps the odd ones.
    static func numericScalar(_ value: UInt32) -> Unicode.Scalar {
        if value >= 0x80 && value <= 0x9F, let mapped = Unicode.Scalar(windows1252[Int(value - 0x80)]) { return mapped }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    /// What bytes 0x80…0x9F mean in Windows-1252 (unassigned ones are kept as the C1 control).
    static let windows1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// HTML 4's named character references, plus `apos`.
    static let namedEntities: [String: UInt32] = [
        "apos": 0x27,
        "AElig": 0xC6, "Aacute": 0xC1, "Acirc": 0xC2, "Agrave": 0xC0, "Alpha": 0x391, "Aring": 0xC5, "Atilde": 0xC3, "Auml": 0xC4,
        "Beta": 0x392, "Ccedil": 0xC7, "Chi": 0x3A7, "Dagger": 0x2021, "Delta": 0x394, "ETH": 0xD0, "Eacute": 0xC9, "Ecirc": 0xCA,
        "Egrave": 0xC8, "Epsilon": 0x395, "Eta": 0x397, "Euml": 0xCB, "Gamma": 0x393, "Iacute": 0xCD, "Icirc": 0xCE, "Igrave": 0xCC,
        "Iota": 0x399, "Iuml": 0xCF, "Kappa": 0x39A, "Lambda": 0x39B, "Mu": 0x39C, "Ntilde": 0xD1, "Nu": 0x39D, "OElig": 0x152,
        "Oacute": 0xD3, "Ocirc": 0xD4, "Ograve": 0xD2, "Omega": 0x3A9, "Omicron": 0x39F, "Oslash": 0xD8, "Otilde": 0xD5, "Ouml": 0xD6,
        "Phi": 0x3A6, "Pi": 0x3A0, "Prime": 0x2033, "Psi": 0x3A8, "Rho": 0x3A1, "Scaron": 0x160, "Sigma": 0x3A3, "THORN": 0xDE,
        "Tau": 0x3A4, "Theta": 0x398, "Uacute": 0xDA, "Ucirc": 0xDB, "Ugrave": 0xD9, "Upsilon": 0x3A5, "Uuml": 0xDC, "Xi": 0x39E,
        "Yacute": 0xDD, "Yuml": 0x178, "Zeta": 0x396, "aacute": 0xE1, "acirc": 0xE2, "acute": 0xB4, "aelig": 0xE6, "agrave": 0xE0,
        "alefsym": 0x2135, "alpha": 0x3B1, "amp": 0x26, "and": 0x2227, "ang": 0x2220, "aring": 0xE5, "asymp": 0x2248, "atilde": 0xE3,
        "auml": 0xE4, "bdquo": 0x201E, "beta": 0x3B2, "brvbar": 0xA6, "bull": 0x2022, "cap": 0x2229, "ccedil": 0xE7, "cedil": 0xB8,
        "cent": 0xA2, "chi": 0x3C7, "circ": 0x2C6, "clubs": 0x2663, "cong": 0x2245, "copy": 0xA9, "crarr": 0x21B5, "cup": 0x222A,
        "curren": 0xA4, "dArr": 0x21D3, "dagger": 0x2020, "darr": 0x2193, "deg": 0xB0, "delta": 0x3B4, "diams": 0x2666, "divide": 0xF7,
        "eacute": 0xE9, "ecirc": 0xEA, "egrave": 0xE8, "empty": 0x2205, "emsp": 0x2003, "ensp": 0x2002, "epsilon": 0x3B5,
        "equiv": 0x2261, "eta": 0x3B7, "eth": 0xF0, "euml": 0xEB, "euro": 0x20AC, "exist": 0x2203, "fnof": 0x192, "forall": 0x2200,
        "frac12": 0xBD, "frac14": 0xBC, "frac34": 0xBE, "frasl": 0x2044, "gamma": 0x3B3, "ge": 0x2265, "gt": 0x3E, "hArr": 0x21D4,
        "harr": 0x2194, "hearts": 0x2665, "hellip": 0x2026, "iacute": 0xED, "icirc": 0xEE, "iexcl": 0xA1, "igrave": 0xEC,
        "image": 0x2111, "infin": 0x221E, "int": 0x222B, "iota": 0x3B9, "iquest": 0xBF, "isin": 0x2208, "iuml": 0xEF, "kappa": 0x3BA,
        "lArr": 0x21D0, "lambda": 0x3BB, "lang": 0x2329, "laquo": 0xAB, "larr": 0x2190, "lceil": 0x2308, "ldquo": 0x201C, "le": 0x2264,
        "lfloor": 0x230A, "lowast": 0x2217, "loz": 0x25CA, "lrm": 0x200E, "lsaquo": 0x2039, "lsquo": 0x2018, "lt": 0x3C, "macr": 0xAF,
        "mdash": 0x2014, "micro": 0xB5, "middot": 0xB7, "minus": 0x2212, "mu": 0x3BC, "nabla": 0x2207, "nbsp": 0xA0, "ndash": 0x2013,
        "ne": 0x2260, "ni": 0x220B, "not": 0xAC, "notin": 0x2209, "nsub": 0x2284, "ntilde": 0xF1, "nu": 0x3BD, "oacute": 0xF3,
        "ocirc": 0xF4, "oelig": 0x153, "ograve": 0xF2, "oline": 0x203E, "omega": 0x3C9, "omicron": 0x3BF, "oplus": 0x2295,
        "or": 0x2228, "ordf": 0xAA, "ordm": 0xBA, "oslash": 0xF8, "otilde": 0xF5, "otimes": 0x2297, "ouml": 0xF6, "para": 0xB6,
        "part": 0x2202, "permil": 0x2030, "perp": 0x22A5, "phi": 0x3C6, "pi": 0x3C0, "piv": 0x3D6, "plusmn": 0xB1, "pound": 0xA3,
        "prime": 0x2032, "prod": 0x220F, "prop": 0x221D, "psi": 0x3C8, "quot": 0x22, "rArr": 0x21D2, "radic": 0x221A, "rang": 0x232A,
        "raquo": 0xBB, "rarr": 0x2192, "rceil": 0x2309, "rdquo": 0x201D, "real": 0x211C, "reg": 0xAE, "rfloor": 0x230B, "rho": 0x3C1,
        "rlm": 0x200F, "rsaquo": 0x203A, "rsquo": 0x2019, "sbquo": 0x201A, "scaron": 0x161, "sdot": 0x22C5, "sect": 0xA7, "shy": 0xAD,
        "sigma": 0x3C3, "sigmaf": 0x3C2, "sim": 0x223C, "spades": 0x2660, "sub": 0x2282, "sube": 0x2286, "sum": 0x2211, "sup": 0x2283,
        "sup1": 0xB9, "sup2": 0xB2, "sup3": 0xB3, "supe": 0x2287, "szlig": 0xDF, "tau": 0x3C4, "there4": 0x2234, "theta": 0x3B8,
        "thetasym": 0x3D1, "thinsp": 0x2009, "thorn": 0xFE, "tilde": 0x2DC, "times": 0xD7, "trade": 0x2122, "uArr": 0x21D1,
        "uacute": 0xFA, "uarr": 0x2191, "ucirc": 0xFB, "ugrave": 0xF9, "uml": 0xA8, "upsih": 0x3D2, "upsilon": 0x3C5, "uuml": 0xFC,
        "weierp": 0x2118, "xi": 0x3BE, "yacute": 0xFD, "yen": 0xA5, "yuml": 0xFF, "zeta": 0x3B6, "zwj": 0x200D, "zwnj": 0x200C,

    ]

    static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func lowercased(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    static func digitValue(_ b: UInt8, radix: UInt32) -> UInt32? {
        if isDigit(b) { return UInt32(b - 48) }
        guard radix == 16 else { return nil }
        let lower = lowercased(b)
        if lower >= 97 && lower <= 102 { return UInt32(lower - 87) }
        return nil
    }

    static func starts(_ bytes: [UInt8], at i: Int, with prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard i + p.count <= bytes.count else { return false }
        for k in 0..<p.count where lowercased(bytes[i + k]) != lowercased(p[k]) { return false }
        return true
    }

    static func find(_ bytes: [UInt8], _ needle: String, from: Int) -> Int? {
        let p = Array(needle.utf8)
        guard from <= bytes.count, bytes.count - from >= p.count else { return nil }
        var i = from
        while i + p.count <= bytes.count {
            if bytes[i] == p[0] && bytes[i..<(i + p.count)].elementsEqual(p) { return i }
            i += 1
        }
        return nil
    }
}

/// Builds the extracted text: white space collapsed outside `<pre>`, a line per block.
struct TextBuffer {
    private var bytes: [UInt8] = []
    private var pendingSpace = false

    /// Appends a byte of text.
    mutating func append(_ b: UInt8, preformatted: Bool) {
        let isSpace = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
        if isSpace && !preformatted {
            if !bytes.isEmpty && bytes.last != 0x0A { pendingSpace = true }
            return
        }
        flushSpace()
        bytes.append(b)
    }

    /// Appends a decoded character.
    mutating func append(_ scalar: Unicode.Scalar) {
        flushSpace()
        bytes.append(contentsOf: String(Character(scalar)).utf8)
    }

    /// Ends the current line (once: empty lines are not repeated).
    mutating func lineBreak() {
        pendingSpace = false
        while bytes.last == 0x20 { bytes.removeLast() }
        if !bytes.isEmpty && bytes.last != 0x0A { bytes.append(0x0A) }
    }

    /// Separates two words (table cells).
    mutating func space() {
        if !bytes.isEmpty && bytes.last != 0x0A { pendingSpace = true }
    }

    private mutating func flushSpace() {
        if pendingSpace {
            bytes.append(0x20)
            pendingSpace = false
        }
    }

    /// The text, without trailing white space.
    var string: String {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A) { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
