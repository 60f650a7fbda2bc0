// Fuzz target: segment, commit and delete files from untrusted bytes.
//
// For: finding inputs on which the format decoders crash, trap, hang or touch memory they do
// not own. Any `PoiskError` is an acceptable outcome; anything else is a bug. Not for: checking
// that valid files decode to the right values (the unit tests do that).
//
// Input: one mode byte, then the file's bytes.
//   mode % 3 == 0: a segment file (`.seg`). Opened as is, then again with every section
//                  checksum and the section table checksum recomputed, so that mutations reach
//                  the decoders behind the CRC-32C checks. A segment that opens is walked in
//                  full (terms, postings, positions, lengths, ids, stored documents) and searched
//                  through an `IndexReader` over a temporary directory.
//   mode % 3 == 1: a commit file (`.pkc`), as is and with its checksum recomputed.
//   mode % 3 == 2: a delete file (`.del`), as is and with its checksum recomputed.

import Foundation
import Poisk

/// libFuzzer's input function.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let mode = input.first else { return 0 }
    let file = Array(input.dropFirst())
    switch mode % 3 {
    case 0:
        fuzzSegment(file)
    case 1:
        tolerate { _ = try file.withUnsafeBytes { try CommitData.decode($0, file: "fuzz.pkc") } }
        let fixed = withTrailingChecksum(file)
        tolerate { _ = try fixed.withUnsafeBytes { try CommitData.decode($0, file: "fuzz.pkc") } }
    default:
        // The delete file names its own document count at byte 12; use it so that the size
        // check can pass and the decoder's later stages are reached.
        let docCount = file.count >= 16 ? Int(readUInt32(file, at: 12) & 0xFFFF) : 0
        tolerate { _ = try file.withUnsafeBytes { try DeleteFile.decode($0, docCount: docCount, file: "fuzz.del") } }
        let fixed = withTrailingChecksum(file)
        tolerate {
            let deleted = try fixed.withUnsafeBytes { try DeleteFile.decode($0, docCount: docCount, file: "fuzz.del") }
            precondition(deleted.count >= 0)
        }
    }
    return 0
}

/// Runs `body`; a `PoiskError` is an expected outcome, any other error is a bug.
func tolerate(_ body: () throws -> Void) {
    do {
        try body()
    } catch is PoiskError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
}

func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    guard offset >= 0, offset + 4 <= bytes.count else { return 0 }
    return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
}

func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    UInt64(readUInt32(bytes, at: offset)) | UInt64(readUInt32(bytes, at: offset + 4)) << 32
}

func writeUInt32(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
    guard offset >= 0, offset + 4 <= bytes.count else { return }
    for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
}

func writeUInt64(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
    writeUInt32(UInt32(truncatingIfNeeded: value), into: &bytes, at: offset)
    writeUInt32(UInt32(truncatingIfNeeded: value >> 32), into: &bytes, at: offset + 4)
}

/// `bytes` with its last four bytes replaced by the CRC-32C of everything before them (the
/// layout of commit and delete files).
func withTrailingChecksum(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= 4 else { return bytes }
    var fixed = bytes
    let crc = CRC32C.checksum(Array(bytes[0..<(bytes.count - 4)]))
    writeUInt32(crc, into: &fixed, at: bytes.count - 4)
    return fixed
}

/// A segment file with every checksum recomputed: the table is assumed to sit right before the
/// footer (its offset is rewritten to match), each in-bounds section gets its CRC-32C, then
/// the table gets its own.
func withRepairedChecksums(_ bytes: [UInt8]) -> [UInt8] {
    let n = bytes.count
    guard n >= SegmentFileFormat.headerSize + SegmentFileFormat.footerSize + 4 else { return bytes }
    var fixed = bytes
    let footer = n - SegmentFileFormat.footerSize
    let tableLength = Int(readUInt32(bytes, at: footer + 8))
    guard tableLength >= 4, tableLength <= footer - SegmentFileFormat.headerSize else { return bytes }
    let tableOffset = footer - tableLength
    writeUInt64(UInt64(tableOffset), into: &fixed, at: footer)
    let count = Int(readUInt32(bytes, at: tableOffset))
    let entries = min(count, (tableLength - 4) / SegmentFileFormat.tableEntrySize)
    for e in 0..<entries {
        let entry = tableOffset + 4 + e * SegmentFileFormat.tableEntrySize
        let offset = readUInt64(bytes, at: entry + 4)
        let length = readUInt64(bytes, at: entry + 12)
        guard offset <= UInt64(tableOffset), length <= UInt64(tableOffset) - offset else { continue }
        let crc = CRC32C.checksum(Array(bytes[Int(offset)..<Int(offset + length)]))
        writeUInt32(crc, into: &fixed, at: entry + 20)
    }
    writeUInt32(CRC32C.checksum(Array(fixed[tableOffset..<footer])), into: &fixed, at: footer + 12)
    return fixed
}

func fuzzSegment(_ bytes: [UInt8]) {
    tolerate { try walkSegment(bytes) }
    let repaired = withRepairedChecksums(bytes)
    if repaired != bytes { tolerate { try walkSegment(repaired) } }
}

/// Decodes everything in a segment file; when it opens, searches it too.
func walkSegment(_ bytes: [UInt8]) throws {
    let reader = try SegmentReader(bytes: FileBytes(copying: bytes, name: "fuzz.seg"), verify: false)
    let docCount = reader.docCount
    var positions: [UInt32] = []
    var sampleTerms: [(field: String, term: String)] = []
    for (f, field) in reader.fields.enumerated() {
        guard let field else { continue }
        let fieldName = reader.meta.schema.fields[f].name
        tolerate {
            var cursor = try field.terms.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            var terms = 0
            while terms < 500, try cursor.next() {
                terms += 1
                let term = cursor.withTerm { Array($0) }
                if sampleTerms.count < 6 { sampleTerms.append((fieldName, cursor.termString)) }
                let info = cursor.info
                // The dictionary's lookup and seek must cope with whatever the cursor decoded.
                tolerate { _ = try term.withUnsafeBytes { try reader.termInfo(field: f, term: $0) } }
                tolerate {
                    var seek = try term.withUnsafeBytes { try field.terms.cursor(from: $0) }
                    _ = try seek.next()
                }
                tolerate { try walkPostings(reader, field: f, info: info, docCount: docCount, positions: &positions) }
            }
        }
    }
    for doc in 0..<Int32(docCount) {
        for f in reader.fields.indices { _ = reader.fieldLength(f, doc: doc) }
    }
    // Stored documents decompress a whole block each (slow in a debug build): the first and
    // last few reach every block of a small segment.
    let sampled = Set((0..<min(docCount, 8)).map { $0 } + (max(0, docCount - 8)..<docCount).map { $0 })
    for doc in sampled.sorted() { tolerate { _ = try reader.document(Int32(doc)) } }
    // The id column and token checkpoints (format 4), every document's; some fields of documents.
    tolerate { try reader.checkColumns() }
    for doc in sampled.sorted() {
        tolerate { _ = try reader.documentID(Int32(doc)) }
        tolerate { _ = try reader.withStoredFields(of: Int32(doc), wanted: { $0 != 1 }, last: 2) { $0.count } }
    }
    tolerate {
        for (id, _) in try reader.allIDs().prefix(1_000) { _ = try reader.docID(for: id) }
    }
    tolerate { try search(bytes, reader: reader, sampleTerms: sampleTerms) }
}

/// Iterates a postings list twice: `next()` with positions, then `advance(to:)` in strides.
func walkPostings(_ reader: SegmentReader, field f: Int, info: TermInfo, docCount: Int, positions: inout [UInt32]) throws {
    let bound = min(max(info.docFreq, 0), docCount) + 1
    if let cursor = try reader.postings(field: f, info: info) {
        var last: Int32 = -1
        var steps = 0
        while steps < bound {
            let doc = cursor.next()
            if doc == PostingsCursor.end || doc <= last { break }
            last = doc
            steps += 1
            _ = cursor.termFrequency
            _ = cursor.readPositions(into: &positions)
            _ = cursor.shallowBounds(doc)
        }
    }
    if let cursor = try reader.postings(field: f, info: info) {
        var target: Int32 = 0
        var steps = 0
        while steps < bound {
            let doc = cursor.advance(to: target)
            if doc == PostingsCursor.end || doc < target { break }
            _ = cursor.appendPositions(to: &positions)
            target = doc &+ 3
            if target < 0 { break }
            steps += 1
        }
    }
}

/// A per-process directory (in /dev/shm when there is one) for searching fuzzed segments.
let scratchDirectory: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
    let path = base + "poisk-fuzz-segment-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchDirectory) }
    return path
}()

/// Writes the segment with a commit (deleting its first document) and runs queries on it.
func search(_ bytes: [UInt8], reader: SegmentReader, sampleTerms: [(field: String, term: String)]) throws {
    let directory = IndexDirectory(path: scratchDirectory)
    for name in try directory.list() { try? directory.remove(name) }
    let name = "seg-00000001"
    try directory.writeAtomically(name + ".seg", bytes: bytes, syncDirectory: false)
    // CommitData has no package memberwise initializer: build it through its JSON form.
    var deleteGeneration = 0
    var deletedCount = 0
    if reader.docCount > 1 {
        var deleted = DeletedDocs(capacity: reader.docCount)
        deleted.insert(0)
        try directory.writeAtomically(
            DeleteFile.fileName(segment: name, generation: 1), bytes: DeleteFile.encode(deleted, docCount: reader.docCount),
            syncDirectory: false)
        deleteGeneration = 1
        deletedCount = 1
    }
    // Failures here are the harness's own (JSON of a schema decoded from fuzzed bytes), not bugs.
    guard let schema = try? JSONSerialization.jsonObject(with: JSONEncoder().encode(reader.meta.schema)) else { return }
    let json: [String: Any] = [
        "formatVersion": segmentFormatVersion, "generation": 1, "nextSegmentNumber": 2, "userData": [String: String](),
        "schema": schema,
        "segments": [["name": name, "docCount": reader.docCount, "deleteGeneration": deleteGeneration, "deletedCount": deletedCount]],
    ]
    guard let commitJSON = try? JSONSerialization.data(withJSONObject: json),
        let commit = try? JSONDecoder().decode(CommitData.self, from: commitJSON)
    else { return }
    try directory.writeAtomically(CommitData.fileName(generation: 1), bytes: commit.encoded(), syncDirectory: false)
    let index = try IndexReader.open(at: scratchDirectory)
    var queries: [Query] = [.matchAll]
    for (field, term) in sampleTerms.prefix(3) {
        queries.append(.term(term, field: field))
        queries.append(.prefix(String(term.prefix(1)), field: field))
        queries.append(.fuzzy(term, field: field, maxEdits: 1))
    }
    if sampleTerms.count >= 2 {
        let (a, b) = (sampleTerms[0], sampleTerms[1])
        queries.append(.phrase([a.term, b.term], field: a.field, slop: 1))
        queries.append(.boolean([BooleanClause(.should, .term(a.term)), BooleanClause(.should, .term(b.term))]))
        queries.append(.boolean([BooleanClause(.must, .term(a.term)), BooleanClause(.mustNot, .term(b.term))]))
    }
    for query in queries {
        tolerate {
            let results = try index.search(query, options: SearchOptions(limit: 3, explain: true))
            precondition(results.hits.count <= 3 && (results.total >= results.hits.count || !results.totalIsExact))
        }
        tolerate { _ = try index.search(query, options: SearchOptions(limit: 2, exactTotal: false)) }
        tolerate { _ = try index.search(query, options: .idsOnly) }
        tolerate {
            _ = try index.search(
                query, options: SearchOptions(limit: 3, snippetFragments: 2, storedFields: ["title"], snippetFields: ["title", "body"]))
        }
    }
    // Typed fields: values and ranges (trie terms or the column), sorts and facets over columns.
    for options in index.schema.fields where options.type != .text {
        let field = options.name
        var typed: [Query] = []
        switch options.type {
        case .keyword:
            typed = [.value(.keyword("a"), field: field), .range(field, from: .keyword("b"), to: nil), .prefix("m", field: field)]
        case .boolean:
            typed = [.value(.boolean(true), field: field), .value(.boolean(false), field: field)]
        case .integer, .double, .date:
            typed = [
                .range(field, from: .integer(-10), to: .integer(400)), .range(field, from: .double(0.5), to: nil, includesFrom: false),
                .range(field, from: nil, to: .integer(1_600_100_000_000)), .value(.integer(0), field: field),
            ]
        case .text:
            break
        }
        for query in typed {
            tolerate { _ = try index.search(query, options: .idsOnly) }
            tolerate { _ = try index.search(.filtered(.term("common"), by: [query]), options: .idsOnly) }
        }
        guard options.columnar else { continue }
        for descending in [false, true] {
            tolerate {
                var sorted = SearchOptions(limit: 4, storedFields: .none, snippetFields: [])
                sorted.sort = [SortField(field, descending: descending)]
                let page = try index.search(.matchAll, options: sorted)
                if let cursor = page.nextCursor {
                    sorted.searchAfter = cursor
                    _ = try index.search(.matchAll, options: sorted)
                }
            }
        }
        tolerate {
            var faceted = SearchOptions(limit: 2, storedFields: .none, snippetFields: [])
            if options.type.isNumeric {
                faceted.facets = [
                    .ranges(field, [FacetRange("low", from: nil, to: .integer(100)), FacetRange("high", from: .integer(100), to: nil)])
                ]
            } else {
                faceted.facets = [.values(field, limit: 3, chosen: ["a", "true"])]
            }
            _ = try index.search(.matchAll, options: faceted)
        }
    }
    for (field, term) in sampleTerms.prefix(2) { tolerate { _ = try index.document(id: term + field) } }
    tolerate { _ = try IndexChecker.check(at: scratchDirectory) }
}
