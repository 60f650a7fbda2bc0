// The term dictionary: exact lookups (the in-place block scan) and ordered iteration.

import Testing

@testable import Poisk

@Suite struct TermDictionaryTests {
    @Test(arguments: [1, 31, 32, 33, 1000, 5000] as [Int])
    func lookupFindsExactlyTheStoredTerms(count: Int) throws {
        var rng = SplitMix64(seed: UInt64(count))
        let alphabet: [UInt8] = Array("abcdxyzабв".utf8)
        var set = Set<[UInt8]>()
        while set.count < count {
            set.insert((0..<(1 + Int(rng.next() % 8))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        }
        let terms = set.sorted { $0.lexicographicallyPrecedes($1) }
        var writer = TermDictionaryWriter(arity: 3)
        for (i, t) in terms.enumerated() { t.withUnsafeBytes { writer.add($0, values: (UInt64(i), UInt64(i * 3), UInt64(i * 7))) } }
        let bytes = writer.finish()
        try bytes.withUnsafeBytes { raw in
            let reader = try TermDictionaryReader(raw, file: "t", section: "terms")
            for (i, t) in terms.enumerated() {
                let v = try t.withUnsafeBytes { try reader.lookup($0) }
                #expect(v?.0 == UInt64(i) && v?.1 == UInt64(i * 3) && v?.2 == UInt64(i * 7))
            }
            // Absent keys: random strings, prefixes and extensions of present ones, the empty key.
            var probes: [[UInt8]] = [[]]
            for _ in 0..<2000 { probes.append((0..<(1 + Int(rng.next() % 9))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
            for t in terms.prefix(200) {
                probes.append(Array(t.dropLast()))
                probes.append(t + [0x61])
                probes.append(t + [0x00])
                probes.append([0x00] + t)
            }
            for p in probes {
                let v = try p.withUnsafeBytes { try reader.lookup($0) }
                #expect((v != nil) == set.contains(p), "\(p)")
            }
            // Ordered iteration from a key.
            var cursor = try reader.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            var seen: [[UInt8]] = []
            while try cursor.next() { seen.append(cursor.withTerm { Array($0) }) }
            #expect(seen == terms)
        }
    }
}
