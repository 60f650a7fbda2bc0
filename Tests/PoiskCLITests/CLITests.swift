// End-to-end tests through the built `poisk` binary.

import Foundation
import PoiskTestSupport
import Testing

struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A class of the test bundle's own, to find the bundle on Darwin.
private final class BundleMarker {}

enum CLI {
    static let root = Fixtures.root

    /// The `poisk` executable in the products folder that holds the test bundle (swift test
    /// builds it as a dependency). On Darwin the tests run inside `xctest` or SwiftPM's testing
    /// helper, so the bundle is found through a class of its own (`Bundle(for:)`: the products
    /// folder is `.build/<triple>/debug`); on Linux the test runner is itself in that folder.
    /// `POISK_BINARY` overrides the search.
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["POISK_BINARY"] { return URL(fileURLWithPath: override) }
        let candidates = [
            Bundle(for: BundleMarker.self).bundleURL.deletingLastPathComponent().appendingPathComponent("poisk"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("poisk"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("poisk"),
            Bundle.main.bundleURL.appendingPathComponent("poisk"),
            root.appendingPathComponent(".build/debug/poisk"),
            root.appendingPathComponent(".build/release/poisk"),
        ]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) { return c }
        return candidates[candidates.count - 1]
    }

    static func run(_ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = cwd ?? root
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let errData = errBox.data
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct SearchCLITests {
    @Test func quickStartListsTheFourPatriotArticles() throws {
        let r = try CLI.run(["search", "--corpus", "seeds", "Patriot"])
        #expect(r.status == 0)
        let ids = r.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "id: ") else { return nil }
            return String(line[range.upperBound...].split(separator: " ").first ?? "")
        }
        #expect(ids.first == "000_b12ab77b13486087.txt")
        #expect(
            Set(ids) == ["000_b12ab77b13486087.txt", "002_d3562a3d2d08cdb6.txt", "003_1a0085ccc8c9eb6a.txt", "004_c9c46d5bc268ac0b.txt"])
        // Not a terminal: Markdown-style marks.
        #expect(r.stdout.contains("**Patriot**"))
    }

    @Test func jsonOutputHasTheContractShape() throws {
        let r = try CLI.run(["search", "--corpus", "seeds", "--json", "Patriot"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["query"] as? String == "Patriot")
        #expect(object["total"] as? Int == 4)
        #expect(object["took_ms"] is Double || object["took_ms"] is Int)
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count == 4)
        #expect(hits[0]["id"] as? String == "000_b12ab77b13486087.txt")
        var previous = Double.infinity
        for hit in hits {
            let score = try #require(hit["score"] as? Double)
            #expect(score <= previous)
            previous = score
            #expect(hit["title"] is String)
            #expect((hit["snippet"] as? String)?.contains("**Patriot**") == true)
        }
        // Exactly one JSON object: one line.
        #expect(r.stdout.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
    }

    /// A torn newest commit: `check` names it and the commit readers fall back to, and exits 3;
    /// `search` warns and answers from the previous commit.
    @Test func checkNamesADamagedCommitAndItsFallback() throws {
        let index = FileManager.default.temporaryDirectory.appendingPathComponent("poisk-fallback-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: index) }
        let seeds = CLI.root.appendingPathComponent("seeds").path
        let first = try CLI.run(["index", "--index", index, seeds])
        #expect(first.status == 0, "\(first.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: seeds).sorted()
        let deleted = try #require(names.first)
        #expect(try CLI.run(["delete", "--index", index, deleted]).status == 0)
        let newest = index + "/commit-0000000002.pkc"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: newest))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: newest))

        let check = try CLI.run(["check", "--index", index])
        #expect(check.status == 3)
        #expect(check.stderr.contains("commit-0000000002.pkc"))
        #expect(check.stderr.contains("fell back to commit-0000000001.pkc"))
        let json = try CLI.run(["check", "--index", index, "--json"])
        #expect(json.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["commit"] as? String == "commit-0000000001.pkc")
        #expect(object["documents"] as? Int == 5)
        #expect((object["skipped_commits"] as? [[String: Any]])?.first?["file"] as? String == "commit-0000000002.pkc")

        let search = try CLI.run(["search", "--index", index, "--json", "Patriot"])
        #expect(search.status == 0)
        #expect(search.stderr.contains("warning: commit-0000000002.pkc is damaged"))
        #expect(search.stderr.contains("showing the older commit commit-0000000001.pkc"))
    }

    /// `--user-data` is saved with the commit, kept by a later commit that gives none (a
    /// delete), and shown by `stats --json`; a merge is a commit version of its own.
    @Test func statsShowsTheUserDataOfTheLastCommit() throws {
        let index = FileManager.default.temporaryDirectory.appendingPathComponent("poisk-userdata-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: index) }
        let seeds = CLI.root.appendingPathComponent("seeds").path
        let indexed = try CLI.run(["index", "--index", index, "--user-data", "source=seeds", "--user-data", "cursor=5", seeds])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: seeds).sorted()
        #expect(try CLI.run(["delete", "--index", index, try #require(names.first)]).status == 0)
        #expect(try CLI.run(["merge", "--index", index]).status == 0)
        let stats = try CLI.run(["stats", "--index", index, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(object["user_data"] as? [String: String] == ["source": "seeds", "cursor": "5"])
        #expect(object["generation"] as? Int == 2, "the merge did not raise the generation")
        #expect(object["commit"] as? String == "commit-0000000002.1.pkc")
        #expect((object["merges_since_commit"] as? [[String: Any]])?.count == 1)
        #expect(object["documents"] as? Int == 4)
        let text = try CLI.run(["stats", "--index", index])
        #expect(text.stdout.contains("user data:"))
        #expect(text.stdout.contains("cursor"))
        let bad = try CLI.run(["index", "--index", index, "--user-data", "novalue", seeds])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("KEY=VALUE"))
    }

    @Test func highlightFlagChoosesTheMarks() throws {
        let html = try CLI.run(["search", "--corpus", "seeds", "--json", "--highlight", "html", "Patriot"])
        #expect(html.stdout.contains("<mark>Patriot</mark>"))
        let none = try CLI.run(["search", "--corpus", "seeds", "--highlight", "none", "Patriot"])
        #expect(!none.stdout.contains("**"))
    }

    @Test func errorsAreOneLineAndNonZero() throws {
        let bad = try CLI.run(["search", "--corpus", "seeds", "(Patriot"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("invalid query"))
        #expect(bad.stderr.contains("^"))
        let missing = try CLI.run(["search", "--corpus", "/nonexistent/corpus", "Patriot"])
        #expect(missing.status == 1)
        #expect(missing.stderr.split(separator: "\n").count == 1)
        #expect(missing.stderr.contains("/nonexistent/corpus"))
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("poisk-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try CLI.run(["search", "--corpus", empty.path, "Patriot"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no documents"))
        let usage = try CLI.run(["search", "--bogus", "Patriot"])
        #expect(usage.status == 2)
        let noQuery = try CLI.run(["search", "--corpus", "seeds"])
        #expect(noQuery.status == 2)
    }

    @Test func noHitsIsSuccess() throws {
        let r = try CLI.run(["search", "--corpus", "seeds", "xyzzyunknownword"])
        #expect(r.status == 0)
        let j = try CLI.run(["search", "--corpus", "seeds", "--json", "xyzzyunknownword"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 0)
        #expect((object["hits"] as? [Any])?.isEmpty == true)
    }

    @Test func snippetFieldsHighlightSeveralFields() throws {
        let r = try CLI.run(["search", "--corpus", "seeds", "--json", "--snippet-fields", "title,body,title", "Patriot"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count == 4)
        for hit in hits {
            let snippets = try #require(hit["snippets"] as? [String: [String: Any]])
            #expect(snippets.keys.sorted() == ["body", "title"])
            // The first field's snippet is `snippet` too.
            #expect(hit["snippet"] as? String == snippets["title"]?["text"] as? String)
            #expect(snippets["body"]?["matches"] is [[Int]])
        }
        for hit in hits {
            let body = (hit["snippets"] as? [String: [String: Any]])?["body"]?["text"] as? String
            #expect(body?.contains("**Patriot**") == true)
        }
        // Without the flag, no `snippets` key: the contract's shape.
        let plain = try CLI.run(["search", "--corpus", "seeds", "--json", "Patriot"])
        #expect(!plain.stdout.contains("\"snippets\""))
        let text = try CLI.run(["search", "--corpus", "seeds", "--snippet-fields", "title,body", "Patriot"])
        #expect(text.status == 0 && text.stdout.contains("body: "))
        #expect(try CLI.run(["search", "--corpus", "seeds", "--snippet-fields", "title,,body", "Patriot"]).status == 2)
        #expect(try CLI.run(["search", "--corpus", "seeds", "--snippet-fields", "nosuchfield", "Patriot"]).status == 1)
    }

    @Test func helpDescribesEveryCommandAndFlag() throws {
        let main = try CLI.run(["--help"])
        #expect(main.status == 0)
        #expect(main.stdout.contains("search") && main.stdout.contains("analyze") && main.stdout.contains("Exit status"))
        let search = try CLI.run(["help", "search"])
        for flag in ["--corpus", "--limit", "--json", "--highlight", "--explain", "--translit", "--snippet-fields"] {
            #expect(search.stdout.contains(flag), "\(flag)")
        }
        let sub = try CLI.run(["search", "--help"])
        #expect(sub.stdout == search.stdout)
    }
}
