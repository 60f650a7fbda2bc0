// PostingsPool: each term's stream read back from its chain of slices equals the stream the
// builder's encoding defines, for terms of every size (within one slice, across many levels).

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct PostingsPoolTests {
    /// The reference encoding: per doc a varint doc delta, varint (position gap + 1) values, and
    /// a 0 byte before the next doc.
    struct Reference {
        var bytes: [UInt8] = []
        var lastDoc: Int32 = -1
        var lastPosition: UInt32 = 0
        mutating func varint(_ value: UInt32) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }
        mutating func add(doc: Int32, position: UInt32) {
            if doc != lastDoc {
                if lastDoc >= 0 { bytes.append(0) }
                varint(UInt32(bitPattern: doc &- lastDoc))
                lastDoc = doc
                varint(position &+ 1)
            } else {
                varint(position &- lastPosition &+ 1)
            }
            lastPosition = position
        }
    }

    static func varints(_ bytes: [UInt8]) -> [UInt32] {
        var result: [UInt32] = []
        var value: UInt32 = 0
        var shift: UInt32 = 0
        for b in bytes {
            value |= UInt32(b & 0x7F) << shift
            if b < 0x80 {
                result.append(value)
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return result
    }

    @Test func streamsRoundTripAcrossSlices() {
        let pool = PostingsPool(expectedTerms: 2)  // forces the state array to grow
        var references: [Reference] = []
        var rng = SplitMix64(seed: 2026)
        let terms = 300
        for _ in 0..<terms {
            let started = pool.core.pointee.newTerm()
            #expect(started)
            references.append(Reference())
        }
        // Zipf-like: term 0 gets most occurrences (long chains), the tail a few (one slice).
        var positions = [UInt32](repeating: 0, count: terms)
        for doc in Int32(0)..<2_000 {
            positions = [UInt32](repeating: 0, count: terms)
            let tokens = Int(rng.next() % 60)
            for _ in 0..<tokens {
                let r = Double(rng.next() % 1_000_000) / 1_000_000
                let term = min(terms - 1, Int(pow(Double(terms), r * r)) - 1)
                // Occasionally a huge gap (multi-byte varints that straddle slice ends).
                positions[term] &+=
                    rng.next() % 50 == 0 ? UInt32(rng.next() % 3_000_000) : UInt32(1 + rng.next() % 40)
                pool.core.pointee.add(term, doc: doc, position: positions[term])
                references[term].add(doc: doc, position: positions[term])
            }
        }
        var stream: [UInt8] = []
        var longest = 0
        for term in 0..<terms {
            pool.copyStream(term, into: &stream)
            #expect(stream == references[term].bytes, "term \(term)")
            // The in-place reader yields the same varints as decoding the copied stream.
            var reader = pool.reader(term)
            var fromReader: [UInt32] = []
            while let v = reader.readVarInt() { fromReader.append(v) }
            #expect(fromReader == Self.varints(stream), "term \(term)")
            longest = max(longest, stream.count)
        }
        #expect(longest > 10_000)  // the test really exercised chains of the largest slices
        #expect(!pool.core.pointee.overflowed)
    }

    @Test func segmentsBuiltThroughThePoolAnswerQueries() throws {
        // Many distinct terms and one very frequent term, through the whole builder → reader path.
        var documents: [Document] = []
        var expectedW35: Set<String> = []
        var expectedPhrase: Set<String> = []
        for i in 0..<400 {
            let numbers = (0..<50).map { ($0 * 7 + i * 13) % 5_000 }
            if numbers.contains(35) { expectedW35.insert("d\(i)") }
            if zip(numbers, numbers.dropFirst()).contains(where: { $0 == 0 && $1 == 7 }) {
                expectedPhrase.insert("d\(i)")
            }
            var words = numbers.map { "w\($0)" }
            words.append(contentsOf: Array(repeating: "common", count: i % 9 + 1))
            documents.append(Document(id: "d\(i)", fields: ["body": words.joined(separator: " ")]))
        }
        let reader = try IndexReader.inMemory(documents)
        #expect(try reader.search("common", options: SearchOptions(limit: 1)).total == 400)
        let w35 = try reader.search("w35", options: SearchOptions(limit: 1000))
        #expect(!expectedW35.isEmpty)
        #expect(Set(w35.hits.map(\.id)) == expectedW35)
        let phrase = try reader.search("\"w0 w7\"", options: SearchOptions(limit: 1000))
        #expect(!expectedPhrase.isEmpty)
        #expect(Set(phrase.hits.map(\.id)) == expectedPhrase)
    }
}
