// Postings blocks are validated while decoded (documents strictly increasing and below the
// segment's document count, term frequencies within what the positions section can hold): a
// valid list decodes exactly, and each kind of damage, in a full 128-document block or in the
// tail, marks the cursor corrupt instead of yielding documents.

import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct PostingsValidationTests {
    /// Encodes `docs` (with term frequencies `tfs`) with the segment writer; returns the postings
    /// and positions bytes.
    static func encode(_ docs: [UInt32], tfs: [UInt32]) -> (postings: [UInt8], positions: [UInt8]) {
        var writer = PostingsWriter()
        for (doc, tf) in zip(docs, tfs) {
            writer.add(doc: doc, positions: (0..<tf).map { $0 * 2 }[...], fieldLength: 100)
        }
        var postings = ByteWriter()
        var positions = ByteWriter()
        writer.write(postings: &postings, positions: &positions)
        return (postings.bytes, positions.bytes)
    }

    /// Iterates the list with `next()`: the documents seen, and whether the cursor ended corrupt.
    static func decode(
        _ encoded: (postings: [UInt8], positions: [UInt8]), count: Int, docCount: Int, positionsLimit: Int? = nil
    ) -> (docs: [Int32], tfs: [Int], corrupt: Bool) {
        let positions = Array(encoded.positions.prefix(positionsLimit ?? encoded.positions.count))
        return encoded.postings.withUnsafeBytes { p in
            positions.withUnsafeBytes { q in
                let cursor = PostingsCursor(
                    postings: p, positions: q, info: TermInfo(docFreq: count, postingsOffset: 0, positionsOffset: 0),
                    docCount: docCount)
                var docs: [Int32] = []
                var tfs: [Int] = []
                while cursor.next() != PostingsCursor.end {
                    docs.append(cursor.doc)
                    tfs.append(Int(cursor.termFrequency))
                }
                return (docs, tfs, cursor.isCorrupt)
            }
        }
    }

    /// Lists of 1 to 400 documents (a tail alone, full blocks and a tail, full blocks alone) with
    /// gaps from 1 to large and frequencies from 1 to 40 decode to exactly what was written.
    @Test func validListsDecodeExactly() {
        var rng = SplitMix64(seed: 77)
        for n in [1, 2, 127, 128, 129, 255, 256, 300, 400] {
            var doc: UInt32 = rng.next() % 2 == 0 ? 0 : UInt32(rng.next() % 50)
            var docs: [UInt32] = []
            var tfs: [UInt32] = []
            for i in 0..<n {
                if i > 0 { doc += rng.next() % 8 == 0 ? UInt32(1 + rng.next() % 100_000) : UInt32(1 + rng.next() % 30) }
                docs.append(doc)
                tfs.append(rng.next() % 5 == 0 ? UInt32(2 + rng.next() % 39) : 1)
            }
            let decoded = Self.decode(Self.encode(docs, tfs: tfs), count: n, docCount: Int(doc) + 1)
            #expect(!decoded.corrupt, "n \(n)")
            #expect(decoded.docs == docs.map { Int32($0) }, "n \(n)")
            #expect(decoded.tfs == tfs.map { Int($0) }, "n \(n)")
        }
    }

    /// A repeated document (a zero gap) in a full block or in the tail, a last document at or
    /// beyond the segment's document count, or a frequency beyond the positions section: corrupt.
    @Test(arguments: [60, 140, 299] as [Int])
    func damageInABlockOrTheTailIsReported(at index: Int) {
        let n = 300  // two full blocks and a tail of 44
        let good = (0..<n).map { UInt32($0 * 3 + 1) }
        let ones = [UInt32](repeating: 1, count: n)
        var repeated = good
        repeated[index] = repeated[index - 1]
        let zeroGap = Self.decode(Self.encode(repeated, tfs: ones), count: n, docCount: 10_000)
        #expect(zeroGap.corrupt, "zero gap at \(index)")
        #expect(zeroGap.docs.count <= index, "documents after the damage at \(index)")

        // The document count ends at the document at `index`: it and those after are beyond it.
        let beyond = Self.decode(Self.encode(good, tfs: ones), count: n, docCount: Int(good[index]))
        #expect(beyond.corrupt, "document beyond the count after \(index)")

        // One frequency larger than the positions section's size (each position takes a byte).
        var tfs = ones
        tfs[index] = 40
        let encoded = Self.encode(good, tfs: tfs)
        let overfull = Self.decode(encoded, count: n, docCount: 10_000, positionsLimit: 39)
        #expect(overfull.corrupt, "frequency beyond the positions at \(index)")
    }
}
