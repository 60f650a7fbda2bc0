// Ignore files (`.gitignore`, `.ignore`, `.poiskignore`) and `--glob` patterns, with the rules of
// gitignore(5).
//
// For: the folder walk of `DocumentLoader`, which asks, for each entry it meets, whether the
// ignore files of the folders above it exclude it. Not for: reading files (the walk does that)
// or anything on the search path.
//
// The rules, as git applies them (checked against `git ls-files --others --exclude-standard` and
// `git check-ignore` on generated trees by Scripts/check-ignore-vs-git.py):
// - A file is read line by line (`\n`, one `\r` before it dropped; a UTF-8 byte-order mark at the
//   start skipped). Blank lines and lines starting with `#` are no patterns; `\#` and `\!`
//   start a pattern with a literal `#` or `!`. Trailing spaces are dropped unless escaped (`\ `).
// - `!` re-includes what an earlier pattern excluded. The last matching pattern decides; the
//   ignore files of deeper folders are consulted before those of shallower ones; a folder that
//   is excluded is not entered, so nothing below it can be re-included.
// - A trailing `/` matches folders only. A pattern with no other `/` matches the name of an
//   entry at any depth below its ignore file's folder; one with a `/` at the start or in the
//   middle is anchored there and matched against the path below that folder.
// - `*` matches any run of bytes but `/`, `?` one byte but `/`, `[…]` one byte of a set (ranges
//   `a-z`, `[:alpha:]`-style classes, `!` or `^` to negate; never `/`), `\x` the byte `x`. A
//   leading `**/` matches in every folder, `/**/` zero or more folders, a trailing `/**`
//   everything inside; other runs of stars are one `*`. Matching is by bytes and
//   case-sensitive, as git on Linux (`core.ignoreCase` false). Like git, the literal start of an
//   anchored pattern (up to its first `*?[\`) is compared first and the rest matched on its own,
//   so `a**/b` acts as `a` followed by `**/b`.
// - A malformed pattern (an unclosed `[`, a trailing `\`, an unknown `[:class:]`) matches
//   nothing, as in git; `--glob` reports it instead (`IgnorePattern.problem`).
// In one folder the three files are read as one list in the order `.gitignore`, `.ignore`,
// `.poiskignore`, so on a conflict in the same folder `.poiskignore` wins over `.ignore`, which
// wins over `.gitignore`; a deeper folder's files win over a shallower folder's, whatever their
// names.

/// One pattern of an ignore file or a `--glob`, parsed.
struct IgnorePattern: Sendable {
    /// `!pattern`: re-includes (in an ignore file) or excludes (as a `--glob`).
    let isNegated: Bool
    /// A trailing `/`: matches folders only.
    let directoryOnly: Bool
    /// No `/` but a trailing one: matched against an entry's name at any depth.
    let matchesName: Bool
    /// The folder of the ignore file, relative to the walk's root ("" for the root), as bytes.
    let base: [UInt8]
    /// Anchored patterns: the literal bytes before the first wildcard (after a leading `/`).
    let literalPrefix: [UInt8]
    /// The rest, compiled; nil when the pattern is literal to its end.
    let glob: Glob?
    /// The pattern as written (without the `!`), for messages.
    let text: String
    /// Where it came from: `sub/.gitignore:3`, or `--glob`.
    let source: String
    /// Why the pattern can never match, when it is malformed.
    let problem: String?

    /// Parses one line. Returns nil for blank lines and comments.
    /// - Parameters:
    ///   - line: the line's bytes without its `\n`.
    ///   - base: the ignore file's folder relative to the root, "" for the root.
    ///   - source: where the line came from, for messages.
    init?(line: some Collection<UInt8>, base: String, source: String) {
        var bytes = Array(line)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let first = bytes.first, first != UInt8(ascii: "#") else { return nil }
        IgnorePattern.trimTrailingSpaces(&bytes)
        var negated = false
        if bytes.first == UInt8(ascii: "!") {
            negated = true
            bytes.removeFirst()
        }
        var directoryOnly = false
        if bytes.last == UInt8(ascii: "/") {
            directoryOnly = true
            bytes.removeLast()
        }
        guard !bytes.isEmpty else { return nil }  // "", "!", "/": match nothing
        self.isNegated = negated
        self.directoryOnly = directoryOnly
        self.text = String(decoding: bytes, as: UTF8.self) + (directoryOnly ? "/" : "")
        self.source = source
        self.base = Array(base.utf8)
        let matchesName = !bytes.contains(UInt8(ascii: "/"))
        self.matchesName = matchesName
        if matchesName {
            // Matched against a name: the whole pattern is one glob, or a literal name.
            if bytes.contains(where: IgnorePattern.isSpecial) {
                let compiled = Glob(bytes)
                self.literalPrefix = []
                self.glob = compiled
                self.problem = compiled.problem
            } else {
                self.literalPrefix = bytes
                self.glob = nil
                self.problem = nil
            }
        } else {
            if bytes.first == UInt8(ascii: "/") { bytes.removeFirst() }
            let literalEnd = bytes.firstIndex(where: IgnorePattern.isSpecial) ?? bytes.count
            self.literalPrefix = Array(bytes[..<literalEnd])
            if literalEnd < bytes.count {
                let compiled = Glob(bytes[literalEnd...])
                self.glob = compiled
                self.problem = compiled.problem
            } else {
                self.glob = nil
                self.problem = nil
            }
        }
    }

    /// Whether the pattern matches an entry.
    /// - Parameters:
    ///   - path: the entry's path relative to the root, as UTF-8 bytes (no leading or trailing `/`).
    ///   - nameStart: the index in `path` where the entry's name starts.
    ///   - isDirectory: whether the entry is a folder.
    /// - Complexity: O(pattern length × path length).
    func matches(path: [UInt8], nameStart: Int, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        if matchesName {
            let name = path[nameStart...]
            guard let glob else { return name.elementsEqual(literalPrefix) }
            return glob.matches(name)
        }
        var start = path.startIndex
        if !base.isEmpty {
            guard path.count > base.count, path[base.count] == UInt8(ascii: "/"), path[..<base.count].elementsEqual(base)
            else { return false }
            start = base.count + 1
        }
        let rest = path[start...]
        guard rest.count >= literalPrefix.count, rest.prefix(literalPrefix.count).elementsEqual(literalPrefix) else { return false }
        let tail = rest.dropFirst(literalPrefix.count)
        guard let glob else { return tail.isEmpty }
        return glob.matches(tail)
    }

    /// `*`, `?`, `[` and `\`: the bytes that end a pattern's literal start (git's `simple_length`).
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }

    /// Drops trailing spaces, keeping an escaped one (`foo\ ` keeps its last space).
    static func trimTrailingSpaces(_ bytes: inout [UInt8]) {
        var firstTrailingSpace: Int?
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "):
                if firstTrailingSpace == nil { firstTrailingSpace = i }
            case UInt8(ascii: "\\"):
                i += 1
                if i >= bytes.count { return }
                firstTrailingSpace = nil
            default:
                firstTrailingSpace = nil
            }
            i += 1
        }
        if let cut = firstTrailingSpace { bytes.removeSubrange(cut...) }
    }
}

/// A compiled wildcard pattern, matched against bytes by following every way it can match at
/// once (a set of positions per step), so no pattern takes exponential time.
struct Glob: Sendable {
    enum Token: Sendable, Equatable {
        /// One given byte.
        case byte(UInt8)
        /// `?`: one byte but `/`.
        case anyByte
        /// One byte of the set (never `/`).
        case set(ByteSet)
        /// `*`: any run of bytes without `/`.
        case star
        /// `**` at the end after a `/` (or alone): any run of bytes.
        case anything
        /// `**/` after a `/` (or at the start): nothing, or any run of bytes ending in `/`.
        case folders
    }

    let tokens: [Token]
    /// Why it never matches, when malformed.
    let problem: String?
    /// For `*literal`: the literal, matched by comparing the end of the text.
    let starSuffix: [UInt8]?

    init(_ pattern: some Collection<UInt8>) {
        let p = Array(pattern)
        var tokens: [Token] = []
        var problem: String?
        var i = 0
        parsing: while i < p.count {
            let c = p[i]
            switch c {
            case UInt8(ascii: "\\"):
                guard i + 1 < p.count else {
                    problem = "it ends with a lone '\\'"
                    break parsing
                }
                tokens.append(.byte(p[i + 1]))
                i += 2
            case UInt8(ascii: "?"):
                tokens.append(.anyByte)
                i += 1
            case UInt8(ascii: "*"):
                var j = i
                while j < p.count && p[j] == UInt8(ascii: "*") { j += 1 }
                let afterSlash = i == 0 || p[i - 1] == UInt8(ascii: "/")
                if j - i >= 2 && afterSlash && j == p.count {
                    tokens.append(.anything)
                    i = j
                } else if j - i >= 2 && afterSlash && p[j] == UInt8(ascii: "/") {
                    tokens.append(.folders)
                    i = j + 1
                } else if j - i >= 2 && afterSlash && p[j] == UInt8(ascii: "\\") && j + 1 < p.count && p[j + 1] == UInt8(ascii: "/") {
                    tokens.append(.anything)  // `**\/`: any run, then the escaped `/`
                    i = j
                } else {
                    tokens.append(.star)
                    i = j
                }
            case UInt8(ascii: "["):
                switch Glob.parseSet(p, at: i) {
                case .success(let (set, end)):
                    tokens.append(.set(set))
                    i = end
                case .failure(let reason):
                    problem = reason.text
                    break parsing
                }
            default:
                tokens.append(.byte(c))
                i += 1
            }
        }
        self.tokens = problem == nil ? tokens : []
        self.problem = problem
        var suffix: [UInt8] = []
        for token in tokens.dropFirst() {
            guard case .byte(let b) = token else { break }
            suffix.append(b)
        }
        self.starSuffix = problem == nil && tokens.first == .star && suffix.count == tokens.count - 1 && !suffix.isEmpty ? suffix : nil
    }

    struct Malformed: Error {
        let text: String
    }

    /// Parses `[…]` starting at `p[start]`; returns the set and the index after `]`.
    static func parseSet(_ p: [UInt8], at start: Int) -> Result<(ByteSet, Int), Malformed> {
        let unclosed = Malformed(text: "a '[' is not closed by ']'")
        var j = start + 1
        guard j < p.count else { return .failure(unclosed) }
        var negated = false
        if p[j] == UInt8(ascii: "!") || p[j] == UInt8(ascii: "^") {
            negated = true
            j += 1
        }
        var set = ByteSet()
        var previous: UInt8?  // the last single byte, which a `-` can start a range from
        var first = true
        while true {
            guard j < p.count else { return .failure(unclosed) }
            let c = p[j]
            if c == UInt8(ascii: "]") && !first { break }
            first = false
            if c == UInt8(ascii: "\\") {
                j += 1
                guard j < p.count else { return .failure(unclosed) }
                set.insert(p[j])
                previous = p[j]
                j += 1
            } else if c == UInt8(ascii: "-"), let low = previous, j + 1 < p.count, p[j + 1] != UInt8(ascii: "]") {
                j += 1
                var high = p[j]
                if high == UInt8(ascii: "\\") {
                    j += 1
                    guard j < p.count else { return .failure(unclosed) }
                    high = p[j]
                }
                if low <= high { set.insert(low...high) }
                previous = nil
                j += 1
            } else if c == UInt8(ascii: "["), j + 1 < p.count, p[j + 1] == UInt8(ascii: ":") {
                let nameStart = j + 2
                var close = nameStart
                while close < p.count && p[close] != UInt8(ascii: "]") { close += 1 }
                guard close < p.count else { return .failure(unclosed) }
                if close - nameStart - 1 < 0 || p[close - 1] != UInt8(ascii: ":") {
                    // Not `[:name:]`: the `[` is an ordinary member; go on from the `:`.
                    set.insert(c)
                    previous = c
                    j += 1
                    continue
                }
                let name = String(decoding: p[nameStart..<(close - 1)], as: UTF8.self)
                guard let members = ByteSet.named(name) else {
                    return .failure(Malformed(text: "'[:\(name):]' is not a character class"))
                }
                set.formUnion(members)
                previous = nil
                j = close + 1
            } else {
                set.insert(c)
                previous = c
                j += 1
            }
        }
        if negated { set.invert() }
        set.remove(UInt8(ascii: "/"))
        return .success((set, j + 1))
    }

    /// Whether the pattern matches all of `text`.
    /// - Complexity: O(tokens × text length); the states of short texts live on the stack.
    func matches(_ text: ArraySlice<UInt8>) -> Bool {
        if problem != nil { return false }
        return text.withUnsafeBufferPointer { t in
            if let suffix = starSuffix {
                // `*literal` (the common `*.ext`): compare the end; the rest must hold no `/`.
                let n = t.count
                guard n >= suffix.count else { return false }
                for k in 0..<suffix.count where t[n - suffix.count + k] != suffix[k] { return false }
                for i in 0..<(n - suffix.count) where t[i] == UInt8(ascii: "/") { return false }
                return true
            }
            return withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * (t.count + 1)) { states in
                run(
                    t, UnsafeMutableBufferPointer(rebasing: states[0...t.count]),
                    UnsafeMutableBufferPointer(rebasing: states[(t.count + 1)...]))
            }
        }
    }

    /// Whether the pattern matches all of `text`.
    func matches(_ text: [UInt8]) -> Bool { matches(text[...]) }

    /// Follows the tokens over `t`, holding in `current` the positions the tokens so far can end at.
    private func run(
        _ t: UnsafeBufferPointer<UInt8>, _ first: UnsafeMutableBufferPointer<Bool>, _ second: UnsafeMutableBufferPointer<Bool>
    ) -> Bool {
        let n = t.count
        var current = first
        var next = second
        current.update(repeating: false)
        current[0] = true
        for token in tokens {
            switch token {
            case .byte(let b):
                next[0] = false
                for i in 0..<n { next[i + 1] = current[i] && t[i] == b }
            case .anyByte:
                next[0] = false
                for i in 0..<n { next[i + 1] = current[i] && t[i] != UInt8(ascii: "/") }
            case .set(let set):
                next[0] = false
                for i in 0..<n { next[i + 1] = current[i] && set.contains(t[i]) }
            case .star:
                var reachable = false
                for j in 0...n {
                    if current[j] { reachable = true }
                    next[j] = reachable
                    if j < n && t[j] == UInt8(ascii: "/") { reachable = false }
                }
            case .anything:
                var reachable = false
                for j in 0...n {
                    if current[j] { reachable = true }
                    next[j] = reachable
                }
            case .folders:
                var reachable = false  // some start at or before j - 1
                for j in 0...n {
                    next[j] = current[j] || (reachable && j > 0 && t[j - 1] == UInt8(ascii: "/"))
                    if current[j] { reachable = true }
                }
            }
            guard next.contains(true) else { return false }
            swap(&current, &next)
        }
        return current[n]
    }
}

/// A set of bytes (256 bits).
struct ByteSet: Sendable, Equatable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (a: ByteSet, b: ByteSet) -> Bool { a.words == b.words }

    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    mutating func insert(_ range: ClosedRange<UInt8>) {
        for b in range { insert(b) }
    }

    mutating func remove(_ byte: UInt8) {
        let bit = ~(UInt64(1) << UInt64(byte & 63))
        switch byte >> 6 {
        case 0: words.0 &= bit
        case 1: words.1 &= bit
        case 2: words.2 &= bit
        default: words.3 &= bit
        }
    }

    mutating func invert() { words = (~words.0, ~words.1, ~words.2, ~words.3) }

    mutating func formUnion(_ other: ByteSet) {
        words = (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3)
    }

    /// The ASCII members of a POSIX class name (`alpha`, `digit`, …) as git defines them, or nil.
    static func named(_ name: String) -> ByteSet? {
        var set = ByteSet()
        func add(_ test: (UInt8) -> Bool) { for b in UInt8(0)...UInt8(127) where test(b) { set.insert(b) } }
        let isUpper: (UInt8) -> Bool = { $0 >= 65 && $0 <= 90 }
        let isLower: (UInt8) -> Bool = { $0 >= 97 && $0 <= 122 }
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        let isAlpha: (UInt8) -> Bool = { isUpper($0) || isLower($0) }
        let isGraph: (UInt8) -> Bool = { $0 >= 33 && $0 <= 126 }
        switch name {
        case "alnum": add { isAlpha($0) || isDigit($0) }
        case "alpha": add(isAlpha)
        case "blank": add { $0 == 32 || $0 == 9 }
        case "cntrl": add { $0 < 32 || $0 == 127 }
        case "digit": add(isDigit)
        case "graph": add(isGraph)
        case "lower": add(isLower)
        case "print": add { $0 >= 32 && $0 <= 126 }
        case "punct": add { isGraph($0) && !isAlpha($0) && !isDigit($0) }
        case "space": add { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
        case "upper": add(isUpper)
        case "xdigit": add { isDigit($0) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102) }
        default: return nil
        }
        return set
    }
}

/// The patterns of one folder's ignore files, in order.
struct IgnoreRules: Sendable {
    /// The ignore file names read in each folder, in the order their patterns are listed (so the
    /// later ones win on a conflict in the same folder).
    static let fileNames = [".gitignore", ".ignore", ".poiskignore"]

    /// The folder, relative to the root ("" for the root).
    let base: String
    private(set) var patterns: [IgnorePattern] = []

    init(base: String) { self.base = base }

    /// Adds the patterns of an ignore file's bytes.
    /// - Parameter source: the file's path relative to the root, for messages.
    mutating func add(contents: [UInt8], source: String) {
        var start = 0
        if contents.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }  // a UTF-8 byte-order mark
        var lineNumber = 1
        while start <= contents.count {
            let end = contents[start...].firstIndex(of: UInt8(ascii: "\n")) ?? contents.count
            if let pattern = IgnorePattern(line: contents[start..<end], base: base, source: "\(source):\(lineNumber)") {
                patterns.append(pattern)
            }
            lineNumber += 1
            start = end + 1
        }
    }

    var isEmpty: Bool { patterns.isEmpty }
}

/// The ignore rules of the folders from the root down to the one being walked.
struct IgnoreStack: Sendable {
    private(set) var levels: [IgnoreRules] = []

    mutating func push(_ rules: IgnoreRules) { levels.append(rules) }
    mutating func pop() { levels.removeLast() }

    /// The pattern that decides about an entry, or nil when none matches: the last matching
    /// pattern of the deepest folder that has one.
    /// - Parameters:
    ///   - path: the entry's path relative to the root, as UTF-8 bytes.
    ///   - nameStart: where its name starts in `path`.
    ///   - isDirectory: whether it is a folder.
    func decidingPattern(path: [UInt8], nameStart: Int, isDirectory: Bool) -> IgnorePattern? {
        for level in levels.reversed() {
            for pattern in level.patterns.reversed() where pattern.matches(path: path, nameStart: nameStart, isDirectory: isDirectory) {
                return pattern
            }
        }
        return nil
    }

    /// Whether an entry is excluded (its deciding pattern is not a `!` one).
    func isIgnored(path: [UInt8], nameStart: Int, isDirectory: Bool) -> Bool {
        guard let pattern = decidingPattern(path: path, nameStart: nameStart, isDirectory: isDirectory) else { return false }
        return !pattern.isNegated
    }
}
