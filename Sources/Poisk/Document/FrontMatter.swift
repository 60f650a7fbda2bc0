// YAML-style front matter at the top of Markdown and text files: `key: value` lines between two
// `---` lines, which become the document's fields.
//
// For: the loader's plain-text formats (`.md`, `.markdown`, `.txt`, and other names read as
// plain text). Not for: YAML at large: nested maps, anchors, tags and multi-document streams are
// not read (a nested map's lines are skipped). A file whose first line is not `---`, or whose
// block is never closed by `---` or `...`, has no front matter and is read as before.
//
//     ---
//     title: "Kyiv: notes"         → the title field (quotes removed)
//     date: 2025-07-08             → a date
//     tags: [ukraine, travel]      → keywords (also as a block list: "tags:" then "  - ukraine")
//     words: 812                   → an integer;  rating: 4.5 → a double;  draft: false → a boolean
//     author: Ann                  → a keyword (any other plain or quoted string)
//     summary: |                   → a block scalar (`|` keeps line breaks, `>` folds them)
//       Two lines
//       of text.
//     ---

/// The fields of a file's front matter.
enum FrontMatter {
    /// One value as written: a scalar (with whether it was quoted) or a list of scalars.
    enum Raw: Equatable {
        case scalar(String, quoted: Bool)
        case list([String])
    }

    /// The front matter of `text`: its entries in order and the text after the closing line;
    /// nil when the text has none.
    static func split(_ text: String) -> (entries: [(key: String, value: Raw)], rest: Substring)? {
        var t = Substring(text)
        if t.hasPrefix("\u{FEFF}") { t = t.dropFirst() }
        let lines = t.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let first = lines.first, first.trimmingWhitespace() == "---" else { return nil }
        var end: Int?
        for i in 1..<lines.count where lines[i].trimmingWhitespace() == "---" || lines[i].trimmingWhitespace() == "..." {
            // A closing line at the very start of a line only (an indented `---` is content).
            if lines[i].first == "-" || lines[i].first == "." {
                end = i
                break
            }
        }
        guard let end else { return nil }
        var entries: [(String, Raw)] = []
        var i = 1
        while i < end {
            let line = lines[i]
            i += 1
            guard let first = line.first, first != " ", first != "\t", first != "#" else { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingWhitespace()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
            else { continue }
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            if value.isEmpty || value.hasPrefix("#") {
                // A block list (`  - item` lines), or a nested map (skipped), or no value.
                var items: [String] = []
                var nested = false
                while i < end, let c = lines[i].first, c == " " || c == "\t" || lines[i].trimmingWhitespace().isEmpty {
                    let item = lines[i].trimmingWhitespace()
                    i += 1
                    if item.isEmpty || item.hasPrefix("#") { continue }
                    if item.hasPrefix("- ") || item == "-" {
                        let (scalar, _) = FrontMatter.scalar(Substring(item.dropFirst()).trimmingWhitespace())
                        if !scalar.isEmpty { items.append(scalar) }
                    } else {
                        nested = true
                    }
                }
                if !nested && !items.isEmpty { entries.append((key, .list(items))) }
                continue
            }
            if value == "|" || value == ">" || value.hasPrefix("|") || value.hasPrefix(">") {
                var block: [String] = []
                while i < end, lines[i].first == " " || lines[i].first == "\t" || lines[i].trimmingWhitespace().isEmpty {
                    block.append(lines[i].trimmingWhitespace())
                    i += 1
                }
                while block.last?.isEmpty == true { block.removeLast() }
                let joined =
                    value.hasPrefix("|")
                    ? block.joined(separator: "\n")
                    : block.split(whereSeparator: \.isEmpty).map { $0.joined(separator: " ") }.joined(separator: "\n")
                entries.append((key, .scalar(joined, quoted: true)))
                continue
            }
            if value.hasPrefix("[") {
                entries.append((key, .list(flowList(value))))
                continue
            }
            let (scalar, quoted) = FrontMatter.scalar(value)
            entries.append((key, .scalar(scalar, quoted: quoted)))
        }
        let restStart = end + 1 < lines.count ? lines[end + 1].startIndex : t.endIndex
        return (entries, t[restStart...])
    }

    /// A scalar without its quotes (`'it''s'`, `"a \"b\""`) or, unquoted, without a trailing
    /// ` # comment`; and whether it was quoted.
    static func scalar(_ text: String) -> (String, quoted: Bool) {
        if text.count >= 2, let q = text.first, q == "\"" || q == "'", text.last == q {
            let inner = text.dropFirst().dropLast()
            if q == "'" { return (inner.replacingOccurrences(of: "''", with: "'"), true) }
            var out = ""
            var escaped = false
            for c in inner {
                if escaped {
                    switch c {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: out.append(c)
                    }
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    out.append(c)
                }
            }
            return (out, true)
        }
        if let comment = text.range(of: " #") { return (text[..<comment.lowerBound].trimmingWhitespace(), false) }
        return (text, false)
    }

    /// The items of a flow list `[a, "b, c", 'd']` (an unclosed list runs to the end).
    static func flowList(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var quote: Character?
        for c in text.dropFirst() {
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
                current.append(c)
            } else if c == "," || c == "]" {
                let (item, _) = scalar(current.trimmingWhitespace())
                if !item.isEmpty { items.append(item) }
                current = ""
                if c == "]" { break }
            } else {
                current.append(c)
            }
        }
        let (last, _) = scalar(current.trimmingWhitespace())
        if !last.isEmpty { items.append(last) }
        return items
    }

    /// The typed value of an entry. A field the schema declares takes its type (a value that
    /// does not fit stays text in ``Document/fields``, and the writer reports it, naming the
    /// document); otherwise a list is keywords, an unquoted `true`/`false` a boolean, an unquoted
    /// whole number an integer, an unquoted decimal number a double, an unquoted ISO 8601 date a
    /// date, and any other string a keyword.
    static func value(_ raw: Raw, declared: FieldType?) -> (text: String?, value: FieldValue?) {
        switch (raw, declared) {
        case (.list(let items), .some(.text)):
            return (items.joined(separator: ", "), nil)
        case (.list(let items), .some(.keyword)), (.list(let items), nil):
            return (nil, .keywords(items))
        case (.list(let items), .some(let type)):
            if items.count == 1, let v = try? FieldValue.parse(items[0], as: type) { return (nil, v) }
            return ("[" + items.joined(separator: ", ") + "]", nil)
        case (.scalar(let s, _), .some(.text)):
            return (s, nil)
        case (.scalar(let s, _), .some(let type)):
            if let v = try? FieldValue.parse(s, as: type) { return (nil, v) }
            return (s, nil)
        case (.scalar(let s, let quoted), nil):
            if !quoted {
                let lower = s.lowercased()
                if lower == "true" || lower == "false" { return (nil, .boolean(lower == "true")) }
                if let v = try? FieldValue.parse(s, as: .integer), s.first?.isNumber == true || s.first == "-" {
                    return (nil, v)
                }
                if s.contains("."), s.first?.isNumber == true || s.first == "-", let v = try? FieldValue.parse(s, as: .double) {
                    return (nil, v)
                }
                if s.first?.isNumber == true, let ms = ISODate.parse(s) { return (nil, .date(ms)) }
            }
            return (nil, .keyword(s))
        }
    }

    /// The document of a plain-text file that starts with front matter: the fields it sets,
    /// the title from `title:` or else the first Markdown heading or first line after the front
    /// matter, and the text after the front matter as the body. Nil when there is no front matter.
    static func document(id: String, text: String, schema: Schema?) -> Document? {
        guard let (entries, rest) = split(text) else { return nil }
        var fields: [String: String] = [:]
        var values: [String: FieldValue] = [:]
        var title: String?
        for (key, raw) in entries where key != "id" && key != "body" {
            if key == "title", case .scalar(let s, _) = raw, schema?.options("title")?.type ?? .text == .text {
                title = s
                continue
            }
            let (text, value) = FrontMatter.value(raw, declared: schema?.options(key)?.type)
            if let text { fields[key] = text }
            if let value { values[key] = value }
        }
        let body = String(rest)
        if title == nil || title?.isEmpty == true {
            title = heading(body) ?? DocumentLoader.textDocument(id: id, text: body).title
        }
        fields["title"] = DocumentLoader.shortTitle(title ?? "")
        return Document(id: id, title: fields["title"] ?? "", body: body, fields: fields, values: values)
    }

    /// The first Markdown ATX heading (`# Title`) of a text, without its marks; nil when the
    /// text has none.
    static func heading(_ text: String) -> String? {
        var inFence = false
        for line in text.split(whereSeparator: \.isNewline) {
            let t = line.trimmingWhitespace()
            if t.hasPrefix("```") || t.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if inFence || !t.hasPrefix("#") { continue }
            let hashes = t.prefix(while: { $0 == "#" }).count
            guard hashes <= 6 else { continue }
            let rest = t.dropFirst(hashes)
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { continue }
            var heading = Substring(rest).trimmingWhitespace()
            // A closing sequence (`# Title ##`): the hashes after the last space.
            if let space = heading.lastIndex(of: " "), heading[heading.index(after: space)...].allSatisfy({ $0 == "#" }) {
                heading = heading[..<space].trimmingWhitespace()
            } else if heading.allSatisfy({ $0 == "#" }) {
                heading = ""
            }
            if !heading.isEmpty { return heading }
        }
        return nil
    }
}
