// The gitignore rules of IgnoreRules.swift, one test per rule of gitignore(5). Each expectation
// is what `git check-ignore` answers for the same pattern and path (Scripts/check-ignore-vs-git.py
// compares whole generated trees).

import PoiskTestSupport
import Testing

@testable import Poisk

/// What the patterns decide about a path: true = ignored, false = re-included by `!`, nil = no
/// pattern matches.
private func decision(_ patterns: String, _ path: String, directory: Bool = false, base: String = "") -> Bool? {
    var rules = IgnoreRules(base: base)
    rules.add(contents: Array(patterns.utf8), source: ".gitignore")
    var stack = IgnoreStack()
    stack.push(rules)
    return decision(stack, path, directory: directory)
}

private func decision(_ stack: IgnoreStack, _ path: String, directory: Bool = false) -> Bool? {
    let bytes = Array(path.utf8)
    let nameStart = (bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
    guard let pattern = stack.decidingPattern(path: bytes, nameStart: nameStart, isDirectory: directory) else { return nil }
    return !pattern.isNegated
}

@Suite struct IgnoreRulesTests {
    @Test func blankLinesCommentsAndEscapes() {
        #expect(decision("\n\n   \n", "a") == nil)
        #expect(decision("# a comment\n", "# a comment") == nil)
        #expect(decision("\\#hash\n", "#hash") == true)
        #expect(decision("\\!bang\n", "!bang") == true)
        #expect(decision("!bang\n", "bang") == false)  // `!` negates
        #expect(decision(" #not-a-comment\n", " #not-a-comment") == true)  // only `#` first is a comment
    }

    @Test func trailingSpacesAreTrimmedUnlessEscaped() {
        #expect(decision("name   \n", "name") == true)
        #expect(decision("name   \n", "name   ") == nil)
        #expect(decision("name\\ \n", "name ") == true)
        #expect(decision("name\\ \n", "name") == nil)
        #expect(decision("name \\  \n", "name  ") == true)  // `name \ ` : the escaped space is kept
        #expect(decision("  lead\n", "  lead") == true)  // leading spaces are part of the pattern
    }

    @Test func carriageReturnsAndByteOrderMark() {
        #expect(decision("a.md\r\nb.md\r\n", "a.md") == true)
        #expect(decision("a.md\r\nb.md\r\n", "b.md") == true)
        #expect(decision("\u{FEFF}a.md\n", "a.md") == true)
        #expect(decision("last-line-without-newline", "last-line-without-newline") == true)
    }

    @Test func aPatternWithoutSlashMatchesAtAnyDepth() {
        #expect(decision("notes.md\n", "notes.md") == true)
        #expect(decision("notes.md\n", "a/b/notes.md") == true)
        #expect(decision("notes.md\n", "a/notes.md.txt") == nil)
        #expect(decision("*.log\n", "deep/er/x.log") == true)
        #expect(decision("build\n", "src/build", directory: true) == true)
    }

    @Test func aSlashAtTheStartOrMiddleAnchorsThePattern() {
        #expect(decision("/top.md\n", "top.md") == true)
        #expect(decision("/top.md\n", "sub/top.md") == nil)
        #expect(decision("doc/frotz\n", "doc/frotz") == true)
        #expect(decision("doc/frotz\n", "a/doc/frotz") == nil)
        #expect(decision("doc/*.md\n", "doc/a.md") == true)
        #expect(decision("doc/*.md\n", "doc/sub/a.md") == nil)
        // In a nested ignore file, anchored patterns are relative to its folder.
        #expect(decision("/x.md\n", "sub/x.md", base: "sub") == true)
        #expect(decision("/x.md\n", "sub/deeper/x.md", base: "sub") == nil)
        #expect(decision("deeper/x.md\n", "sub/deeper/x.md", base: "sub") == true)
        #expect(decision("deeper/x.md\n", "deeper/x.md", base: "sub") == nil)
    }

    @Test func aTrailingSlashMatchesFoldersOnly() {
        #expect(decision("cache/\n", "cache", directory: true) == true)
        #expect(decision("cache/\n", "cache", directory: false) == nil)
        #expect(decision("cache/\n", "a/b/cache", directory: true) == true)
        #expect(decision("doc/frotz/\n", "doc/frotz", directory: true) == true)
        #expect(decision("doc/frotz/\n", "x/doc/frotz", directory: true) == nil)
        #expect(decision("/\n", "anything", directory: true) == nil)
    }

    @Test func wildcardsNeverMatchASlash() {
        #expect(decision("a*z\n", "abcz") == true)
        #expect(decision("dir/a*z\n", "dir/ab/cz") == nil)
        #expect(decision("dir/a?c\n", "dir/abc") == true)
        #expect(decision("dir/a?c\n", "dir/a/c") == nil)
        #expect(decision("dir/a[/]c\n", "dir/a/c") == nil)
        #expect(decision("dir/a[!x]c\n", "dir/a/c") == nil)
        #expect(decision("*\n", "anything.at.all") == true)
        #expect(decision("dir/*\n", "dir/x", directory: true) == true)
        #expect(decision("dir/*\n", "dir/x/y") == nil)
    }

    @Test func bracketExpressions() {
        #expect(decision("file[0-9].md\n", "file7.md") == true)
        #expect(decision("file[0-9].md\n", "filex.md") == nil)
        #expect(decision("file[!0-9].md\n", "filex.md") == true)
        #expect(decision("file[^0-9].md\n", "file7.md") == nil)
        #expect(decision("x[]]y\n", "x]y") == true)  // `]` first is a member
        #expect(decision("x[!]]y\n", "x]y") == nil)
        #expect(decision("x[a-]y\n", "x-y") == true)  // `-` last is a member
        #expect(decision("x[[:digit:]]y\n", "x5y") == true)
        #expect(decision("x[[:digit:]]y\n", "xay") == nil)
        #expect(decision("x[[:upper:][:punct:]]y\n", "x!y") == true)
        #expect(decision("x[\\]]y\n", "x]y") == true)  // an escaped `]`
        #expect(decision("x[z-a]y\n", "xmy") == nil)  // a reversed range is empty
        // Malformed: an unclosed bracket or an unknown class matches nothing (git agrees).
        #expect(decision("x[ab\n", "x[ab") == nil)
        #expect(decision("x[ab\n", "xa") == nil)
        #expect(decision("x[[:nope:]]y\n", "x:y") == nil)
        #expect(IgnorePattern(line: Array("x[ab".utf8), base: "", source: "t")?.problem != nil)
        #expect(IgnorePattern(line: Array("x\\".utf8), base: "", source: "t")?.problem != nil)
        #expect(IgnorePattern(line: Array("x[ab]".utf8), base: "", source: "t")?.problem == nil)
    }

    @Test func doubleStars() {
        // Leading `**/`: in every folder, the root's included.
        #expect(decision("**/foo\n", "foo") == true)
        #expect(decision("**/foo\n", "a/b/foo") == true)
        #expect(decision("**/foo/bar\n", "x/foo/bar") == true)
        #expect(decision("**/foo/bar\n", "foo/x/bar") == nil)
        // Trailing `/**`: everything inside, not the folder itself.
        #expect(decision("abc/**\n", "abc/x") == true)
        #expect(decision("abc/**\n", "abc/x/y/z") == true)
        #expect(decision("abc/**\n", "abc", directory: true) == nil)
        #expect(decision("abc/**\n", "x/abc/y") == nil)
        // `/**/`: zero or more folders.
        #expect(decision("a/**/b\n", "a/b") == true)
        #expect(decision("a/**/b\n", "a/x/b") == true)
        #expect(decision("a/**/b\n", "a/x/y/b") == true)
        #expect(decision("a/**/b\n", "a/xb") == nil)
        // Other runs of stars are one `*`.
        #expect(decision("x/a**z\n", "x/abcz") == true)
        #expect(decision("x/a**z\n", "x/ab/cz") == nil)
        #expect(decision("***.md\n", "deep/x.md") == true)
        // As in git, the literal start of an anchored pattern is matched first, so the `**` of
        // `a**/b` starts the rest of the pattern and spans folders.
        #expect(decision("a**/b\n", "a/x/y/b") == true)
        #expect(decision("a**/b\n", "ax/b") == true)
    }

    @Test func theLastMatchingPatternWins() {
        let patterns = "*.md\n!keep.md\nkeep.md\n!keep.md\n"
        #expect(decision(patterns, "a.md") == true)
        #expect(decision(patterns, "keep.md") == false)
        #expect(decision("!keep.md\n*.md\n", "keep.md") == true)
    }

    @Test func deeperIgnoreFilesWinOverShallowerOnes() {
        var root = IgnoreRules(base: "")
        root.add(contents: Array("*.md\n".utf8), source: ".gitignore")
        var sub = IgnoreRules(base: "sub")
        sub.add(contents: Array("!important.md\n".utf8), source: "sub/.gitignore")
        var stack = IgnoreStack()
        stack.push(root)
        stack.push(sub)
        #expect(decision(stack, "sub/important.md") == false)
        #expect(decision(stack, "sub/other.md") == true)
        // The other way round: a shallow `!` loses to a deep exclusion.
        var root2 = IgnoreRules(base: "")
        root2.add(contents: Array("!*.md\n".utf8), source: ".gitignore")
        var sub2 = IgnoreRules(base: "sub")
        sub2.add(contents: Array("secret.md\n".utf8), source: "sub/.gitignore")
        var stack2 = IgnoreStack()
        stack2.push(root2)
        stack2.push(sub2)
        #expect(decision(stack2, "sub/secret.md") == true)
    }

    @Test func patternsKnowWhereTheyCameFrom() throws {
        var rules = IgnoreRules(base: "sub")
        rules.add(contents: Array("# comment\n\n*.tmp\n".utf8), source: "sub/.ignore")
        let pattern = try #require(rules.patterns.first)
        #expect(pattern.source == "sub/.ignore:3")
        #expect(pattern.text == "*.tmp")
    }

    /// Matching follows every way a pattern can match at once: no backtracking blow-up.
    @Test func pathologicalPatternsStayFast() {
        let path = String(repeating: "a", count: 200)
        let start = ContinuousClock.now
        #expect(decision("*a*a*a*a*a*a*a*a*a*a*b\n", path) == nil)
        #expect(decision("**/**/**/**/**/**/**/b\n", Array(repeating: "a", count: 60).joined(separator: "/")) == nil)
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    /// Random paths against patterns built from the same pieces: the compiled matcher agrees
    /// with a direct recursive reading of the rules (an independent oracle, slow but plain).
    @Test func matcherAgreesWithARecursiveOracle() {
        var rng = SplitMix64(seed: 25)
        let pieces = ["a", "b", "/", "*", "?", "**", "[ab]", "[!a]", "\\*"]
        let pathPieces = ["a", "b", "/", "*", "ab", "ba"]
        for _ in 0..<3000 {
            let pattern = (0..<Int.random(in: 1...5, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "a" }.joined()
            var path = (0..<Int.random(in: 1...6, using: &rng)).map { _ in pathPieces.randomElement(using: &rng) ?? "a" }.joined()
            while path.contains("//") { path = path.replacingOccurrences(of: "//", with: "/") }
            let glob = Glob(Array(pattern.utf8))
            let expected = oracle(Array(pattern.utf8)[...], Array(path.utf8)[...], atStart: true)
            #expect(glob.matches(Array(path.utf8)) == expected, "\(pattern) vs \(path)")
        }
    }
}

/// gitignore glob semantics read directly (pathname mode): `**` between slashes or at the ends
/// spans folders, other stars stay inside one name.
private func oracle(_ p: ArraySlice<UInt8>, _ t: ArraySlice<UInt8>, atStart: Bool) -> Bool {
    guard let c = p.first else { return t.isEmpty }
    let rest = p.dropFirst()
    switch c {
    case UInt8(ascii: "\\"):
        guard let literal = rest.first, let first = t.first else { return false }
        return first == literal && oracle(rest.dropFirst(), t.dropFirst(), atStart: false)
    case UInt8(ascii: "?"):
        guard let first = t.first, first != UInt8(ascii: "/") else { return false }
        return oracle(rest, t.dropFirst(), atStart: false)
    case UInt8(ascii: "["):
        guard let close = rest.dropFirst().firstIndex(of: UInt8(ascii: "]")), let first = t.first, first != UInt8(ascii: "/") else {
            return false
        }
        var members = Array(rest[rest.startIndex..<close])
        let negated = members.first == UInt8(ascii: "!")
        if negated { members.removeFirst() }
        guard members.contains(first) != negated else { return false }
        return oracle(rest[(close + 1)...], t.dropFirst(), atStart: false)
    case UInt8(ascii: "*"):
        let stars = p.prefix(while: { $0 == UInt8(ascii: "*") })
        let after = p.dropFirst(stars.count)
        let spans = stars.count >= 2 && atStart && (after.isEmpty || after.first == UInt8(ascii: "/"))
        if spans && after.first == UInt8(ascii: "/") {
            // Zero folders, or any run ending in `/`.
            if oracle(after.dropFirst(), t, atStart: true) { return true }
            for i in t.indices where t[i] == UInt8(ascii: "/") && oracle(after.dropFirst(), t[(i + 1)...], atStart: true) { return true }
            return false
        }
        for end in t.startIndex...t.endIndex {
            if !spans && end > t.startIndex && t[end - 1] == UInt8(ascii: "/") { break }
            if oracle(after, t[end...], atStart: false) { return true }
        }
        return false
    default:
        guard let first = t.first, first == c else { return false }
        return oracle(rest, t.dropFirst(), atStart: c == UInt8(ascii: "/"))
    }
}
