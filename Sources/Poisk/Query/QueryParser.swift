// The query language: a string → a Query tree, with errors that carry the character offset.
//
// For: user-typed queries (CLI, search boxes). Not for: analysis (words stay as typed; each
// field's analyzer handles them at execution) or execution.
//
// Grammar (Lucene classic syntax; AND binds tighter than OR; juxtaposition uses the default
// operator):
//
//     query    := or
//     or       := and ( "OR" and )*
//     and      := unary ( ["AND"] unary )*
//     unary    := "NOT" unary | "-" unary | "+" unary | primary
//     primary  := ( "(" query ")" | "*:*" | field ":" range | field ":" primary | phrase | word )
//                 [ "^" number ]
//     range    := ( "[" | "{" ) bound "TO" bound ( "]" | "}" )      [ ] inclusive, { } exclusive
//     bound    := "*" | '"' chars '"' | chars                         * = unbounded
//     phrase   := '"' chars '"' [ "~" integer ]
//     word     := chars [ "*" | "~" [ integer ] ]
//
// Special characters `( ) " : ^ ~ * + - \` are escaped with a backslash inside a word. `*:*` is
// every document. A range's bounds are text the field's type reads (`date:[2025-07-01 TO *]`,
// `rating:{4 TO 5]`); which fields are typed is the index's business, not the parser's.

/// Parses query strings into ``Query`` trees.
public struct QueryParser: Sendable {
    /// The operator between clauses written side by side.
    public enum DefaultOperator: String, Sendable, Hashable, Codable {
        /// Every clause must match (`a b` means `a AND b`).
        case and
        /// Any clause may match; documents matching more clauses score higher.
        case or
    }

    /// The operator between juxtaposed clauses; `.and` by default.
    public var defaultOperator: DefaultOperator
    /// Nesting deeper than this is an error (not a stack overflow).
    public static let maxDepth = 200

    /// Creates a parser.
    public init(defaultOperator: DefaultOperator = .and) {
        self.defaultOperator = defaultOperator
    }

    /// Parses a query string.
    /// - Parameter text: the query.
    /// - Returns: the query tree.
    /// - Throws: `PoiskError.invalidQuery` with the character offset of the problem.
    /// - Complexity: O(n) in the query's length.
    public func parse(_ text: String) throws -> Query {
        var state = ParserState(chars: Array(text), text: text, defaultOperator: defaultOperator)
        state.skipSpace()
        if state.atEnd { throw state.error("the query is empty", at: 0) }
        let query = try state.parseOr(depth: 0)
        state.skipSpace()
        if !state.atEnd {
            if state.peek == ")" { throw state.error("unbalanced ')': no matching '('", at: state.index) }
            throw state.error("unexpected '\(state.peek)'", at: state.index)
        }
        return query
    }
}

private struct ParserState {
    let chars: [Character]
    let text: String
    let defaultOperator: QueryParser.DefaultOperator
    var index = 0

    init(chars: [Character], text: String, defaultOperator: QueryParser.DefaultOperator) {
        self.chars = chars
        self.text = text
        self.defaultOperator = defaultOperator
    }

    var atEnd: Bool { index >= chars.count }
    var peek: Character { index < chars.count ? chars[index] : "\0" }

    func error(_ message: String, at offset: Int) -> PoiskError {
        PoiskError.invalidQuery(message: message, query: text, offset: offset)
    }

    mutating func skipSpace() {
        while index < chars.count && chars[index].isWhitespace { index += 1 }
    }

    static let special: Set<Character> = ["(", ")", "\"", ":", "^", "~", "*", "\\"]

    /// True when the next characters are the keyword `word` followed by a boundary.
    func atKeyword(_ word: String) -> Bool {
        let w = Array(word)
        guard index + w.count <= chars.count, Array(chars[index..<(index + w.count)]) == w else { return false }
        let after = index + w.count
        return after == chars.count || chars[after].isWhitespace || chars[after] == "(" || chars[after] == "\""
            || chars[after] == "-" || chars[after] == "+"
    }

    mutating func parseOr(depth: Int) throws -> Query {
        var clauses = [try parseAnd(depth: depth)]
        while true {
            skipSpace()
            if atKeyword("OR") {
                let at = index
                index += 2
                skipSpace()
                if atEnd || peek == ")" { throw error("'OR' needs a clause after it", at: at) }
                clauses.append(try parseAnd(depth: depth))
            } else {
                break
            }
        }
        if clauses.count == 1 { return clauses[0] }
        return .boolean(clauses.map { clauseForOr($0) })
    }

    /// In an OR, a pure negation `-x` means "not x" as a should-match-everything-but; keep it
    /// as a boolean of its own so OR semantics stay intact.
    func clauseForOr(_ q: Query) -> BooleanClause { BooleanClause(.should, q) }

    mutating func parseAnd(depth: Int) throws -> Query {
        var clauses: [BooleanClause] = []
        var explicitAnd = false
        while true {
            skipSpace()
            if atEnd || peek == ")" || atKeyword("OR") { break }
            if atKeyword("AND") {
                let at = index
                if clauses.isEmpty { throw error("'AND' needs a clause before it", at: at) }
                index += 3
                skipSpace()
                if atEnd || peek == ")" || atKeyword("OR") || atKeyword("AND") {
                    throw error("'AND' needs a clause after it", at: at)
                }
                explicitAnd = true
                continue
            }
            let (occur, query) = try parseUnary(depth: depth)
            clauses.append(BooleanClause(occur, query))
        }
        if clauses.isEmpty {
            throw error(atEnd ? "expected a word, phrase or '(' at the end" : "expected a word, phrase or '('", at: index)
        }
        if clauses.count == 1 && clauses[0].occur != .mustNot { return clauses[0].query }
        // Juxtaposed clauses without +/- take the default operator (AND when written out).
        let implicit: Occur = (defaultOperator == .and || explicitAnd) ? .must : .should
        return .boolean(clauses.map { $0.occur == .should ? BooleanClause(implicit, $0.query) : $0 })
    }

    /// Returns the clause's occur (should = "default") and its query.
    mutating func parseUnary(depth: Int) throws -> (Occur, Query) {
        if depth > QueryParser.maxDepth { throw error("the query is nested too deeply (over \(QueryParser.maxDepth) levels)", at: index) }
        skipSpace()
        if atKeyword("NOT") {
            let at = index
            index += 3
            skipSpace()
            if atEnd || peek == ")" { throw error("'NOT' needs a clause after it", at: at) }
            let (_, q) = try parseUnary(depth: depth + 1)
            return (.mustNot, q)
        }
        if peek == "-" || peek == "+" {
            let sign = peek
            let at = index
            index += 1
            if atEnd || peek.isWhitespace || peek == ")" {
                throw error("'\(sign)' must be followed directly by a word, phrase or '('", at: at)
            }
            let q = try parsePrimary(depth: depth + 1)
            return (sign == "-" ? .mustNot : .must, q)
        }
        return (.should, try parsePrimary(depth: depth + 1))
    }

    mutating func parsePrimary(depth: Int, field: String? = nil) throws -> Query {
        if depth > QueryParser.maxDepth { throw error("the query is nested too deeply (over \(QueryParser.maxDepth) levels)", at: index) }
        var query: Query
        if field == nil && atMatchAll() {
            index += 3
            query = .matchAll
        } else if peek == "(" {
            let open = index
            index += 1
            skipSpace()
            if peek == ")" { throw error("empty parentheses", at: open) }
            query = try parseOr(depth: depth + 1)
            skipSpace()
            guard peek == ")" else { throw error("unbalanced '(': missing ')'", at: open) }
            index += 1
            if let field { query = ParserState.assignField(query, field) }
        } else if peek == "\"" {
            query = try parsePhrase(field: field)
        } else {
            let start = index
            let word = try readWord()
            if word.isEmpty {
                if atEnd { throw error("expected a word, phrase or '(' at the end", at: index) }
                throw error("unexpected '\(peek)'", at: index)
            }
            if peek == ":" && field == nil {
                index += 1
                if atEnd || peek.isWhitespace { throw error("field '\(word)' needs a value after ':'", at: start) }
                if peek == "[" || peek == "{" { return try boosted(parseRange(field: word)) }
                return try parsePrimary(depth: depth + 1, field: word)
            }
            if peek == "*" {
                index += 1
                query = .prefix(word, field: field)
            } else if peek == "~" {
                index += 1
                var edits = 2
                if let n = readInteger() {
                    guard n <= 2 else { throw error("fuzzy edits must be 0, 1 or 2", at: index - 1) }
                    edits = n
                }
                query = .fuzzy(word, field: field, maxEdits: edits)
            } else {
                query = .term(word, field: field)
            }
        }
        return try boosted(query)
    }

    /// `query` with the boost written after it (`^2`), if any.
    mutating func boosted(_ query: Query) throws -> Query {
        guard peek == "^" else { return query }
        let at = index
        index += 1
        guard let boost = readNumber(), boost >= 0, boost.isFinite else {
            throw error("'^' must be followed by a non-negative number", at: at)
        }
        return .boosted(query, boost)
    }

    /// True at `*:*` followed by a boundary.
    func atMatchAll() -> Bool {
        guard index + 3 <= chars.count, chars[index] == "*", chars[index + 1] == ":", chars[index + 2] == "*" else {
            return false
        }
        let after = index + 3
        return after == chars.count || chars[after].isWhitespace || chars[after] == ")" || chars[after] == "^"
    }

    /// A range after `field:`, at its opening `[` or `{`.
    mutating func parseRange(field: String) throws -> Query {
        let open = index
        let includesFrom = peek == "["
        index += 1
        skipSpace()
        if atKeyword("TO") { throw error("a range bound is missing before 'TO' (write * for an open end)", at: index) }
        let from = try readBound(open: open)
        skipSpace()
        guard atKeyword("TO") else {
            throw error("a range needs 'TO' between its bounds: \(field):[from TO to]", at: atEnd ? open : index)
        }
        index += 2
        skipSpace()
        let to = try readBound(open: open)
        skipSpace()
        guard peek == "]" || peek == "}" else {
            throw error("unterminated range: missing ']' or '}'", at: open)
        }
        let includesTo = peek == "]"
        index += 1
        return .range(
            field, from: from.map { .keyword($0) }, to: to.map { .keyword($0) }, includesFrom: includesFrom,
            includesTo: includesTo)
    }

    /// A range bound: `*` (nil: unbounded), a quoted text, or text up to white space or the
    /// range's end.
    mutating func readBound(open: Int) throws -> String? {
        if atEnd { throw error("unterminated range: missing ']' or '}'", at: open) }
        if peek == "\"" {
            let start = index
            index += 1
            var text = ""
            while !atEnd && peek != "\"" {
                if peek == "\\" && index + 1 < chars.count { index += 1 }
                text.append(peek)
                index += 1
            }
            guard peek == "\"" else { throw error("unterminated quoted bound: missing closing '\"'", at: start) }
            index += 1
            return text
        }
        var text = ""
        while !atEnd, !peek.isWhitespace, peek != "]", peek != "}" {
            if peek == "\\" && index + 1 < chars.count { index += 1 }
            text.append(peek)
            index += 1
        }
        if text.isEmpty { throw error("a range bound is missing (write * for an open end)", at: index) }
        return text == "*" ? nil : text
    }

    mutating func parsePhrase(field: String?) throws -> Query {
        let open = index
        index += 1
        var text = ""
        while !atEnd && peek != "\"" {
            if peek == "\\" && index + 1 < chars.count {
                index += 1
            }
            text.append(peek)
            index += 1
        }
        guard peek == "\"" else { throw error("unterminated phrase: missing closing '\"'", at: open) }
        index += 1
        var slop = 0
        if peek == "~" {
            index += 1
            guard let n = readInteger() else { throw error("'~' after a phrase needs a whole number (the slop)", at: index - 1) }
            slop = n
        }
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if words.isEmpty { throw error("empty phrase", at: open) }
        return .phrase(words, field: field, slop: slop)
    }

    mutating func readWord() throws -> String {
        var word = ""
        while !atEnd {
            let c = peek
            if c.isWhitespace || (ParserState.special.contains(c) && c != "\\") { break }
            if c == "\\" {
                guard index + 1 < chars.count else { throw error("a '\\' at the end escapes nothing", at: index) }
                index += 1
                word.append(peek)
                index += 1
                continue
            }
            word.append(c)
            index += 1
        }
        return word
    }

    mutating func readInteger() -> Int? {
        let start = index
        while !atEnd, let d = peek.wholeNumberValue, d < 10, peek.isASCII { index += 1 }
        guard index > start, index - start < 9 else { return nil }
        return Int(String(chars[start..<index]))
    }

    mutating func readNumber() -> Double? {
        let start = index
        while !atEnd && (peek.isASCII && (peek.isNumber || peek == ".")) { index += 1 }
        guard index > start else { return nil }
        return Double(String(chars[start..<index]))
    }

    static func assignField(_ q: Query, _ field: String) -> Query {
        switch q {
        case .term(let w, nil): return .term(w, field: field)
        case .phrase(let w, nil, let s): return .phrase(w, field: field, slop: s)
        case .prefix(let w, nil): return .prefix(w, field: field)
        case .fuzzy(let w, nil, let e): return .fuzzy(w, field: field, maxEdits: e)
        case .boolean(let clauses): return .boolean(clauses.map { BooleanClause($0.occur, assignField($0.query, field)) })
        case .boosted(let inner, let b): return .boosted(assignField(inner, field), b)
        default: return q
        }
    }
}
