// Loading documents from the file system: text files, folders of them, and JSON Lines.
//
// For: the CLI, the benchmark and users who index files. Not for: anything on the search path.
// Rules: a folder is walked recursively for `.txt` and `.md` files (sorted, so ids and order are
// deterministic); id = path relative to the folder, title = first non-empty line (cut to 120
// characters at a word boundary when longer), body = the whole text. `.jsonl`/`.ndjson` files hold one object per line with `id`, `title`, `body`, and
// other string fields kept as extra fields; a `.gz` suffix is decompressed in memory (`Gzip`).
// Invalid UTF-8 is decoded with U+FFFD; files that look binary (a NUL byte in the first 8 KiB)
// are skipped with a warning.

import Foundation

/// Reads documents from files, folders and JSON Lines.
public struct DocumentLoader: Sendable {
    /// Problems that did not stop loading (skipped binary files, unreadable entries).
    public private(set) var warnings: [String] = []

    /// Creates a loader.
    public init() {}

    /// Loads every document under `paths`.
    /// - Parameter paths: files or folders.
    /// - Returns: the documents, in a deterministic order.
    /// - Throws: `PoiskError.fileNotFound`, `.io`, `.invalidDocument`.
    public mutating func load(paths: [String]) throws -> [Document] {
        var documents: [Document] = []
        for path in paths { try load(path: path, into: &documents) }
        return documents
    }

    /// Loads the documents at one path (a file or a folder), appending them to `documents`.
    public mutating func load(path: String, into documents: inout [Document]) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PoiskError.fileNotFound(path: path)
        }
        if isDirectory.boolValue {
            try loadDirectory(path, into: &documents)
        } else if DocumentLoader.isJSONLines(path) {
            try DocumentLoader.loadJSONLines(path: path, into: &documents)
        } else {
            let name = URL(fileURLWithPath: path).lastPathComponent
            if let document = try loadTextFile(path, id: name) { documents.append(document) }
        }
    }

    static func isJSONLines(_ path: String) -> Bool {
        var p = path.lowercased()
        if p.hasSuffix(".gz") { p.removeLast(3) }
        return p.hasSuffix(".jsonl") || p.hasSuffix(".ndjson") || p.hasSuffix(".json")
    }

    private mutating func loadDirectory(_ root: String, into documents: inout [Document]) throws {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(atPath: rootURL.path) else {
            throw PoiskError.io(path: root, reason: "cannot list the folder")
        }
        var relativePaths: [String] = []
        while let entry = enumerator.nextObject() as? String {
            let lower = entry.lowercased()
            if lower.hasSuffix(".txt") || lower.hasSuffix(".md") { relativePaths.append(entry) }
        }
        relativePaths.sort()
        for relative in relativePaths {
            let full = rootURL.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
                continue
            }
            do {
                if let document = try loadTextFile(full, id: relative) { documents.append(document) }
            } catch {
                warnings.append("skipped \(full): \(error)")
            }
        }
    }

    /// Reads one text file as a document, or nil (with a warning) when it looks binary.
    private mutating func loadTextFile(_ path: String, id: String) throws -> Document? {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PoiskError.io(path: path, reason: "cannot read the file")
        }
        if data.prefix(8192).contains(0) {
            warnings.append("skipped \(path): looks like a binary file (NUL bytes)")
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        return DocumentLoader.textDocument(id: id, text: text)
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

    /// Loads a JSON Lines file: one object per line with a string (or integer) `id`.
    /// - Throws: `PoiskError.invalidDocument` naming the line for malformed JSON or a missing id.
    public static func loadJSONLines(path: String, into documents: inout [Document]) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw PoiskError.fileNotFound(path: path) }
        let data = try readFile(path)
        try parseJSONLines(data, source: path, into: &documents)
    }

    /// Parses JSON Lines bytes into documents.
    public static func parseJSONLines(_ data: Data, source: String, into documents: inout [Document]) throws {
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
            for (key, value) in dictionary where key != "id" {
                if let s = value as? String { fields[key] = s }
            }
            documents.append(
                Document(id: id, title: fields["title"] ?? "", body: fields["body"] ?? "", fields: fields))
        }
    }
}
