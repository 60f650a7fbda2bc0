// Tests for LZ4Codec: round trips (empty, tiny, repetitive, random, real text,
// multi-block sizes), hand-made blocks, a block produced by the reference `lz4`
// tool (fixture), end-of-block rules of our compressor, fuzzing of corrupt
// blocks with a seeded PRNG (must fail cleanly, never crash), and decompression
// in steps (a reader that needs only a block's beginning).

import Foundation
import PoiskTestSupport
import Testing

@testable import Poisk

@Suite("LZ4Codec")
struct LZ4CodecTests {
    static func loadFixture(_ name: String) -> [UInt8]? { Fixtures.bytes(name) }

    static func compress(_ input: [UInt8], codec: inout LZ4Codec) -> [UInt8] {
        var w = ByteWriter()
        codec.compress(input, into: &w)
        return w.bytes
    }

    static func roundTrip(_ input: [UInt8], codec: inout LZ4Codec) -> [UInt8]? {
        let compressed = compress(input, codec: &codec)
        #expect(compressed.count <= LZ4Codec.maxCompressedCount(for: input.count))
        var out: [UInt8] = [0xEE]  // pre-existing content must be preserved
        guard LZ4Codec.decompress(compressed, decompressedCount: input.count, into: &out) else { return nil }
        guard out.first == 0xEE else { return nil }
        return Array(out.dropFirst())
    }

    /// Independent block walker: checks structure and the end-of-block rules.
    /// Returns (last match start, last match end, decompressed size) or nil.
    static func walk(_ block: [UInt8]) -> (lastMatchStart: Int, lastMatchEnd: Int, size: Int)? {
        var i = 0
        var produced = 0
        var lastStart = -1
        var lastEnd = -1
        func length(_ nibble: Int) -> Int? {
            var n = nibble
            guard nibble == 15 else { return n }
            while i < block.count {
                let b = Int(block[i])
                i += 1
                n += b
                if b != 255 { return n }
            }
            return nil
        }
        while i < block.count {
            let token = Int(block[i])
            i += 1
            guard let lit = length(token >> 4), i + lit <= block.count else { return nil }
            i += lit
            produced += lit
            if i == block.count { return (lastStart, lastEnd, produced) }
            guard i + 2 <= block.count else { return nil }
            let offset = Int(block[i]) | Int(block[i + 1]) << 8
            i += 2
            guard offset > 0, offset <= produced, let m = length(token & 15) else { return nil }
            lastStart = produced
            produced += m + 4
            lastEnd = produced
        }
        return nil
    }

    /// The table is never cleared between blocks (entries from earlier blocks sit below the
    /// current base): a block compresses to the same bytes whatever came before it, including
    /// when the base wraps around.
    @Test func blocksDoNotDependOnEarlierBlocks() throws {
        var rng = SplitMix64(seed: 11)
        let words = ["kernel", "memory", "page", "fault", "the", "and", "of", "driver", "irq"]
        func text(_ n: Int) -> [UInt8] {
            var out: [UInt8] = []
            while out.count < n { out += Array((words[Int(rng.next() % 9)] + " ").utf8) }
            return Array(out.prefix(n))
        }
        let blocks = [text(16_384), text(300), text(16_384), text(20), text(70_000)]
        var fresh: [[UInt8]] = []
        for b in blocks {
            var codec = LZ4Codec()
            fresh.append(Self.compress(b, codec: &codec))
        }
        var shared = LZ4Codec()
        var nearWrap = LZ4Codec(startingBase: Int(Int32.max) - 20_000)
        for (i, b) in blocks.enumerated() {
            #expect(Self.compress(b, codec: &shared) == fresh[i], "block \(i)")
            #expect(Self.compress(b, codec: &nearWrap) == fresh[i], "block \(i) near the wrap")
            var restored: [UInt8] = []
            #expect(LZ4Codec.decompress(fresh[i], decompressedCount: b.count, into: &restored))
            #expect(restored == b)
        }
    }

    /// Compression into caller memory: the same bytes as into a writer, whatever was in the
    /// memory before (the short-literal copies write past the literals), and nil when the
    /// memory is smaller than the worst case.
    @Test func compressionIntoCallerMemory() {
        var rng = SplitMix64(seed: 31)
        let words = ["irq", "of", "page", "x", "the", "memory-mapped", "é", "--"]
        for n in [0, 1, 12, 13, 17, 31, 64, 1_000, 16_384, 40_000] {
            var text: [UInt8] = []
            while text.count < n { text += Array((words[Int(rng.next() % 8)] + " ").utf8) }
            // Random bytes sprinkled in make runs of literals of every length near the end.
            for _ in 0..<(n / 10) where n > 0 { text[Int(rng.next() % UInt64(n))] = UInt8(truncatingIfNeeded: rng.next()) }
            let input = Array(text.prefix(n))
            var reference = LZ4Codec()
            let expected = Self.compress(input, codec: &reference)
            var codec = LZ4Codec()
            var memory = [UInt8](repeating: 0xA5, count: LZ4Codec.maxCompressedCount(for: n))
            let count = input.withUnsafeBytes { raw in memory.withUnsafeMutableBytes { codec.compress(raw, to: $0) } }
            #expect(count == expected.count)
            #expect(Array(memory.prefix(count ?? 0)) == expected)
            var small = [UInt8](repeating: 0, count: LZ4Codec.maxCompressedCount(for: n) - 1)
            #expect(input.withUnsafeBytes { raw in small.withUnsafeMutableBytes { codec.compress(raw, to: $0) } } == nil)
        }
    }

    @Test func emptyAndTinyInputs() {
        var codec = LZ4Codec()
        #expect(Self.compress([], codec: &codec) == [0x00])
        #expect(Self.roundTrip([], codec: &codec) == [])
        #expect(Self.compress([0x41], codec: &codec) == [0x10, 0x41])
        #expect(Self.roundTrip([0x41], codec: &codec) == [0x41])
        for n in 1...40 {
            let input = [UInt8](repeating: 0x61, count: n)
            #expect(Self.roundTrip(input, codec: &codec) == input)
        }
        // Empty input decodes from a lone zero token or from nothing.
        var out: [UInt8] = []
        #expect(LZ4Codec.decompress([0x00], decompressedCount: 0, into: &out))
        #expect(LZ4Codec.decompress([], decompressedCount: 0, into: &out))
        #expect(out.isEmpty)
    }

    @Test func repetitiveInputCompressesWell() {
        var codec = LZ4Codec()
        let zeros = [UInt8](repeating: 0, count: 100_000)
        let compressed = Self.compress(zeros, codec: &codec)
        #expect(compressed.count < 600)
        #expect(Self.roundTrip(zeros, codec: &codec) == zeros)

        let pattern = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 7 + 3 * ($0 % 3)) }
        #expect(Self.compress(pattern, codec: &codec).count < 2000)
        #expect(Self.roundTrip(pattern, codec: &codec) == pattern)
        // Short-period overlapping matches (offsets 1…9).
        for period in 1...9 {
            let input = (0..<1000).map { UInt8(truncatingIfNeeded: ($0 % period) * 31 + 1) }
            #expect(Self.roundTrip(input, codec: &codec) == input)
        }
    }

    @Test func randomInputIsIncompressibleButRoundTrips() {
        var codec = LZ4Codec()
        var rng = BytesTestRandom(seed: 2024)
        for size in [13, 100, 4096, 70_000, 300_000] {
            let input = rng.bytes(size)
            let compressed = Self.compress(input, codec: &codec)
            #expect(compressed.count >= size)
            #expect(compressed.count <= LZ4Codec.maxCompressedCount(for: size))
            #expect(Self.roundTrip(input, codec: &codec) == input)
        }
    }

    @Test func mixedRandomAndRepeatsBeyondMaxOffset() {
        // Repeats at distances > 65535 must not be referenced; nearer ones are.
        var rng = BytesTestRandom(seed: 7)
        let chunk = rng.bytes(5000)
        var input: [UInt8] = []
        for i in 0..<40 {
            input += chunk
            input += rng.bytes(i % 2 == 0 ? 70_000 : 100)
        }
        var codec = LZ4Codec()
        #expect(Self.roundTrip(input, codec: &codec) == input)
    }

    @Test func realTextRoundTripAndRatio() throws {
        let text = try #require(Self.loadFixture("lz4-sample.txt"))
        #expect(text.count > 4000)
        var codec = LZ4Codec()
        let compressed = Self.compress(text, codec: &codec)
        #expect(compressed.count < text.count * 3 / 4)
        #expect(Self.roundTrip(text, codec: &codec) == text)
        // Many block sizes, reusing one codec (scratch table must be reset each time).
        var repeated: [UInt8] = []
        for _ in 0..<20 { repeated += text }
        for blockSize in [1, 12, 13, 17, 64, 1000, 4096, 16_384, 65_536, repeated.count] {
            var start = 0
            while start < repeated.count {
                let end = min(repeated.count, start + blockSize)
                let block = Array(repeated[start..<end])
                #expect(Self.roundTrip(block, codec: &codec) == block)
                start = end + blockSize * 3  // sample, keep the test fast
            }
        }
    }

    @Test func compressorObeysEndOfBlockRules() throws {
        let text = try #require(Self.loadFixture("lz4-sample.txt"))
        var codec = LZ4Codec()
        var rng = BytesTestRandom(seed: 11)
        let inputs: [[UInt8]] = [
            text, [UInt8](repeating: 9, count: 5000), [UInt8](repeating: 9, count: 13),
            Array(text.prefix(20)), rng.bytes(50) + rng.bytes(0),
        ]
        for input in inputs {
            let block = Self.compress(input, codec: &codec)
            let info = try #require(Self.walk(block))
            #expect(info.size == input.count)
            if info.lastMatchStart >= 0 {
                #expect(info.lastMatchStart <= input.count - 12)
                #expect(info.lastMatchEnd <= input.count - 5)
            }
        }
    }

    @Test func decodesHandMadeBlocks() {
        // "ab" + match(offset 2, length 6) + last literals "xyzwv".
        let block: [UInt8] = [0x22, 0x61, 0x62, 0x02, 0x00, 0x50, 0x78, 0x79, 0x7A, 0x77, 0x76]
        var out: [UInt8] = []
        #expect(LZ4Codec.decompress(block, decompressedCount: 13, into: &out))
        #expect(out == Array("ababababxyzwv".utf8))
        // Extended lengths: 20 literals (15 + 5), then a 1-byte-offset match of 4 + 15 + 255 + 1 = 275.
        let literals = [UInt8](repeating: 0x7A, count: 20)
        let ext: [UInt8] = [0xFF, 0x05] + literals + [0x01, 0x00] + [0xFF, 0x01] + [0x00]
        out = []
        #expect(LZ4Codec.decompress(ext, decompressedCount: 20 + 275, into: &out))
        #expect(out == [UInt8](repeating: 0x7A, count: 295))
        // Wrong expected size fails and leaves output untouched.
        out = [1, 2]
        #expect(LZ4Codec.decompress(block, decompressedCount: 12, into: &out) == false)
        #expect(LZ4Codec.decompress(block, decompressedCount: 14, into: &out) == false)
        #expect(out == [1, 2])
    }

    @Test func decodesBlockFromReferenceTool() throws {
        // lz4-sample.lz4block: the single raw block of `lz4 -9 --no-frame-crc` applied
        // to lz4-sample.txt, frame header stripped.
        let text = try #require(Self.loadFixture("lz4-sample.txt"))
        let block = try #require(Self.loadFixture("lz4-sample.lz4block"))
        var out: [UInt8] = []
        #expect(LZ4Codec.decompress(block, decompressedCount: text.count, into: &out))
        #expect(out == text)
    }

    @Test func rejectsCorruptBlocks() {
        var out: [UInt8] = []
        let cases: [([UInt8], Int)] = [
            ([0x10], 1),  // literal run past the end
            ([0xF0], 15),  // missing length extension
            ([0xF0, 0xFF], 300),  // extension never terminates
            ([0x14, 0x61], 5),  // missing offset
            ([0x14, 0x61, 0x01], 5),  // half an offset
            ([0x14, 0x61, 0x00, 0x00, 0x00], 9),  // offset 0
            ([0x14, 0x61, 0x02, 0x00, 0x00], 9),  // offset beyond output start
            ([0x10, 0x61, 0x01, 0x00], 5),  // ends after a match (no last literals)
            ([0x00, 0x00], 0),  // trailing garbage after an empty block
            ([0x10, 0x61], -1),  // negative size
            ([0x10, 0x61], 1 << 40),  // absurd size for 2 input bytes
            ([0x1F, 0x61, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0x10, 0x00], 100),  // match overruns output
        ]
        for (block, size) in cases {
            #expect(LZ4Codec.decompress(block, decompressedCount: size, into: &out) == false, "\(block)")
            #expect(out.isEmpty)
        }
        // Raw API: output too small.
        let good: [UInt8] = [0x22, 0x61, 0x62, 0x02, 0x00, 0x50, 0x78, 0x79, 0x7A, 0x77, 0x76]
        var small = [UInt8](repeating: 0, count: 12)
        let result = good.withUnsafeBytes { input in
            small.withUnsafeMutableBytes { LZ4Codec.decompress(input, into: $0) }
        }
        #expect(result == nil)
    }

    @Test func fuzzCorruptedBlocksNeverCrash() throws {
        let text = try #require(Self.loadFixture("lz4-sample.txt"))
        var rng = BytesTestRandom(seed: 0xF022)
        var codec = LZ4Codec()
        var sources: [[UInt8]] = [text, Array(text.prefix(300)), [UInt8](repeating: 1, count: 1000)]
        sources.append(rng.bytes(500))
        for source in sources {
            let compressed = Self.compress(source, codec: &codec)
            for _ in 0..<400 {
                var mutated = compressed
                switch rng.next(below: 4) {
                case 0:  // flip a few bytes
                    for _ in 0...rng.next(below: 4) {
                        mutated[rng.next(below: mutated.count)] = UInt8(truncatingIfNeeded: rng.next())
                    }
                case 1:  // truncate
                    mutated = Array(mutated.prefix(rng.next(below: mutated.count)))
                case 2:  // insert random bytes
                    let at = rng.next(below: mutated.count + 1)
                    mutated.insert(contentsOf: rng.bytes(1 + rng.next(below: 8)), at: at)
                default:  // delete a range
                    let at = rng.next(below: mutated.count)
                    mutated.removeSubrange(at..<min(mutated.count, at + 1 + rng.next(below: 8)))
                }
                let sizes = [source.count, source.count + rng.next(below: 100), rng.next(below: source.count + 1)]
                for size in sizes {
                    var out: [UInt8] = []
                    if LZ4Codec.decompress(mutated, decompressedCount: size, into: &out) {
                        #expect(out.count == size)
                    } else {
                        #expect(out.isEmpty)
                    }
                }
            }
        }
        // Pure noise as input.
        for _ in 0..<500 {
            let noise = rng.bytes(rng.next(below: 64))
            var out: [UInt8] = []
            _ = LZ4Codec.decompress(noise, decompressedCount: rng.next(below: 2000), into: &out)
            #expect(out.count <= 2000)
        }
    }

    @Test func lz4BlocksDecompressInSteps() throws {
        var rng = SplitMix64(seed: 3)
        var codec = LZ4Codec()
        for round in 0..<40 {
            let words = ["kernel ", "driver ", "память ", "内核", "aaaaaaaa", "\n", "x"]
            var input: [UInt8] = []
            while input.count < 200 + round * 700 { input += Array(words[rng.next(below: words.count)].utf8) }
            if round % 5 == 0 { input += rng.bytes(300) }
            var compressed = ByteWriter()
            codec.compress(input, into: &compressed)
            let output = UnsafeMutableRawBufferPointer.allocate(byteCount: input.count, alignment: 8)
            defer { output.deallocate() }
            var progress = LZ4Codec.Progress()
            try compressed.withUnsafeBytes { block in
                var target = 0
                while !progress.finished {
                    target += 1 + rng.next(below: 200)
                    #expect(LZ4Codec.decompress(block, into: output, progress: &progress, until: target))
                    #expect(progress.output >= min(target, input.count))
                    #expect(Array(UnsafeRawBufferPointer(rebasing: output[..<progress.output])) == Array(input[..<progress.output]))
                    try #require(progress.output <= input.count)
                }
            }
            #expect(progress.output == input.count)
        }
    }
}
