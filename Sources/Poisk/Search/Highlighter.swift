// Snippets: the best fragments of a hit's text, with the matched words marked.
//
// For: the top hits only (it re-analyzes the stored text). It scores every window of about
// `length` characters that starts at a match by (distinct matched terms, matches), keeps the best
// non-overlapping ones (up to `fragments`), cuts each at word boundaries, collapses white space,
// and marks matches. Without matches it shows the beginning of the text. Not for: scoring.

struct Snippet {
    var text: String
    var matches: [Range<Int>]
}

struct Highlighter {
    let terms: TermInterner
    let analyzer: Analyzer

    init(terms: [String: Set<[UInt8]>], field: String, analyzer: Analyzer) {
        var table = TermInterner(capacity: 64)
        for t in terms[field] ?? [] { _ = t.withUnsafeBytes { table.intern($0) } }
        self.terms = table
        self.analyzer = analyzer
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
                let (s, e) = snapped(c.start, c.end, bytes, marked)
                if chosen.contains(where: { s < $0.end && $0.start < e }) { continue }
                chosen.append((s, e))
            }
            if chosen.isEmpty { chosen = [snapped(0, min(bytes.count, window), bytes, [])] }
            chosen.sort { $0.start < $1.start }
            // 4. Render.
            var out = ""
            for (n, w) in chosen.enumerated() {
                if n > 0 { out += " " }
                out += render(w.start, w.end, bytes, marked, style)
            }
            return Snippet(text: out, matches: marked)
        }
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
    private func snapped(_ start: Int, _ end: Int, _ bytes: UnsafeRawBufferPointer, _ matches: [Range<Int>]) -> (Int, Int) {
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
    private func render(
        _ start: Int, _ end: Int, _ bytes: UnsafeRawBufferPointer, _ matches: [Range<Int>], _ style: HighlightStyle
    ) -> String {
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

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
    private func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    private func open(_ style: HighlightStyle) -> String {
        switch style {
        case .markdown: return "**"
        case .ansi: return "\u{1B}[1m"
        case .html: return "<mark>"
        case .none: return ""
        }
    }

    private func close(_ style: HighlightStyle) -> String {
        switch style {
        case .markdown: return "**"
        case .ansi: return "\u{1B}[0m"
        case .html: return "</mark>"
        case .none: return ""
        }
    }

    private func escape(_ s: String, _ style: HighlightStyle) -> String {
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
