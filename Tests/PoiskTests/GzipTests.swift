// The IEEE CRC-32, the DEFLATE decoder (`Inflate`) and the gzip reader (`Gzip`).
//
// Fixtures: Tests/Fixtures/gzip/, written by Scripts/gen-gzip-fixtures.py (Python's gzip and
// zlib modules at every level and strategy, the gzip binary, hand-made headers, damaged files)
// and listed in its manifest.tsv with the expected output or error. Raw DEFLATE streams are
// also built here by a small test-only encoder (stored, fixed and dynamic blocks with
// seeded random code lengths), so the decoder meets code shapes zlib never writes: codes up to
// 15 bits, a single distance code, no distance code, incomplete and over-subscribed codes.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct GzipTests {
    static let directory = Fixtures.fixtures.appendingPathComponent("gzip")

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// The manifest: (file, expected) where expected is a plain file, `NAME*K`, `-` or `error:TEXT`.
    static func manifest() throws -> [(file: String, expected: String)] {
        let text = try String(contentsOf: directory.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    static func expectedOutput(_ spec: String) throws -> Data {
        if spec == "-" { return Data() }
        let parts = spec.split(separator: "*")
        let plain = try fixture(String(parts[0]))
        let times = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
        return Data(repeatElement(plain, count: times).joined())
    }

    /// The outcome of decoding: the output, or the reason of the `PoiskError.io`.
    enum Decoded: Equatable {
        case success([UInt8])
        case failure(String)

        var failureReason: String? {
            if case .failure(let reason) = self { return reason }
            return nil
        }
    }

    /// Decodes a gzip file, returning the output or the `PoiskError.io` reason.
    static func gunzip(_ bytes: [UInt8]) -> Decoded {
        do {
            let data = try bytes.withUnsafeBytes { try Gzip.decompress($0, name: "test.gz") }
            return .success([UInt8](data))
        } catch PoiskError.io(let path, let reason) {
            return path == "test.gz" ? .failure(reason) : .failure("wrong path \(path): \(reason)")
        } catch {
            return .failure("not an io error: \(error)")
        }
    }

    /// Decodes a raw DEFLATE stream, returning the output or the `PoiskError.io` reason.
    static func inflate(_ bytes: [UInt8]) -> Decoded {
        do {
            let data = try bytes.withUnsafeBytes { try Inflate.decompress($0, name: "raw") }
            return .success([UInt8](data))
        } catch PoiskError.io(_, let reason) {
            return .failure(reason)
        } catch {
            return .failure("not an io error: \(error)")
        }
    }

    // MARK: - CRC-32

    /// A bit-at-a-time reference CRC-32.
    static func referenceCRC(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func randomBytes(seed: UInt64, count: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    @Test func crc32KnownVectors() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        // Python: zlib.crc32(bytes(SplitMix64(seed).next() & 0xFF for _ in range(n)))
        #expect(CRC32.checksum(Self.randomBytes(seed: 42, count: 1000)) == 0x1759_9B49)
        #expect(CRC32.checksum(Self.randomBytes(seed: 7, count: 65537)) == 0xD653_1512)
        #expect(CRC32.checksum(Self.randomBytes(seed: 2026, count: 1)) == 0x7065_9EFF)
    }

    @Test func crc32MatchesTheBitwiseReferenceAtEveryLengthAndOffset() {
        let bytes = Self.randomBytes(seed: 99, count: 300)
        for start in 0..<17 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                let slice = Array(bytes[start..<end])
                #expect(CRC32.checksum(slice) == Self.referenceCRC(slice))
            }
        }
        // In pieces.
        let whole = CRC32.checksum(bytes)
        for cut in [0, 1, 15, 16, 17, 150, 299, 300] {
            let first = CRC32.checksum(Array(bytes[..<cut]))
            #expect(CRC32.checksum(Array(bytes[cut...]), continuing: first) == whole)
        }
    }

    // MARK: - Fixtures

    @Test func everyManifestFixtureDecodesOrFailsAsExpected() throws {
        let entries = try Self.manifest()
        #expect(entries.count >= 50)
        for (file, expected) in entries {
            let bytes = [UInt8](try Self.fixture(file))
            let result = Self.gunzip(bytes)
            if expected.hasPrefix("error:") {
                let text = String(expected.dropFirst("error:".count))
                switch result {
                case .success: Issue.record("\(file) was decoded, expected an error containing '\(text)'")
                case .failure(let reason):
                    #expect(reason.contains(text), "\(file): \(reason)")
                    // DocumentLoader's callers see these; every one names gzip.
                    #expect(reason.contains("gzip"), "\(file): \(reason)")
                }
            } else {
                let want = [UInt8](try Self.expectedOutput(expected))
                switch result {
                case .success(let got): #expect(got == want, "\(file): \(got.count) bytes, expected \(want.count)")
                case .failure(let reason): Issue.record("\(file): \(reason)")
                }
            }
        }
    }

    @Test func theDocumentLoaderFixtureDecodes() throws {
        let data = try Self.fixture("../gzip-3000.jsonl.gz")
        let output = try Gzip.decompress(data, name: "gzip-3000.jsonl.gz")
        #expect(output.count == 589_170)
        #expect(output.first == UInt8(ascii: "{"))
        #expect(output.last == UInt8(ascii: "\n"))
        // Decoding is deterministic and the Data outlives the decoder's buffers.
        #expect(try Gzip.decompress(data, name: "again") == output)
    }

    @Test func readFileDecodesGzipWithoutAProcess() throws {
        let path = Self.directory.appendingPathComponent("text.four-members.gz").path
        #expect(try DocumentLoader.readFile(path) == (try Self.fixture("text.txt")))
    }

    @Test func everyProperPrefixOfAMemberIsTruncated() throws {
        for file in ["text.all-header-fields.gz", "repetitive.L9.gz", "one.L0.gz", "empty.L1.gz", "random.L9.gz"] {
            let bytes = [UInt8](try Self.fixture(file))
            let step = bytes.count > 600 ? 13 : 1
            for cut in stride(from: 1, to: bytes.count, by: step) {
                switch Self.gunzip(Array(bytes[..<cut])) {
                case .success: Issue.record("\(file) cut at \(cut) was decoded")
                case .failure(let reason):
                    #expect(reason.contains("truncated gzip data"), "\(file) cut at \(cut): \(reason)")
                }
            }
        }
    }

    @Test func everySingleBitFlipFailsOrChangesNothing() throws {
        let plain = [UInt8](try Self.fixture("text.txt").prefix(700))
        let bytes = [UInt8](try Gzip.compressedForTests(plain))
        for bit in 0..<(bytes.count * 8) {
            var damaged = bytes
            damaged[bit / 8] ^= UInt8(1 << (bit % 8))
            // MTIME, XFL and OS (bytes 4-9) and the padding bits after the last block are not
            // checked; every other flip must be caught.
            if case .success(let output) = Self.gunzip(damaged) {
                #expect(output == plain, "flip of bit \(bit) gave different output")
            }
        }
    }

    @Test func outputGrowsPastAWrongSizeHint() throws {
        // The last member's ISIZE sizes the output: here 1 byte, for 16,001 bytes of output.
        // Then a member whose ISIZE claims 2 GiB: the hint is not trusted, the size is checked.
        let text = [UInt8](try Self.fixture("text.txt"))
        let small = [UInt8](try Self.fixture("one.L9.gz"))
        let big = [UInt8](try Self.fixture("text.L6.gz"))
        #expect(Self.gunzip(big + small) == .success(text + [UInt8(ascii: "x")]))
        var lying = big
        lying.replaceSubrange((lying.count - 4)..., with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(Self.gunzip(lying).failureReason?.contains("ISIZE mismatch") == true)
    }

    /// FuzzGzip's seed corpus (a mode byte, then a gzip file or a raw DEFLATE stream; see
    /// Fuzz/FuzzGzip) replays here too: the valid seeds decode and the damaged ones fail. A crash
    /// input found by fuzzing belongs in that folder, so this test keeps it fixed.
    @Test func fuzzSeedCorpusReplays() throws {
        let folder = Fixtures.root.appendingPathComponent("Tests/FuzzCorpus/FuzzGzip")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 10)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            guard let mode = bytes.first else { continue }
            let body = Array(bytes.dropFirst())
            let result = mode % 2 == 0 ? Self.gunzip(body) : Self.inflate(body)
            let damaged = ["truncated", "bad", "garbage", "type-3"].contains { name.contains($0) }
            #expect((result.failureReason != nil) == damaged, "\(name): \(result.failureReason ?? "decoded")")
        }
    }

    // MARK: - Raw DEFLATE built by the test encoder

    @Test(arguments: 0..<40)
    func randomStreamsOfEveryBlockTypeDecode(_ seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 0x1234_5678 &+ 1)
        let (stream, expected) = TestDeflater.randomStream(&rng)
        let result = Self.inflate(stream)
        #expect(result == .success(expected), "seed \(seed): \(result.failureReason ?? "wrong output")")
        // Every proper prefix is reported as truncated (for a few seeds: it is quadratic).
        if seed < 4 {
            for cut in stride(from: 0, to: stream.count, by: max(1, stream.count / 200)) {
                let reason = Self.inflate(Array(stream[..<cut])).failureReason
                #expect(reason?.contains("truncated DEFLATE data") == true, "seed \(seed) cut \(cut): \(reason ?? "decoded")")
            }
        }
    }

    @Test func aSingleDistanceCodeOfOneBitIsAccepted() {
        // One distance symbol (4: distances 5-6) with a 1-bit code, as RFC 1951 allows.
        var w = TestDeflater.BitWriter()
        var lit = [Int](repeating: 0, count: 286)
        for s in 0..<256 { lit[s] = 9 }  // 256 × 2^-9 = 1/2 …
        lit[256] = 2  // … + 1/4
        lit[257] = 3  // length 3   + 1/8
        lit[258] = 3  // length 4   + 1/8 = 1
        var dist = [Int](repeating: 0, count: 5)
        dist[4] = 1
        w.write(1, 1)
        w.write(2, 2)
        TestDeflater.writeDynamicHeader(&w, literalLengths: lit, distanceLengths: dist)
        let litCodes = TestDeflater.canonicalCodes(lit)
        let distCodes = TestDeflater.canonicalCodes(dist)
        for byte in Array("abcdef".utf8) { w.writeCode(litCodes[Int(byte)], lit[Int(byte)]) }
        w.writeCode(litCodes[258], lit[258])  // length 4
        w.writeCode(distCodes[4], 1)
        w.write(1, 1)  // extra bit: distance 6
        w.writeCode(litCodes[256], lit[256])
        #expect(Self.inflate(w.finish()) == .success(Array("abcdefabcd".utf8)))
    }

    @Test func damagedRawStreamsAreReported() {
        func dynamic(_ lit: [Int], _ dist: [Int], rawCodeLengths: [Int]? = nil) -> [UInt8] {
            var w = TestDeflater.BitWriter()
            w.write(1, 1)
            w.write(2, 2)
            TestDeflater.writeDynamicHeader(&w, literalLengths: lit, distanceLengths: dist, rawSymbols: rawCodeLengths)
            w.write(0, 32)  // something to decode
            return w.finish()
        }
        var good = [Int](repeating: 9, count: 286)
        for s in 0..<226 { good[s] = 8 }  // 226/256 + 60/512 = 1: a complete code
        let dist = [Int](repeating: 5, count: 30) + [5, 5]
        let cases: [(String, [UInt8], String)] = [
            ("block type 3", [0x07, 0, 0, 0], "invalid block type 3"),
            ("stored NLEN", [0x01, 0x05, 0x00, 0xFA, 0xEF, 1, 2, 3, 4, 5], "stored block length does not match"),
            ("stored short", [0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2], "truncated DEFLATE data"),
            ("empty", [], "truncated DEFLATE data"),
            (
                "over-subscribed literal code", dynamic([Int](repeating: 1, count: 286), [1]),
                "over-subscribed literal/length code"
            ),
            ("incomplete literal code", dynamic([Int](repeating: 9, count: 286), [1]), "incomplete literal/length code"),
            ("no end of block", dynamic(good.enumerated().map { $0.offset == 256 ? 0 : $0.element }, [1]), "no end-of-block code"),
            ("incomplete distance code", dynamic(good, [2]), "incomplete distance code"),
            ("over-subscribed distance code", dynamic(good, [1, 1, 1]), "over-subscribed distance code"),
            ("too many distance codes", dynamic(good, dist), "too many literal/length or distance codes"),
            ("repeat first", dynamic(good, [1], rawCodeLengths: [16, 0]), "a repeat with no previous length"),
            (
                "repeat past the end", dynamic(good, [1], rawCodeLengths: Array(repeating: 8, count: 280) + [17, 7]),
                "runs past the last code"
            ),
            ("trailing bytes", [0x03, 0x00, 0x00], "trailing data after the DEFLATE stream"),
        ]
        for (name, stream, expected) in cases {
            let reason = Self.inflate(stream).failureReason
            #expect(reason?.contains(expected) == true, "\(name): \(reason ?? "decoded")")
        }

        // Fixed blocks: a distance before the start, the unused literal/length symbols 286 and
        // 287, the unused distance symbols 30 and 31.
        func fixed(_ body: (inout TestDeflater.BitWriter) -> Void) -> [UInt8] {
            var w = TestDeflater.BitWriter()
            w.write(1, 1)
            w.write(1, 2)
            body(&w)
            w.write(0, 32)
            return w.finish()
        }
        let fixedLit = TestDeflater.canonicalCodes(TestDeflater.fixedLiteralLengths)
        let farBack = fixed { w in
            w.writeCode(fixedLit[65], 8)
            w.writeCode(fixedLit[257], 7)  // length 3
            w.writeCode(1, 5)  // distance 2, one byte of output so far
        }
        #expect(Self.inflate(farBack).failureReason?.contains("distance 2 reaches before the start") == true)
        for symbol in [286, 287] {
            let stream = fixed { w in w.writeCode(fixedLit[symbol], 8) }
            #expect(Self.inflate(stream).failureReason?.contains("invalid literal/length code") == true)
        }
        for symbol in [30, 31] {
            let stream = fixed { w in
                w.writeCode(fixedLit[65], 8)
                w.writeCode(fixedLit[257], 7)
                w.writeCode(symbol, 5)
            }
            #expect(Self.inflate(stream).failureReason?.contains("invalid distance code") == true)
        }
    }
}

extension Gzip {
    /// A gzip member of `bytes` made by the test encoder (fixed Huffman blocks, literals and
    /// greedy matches); MTIME 0.
    static func compressedForTests(_ bytes: [UInt8]) throws -> Data {
        var rng = SplitMix64(seed: 5)
        let deflated = TestDeflater.fixedBlocks(for: bytes, rng: &rng)
        var member: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + deflated
        let crc = CRC32.checksum(bytes)
        for shift in stride(from: 0, to: 32, by: 8) { member.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { member.append(UInt8(truncatingIfNeeded: bytes.count >> shift)) }
        return Data(member)
    }
}

/// A test-only DEFLATE encoder: just enough to write every block type with chosen codes.
enum TestDeflater {
    struct BitWriter {
        var bytes: [UInt8] = []
        var accumulator: UInt64 = 0
        var count = 0

        /// Writes the low `n` (at most 32) bits of `value`, least significant first.
        mutating func write(_ value: Int, _ n: Int) {
            accumulator |= (UInt64(truncatingIfNeeded: value) & ((1 << UInt64(n)) - 1)) << UInt64(count)
            count += n
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                count -= 8
            }
        }

        /// Writes a Huffman code of `n` bits, most significant first.
        mutating func writeCode(_ code: Int, _ n: Int) {
            for i in stride(from: n - 1, through: 0, by: -1) { write((code >> i) & 1, 1) }
        }

        mutating func alignToByte() {
            if count > 0 { write(0, 8 - count) }
        }

        mutating func finish() -> [UInt8] {
            alignToByte()
            return bytes
        }
    }

    static let lengthBases = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBases = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
        12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let fixedLiteralLengths =
        [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
        + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)

    /// Canonical codes (most significant bit first) for code lengths (RFC 1951 3.2.2).
    static func canonicalCodes(_ lengths: [Int]) -> [Int] {
        var counts = [Int](repeating: 0, count: 16)
        for l in lengths where l > 0 { counts[l] += 1 }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for bits in 1..<16 {
            code = (code + counts[bits - 1]) << 1
            next[bits] = code
        }
        return lengths.map { l in
            guard l > 0 else { return 0 }
            defer { next[l] += 1 }
            return next[l]
        }
    }

    /// Huffman code lengths for `frequencies` (0 = unused), at most `limit` bits: when the
    /// Huffman code is deeper, the frequencies are flattened and it is tried again.
    static func codeLengths(_ frequencies: [Int], limit: Int) -> [Int] {
        var freqs = frequencies
        while true {
            var lengths = [Int](repeating: 0, count: freqs.count)
            var nodes: [(weight: Int, symbols: [Int])] = freqs.enumerated().filter { $0.element > 0 }.map {
                ($0.element, [$0.offset])
            }
            if nodes.count == 1 {
                lengths[nodes[0].symbols[0]] = 1
                return lengths
            }
            while nodes.count > 1 {
                nodes.sort { $0.weight < $1.weight }
                let a = nodes.removeFirst()
                let b = nodes.removeFirst()
                for s in a.symbols + b.symbols { lengths[s] += 1 }
                nodes.append((a.weight + b.weight, a.symbols + b.symbols))
            }
            if (lengths.max() ?? 0) <= limit { return lengths }
            freqs = freqs.map { $0 == 0 ? 0 : Int(Double($0).squareRoot()) + 1 }
        }
    }

    /// Writes HLIT, HDIST, HCLEN, the code-length code and the run-length coded lengths.
    /// `rawSymbols`, when given, replaces the run-length coded lengths (for damaged headers).
    static func writeDynamicHeader(
        _ w: inout BitWriter, literalLengths lit: [Int], distanceLengths dist: [Int], rawSymbols: [Int]? = nil
    ) {
        let all = lit + dist
        // Run-length code: (symbol, extra value, extra bits).
        var symbols: [(Int, Int, Int)] = []
        if let rawSymbols {
            var i = 0
            while i < rawSymbols.count {
                let s = rawSymbols[i]
                switch s {
                case 16:
                    symbols.append((16, rawSymbols[i + 1], 2))
                    i += 2
                case 17:
                    symbols.append((17, rawSymbols[i + 1], 3))
                    i += 2
                case 18:
                    symbols.append((18, rawSymbols[i + 1], 7))
                    i += 2
                default:
                    symbols.append((s, 0, 0))
                    i += 1
                }
            }
        } else {
            var i = 0
            while i < all.count {
                let v = all[i]
                var run = 1
                while i + run < all.count && all[i + run] == v { run += 1 }
                if v == 0 && run >= 11 {
                    let n = min(run, 138)
                    symbols.append((18, n - 11, 7))
                    i += n
                } else if v == 0 && run >= 3 {
                    let n = min(run, 10)
                    symbols.append((17, n - 3, 3))
                    i += n
                } else if i > 0 && all[i - 1] == v && run >= 3 {
                    let n = min(run, 6)
                    symbols.append((16, n - 3, 2))
                    i += n
                } else {
                    symbols.append((v, 0, 0))
                    i += 1
                }
            }
        }
        var frequencies = [Int](repeating: 1, count: 19)
        for (s, _, _) in symbols { frequencies[s] += 1 }
        let clLengths = codeLengths(frequencies, limit: 7)
        let clCodes = canonicalCodes(clLengths)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        w.write(lit.count - 257, 5)
        w.write(dist.count - 1, 5)
        w.write(19 - 4, 4)
        for s in order { w.write(clLengths[s], 3) }
        for (s, extra, bits) in symbols {
            w.writeCode(clCodes[s], clLengths[s])
            w.write(extra, bits)
        }
    }

    enum Op {
        case literal(UInt8)
        case match(length: Int, distance: Int)
    }

    /// Writes `ops` with the given codes.
    static func writeOps(_ w: inout BitWriter, _ ops: [Op], lit: [Int], litCodes: [Int], dist: [Int], distCodes: [Int]) {
        for op in ops {
            switch op {
            case .literal(let b):
                w.writeCode(litCodes[Int(b)], lit[Int(b)])
            case .match(let length, let distance):
                let l = lengthBases.lastIndex { $0 <= length } ?? 0
                w.writeCode(litCodes[257 + l], lit[257 + l])
                w.write(length - lengthBases[l], lengthExtra[l])
                let d = distanceBases.lastIndex { $0 <= distance } ?? 0
                w.writeCode(distCodes[d], dist[d])
                w.write(distance - distanceBases[d], distanceExtra[d])
            }
        }
        w.writeCode(litCodes[256], lit[256])
    }

    static func symbols(of op: Op) -> (Int, Int?) {
        switch op {
        case .literal(let b): return (Int(b), nil)
        case .match(let length, let distance):
            return (257 + (lengthBases.lastIndex { $0 <= length } ?? 0), distanceBases.lastIndex { $0 <= distance } ?? 0)
        }
    }

    /// A random stream of stored, fixed and dynamic blocks and its decoded bytes.
    static func randomStream(_ rng: inout SplitMix64) -> ([UInt8], [UInt8]) {
        var output: [UInt8] = []
        var w = BitWriter()
        let blocks = 1 + Int(rng.next() % 6)
        let alphabet = 2 + Int(rng.next() % 254)
        for b in 0..<blocks {
            let start = output.count
            var ops: [Op] = []
            let opCount = Int(rng.next() % 1500)
            // Some blocks hold only literals (no distance code at all), some use a single
            // distance (a one-codeword distance code).
            let mode = rng.next() % 6
            let onlyDistance = 1 + Int(rng.next() % 40)
            for _ in 0..<opCount {
                if output.count < onlyDistance || mode == 0 || rng.next() % 3 == 0 {
                    let byte = UInt8(truncatingIfNeeded: rng.next() % UInt64(alphabet))
                    ops.append(.literal(byte))
                    output.append(byte)
                } else {
                    let length = rng.next() % 8 == 0 ? 3 + Int(rng.next() % 256) : 3 + Int(rng.next() % 20)
                    let far = min(output.count, 32768)
                    var distance = rng.next() % 3 == 0 ? 1 + Int(rng.next() % UInt64(min(far, 9))) : 1 + Int(rng.next() % UInt64(far))
                    if mode == 1 { distance = onlyDistance }
                    ops.append(.match(length: length, distance: distance))
                    for _ in 0..<length { output.append(output[output.count - distance]) }
                }
            }
            let final = b == blocks - 1
            switch rng.next() % 3 {
            case 0:
                // Stored blocks of at most 65,535 bytes each.
                let segment = Array(output[start...])
                var chunks = stride(from: 0, to: segment.count, by: 65535).map {
                    Array(segment[$0..<min(segment.count, $0 + 65535)])
                }
                if chunks.isEmpty { chunks = [[]] }
                for (k, chunk) in chunks.enumerated() {
                    w.write(final && k == chunks.count - 1 ? 1 : 0, 1)
                    w.write(0, 2)
                    w.alignToByte()
                    w.write(chunk.count, 16)
                    w.write(chunk.count ^ 0xFFFF, 16)
                    for byte in chunk { w.write(Int(byte), 8) }
                }
            case 1:
                w.write(final ? 1 : 0, 1)
                w.write(1, 2)
                writeOps(
                    &w, ops, lit: fixedLiteralLengths, litCodes: canonicalCodes(fixedLiteralLengths), dist: [Int](repeating: 5, count: 30),
                    distCodes: Array(0..<30))
            default:
                w.write(final ? 1 : 0, 1)
                w.write(2, 2)
                var litFreq = [Int](repeating: 0, count: 286)
                var distFreq = [Int](repeating: 0, count: 30)
                litFreq[256] = 1
                for op in ops {
                    let (l, d) = symbols(of: op)
                    litFreq[l] += 1
                    if let d { distFreq[d] += 1 }
                }
                // Skew some frequencies so codes get long (subtables), and give some unused
                // symbols a code.
                for s in 0..<286 where rng.next() % 4 == 0 {
                    litFreq[s] = litFreq[s] * (1 << Int(rng.next() % 12)) + Int(rng.next() % 2)
                }
                for s in 0..<30 where rng.next() % 4 == 0 && mode > 1 {
                    distFreq[s] = distFreq[s] * (1 << Int(rng.next() % 14)) + Int(rng.next() % 2)
                }
                var lit = codeLengths(litFreq, limit: 15)
                var dist = codeLengths(distFreq, limit: 15)
                while lit.count > 257 && lit.last == 0 { lit.removeLast() }
                while dist.count > 1 && dist.last == 0 { dist.removeLast() }
                writeDynamicHeader(&w, literalLengths: lit, distanceLengths: dist)
                writeOps(&w, ops, lit: lit, litCodes: canonicalCodes(lit), dist: dist, distCodes: canonicalCodes(dist))
            }
        }
        return (w.finish(), output)
    }

    /// Fixed-Huffman blocks of at most 1000 operations with greedy matches of `bytes`.
    static func fixedBlocks(for bytes: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var w = BitWriter()
        var i = 0
        var ops: [Op] = []
        while i < bytes.count {
            var best = 0
            var bestDistance = 0
            for distance in stride(from: 1, through: min(i, 4096), by: 1) {
                var n = 0
                while n < 258 && i + n < bytes.count && bytes[i + n] == bytes[i + n - distance] { n += 1 }
                if n > best {
                    best = n
                    bestDistance = distance
                }
            }
            if best >= 3 {
                ops.append(.match(length: best, distance: bestDistance))
                i += best
            } else {
                ops.append(.literal(bytes[i]))
                i += 1
            }
        }
        let chunks = stride(from: 0, to: max(ops.count, 1), by: 1000).map { Array(ops[$0..<min(ops.count, $0 + 1000)]) }
        for (k, chunk) in chunks.enumerated() {
            w.write(k == chunks.count - 1 ? 1 : 0, 1)
            w.write(1, 2)
            writeOps(
                &w, chunk, lit: fixedLiteralLengths, litCodes: canonicalCodes(fixedLiteralLengths), dist: [Int](repeating: 5, count: 30),
                distCodes: Array(0..<30))
        }
        return w.finish()
    }
}
