// `poisk index` and `poisk search --corpus` on folders, end to end: the summary of what was read
// and skipped, the loading flags, and the exit status of a run that finds nothing to index.

import Foundation
import Poisk
import Testing

/// A temporary folder, removed when the closure returns.
private func withFolder<R>(_ body: (String) throws -> R) throws -> R {
    let path = NSTemporaryDirectory() + "poisk-cli-folders-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

private func write(_ path: String, _ text: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// One file of each fate: read, hidden (a file and a folder), ignored, a link, a FIFO, another
/// type, too large (with `--max-file-size 100`), binary.
private func makeTree(_ root: String, outside: String) throws {
    try write(root + "/a.md", "Alpha\nreadable words\n")
    try write(root + "/.hidden/b.md", "hiddenword\n")
    try write(root + "/.gitignore", "c.md\n")
    try write(root + "/c.md", "ignoredword\n")
    try write(root + "/d.log", "logword\n")
    try write(root + "/big.txt", String(repeating: "big ", count: 100))
    try Data([0x41, 0x00]).write(to: URL(fileURLWithPath: root + "/bin.txt"))
    try write(outside, "outsidesecret\n")
    try FileManager.default.createSymbolicLink(atPath: root + "/leak.md", withDestinationPath: outside)
    try SystemPath.makeFIFO(root + "/pipe.md")
}

@Suite struct FolderLoadingCLITests {
    @Test func indexPrintsWhatItReadAndSkipped() throws {
        try withFolder { dir in
            let root = dir + "/notes"
            try makeTree(root, outside: dir + "/secret.md")
            let plain = try CLI.run(["index", "--index", dir + "/plain.idx", "--max-file-size", "100", root])
            #expect(plain.status == 0)
            #expect(plain.stdout.contains("indexed 1 document into"))
            #expect(
                plain.stdout.contains(
                    "1 file read; skipped: 2 hidden, 1 ignored, 1 symlink, 1 special, 1 other type, 1 too large, 1 binary, 0 unreadable"))
            #expect(plain.stderr.contains("big.txt") && plain.stderr.contains("limit"))
            #expect(plain.stderr.contains("bin.txt") && plain.stderr.contains("binary"))

            let json = try CLI.run(["index", "--index", dir + "/json.idx", "--max-file-size", "100", "--json", root])
            #expect(json.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            for key in ["index", "added", "documents", "segments", "seconds"] { #expect(object[key] != nil, "\(key)") }
            let files = try #require(object["files"] as? [String: Any])
            #expect(files["indexed"] as? Int == 1)
            let skipped = try #require(files["skipped"] as? [String: Int])
            #expect(
                skipped == [
                    "hidden": 2, "ignored": 1, "symlink": 1, "special": 1, "other_type": 1, "too_large": 1, "binary": 1, "unreadable": 0,
                ])
            // The secret behind the link never reaches the index, with --follow neither.
            let search = try CLI.run(["search", "--index", dir + "/json.idx", "--json", "outsidesecret"])
            #expect(search.stdout.contains("\"total\":0"))
            let follow = try CLI.run(["search", "--corpus", root, "--follow", "--json", "outsidesecret"])
            #expect(follow.status == 0 && follow.stdout.contains("\"total\":0"))
        }
    }

    @Test func aRunThatFindsNothingSaysSoAndFails() throws {
        try withFolder { dir in
            let root = dir + "/empty-ish"
            try write(root + "/.hidden/x.md", "x\n")
            try write(root + "/notes.log", "log\n")
            let index = dir + "/idx"
            let r = try CLI.run(["index", "--index", index, root])
            #expect(r.status == 1)
            #expect(r.stderr.contains("no documents to index"))
            #expect(r.stderr.contains("--hidden") && r.stderr.contains("--glob"))
            #expect(r.stderr.contains("1 hidden") && r.stderr.contains("1 other type"))
            #expect(!FileManager.default.fileExists(atPath: index))
            // Widened, the same folder has documents.
            #expect(try CLI.run(["index", "--index", index, "--hidden", root]).status == 0)
            #expect(try CLI.run(["index", "--index", dir + "/idx2", "--glob", "*.log", root]).status == 0)
            let search = try CLI.run(["search", "--corpus", root, "--glob", "*.log", "--json", "log"])
            #expect(search.status == 0 && search.stdout.contains("\"total\":1"))
            let none = try CLI.run(["search", "--corpus", root, "log"])
            #expect(none.status == 1 && none.stderr.contains("no documents"))
        }
    }

    @Test func dryRunListsTheIdsAndWritesNothing() throws {
        try withFolder { dir in
            let root = dir + "/notes"
            try makeTree(root, outside: dir + "/secret.md")
            let index = dir + "/idx"
            let r = try CLI.run(["index", "--index", index, "--dry-run", "--no-ignore", root])
            #expect(r.status == 0)
            #expect(r.stdout == "a.md\nbig.txt\nc.md\n")
            #expect(r.stderr.contains("nothing written"))
            #expect(!FileManager.default.fileExists(atPath: index))
            let json = try CLI.run(["index", "--dry-run", "--json", root])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["ids"] as? [String] == ["a.md", "big.txt"])
            let skipped = try #require(object["skipped_files"] as? [[String: String]])
            #expect(skipped.contains { $0["path"] == root + "/pipe.md" && $0["reason"] == "special" })
        }
    }

    @Test func loadingFlagsAreCheckedLikeEveryOther() throws {
        let badSize = try CLI.run(["index", "--dry-run", "--max-file-size", "ten", "seeds"])
        #expect(badSize.status == 2 && badSize.stderr.contains("--max-file-size"))
        let badGlob = try CLI.run(["index", "--dry-run", "--glob", "[oops", "seeds"])
        #expect(badGlob.status == 2 && badGlob.stderr.contains("glob"))
        let withIndex = try CLI.run(["search", "--index", "seeds.idx", "--hidden", "Patriot"])
        #expect(withIndex.status == 2 && withIndex.stderr.contains("--corpus"))
        let unknown = try CLI.run(["index", "--dry-run", "--follow-links", "seeds"])
        #expect(unknown.status == 2)
        let sized = try CLI.run(["search", "--corpus", "seeds", "--max-file-size", "1K", "--json", "Patriot"])
        #expect(sized.status == 1)  // every seed article is over 1 KiB
        #expect(sized.stderr.contains("too large"))
        for command in ["index", "search"] {
            let help = try CLI.run(["help", command])
            for flag in ["--follow", "--hidden", "--no-ignore", "--max-file-size", "--glob"] {
                #expect(help.stdout.contains(flag), "\(command) \(flag)")
            }
        }
    }

    @Test func aFIFONamedDirectlyIsAnErrorNotAHang() throws {
        try withFolder { dir in
            try SystemPath.makeFIFO(dir + "/pipe.txt")
            let r = try CLI.run(["index", "--index", dir + "/idx", dir + "/pipe.txt"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("FIFO"))
        }
    }
}
