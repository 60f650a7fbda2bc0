// The term dictionary: sorted terms → small integer values, front-coded in blocks with a sparse index.
//
// For: exact term lookup, ordered prefix/range iteration, and (with one value) the id → doc map.
// Not for: postings (see Postings.swift); the dictionary only stores where they start.
//
// Layout (all integers little-endian; see Poisk.docc/SegmentFormat.md):
//
//     u32 termCount │ u32 blockCount │ u32 blockSize │ u32 valueArity
//     index: blockCount × { u32 keyOffset, u32 keyLength, u32 blockOffset }   (offsets into data)
//     data:  first keys of all blocks, back to back
//            blocks: per term { varint prefixLength, varint suffixLength, suffix bytes,
//                               valueArity × varint value }
//
// Within a block, value 1 and 2 (when present) are deltas from the previous term's (the first
// term of a block stores them absolute); value 0 is always absolute.

/// The values stored per term in a field's term dictionary.
package struct TermInfo: Sendable, Equatable {
    /// The number of documents containing the term.
    package var docFreq: Int
    /// Start of the term's postings in the field's postings section.
    package var postingsOffset: Int
    /// Start of the term's positions in the field's positions section.
    package var positionsOffset: Int
}

/// Builds a term dictionary from terms added in strictly increasing byte order.
package struct TermDictionaryWriter {
    package static let blockSize = 32
    private let arity: Int
    private var termCount = 0
    private var keys = ByteWriter()
    private var blocks = ByteWriter()
    private var index: [(keyOffset: UInt32, keyLength: UInt32, blockOffset: UInt32)] = []
    private var previous: [UInt8] = []
    private var previousValues: (UInt64, UInt64, UInt64) = (0, 0, 0)

    /// - Parameter arity: values per term (1 for the id map, 3 for fields).
    package init(arity: Int) { self.arity = arity }

    /// Adds the next term; terms must come in strictly increasing byte order.
    package mutating func add(_ term: UnsafeRawBufferPointer, values: (UInt64, UInt64, UInt64)) {
        let startsBlock = termCount % TermDictionaryWriter.blockSize == 0
        var prefix = 0
        if startsBlock {
            index.append((UInt32(keys.count), UInt32(term.count), UInt32(blocks.count)))
            keys.writeBytes(term)
        } else {
            let limit = min(previous.count, term.count)
            while prefix < limit && previous[prefix] == term[prefix] { prefix += 1 }
        }
        blocks.writeVarInt(UInt64(prefix))
        blocks.writeVarInt(UInt64(term.count - prefix))
        blocks.writeBytes(UnsafeRawBufferPointer(rebasing: term[prefix...]))
        // Value 0 (docFreq, or the id map's doc) as is; the offsets as deltas within a block.
        blocks.writeVarInt(values.0)
        if arity > 1 { blocks.writeVarInt(startsBlock ? values.1 : values.1 &- previousValues.1) }
        if arity > 2 { blocks.writeVarInt(startsBlock ? values.2 : values.2 &- previousValues.2) }
        previousValues = values
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: term)
        termCount += 1
    }

    /// The finished dictionary bytes.
    package func finish() -> [UInt8] {
        var out = ByteWriter(capacity: 16 + index.count * 12 + keys.count + blocks.count)
        out.writeUInt32LE(UInt32(termCount))
        out.writeUInt32LE(UInt32(index.count))
        out.writeUInt32LE(UInt32(TermDictionaryWriter.blockSize))
        out.writeUInt32LE(UInt32(arity))
        let blocksBase = UInt32(keys.count)
        for entry in index {
            out.writeUInt32LE(entry.keyOffset)
            out.writeUInt32LE(entry.keyLength)
            out.writeUInt32LE(entry.blockOffset + blocksBase)
        }
        out.writeBytes(keys.bytes)
        out.writeBytes(blocks.bytes)
        return out.bytes
    }
}

/// Reads a term dictionary in place. Every length is bounds-checked: corrupt bytes give
/// `PoiskError.corruptIndex`, never a trap.
package struct TermDictionaryReader: @unchecked Sendable {
    // The bytes are owned by the segment's `FileBytes`, which outlives this reader.
    package let bytes: UnsafeRawBufferPointer
    package let termCount: Int
    let blockCount: Int
    let blockSize: Int
    let arity: Int
    let dataStart: Int
    let file: String
    let section: String

    package init(_ bytes: UnsafeRawBufferPointer, file: String, section: String) throws {
        self.bytes = bytes
        self.file = file
        self.section = section
        let reader = ByteReader(bytes)
        guard let tc = reader.getUInt32LE(at: 0), let bc = reader.getUInt32LE(at: 4),
            let bs = reader.getUInt32LE(at: 8), let ar = reader.getUInt32LE(at: 12)
        else { throw PoiskError.corruptIndex(file: file, section: section, reason: "header truncated") }
        termCount = Int(tc)
        blockCount = Int(bc)
        blockSize = Int(bs)
        arity = Int(ar)
        let (indexBytes, overflow) = blockCount.multipliedReportingOverflow(by: 12)
        guard !overflow, 16 + indexBytes <= bytes.count, arity >= 1, arity <= 3, blockSize >= 1,
            blockCount == (termCount + blockSize - 1) / blockSize
        else { throw PoiskError.corruptIndex(file: file, section: section, reason: "impossible header") }
        dataStart = 16 + indexBytes
    }

    private func corrupt(_ reason: String) -> PoiskError {
        PoiskError.corruptIndex(file: file, section: section, reason: reason)
    }

    /// The first key of block `b`.
    @inline(__always)
    private func blockKey(_ b: Int) throws -> UnsafeRawBufferPointer {
        let reader = ByteReader(bytes)
        guard let off = reader.getUInt32LE(at: 16 + b * 12), let len = reader.getUInt32LE(at: 20 + b * 12),
            let key = reader.getBytes(at: dataStart + Int(off), count: Int(len))
        else { throw corrupt("block index out of bounds") }
        return key
    }

    private func blockOffset(_ b: Int) throws -> Int {
        guard let off = ByteReader(bytes).getUInt32LE(at: 24 + b * 12), dataStart + Int(off) <= bytes.count
        else { throw corrupt("block offset out of bounds") }
        return dataStart + Int(off)
    }

    /// Index of the last block whose first key is <= `key`, or -1.
    private func findBlock(_ key: UnsafeRawBufferPointer) throws -> Int {
        var lo = 0
        var hi = blockCount - 1
        var found = -1
        while lo <= hi {
            let mid = (lo + hi) >> 1
            if compareBytes(try blockKey(mid), key) <= 0 {
                found = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        return found
    }

    /// Looks up a term.
    /// - Returns: its values, or nil when absent.
    /// - Complexity: O(log blocks + blockSize · term length).
    package func lookup(_ key: UnsafeRawBufferPointer) throws -> (UInt64, UInt64, UInt64)? {
        let b = try findBlock(key)
        if b < 0 { return nil }
        // Scan the block in place without materializing terms: `matched` is how many leading
        // bytes the previous term shares with the key (the previous term sorts before the key).
        // An entry sharing fewer bytes with its predecessor than that sorts after the key.
        var r = ByteReader(bytes)
        r.offset = try blockOffset(b)
        var matched = 0
        var values: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let first = b * blockSize
        for i in 0..<min(blockSize, termCount - first) {
            guard let prefix = r.readVarIntAsInt(), let suffixLength = r.readVarIntAsInt(),
                let suffix = r.readBytes(count: suffixLength), i > 0 || prefix == 0
            else { throw corrupt("term entry truncated") }
            var v: (UInt64, UInt64, UInt64) = (0, 0, 0)
            for a in 0..<arity {
                guard let x = r.readVarInt() else { throw corrupt("term value truncated") }
                switch a {
                case 0: v.0 = x
                case 1: v.1 = i == 0 ? x : values.1 &+ x
                default: v.2 = i == 0 ? x : values.2 &+ x
                }
            }
            // Values become `Int`s (TermInfo); larger ones only come from damaged or forged bytes.
            guard v.0 <= UInt64(Int.max), v.1 <= UInt64(Int.max), v.2 <= UInt64(Int.max) else {
                throw corrupt("term value out of range")
            }
            values = v
            if prefix > matched { continue }  // still shares the differing byte of the previous term
            if prefix < matched { return nil }  // diverges earlier, upward: past the key
            // prefix == matched: compare the suffix with the rest of the key.
            var j = 0
            let rest = key.count - matched
            while j < suffixLength && j < rest && suffix[j] == key[matched + j] { j += 1 }
            if j == suffixLength && j == rest { return values }
            if j == rest { return nil }  // the key is a proper prefix of this term: past it
            if j < suffixLength && suffix[j] > key[matched + j] { return nil }
            matched += j
        }
        return nil
    }

    /// A cursor positioned before the first term >= `key` (all terms when `key` is empty).
    package func cursor(from key: UnsafeRawBufferPointer) throws -> TermCursor {
        let b = max(0, try findBlock(key))
        return try TermCursor(dictionary: self, block: b, seek: key)
    }

    /// Iterates terms in order, decoding front-coded blocks.
    package struct TermCursor {
        let dictionary: TermDictionaryReader
        var reader: ByteReader
        var block: Int
        package private(set) var indexInBlock = -1
        var ordinal: Int
        var term: [UInt8] = []
        package private(set) var values: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var pendingSeek: [UInt8]?

        init(dictionary: TermDictionaryReader, block: Int, seek: UnsafeRawBufferPointer? = nil) throws {
            self.dictionary = dictionary
            self.block = block
            self.ordinal = block * dictionary.blockSize - 1
            self.reader = ByteReader(dictionary.bytes)
            if dictionary.blockCount > 0 {
                reader.offset = try dictionary.blockOffset(block)
            }
            if let seek, seek.count > 0 { pendingSeek = Array(seek) }
            term.reserveCapacity(32)
        }

        /// Calls `body` with the current term's bytes.
        package func withTerm<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            term.withUnsafeBytes(body)
        }

        /// The current term as a String.
        package var termString: String { String(decoding: term, as: UTF8.self) }

        /// The current term's field values.
        package var info: TermInfo {
            TermInfo(docFreq: Int(values.0), postingsOffset: Int(values.1), positionsOffset: Int(values.2))
        }

        /// Moves to the next term (skipping terms below the seek key on the first calls).
        /// - Returns: false at the end.
        package mutating func next() throws -> Bool {
            while true {
                guard try advance() else { return false }
                if let seek = pendingSeek {
                    let below = term.withUnsafeBytes { t in seek.withUnsafeBytes { compareBytes(t, $0) < 0 } }
                    if below { continue }
                    pendingSeek = nil
                }
                return true
            }
        }

        private mutating func advance() throws -> Bool {
            let d = dictionary
            if ordinal + 1 >= d.termCount { return false }
            ordinal += 1
            indexInBlock += 1
            if indexInBlock == d.blockSize {
                indexInBlock = 0
                block += 1
                reader.offset = try d.blockOffset(block)
            }
            let startsBlock = indexInBlock == 0
            guard let prefix = reader.readVarIntAsInt(), let suffixLength = reader.readVarIntAsInt(),
                prefix <= term.count, startsBlock ? prefix == 0 : true,
                let suffix = reader.readBytes(count: suffixLength)
            else { throw d.corrupt("term entry truncated") }
            term.removeSubrange(prefix...)
            term.append(contentsOf: suffix)
            var v: (UInt64, UInt64, UInt64) = (0, 0, 0)
            for i in 0..<d.arity {
                guard let x = reader.readVarInt() else { throw d.corrupt("term value truncated") }
                switch i {
                case 0: v.0 = x
                case 1: v.1 = startsBlock ? x : values.1 &+ x
                default: v.2 = startsBlock ? x : values.2 &+ x
                }
            }
            // Values become `Int`s (TermInfo); larger ones only come from damaged or forged bytes.
            guard v.0 <= UInt64(Int.max), v.1 <= UInt64(Int.max), v.2 <= UInt64(Int.max) else {
                throw d.corrupt("term value out of range")
            }
            values = v
            return true
        }
    }
}

/// Lexicographic comparison of byte strings (memcmp order, shorter first on a tie).
@inline(__always)
package func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
