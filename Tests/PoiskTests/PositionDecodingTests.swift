// Position lists decode to exactly what was written, whatever mix of one-, two- and three-byte
// gaps they hold: the decoder reads eight bytes at once, takes the one-byte gaps in front of a
// longer one, and a two-byte gap straight from the same word, so every mix and alignment of
// gap sizes is checked here against the written positions (and the bitmap count against a
// plain count).

import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct PositionDecodingTests {
    /// Documents 0, 1, 2, … with the given positions each; returns the encoded sections.
    static func encode(_ lists: [[UInt32]]) -> (postings: [UInt8], positions: [UInt8]) {
        var writer = PostingsWriter()
        for (doc, list) in lists.enumerated() {
            writer.add(doc: UInt32(doc), positions: list[...], fieldLength: 100_000)
        }
        var postings = ByteWriter()
        var positions = ByteWriter()
        writer.write(postings: &postings, positions: &positions)
        return (postings.bytes, positions.bytes)
    }

    /// Random increasing positions: gaps mostly under 128 (one byte), some two-byte, a few
    /// three-byte, in runs, so that words of eight bytes hold every mix.
    static func positions(_ rng: inout SplitMix64, count: Int) -> [UInt32] {
        var result: [UInt32] = []
        var p: UInt32 = UInt32(rng.next() % 3)
        for _ in 0..<count {
            result.append(p)
            switch rng.next() % 10 {
            case 0...5: p += 1 + UInt32(rng.next() % 127)
            case 6...8: p += 128 + UInt32(rng.next() % 16_000)
            default: p += 16_384 + UInt32(rng.next() % 40_000)
            }
        }
        return result
    }

    /// Runs `body` with a cursor over the lists, positioned on each document in turn.
    static func eachDocument(_ lists: [[UInt32]], _ body: (PostingsCursor, [UInt32]) -> Void) {
        let encoded = encode(lists)
        encoded.postings.withUnsafeBytes { p in
            encoded.positions.withUnsafeBytes { q in
                let cursor = PostingsCursor(
                    postings: p, positions: q,
                    info: TermInfo(docFreq: lists.count, postingsOffset: 0, positionsOffset: 0), docCount: lists.count)
                for list in lists {
                    guard cursor.next() != PostingsCursor.end else {
                        Issue.record("the list ended early")
                        return
                    }
                    body(cursor, list)
                }
                #expect(!cursor.isCorrupt)
            }
        }
    }

    @Test func mixedGapSizesDecodeExactly() {
        var rng = SplitMix64(seed: 2026)
        let lists = (0..<300).map { _ in Self.positions(&rng, count: 1 + Int(rng.next() % 60)) }
        Self.eachDocument(lists) { cursor, list in
            var out: [UInt32] = []
            #expect(cursor.readPositions(into: &out))
            #expect(out == list)
        }
    }

    /// With a limit, the decoder may stop early but what it returns is exact and reaches past
    /// the limit (or is the whole list).
    @Test func limitedDecodesAreExactPrefixes() {
        var rng = SplitMix64(seed: 31)
        let lists = (0..<300).map { _ in Self.positions(&rng, count: 1 + Int(rng.next() % 60)) }
        var buffer = [UInt32](repeating: 0, count: 64)
        Self.eachDocument(lists) { cursor, list in
            let limit = list[Int(rng.next() % UInt64(list.count))]
            let n = buffer.withUnsafeMutableBufferPointer { cursor.decodePositions(into: $0.baseAddress!, limit: limit) }
            guard let n else {
                Issue.record("decode failed")
                return
            }
            #expect(Array(buffer[0..<n]) == Array(list[0..<n]))
            #expect(n == list.count || buffer[n - 1] > limit)
        }
    }

    /// The bitmap count equals a plain count of the positions (up to the limit) whose bit is set.
    @Test func bitmapCountsMatchAPlainCount() {
        var rng = SplitMix64(seed: 5)
        let lists = (0..<300).map { _ in Self.positions(&rng, count: 1 + Int(rng.next() % 60)) }
        Self.eachDocument(lists) { cursor, list in
            let limit = list[Int(rng.next() % UInt64(list.count))]
            let words = (Int(limit) + PostingsCursor.bitmapSlack) / 64 + 1
            var bitmap = [UInt64](repeating: 0, count: words)
            // Bits on about a third of the positions, and some elsewhere.
            for p in list where p <= limit && rng.next() % 3 == 0 { bitmap[Int(p) / 64] |= 1 << UInt64(p % 64) }
            for _ in 0..<4 {
                let p = Int(rng.next() % UInt64(Int(limit) + 1))
                bitmap[p / 64] |= 1 << UInt64(p % 64)
            }
            let expected = list.filter { $0 <= limit && bitmap[Int($0) / 64] >> UInt64($0 % 64) & 1 == 1 }.count
            let counted = bitmap.withUnsafeBufferPointer {
                cursor.countPositions(inBitmap: $0.baseAddress!, words: words, limit: limit)
            }
            #expect(counted == expected)
        }
    }
}
