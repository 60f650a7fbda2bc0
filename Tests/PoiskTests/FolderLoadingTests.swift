// Loading folders a user can trust: symbolic links, hidden and ignored paths, special files, size
// limits, file types and globs, on trees built in temporary folders.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

/// Builds files, folders, links and FIFOs under a root.
private struct Tree {
    let root: String

    func file(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func bytes(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + path))
    }

    func folder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
    }

    func link(_ path: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + path, withDestinationPath: destination)
    }

    func fifo(_ path: String) throws { try SystemPath.makeFIFO(root + "/" + path) }
}

/// The tree of the issue: a link loop, a link out of the root to a secret, a link to a file and
/// one to a folder inside, a FIFO, hidden files and folders, a `.gitignore` with negations and
/// nested ignore files of all three names, `.rst` and `.html` files, other types, a binary file.
private func makeIssueTree(_ root: String, outside: String) throws {
    try Data("zebracornsecret from outside\n".utf8).write(to: URL(fileURLWithPath: outside + "/secret.md"))
    let t = Tree(root: root)
    try t.file("notes.md", "Notes\nalpha words\n")
    try t.file("readme.txt", "Read me\nbeta\n")
    try t.file(
        "guide.rst", ".. SPDX-License-Identifier: GPL-2.0\n\n=============\nKernel guide\n=============\n\ngamma text\n")
    try t.file(
        "page.html",
        "<html><head><title>A &amp; B</title><style>p { color: red }</style></head><body><p>delta&nbsp;<b>Pat</b>riot</p><script>var scriptword = 1;</script></body></html>"
    )
    try t.file("data.jsonl", "{\"id\": \"j1\", \"body\": \"epsilon\"}\n")
    try t.file("logs/app.log", "a log line\n")
    try t.file(".env", "TOKEN=hiddenvalue\n")
    try t.file(".hidden/secret.md", "hiddenword\n")
    try t.file("node_modules/pkg/index.md", "modulesword\n")
    try t.file("build/out.md", "buildword\n")
    try t.file("excluded/inner.md", "innerword\n")
    try t.file("drafts/draft.md", "draftword\n")
    try t.file("drafts/keep.md", "keepword\n")
    try t.file("drafts/.gitignore", "*.md\n!keep.md\n")
    try t.file("private.md", "privateword\n")
    try t.file("old-notes.md", "oldword\n")
    try t.file("docs/a.md", "Doc A\n")
    try t.file("docs/b.html", "<h1>Doc B</h1><p>body</p>")
    try t.file("docs/tmp/scratch.md", "scratchword\n")
    try t.file("docs/.ignore", "tmp/\n")
    try t.file("sub/s.md", "Sub\n")
    // Root rules: folders, a file re-included, one that cannot be (its folder is excluded).
    try t.file(".gitignore", "# generated\nnode_modules/\n/build/\nexcluded/\n!excluded/inner.md\nprivate.md\n")
    try t.file(".ignore", "!private.md\n")  // .ignore wins over .gitignore in the same folder
    try t.file(".poiskignore", "old-*.md\n")
    try t.bytes("binary.txt", [0x41, 0x00, 0x42])
    try t.fifo("pipe.md")
    try t.link("loop", to: ".")
    try t.link("sub/back", to: "..")
    try t.link("leak.md", to: outside + "/secret.md")
    try t.link("alias.md", to: "notes.md")
    try t.link("dirlink", to: "docs")
    try t.link("hiddendir", to: ".hidden")
    try t.link("hiddenlink.md", to: ".hidden/secret.md")
}

private let defaultIds = [
    "docs/a.md", "docs/b.html", "drafts/keep.md", "guide.rst", "notes.md", "page.html", "private.md", "readme.txt", "sub/s.md",
]

private func load(
    _ root: String, _ options: DocumentLoader.Options = .init()
) throws -> (ids: [String], loader: DocumentLoader, docs: [Document]) {
    var loader = DocumentLoader(options: options)
    let docs = try loader.load(paths: [root])
    return (docs.map(\.id), loader, docs)
}

@Suite struct FolderLoadingTests {
    @Test func theDefaultRunReadsExactlyTheVisibleNotIgnoredDocuments() throws {
        try withTemporaryDirectory { dir in
            let root = dir + "/root"
            let outside = dir + "/outside"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try makeIssueTree(root, outside: outside)
            let (ids, loader, docs) = try load(root)
            #expect(ids == defaultIds)
            let s = loader.summary
            #expect(s.filesRead == 9)
            #expect(s.count(.hidden) == 7)  // .env .gitignore .hidden .ignore .poiskignore docs/.ignore drafts/.gitignore
            #expect(s.count(.ignored) == 6)
            #expect(s.count(.symlink) == 7)
            #expect(s.count(.special) == 1)
            #expect(s.count(.otherType) == 2)  // data.jsonl, logs/app.log
            #expect(s.count(.binary) == 1)
            #expect(s.count(.unreadable) == 0)
            #expect(
                Set(s.skipped.filter { $0.reason == .ignored }.map { String($0.path.dropFirst(root.count + 1)) }) == [
                    "build", "drafts/draft.md", "excluded", "node_modules", "old-notes.md", "docs/tmp",
                ])
            #expect(loader.warnings.count == 1 && loader.warnings[0].contains("binary.txt"))
            // Formats: the reStructuredText title skips the comment and the adornment; HTML loses
            // its markup, its script and its style, and keeps its title.
            let guide = try #require(docs.first { $0.id == "guide.rst" })
            #expect(guide.title == "Kernel guide")
            let page = try #require(docs.first { $0.id == "page.html" })
            #expect(page.title == "A & B")
            #expect(page.body == "delta\u{00A0}Patriot")
            // Nothing from outside the root, from hidden or ignored paths is searchable.
            let reader = try IndexReader.inMemory(docs)
            for word in [
                "zebracornsecret", "hiddenword", "hiddenvalue", "modulesword", "buildword", "innerword", "draftword", "scriptword",
                "oldword", "scratchword",
            ] {
                #expect(try reader.search(word).total == 0, "\(word)")
            }
            #expect(try reader.search("keepword").total == 1)
            #expect(try reader.search("privateword").total == 1)
            #expect(try reader.search("patriot").total == 1)
        }
    }

    @Test func followReadsLinksInsideTheRootOnceAndNeverLeavesIt() throws {
        try withTemporaryDirectory { dir in
            let root = dir + "/root"
            let outside = dir + "/outside"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try makeIssueTree(root, outside: outside)
            let (ids, loader, docs) = try load(root, DocumentLoader.Options(followSymlinks: true))
            // The hidden folder is reached only through `hiddendir`; `hiddenlink.md` is the same
            // file, read once; `alias.md` and `dirlink` lead to what is read by its own path;
            // `loop` and `sub/back` lead to the root; `leak.md` leaves it.
            #expect(ids == (defaultIds + ["hiddendir/secret.md"]).sorted())
            #expect(loader.summary.count(.symlink) == 6)
            let details = Dictionary(
                uniqueKeysWithValues: loader.summary.skipped.map { (String($0.path.dropFirst(root.count + 1)), $0.detail) })
            #expect(details["leak.md"]?.contains("outside") == true)
            #expect(details["alias.md"]?.contains("notes.md") == true)
            #expect(details["hiddenlink.md"]?.contains("another link") == true)
            #expect(details["loop"] != nil && details["sub/back"] != nil && details["dirlink"] != nil)
            let reader = try IndexReader.inMemory(docs)
            #expect(try reader.search("zebracornsecret").total == 0)
            #expect(try reader.search("hiddenword").total == 1)
        }
    }

    @Test func hiddenAndNoIgnoreWidenTheDefaultRun() throws {
        try withTemporaryDirectory { dir in
            let root = dir + "/root"
            let outside = dir + "/outside"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try makeIssueTree(root, outside: outside)
            #expect(try load(root, DocumentLoader.Options(includeHidden: true)).ids == (defaultIds + [".hidden/secret.md"]).sorted())
            let noIgnore = [
                "build/out.md", "docs/tmp/scratch.md", "drafts/draft.md", "excluded/inner.md", "node_modules/pkg/index.md", "old-notes.md",
            ]
            #expect(try load(root, DocumentLoader.Options(respectIgnoreFiles: false)).ids == (defaultIds + noIgnore).sorted())
            let all = try load(root, DocumentLoader.Options(followSymlinks: true, includeHidden: true, respectIgnoreFiles: false))
            // With --hidden the hidden folder is read by its own path, so its links are skipped.
            #expect(all.ids == (defaultIds + noIgnore + [".hidden/secret.md"]).sorted())
            #expect(try IndexReader.inMemory(all.docs).search("zebracornsecret").total == 0)
        }
    }

    @Test func ignoreFilesInOneFolderAndAcrossFolders() throws {
        try withTemporaryDirectory { root in
            let t = Tree(root: root)
            for name in ["a", "b", "c", "d"] { try t.file("\(name).md", name) }
            try t.file(".gitignore", "a.md\nb.md\nc.md\n")
            try t.file(".ignore", "!b.md\n!c.md\n")
            try t.file(".poiskignore", "c.md\nd.md\n")
            // .poiskignore > .ignore > .gitignore in the same folder.
            #expect(try load(root).ids == ["b.md"])
            // A deeper folder's rules win over the root's, whatever their file names.
            try t.file("sub/a.md", "a")
            try t.file("sub/d.md", "d")
            try t.file("sub/.gitignore", "!d.md\n")
            #expect(try load(root).ids == ["b.md", "sub/d.md"])
            // A file in an excluded folder cannot be re-included.
            try t.file("gone/keep.md", "k")
            try t.file(".gitignore", "a.md\nb.md\nc.md\ngone/\n!gone/keep.md\n")
            try t.file("gone/.gitignore", "!keep.md\n")
            #expect(try load(root).ids == ["b.md", "sub/d.md"])
        }
    }

    @Test func aLinkedIgnoreFileIsNotRead() throws {
        try withTemporaryDirectory { dir in
            let root = dir + "/root"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try Data("*.md\n".utf8).write(to: URL(fileURLWithPath: dir + "/rules"))
            let t = Tree(root: root)
            try t.file("a.md", "a")
            try t.link(".gitignore", to: dir + "/rules")
            var loader = DocumentLoader()
            #expect(try loader.load(paths: [root]).map(\.id) == ["a.md"])
            #expect(loader.warnings.contains { $0.contains(".gitignore") && $0.contains("symbolic link") })
        }
    }

    @Test func specialFilesAreNeverOpenedAndNamedOnesAreRefused() throws {
        try withTemporaryDirectory { root in
            let t = Tree(root: root)
            try t.fifo("pipe.txt")
            try t.file("a.txt", "a")
            let started = ContinuousClock.now
            let (ids, loader, _) = try load(root)
            #expect(ids == ["a.txt"])
            #expect(loader.summary.count(.special) == 1)
            // A FIFO named directly is an error, not a read that waits for a writer.
            var direct = DocumentLoader()
            do {
                _ = try direct.load(paths: [root + "/pipe.txt"])
                Issue.record("a FIFO was loaded")
            } catch PoiskError.io(let path, let reason) {
                #expect(path == root + "/pipe.txt")
                #expect(reason.contains("FIFO"))
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func filesOverTheSizeLimitAreSkippedWithAWarning() throws {
        try withTemporaryDirectory { root in
            let t = Tree(root: root)
            try t.file("small.txt", "small")
            try t.file("big.txt", String(repeating: "x", count: 2_000))
            let (ids, loader, _) = try load(root, DocumentLoader.Options(maxFileSize: 1_000))
            #expect(ids == ["small.txt"])
            #expect(loader.summary.count(.tooLarge) == 1)
            #expect(loader.warnings.count == 1)
            #expect(loader.warnings[0].contains(root + "/big.txt") && loader.warnings[0].contains("limit"))
            // The limit also applies to a text file named directly, not to JSON Lines.
            var direct = DocumentLoader(options: DocumentLoader.Options(maxFileSize: 1_000))
            #expect(try direct.load(paths: [root + "/big.txt"]).isEmpty)
            #expect(direct.summary.count(.tooLarge) == 1)
            let line = "{\"id\": \"j\", \"body\": \"" + String(repeating: "y", count: 2_000) + "\"}\n"
            try t.file("big.jsonl", line)
            #expect(try direct.load(paths: [root + "/big.jsonl"]).map(\.id) == ["j"])
            #expect(DocumentLoader.Options.defaultMaxFileSize == 10 * 1024 * 1024)
            #expect(throws: PoiskError.self) { try DocumentLoader.Options(maxFileSize: 0).validate() }
        }
    }

    @Test func globsChooseTheFiles() throws {
        try withTemporaryDirectory { root in
            let t = Tree(root: root)
            try t.file("a.md", "a")
            try t.file("b.log", "b")
            try t.file("docs/c.md", "c")
            try t.file("docs/d.html", "<p>d</p>")
            try t.file("docs/deep/e.md", "e")
            try t.file("skip/f.md", "f")
            try t.file(".gitignore", "ignored.log\n")
            try t.file("ignored.log", "i")
            func ids(_ globs: [String]) throws -> [String] { try load(root, DocumentLoader.Options(globs: globs)).ids }
            #expect(try ids(["*.log"]) == ["b.log"])  // an include glob replaces the types; ignore files still apply
            #expect(try ids(["!skip/"]) == ["a.md", "docs/c.md", "docs/d.html", "docs/deep/e.md"])
            #expect(try ids(["docs/**", "!*.html"]) == ["docs/c.md", "docs/deep/e.md"])
            #expect(try ids(["docs/*.md"]) == ["docs/c.md"])  // anchored: `*` stays in one folder
            #expect(try ids(["*.md", "!docs/deep"]) == ["a.md", "docs/c.md", "skip/f.md"])
            var loader = DocumentLoader(options: DocumentLoader.Options(globs: ["[oops"]))
            #expect(throws: PoiskError.self) { _ = try loader.load(paths: [root]) }
            #expect(throws: PoiskError.self) { try DocumentLoader.Options(globs: [""]).validate() }
        }
    }

    @Test func fileTypesAndJSONLinesInFolders() throws {
        try withTemporaryDirectory { root in
            let t = Tree(root: root)
            for ext in ["txt", "md", "markdown", "rst", "adoc", "org", "tex", "html", "htm", "TXT", "log", "jsonl", "png"] {
                try t.file("f.\(ext)", "text of \(ext)")
            }
            let ids = try load(root).ids
            #expect(ids == ["f.TXT", "f.adoc", "f.htm", "f.html", "f.markdown", "f.md", "f.org", "f.rst", "f.tex", "f.txt"])
            // Chosen types; a JSON Lines file in a folder is one text document, named directly it
            // is read line by line.
            #expect(try load(root, DocumentLoader.Options(fileTypes: [".LOG", "jsonl"])).ids == ["f.jsonl", "f.log"])
            try t.file("docs.jsonl", "{\"id\": \"x\", \"body\": \"y\"}\n")
            var loader = DocumentLoader()
            #expect(try loader.load(paths: [root + "/docs.jsonl"]).map(\.id) == ["x"])
            #expect(loader.summary.filesRead == 1 && loader.summary.documents == 1)
        }
    }

    @Test func idsAreSortedPathsAndARootLinkIsFollowed() throws {
        try withTemporaryDirectory { dir in
            let root = dir + "/root"
            let t = Tree(root: root)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try t.file("a/y.txt", "y")
            try t.file("a.b/x.txt", "x")
            try t.file("Z.txt", "z")
            try t.file("a/b/c/d.md", "d")
            let expected = ["Z.txt", "a.b/x.txt", "a/b/c/d.md", "a/y.txt"]
            #expect(try load(root).ids == expected)
            #expect(expected == expected.sorted())
            // A folder named on the command line may itself be a link: the person chose it.
            try FileManager.default.createSymbolicLink(atPath: dir + "/named", withDestinationPath: root)
            #expect(try load(dir + "/named").ids == expected)
            #expect(try load(dir + "/named/").ids == expected)
        }
    }

    @Test func missingPathsFailBeforeAnythingIsRead() throws {
        try withTemporaryDirectory { root in
            try Tree(root: root).file("a.md", "a")
            var loader = DocumentLoader()
            #expect(throws: PoiskError.fileNotFound(path: root + "/missing")) {
                _ = try loader.load(paths: [root, root + "/missing"])
            }
            #expect(loader.summary.filesRead == 0)
        }
    }

    @Test func aNameThatIsNotUTF8IsReportedNotMisread() throws {
        try withTemporaryDirectory { root in
            try Tree(root: root).file("ok.md", "ok")
            // `bad\xFF.md`, made with the C call: Foundation would write a repaired name.
            let bytes: [CChar] = Array((root + "/bad").utf8CString.dropLast()) + [CChar(bitPattern: 0xFF), 0x2E, 0x6D, 0x64, 0]
            let fd = creat(bytes, 0o644)
            guard fd >= 0 else { return }  // APFS refuses such names
            close(fd)
            let (ids, loader, _) = try load(root)
            #expect(ids == ["ok.md"])
            #expect(loader.summary.count(.unreadable) == 1)
            #expect(loader.warnings.count == 1 && loader.warnings[0].contains("UTF-8"))
        }
    }

    @Test func unreadableEntriesAreSkippedAndCounted() throws {
        guard getuid() != 0 else { return }  // root reads everything
        try withTemporaryDirectory { root in
            let t = Tree(root: root)
            try t.file("ok.md", "ok")
            try t.file("locked.md", "locked")
            try t.file("closed/inner.md", "inner")
            chmod(root + "/locked.md", 0)
            chmod(root + "/closed", 0)
            defer { chmod(root + "/closed", 0o755) }
            let (ids, loader, _) = try load(root)
            #expect(ids == ["ok.md"])
            #expect(loader.summary.count(.unreadable) == 2)
            #expect(loader.warnings.count == 2)
        }
    }
}
