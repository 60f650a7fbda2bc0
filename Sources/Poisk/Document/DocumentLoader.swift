// Loading documents from the file system: text files, folders of them, and JSON Lines.
//
// For: the CLI, the benchmark and users who index files. Not for: anything on the search path.
// Rules: a folder is walked recursively (FolderWalker.swift) for the file types of
// `Options.fileTypes` (default `.txt`, `.md`, `.markdown`, `.rst`, `.adoc`, `.org`, `.tex`,
// `.html`, `.htm`) or the files `Options.globs` choose; by default it does not follow symbolic
// links (with `followSymlinks` only to targets inside the folders being loaded), never opens a
// FIFO, socket or device, skips names starting with `.`, `.git` always, what `.gitignore`,
// `.ignore` and `.poiskignore` files inside the folder exclude (IgnoreRules.swift), and files
// over `Options.maxFileSize` (10 MiB). Documents come sorted by id, so ids and order are
// deterministic; id = path relative to the folder, title = first non-empty line (cut to 120
// characters at a word boundary when longer; see TextFormats.swift for the formats with a title
// of their own), body = the whole text (HTML without its markup). Inside a folder every chosen
// file is one text document, JSON Lines included: `.jsonl`/`.ndjson`/`.json` files are read as
// JSON Lines only when named directly; they hold one object per line with `id`, `title`,
// `body`, other string fields kept as extra text fields, and typed values: numbers, booleans and
// arrays of strings (see `parseJSONLines`); a `.gz` suffix is decompressed in memory
// (`Gzip`). A file named directly is read whatever its extension, following links, but never
// when it is not a regular file. Invalid UTF-8 is decoded with U+FFFD; files that look binary (a
// NUL byte in the first 8 KiB) are skipped with a warning. `summary` counts what was read and
// skipped, and why.

import Foundation

/// Reads documents from files, folders and JSON Lines.
///
/// A folder is walked for the files its ``Options`` choose; see ``Options`` for what is read by
/// default and what never is, and ``summary`` for what was skipped and why.
public struct DocumentLoader: Sendable {
    /// What the loader reads from folders.
    public var options: Options

    /// Problems that did not stop loading (skipped binary, too large and unreadable files), over
    /// every `load` call of this loader.
    public private(set) var warnings: [String] = []

    /// Files read and entries skipped, by reason, over every `load` call of this loader.
    public private(set) var summary = Summary()

    /// The schema documents will be indexed with, or nil. With a schema, JSON Lines values are
    /// converted to their declared fields' types as they are read (a value that does not fit
    /// fails the load, naming the file, line, document, field and value), and front matter
    /// values of declared fields take the declared type (see ``FrontMatter``). Without one, the
    /// writer converts values when documents are added. Default nil.
    public var schema: Schema?

    /// Creates a loader with the default ``Options``.
    public init() { options = Options() }

    /// Creates a loader with the given options.
    public init(options: Options) { self.options = options }

    /// Loads every document under `paths`.
    ///
    /// Every path is checked before anything is read: a missing one throws first. With
    /// ``Options/followSymlinks``, a link may lead into any of the folders of `paths`.
    /// - Parameter paths: files or folders.
    /// - Returns: the documents, in a deterministic order: path by path, each folder's sorted by id.
    /// - Throws: `PoiskError.fileNotFound`, `.io` (including a path that is a FIFO, socket or
    ///   device), `.invalidDocument` (JSON Lines), `.invalidArgument` (malformed options).
    /// - Complexity: O(entries under the folders + bytes read).
    public mutating func load(paths: [String]) throws -> [Document] {
        var documents: [Document] = []
        try load(roots: paths, into: &documents)
        return documents
    }

    /// Loads the documents at one path (a file or a folder), appending them to `documents`.
    /// - Throws: as ``load(paths:)``.
    public mutating func load(path: String, into documents: inout [Document]) throws {
        try load(roots: [path], into: &documents)
    }

    static func isJSONLines(_ path: String) -> Bool {
        var p = path.lowercased()
        if p.hasSuffix(".gz") { p.removeLast(3) }
        return p.hasSuffix(".jsonl") || p.hasSuffix(".ndjson") || p.hasSuffix(".json")
    }

    private mutating func load(roots: [String], into documents: inout [Document]) throws {
        try options.validate()
        let selection = try FileSelection(options: options)
        var kinds: [FileKind] = []
        for root in roots {
            do {
                kinds.append(try SystemPath.status(root, followingLinks: true).kind)
            } catch {
                if error.isNotFound { throw PoiskError.fileNotFound(path: root) }
                throw PoiskError.io(path: root, reason: error.reason)
            }
        }
        var realPaths: [String] = []
        if options.followSymlinks {
            for (root, kind) in zip(roots, kinds) where kind == .directory {
                if let real = try? SystemPath.realPath(root) { realPaths.append(real) }
            }
        }
        var walker = FolderWalker(options: options, selection: selection, rootRealPaths: realPaths)
        walker.schema = schema
        if options.followSymlinks {
            // First what the walk reaches by its own paths, so a link never takes a file's id.
            var survey = FolderWalker(options: options, selection: selection, rootRealPaths: realPaths, surveying: true)
            for (root, kind) in zip(roots, kinds) where kind == .directory { try survey.walk(root: root) }
            walker.ownPathFiles = survey.ownPathFiles
            walker.ownPathFolders = survey.ownPathFolders
        }
        defer {
            warnings += walker.warnings
            summary.add(walker.summary)
        }
        for (root, kind) in zip(roots, kinds) {
            switch kind {
            case .directory:
                try walker.walk(root: root)
            case .regular where DocumentLoader.isJSONLines(root):
                let before = walker.documents.count
                try DocumentLoader.loadJSONLines(path: root, schema: schema, into: &walker.documents)
                walker.summary.filesRead += 1
                walker.summary.documents += walker.documents.count - before
            case .regular:
                try walker.readNamedFile(root)
            default:
                throw FolderWalker.notAFileOrFolder(root, kind)
            }
        }
        documents += walker.documents
    }

    /// A document from a text: title = first non-empty line (trimmed), body = the whole text.
    public static func textDocument(id: String, text: String) -> Document {
        var title = ""
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty {
                title = trimmed
                break
            }
        }
        return Document(id: id, title: shortTitle(title), body: text)
    }

    /// The longest title taken from a text file's first line, in characters. A longer first line
    /// is a paragraph, not a title: it is cut at a word boundary and ends with "…", so a
    /// paragraph does not get the title field's boost for every word in it.
    public static let maxTitleCharacters = 120

    static func shortTitle(_ line: String) -> String {
        guard line.count > maxTitleCharacters else { return line }
        var cut = line.prefix(maxTitleCharacters)
        if let space = cut.lastIndex(where: { $0.isWhitespace }), cut.distance(from: cut.startIndex, to: space) > maxTitleCharacters / 2 {
            cut = cut[..<space]
        }
        return cut.trimmingCharacters(in: .whitespaces) + "…"
    }

    /// Reads a whole file, decompressing `.gz` (see `Gzip`).
    public static func readFile(_ path: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: path) else { throw PoiskError.fileNotFound(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PoiskError.io(path: path, reason: "cannot read the file")
        }
        return path.lowercased().hasSuffix(".gz") ? try Gzip.decompress(data, name: path) : data
    }

    /// Loads a JSON Lines file: one object per line with a string (or integer) `id` (see
    /// ``parseJSONLines(_:source:schema:into:)``).
    /// - Parameter schema: when given, values are converted to their declared fields' types.
    /// - Throws: `PoiskError.invalidDocument` naming the line for malformed JSON or a missing id;
    ///   `.invalidFieldValue` for a value that does not fit its declared field.
    public static func loadJSONLines(path: String, schema: Schema? = nil, into documents: inout [Document]) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw PoiskError.fileNotFound(path: path) }
        let data = try readFile(path)
        try parseJSONLines(data, source: path, schema: schema, into: &documents)
    }

    /// Parses JSON Lines bytes into documents.
    ///
    /// Each line is an object with an `id` (a string or an integer). Its other members become
    /// the document's fields: a string is text (``Document/fields``); an integer, a fraction, a
    /// boolean and an array of strings are typed values (``Document/values``: `.integer`,
    /// `.double`, `.boolean`, `.keywords`). `null`, objects and arrays holding anything but
    /// strings are skipped, unless the schema declares the field (then they are an error).
    ///
    /// With a `schema`, every value of a declared field is converted to its type as it is read,
    /// and fields the schema does not declare get the types the writer would give them (see
    /// ``Document``): a value that does not fit fails the whole load (no document of the file is
    /// returned), with an error naming the file, line, id, field and value. Without a schema,
    /// the writer converts values when the documents are added.
    /// - Throws: `PoiskError.invalidDocument` naming the line for malformed JSON or a missing
    ///   id; `.invalidFieldValue` (with a schema) for a value that does not fit its field.
    public static func parseJSONLines(
        _ data: Data, source: String, schema: Schema? = nil, into documents: inout [Document]
    ) throws {
        var running = schema
        var parsed: [Document] = []
        // Lines are found in the raw bytes (memchr; blank lines skipped by a byte loop): walking
        // `Data` byte by byte made a dynamic exclusivity check per byte, most of the load time.
        var lines: [Range<Int>] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var start = 0
            while start < raw.count {
                let end: Int
                if let found = RawMemory.first(0x0A, in: base + start, count: raw.count - start) {
                    end = found - base
                } else {
                    end = raw.count
                }
                var blank = true
                for i in start..<end {
                    let b = raw[i]
                    if b != 0x20 && b != 0x09 && b != 0x0D {
                        blank = false
                        break
                    }
                }
                lines.append(blank ? start..<start : start..<end)
                start = end + 1
            }
        }
        for (index, range) in lines.enumerated() {
            let lineNumber = index + 1
            if range.isEmpty { continue }
            let line = data[(data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound)]
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: line, options: [])
            } catch {
                throw PoiskError.invalidDocument(source: "\(source):\(lineNumber)", reason: "not valid JSON")
            }
            guard let dictionary = object as? [String: Any] else {
                throw PoiskError.invalidDocument(source: "\(source):\(lineNumber)", reason: "expected a JSON object")
            }
            let id: String
            if let s = dictionary["id"] as? String {
                id = s
            } else if let n = dictionary["id"] as? NSNumber {
                // JSON true/false also arrive as NSNumber (objCType "c", on Darwin and Linux
                // alike) and would read as "1"/"0"; fractions would round-trip inexactly.
                let kind = String(cString: n.objCType)
                guard kind != "c" else {
                    throw PoiskError.invalidDocument(
                        source: "\(source):\(lineNumber)", reason: "\"id\" is a boolean; give a string or an integer")
                }
                guard kind != "d" && kind != "f" else {
                    throw PoiskError.invalidDocument(
                        source: "\(source):\(lineNumber)", reason: "\"id\" is a fraction; give a string or an integer")
                }
                id = n.stringValue
            } else {
                throw PoiskError.invalidDocument(source: "\(source):\(lineNumber)", reason: "missing string \"id\"")
            }
            var fields: [String: String] = [:]
            var values: [String: FieldValue] = [:]
            for (key, value) in dictionary where key != "id" {
                if let s = value as? String {
                    fields[key] = s
                } else if let typed = jsonValue(value) {
                    values[key] = typed
                } else if let running, running.fieldID(key) != nil {
                    let text =
                        (try? JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed]))
                        .map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\(value)"
                    throw PoiskError.invalidFieldValue(
                        document: "\(source):\(lineNumber) (id '\(id.prefix(200))')", field: key, value: text,
                        expected: "a string, a number, a boolean or an array of strings")
                }
            }
            var document = Document(id: id, title: fields["title"] ?? "", body: fields["body"] ?? "", fields: fields, values: values)
            if var schema = running {
                do {
                    document = try document.resolved(against: &schema)
                } catch {
                    guard case .invalidFieldValue(_, let field, let value, let expected) = error else { throw error }
                    throw PoiskError.invalidFieldValue(
                        document: "\(source):\(lineNumber) (id '\(id.prefix(200))')", field: field, value: value,
                        expected: expected)
                }
                running = schema
            }
            parsed.append(document)
        }
        documents += parsed
    }

    /// A JSON member's typed value: a number (integer or fraction), a boolean, or an array of
    /// strings; nil for anything else.
    static func jsonValue(_ value: Any) -> FieldValue? {
        if let n = value as? NSNumber {
            switch String(cString: n.objCType) {
            case "c", "B":
                return .boolean(n.boolValue)
            case "d", "f":
                return .double(n.doubleValue)
            default:
                if let exact = Int64(n.stringValue) { return .integer(exact) }
                return .double(n.doubleValue)
            }
        }
        if let list = value as? [Any] {
            var strings: [String] = []
            strings.reserveCapacity(list.count)
            for element in list {
                guard let s = element as? String else { return nil }
                strings.append(s)
            }
            return .keywords(strings)
        }
        return nil
    }
}
