// Front matter in Markdown and text files: `key: value` lines between `---` lines become typed
// fields, the title comes from `title:` or the first heading (never `---`), and the body leaves
// the front matter out (FrontMatter.swift).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct FrontMatterTests {
    static let note = """
        ---
        title: "Kyiv: notes"
        date: 2025-07-08
        updated: 2025-07-09T10:30:00+03:00
        tags: [ukraine, "travel, summer", 'it''s']
        aliases:
          - kyiv
          - kiev   # old spelling
        words: 812
        rating: 4.5
        draft: false
        author: Ann Smith # a comment
        quoted: "2025-07-08"
        version: '1.10'
        summary: |
          Two lines
          of text.
        folded: >
          one
          two
        nested:
          key: value
        # a comment line
        id: ignored
        ---
        # Heading

        Body text.
        """

    @Test func frontMatterBecomesTypedFields() throws {
        let doc = TextFormat(fileName: "kyiv.md").document(id: "notes/kyiv.md", bytes: Array(FrontMatterTests.note.utf8))
        #expect(doc.id == "notes/kyiv.md")
        #expect(doc.title == "Kyiv: notes")
        #expect(doc.body == "# Heading\n\nBody text.")
        #expect(doc.values["date"] == .date(ISODate.parse("2025-07-08") ?? 0))
        #expect(doc.values["updated"] == .date(ISODate.parse("2025-07-09T07:30:00Z") ?? 0))
        #expect(doc.values["tags"] == .keywords(["ukraine", "travel, summer", "it's"]))
        #expect(doc.values["aliases"] == .keywords(["kyiv", "kiev"]))
        #expect(doc.values["words"] == .integer(812))
        #expect(doc.values["rating"] == .double(4.5))
        #expect(doc.values["draft"] == .boolean(false))
        #expect(doc.values["author"] == .keyword("Ann Smith"))
        #expect(doc.values["quoted"] == .keyword("2025-07-08"))
        #expect(doc.values["version"] == .keyword("1.10"))
        #expect(doc.values["summary"] == .keyword("Two lines\nof text."))
        #expect(doc.values["folded"] == .keyword("one two"))
        #expect(doc.values["nested"] == nil)
        #expect(doc.values["id"] == nil && doc.fields["id"] == nil)
    }

    @Test func declaredFieldsTakeTheirType() throws {
        let schema = Schema(fields: [
            .text("title"), .text("body"), .text("summary"), .keyword("version"), .integer("rating"), .text("tags"),
        ])
        let doc = TextFormat(fileName: "kyiv.md").document(id: "k", bytes: Array(FrontMatterTests.note.utf8), schema: schema)
        #expect(doc.fields["summary"] == "Two lines\nof text.")
        #expect(doc.values["version"] == .keywords(["1.10"]))
        #expect(doc.fields["tags"] == "ukraine, travel, summer, it's")
        // 4.5 does not fit an integer field: kept as text, for the writer to report with the document.
        #expect(doc.fields["rating"] == "4.5")
        var writerSchema = schema
        #expect(throws: PoiskError.self) { _ = try doc.resolved(against: &writerSchema) }
    }

    @Test func titlesNeverComeFromTheDashes() throws {
        func doc(_ text: String, _ name: String = "a.md") -> Document {
            TextFormat(fileName: name).document(id: name, bytes: Array(text.utf8))
        }
        #expect(doc("---\ntags: [a]\n---\n\n## Second-level heading ##\ntext").title == "Second-level heading")
        #expect(doc("---\ntags: [a]\n---\nFirst line\n# Later heading").title == "Later heading")
        #expect(doc("---\ntags: [a]\n---\n```\n# not a heading\n```\nplain line").title == "```")
        #expect(doc("---\ntitle:\n---\nJust text").title == "Just text")
        #expect(doc("---\r\ntitle: CRLF\r\ntags: [x]\r\n---\r\nbody\r\n").title == "CRLF")
        #expect(doc("---\r\ntitle: CRLF\r\ntags: [x]\r\n---\r\nbody\r\n").values["tags"] == .keywords(["x"]))
        #expect(doc("\u{FEFF}---\ntitle: BOM\n---\nbody").title == "BOM")
        #expect(doc("---\ntitle: Text file\n---\nbody", "a.txt").title == "Text file")
        // No closing line: no front matter, the file as before (first line, as Poisk always did).
        let unclosed = doc("---\ntitle: x\nbody")
        #expect(unclosed.title == "---")
        #expect(unclosed.values.isEmpty)
        // Other formats keep their own rules.
        #expect(doc("---\ntitle: x\n---\n", "a.rst").values.isEmpty)
    }

    @Test func aFolderOfNotesLoadsWithItsFrontMatter() throws {
        try withTemporaryDirectory { dir in
            try FrontMatterTests.note.write(toFile: dir + "/kyiv.md", atomically: true, encoding: .utf8)
            try "---\ntitle: Lviv\ndate: 2025-06-01\ntags: [ukraine]\n---\nText.".write(
                toFile: dir + "/lviv.md", atomically: true, encoding: .utf8)
            var loader = DocumentLoader()
            loader.schema = Schema(fields: [.text("title"), .text("body"), .text("author")])
            let docs = try loader.load(paths: [dir])
            #expect(docs.map(\.title) == ["Kyiv: notes", "Lviv"])
            #expect(docs[0].fields["author"] == "Ann Smith")
            #expect(docs[1].values["tags"] == .keywords(["ukraine"]))
        }
    }
}
