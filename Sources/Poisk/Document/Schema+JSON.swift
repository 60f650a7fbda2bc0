// A schema from a small JSON file: field name → type, for the CLI (`--schema FILE.json`), the
// benchmark and anyone who keeps the schema beside the data.
//
// For: reading the flat schema format outside scripts rely on. Not for: the schema the index
// saves with every segment and commit (Schema's own Codable form, which has every option).
//
//     {"title": "text", "body": "text", "section": "keyword", "tags": "keyword",
//      "date": "date", "words": "integer", "rating": "double", "draft": "boolean"}
//
// A value may also be an object with the type and options:
//     {"notes": {"type": "text", "boost": 0.5, "searchedByDefault": false, "stored": false},
//      "path": {"type": "keyword", "columnar": false}}

import Foundation

extension Schema {
    /// Reads a schema file (see ``init(json:source:)`` for the format).
    /// - Throws: `PoiskError.fileNotFound`, `.io`, or `.invalidArgument` naming the file and
    ///   what is wrong in it.
    public init(jsonFile path: String) throws {
        try self.init(json: DocumentLoader.readFile(path), source: path)
    }

    /// A schema from a flat JSON object of field name → type (`text`, `keyword`, `integer`,
    /// `double`, `date`, `boolean`), or → an object with `type` and any of `indexed`, `stored`,
    /// `columnar`, `boost`, `searchedByDefault`.
    ///
    /// Text fields are searched by default, `title` with boost 2 and the others with boost 1 (as
    /// in ``standard``); typed fields are indexed, stored and columnar. Every document has a
    /// `title` and a `body`: a file that does not name them gets them as in ``standard`` (so
    /// `{"tags": "keyword"}` adds a keyword field to the usual text search rather than leaving no
    /// field to search). Field ids follow the order `title`, `body`, then the other names sorted
    /// (JSON objects have no order). `id` is the document key: it may be listed as `keyword` and
    /// is then skipped. Other fields the file does not name get the ``dynamicField`` template
    /// (text) or their value's type.
    /// - Parameters:
    ///   - json: the file's bytes.
    ///   - source: the file's name, for messages.
    /// - Throws: `PoiskError.invalidArgument` saying what is wrong and where.
    public init(json: Data, source: String = "schema") throws {
        func bad(_ reason: String) -> PoiskError {
            PoiskError.invalidArgument(reason: "bad schema in \(source): \(reason)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json, options: [])
        } catch {
            throw bad("not valid JSON")
        }
        guard let entries = object as? [String: Any] else {
            throw bad("expected a JSON object of field name to type, such as {\"title\": \"text\", \"tags\": \"keyword\"}")
        }
        let typeNames = FieldType.allCases.map(\.rawValue).joined(separator: ", ")
        func type(_ value: Any, field: String) throws -> FieldType {
            guard let name = value as? String, let type = FieldType(rawValue: name.lowercased()) else {
                throw bad("field '\(field)' has type \(value); the types are \(typeNames)")
            }
            return type
        }
        let order = entries.keys.sorted { a, b in
            let rank = { (name: String) -> Int in name == "title" ? 0 : name == "body" ? 1 : 2 }
            return rank(a) != rank(b) ? rank(a) < rank(b) : a < b
        }
        var fields: [FieldOptions] = []
        for standard in Schema.standard.fields where entries[standard.name] == nil { fields.append(standard) }
        for name in order {
            guard let value = entries[name] else { continue }
            if name == "id" {
                guard (try? type(value, field: name)) == .keyword else {
                    throw bad("'id' is the document key, always an exact keyword; leave it out or declare it \"keyword\"")
                }
                continue
            }
            if let object = value as? [String: Any] {
                let known: Set<String> = ["type", "indexed", "stored", "columnar", "boost", "searchedByDefault"]
                if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                    throw bad(
                        "field '\(name)' has an unknown option '\(unknown)'; the options are \(known.sorted().joined(separator: ", "))")
                }
                func flag(_ key: String) throws -> Bool? {
                    guard let v = object[key] else { return nil }
                    guard let n = v as? NSNumber, String(cString: n.objCType) == "c" else {
                        throw bad("field '\(name)': '\(key)' must be true or false")
                    }
                    return n.boolValue
                }
                var options = Schema.fileDefaults(name, type: try type(object["type"] ?? "text", field: name))
                if let v = try flag("indexed") { options.indexed = v }
                if let v = try flag("stored") { options.stored = v }
                if let v = try flag("columnar") { options.columnar = v }
                if let v = try flag("searchedByDefault") { options.searchedByDefault = v }
                if let v = object["boost"] {
                    guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite, n.doubleValue >= 0
                    else { throw bad("field '\(name)': 'boost' must be a number of 0 or more") }
                    options.boost = n.doubleValue
                }
                fields.append(options)
            } else {
                fields.append(Schema.fileDefaults(name, type: try type(value, field: name)))
            }
        }
        self.init(fields: fields)
        do {
            try validate()
        } catch {
            throw bad(error.description)
        }
    }

    /// The options a schema file gives a field of `type` named `name`.
    static func fileDefaults(_ name: String, type: FieldType) -> FieldOptions {
        guard type == .text else { return FieldOptions(name: name, type: type) }
        return FieldOptions(name: name, boost: name == "title" ? 2 : 1, searchedByDefault: true)
    }
}
