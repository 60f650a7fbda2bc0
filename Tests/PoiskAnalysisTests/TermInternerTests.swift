// TermInterner: dense ids, exact byte equality (prefix/tag slots must never confuse keys),
// growth, lookups of absent keys, and memcmp ordering.

import PoiskTestSupport
import Testing

@testable import PoiskAnalysis

@Suite struct TermInternerTests {
    /// Random byte keys of 0...40 bytes over a tiny alphabet (many shared prefixes, NUL bytes,
    /// keys that differ only in length or in their last byte).
    static func randomKeys(count: Int, seed: UInt64) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        let alphabet: [UInt8] = [0, 1, 7, 8, 0x61, 0x62, 0xD0, 0xFF]
        return (0..<count).map { _ in
            let n = Int(rng.next() % 41)
            return (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        }
    }

    @Test func idsAreDenseAndStableAgainstAReferenceDictionary() {
        var interner = TermInterner(capacity: 4)  // forces many grow() calls
        var reference: [[UInt8]: Int] = [:]
        for key in Self.randomKeys(count: 20_000, seed: 42) {
            let (id, inserted) = key.withUnsafeBytes { interner.intern($0) }
            if let known = reference[key] {
                #expect(id == known)
                #expect(!inserted)
            } else {
                #expect(id == reference.count)
                #expect(inserted)
                reference[key] = id
            }
        }
        #expect(interner.count == reference.count)
        for (key, id) in reference {
            #expect(Array(interner.key(id)) == key)
            #expect(key.withUnsafeBytes { interner.lookup($0) } == id)
        }
    }

    @Test func keysThatShareTheirFirstEightBytesOrDifferOnlyInLengthStayDistinct() {
        var interner = TermInterner()
        let keys: [[UInt8]] = [
            [], [0], [0, 0], Array("abcdefgh".utf8), Array("abcdefgh\0".utf8), Array("abcdefghi".utf8),
            Array("abcdefghj".utf8), Array("abcdefg".utf8), Array("abcdefg\0".utf8),
            Array(repeating: 0x61, count: 255), Array(repeating: 0x61, count: 256),
            Array(repeating: 0x61, count: 511),
        ]
        let ids = keys.map { key in key.withUnsafeBytes { interner.intern($0).id } }
        #expect(Set(ids).count == keys.count)
        for (key, id) in zip(keys, ids) {
            #expect(key.withUnsafeBytes { interner.lookup($0) } == id)
            #expect(Array(interner.key(id)) == key)
        }
        #expect(Array("abcdefgz".utf8).withUnsafeBytes { interner.lookup($0) } == nil)
        #expect(
            Array(repeating: UInt8(0x61), count: 257).withUnsafeBytes { interner.lookup($0) } == nil)
    }

    @Test func absentKeysAreNotFound() {
        var interner = TermInterner()
        let keys = Self.randomKeys(count: 3_000, seed: 7)
        let present = Set(keys.prefix(1_500))
        for key in present { key.withUnsafeBytes { _ = interner.intern($0) } }
        for key in keys.suffix(1_500) where !present.contains(key) {
            #expect(key.withUnsafeBytes { interner.lookup($0) } == nil)
        }
    }

    @Test func sortedIDsFollowByteOrder() {
        var interner = TermInterner()
        for key in Self.randomKeys(count: 2_000, seed: 99) {
            key.withUnsafeBytes { _ = interner.intern($0) }
        }
        let sorted = interner.sortedIDs().map { Array(interner.key($0)) }
        #expect(sorted.count == interner.count)
        #expect(sorted == sorted.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// The radix passes over the 8-byte prefixes: every byte value, short and long keys, the empty
    /// key, and tables of 0, 1 and 2 keys.
    @Test func sortedIDsOverEveryByteValueAndSmallTables() {
        var rng = SplitMix64(seed: 2026)
        var interner = TermInterner()
        _ = interner.intern(UnsafeRawBufferPointer(start: nil, count: 0))
        for _ in 0..<30_000 {
            let n = Int(rng.next() % 13)
            let key = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            key.withUnsafeBytes { _ = interner.intern($0) }
        }
        let sorted = interner.sortedIDs()
        #expect(Set(sorted).count == interner.count)
        let keys = sorted.map { Array(interner.key($0)) }
        #expect(keys.first == [])
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
        for count in 0...2 {
            var small = TermInterner()
            for key in [[UInt8(0x62)], [0x61, 0x62], []].prefix(count) {
                key.withUnsafeBytes { _ = small.intern($0) }
            }
            let order = small.sortedIDs().map { Array(small.key($0)) }
            #expect(order == order.sorted { $0.lexicographicallyPrecedes($1) })
            #expect(order.count == count)
        }
    }
}
