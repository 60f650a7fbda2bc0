// The text formats the folder loader reads, and how each becomes a document.
//
// For: `DocumentLoader`. Not for: converting markup: apart from HTML (tags stripped, see
// HTMLText.swift) the body is the file's text as written, so a search finds what the file says;
// only the title is chosen with the format in mind.
//
// Titles: `.txt` and any other name: the first non-empty line (as Poisk has always done).
// `.md`, `.markdown`, `.mdown`, `.mkd`: the first ATX heading (`# Title`) without its marks, else
// the first non-empty line. When a plain or Markdown file starts with YAML-style front matter
// (FrontMatter.swift): its `title:`, else the first Markdown heading, else the first line after
// the front matter, whose entries become fields and which the body leaves out. `.rst`: the first line that is not a comment or directive (`..` and its indented
// block), a field (`:orphan:`) or a title adornment (`=====`). `.adoc`: the document title
// (`= Title`), else the first line that is not a comment (`//`), an attribute (`:name: value`) or
// a block attribute (`[source]`). `.org`: `#+TITLE:`, else the first line that is not a `#`
// keyword or comment, without heading stars. `.tex`: `\title{…}` without commands and braces,
// else the first line that is not a comment or a command. `.html`/`.htm`: the `<title>`, else the
// first line of the text. Every title is cut to `DocumentLoader.maxTitleCharacters`.

/// A text format, chosen by a file name's extension.
enum TextFormat: Sendable, Equatable {
    case plain
    case markdown
    case restructuredText
    case asciiDoc
    case org
    case tex
    case html

    /// The format of a file name (by its extension, any case).
    init(fileName: String) {
        switch TextFormat.fileExtension(fileName) {
        case "md", "markdown", "mdown", "mkd": self = .markdown
        case "rst", "rest": self = .restructuredText
        case "adoc", "asciidoc", "asc": self = .asciiDoc
        case "org": self = .org
        case "tex", "latex": self = .tex
        case "html", "htm", "xhtml": self = .html
        default: self = .plain
        }
    }

    /// The lowercased extension of a file name without its dot ("" when there is none; a name
    /// that only starts with a dot, like `.profile`, has none).
    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// The document of a file in this format.
    /// - Parameters:
    ///   - id: the document id (the path under the folder, or the file's name).
    ///   - bytes: the file's bytes; invalid UTF-8 becomes U+FFFD.
    ///   - schema: the loader's schema, for the types of front matter fields.
    func document(id: String, bytes: [UInt8], schema: Schema? = nil) -> Document {
        if self == .html {
            let (title, text) = HTMLText.extract(bytes)
            if title.isEmpty { return DocumentLoader.textDocument(id: id, text: text) }
            return Document(id: id, title: DocumentLoader.shortTitle(title), body: text)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if self == .plain || self == .markdown,
            bytes.starts(with: [0x2D, 0x2D, 0x2D]) || bytes.starts(with: [0xEF, 0xBB, 0xBF, 0x2D, 0x2D, 0x2D]),
            let document = FrontMatter.document(id: id, text: text, schema: schema)
        {
            return document
        }
        let title: String?
        switch self {
        case .plain, .html: title = nil
        case .markdown: title = FrontMatter.heading(text)
        case .restructuredText: title = TextFormat.restructuredTextTitle(text)
        case .asciiDoc: title = TextFormat.asciiDocTitle(text)
        case .org: title = TextFormat.orgTitle(text)
        case .tex: title = TextFormat.texTitle(text)
        }
        guard let title, !title.isEmpty else { return DocumentLoader.textDocument(id: id, text: text) }
        return Document(id: id, title: DocumentLoader.shortTitle(title), body: text)
    }

    static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    static func trimmed(_ line: Substring) -> String { line.trimmingWhitespace() }

    /// A line of three or more of one punctuation character: a reStructuredText adornment.
    static func isAdornment(_ line: String) -> Bool {
        guard line.count >= 3, let first = line.unicodeScalars.first, first.isASCII,
            first.properties.isPatternSyntax || first == "_" || first == "`"
        else { return false }
        return line.unicodeScalars.allSatisfy { $0 == first }
    }

    /// `:name:` or `:name: value` at the start of a line.
    static func isField(_ line: String) -> Bool {
        guard line.hasPrefix(":"), line.count > 2 else { return false }
        let rest = line.dropFirst()
        guard let close = rest.firstIndex(of: ":"), close != rest.startIndex else { return false }
        let after = rest[rest.index(after: close)...]
        return after.isEmpty || after.first == " " || after.first == "\t"
    }

    static func restructuredTextTitle(_ text: String) -> String? {
        var inDirective = false
        for line in lines(text) {
            let t = trimmed(line)
            if t.isEmpty { continue }
            if inDirective && (line.first == " " || line.first == "\t") { continue }
            inDirective = false
            if t.hasPrefix("..") {
                inDirective = true
                continue
            }
            if isAdornment(t) || isField(t) { continue }
            return t
        }
        return nil
    }

    static func asciiDocTitle(_ text: String) -> String? {
        var inComment = false
        for line in lines(text) {
            let t = trimmed(line)
            if t.hasPrefix("////") {
                inComment.toggle()
                continue
            }
            if inComment || t.isEmpty || t.hasPrefix("//") || isField(t) { continue }
            if t.hasPrefix("[") && t.hasSuffix("]") { continue }
            var title = Substring(t)
            if title.first == "=" || title.first == "#" {
                let marker = title.first
                title = title.drop(while: { $0 == marker })
            }
            return title.trimmingWhitespace()
        }
        return nil
    }

    static func orgTitle(_ text: String) -> String? {
        let all = lines(text)
        for line in all {
            let t = trimmed(line)
            if t.uppercased().hasPrefix("#+TITLE:") {
                let value = t.dropFirst("#+TITLE:".count).trimmingWhitespace()
                if !value.isEmpty { return value }
            }
        }
        for line in all {
            let t = trimmed(line)
            if t.isEmpty || t.hasPrefix("#") { continue }
            return Substring(t).drop(while: { $0 == "*" }).trimmingWhitespace()
        }
        return nil
    }

    static func texTitle(_ text: String) -> String? {
        if let range = text.range(of: "\\title{") {
            var depth = 1
            var value = ""
            var index = range.upperBound
            while index < text.endIndex {
                let c = text[index]
                if c == "{" {
                    depth += 1
                } else if c == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                value.append(c)
                index = text.index(after: index)
            }
            let plain = stripTeX(value)
            if !plain.isEmpty { return plain }
        }
        for line in lines(text) {
            let t = trimmed(line)
            if t.isEmpty || t.hasPrefix("%") || t.hasPrefix("\\") { continue }
            return t
        }
        return nil
    }

    /// TeX source without commands (`\emph` goes, its braced argument stays), braces and
    /// comments; `\\` and `~` are spaces, `\&` is `&`; white space collapsed.
    static func stripTeX(_ source: String) -> String {
        let c = Array(source)
        var words = ""
        var i = 0
        while i < c.count {
            switch c[i] {
            case "\\":
                i += 1
                if i < c.count && c[i].isLetter {
                    while i < c.count && c[i].isLetter { i += 1 }
                    words.append(" ")
                } else if i < c.count {
                    words.append(c[i] == "\\" ? " " : c[i])
                    i += 1
                }
            case "%":
                while i < c.count && !c[i].isNewline { i += 1 }
            case "{", "}":
                i += 1
            case "~":
                words.append(" ")
                i += 1
            default:
                words.append(c[i])
                i += 1
            }
        }
        return words.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

extension StringProtocol {
    /// The text without white space at either end.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
