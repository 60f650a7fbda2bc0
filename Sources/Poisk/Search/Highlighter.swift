// Snippets: the best fragments of a hit's text, with the matched words marked.
//
// For: the top hits only. It scores every window of about `length` characters that starts at a
// match by (distinct matched terms, matches), keeps the best non-overlapping ones (up to
// `fragments`), cuts each at word boundaries, collapses white space, and marks matches. Without
// matches it shows the beginning of the text. Not for: scoring, or finding the matches in a
// segment of format 4, which SnippetMatches does from the postings without analyzing the whole
// text; ``Highlighter/snippet(of:length:fragments:style:)`` analyzes the whole text (older
// segments), ``Highlighter/snippet(utf8:matches:termCount:scalarCount:length:fragments:style:)``
// takes the matches found (the same windows, in linear time).

struct Snippet {
    var text: String
    var matches: [Range<Int>]
}

struct Highlighter {
    let terms: TermInterner
    let analyzer: Analyzer
    /// Renders every fragment through `String` and `Character`s, as Poisk did before format 4:
    /// the reference the faster paths are compared with.
    let reference: Bool

    /// - Parameter reference: render without the byte path (see ``reference``).
    init(terms: [String: Set<[UInt8]>], field: String, analyzer: Analyzer, reference: Bool = false) {
        var table = TermInterner(capacity: 64)
        for t in terms[field] ?? [] { _ = t.withUnsafeBytes { table.intern($0) } }
        self.terms = table
        self.analyzer = analyzer
        self.reference = reference
    }

    func snippet(of text: String, length: Int, fragments: Int = 1, style: HighlightStyle) -> Snippet {
        var text = text
        return text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            // 1. Matches: (byte range, term id).
            var matches: [(range: Range<Int>, term: Int)] = []
            if terms.count > 0 {
                analyzer.analyze(utf8: bytes) { token in
                    if let id = terms.lookup(token.term) { matches.append((token.range, id)) }
                }
            }
            // Window size in bytes: `length` characters at this text's bytes-per-character.
            let scalarCount = String(decoding: bytes, as: UTF8.self).unicodeScalars.count
            let bytesPerChar = scalarCount > 0 ? Double(bytes.count) / Double(scalarCount) : 1
            let window = max(16, Int(Double(max(length, 1)) * bytesPerChar))
            // 2. Candidate windows, one per starting match.
            var candidates: [(key: (Int, Int), start: Int, end: Int)] = []
            var j = 0
            for i in 0..<matches.count {
                if j < i { j = i }
                while j + 1 < matches.count && matches[j + 1].range.upperBound - matches[i].range.lowerBound <= window { j += 1 }
                let distinct = Set(matches[i...j].map { $0.term }).count
                let span = matches[j].range.upperBound - matches[i].range.lowerBound
                let lead = max(0, (window - span) / 3)
                let start = max(0, matches[i].range.lowerBound - lead)
                candidates.append(((distinct, j - i + 1), start, min(bytes.count, start + window)))
            }
            // 3. The best non-overlapping windows, then in text order. Overlapping matches (the
            // bigrams of one CJK run) are marked as one.
            let marked = Highlighter.merged(matches.map(\.range))
            var chosen: [(start: Int, end: Int)] = []
            let ranked = candidates.enumerated().sorted { a, b in
                a.element.key != b.element.key ? a.element.key > b.element.key : a.offset < b.offset
            }
            for (_, c) in ranked where chosen.count < max(1, fragments) {
                let (s, e) = Highlighter.snapped(c.start, c.end, bytes, marked)
                if chosen.contains(where: { s < $0.end && $0.start < e }) { continue }
                chosen.append((s, e))
            }
            if chosen.isEmpty { chosen = [Highlighter.snapped(0, min(bytes.count, window), bytes, [])] }
            chosen.sort { $0.start < $1.start }
            // 4. Render.
            var out = ""
            for (n, w) in chosen.enumerated() {
                if n > 0 { out += " " }
                out += Highlighter.render(w.start, w.end, bytes, marked, style, bytePath: !reference)
            }
            return Snippet(text: out, matches: marked)
        }
    }

    /// The snippet of a text whose matches are known: the same fragments and marks as
    /// ``snippet(of:length:fragments:style:)`` gives when its analysis finds `matches`.
    /// - Parameters:
    ///   - bytes: the text, valid UTF-8.
    ///   - matches: every matched token's byte range and term (any numbering below `termCount`
    ///     that gives equal terms equal numbers), in text order.
    ///   - termCount: one more than the largest term number.
    ///   - scalarCount: the number of Unicode scalars of the text (the window's byte length is
    ///     `length` scalars at the text's average bytes per scalar).
    /// - Complexity: O(m log m) for m matches (O(m) with one fragment), plus the fragments' bytes.
    static func snippet(
        utf8 bytes: UnsafeRawBufferPointer, matches: [(range: Range<Int>, term: Int)], termCount: Int, scalarCount: Int,
        length: Int, fragments: Int, style: HighlightStyle
    ) -> Snippet {
        let bytesPerChar = scalarCount > 0 ? Double(bytes.count) / Double(scalarCount) : 1
        let window = max(16, Int(Double(max(length, 1)) * bytesPerChar))
        // Candidate windows, one per starting match: the same as in `snippet(of:)`, the distinct
        // terms of each counted by a sliding window instead of a set per candidate.
        let n = matches.count
        var counts = [Int32](repeating: 0, count: max(termCount, 1))
        var distinct = 0
        var candidates: [(key: (Int, Int), start: Int, end: Int)] = []
        candidates.reserveCapacity(n)
        var j = -1  // matches[i...j] are counted
        for i in 0..<n {
            if j < i {
                j = i
                if counts[matches[i].term] == 0 { distinct += 1 }
                counts[matches[i].term] += 1
            }
            while j + 1 < n && matches[j + 1].range.upperBound - matches[i].range.lowerBound <= window {
                j += 1
                if counts[matches[j].term] == 0 { distinct += 1 }
                counts[matches[j].term] += 1
            }
            let span = matches[j].range.upperBound - matches[i].range.lowerBound
            let lead = max(0, (window - span) / 3)
            let start = max(0, matches[i].range.lowerBound - lead)
            candidates.append(((distinct, j - i + 1), start, min(bytes.count, start + window)))
            counts[matches[i].term] -= 1
            if counts[matches[i].term] == 0 { distinct -= 1 }
        }
        var marked: [Range<Int>] = []
        marked.reserveCapacity(n)
        for m in matches {
            if let last = marked.last, m.range.lowerBound < last.upperBound, m.range.lowerBound >= last.lowerBound {
                marked[marked.count - 1] = last.lowerBound..<max(last.upperBound, m.range.upperBound)
            } else {
                marked.append(m.range)
            }
        }
        var chosen: [(start: Int, end: Int)] = []
        if fragments <= 1 {
            // The best candidate (the first of the highest key) is always taken.
            var best = -1
            for (k, c) in candidates.enumerated() where best < 0 || c.key > candidates[best].key { best = k }
            if best >= 0 {
                let (s, e) = snapped(candidates[best].start, candidates[best].end, bytes, marked)
                chosen.append((s, e))
            }
        } else {
            let ranked = candidates.enumerated().sorted { a, b in
                a.element.key != b.element.key ? a.element.key > b.element.key : a.offset < b.offset
            }
            for (_, c) in ranked where chosen.count < fragments {
                let (s, e) = snapped(c.start, c.end, bytes, marked)
                if chosen.contains(where: { s < $0.end && $0.start < e }) { continue }
                chosen.append((s, e))
            }
        }
        if chosen.isEmpty { chosen = [snapped(0, min(bytes.count, window), bytes, [])] }
        chosen.sort { $0.start < $1.start }
        var out = ""
        for (k, w) in chosen.enumerated() {
            if k > 0 { out += " " }
            out += render(w.start, w.end, bytes, marked, style)
        }
        return Snippet(text: out, matches: marked)
    }

    /// Match ranges in text order with overlapping ones joined: the bigrams of a CJK run
    /// (`中可`, `可能`, `能存`) overlap by a character and are marked as one range (`中可能存`).
    /// Ranges that only touch stay apart.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        result.reserveCapacity(ranges.count)
        for r in ranges {
            if let last = result.last, r.lowerBound < last.upperBound, r.lowerBound >= last.lowerBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                result.append(r)
            }
        }
        return result
    }

    /// Moves a window's edges to white space (never cutting a match or a UTF-8 sequence).
    private static func snapped(_ start: Int, _ end: Int, _ bytes: UnsafeRawBufferPointer, _ matches: [Range<Int>]) -> (Int, Int) {
        var start = start
        if start > 0 {
            var s = start
            while s > 0 && !isSpace(bytes[s - 1]) && start - s < 24 { s -= 1 }
            if s > 0 && !isSpace(bytes[s - 1]) {
                // No space close before: move forward to the next space instead, but not past the
                // first match after `start`. Text without spaces (Chinese, Japanese) is cut where
                // the window starts (on a character boundary, below).
                let limit = matches.first(where: { $0.lowerBound >= start })?.lowerBound ?? bytes.count
                var f = start
                while f < limit && !isSpace(bytes[f]) { f += 1 }
                s = f < limit ? f : start
            }
            start = s
        }
        while start > 0 && start < bytes.count && isContinuation(bytes[start]) { start -= 1 }
        var end = max(start, end)
        if end < bytes.count {
            var e = end
            while e > start && !isSpace(bytes[e]) { e -= 1 }
            if e > start { end = e }
            while end < bytes.count && isContinuation(bytes[end]) { end += 1 }
        }
        for m in matches where m.lowerBound < end && m.upperBound > end { end = m.upperBound }
        return (start, end)
    }

    /// One fragment: white space collapsed, matches marked, "…" where the text is cut.
    private static func render(
        _ start: Int, _ end: Int, _ bytes: UnsafeRawBufferPointer, _ matches: [Range<Int>], _ style: HighlightStyle,
        bytePath: Bool = true
    ) -> String {
        if bytePath, let fast = renderBytes(start, end, bytes, matches, style) { return fast }
        var out = start > 0 ? "…" : ""
        var pendingSpace = false
        var wroteText = false
        func emit(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            var first = true
            for piece in String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self).split(
                omittingEmptySubsequences: false, whereSeparator: { $0.isWhitespace })
            {
                if !first { pendingSpace = true }
                first = false
                if piece.isEmpty { continue }
                if pendingSpace && wroteText { out += " " }
                pendingSpace = false
                out += escape(String(piece), style)
                wroteText = true
            }
        }
        var cursor = start
        for r in matches where r.lowerBound >= start && r.upperBound <= end && r.lowerBound >= cursor {
            emit(cursor..<r.lowerBound)
            if pendingSpace && wroteText { out += " " }
            pendingSpace = false
            let word = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[r]), as: UTF8.self)
            out += open(style) + escape(word, style) + close(style)
            wroteText = true
            cursor = r.upperBound
        }
        emit(cursor..<end)
        if end < bytes.count { out += "…" }
        return out
    }

    /// `render` for a fragment whose every scalar is ASCII or one of the common letters,
    /// ideographs and punctuation of ``isPlainScalar(_:)``, working on bytes: the same output, at a
    /// fraction of the cost of splitting a `String` into `Character`s. Such a fragment's
    /// `Character`s split at exactly its ASCII white-space bytes (no scalar of it is white space,
    /// attaches to a space as a mark, or prepends to one), and a run of white-space characters
    /// renders as one space whether CR LF counts as one character or two. Nil for any other
    /// fragment (the `String` path then renders it).
    private static func renderBytes(
        _ start: Int, _ end: Int, _ bytes: UnsafeRawBufferPointer, _ matches: [Range<Int>], _ style: HighlightStyle
    ) -> String? {
        guard start >= 0, start <= end, end <= bytes.count, let base = bytes.baseAddress else {
            return start == end ? (start > 0 ? "…" : "") + (end < bytes.count ? "…" : "") : nil
        }
        // Every scalar plain, and the fragment cut on scalar boundaries.
        if start < bytes.count && isContinuation(bytes[start]) { return nil }
        if end < bytes.count && isContinuation(bytes[end]) { return nil }
        var i = start
        while i < end {
            if i + 8 <= end && base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            var scalar: UInt32
            var length: Int
            if b0 & 0xE0 == 0xC0 {
                (scalar, length) = (UInt32(b0 & 0x1F), 2)
            } else if b0 & 0xF0 == 0xE0 {
                (scalar, length) = (UInt32(b0 & 0x0F), 3)
            } else {
                return nil
            }
            guard i + length <= end else { return nil }
            for k in 1..<length {
                let b = bytes[i + k]
                guard b & 0xC0 == 0x80 else { return nil }
                scalar = scalar << 6 | UInt32(b & 0x3F)
            }
            guard isPlainScalar(scalar) else { return nil }
            i += length
        }
        let open = Array(open(style).utf8)
        let close = Array(close(style).utf8)
        let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
        var out: [UInt8] = []
        out.reserveCapacity(end - start + 64)
        if start > 0 { out += ellipsis }
        var pendingSpace = false
        var wroteText = false
        func escaped(_ range: Range<Int>) {
            if style != .html {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[range]))
                return
            }
            for k in range {
                switch bytes[k] {
                case UInt8(ascii: "<"): out += Array("&lt;".utf8)
                case UInt8(ascii: ">"): out += Array("&gt;".utf8)
                case UInt8(ascii: "&"): out += Array("&amp;".utf8)
                case UInt8(ascii: "\""): out += Array("&quot;".utf8)
                case let b: out.append(b)
                }
            }
        }
        func emit(_ range: Range<Int>) {
            var k = range.lowerBound
            while k < range.upperBound {
                let b = bytes[k]
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    pendingSpace = true
                    k += 1
                    continue
                }
                var e = k + 1
                while e < range.upperBound {
                    let c = bytes[e]
                    if c == 0x20 || (c >= 0x09 && c <= 0x0D) { break }
                    e += 1
                }
                if pendingSpace && wroteText { out.append(0x20) }
                pendingSpace = false
                escaped(k..<e)
                wroteText = true
                k = e
            }
        }
        var cursor = start
        for r in matches where r.lowerBound >= start && r.upperBound <= end && r.lowerBound >= cursor {
            emit(cursor..<r.lowerBound)
            if pendingSpace && wroteText { out.append(0x20) }
            pendingSpace = false
            out += open
            escaped(r)
            out += close
            wroteText = true
            cursor = r.upperBound
        }
        emit(cursor..<end)
        if end < bytes.count { out += ellipsis }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a non-ASCII scalar is one of the common ones ``renderBytes`` handles: letters and
    /// signs of Latin-1 and Latin Extended, Greek, Cyrillic, general punctuation, CJK punctuation,
    /// kana, ideographs, Hangul syllables and full-width forms, without the white space
    /// (U+00A0, U+2028…U+202F, U+205F, U+3000) and combining marks among them.
    private static func isPlainScalar(_ c: UInt32) -> Bool {
        if c >= 0x00A1 && c <= 0x02FF { return true }  // Latin-1 (not NBSP), Latin Extended, IPA, modifiers
        if c >= 0x0370 && c <= 0x03FF { return true }  // Greek (its combining marks are U+0300–U+036F)
        if c >= 0x0400 && c <= 0x052F { return c < 0x0483 || c > 0x0489 }  // Cyrillic, not its combining marks
        if c >= 0x2010 && c <= 0x205E { return c < 0x2028 || c > 0x202F }  // punctuation, not U+2028–U+202F
        if c >= 0x3001 && c <= 0x30FF { return !(c >= 0x302A && c <= 0x302F) && c != 0x3099 && c != 0x309A && c != 0x3097 && c != 0x3098 }
        if c >= 0x3400 && c <= 0x4DBF { return true }  // CJK Extension A
        if c >= 0x4E00 && c <= 0x9FFF { return true }  // CJK Unified Ideographs
        if c >= 0xAC00 && c <= 0xD7A3 { return true }  // Hangul syllables
        return c >= 0xFF01 && c <= 0xFF60  // full-width forms
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
    private static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    private static func open(_ style: HighlightStyle) -> String {
        switch style {
        case .markdown: return "**"
        case .ansi: return "\u{1B}[1m"
        case .html: return "<mark>"
        case .none: return ""
        }
    }

    private static func close(_ style: HighlightStyle) -> String {
        switch style {
        case .markdown: return "**"
        case .ansi: return "\u{1B}[0m"
        case .html: return "</mark>"
        case .none: return ""
        }
    }

    private static func escape(_ s: String, _ style: HighlightStyle) -> String {
        guard style == .html else { return s }
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
