// Inflate.swift
//
// For: decoding DEFLATE streams (RFC 1951), the compressed data inside gzip members (see
// `Gzip`), so that `.jsonl.gz` corpora load without running an external program. Written from
// the RFC; the decoding techniques are the classic ones of zlib's inffast.c and libdeflate:
//
// - The input is read through a 64-bit bit buffer refilled 8 bytes at a time with one
//   unaligned little-endian load while at least 8 bytes remain (the bytes above the valid bits
//   are the next input bytes, so loading them again later ORs identical bits), and byte by
//   byte near the end, where zero bytes past the end are supplied "virtually" and counted:
//   consuming one of them means the input was truncated.
// - Huffman codes are decoded by table lookup: a primary table indexed by the next 11
//   (literal/length) or 8 (distance) bits, with second-level subtables for longer codes.
//   An entry packs the symbol's value (literal byte, length base or distance base), its
//   number of extra bits and the codeword length, so a length or distance with its extra
//   bits is one lookup and one shift.
// - Matches are copied 8 bytes at a time when the distance is at least 8 (the output
//   buffer keeps slack past its end so word copies never leave the allocation), with a byte
//   fill for distance 1 and a byte loop for distances 2…7.
// - One refill covers a whole length/distance pair (at most 48 bits); after a literal a
//   second literal is decoded without refilling.
//
// Every code-length set is validated (over-subscribed and incomplete codes are errors,
// except a code of a single length-1 codeword, which RFC 1951 permits for distances and
// zlib accepts for literal/lengths as well), as are distances reaching before the start of
// the stream's output and lengths running past the end of a code-length list. Damaged input
// ends in an `InflateFailure` (converted to `PoiskError.io` by the callers): never a trap,
// never a read outside the input or a write outside the output.
//
// Not for: compressing (Poisk never writes DEFLATE), zlib-wrapped streams (RFC 1950, with
// the Adler-32 trailer), or preset dictionaries. The output must fit in memory; it grows
// geometrically from the caller's size guess.

import Foundation

/// Why a DEFLATE stream could not be decoded, and at which input byte it was noticed.
struct InflateFailure: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// The input ended inside the stream.
        case truncated
        /// The stream is not valid DEFLATE data; the text says what is wrong.
        case corrupt(String)
    }

    var kind: Kind
    /// Offset of the input byte at which the problem was noticed (for `truncated`, the
    /// input's length).
    var offset: Int
}

/// The growing output of a decompression: raw memory with at least `Inflate.outputMargin`
/// bytes of slack past `count`, so the decoder may store whole words past the end of a match.
///
/// Owns its memory until ``takeData()`` hands it to a `Data`.
final class InflateOutput {
    /// Start of the output (16-byte aligned).
    private(set) var base: UnsafeMutableRawPointer
    /// Allocated bytes.
    private(set) var capacity: Int
    /// Bytes of output produced so far.
    var count = 0

    /// Creates an empty output with room for `expected` bytes plus the decoder's slack.
    /// - Parameter expected: A guess of the output size (untrusted: callers bound it).
    init(expected: Int) {
        capacity = max(expected, 0) + Inflate.outputMargin
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes plus the decoder's slack, doubling the allocation
    /// at least (the output size is not known in advance).
    /// - Complexity: O(count) when the buffer moves, amortized O(1) per byte.
    func reserve(_ extra: Int) {
        let needed = count + extra + Inflate.outputMargin
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// The bytes produced so far, leaving this output empty. Hands the memory to the `Data`
    /// without copying unless more than a quarter of it (and 64 KiB) would be unused.
    func takeData() -> Data {
        let n = count
        let data: Data
        if n == 0 {
            data = Data()
        } else if capacity - n > max(n / 4, 1 << 16) {
            data = Data(bytes: base, count: n)
        } else {
            data = Data(bytesNoCopy: base, count: n, deallocator: .custom { pointer, _ in pointer.deallocate() })
            // The Data owns that memory now; keep a fresh, small buffer for deinit to free.
            base = UnsafeMutableRawPointer.allocate(byteCount: Inflate.outputMargin, alignment: 16)
            capacity = Inflate.outputMargin
        }
        count = 0
        return data
    }
}

/// Scratch memory for decoding: the Huffman tables and the buffers used to build them,
/// allocated once per decompression and reused by every block.
final class InflateTables {
    /// Literal/length table (primary 2^11 entries, then subtables).
    static let literalOffset = 0
    static let literalCapacity = 4096
    /// Distance table (primary 2^8 entries, then subtables).
    static let distanceOffset = literalOffset + literalCapacity
    static let distanceCapacity = 1024
    /// Code-length code table (2^7 entries; its codes are at most 7 bits long).
    static let codeLengthOffset = distanceOffset + distanceCapacity
    static let codeLengthCapacity = 128
    /// The fixed codes of block type 1, built on first use.
    static let fixedLiteralOffset = codeLengthOffset + codeLengthCapacity
    static let fixedDistanceOffset = fixedLiteralOffset + (1 << Inflate.literalBits)
    static let entryCount = fixedDistanceOffset + (1 << Inflate.distanceBits)

    let entries: UnsafeMutablePointer<UInt32>
    /// Code lengths of the current block: 288 literal/length + 32 distance symbols.
    let lengths: UnsafeMutablePointer<UInt8>
    /// Symbols sorted by code length (table building).
    let sorted: UnsafeMutablePointer<UInt16>
    /// Per-length counters (table building): counts, remaining counts, offsets.
    let counters: UnsafeMutablePointer<Int>
    var fixedBuilt = false

    init() {
        entries = .allocate(capacity: Self.entryCount)
        entries.initialize(repeating: Inflate.Entry.invalid, count: Self.entryCount)
        lengths = .allocate(capacity: 320)
        lengths.initialize(repeating: 0, count: 320)
        sorted = .allocate(capacity: 320)
        sorted.initialize(repeating: 0, count: 320)
        counters = .allocate(capacity: 48)
        counters.initialize(repeating: 0, count: 48)
    }

    deinit {
        entries.deallocate()
        lengths.deallocate()
        sorted.deallocate()
        counters.deallocate()
    }
}

/// A little-endian bit reader over borrowed input with a 64-bit buffer.
///
/// Invariants: `available` (0…63) bits of `bits` are valid, starting at bit 0; the bits above
/// them are either zero or the input bytes that follow (so OR-ing those bytes in again
/// changes nothing). `overrun` counts the zero bytes supplied past the end of the input;
/// they are the top `8 * overrun` of the valid bits.
struct BitReader {
    let base: UnsafeRawPointer
    let count: Int
    /// Next input byte not yet in `bits`.
    var pos: Int
    var bits: UInt64 = 0
    var available = 0
    var overrun = 0

    init(base: UnsafeRawPointer, count: Int, pos: Int) {
        self.base = base
        self.count = count
        self.pos = pos
    }

    /// Ensures at least 56 valid bits.
    @inline(__always)
    mutating func refill() throws(InflateFailure) {
        if pos &+ 8 <= count {
            bits |= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt64.self)) &<< UInt64(available)
            let n = (63 &- available) &>> 3
            pos &+= n
            available &+= n &<< 3
        } else {
            try refillSlowly()
        }
    }

    /// Byte-at-a-time refill near the end of the input, with zero bytes past it.
    /// - Throws: `truncated` when a bit past the end of the input was already consumed.
    @inline(never)
    mutating func refillSlowly() throws(InflateFailure) {
        if available < overrun &* 8 { throw InflateFailure(kind: .truncated, offset: count) }
        while available < 56 {
            if pos < count {
                bits |= UInt64(base.load(fromByteOffset: pos, as: UInt8.self)) &<< UInt64(available)
                pos &+= 1
            } else {
                overrun &+= 1
            }
            available &+= 8
        }
    }

    @inline(__always)
    mutating func consume(_ n: Int) {
        bits &>>= UInt64(truncatingIfNeeded: n)
        available &-= n
    }

    /// Whether bits past the end of the input were consumed.
    var isOverrun: Bool { available < overrun &* 8 }

    /// The input offset of the byte holding the next unread bit (for error messages).
    var offset: Int {
        let unread = available - overrun * 8
        return unread < 0 ? count : pos - (unread + 7) / 8
    }

    /// Skips to the next byte boundary and returns the offset of that byte, emptying the
    /// bit buffer (the next read starts at `pos`).
    /// - Throws: `truncated` when bits past the end of the input were consumed.
    mutating func alignToByte() throws(InflateFailure) -> Int {
        guard !isOverrun else { throw InflateFailure(kind: .truncated, offset: count) }
        let unreadBytes = (available - overrun * 8) / 8
        pos -= unreadBytes
        bits = 0
        available = 0
        overrun = 0
        return pos
    }

    func corrupt(_ what: String) -> InflateFailure {
        InflateFailure(kind: isOverrun ? .truncated : .corrupt(what), offset: isOverrun ? count : offset)
    }
}

/// Raw DEFLATE (RFC 1951) decompression.
///
/// ```swift
/// let text = try Inflate.decompress(deflated, name: "blob")   // deflated: UnsafeRawBufferPointer
/// ```
package enum Inflate {
    /// Index bits of the primary literal/length and distance tables.
    static let literalBits = 11
    static let distanceBits = 8
    static let codeLengthBits = 7
    /// Free bytes the output keeps past its count before each symbol: one longest match
    /// (258) plus the overshoot of 8-byte copies, rounded up.
    static let outputMargin = 512

    /// Decoding table entries (UInt32): bits 0–3 the codeword length to consume at this
    /// level (for a subtable pointer: the primary bits), bits 4–7 the number of extra bits
    /// (for a subtable pointer: its index bits), bits 8–11 flags, bits 16–31 the value
    /// (literal byte, length or distance base, subtable start, or code-length symbol).
    enum Entry {
        static let literal: UInt32 = 0x100
        static let subtable: UInt32 = 0x200
        static let endOfBlock: UInt32 = 0x400
        static let invalid: UInt32 = 0x800
        static let exceptional: UInt32 = subtable | endOfBlock | invalid
    }

    static let lengthBases: [UInt32] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    static let lengthExtraBits: [UInt32] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    static let distanceBases: [UInt32] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577,
    ]
    static let distanceExtraBits: [UInt32] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// The order in which a dynamic block lists the code-length code lengths.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// What a table's symbols stand for.
    enum Alphabet {
        case literalLength, distance, codeLength

        /// The table entry of `symbol`, without its codeword length.
        func entry(_ symbol: Int) -> UInt32 {
            switch self {
            case .literalLength:
                if symbol < 256 { return Entry.literal | UInt32(symbol) << 16 }
                if symbol == 256 { return Entry.endOfBlock }
                let i = symbol - 257
                guard i < Inflate.lengthBases.count else { return Entry.invalid }
                return Inflate.lengthBases[i] << 16 | Inflate.lengthExtraBits[i] << 4
            case .distance:
                guard symbol < Inflate.distanceBases.count else { return Entry.invalid }
                return Inflate.distanceBases[symbol] << 16 | Inflate.distanceExtraBits[symbol] << 4
            case .codeLength:
                return UInt32(symbol) << 16
            }
        }
    }

    // MARK: - Public API

    /// Decompresses one raw DEFLATE stream that fills `input` exactly.
    ///
    /// - Parameters:
    ///   - input: The compressed bytes.
    ///   - name: Names the input in errors (a file path, usually).
    /// - Returns: The decompressed bytes.
    /// - Throws: `PoiskError.io(path: name, …)` when the stream is truncated or corrupt, or
    ///   when bytes follow its final block.
    /// - Complexity: O(input + output).
    package static func decompress(_ input: UnsafeRawBufferPointer, name: String) throws -> Data {
        let output = InflateOutput(expected: min(input.count * 4, 1 << 30))
        let tables = InflateTables()
        let end: Int
        do throws(InflateFailure) {
            end = try inflate(input, from: 0, into: output, tables: tables)
        } catch {
            switch error.kind {
            case .truncated:
                throw PoiskError.io(path: name, reason: "truncated DEFLATE data at byte \(error.offset)")
            case .corrupt(let what):
                throw PoiskError.io(path: name, reason: "corrupt DEFLATE data: \(what) at byte \(error.offset)")
            }
        }
        guard end == input.count else {
            throw PoiskError.io(path: name, reason: "\(input.count - end) bytes of trailing data after the DEFLATE stream at byte \(end)")
        }
        return output.takeData()
    }

    // MARK: - Decoding

    /// Decodes the DEFLATE stream starting at `input[start]`, appending to `output`.
    /// Back-references may reach only into this stream's own output.
    ///
    /// - Returns: The offset of the first input byte after the stream (its last byte is
    ///   padded to a byte boundary).
    /// - Throws: `InflateFailure` for truncated or corrupt data; `output` then holds what was
    ///   decoded before the problem.
    /// - Complexity: O(input + output).
    static func inflate(
        _ input: UnsafeRawBufferPointer, from start: Int, into output: InflateOutput, tables: InflateTables
    ) throws(InflateFailure) -> Int {
        guard let base = input.baseAddress, start < input.count else {
            throw InflateFailure(kind: .truncated, offset: input.count)
        }
        var reader = BitReader(base: base, count: input.count, pos: start)
        let windowStart = output.count
        let entries = tables.entries
        while true {
            try reader.refill()
            let header = Int(truncatingIfNeeded: reader.bits & 7)
            reader.consume(3)
            switch header >> 1 {
            case 0:
                try copyStoredBlock(&reader, into: output)
            case 1:
                if !tables.fixedBuilt { try buildFixedTables(tables) }
                try decodeHuffmanBlock(
                    &reader, into: output, windowStart: windowStart,
                    literals: UnsafePointer(entries + InflateTables.fixedLiteralOffset),
                    distances: UnsafePointer(entries + InflateTables.fixedDistanceOffset))
            case 2:
                try readDynamicTables(&reader, tables)
                try decodeHuffmanBlock(
                    &reader, into: output, windowStart: windowStart,
                    literals: UnsafePointer(entries + InflateTables.literalOffset),
                    distances: UnsafePointer(entries + InflateTables.distanceOffset))
            default:
                throw reader.corrupt("invalid block type 3")
            }
            if header & 1 != 0 { break }
        }
        return try reader.alignToByte()
    }

    /// A stored block: LEN, NLEN (its one's complement) and LEN raw bytes, byte-aligned.
    static func copyStoredBlock(_ reader: inout BitReader, into output: InflateOutput) throws(InflateFailure) {
        var pos = try reader.alignToByte()
        guard reader.count - pos >= 4 else { throw InflateFailure(kind: .truncated, offset: reader.count) }
        let length =
            Int(reader.base.load(fromByteOffset: pos, as: UInt8.self))
            | Int(reader.base.load(fromByteOffset: pos + 1, as: UInt8.self)) << 8
        let check =
            Int(reader.base.load(fromByteOffset: pos + 2, as: UInt8.self))
            | Int(reader.base.load(fromByteOffset: pos + 3, as: UInt8.self)) << 8
        guard length == check ^ 0xFFFF else {
            throw InflateFailure(kind: .corrupt("stored block length does not match its complement"), offset: pos)
        }
        pos += 4
        guard reader.count - pos >= length else { throw InflateFailure(kind: .truncated, offset: reader.count) }
        output.reserve(length)
        (output.base + output.count).copyMemory(from: reader.base + pos, byteCount: length)
        output.count += length
        reader.pos = pos + length
    }

    /// Decodes the symbols of one Huffman-coded block up to its end-of-block code.
    static func decodeHuffmanBlock(
        _ bitReader: inout BitReader, into output: InflateOutput, windowStart: Int,
        literals: UnsafePointer<UInt32>, distances: UnsafePointer<UInt32>
    ) throws(InflateFailure) {
        var reader = bitReader
        defer { bitReader = reader }
        var out = output.base
        var capacity = output.capacity
        var count = output.count
        defer { output.count = count }
        let literalMask = UInt64((1 << literalBits) - 1)
        let distanceMask = UInt64((1 << distanceBits) - 1)

        while true {
            if capacity &- count < outputMargin {
                output.count = count
                output.reserve(outputMargin)
                out = output.base
                capacity = output.capacity
            }
            try reader.refill()
            var entry = literals[Int(truncatingIfNeeded: reader.bits & literalMask)]
            if entry & Entry.literal != 0 {
                // A literal; and while at least 41 bits remain, perhaps a second one.
                reader.consume(Int(entry & 15))
                out.storeBytes(of: UInt8(truncatingIfNeeded: entry >> 16), toByteOffset: count, as: UInt8.self)
                count &+= 1
                entry = literals[Int(truncatingIfNeeded: reader.bits & literalMask)]
                if entry & Entry.literal != 0 {
                    reader.consume(Int(entry & 15))
                    out.storeBytes(of: UInt8(truncatingIfNeeded: entry >> 16), toByteOffset: count, as: UInt8.self)
                    count &+= 1
                    continue
                }
                try reader.refill()
            }
            if entry & Entry.exceptional != 0 {
                if entry & Entry.subtable != 0 {
                    reader.consume(Int(entry & 15))
                    let subMask = (UInt64(1) << UInt64((entry >> 4) & 15)) &- 1
                    entry = literals[Int(entry >> 16) &+ Int(truncatingIfNeeded: reader.bits & subMask)]
                    if entry & Entry.literal != 0 {
                        reader.consume(Int(entry & 15))
                        out.storeBytes(of: UInt8(truncatingIfNeeded: entry >> 16), toByteOffset: count, as: UInt8.self)
                        count &+= 1
                        continue
                    }
                }
                if entry & Entry.endOfBlock != 0 {
                    reader.consume(Int(entry & 15))
                    if reader.isOverrun { throw InflateFailure(kind: .truncated, offset: reader.count) }
                    return
                }
                if entry & Entry.exceptional != 0 { throw reader.corrupt("invalid literal/length code") }
            }

            // A match: length (code + extra bits), then distance (code + extra bits); at most
            // 48 bits, and the refill left at least 56.
            var saved = reader.bits
            var codeLength = entry & 15
            var extraBits = (entry >> 4) & 15
            reader.consume(Int(codeLength &+ extraBits))
            let length =
                Int(entry >> 16) &+ Int(truncatingIfNeeded: (saved &>> UInt64(codeLength)) & ((1 &<< UInt64(extraBits)) &- 1))

            var distanceEntry = distances[Int(truncatingIfNeeded: reader.bits & distanceMask)]
            if distanceEntry & Entry.exceptional != 0 {
                if distanceEntry & Entry.subtable != 0 {
                    reader.consume(Int(distanceEntry & 15))
                    let subMask = (UInt64(1) << UInt64((distanceEntry >> 4) & 15)) &- 1
                    distanceEntry = distances[Int(distanceEntry >> 16) &+ Int(truncatingIfNeeded: reader.bits & subMask)]
                }
                if distanceEntry & Entry.exceptional != 0 { throw reader.corrupt("invalid distance code") }
            }
            saved = reader.bits
            codeLength = distanceEntry & 15
            extraBits = (distanceEntry >> 4) & 15
            reader.consume(Int(codeLength &+ extraBits))
            let distance =
                Int(distanceEntry >> 16)
                &+ Int(truncatingIfNeeded: (saved &>> UInt64(codeLength)) & ((1 &<< UInt64(extraBits)) &- 1))
            guard distance <= count &- windowStart else {
                throw reader.corrupt("distance \(distance) reaches before the start of the output")
            }

            let destination = out + count
            let end = destination + length
            if distance >= 8 {
                // Word copies; each reads only bytes already written (distance ≥ 8) and may
                // write up to 15 bytes past the match, inside the margin.
                var source = UnsafeRawPointer(destination - distance)
                var target = destination
                repeat {
                    target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                    target.storeBytes(
                        of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
                    source += 16
                    target += 16
                } while target < end
            } else if distance == 1 {
                let pattern = UInt64(destination.load(fromByteOffset: -1, as: UInt8.self)) &* 0x0101_0101_0101_0101
                var target = destination
                repeat {
                    target.storeBytes(of: pattern, as: UInt64.self)
                    target += 8
                } while target < end
            } else {
                var source = UnsafeRawPointer(destination - distance)
                var target = destination
                repeat {
                    target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
                    source += 1
                    target += 1
                } while target < end
            }
            count &+= length
        }
    }
}
