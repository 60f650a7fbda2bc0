// The term dictionary: sorted terms → small integer values, front-coded in blocks with a sparse
// index.
//
// For: exact term lookup, ordered prefix/range iteration, and (with one value) the id → doc map.
// Not for: postings (see PostingsFormat.swift); the dictionary only stores where they start.
//
// Layout (format 3; all integers little-endian; see Poisk.docc/SegmentFormat.md):
//
//     u32 termCount │ u32 blockCount │ u32 blockSize │ u32 valueArity
//     index: blockCount × u32 blockOffset                       (offsets into the data area)
//     data:  blocks: per term { varint prefixLength, varint suffixLength, suffix bytes,
//                               valueArity × varint value }
//
// Field dictionaries have blocks of 16 terms (`fieldBlockSize`), the id map 32 (`idBlockSize`).
// A block's first term has prefix length 0, so its suffix is the block's first key, which the
// reader reads at open for the binary search. Within a block, values 1 and 2 (when present) are
// deltas from the previous non-singleton term's (the block's first non-singleton stores them
// absolute); value 0 is always absolute.
//
// Singletons (field dictionaries): a term in exactly one document, once, stores value 0 = 0 (no
// real term has docFreq 0), then that document and position instead of offsets; it has no
// postings or positions bytes.
//
// Older formats, still read: format 2 had 12-byte index entries (u32 keyOffset, u32 keyLength,
// u32 blockOffset) pointing into a copy of every block's first key at the start of the data
// area, and blocks of 32 terms; format 1 also had no singletons.

/// The values stored per term in a field's term dictionary.
package struct TermInfo: Sendable, Equatable {
    /// The number of documents containing the term.
    package var docFreq: Int
    /// Start of the term's postings in the field's postings section.
    package var postingsOffset: Int
    /// Start of the term's positions in the field's positions section.
    package var positionsOffset: Int
    /// For a term in one document at one position (format 2): that document and position,
    /// stored in the dictionary itself (the offsets are then meaningless).
    package var singleton: SingletonPosting?

    package init(docFreq: Int, postingsOffset: Int, positionsOffset: Int, singleton: SingletonPosting? = nil) {
        self.docFreq = docFreq
        self.postingsOffset = postingsOffset
        self.positionsOffset = positionsOffset
        self.singleton = singleton
    }
}

/// The one posting of a singleton term: one document, one position.
package struct SingletonPosting: Sendable, Equatable {
    package var doc: UInt32
    package var position: UInt32
}

/// Builds a term dictionary from terms added in strictly increasing byte order.
package struct TermDictionaryWriter {
    /// Terms per block of a field dictionary: a lookup scans at most this many entries.
    package static let fieldBlockSize = 16
    /// Terms per block of the id map (looked up once per hit shown, not per query term).
    package static let idBlockSize = 32
    private let arity: Int
    private let blockSize: Int
    private var termCount = 0
    private var blocks = ByteWriter()
    private var index: [UInt32] = []
    private var previous: [UInt8] = []
    private var previousValues: (UInt64, UInt64, UInt64) = (0, 0, 0)
    /// Whether the current block has a non-singleton term yet (its offsets are the delta base).
    private var blockHasBase = false

    /// - Parameters:
    ///   - arity: values per term (1 for the id map, 3 for fields).
    ///   - blockSize: terms per block; by default ``fieldBlockSize`` for fields (arity 3) and
    ///     ``idBlockSize`` for the id map.
    package init(arity: Int, blockSize: Int? = nil) {
        self.arity = arity
        self.blockSize = max(1, blockSize ?? (arity == 3 ? TermDictionaryWriter.fieldBlockSize : TermDictionaryWriter.idBlockSize))
    }

    /// Adds the next term; terms must come in strictly increasing byte order.
    package mutating func add(_ term: UnsafeRawBufferPointer, values: (UInt64, UInt64, UInt64)) {
        writeKey(term)
        // Value 0 (docFreq, or the id map's doc) as is; the offsets as deltas within a block.
        blocks.writeVarInt(values.0)
        if arity > 1 { blocks.writeVarInt(blockHasBase ? values.1 &- previousValues.1 : values.1) }
        if arity > 2 { blocks.writeVarInt(blockHasBase ? values.2 &- previousValues.2 : values.2) }
        previousValues = values
        blockHasBase = true
    }

    /// Adds the next term (strictly increasing order) as a singleton: one document, one
    /// position, kept in the dictionary (arity 3 only).
    package mutating func addSingleton(_ term: UnsafeRawBufferPointer, doc: UInt32, position: UInt32) {
        precondition(arity == 3, "singletons exist in field dictionaries only")
        writeKey(term)
        blocks.writeVarInt(0)
        blocks.writeVarInt(UInt64(doc))
        blocks.writeVarInt(UInt64(position))
    }

    /// Writes the term's key (front-coded) and counts it.
    private mutating func writeKey(_ term: UnsafeRawBufferPointer) {
        let startsBlock = termCount % blockSize == 0
        var prefix = 0
        if startsBlock {
            blockHasBase = false
            index.append(UInt32(blocks.count))
        } else {
            let limit = min(previous.count, term.count)
            while prefix < limit && previous[prefix] == term[prefix] { prefix += 1 }
        }
        blocks.writeVarInt(UInt64(prefix))
        blocks.writeVarInt(UInt64(term.count - prefix))
        blocks.writeBytes(UnsafeRawBufferPointer(rebasing: term[prefix...]))
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: term)
        termCount += 1
    }

    /// The finished dictionary bytes.
    package func finish() -> [UInt8] {
        var out = ByteWriter(capacity: 16 + index.count * 4 + blocks.count)
        out.writeUInt32LE(UInt32(termCount))
        out.writeUInt32LE(UInt32(index.count))
        out.writeUInt32LE(UInt32(blockSize))
        out.writeUInt32LE(UInt32(arity))
        for blockOffset in index { out.writeUInt32LE(blockOffset) }
        out.writeBytes(blocks.bytes)
        return out.bytes
    }
}

/// Reads a term dictionary in place. Every length is bounds-checked: corrupt bytes give
/// `PoiskError.corruptIndex`, never a trap.
package final class TermDictionaryReader: @unchecked Sendable {
    // The bytes are owned by the segment's `FileBytes`, which outlives this reader.
    package let bytes: UnsafeRawBufferPointer
    package let termCount: Int
    let blockCount: Int
    let blockSize: Int
    let arity: Int
    let dataStart: Int
    let file: String
    let section: String
    /// Whether value 0 = 0 marks a singleton (format 2 field dictionaries).
    let singletons: Bool
    /// Format 3 and later: the index holds only block offsets (4 bytes per block) and each
    /// block's first key is its first entry's suffix. Before: 12-byte entries pointing to a copy
    /// of each first key.
    let compactIndex: Bool
    /// Each block's first key's first 8 bytes as a big-endian number (zero-padded), built at
    /// open: the binary search for a key's block runs over this small contiguous array instead
    /// of the keys scattered through the section (a cold lookup touched ~10 cache lines).
    let blockPrefixes: [UInt64]

    /// - Parameters:
    ///   - singletons: whether the dictionary may hold singletons (field dictionaries of format 2
    ///     and later).
    ///   - compactIndex: whether the index holds block offsets only (format 3 and later; what
    ///     ``TermDictionaryWriter`` writes).
    package init(
        _ bytes: UnsafeRawBufferPointer, file: String, section: String, singletons: Bool = false,
        compactIndex: Bool = true
    ) throws {
        self.bytes = bytes
        self.file = file
        self.section = section
        self.compactIndex = compactIndex
        let reader = ByteReader(bytes)
        guard let tc = reader.getUInt32LE(at: 0), let bc = reader.getUInt32LE(at: 4),
            let bs = reader.getUInt32LE(at: 8), let ar = reader.getUInt32LE(at: 12)
        else { throw PoiskError.corruptIndex(file: file, section: section, reason: "header truncated") }
        termCount = Int(tc)
        blockCount = Int(bc)
        blockSize = Int(bs)
        arity = Int(ar)
        let (indexBytes, overflow) = blockCount.multipliedReportingOverflow(by: compactIndex ? 4 : 12)
        guard !overflow, 16 + indexBytes <= bytes.count, arity >= 1, arity <= 3, blockSize >= 1,
            blockCount == (termCount + blockSize - 1) / blockSize
        else { throw PoiskError.corruptIndex(file: file, section: section, reason: "impossible header") }
        dataStart = 16 + indexBytes
        self.singletons = singletons && arity == 3
        var prefixes = [UInt64](repeating: 0, count: blockCount)
        for b in 0..<blockCount {
            guard let key = TermDictionaryReader.firstKey(bytes, dataStart: dataStart, block: b, compact: compactIndex)
            else { throw PoiskError.corruptIndex(file: file, section: section, reason: "block index out of bounds") }
            prefixes[b] = TermDictionaryReader.prefix(key)
        }
        self.blockPrefixes = prefixes
    }

    /// The first 8 bytes of `key` as a big-endian number, zero-padded: a smaller number means a
    /// smaller key (equal numbers need a full comparison).
    @inline(__always)
    static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var p: UInt64 = 0
        let n = min(8, key.count)
        for i in 0..<8 { p = p << 8 | (i < n ? UInt64(key[i]) : 0) }
        return p
    }

    /// The decoding state of one block's values: the delta base (the last non-singleton's
    /// values) and whether there is one yet.
    struct BlockValues {
        var base: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var hasBase = false
    }

    /// Reads one entry's values. Returns them (a singleton as `(0, doc, position)`) and whether
    /// the entry is a singleton.
    @inline(__always)
    func readValues(_ r: inout ByteReader, _ state: inout BlockValues) throws -> ((UInt64, UInt64, UInt64), Bool) {
        guard let base = r.buffer.baseAddress else { throw corrupt("term value truncated") }
        var o = r.offset
        var values: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let outcome = Self.decodeValues(base, &o, r.count, &state, &values, arity: arity, singletons: singletons)
        if let reason = outcome.damage { throw corrupt(reason) }
        r.offset = o
        return (values, outcome == .singleton)
    }

    /// What ``decodeValues(_:_:_:_:_:arity:singletons:)`` found.
    enum ValuesOutcome {
        case values, singleton, truncated, singletonOutOfRange, outOfRange

        /// The reason to report, when the bytes are damaged.
        var damage: String? {
            switch self {
            case .values, .singleton: return nil
            case .truncated: return "term value truncated"
            case .singletonOutOfRange: return "singleton out of range"
            case .outOfRange: return "term value out of range"
            }
        }
    }

    /// Decodes one entry's values straight from the memory at `base` (bytes checked against
    /// `end`) into `values`: the one decoder of the lookup and of the cursor (it does not throw,
    /// so the lookup's scan keeps it inlined).
    @inline(__always)
    static func decodeValues(
        _ base: UnsafeRawPointer, _ o: inout Int, _ end: Int, _ state: inout BlockValues,
        _ values: inout (UInt64, UInt64, UInt64), arity: Int, singletons: Bool
    ) -> ValuesOutcome {
        guard let v0 = ByteReader.varint(base, &o, end) else { return .truncated }
        if singletons && v0 == 0 {
            guard let doc = ByteReader.varint(base, &o, end), let position = ByteReader.varint(base, &o, end) else {
                return .truncated
            }
            guard doc <= UInt64(UInt32.max), position <= UInt64(UInt32.max) else { return .singletonOutOfRange }
            values = (0, doc, position)
            return .singleton
        }
        var v: (UInt64, UInt64, UInt64) = (v0, 0, 0)
        if arity > 1 {
            guard let x = ByteReader.varint(base, &o, end) else { return .truncated }
            v.1 = state.hasBase ? state.base.1 &+ x : x
        }
        if arity > 2 {
            guard let x = ByteReader.varint(base, &o, end) else { return .truncated }
            v.2 = state.hasBase ? state.base.2 &+ x : x
        }
        // Values become `Int`s (TermInfo); larger ones only come from damaged or forged bytes.
        guard v.0 <= UInt64(Int.max), v.1 <= UInt64(Int.max), v.2 <= UInt64(Int.max) else { return .outOfRange }
        state.base = v
        state.hasBase = true
        values = v
        return .values
    }

    /// The `TermInfo` of values read by ``readValues(_:_:)``.
    @inline(__always)
    static func info(_ v: (UInt64, UInt64, UInt64), singleton: Bool) -> TermInfo {
        if singleton {
            return TermInfo(
                docFreq: 1, postingsOffset: 0, positionsOffset: 0,
                singleton: SingletonPosting(doc: UInt32(v.1), position: UInt32(v.2)))
        }
        return TermInfo(docFreq: Int(v.0), postingsOffset: Int(v.1), positionsOffset: Int(v.2))
    }

    private func corrupt(_ reason: String) -> PoiskError {
        PoiskError.corruptIndex(file: file, section: section, reason: reason)
    }

    /// The first key of block `b`: its first entry's suffix (format 3), or the copy the index
    /// points to (formats 1 and 2). Nil when the bytes do not hold it.
    @inline(__always)
    static func firstKey(
        _ bytes: UnsafeRawBufferPointer, dataStart: Int, block b: Int, compact: Bool
    ) -> UnsafeRawBufferPointer? {
        let reader = ByteReader(bytes)
        if compact {
            guard let off = reader.getUInt32LE(at: 16 + b * 4), let base = bytes.baseAddress else { return nil }
            var o = dataStart + Int(off)
            guard o <= bytes.count, let prefix = ByteReader.varint(base, &o, bytes.count), prefix == 0,
                let length = ByteReader.varint(base, &o, bytes.count), length <= UInt64(bytes.count - o)
            else { return nil }
            return reader.getBytes(at: o, count: Int(length))
        }
        guard let off = reader.getUInt32LE(at: 16 + b * 12), let len = reader.getUInt32LE(at: 20 + b * 12) else {
            return nil
        }
        return reader.getBytes(at: dataStart + Int(off), count: Int(len))
    }

    /// The first key of block `b`.
    @inline(__always)
    private func blockKey(_ b: Int) throws -> UnsafeRawBufferPointer {
        guard let key = TermDictionaryReader.firstKey(bytes, dataStart: dataStart, block: b, compact: compactIndex)
        else { throw corrupt("block index out of bounds") }
        return key
    }

    @inline(__always)
    private func blockOffset(_ b: Int) throws -> Int {
        let at = compactIndex ? 16 + b * 4 : 24 + b * 12
        guard let off = ByteReader(bytes).getUInt32LE(at: at), dataStart + Int(off) <= bytes.count
        else { throw corrupt("block offset out of bounds") }
        return dataStart + Int(off)
    }

    /// Index of the last block whose first key is <= `key`, or -1.
    private func findBlock(_ key: UnsafeRawBufferPointer) throws -> Int {
        let p = TermDictionaryReader.prefix(key)
        // [lower, upper): the blocks whose first key has the same 8-byte prefix as `key`; those
        // before sort below it, those after above it.
        var lower = 0
        var upper = blockCount
        blockPrefixes.withUnsafeBufferPointer { prefixes in
            var lo = 0
            var hi = blockCount
            while lo < hi {
                let mid = (lo + hi) >> 1
                if prefixes[mid] < p { lo = mid + 1 } else { hi = mid }
            }
            lower = lo
            hi = blockCount
            while lo < hi {
                let mid = (lo + hi) >> 1
                if prefixes[mid] <= p { lo = mid + 1 } else { hi = mid }
            }
            upper = lo
        }
        if lower == upper { return lower - 1 }
        // Equal prefixes: full comparisons among those blocks only.
        var lo = lower
        var hi = upper - 1
        var found = lower - 1
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
        try lookupEntry(key)?.values
    }

    /// Looks up a term of a field dictionary.
    /// - Returns: its `TermInfo`, or nil when absent.
    package func lookupInfo(_ key: UnsafeRawBufferPointer) throws -> TermInfo? {
        guard let entry = try lookupEntry(key) else { return nil }
        return TermDictionaryReader.info(entry.values, singleton: entry.singleton)
    }

    private func lookupEntry(
        _ key: UnsafeRawBufferPointer
    ) throws -> (
        values: (UInt64, UInt64, UInt64), singleton: Bool
    )? {
        let b = try findBlock(key)
        if b < 0 { return nil }
        guard let base = bytes.baseAddress, let keyBase = key.baseAddress else { return nil }
        // Scan the block in place without materializing terms: `matched` is how many leading
        // bytes the previous term shares with the key (the previous term sorts before the key).
        // An entry sharing fewer bytes with its predecessor than that sorts after the key.
        // Every entry's values are decoded (they are deltas from the previous entry's), straight
        // from the bytes: each varint checks its bytes against the section's end, nothing more.
        var o = try blockOffset(b)
        let end = bytes.count
        let keyCount = key.count
        var matched = 0
        var state = BlockValues()
        let first = b * blockSize
        for i in 0..<min(blockSize, termCount - first) {
            guard let prefix64 = ByteReader.varint(base, &o, end), let length64 = ByteReader.varint(base, &o, end),
                prefix64 <= UInt64(Int.max), length64 <= UInt64(end - o),
                i > 0 || prefix64 == 0
            else { throw corrupt("term entry truncated") }
            let prefix = Int(prefix64)
            let suffixLength = Int(length64)
            let suffix = base + o
            o &+= suffixLength
            var values: (UInt64, UInt64, UInt64) = (0, 0, 0)
            let outcome = Self.decodeValues(base, &o, end, &state, &values, arity: arity, singletons: singletons)
            if let reason = outcome.damage { throw corrupt(reason) }
            let singleton = outcome == .singleton
            if prefix > matched { continue }  // still shares the differing byte of the previous term
            if prefix < matched { return nil }  // diverges earlier, upward: past the key
            // prefix == matched: compare the suffix with the rest of the key.
            var j = 0
            let rest = keyCount - matched
            let tail = keyBase + matched
            while j < suffixLength && j < rest
                && suffix.load(fromByteOffset: j, as: UInt8.self) == tail.load(fromByteOffset: j, as: UInt8.self)
            {
                j &+= 1
            }
            if j == suffixLength && j == rest { return (values, singleton) }
            if j == rest { return nil }  // the key is a proper prefix of this term: past it
            if j < suffixLength
                && suffix.load(fromByteOffset: j, as: UInt8.self) > tail.load(fromByteOffset: j, as: UInt8.self)
            {
                return nil
            }
            matched &+= j
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
        /// Whether the current term is a singleton (`values` is then `(0, doc, position)`).
        package private(set) var isSingleton = false
        var blockValues = TermDictionaryReader.BlockValues()
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
        package var info: TermInfo { TermDictionaryReader.info(values, singleton: isSingleton) }

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
            if startsBlock { blockValues = TermDictionaryReader.BlockValues() }
            guard let prefix = reader.readVarIntAsInt(), let suffixLength = reader.readVarIntAsInt(),
                prefix <= term.count, startsBlock ? prefix == 0 : true,
                let suffix = reader.readBytes(count: suffixLength)
            else { throw d.corrupt("term entry truncated") }
            term.removeSubrange(prefix...)
            term.append(contentsOf: suffix)
            (values, isSingleton) = try d.readValues(&reader, &blockValues)
            return true
        }
    }
}

/// Lexicographic comparison of byte strings (memcmp order, shorter first on a tie).
@inline(__always)
package func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = RawMemory.compare(pa, pb, count: n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
