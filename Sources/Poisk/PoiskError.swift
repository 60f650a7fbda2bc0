// The one error type of the library: every failure a caller can cause or meet ends here.

/// Every error Poisk throws. Switch on the case; `description` is a message a person can act on.
public enum PoiskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A query string could not be parsed. `offset` is the character offset of the problem.
    case invalidQuery(message: String, query: String, offset: Int)
    /// A path does not exist or cannot be read.
    case fileNotFound(path: String)
    /// A file or directory could not be read or written; `reason` is the system's explanation.
    case io(path: String, reason: String)
    /// Input documents could not be parsed (bad JSON Lines, missing `id`, …).
    case invalidDocument(source: String, reason: String)
    /// Nothing to index: the corpus has no documents.
    case emptyCorpus(path: String)
    /// An index file failed verification: bad checksum, truncated, or structurally impossible.
    case corruptIndex(file: String, section: String, reason: String)
    /// The index was written by a newer format version than this library reads.
    case unsupportedFormatVersion(file: String, found: Int, supported: Int)
    /// The directory holds no Poisk index.
    case notAnIndex(path: String)
    /// Another writer holds the index's lock.
    case indexLocked(path: String, holder: String)
    /// A field name the schema does not know.
    case unknownField(name: String)
    /// An argument outside its allowed range, or a call the object's state does not allow (a
    /// closed writer); `reason` says which and why.
    case invalidArgument(reason: String)
    /// An ``IndexWriter`` was opened with a ``Schema`` that differs from the existing index's:
    /// `field` names the field (`*` for the dynamic-field template) and `reason` the difference.
    /// Open the writer without a schema to keep the index's own, or rebuild the index.
    case schemaMismatch(field: String, reason: String)
    /// A document's value does not fit its field's type (``FieldType``): `document` names the
    /// document (its id, and the file and line it came from when loaded), `field` the field,
    /// `value` the value as given, and `expected` what the type takes.
    case invalidFieldValue(document: String, field: String, value: String, expected: String)

    /// A one-line message for a person: what went wrong and, where possible, what to do about it.
    public var description: String {
        switch self {
        case .invalidQuery(let message, let query, let offset):
            return "invalid query at character \(offset + 1): \(message) (query: \(query))"
        case .fileNotFound(let path):
            return "no such file or directory: \(path)"
        case .io(let path, let reason):
            return "cannot access \(path): \(reason)"
        case .invalidDocument(let source, let reason):
            return "bad document in \(source): \(reason)"
        case .emptyCorpus(let path):
            return
                "no documents to index in \(path): no file of the types read (.txt, .md, .markdown, .rst, .adoc, .org, .tex, .html, .htm) outside hidden and ignored paths, and no JSON Lines file named directly; choose files with --glob, or read hidden and ignored ones with --hidden and --no-ignore (DocumentLoader.Options in Swift)"
        case .corruptIndex(let file, let section, let reason):
            return "index file \(file) is damaged (\(section)): \(reason); run `poisk check` and rebuild the index from its sources"
        case .unsupportedFormatVersion(let file, let found, let supported):
            return
                "\(file) uses index format version \(found), but this Poisk reads versions up to \(supported); upgrade Poisk or rebuild the index"
        case .notAnIndex(let path):
            return "\(path) is not a Poisk index (no commit file); create one with `poisk index --index \(path) FILES…`"
        case .indexLocked(let path, let holder):
            return
                "index \(path) is locked by another writer (\(holder)); wait for it to finish or remove the stale lock if that process is gone"
        case .unknownField(let name):
            return "unknown field '\(name)'"
        case .invalidArgument(let reason):
            return reason
        case .schemaMismatch(let field, let reason):
            return
                "the schema differs from the index's at field '\(field)': \(reason); open the writer without a schema to keep the index's own, or rebuild the index"
        case .invalidFieldValue(let document, let field, let value, let expected):
            return
                "\(document): field '\(field)' has '\(value.prefix(80))', which does not fit: expected \(expected); fix the value or declare the field with another type"
        }
    }
}
