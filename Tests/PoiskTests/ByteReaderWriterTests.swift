// Tests for ByteWriter / ByteReader: little-endian round trips, varint and
// zig-zag boundaries, truncation and corrupt input returning nil (never trapping).

import PoiskTestSupport
import Testing
@testable import Poisk

/// The byte-level tests' generator: the shared SplitMix64 (Tests/PoiskTestSupport).
typealias BytesTestRandom = SplitMix64

@Suite("ByteWriter and ByteReader")
struct ByteReaderWriterTests {
    @Test func fixedWidthIntegersAreLittleEndian() {
        var w = ByteWriter()
        w.writeUInt8(0xAB)
        w.writeUInt16LE(0x0102)
        w.writeUInt32LE(0x0304_0506)
        w.writeUInt64LE(0x0708_090A_0B0C_0D0E)
        #expect(w.count == 15)
        #expect(w.bytes == [0xAB, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03,
                            0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07])
        ByteReader.withReader(over: w.bytes) { r in
            #expect(r.count == 15)
            #expect(r.readUInt8() == 0xAB)
            #expect(r.readUInt16LE() == 0x0102)
            #expect(r.readUInt32LE() == 0x0304_0506)
            #expect(r.readUInt64LE() == 0x0708_090A_0B0C_0D0E)
            #expect(r.remaining == 0)
            #expect(r.isAtEnd)
            #expect(r.readUInt8() == nil)
        }
    }

    @Test func shortReadsReturnNilAndDoNotMove() {
        ByteReader.withReader(over: [1, 2, 3]) { r in
            #expect(r.readUInt32LE() == nil)
            #expect(r.readUInt64LE() == nil)
            #expect(r.offset == 0)
            #expect(r.readUInt16LE() == 0x0201)
            #expect(r.readUInt16LE() == nil)
            #expect(r.offset == 2)
            #expect(r.readBytes(count: 2) == nil)
            #expect(r.readBytes(count: -1) == nil)
            do { let result = r.skip(2); #expect(result == false) }
            do { let result = r.skip(-1); #expect(result == false) }
            #expect(r.offset == 2)
            do { let result = r.skip(1); #expect(result) }
            #expect(r.isAtEnd)
        }
        ByteReader.withReader(over: []) { r in
            #expect(r.readUInt8() == nil)
            #expect(r.readVarInt() == nil)
            #expect(r.readBytes(count: 0)?.count == 0)
            #expect(r.getUInt32LE(at: 0) == nil)
            #expect(r.remaining == 0)
        }
    }

    @Test func getDoesNotAdvanceAndChecksBounds() {
        ByteReader.withReader(over: [0x78, 0x56, 0x34, 0x12, 0xFF]) { r in
            #expect(r.getUInt32LE(at: 0) == 0x1234_5678)
            #expect(r.getUInt32LE(at: 1) == 0xFF12_3456)
            #expect(r.getUInt32LE(at: 2) == nil)
            #expect(r.getUInt32LE(at: -1) == nil)
            #expect(r.getUInt32LE(at: Int.max) == nil)
            #expect(r.getUInt32LE(at: Int.min) == nil)
            #expect(r.getUInt8(at: 4) == 0xFF)
            #expect(r.getUInt8(at: 5) == nil)
            #expect(r.getUInt16LE(at: 3) == 0xFF12)
            #expect(r.getUInt64LE(at: 0) == nil)
            #expect(r.getBytes(at: 3, count: 2).map(Array.init) == [0x12, 0xFF])
            #expect(r.getBytes(at: 4, count: Int.max) == nil)
            #expect(r.offset == 0)
            do { let result = r.seek(to: 5); #expect(result) }
            do { let result = r.seek(to: 6); #expect(result == false) }
            #expect(r.offset == 5)
        }
    }

    @Test func readBytesIsZeroCopyView() {
        ByteReader.withReader(over: Array(0..<10)) { r in
            do { let result = r.skip(3); #expect(result) }
            let view = r.readBytes(count: 4)
            #expect(view.map(Array.init) == [3, 4, 5, 6])
            #expect(r.offset == 7)
            #expect(r.remaining == 3)
        }
    }

    static let varIntCases: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (16_383, [0xFF, 0x7F]),
        (16_384, [0x80, 0x80, 0x01]),
        (1 << 32, [0x80, 0x80, 0x80, 0x80, 0x10]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varIntCases)
    func varIntEncodings(value: UInt64, expected: [UInt8]) {
        var w = ByteWriter()
        w.writeVarInt(value)
        #expect(w.bytes == expected)
        ByteReader.withReader(over: expected) { r in
            #expect(r.readVarInt() == value)
            #expect(r.isAtEnd)
        }
    }

    @Test func varIntRandomRoundTrip() {
        var rng = BytesTestRandom(seed: 1)
        var values: [UInt64] = [0, 1, 127, 128, 255, 256, 16_383, 16_384, 1 << 32, (1 << 32) - 1,
                                1 << 63, UInt64.max, UInt64.max - 1]
        for _ in 0..<2000 { values.append(rng.next() >> UInt64(rng.next(below: 64))) }
        var w = ByteWriter()
        for v in values { w.writeVarInt(v) }
        ByteReader.withReader(over: w.bytes) { r in
            for v in values { #expect(r.readVarInt() == v) }
            #expect(r.isAtEnd)
            #expect(r.readVarInt() == nil)
        }
    }

    @Test func truncatedVarIntReturnsNil() {
        var w = ByteWriter()
        w.writeVarInt(UInt64.max)
        let full = w.bytes
        for length in 0..<full.count {
            ByteReader.withReader(over: Array(full[0..<length])) { r in
                #expect(r.readVarInt() == nil)
                #expect(r.offset == 0)
            }
        }
    }

    @Test func overlongOrOverflowingVarIntReturnsNil() {
        // 11 bytes: too long.
        let tooLong: [UInt8] = Array(repeating: 0x80, count: 10) + [0x00]
        ByteReader.withReader(over: tooLong) { r in
            #expect(r.readVarInt() == nil)
            #expect(r.offset == 0)
        }
        // 10th byte carries more than the one remaining bit: overflow.
        let overflow: [UInt8] = Array(repeating: 0xFF, count: 9) + [0x02]
        ByteReader.withReader(over: overflow) { r in #expect(r.readVarInt() == nil) }
        // Non-minimal but in range: accepted.
        ByteReader.withReader(over: [0x80, 0x00]) { r in #expect(r.readVarInt() == 0) }
        ByteReader.withReader(over: [0x81, 0x80, 0x00, 0x05]) { r in
            #expect(r.readVarInt() == 1)
            #expect(r.readUInt8() == 5)
        }
    }

    @Test func readVarIntAsIntRejectsHugeValues() {
        var w = ByteWriter()
        w.writeVarInt(UInt64(Int.max))
        w.writeVarInt(UInt64(Int.max) + 1)
        ByteReader.withReader(over: w.bytes) { r in
            #expect(r.readVarIntAsInt() == Int.max)
            let before = r.offset
            #expect(r.readVarIntAsInt() == nil)
            #expect(r.offset == before)
        }
    }

    @Test func zigZag() {
        let pairs: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4),
                                        (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max)]
        for (signed, unsigned) in pairs {
            #expect(ZigZag.encode(signed) == unsigned)
            #expect(ZigZag.decode(unsigned) == signed)
        }
        var w = ByteWriter()
        let values: [Int64] = [0, -1, 1, -64, 63, -65, 64, Int64.min, Int64.max, -123_456_789]
        for v in values { w.writeZigZag(v) }
        #expect(w.bytes[0...4] == [0, 1, 2, 127, 126])
        ByteReader.withReader(over: w.bytes) { r in
            for v in values { #expect(r.readZigZag() == v) }
            #expect(r.readZigZag() == nil)
        }
    }

    @Test func writeBytesVariantsAndBackPatching() {
        var w = ByteWriter(capacity: 64)
        w.writeUInt32LE(0)  // placeholder
        w.writeBytes([1, 2, 3])
        w.writeBytes([9, 8, 7, 6][1...2])
        w.writeBytes("hi".utf8)
        [UInt8](arrayLiteral: 0xEE).withUnsafeBytes { w.writeBytes($0) }
        w.writeBytes(UnsafeRawBufferPointer(start: nil, count: 0))
        let patched = w.setUInt32LE(UInt32(w.count), at: 0)
        #expect(patched)
        #expect(w.bytes == [12, 0, 0, 0, 1, 2, 3, 8, 7, 0x68, 0x69, 0xEE])
        do { let result = w.setUInt32LE(1, at: 9); #expect(result == false) }
        do { let result = w.setUInt32LE(1, at: -1); #expect(result == false) }
        do { let result = w.setUInt64LE(1, at: 5); #expect(result == false) }
        do { let result = w.setUInt64LE(0x0102_0304_0506_0708, at: 4); #expect(result) }
        do { let result = w.setUInt8(0x55, at: 11); #expect(result) }
        do { let result = w.setUInt8(0x55, at: 12); #expect(result == false) }
        #expect(w.bytes == [12, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 0x55])
        w.truncate(to: 4)
        #expect(w.bytes == [12, 0, 0, 0])
        w.truncate(to: 100)
        #expect(w.count == 4)
        w.removeAll()
        #expect(w.isEmpty)
    }

    @Test func writeWithUnsafeMutableBytesKeepsOnlyUsedPart() {
        var w = ByteWriter()
        w.writeUInt8(1)
        let used = w.writeWithUnsafeMutableBytes(maximumCount: 10) { region in
            #expect(region.count == 10)
            region[0] = 7
            region[1] = 8
            return 2
        }
        #expect(used == 2)
        #expect(w.bytes == [1, 7, 8])
        // Over-reporting is clamped; negative sizes reserve nothing.
        #expect(w.writeWithUnsafeMutableBytes(maximumCount: 1) { _ in 5 } == 1)
        #expect(w.writeWithUnsafeMutableBytes(maximumCount: -3) { _ in 5 } == 0)
        #expect(w.count == 4)
    }
}
