// `poisk check`: verifies every checksum and structural invariant of an index.
//
// For: telling a user exactly which file and section is damaged. It opens the index as a reader
// would (Snapshot: the newest commit that opens, and each segment and delete file the same way),
// then reads every byte: O(index size). Not for: the search path (readers verify lazily and
// cheaply).

import Foundation

/// One problem found by ``IndexChecker``.
public struct IndexProblem: Sendable, Hashable, CustomStringConvertible {
    /// The damaged file (relative to the index directory).
    public var file: String
    /// The part of the file (section) that is damaged.
    public var section: String
    /// What is wrong.
    public var reason: String
    /// `file (section): reason`.
    public var description: String { "\(file) (\(section)): \(reason)" }
}

/// The result of checking an index.
public struct IndexCheckReport: Sendable {
    /// Problems found; empty when the index is sound.
    public var problems: [IndexProblem]
    /// Segments checked.
    public var segments: Int
    /// Live documents.
    public var documents: Int
    /// Terms checked, over all fields and segments.
    public var terms: Int
    /// Postings entries decoded.
    public var postings: Int
    /// The commit file checked: the newest one that opens (empty when none does).
    public var commitFile: String = ""
    /// Newer commits passed over because they are damaged or name a missing or damaged file,
    /// newest first; each is also listed in ``problems``.
    public var skippedCommits: [SkippedCommit] = []
    /// True when nothing is wrong.
    public var isValid: Bool { problems.isEmpty }
}

/// Verifies an index directory.
public enum IndexChecker {
    /// Checks the index at a file URL. See ``check(at:)-(String)``.
    public static func check(at url: URL) throws -> IndexCheckReport { try check(at: url.path) }

    /// Checks the newest commit of the index at `path` that opens, and every file it names.
    ///
    /// When newer commits are damaged or name a missing or damaged file, each is a problem of the
    /// report (naming the commit it fell back to) and the older commit a reader would open is
    /// checked in full.
    /// - Throws: `PoiskError.fileNotFound` / `.notAnIndex` when there is no index to check;
    ///   damage is reported in the result, not thrown.
    /// - Complexity: O(index size): every byte is read.
    public static func check(at path: String) throws -> IndexCheckReport {
        let directory = IndexDirectory(path: path)
        var report = IndexCheckReport(problems: [], segments: 0, documents: 0, terms: 0, postings: 0)
        func record(_ error: Error, file: String) {
            if case PoiskError.corruptIndex(let f, let section, let reason) = error {
                report.problems.append(IndexProblem(file: f, section: section, reason: reason))
            } else if case PoiskError.unsupportedFormatVersion(let f, let found, let supported) = error {
                report.problems.append(
                    IndexProblem(file: f, section: "header", reason: "format version \(found) is newer than \(supported)"))
            } else if case PoiskError.fileNotFound(let p) = error {
                report.problems.append(IndexProblem(file: URL(fileURLWithPath: p).lastPathComponent, section: "file", reason: "missing"))
            } else {
                report.problems.append(IndexProblem(file: file, section: "file", reason: "\(error)"))
            }
        }
        let commit: CommitData
        do {
            guard let found = try Snapshot.openNewest(in: directory) else {
                throw PoiskError.notAnIndex(path: path)
            }
            commit = found.commit
            report.commitFile = commit.fileName
            report.skippedCommits = found.skipped
            for skipped in found.skipped {
                if skipped.file != fileNamed(by: skipped.error) { record(skipped.error, file: skipped.file) }
                report.problems.append(
                    IndexProblem(
                        file: skipped.file, section: "commit",
                        reason: "\(skipped.reason); fell back to \(report.commitFile)"))
            }
            // Older commit files (the writer keeps the one before the newest as a fallback) must
            // decode too, though readers only turn to them when newer ones are damaged.
            for point in try Snapshot.commitPoints(in: directory) where point < commit.point {
                do {
                    _ = try Snapshot.readCommit(point, in: directory)
                } catch {
                    record(error, file: point.fileName)
                }
            }
        } catch let e as PoiskError {
            if case .fileNotFound(let missing) = e, missing == path { throw e }
            switch e {
            case .corruptIndex, .unsupportedFormatVersion, .fileNotFound:
                // No commit opens: name the newest commit's damage, then stop.
                let newest = (try? Snapshot.commitPoints(in: directory).first).flatMap { $0 }
                record(e, file: newest?.fileName ?? "commit")
                return report
            default: throw e
            }
        }
        // Each segment opened as a reader opens it (Snapshot's SegmentView), but with every
        // section verified, then decoded in full; a damaged delete file is reported on its own.
        for s in commit.segments {
            report.segments += 1
            do {
                let reader = try SegmentView.openSegment(s, in: directory, verify: true)
                try checkStructure(reader, report: &report)
                var deleted = 0
                do {
                    deleted = try SegmentView.readDeletes(s, in: directory)?.count ?? 0
                } catch {
                    record(error, file: DeleteFile.fileName(segment: s.name, generation: s.deleteGeneration))
                }
                report.documents += s.docCount - deleted
            } catch {
                record(error, file: s.name + ".seg")
            }
        }
        return report
    }

    /// The index file a damage error names (nil for a missing file: its path is in the error).
    private static func fileNamed(by error: PoiskError) -> String? {
        switch error {
        case .corruptIndex(let file, _, _), .unsupportedFormatVersion(let file, _, _): return file
        default: return nil
        }
    }

    /// Decodes every term, postings list, position list, length and stored document.
    static func checkStructure(_ reader: SegmentReader, report: inout IndexCheckReport) throws {
        let name = reader.fileName
        var positions: [UInt32] = []
        for (f, field) in reader.fields.enumerated() {
            guard let field else { continue }
            let fieldName = reader.meta.schema.fields[f].name
            let type = reader.meta.schema.fields[f].type
            var cursor = try field.terms.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            var previous: [UInt8]?
            var count = 0
            var sumTF: UInt64 = 0
            let postingsBefore = UInt64(report.postings)
            while try cursor.next() {
                let term = cursor.withTerm { Array($0) }
                if let p = previous, !p.lexicographicallyPrecedes(term) {
                    throw PoiskError.corruptIndex(file: name, section: "terms of \(fieldName)", reason: "terms out of order")
                }
                previous = term
                count += 1
                if type.isNumeric {
                    guard let decoded = term.withUnsafeBytes({ NumericTerms.decode($0) }) else {
                        throw PoiskError.corruptIndex(
                            file: name, section: "terms of \(fieldName)",
                            reason: "a term is not a numeric term of this \(type.rawValue) field")
                    }
                    // Only the levels the meta lists (format 6): a range reads no other.
                    if let shifts = field.stats.trieShifts, !shifts.contains(decoded.shift) {
                        throw PoiskError.corruptIndex(
                            file: name, section: "terms of \(fieldName)",
                            reason: "a term of trie level \(decoded.shift), which the meta does not list")
                    }
                }
                let info = cursor.info
                guard let pc = try reader.postings(field: f, info: info) else { continue }
                var n = 0
                var last: Int32 = -1
                while pc.next() != PostingsCursor.end {
                    if pc.doc <= last { break }
                    last = pc.doc
                    if type.isTyped {
                        // No positions (format 5): every posting has term frequency 1.
                        guard pc.termFrequency == 1 else {
                            throw PoiskError.corruptIndex(
                                file: name, section: "postings of \(fieldName)", reason: "a typed term twice in a document")
                        }
                        sumTF += 1
                        n += 1
                        continue
                    }
                    guard pc.readPositions(into: &positions), positions.count == Int(pc.termFrequency) else {
                        throw PoiskError.corruptIndex(file: name, section: "positions of \(fieldName)", reason: "positions do not decode")
                    }
                    sumTF += UInt64(pc.termFrequency)
                    n += 1
                }
                if pc.isCorrupt || n != info.docFreq {
                    throw PoiskError.corruptIndex(
                        file: name, section: "postings of \(fieldName)",
                        reason: "term '\(String(decoding: term, as: UTF8.self))' decodes \(n) of \(info.docFreq) documents")
                }
                report.postings += n
            }
            report.terms += count
            if count != field.stats.termCount {
                throw PoiskError.corruptIndex(file: name, section: "terms of \(fieldName)", reason: "term count differs from meta")
            }
            // A typed field has no lengths: each of its postings holds one position.
            if type.isTyped ? sumTF != UInt64(report.postings) - postingsBefore : sumTF != field.stats.sumLengths {
                throw PoiskError.corruptIndex(
                    file: name, section: "field lengths of \(fieldName)", reason: "lengths do not add up to the postings")
            }
        }
        try reader.ensureVerified(.stored, field: nil)
        try reader.stored.forEachDocument { _, _ in }
        for (_, doc) in try reader.allIDs() where doc < 0 || Int(doc) >= reader.docCount {
            throw PoiskError.corruptIndex(file: name, section: "ids", reason: "id maps to a document out of range")
        }
        // Format 4's id column and token checkpoints, and format 5's columns, decoded in full.
        try reader.checkColumns()
    }
}
