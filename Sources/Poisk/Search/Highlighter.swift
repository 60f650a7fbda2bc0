// Snippets: the best fragment of a hit's text, with the matched words marked.
//
// For: the top hits only (it re-analyzes the stored text). It picks the window of about
// `length` characters holding the most distinct matched terms (then the most matches), cuts it
// at word boundaries, collapses white space, and marks matches. Not for: scoring.

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

    func snippet(of text: String, length: Int, style: HighlightStyle) -> Snippet {
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
            // 2. Best window start: most distinct terms, then most matches, then earliest.
            var bestStart = 0
            var bestEnd = min(bytes.count, window)
            if !matches.isEmpty {
                var bestKey = (-1, -1)
                var j = 0
                for i in 0..<matches.count {
                    if j < i { j = i }
                    while j + 1 < matches.count && matches[j + 1].range.upperBound - matches[i].range.lowerBound <= window {
                        j += 1
                    }
                    let distinct = Set(matches[i...j].map { $0.term }).count
                    let key = (distinct, j - i + 1)
                    if key > bestKey {
                        bestKey = key
                        let span = matches[j].range.upperBound - matches[i].range.lowerBound
                        let lead = max(0, (window - span) / 3)
                        bestStart = max(0, matches[i].range.lowerBound - lead)
                        bestEnd = min(bytes.count, bestStart + window)
                    }
                }
            }
            // 3. Snap to word boundaries (white space) without cutting a match.
            var start = bestStart
            if start > 0 {
                var s = start
                while s > 0 && !isSpace(bytes[s - 1]) && start - s < 24 { s -= 1 }
                if s > 0 && !isSpace(bytes[s - 1]) {
                    // No space close before: move forward to the next space instead.
                    var f = start
                    while f < bytes.count && !isSpace(bytes[f]) { f += 1 }
                    s = f
                }
                start = s
            }
            while start > 0 && start < bytes.count && isContinuation(bytes[start]) { start -= 1 }
            var end = max(start, bestEnd)
            if end < bytes.count {
                var e = end
                while e > start && !isSpace(bytes[e]) { e -= 1 }
                if e > start { end = e }
                while end < bytes.count && isContinuation(bytes[end]) { end += 1 }
            }
            // Never cut a match in half.
            for m in matches where m.range.lowerBound < end && m.range.upperBound > end { end = m.range.upperBound }
            // 4. Render.
            var out = ""
            if start > 0 { out += "…" }
            var pendingSpace = false
            var cursor = start
            func emit(_ range: Range<Int>) {
                var first = true
                for piece in String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self).split(
                    omittingEmptySubsequences: false, whereSeparator: { $0.isWhitespace })
                {
                    if !first { pendingSpace = true }
                    first = false
                    if piece.isEmpty { continue }
                    if pendingSpace && !out.isEmpty && out != "…" { out += " " }
                    pendingSpace = false
                    out += escape(String(piece), style)
                }
            }
            var inWindow: [Range<Int>] = []
            for m in matches where m.range.lowerBound >= start && m.range.upperBound <= end {
                inWindow.append(m.range)
            }
            for r in inWindow {
                if r.lowerBound < cursor { continue }
                emit(cursor..<r.lowerBound)
                if pendingSpace && !out.isEmpty && out != "…" { out += " " }
                pendingSpace = false
                let word = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[r]), as: UTF8.self)
                out += open(style) + escape(word, style) + close(style)
                cursor = r.upperBound
            }
            emit(cursor..<end)
            if end < bytes.count { out += "…" }
            return Snippet(text: out, matches: matches.map { $0.range })
        }
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
