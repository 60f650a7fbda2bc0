// Typed fields through the `poisk` binary: the notes scenario (a folder of Markdown files with
// front matter, filtered by tag and date range, sorted by date, counted per tag), a JSON Lines
// corpus with --schema, --json's sort values and facets, and the usage errors of the new flags.

import Foundation
import PoiskTestSupport
import Testing

@Suite struct TypedFieldsCLITests {
    static let notes: [(String, String)] = [
        (
            "kyiv.md",
            "---\ntitle: Kyiv in July\ndate: 2025-07-08\ntags: [ukraine, travel]\ndraft: false\n---\n# Kyiv\n\nTrains and museums."
        ),
        ("lviv.md", "---\ntitle: Lviv\ndate: 2025-07-20\ntags: [ukraine, coffee]\n---\nCoffee in Lviv, trains at night."),
        ("odesa.md", "---\ndate: 2025-06-30\ntags:\n  - ukraine\n  - sea\n---\n# Odesa by the sea\n\nThe trains were late."),
        ("oslo.md", "---\ntitle: Oslo\ndate: 2025-07-15\ntags: [norway, travel]\n---\nFjords and trains."),
        ("draft.md", "---\ntitle: Unfinished\ndate: 2025-07-10\ntags: [ukraine]\ndraft: true\n---\nTrains, someday."),
    ]

    @Test func theNotesScenario() throws {
        try withTemporaryDirectory { dir in
            let folder = dir + "/notes"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, text) in TypedFieldsCLITests.notes { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
            let index = dir + "/index"
            let indexed = try CLI.run(["index", "--index", index, folder])
            #expect(indexed.status == 0, "\(indexed.stderr)")
            // Notes tagged ukraine from July, newest first, with counts per tag.
            let r = try CLI.run([
                "search", "--index", index, "--json", "--sort", "date:desc", "--facet", "tags",
                "trains AND tags:ukraine AND date:[2025-07-01 TO 2025-07-31]",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let hits = try #require(object["hits"] as? [[String: Any]])
            #expect(hits.compactMap { $0["id"] as? String } == ["lviv.md", "draft.md", "kyiv.md"])
            #expect(hits.compactMap { ($0["sort"] as? [Any])?.first as? String } == ["2025-07-20", "2025-07-10", "2025-07-08"])
            #expect(hits.compactMap { $0["title"] as? String } == ["Lviv", "Unfinished", "Kyiv in July"])
            let facets = try #require(object["facets"] as? [String: Any])
            let tags = try #require(facets["tags"] as? [[Any]])
            #expect(tags.map { "\($0[0]):\($0[1])" } == ["ukraine:3", "coffee:1", "travel:1"])
            // Drafts out, titles from the first heading when front matter has none.
            let published = try CLI.run(["search", "--index", index, "--sort", "date", "trains AND -draft:true"])
            #expect(published.status == 0, "\(published.stderr)")
            #expect(published.stdout.contains("1. Odesa by the sea"))
            #expect(!published.stdout.contains("Unfinished"))
            #expect(!published.stdout.contains("---"))
            // The same without an index: --corpus reads the folder the same way.
            let memory = try CLI.run([
                "search", "--corpus", folder, "--sort", "date:desc", "--facet", "tags:1", "tags:travel",
            ])
            #expect(memory.status == 0, "\(memory.stderr)")
            #expect(memory.stdout.contains("1. Oslo"))
            #expect(memory.stdout.contains("tags: travel (2)"))
        }
    }

    /// Pages by `--after` (the previous page's `next_cursor`) equal pages by `--offset`; a bad
    /// cursor, or one without `--sort`, is a usage error.
    @Test func pagesByCursor() throws {
        try withTemporaryDirectory { dir in
            let corpus = dir + "/meta.jsonl"
            var lines: [String] = []
            for i in 0..<23 {
                // Numbers become typed values without a schema; some documents have none, many tie.
                let n = i % 5 == 0 ? "" : ", \"n\": \((i * 7) % 6)"
                lines.append("{\"id\": \"d\(i)\", \"title\": \"T\(i)\", \"body\": \"kernel note\"\(n)}")
            }
            try lines.joined(separator: "\n").write(toFile: corpus, atomically: true, encoding: .utf8)
            let index = dir + "/index"
            #expect(try CLI.run(["index", "--index", index, corpus]).status == 0)
            func page(_ extra: [String]) throws -> (ids: [String], cursor: String?) {
                let r = try CLI.run(["search", "--index", index, "--json", "--sort", "n:desc", "--limit", "5"] + extra + ["kernel"])
                #expect(r.status == 0, "\(r.stderr)")
                let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
                let hits = try #require(object["hits"] as? [[String: Any]])
                return (hits.compactMap { $0["id"] as? String }, object["next_cursor"] as? String)
            }
            var byCursor: [String] = []
            var cursor: String?
            for _ in 0..<5 {
                let p = try page(cursor.map { ["--after", $0] } ?? [])
                byCursor += p.ids
                cursor = p.cursor
                if cursor == nil { break }
            }
            var byOffset: [String] = []
            for offset in stride(from: 0, to: 25, by: 5) { byOffset += try page(["--offset", String(offset)]).ids }
            #expect(byCursor.count == 23)
            #expect(byCursor == byOffset)
            let bad = try CLI.run(["search", "--index", index, "--sort", "n", "--after", "not-a-cursor", "kernel"])
            #expect(bad.status == 2 && bad.stderr.contains("next_cursor"))
            let unsorted = try CLI.run(["search", "--index", index, "--after", "e30", "kernel"])
            #expect(unsorted.status == 2 && unsorted.stderr.contains("--sort"))
        }
    }

    /// A schema file that names only typed fields keeps title and body searched as usual.
    @Test func aSchemaOfTypedFieldsKeepsTheTextSearch() throws {
        try withTemporaryDirectory { dir in
            let corpus = dir + "/c.jsonl"
            try #"{"id": "a", "title": "Kernel notes", "body": "memory pages", "n": 3}"#.write(
                toFile: corpus, atomically: true, encoding: .utf8)
            try #"{"n": {"type": "integer", "indexed": false}}"#.write(toFile: dir + "/s.json", atomically: true, encoding: .utf8)
            #expect(try CLI.run(["index", "--index", dir + "/index", "--schema", dir + "/s.json", corpus]).status == 0)
            for query in ["memory", "kernel", "title:kernel"] {
                let r = try CLI.run(["search", "--index", dir + "/index", "--json", "--sort", "n:desc", query])
                let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
                #expect(object["total"] as? Int == 1, "\(query): \(r.stdout)")
            }
        }
    }

    @Test func jsonLinesWithASchema() throws {
        try withTemporaryDirectory { dir in
            let corpus = dir + "/meta.jsonl"
            try """
            {"id": "a", "title": "Alpha", "body": "kernel memory", "section": "driver-api", "tags": ["mm", "rst"], "date": "2023-09-26", "words": 1587, "rating": 3.94, "draft": true}
            {"id": "b", "title": "Beta", "body": "kernel locks", "section": "gimp-ru/filter", "tags": ["rst"], "date": "2015-01-10", "words": 837, "rating": 1.55, "draft": false}
            {"id": "c", "title": "Gamma", "body": "kernel", "section": "driver-api", "date": "2020-05-05", "words": 12, "rating": 4.5, "draft": false}
            """.write(toFile: corpus, atomically: true, encoding: .utf8)
            let schema = Fixtures.url("typed/meta-schema.json").path
            let index = dir + "/index"
            let indexed = try CLI.run(["index", "--index", index, "--schema", schema, corpus])
            #expect(indexed.status == 0, "\(indexed.stderr)")
            func ids(_ args: [String]) throws -> [String] {
                let r = try CLI.run(["search", "--index", index, "--json"] + args)
                #expect(r.status == 0, "\(args): \(r.stderr)")
                let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
                return (object?["hits"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            }
            #expect(try ids(["--sort", "words", "kernel"]) == ["c", "b", "a"])
            #expect(try ids(["--sort", "rating:desc", "*:*"]) == ["c", "a", "b"])
            #expect(try ids(["section:\"driver-api\" AND kernel", "--sort", "date"]) == ["c", "a"])
            #expect(try ids(["section:gimp-ru/filter"]) == ["b"])
            #expect(try ids(["words:[800 TO *]", "--sort", "words:desc"]) == ["a", "b"])
            #expect(try ids(["rating:{1.55 TO 5]", "--sort", "rating"]) == ["a", "c"])
            #expect(try ids(["draft:false AND date:[2016-01-01 TO *]"]) == ["c"])
            #expect(try ids(["tags:mm"]) == ["a"])
            // A value that does not fit stops the run before its commit, naming document, field and value.
            try "{\"id\": \"d\", \"words\": \"many\"}\n".write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
            let bad = try CLI.run(["index", "--index", index, "--schema", schema, dir + "/bad.jsonl"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("bad.jsonl:1"))
            #expect(bad.stderr.contains("'words'"))
            #expect(bad.stderr.contains("'many'"))
            #expect(try ids(["*:*"]).count == 3)
            // A different schema for an existing index is refused; a bad schema file too.
            try #"{"words": "keyword"}"#.write(toFile: dir + "/other.json", atomically: true, encoding: .utf8)
            #expect(try CLI.run(["index", "--index", index, "--schema", dir + "/other.json", corpus]).status == 1)
            try #"{"words": "number"}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
            let badSchema = try CLI.run(["index", "--index", dir + "/new", "--schema", dir + "/bad.json", corpus])
            #expect(badSchema.status == 1)
            #expect(badSchema.stderr.contains("bad.json"))
            // Usage errors for malformed flags; errors for fields that cannot be sorted or counted.
            #expect(try CLI.run(["search", "--index", index, "--facet", "tags:0", "x"]).status == 2)
            #expect(try CLI.run(["search", "--index", index, "--sort", "words:up", "x"]).status == 2)
            #expect(try CLI.run(["search", "--index", index, "--sort", "body", "x"]).status == 1)
            #expect(try CLI.run(["search", "--index", index, "--facet", "words", "x"]).status == 1)
            #expect(try CLI.run(["search", "--index", index, "--schema", schema, "x"]).status == 2)
        }
    }
}
