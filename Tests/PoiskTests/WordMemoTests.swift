// WordMemo (the builder's word → term id memo): agrees with a Dictionary for random words of
// every length it takes, for words sharing their first 8 or 16 bytes, differing only in length,
// and across the table's growth; longer words are not remembered.

import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct WordMemoTests {
    @Test func agreesWithADictionary() {
        var rng = SplitMix64(seed: 4242)
        let memo = WordMemo(capacity: 16)  // grows many times
        var reference: [[UInt8]: Int] = [:]
        var keys: [[UInt8]] = []
        let shared16 = Array("configuration_of".utf8)
        for i in 0..<30_000 {
            var key: [UInt8]
            switch i % 4 {
            case 0: key = (0..<(1 + Int(rng.next() % 40))).map { _ in UInt8(97 + rng.next() % 26) }
            case 1: key = shared16 + (0..<Int(rng.next() % 17)).map { _ in UInt8(97 + rng.next() % 3) }
            case 2: key = Array("interrup".utf8) + (0..<Int(rng.next() % 9)).map { _ in UInt8(97 + rng.next() % 2) }
            default: key = Array("ракета".utf8).prefix(1 + Int(rng.next() % 12)).map { $0 }
            }
            let value = Int(rng.next() % 1_000_000)
            key.withUnsafeBytes { memo.insert($0, termID: value) }
            if key.count <= WordMemo.maxKeyBytes, reference[key] == nil { reference[key] = value }
            keys.append(key)
        }
        #expect(memo.count == reference.count)
        for key in keys {
            let found = key.withUnsafeBytes { memo.find($0) }
            #expect(found == reference[key], "\(key)")
        }
        // Absent keys: never remembered, and one byte off a remembered one.
        for key in keys.prefix(2_000) where !key.isEmpty {
            var other = key
            other[other.count - 1] ^= 0x40
            let found = other.withUnsafeBytes { memo.find($0) }
            #expect(found == reference[other])
            let longer = key + [0]
            #expect(longer.withUnsafeBytes { memo.find($0) } == reference[longer])
        }
        let empty: [UInt8] = []
        #expect(empty.withUnsafeBytes { memo.find($0) } == nil)
    }

    /// The memo stops growing at `maxCount` words; remembered words stay found.
    @Test func stopsGrowingAtItsLimit() {
        let memo = WordMemo(capacity: 16)
        let total = WordMemo.maxCount + 1_000
        for i in 0..<total {
            var key = Array("w\(i)".utf8)
            key.withUnsafeBytes { memo.insert($0, termID: i) }
            key.removeAll()
        }
        #expect(memo.count == WordMemo.maxCount)
        #expect(Array("w0".utf8).withUnsafeBytes { memo.find($0) } == 0)
        #expect(Array("w\(WordMemo.maxCount - 1)".utf8).withUnsafeBytes { memo.find($0) } == WordMemo.maxCount - 1)
        #expect(Array("w\(WordMemo.maxCount)".utf8).withUnsafeBytes { memo.find($0) } == nil)
        #expect(memo.allocatedBytes <= 2 * WordMemo.maxCount * 32 + (1 << 20))
    }
}
