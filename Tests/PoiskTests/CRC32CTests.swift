// Tests for CRC32C: published check values, incremental == one-shot, and a
// bit-at-a-time reference implementation on random data of every alignment.

import PoiskTestSupport
import Testing
@testable import Poisk

@Suite("CRC32C")
struct CRC32CTests {
    /// Straightforward bitwise CRC-32C, used as the reference.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.checksum([], continuing: 0x1234_5678) == 0x1234_5678)
        #expect(CRC32C.checksum(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    }

    @Test func matchesBitwiseReferenceAtEveryLengthAndAlignment() {
        var rng = BytesTestRandom(seed: 32)
        let data = rng.bytes(300)
        data.withUnsafeBytes { raw in
            for start in 0..<9 {
                for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 100, 255, 291] where start + length <= data.count {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == Self.reference(Array(data[start..<(start + length)])))
                }
            }
        }
    }

    @Test func incrementalEqualsOneShot() {
        var rng = BytesTestRandom(seed: 99)
        let data = rng.bytes(5000)
        let whole = CRC32C.checksum(data)
        for _ in 0..<50 {
            let cut1 = rng.next(below: data.count + 1)
            let cut2 = cut1 + rng.next(below: data.count - cut1 + 1)
            var crc = CRC32C.checksum(Array(data[0..<cut1]))
            crc = CRC32C.checksum(Array(data[cut1..<cut2]), continuing: crc)
            crc = CRC32C.checksum(Array(data[cut2...]), continuing: crc)
            #expect(crc == whole)
        }
        // Byte by byte.
        var crc: UInt32 = 0
        for byte in data[0..<200] { crc = CRC32C.checksum([byte], continuing: crc) }
        #expect(crc == CRC32C.checksum(Array(data[0..<200])))
    }

    @Test func detectsSingleBitFlips() {
        var rng = BytesTestRandom(seed: 5)
        var data = rng.bytes(1024)
        let original = CRC32C.checksum(data)
        for _ in 0..<100 {
            let index = rng.next(below: data.count)
            let bit = UInt8(1) << UInt8(rng.next(below: 8))
            data[index] ^= bit
            #expect(CRC32C.checksum(data) != original)
            data[index] ^= bit
        }
        #expect(CRC32C.checksum(data) == original)
    }
}
