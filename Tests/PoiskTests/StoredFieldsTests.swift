// Stored fields: every document read back equals what was written, across many blocks, for
// compressible text (LZ4 blocks) and incompressible bytes (blocks stored raw), whole or some of
// its fields (a block decompressed only up to them).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct StoredFieldsTests {
    @Test func documentsRoundTripAcrossBlocksAndCodecs() throws {
        var rng = SplitMix64(seed: 77)
        var writer = StoredFieldsWriter()
        var expected: [[(Int, String)]] = []
        for d in 0..<2_000 {
            let incompressible = (1_000..<1_300).contains(d)
            // Random ids in the incompressible run (shared "doc-1…" prefixes would give LZ4 matches).
            var fields: [(Int, String)] = [(0, incompressible ? String(rng.next(), radix: 36) : "doc-\(d)")]
            if !incompressible {
                // Repetitive text: compresses well.
                fields.append((1, String(repeating: "the quick brown fox \(d % 7) ", count: 1 + d % 12)))
            } else {
                // Random printable bytes: LZ4 cannot shrink a block made only of these.
                let bytes = (0..<(50 + Int(rng.next() % 300))).map { _ in UInt8(33 + rng.next() % 94) }
                fields.append((2, String(decoding: bytes, as: UTF8.self)))
            }
            if d % 5 == 0 { fields.append((3, "")) }
            writer.add(fields)
            expected.append(fields)
        }
        let bytes = writer.finish()
        // The reader borrows its bytes (a segment's mapping in real use): keep a copy alive.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        let reader = try StoredFieldsReader(UnsafeRawBufferPointer(buffer), docCount: expected.count, file: "t")
        #expect(reader.blockCount > 20)
        for (d, fields) in expected.enumerated() {
            let got = try reader.document(d)
            #expect(got.map(\.0) == fields.map(\.0), "doc \(d)")
            #expect(got.map(\.1) == fields.map(\.1), "doc \(d)")
        }
        // Both codecs occurred: LZ4 blocks and blocks stored raw.
        let codecs = Set(
            (0..<reader.blockCount).map { b in
                UInt32(bytes[4 + b * StoredFieldsFormat.indexEntrySize + 16])
            })
        #expect(codecs == [0, 1])
    }

    @Test func anEmptyWriterFinishesAsAnEmptySection() throws {
        var writer = StoredFieldsWriter()
        let bytes = writer.finish()
        #expect(bytes == [0, 0, 0, 0])
    }

    /// Reading some fields of a document decompresses its block only up to them, and gives what
    /// reading the whole document gives.
    @Test func partialReadsOfStoredFieldsEqualWholeDocuments() throws {
        var rng = SplitMix64(seed: 9)
        var writer = StoredFieldsWriter()
        var expected: [[(Int, String)]] = []
        for d in 0..<600 {
            var fields: [(Int, String)] = [(0, "doc-\(d)")]
            for f in 1...4 where rng.next(below: 3) != 0 {
                fields.append((f, String(repeating: "field \(f) of \(d) — ёж 内核 ", count: 1 + rng.next(below: 40))))
            }
            writer.add(fields)
            expected.append(fields)
        }
        let bytes = writer.finish()
        try bytes.withUnsafeBytes { raw in
            let reader = try StoredFieldsReader(raw, docCount: expected.count, file: "t")
            for (d, fields) in expected.enumerated() {
                let all = try reader.document(d)
                #expect(all.map(\.0) == fields.map(\.0) && all.map(\.1) == fields.map(\.1))
                for wanted in [Set([0]), [1], [2, 4], [0, 1, 2, 3, 4], [3]] {
                    let got = try reader.withFields(of: d, wanted: { wanted.contains($0) }, last: wanted.max() ?? 0) {
                        $0.map { ($0.id, String(decoding: $0.bytes, as: UTF8.self)) }
                    }
                    let want = fields.filter { wanted.contains($0.0) }
                    #expect(got.map(\.0) == want.map(\.0) && got.map(\.1) == want.map(\.1), "doc \(d) \(wanted)")
                }
            }
        }
    }
}
