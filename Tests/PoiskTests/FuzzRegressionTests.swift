// Regression tests for inputs that crashed the decoders (found while writing the fuzz targets
// under Fuzz/). Each builds a segment whose checksums are valid but whose term dictionary holds
// impossible values, and checks that reading and searching it reports a damaged index instead
// of trapping.
//
// Not for: the fuzz targets themselves (Scripts/fuzz.sh) or random corruption (CorruptionTests).

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct FuzzRegressionTests {
    /// A one-document segment in which every indexed field's term dictionary is replaced by one
    /// holding `terms` in the given order with their values (docFreq, postings offset, positions
    /// offset) and, when given, every field's postings section replaced by `postings`; every
    /// other section, and every checksum, is as the builder wrote it.
    static func segment(terms: [(String, (UInt64, UInt64, UInt64))], postings: [UInt8]? = nil) throws -> [UInt8] {
        let builder = SegmentBuilder(schema: .standard)
        builder.add(Document(id: "1", title: "Patriot", body: "patriot missiles"))
        let original = try SegmentFileReader(FileBytes(copying: builder.finish(name: "seg-00000001"), name: "seg-00000001.seg"))
        var writer = SegmentFileWriter()
        for s in original.sections {
            let kind = try #require(SectionKind(rawValue: s.kind))
            var bytes = Array(UnsafeRawBufferPointer(rebasing: original.file.buffer[s.offset..<(s.offset + s.length)]))
            if kind == .terms {
                var dictionary = TermDictionaryWriter(arity: 3)
                for (term, values) in terms { Array(term.utf8).withUnsafeBytes { dictionary.add($0, values: values) } }
                bytes = dictionary.finish()
            }
            if kind == .postings, let postings { bytes = postings }
            writer.add(kind, field: s.field == SegmentFileFormat.noField ? nil : Int(s.field), bytes: bytes)
        }
        return writer.finish()
    }

    static let impossibleValues: [(UInt64, UInt64, UInt64)] = [
        (UInt64.max, 0, 0),  // docFreq does not fit in Int
        (1 << 63, 0, 0),
        (1, UInt64.max, 0),  // postings offset does not fit in Int
        (1, 0, 1 << 63),  // positions offset does not fit in Int
        (1, 0, UInt64(Int.max) - 3),  // positions offset + the tail's offset overflows
        (UInt64(Int.max), 0, 0),  // docFreq above the segment's document count
    ]

    @Test(arguments: 0..<impossibleValues.count)
    func impossibleTermValuesAreReportedNotTrapped(_ index: Int) throws {
        let bytes = try Self.segment(terms: [("patriot", Self.impossibleValues[index])])
        let reader = try SegmentReader(bytes: FileBytes(copying: bytes, name: "seg-00000001.seg"), verify: true)
        let body = try #require(reader.fieldID("body"))
        // Looking the term up and iterating the dictionary either fail as corrupt or give a
        // TermInfo whose postings cursor reports the damage.
        do {
            if let info = try Array("patriot".utf8).withUnsafeBytes({ try reader.termInfo(field: body, term: $0) }),
                let cursor = try reader.postings(field: body, info: info)
            {
                while cursor.next() != PostingsCursor.end {}
            }
        } catch let error as PoiskError {
            guard case .corruptIndex = error else { throw error }
        }
        do {
            let field = try #require(reader.fields[body])
            var cursor = try field.terms.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            while try cursor.next() { _ = cursor.info }
        } catch let error as PoiskError {
            guard case .corruptIndex = error else { throw error }
        }

        // The same through the public API: an index directory holding the segment.
        try Self.searchAll(bytes, ["patriot", "patr*", "patriot~1", "\"patriot missiles\"", "patriot OR missiles"])
    }

    /// A fuzzy query's dictionary walk seeks past prefixes that cannot match; in a dictionary
    /// whose terms are out of order a seek could land on a term already seen, and the walk
    /// looped forever (found by FuzzSegment as a timeout). Now it reports the damage.
    @Test func fuzzyExpansionOverAnUnsortedDictionaryTerminates() throws {
        // "zzz" matches zzzz~1; "ccc" cannot ("cc" is already 2 edits away), so the walk seeks
        // to "cd", lands on "zzz" again (the first term ≥ "cd" in file order), then "ccc", …
        let bytes = try Self.segment(terms: [("zzz", (1, 0, 0)), ("ccc", (1, 0, 0))])
        try Self.searchAll(bytes, ["zzzz~1", "ccc~1", "zz*", "zzz"])
    }

    /// A term frequency far beyond what the positions section could hold sized an allocation
    /// (4 bytes per position) before any position was read: FuzzSegment ran out of memory
    /// (malloc of 6 GB) in `appendPositions`; a two-word phrase allocated likewise.
    @Test func impossibleTermFrequencyIsReportedNotAllocated() throws {
        // maxTF 1, minLength 1, tail at +4, tail positions at +0; then the tail: doc gap 0 with
        // an explicit tf of 2^32 − 1.
        let postings: [UInt8] = [1, 1, 4, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        let bytes = try Self.segment(terms: [("patriot", (1, 0, 0))], postings: postings)
        let reader = try SegmentReader(bytes: FileBytes(copying: bytes, name: "seg-00000001.seg"), verify: true)
        let body = try #require(reader.fieldID("body"))
        let info = try #require(try Array("patriot".utf8).withUnsafeBytes { try reader.termInfo(field: body, term: $0) })
        let cursor = try #require(try reader.postings(field: body, info: info))
        #expect(cursor.next() == PostingsCursor.end)
        #expect(cursor.isCorrupt)
        try Self.searchAll(bytes, ["patriot", "\"patriot patriot\"", "\"patriot patriot\"~2", "patriot*"])
    }

    /// Searches a one-segment index holding `bytes` with each query: any outcome but a trap or
    /// a hang is fine, as long as errors are `corruptIndex`; `poisk check` must flag the index.
    static func searchAll(_ bytes: [UInt8], _ queries: [String]) throws {
        try withTemporaryDirectory { dir in
            let directory = IndexDirectory(path: dir)
            try directory.writeAtomically("seg-00000001.seg", bytes: bytes)
            let commit = CommitData(
                formatVersion: segmentFormatVersion, generation: 1, nextSegmentNumber: 2,
                segments: [CommitSegment(name: "seg-00000001", docCount: 1, deleteGeneration: 0, deletedCount: 0)],
                schema: .standard, userData: [:])
            try directory.writeAtomically(CommitData.fileName(generation: 1), bytes: commit.encoded())
            let index = try IndexReader.open(at: dir)
            for query in queries {
                do {
                    _ = try index.search(query)
                } catch let error as PoiskError {
                    guard case .corruptIndex = error else { throw error }
                }
            }
            let report = try IndexChecker.check(at: dir)
            #expect(!report.isValid)
        }
    }
}

/// A damaged term frequency must not turn into a huge allocation (found by FuzzSegment as an
/// out-of-memory: a 6 GB buffer for positions).
@Suite struct HugeTermFrequencyTests {
    /// A one-document list whose tf is 4 billion, over three bytes of positions: either the
    /// cursor refuses the entry outright or it refuses the positions; it never allocates tf slots.
    static func expectRefused(postings: [UInt8], formatVersion: Int) {
        let positions: [UInt8] = [1, 2, 3]
        postings.withUnsafeBytes { p in
            positions.withUnsafeBytes { q in
                let cursor = PostingsCursor(
                    postings: p, positions: q, info: TermInfo(docFreq: 1, postingsOffset: 0, positionsOffset: 0),
                    docCount: 10, formatVersion: formatVersion)
                if cursor.next() == 0 {
                    var out: [UInt32] = []
                    #expect(!cursor.appendPositions(to: &out))
                    #expect(out.isEmpty)
                }
                #expect(cursor.isCorrupt || cursor.doc == PostingsCursor.end)
            }
        }
    }

    /// Format 2 short list: maxTF, then the tail.
    @Test func appendPositionsRejectsAnImpossibleTermFrequencyInAShortList() {
        var postings = ByteWriter()
        postings.writeVarInt(4_000_000_000)  // maxTF
        postings.writeVarInt(0 << 1)  // doc 0, tf follows
        postings.writeVarInt(4_000_000_000)  // tf
        Self.expectRefused(postings: postings.bytes, formatVersion: 2)
    }

    /// Format 1: every list has the four-varint header.
    @Test func appendPositionsRejectsAnImpossibleTermFrequency() {
        var header = ByteWriter()
        header.writeVarInt(4_000_000_000)  // maxTF
        header.writeVarInt(1)  // minLength
        header.writeVarInt(5)  // tailOffset (header is 4 varints: 5 + 1 + 1 + 1 bytes = 8)
        header.writeVarInt(0)  // tailPositionsOffset
        // Fix the tail offset to the real header size.
        var postings = ByteWriter()
        postings.writeVarInt(4_000_000_000)
        postings.writeVarInt(1)
        postings.writeVarInt(UInt64(header.count))
        postings.writeVarInt(0)
        postings.writeVarInt(0 << 1)  // doc 0, tf follows
        postings.writeVarInt(4_000_000_000)  // tf
        Self.expectRefused(postings: postings.bytes, formatVersion: 1)
    }
}
