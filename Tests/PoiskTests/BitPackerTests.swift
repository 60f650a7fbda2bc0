// Tests for BitPacker: round trips at every width 0…32, the documented bit
// layout, size accounting, bounds-checked reading and delta helpers.

import PoiskTestSupport
import Testing
@testable import Poisk

@Suite("BitPacker")
struct BitPackerTests {
    static func randomBlock(width: Int, rng: inout BytesTestRandom) -> [UInt32] {
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (UInt64(1) << UInt64(width)) - 1
        return (0..<128).map { _ in UInt32(truncatingIfNeeded: rng.next() & mask) }
    }

    static func unpackAll(_ bytes: [UInt8], width: Int) -> [UInt32]? {
        var out = [UInt32](repeating: 0xDEAD_BEEF, count: 128)
        let ok = ByteReader.withReader(over: bytes) { reader in
            out.withUnsafeMutableBufferPointer { buffer -> Bool in
                guard let base = buffer.baseAddress else { return false }
                return BitPacker.unpack(from: &reader, bitWidth: width, into: base) && reader.isAtEnd
            }
        }
        return ok ? out : nil
    }

    @Test func bitWidthForValues() {
        #expect(BitPacker.bitWidth(for: 0) == 0)
        #expect(BitPacker.bitWidth(for: 1) == 1)
        #expect(BitPacker.bitWidth(for: 2) == 2)
        #expect(BitPacker.bitWidth(for: 255) == 8)
        #expect(BitPacker.bitWidth(for: 256) == 9)
        #expect(BitPacker.bitWidth(for: UInt32.max) == 32)
        let values: [UInt32] = [3, 0, 17, 5]
        values.withUnsafeBufferPointer { b in
            if let base = b.baseAddress {
                #expect(BitPacker.bitWidth(forValues: base, count: 4) == 5)
                #expect(BitPacker.bitWidth(forValues: base, count: 0) == 0)
            }
        }
        #expect(BitPacker.byteCount(bitWidth: 7) == 112)
    }

    @Test(arguments: 0...32)
    func roundTripEveryWidth(width: Int) {
        var rng = BytesTestRandom(seed: UInt64(1000 + width))
        for trial in 0..<20 {
            var values = Self.randomBlock(width: width, rng: &rng)
            if trial == 0 && width > 0 {
                // All-ones at this width (maximum values) in the first trial.
                let maxValue: UInt32 = width == 32 ? .max : (1 << UInt32(width)) - 1
                values = [UInt32](repeating: maxValue, count: 128)
            }
            var w = ByteWriter()
            w.writeUInt8(0xA5)  // unaligned start
            #expect(BitPacker.pack(values, bitWidth: width, into: &w))
            #expect(w.count == 1 + 16 * width)
            let packed = Array(w.bytes.dropFirst())
            #expect(Self.unpackAll(packed, width: width) == values)
            // Raw entry point at an odd address.
            var out = [UInt32](repeating: 1, count: 128)
            w.bytes.withUnsafeBytes { raw in
                out.withUnsafeMutableBufferPointer { o in
                    if let src = raw.baseAddress, let dst = o.baseAddress {
                        BitPacker.unpack(from: src + 1, bitWidth: width, into: dst)
                    }
                }
            }
            #expect(out == values)
        }
    }

    @Test func layoutIsLittleEndianBitStream() {
        // Width 3: value i at bits [3i, 3i+3). values 1,2,3,4,... (mod 8)
        let values = (0..<128).map { UInt32($0 % 8) }
        var w = ByteWriter()
        BitPacker.pack(values, bitWidth: 3, into: &w)
        // Reference packing, bit by bit.
        var expected = [UInt8](repeating: 0, count: 48)
        for (i, v) in values.enumerated() {
            for b in 0..<3 where (v >> UInt32(b)) & 1 == 1 {
                let bit = i * 3 + b
                expected[bit / 8] |= 1 << UInt8(bit % 8)
            }
        }
        #expect(w.bytes == expected)
        // First byte: v0=0 (bits 0-2), v1=1 (bits 3-5), v2=2 → bits 6-8 = 0b010 → bit 7 set.
        #expect(w.bytes[0] == 0b1000_1000)

        // Width 32 is plain UInt32LE.
        var w32 = ByteWriter()
        let big = (0..<128).map { UInt32($0) &* 0x0101_0101 }
        BitPacker.pack(big, bitWidth: 32, into: &w32)
        #expect(Array(w32.bytes[4..<8]) == [1, 1, 1, 1])
    }

    @Test func valuesWiderThanWidthAreMasked() {
        let values = [UInt32](repeating: 0xFFFF_FFFF, count: 128)
        var w = ByteWriter()
        BitPacker.pack(values, bitWidth: 4, into: &w)
        #expect(w.count == 64)
        #expect(Self.unpackAll(w.bytes, width: 4) == [UInt32](repeating: 15, count: 128))
    }

    @Test func rejectsBadInput() {
        var w = ByteWriter()
        #expect(BitPacker.pack([1, 2, 3], bitWidth: 2, into: &w) == false)
        #expect(BitPacker.pack([UInt32](repeating: 0, count: 128), bitWidth: 33, into: &w) == false)
        #expect(BitPacker.pack([UInt32](repeating: 0, count: 128), bitWidth: -1, into: &w) == false)
        #expect(w.isEmpty)

        var out = [UInt32](repeating: 7, count: 128)
        let short = [UInt8](repeating: 0, count: 16 * 5 - 1)
        ByteReader.withReader(over: short) { reader in
            out.withUnsafeMutableBufferPointer { o in
                if let base = o.baseAddress {
                    #expect(BitPacker.unpack(from: &reader, bitWidth: 5, into: base) == false)
                    #expect(BitPacker.unpack(from: &reader, bitWidth: 33, into: base) == false)
                    #expect(BitPacker.unpack(from: &reader, bitWidth: -4, into: base) == false)
                    #expect(reader.offset == 0)
                    #expect(BitPacker.unpack(from: &reader, bitWidth: 4, into: base))
                    #expect(reader.offset == 64)
                }
            }
        }
        // Width 0 needs no bytes and yields zeros, even from an empty region.
        #expect(Self.unpackAll([], width: 0) == [UInt32](repeating: 0, count: 128))
    }

    @Test func deltaRoundTrip() {
        var rng = BytesTestRandom(seed: 77)
        var docIDs: [UInt32] = []
        var current: UInt32 = 5
        for _ in 0..<300 {
            current += UInt32(1 + rng.next(below: 1000))
            docIDs.append(current)
        }
        var gaps = docIDs
        let last = gaps.withUnsafeMutableBufferPointer { b -> UInt32 in
            guard let base = b.baseAddress else { return 0 }
            let afterFirst = BitPacker.encodeDeltas(base, count: 128, previous: 5)
            return BitPacker.encodeDeltas(base + 128, count: 172, previous: afterFirst)
        }
        #expect(last == docIDs[299])
        #expect(gaps[0] == docIDs[0] - 5)
        #expect(gaps[1] == docIDs[1] - docIDs[0])
        #expect(gaps[200] == docIDs[200] - docIDs[199])
        #expect(gaps.allSatisfy { $0 >= 1 && $0 <= 1000 })
        // Gaps pack into 10 bits.
        let width = gaps.withUnsafeBufferPointer { b in
            b.baseAddress.map { BitPacker.bitWidth(forValues: $0, count: 128) } ?? -1
        }
        #expect(width <= 10)

        let decodedLast = gaps.withUnsafeMutableBufferPointer { b -> UInt32 in
            guard let base = b.baseAddress else { return 0 }
            let mid = BitPacker.decodeDeltas(base, count: 128, previous: 5)
            return BitPacker.decodeDeltas(base + 128, count: 172, previous: mid)
        }
        #expect(decodedLast == docIDs[299])
        #expect(gaps == docIDs)

        // Unsorted input wraps instead of trapping and still round-trips.
        var unsorted: [UInt32] = [10, 3, UInt32.max, 0]
        unsorted.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            BitPacker.encodeDeltas(base, count: 4, previous: 20)
            BitPacker.decodeDeltas(base, count: 4, previous: 20)
        }
        #expect(unsorted == [10, 3, UInt32.max, 0])
        // Empty ranges.
        unsorted.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            #expect(BitPacker.encodeDeltas(base, count: 0, previous: 9) == 9)
            #expect(BitPacker.decodeDeltas(base, count: -1, previous: 9) == 9)
        }
    }
}
