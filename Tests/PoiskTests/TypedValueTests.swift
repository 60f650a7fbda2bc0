// Typed fields before indexing: field types and options (old schemas still decode), values and
// their conversions, ISO 8601 dates, the JSON schema file, a document's values brought into its
// fields' types, and JSON Lines with typed values.

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct TypedValueTests {
    @Test func isoDatesParseAndPrint() throws {
        #expect(ISODate.parse("1970-01-01") == 0)
        #expect(ISODate.parse("2025-07-01") == 1_751_328_000_000)
        #expect(ISODate.parse("2025-07-01T00:00:00Z") == 1_751_328_000_000)
        #expect(ISODate.parse("2025-07-01T02:30:00+02:30") == 1_751_328_000_000)
        #expect(ISODate.parse("2025-07-01 01:00+0100") == 1_751_328_000_000)
        #expect(ISODate.parse("2025-06-30T22:00-02") == 1_751_328_000_000)
        #expect(ISODate.parse("2025-07-01T00:00:00.5Z") == 1_751_328_000_500)
        #expect(ISODate.parse("2025-07-01t00:00:00.123456") == 1_751_328_000_123)
        #expect(ISODate.parse("1969-12-31T23:59:59.999Z") == -1)
        #expect(ISODate.parse("2024-02-29") != nil)
        #expect(ISODate.parse("0000-03-01") == ISODate.daysFromCivil(year: 0, month: 3, day: 1) * ISODate.millisecondsPerDay)
        for bad in [
            "2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "2025-07-01T24:00", "2025-07-01T12", "07/01/2025",
            "2025-07-01Z", "2025-07-01T10:00:00.Z", "2025-07-01T10:00+25:00", "", "yesterday", "2025-07-01T10:00:00Zjunk",
        ] {
            #expect(ISODate.parse(bad) == nil, "\(bad)")
        }
        #expect(ISODate.parseWithPrecision("2025-07-01")?.isDay == true)
        #expect(ISODate.parseWithPrecision("2025-07-01T00:00")?.isDay == false)
        for text in ["2025-07-01", "2025-07-01T12:30:05Z", "1900-02-28T00:00:00.007Z", "9999-12-31T23:59:59.999Z", "0000-01-01"] {
            let ms = try #require(ISODate.parse(text))
            #expect(ISODate.format(ms) == text)
        }
        #expect(ISODate.format(Int64.min) == "@\(Int64.min)")
        #expect(ISODate.parse("@\(Int64.min)") == Int64.min)
        // Every day of four centuries round-trips through the civil-date arithmetic.
        var rng = SplitMix64(seed: 24)
        for _ in 0..<2_000 {
            let days = Int64(rng.next(below: 146_097 * 4)) - 146_097 * 2
            let (y, m, d) = ISODate.civilFromDays(days)
            #expect(ISODate.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }

    @Test func valuesConvertToTheirFieldsTypes() throws {
        #expect(try FieldValue.keyword("2025-07-01").converted(to: .date) == .date(1_751_328_000_000))
        #expect(try FieldValue.keyword(" 1587 ").converted(to: .integer) == .integer(1587))
        #expect(try FieldValue.keyword("+7").converted(to: .integer) == .integer(7))
        #expect(try FieldValue.keyword("3.94").converted(to: .double) == .double(3.94))
        #expect(try FieldValue.keyword("-0").converted(to: .double) == .double(0))
        #expect(try FieldValue.keyword("TRUE").converted(to: .boolean) == .boolean(true))
        #expect(try FieldValue.keyword("driver-api").converted(to: .keyword) == .keywords(["driver-api"]))
        #expect(try FieldValue.keywords(["a", "b"]).converted(to: .keyword) == .keywords(["a", "b"]))
        #expect(try FieldValue.keywords(["12"]).converted(to: .integer) == .integer(12))
        #expect(try FieldValue.keywords(["a", "b"]).converted(to: .text) == .keyword("a\nb"))
        #expect(try FieldValue.integer(12).converted(to: .double) == .double(12))
        #expect(try FieldValue.integer(12).converted(to: .keyword) == .keywords(["12"]))
        #expect(try FieldValue.integer(12).converted(to: .date) == .date(12))
        #expect(try FieldValue.double(12).converted(to: .integer) == .integer(12))
        #expect(try FieldValue.double(2.5).converted(to: .text) == .keyword("2.5"))
        #expect(try FieldValue.boolean(false).converted(to: .keyword) == .keywords(["false"]))
        #expect(try FieldValue.date(1_751_328_000_000).converted(to: .keyword) == .keywords(["2025-07-01"]))
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.double(2.5).converted(to: .integer) }
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.boolean(true).converted(to: .integer) }
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.keywords(["1", "2"]).converted(to: .integer) }
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.keyword("nan").converted(to: .double) }
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.keyword("inf").converted(to: .double) }
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.keyword("0x10").converted(to: .integer) }
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.keyword("yes").converted(to: .boolean) }
        let long = String(repeating: "k", count: FieldValue.maxKeywordBytes + 1)
        #expect(throws: FieldValue.ConversionError.self) { try FieldValue.keyword(long).converted(to: .keyword) }
        do {
            _ = try FieldValue.keyword("someday").converted(to: .date)
            Issue.record("converted")
        } catch {
            #expect(error.description.contains("'someday' is not a date"))
            #expect(error.description.contains("2025-07-01"))
        }
        // Sortable forms order as the numbers do.
        let numbers: [Double] = [-.infinity, -1e300, -2.5, -1, -0.0, 0, 1e-300, 1, 2.5, 1e300, .infinity]
        let bits = numbers.map { SortableNumber.bits($0) }
        #expect(bits == bits.sorted())
        #expect(SortableNumber.bits(-0.0) == SortableNumber.bits(0.0))
        for d in numbers where d != 0 { #expect(SortableNumber.double(SortableNumber.bits(d)) == d) }
        let integers: [Int64] = [.min, -5, -1, 0, 1, 5, .max]
        #expect(integers.map { SortableNumber.bits($0) } == integers.map { SortableNumber.bits($0) }.sorted())
        for n in integers { #expect(SortableNumber.integer(SortableNumber.bits(n)) == n) }
    }

    @Test func fieldOptionsOfOldSchemasDecodeAsText() throws {
        // A schema as versions before typed fields wrote it.
        let old = """
            {"fields":[{"name":"title","indexed":true,"stored":true,"boost":2,"searchedByDefault":true,
            "analyzer":\(String(decoding: try JSONEncoder().encode(AnalyzerConfiguration.standard), as: UTF8.self))}],
            "dynamicField":{"name":"*","indexed":true,"stored":true,"boost":1,"searchedByDefault":false,
            "analyzer":\(String(decoding: try JSONEncoder().encode(AnalyzerConfiguration.standard), as: UTF8.self))}}
            """
        let schema = try JSONDecoder().decode(Schema.self, from: Data(old.utf8))
        #expect(schema.fields[0].type == .text)
        #expect(schema.fields[0].columnar == false)
        #expect(schema.fields[0] == FieldOptions(name: "title", boost: 2, searchedByDefault: true))
        // A text field encodes as before (no type, no columnar); a typed one with both.
        let text = String(decoding: try JSONEncoder().encode(FieldOptions(name: "body")), as: UTF8.self)
        #expect(!text.contains("type") && !text.contains("columnar"))
        let keyword = FieldOptions.keyword("tags")
        let encoded = try JSONEncoder().encode(keyword)
        #expect(try JSONDecoder().decode(FieldOptions.self, from: encoded) == keyword)
        #expect(keyword.columnar && keyword.indexed && keyword.stored && !keyword.searchedByDefault)
        #expect(FieldOptions(name: "n", type: .integer, columnar: false).columnar == false)
    }

    @Test func schemasValidate() throws {
        #expect(throws: PoiskError.self) { try Schema(fields: [FieldOptions(name: "t", columnar: true)]).validate() }
        #expect(throws: PoiskError.self) { try Schema(fields: [.keyword("a"), .integer("a")]).validate() }
        #expect(throws: PoiskError.self) { try Schema(fields: [.keyword("id")]).validate() }
        try Schema(fields: [.text("title"), .keyword("tags"), .date("date")]).validate()
        // A writer refuses a schema that does not validate, and one whose types differ from the index's.
        try withTemporaryDirectory { dir in
            #expect(throws: PoiskError.self) {
                _ = try IndexWriter(at: dir + "/bad", schema: Schema(fields: [FieldOptions(name: "t", columnar: true)]))
            }
            let schema = Schema(fields: [.text("title"), .keyword("section")])
            let writer = try IndexWriter(at: dir + "/i", schema: schema)
            try writer.add(Document(id: "a", title: "x", fields: ["section": "s"]))
            try writer.commit()
            writer.close()
            do {
                _ = try IndexWriter(at: dir + "/i", schema: Schema(fields: [.text("title"), .integer("section")]))
                Issue.record("opened")
            } catch PoiskError.schemaMismatch(let field, let reason) {
                #expect(field == "section")
                #expect(reason == "type is keyword in the index, integer in the schema")
            }
            _ = try IndexWriter(at: dir + "/i", schema: schema)
        }
    }

    @Test func schemaFilesDeclareTypes() throws {
        let schema = try Schema(jsonFile: Fixtures.url("typed/meta-schema.json").path)
        #expect(schema.fields.map(\.name) == ["title", "body", "date", "draft", "rating", "section", "tags", "words"])
        #expect(schema.fields.map(\.type) == [.text, .text, .date, .boolean, .double, .keyword, .keyword, .integer])
        #expect(schema.options("title") == FieldOptions(name: "title", boost: 2, searchedByDefault: true))
        #expect(schema.options("body") == FieldOptions(name: "body", boost: 1, searchedByDefault: true))
        #expect(schema.options("section") == .keyword("section"))
        let rich = try Schema(
            json: Data(
                #"{"id": "keyword", "notes": {"type": "text", "boost": 0.5, "stored": false}, "path": {"type": "keyword", "columnar": false}}"#
                    .utf8))
        // title and body as in the standard schema when the file does not name them.
        #expect(rich.fields.map(\.name) == ["title", "body", "notes", "path"])
        #expect(rich.options("title") == FieldOptions(name: "title", boost: 2, searchedByDefault: true))
        let typedOnly = try Schema(json: Data(#"{"tags": "keyword", "body": {"type": "text", "boost": 3}}"#.utf8))
        #expect(typedOnly.fields.map(\.name) == ["title", "body", "tags"])
        #expect(typedOnly.options("body")?.boost == 3)
        #expect(rich.options("notes")?.boost == 0.5)
        #expect(rich.options("notes")?.stored == false)
        #expect(rich.options("path")?.columnar == false)
        for bad in [
            #"[1]"#, #"{"a": "texty"}"#, #"{"a": 5}"#, #"{"a": {"type": "text", "columnar": true}}"#,
            #"{"a": {"type": "keyword", "fast": true}}"#, #"{"a": {"type": "keyword", "stored": 1}}"#, #"{"id": "integer"}"#, "{",
        ] {
            #expect(throws: PoiskError.self, "\(bad)") { _ = try Schema(json: Data(bad.utf8), source: "s.json") }
        }
        do {
            _ = try Schema(json: Data(#"{"words": "int"}"#.utf8), source: "s.json")
        } catch {
            #expect("\(error)".contains("s.json"))
            #expect("\(error)".contains("'words'"))
            #expect("\(error)".contains("keyword, integer"))
        }
        #expect(throws: PoiskError.fileNotFound(path: "/nonexistent/schema.json")) {
            _ = try Schema(jsonFile: "/nonexistent/schema.json")
        }
    }

    @Test func documentsResolveAgainstTheSchema() throws {
        var schema = Schema(fields: [.text("title"), .text("body"), .keyword("section"), .date("date"), .integer("words")])
        var document = Document(
            id: "d", title: "T", body: "B", fields: ["section": "driver-api", "date": "2025-07-01", "extra": "text"],
            values: [
                "words": .double(1587), "tags": .keywords(["a", "b"]), "rating": .double(3.5), "draft": .boolean(false),
                "title": .keyword("typed title"),
            ])
        let resolved = try document.resolved(against: &schema)
        #expect(resolved.fields == ["title": "typed title", "body": "B", "extra": "text"])
        #expect(
            resolved.values == [
                "section": .keywords(["driver-api"]), "date": .date(1_751_328_000_000), "words": .integer(1587),
                "tags": .keywords(["a", "b"]), "rating": .double(3.5), "draft": .boolean(false),
            ])
        // New fields were added in name order, typed ones with their value's type.
        #expect(schema.fields.map(\.name) == ["title", "body", "section", "date", "words", "draft", "extra", "rating", "tags"])
        #expect(schema.options("draft")?.type == .boolean)
        #expect(schema.options("extra")?.type == .text)
        #expect(schema.options("tags")?.columnar == true)
        // Empty values are no values; a value that does not fit names the document, field and value.
        document = Document(id: "e", fields: ["date": "", "section": ""], values: ["tags": .keywords([])])
        let empty = try document.resolved(against: &schema)
        #expect(empty.values.isEmpty)
        document = Document(id: "bad-doc", fields: ["date": "July"])
        #expect(
            throws: PoiskError.invalidFieldValue(
                document: "document 'bad-doc'", field: "date", value: "July",
                expected: "an ISO 8601 date such as 2025-07-01 or 2025-07-01T12:30:00Z (the field's type is date)")
        ) {
            _ = try document.resolved(against: &schema)
        }
        #expect(throws: PoiskError.self) {
            var s = schema
            _ = try Document(id: "x", values: ["words": .double(2.5)]).resolved(against: &s)
        }
        // Text-only documents with a text-only schema are not copied.
        var plain = Schema.standard
        let doc = Document(id: "p", title: "a", body: "b")
        #expect(try doc.resolved(against: &plain) == doc)
        #expect(plain == .standard)
    }

    @Test func theWriterRejectsOnlyTheDocumentThatDoesNotFit() throws {
        try withTemporaryDirectory { dir in
            let writer = try IndexWriter(at: dir, schema: Schema(fields: [.text("title"), .text("body"), .integer("words")]))
            try writer.add(Document(id: "a", title: "one", fields: ["words": "10"]))
            #expect(throws: PoiskError.self) { try writer.add(Document(id: "b", title: "two", fields: ["words": "ten"])) }
            try writer.add(Document(id: "c", title: "three", values: ["words": .integer(30)]))
            try writer.commit()
            let reader = try IndexReader.open(at: dir)
            #expect(reader.documentCount == 2)
        }
    }

    @Test func documentsEncodeTheirValues() throws {
        let doc = Document(
            id: "a", title: "t",
            values: [
                "n": .integer(5), "k": .keywords(["x"]), "d": .date(-1), "b": .boolean(true),
                "r": .double(0.5), "s": .keyword("y"),
            ])
        #expect(try JSONDecoder().decode(Document.self, from: try JSONEncoder().encode(doc)) == doc)
        let old = try JSONDecoder().decode(Document.self, from: Data(#"{"id": "a", "fields": {"title": "t"}}"#.utf8))
        #expect(old.values.isEmpty)
        let plain = String(decoding: try JSONEncoder().encode(Document(id: "a")), as: UTF8.self)
        #expect(!plain.contains("values"))
        #expect(doc["n"] == "5")
        #expect(doc["d"] == "1969-12-31T23:59:59.999Z")
    }

    @Test func jsonLinesCarryTypedValues() throws {
        let text = #"""
            {"id": "a", "title": "T", "section": "admin-guide", "tags": ["acpi", "rst"], "date": "2023-09-26", "words": 1587, "rating": 3.94, "draft": true, "nothing": null, "nested": {"x": 1}, "mixed": [1, "a"]}
            {"id": "b", "words": 12, "rating": 4, "draft": false}
            """#
        var docs: [Document] = []
        try DocumentLoader.parseJSONLines(Data(text.utf8), source: "t", into: &docs)
        #expect(docs[0].fields["section"] == "admin-guide")
        #expect(docs[0].fields["date"] == "2023-09-26")
        #expect(
            docs[0].values == [
                "tags": .keywords(["acpi", "rst"]), "words": .integer(1587), "rating": .double(3.94), "draft": .boolean(true),
            ])
        #expect(docs[1].values == ["words": .integer(12), "rating": .integer(4), "draft": .boolean(false)])
        // With the schema, values are converted as they are read.
        let schema = try Schema(jsonFile: Fixtures.url("typed/meta-schema.json").path)
        var typed: [Document] = []
        try DocumentLoader.parseJSONLines(Data(text.utf8), source: "t", schema: schema, into: &typed)
        #expect(typed[0].values["section"] == .keywords(["admin-guide"]))
        #expect(typed[0].values["date"] == .date(ISODate.parse("2023-09-26") ?? 0))
        #expect(typed[1].values["rating"] == .double(4))
        #expect(typed[0].fields["section"] == nil)
        // A value that does not fit fails the load, naming file, line, id, field and value.
        let bad = Data("{\"id\": \"a\", \"words\": 1}\n{\"id\": \"b\", \"words\": \"many\"}\n".utf8)
        var out: [Document] = []
        #expect(
            throws: PoiskError.invalidFieldValue(
                document: "f.jsonl:2 (id 'b')", field: "words", value: "many",
                expected: "a whole number such as 1587 (the field's type is integer)")
        ) {
            try DocumentLoader.parseJSONLines(bad, source: "f.jsonl", schema: schema, into: &out)
        }
        #expect(out.isEmpty)
        #expect(throws: PoiskError.self) {
            try DocumentLoader.parseJSONLines(Data(#"{"id": "a", "tags": [1, 2]}"#.utf8), source: "f", schema: schema, into: &out)
        }
        do {
            try DocumentLoader.parseJSONLines(Data(#"{"id": "a", "date": {"y": 2025}}"#.utf8), source: "f", schema: schema, into: &out)
        } catch {
            #expect("\(error)".contains("field 'date'"))
        }
    }
}
