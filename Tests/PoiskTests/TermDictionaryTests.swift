// The term dictionary: exact lookups (the in-place block scan) and ordered iteration.

import PoiskTestSupport
import Testing

@testable import Poisk

@Suite struct TermDictionaryTests {
    /// Every block size (fields write 16, id maps 32) and term count around block boundaries.
    @Test(arguments: [1, 15, 16, 17, 31, 32, 33, 1000, 5000] as [Int], [3, 16, 32] as [Int])
    func lookupFindsExactlyTheStoredTerms(count: Int, blockSize: Int) throws {
        var rng = SplitMix64(seed: UInt64(count))
        let alphabet: [UInt8] = Array("abcdxyzабв".utf8)
        var set = Set<[UInt8]>()
        while set.count < count {
            set.insert((0..<(1 + Int(rng.next() % 8))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        }
        let terms = set.sorted { $0.lexicographicallyPrecedes($1) }
        var writer = TermDictionaryWriter(arity: 3, blockSize: blockSize)
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
            for _ in 0..<2000 {
                probes.append((0..<(1 + Int(rng.next() % 9))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            }
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

    /// Format 2 singletons (docFreq 0 marks a term kept with its one document and position)
    /// mixed with ordinary terms in every arrangement: first in a block, runs of them, whole
    /// blocks of them. Offsets of ordinary terms are delta-coded across the singletons.
    @Test(arguments: [1, 32, 33, 100, 3000] as [Int])
    func singletonsMixWithOrdinaryTerms(count: Int) throws {
        var rng = SplitMix64(seed: 900 + UInt64(count))
        let terms = (0..<count).map { Array("term\(100_000 + $0)".utf8) }
        var expected: [TermInfo] = []
        var writer = TermDictionaryWriter(arity: 3)
        var offset = (postings: 0, positions: 0)
        for (i, t) in terms.enumerated() {
            // Runs: blocks 2 and 3 are all singletons, elsewhere a random mix.
            let singleton = (64..<128).contains(i) || rng.next() % 3 == 0
            if singleton {
                let s = SingletonPosting(doc: UInt32(rng.next() % 1_000_000), position: UInt32(rng.next() % 70_000))
                t.withUnsafeBytes { writer.addSingleton($0, doc: s.doc, position: s.position) }
                expected.append(TermInfo(docFreq: 1, postingsOffset: 0, positionsOffset: 0, singleton: s))
            } else {
                offset.postings += 1 + Int(rng.next() % 500)
                offset.positions += 1 + Int(rng.next() % 5_000)
                let df = 1 + Int(rng.next() % 300)
                t.withUnsafeBytes {
                    writer.add($0, values: (UInt64(df), UInt64(offset.postings), UInt64(offset.positions)))
                }
                expected.append(TermInfo(docFreq: df, postingsOffset: offset.postings, positionsOffset: offset.positions))
            }
        }
        let bytes = writer.finish()
        try bytes.withUnsafeBytes { raw in
            let reader = try TermDictionaryReader(raw, file: "t", section: "terms", singletons: true)
            for (i, t) in terms.enumerated() {
                let info = try t.withUnsafeBytes { try reader.lookupInfo($0) }
                #expect(info == expected[i], "term \(i)")
            }
            #expect(try Array("term0".utf8).withUnsafeBytes { try reader.lookupInfo($0) } == nil)
            var cursor = try reader.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
            var i = 0
            while try cursor.next() {
                #expect(cursor.info == expected[i], "term \(i)")
                i += 1
            }
            #expect(i == terms.count)
            // From a key in the middle: the seek lands on the right entry and values.
            if count > 40 {
                var mid = try terms[40].withUnsafeBytes { try reader.cursor(from: $0) }
                #expect(try mid.next())
                #expect(mid.info == expected[40])
            }
        }
    }

    /// Format 3 reads each block's first key from the block's first entry, which must start
    /// with a prefix length of 0: anything else, or a first entry running past the end, is damage
    /// reported when the dictionary is opened.
    @Test func aDamagedFirstEntryIsReportedAtOpen() throws {
        var writer = TermDictionaryWriter(arity: 3)
        for i in 0..<40 { Array("word\(1000 + i)".utf8).withUnsafeBytes { writer.add($0, values: (1, UInt64(i), UInt64(i))) } }
        let bytes = writer.finish()
        // Header (16 bytes), then 3 block offsets; block 1 starts at data offset bytes[20...23].
        let blockCount = Int(bytes[4])
        #expect(blockCount == 3)
        let dataStart = 16 + 4 * blockCount
        let second = dataStart + Int(bytes[20]) + Int(bytes[21]) << 8
        var prefixed = bytes
        prefixed[second] = 1
        var longKey = bytes
        longKey[second + 1] = 0x7F
        longKey.removeLast(longKey.count - second - 20)
        for damaged in [prefixed, longKey] {
            let opened = damaged.withUnsafeBytes { raw in
                Result { try TermDictionaryReader(raw, file: "t", section: "terms") }
            }
            #expect(throws: PoiskError.self) { try opened.get() }
        }
    }
}
