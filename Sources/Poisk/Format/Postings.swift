// Postings and positions: per term, the documents that contain it, how often, and where.
//
// For: encoding a term's doc ids / term frequencies / positions at segment build time, and
// decoding them at search time straight from the mapped file, block by block, with skipping.
// Not for: scoring (Search/) or finding the term (TermDictionary.swift).
//
// Per-term postings layout (offsets relative to the term's start; see SegmentFormat.md).
// A list of 128 documents or more:
//
//     varint maxTF │ varint minLength │ varint tailOffset │ varint tailPositionsOffset
//     skip entries: (docFreq / 128) × { u32 lastDoc, u32 blockOffset, u32 positionsOffset,
//                                       u32 maxTF, u32 minLength }
//     full blocks:  { u8 docBits, u8 tfBits, 128 doc gaps bit-packed, 128 (tf − 1) bit-packed }
//     tail:         (docFreq % 128) × { varint (gap << 1 | tf == 1), [varint tf when tf > 1] }
//
// A short list (fewer than 128 documents, so no blocks; most terms) is, since format version 2,
// just `varint maxTF` then the tail (its minLength reads as 0, a valid bound; format 1 wrote the
// four-varint header for every list, and is still read).
//
// Gaps are from the previous doc id (0 before the first). Per-term positions: for each doc in
// order, tf varints of position gaps (the first from 0). `maxTF`/`minLength` bound the BM25
// contribution of a block (score grows with tf and shrinks with length) for any k1 and b.


/// The skip data of one full block.
package struct SkipEntry: Sendable {
    package var lastDoc: UInt32
    package var blockOffset: UInt32
    package var positionsOffset: UInt32
    package var maxTF: UInt32
    package var minLength: UInt32
}

package enum PostingsFormat {
    package static let blockSize = 128
    package static let skipEntrySize = 20
}

/// Encodes one term's postings and positions.
package struct PostingsWriter {
    private var docs: [UInt32] = []
    private var tfs: [UInt32] = []
    private var lengths: [UInt32] = []
    private var positions: [UInt32] = []
    private var documentPositionsStart = 0
    // Scratch reused across terms.
    private var body = ByteWriter()
    private var skips: [SkipEntry] = []
    private var blockPositionsOffsets: [UInt32] = []
    private var gaps = [UInt32](repeating: 0, count: PostingsFormat.blockSize)
    private var tfMinusOne = [UInt32](repeating: 0, count: PostingsFormat.blockSize)
    /// Scratch for one term's encoded positions (see `write`).
    private var positionBytes: [UInt8] = []

    package init() {}

    /// Starts a new term.
    package mutating func reset() {
        docs.removeAll(keepingCapacity: true)
        tfs.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
    }

    /// Adds a document (in increasing doc order) with its positions (increasing) and field length.
    package mutating func add(doc: UInt32, positions docPositions: ArraySlice<UInt32>, fieldLength: UInt32) {
        docs.append(doc)
        tfs.append(UInt32(docPositions.count))
        lengths.append(fieldLength)
        positions.append(contentsOf: docPositions)
    }

    /// Starts a document (in increasing doc order); its positions follow with
    /// ``addPosition(_:)``, then ``endDocument()``.
    @inline(__always)
    package mutating func beginDocument(doc: UInt32, fieldLength: UInt32) {
        docs.append(doc)
        lengths.append(fieldLength)
        documentPositionsStart = positions.count
    }

    /// Adds the next position (increasing) of the current document.
    @inline(__always)
    package mutating func addPosition(_ position: UInt32) { positions.append(position) }

    /// Ends the current document.
    @inline(__always)
    package mutating func endDocument() { tfs.append(UInt32(positions.count - documentPositionsStart)) }

    /// The number of documents added since ``reset()``.
    package var documentCount: Int { docs.count }

    /// The one posting when the term is in exactly one document, once (format 2 keeps such a
    /// term in the dictionary: see `TermDictionaryWriter.addSingleton`), else nil.
    package var singleton: SingletonPosting? {
        guard docs.count == 1, tfs[0] == 1, positions.count == 1 else { return nil }
        return SingletonPosting(doc: docs[0], position: positions[0])
    }

    /// The number of bytes of `value` as a varint.
    @inline(__always)
    static func varIntSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// The most bytes ``encodeShortList(docs:tfs:count:into:)`` writes.
    package static let shortListMaxBytes = 5 + (PostingsFormat.blockSize - 1) * 10

    /// Appends `value` as a varint at `out[i]`, advancing `i`.
    @inline(__always)
    package static func putVarInt(_ value: UInt32, _ out: UnsafeMutablePointer<UInt8>, _ i: inout Int) {
        var v = value
        while v >= 0x80 {
            out[i] = UInt8(truncatingIfNeeded: v) | 0x80
            i &+= 1
            v >>= 7
        }
        out[i] = UInt8(truncatingIfNeeded: v)
        i &+= 1
    }

    /// Encodes the postings of a short list (1 to `blockSize − 1` documents: `maxTF`, then the
    /// tail), byte for byte as ``write(postings:positions:)`` encodes such a list, into `out`
    /// (room for ``shortListMaxBytes``). Its positions, written by the caller, start at the
    /// term's positions offset.
    /// - Returns: the number of bytes written.
    package static func encodeShortList(
        docs: UnsafePointer<UInt32>, tfs: UnsafePointer<UInt32>, count n: Int,
        into out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var maxTF: UInt32 = 0
        for i in 0..<n { maxTF = max(maxTF, tfs[i]) }
        // Header (format 2): maxTF only; the tail follows.
        var i = 0
        putVarInt(maxTF, out, &i)
        var previous: UInt32 = 0
        for j in 0..<n {
            let gap = docs[j] &- previous
            previous = docs[j]
            if tfs[j] == 1 {
                putVarInt(gap << 1 | 1, out, &i)
            } else {
                putVarInt(gap << 1, out, &i)
                putVarInt(tfs[j], out, &i)
            }
        }
        return i
    }

    /// Appends the term's postings to `postings` and positions to `positionsOut`.
    package mutating func write(postings out: inout ByteWriter, positions positionsOut: inout ByteWriter) {
        let n = docs.count
        let fullBlocks = n / PostingsFormat.blockSize
        // Positions first: we need each block's positions offset.
        blockPositionsOffsets.removeAll(keepingCapacity: true)
        var tailPositionsOffset = 0
        // Encoded into reused scratch memory (at most 5 bytes a position), then appended at once:
        // no capacity or uniqueness check per byte.
        let maxBytes = positions.count * 5
        if positionBytes.count < maxBytes {
            positionBytes = [UInt8](repeating: 0, count: max(maxBytes, positionBytes.count * 2))
        }
        let written = positionBytes.withUnsafeMutableBufferPointer { buffer -> Int in
            positions.withUnsafeBufferPointer { positions -> Int in
                tfs.withUnsafeBufferPointer { tfs -> Int in
                    guard let out = buffer.baseAddress else { return 0 }
                    var o = 0
                    var p = 0
                    for i in 0..<n {
                        if i % PostingsFormat.blockSize == 0 {
                            // Offsets are relative to the term's first position byte.
                            if i / PostingsFormat.blockSize < fullBlocks {
                                blockPositionsOffsets.append(UInt32(o))
                            } else {
                                tailPositionsOffset = o
                            }
                        }
                        var previous: UInt32 = 0
                        for _ in 0..<Int(tfs[i]) {
                            Self.putVarInt(positions[p] &- previous, out, &o)
                            previous = positions[p]
                            p &+= 1
                        }
                    }
                    return o
                }
            }
        }
        positionBytes.withUnsafeBytes { positionsOut.writeBytes(UnsafeRawBufferPointer(rebasing: $0[0..<written])) }
        if n % PostingsFormat.blockSize == 0 { tailPositionsOffset = written }
        var termMaxTF: UInt32 = 0
        var termMinLength = UInt32.max
        for i in 0..<n {
            termMaxTF = max(termMaxTF, tfs[i])
            termMinLength = min(termMinLength, lengths[i])
        }
        if n == 0 { termMinLength = 0 }

        // Encode full blocks into a reused scratch writer so the header can hold the tail offset.
        body.removeAll(keepingCapacity: true)
        skips.removeAll(keepingCapacity: true)
        var previousDoc: UInt32 = 0
        let skipBytes = fullBlocks * PostingsFormat.skipEntrySize
        for b in 0..<fullBlocks {
            let base = b * PostingsFormat.blockSize
            var maxTF: UInt32 = 0
            var minLength = UInt32.max
            for j in 0..<PostingsFormat.blockSize {
                let d = docs[base + j]
                gaps[j] = d &- previousDoc
                previousDoc = d
                tfMinusOne[j] = tfs[base + j] - 1
                maxTF = max(maxTF, tfs[base + j])
                minLength = min(minLength, lengths[base + j])
            }
            skips.append(
                SkipEntry(
                    lastDoc: previousDoc, blockOffset: UInt32(body.count), positionsOffset: blockPositionsOffsets[b],
                    maxTF: maxTF, minLength: minLength))
            gaps.withUnsafeBufferPointer { g in
                tfMinusOne.withUnsafeBufferPointer { t in
                    guard let gb = g.baseAddress, let tb = t.baseAddress else { return }
                    let docBits = BitPacker.bitWidth(forValues: gb, count: PostingsFormat.blockSize)
                    let tfBits = BitPacker.bitWidth(forValues: tb, count: PostingsFormat.blockSize)
                    body.writeUInt8(UInt8(docBits))
                    body.writeUInt8(UInt8(tfBits))
                    BitPacker.pack(gb, bitWidth: docBits, into: &body)
                    BitPacker.pack(tb, bitWidth: tfBits, into: &body)
                }
            }
        }
        if fullBlocks == 0 {
            // A short list (format 2): maxTF, then the tail.
            out.writeVarInt(UInt64(termMaxTF))
            writeTail(from: 0, count: n, previousDoc: 0, into: &out)
            return
        }
        let blocksLength = body.count
        // Header: offsets are relative to the term's start, so the header's own size (which
        // depends on the tail offset's varint size) is solved to a fixed point arithmetically.
        let fixed =
            Self.varIntSize(UInt64(termMaxTF)) + Self.varIntSize(UInt64(termMinLength))
            + Self.varIntSize(UInt64(tailPositionsOffset))
        var headerSize = fixed + 1
        while fixed + Self.varIntSize(UInt64(headerSize + skipBytes + blocksLength)) != headerSize {
            headerSize = fixed + Self.varIntSize(UInt64(headerSize + skipBytes + blocksLength))
        }
        let bodyStart = headerSize + skipBytes
        out.writeVarInt(UInt64(termMaxTF))
        out.writeVarInt(UInt64(termMinLength))
        out.writeVarInt(UInt64(bodyStart + blocksLength))
        out.writeVarInt(UInt64(tailPositionsOffset))
        for s in skips {
            out.writeUInt32LE(s.lastDoc)
            out.writeUInt32LE(s.blockOffset + UInt32(bodyStart))
            out.writeUInt32LE(s.positionsOffset)
            out.writeUInt32LE(s.maxTF)
            out.writeUInt32LE(s.minLength)
        }
        if blocksLength > 0 { body.withUnsafeBytes { out.writeBytes($0) } }
        writeTail(from: fullBlocks * PostingsFormat.blockSize, count: n, previousDoc: previousDoc, into: &out)
    }

    /// Writes documents `start..<end` as the tail: `varint (gap << 1 | tf == 1)`, then
    /// `varint tf` when tf > 1.
    private func writeTail(from start: Int, count end: Int, previousDoc first: UInt32, into out: inout ByteWriter) {
        var previousDoc = first
        for i in start..<end {
            let gap = UInt64(docs[i] &- previousDoc)
            previousDoc = docs[i]
            if tfs[i] == 1 {
                out.writeVarInt(gap << 1 | 1)
            } else {
                out.writeVarInt(gap << 1)
                out.writeVarInt(UInt64(tfs[i]))
            }
        }
    }
}

/// Decodes one term's postings, block by block, straight from the segment bytes.
///
/// Corrupt bytes never trap: the cursor stops (``doc`` becomes ``PostingsCursor/end``) and sets
/// ``isCorrupt``; the searcher turns that into `PoiskError.corruptIndex`.
package final class PostingsCursor {
    /// The doc id past the end.
    package static let end = Int32.max

    let postings: UnsafeRawBufferPointer
    let positions: UnsafeRawBufferPointer
    let start: Int
    let positionsStart: Int
    let docCount: UInt32
    /// The number of documents in this term's list.
    package let docFreq: Int
    let fullBlocks: Int
    let skipStart: Int
    let tailOffset: Int
    let tailPositionsOffset: Int
    /// The largest term frequency in the list.
    package private(set) var maxTF: UInt32 = 0
    /// The smallest field length among the list's documents.
    package private(set) var minLength: UInt32 = 0

    /// The mutable iteration state, behind a pointer: class properties changed on every call
    /// would each pay a dynamic exclusivity check.
    struct State {
        var doc: Int32 = -1
        var isCorrupt = false
        var block = -1  // current block; fullBlocks means the tail
        var count = 0  // decoded docs in the current block
        var index = -1  // position in the current block
        var blockPositions = 0  // absolute offset of the current block's positions
        var positionsIndex = 0  // doc index whose positions start at positionsOffset
        var positionsOffset = 0
        var shallowBlock = 0
    }
    private let st: UnsafeMutablePointer<State>

    /// The current document, or ``end``.
    package var doc: Int32 { st.pointee.doc }
    /// True when the bytes failed a structural check.
    package var isCorrupt: Bool { st.pointee.isCorrupt }

    private let docs: UnsafeMutablePointer<UInt32>
    private let tfs: UnsafeMutablePointer<UInt32>
    /// Memory holding a singleton's encoded posting, owned by this cursor.
    private var owned: UnsafeMutablePointer<UInt8>?

    /// Creates a cursor before the first document.
    /// - Parameter formatVersion: the segment's format version (short lists differ: see the
    ///   layout above).
    package init(
        postings: UnsafeRawBufferPointer, positions: UnsafeRawBufferPointer, info: TermInfo, docCount: Int,
        formatVersion: Int = segmentFormatVersion
    ) {
        self.postings = postings
        self.positions = positions
        self.start = info.postingsOffset
        self.positionsStart = info.positionsOffset
        self.docFreq = info.docFreq
        self.docCount = UInt32(clamping: docCount)
        // One block of memory holds the state and the decoded block's docs and frequencies (a
        // query opens a cursor per term and field), recycled through `CursorMemory`.
        let stateBytes = CursorMemory.stateBytes
        let memory = CursorMemory.take()
        self.st = memory.bindMemory(to: State.self, capacity: 1)
        self.st.initialize(to: State())
        self.docs = (memory + stateBytes).bindMemory(to: UInt32.self, capacity: 2 * PostingsFormat.blockSize)
        self.tfs = self.docs + PostingsFormat.blockSize
        self.fullBlocks = info.docFreq / PostingsFormat.blockSize
        var reader = ByteReader(postings)
        var ok =
            info.postingsOffset >= 0 && info.postingsOffset <= postings.count && info.docFreq > 0
            && info.docFreq <= docCount && info.positionsOffset >= 0 && info.positionsOffset <= positions.count
        var tail = 0
        var tailPositions = 0
        if ok && formatVersion >= 2 && fullBlocks == 0 {
            // A short list: maxTF, then the tail.
            reader.offset = info.postingsOffset
            if let m = reader.readVarInt(), m <= UInt64(UInt32.max) {
                maxTF = UInt32(m)
                minLength = 0
                tail = reader.offset - info.postingsOffset
            } else {
                ok = false
            }
        } else if ok {
            reader.offset = info.postingsOffset
            if let m = reader.readVarInt(), let l = reader.readVarInt(), let t = reader.readVarInt(),
                let tp = reader.readVarInt(), m <= UInt64(UInt32.max), l <= UInt64(UInt32.max),
                t <= UInt64(Int32.max), tp <= UInt64(Int32.max)
            {
                maxTF = UInt32(m)
                minLength = UInt32(l)
                tail = Int(t)
                tailPositions = Int(tp)
            } else {
                ok = false
            }
        }
        self.skipStart = reader.offset
        self.tailOffset = info.postingsOffset + tail
        self.tailPositionsOffset = info.positionsOffset + tailPositions
        if !ok || skipStart + fullBlocks * PostingsFormat.skipEntrySize > postings.count {
            st.pointee.isCorrupt = true
            st.pointee.doc = PostingsCursor.end
        }
    }

    /// A cursor over a singleton term's one posting (kept in the dictionary, format 2): the
    /// cursor encodes it as a one-document short list in memory it owns.
    package convenience init(singleton: SingletonPosting, docCount: Int) {
        let bytes = RawMemory.allocate(UInt8.self, capacity: 16)
        let memory = UnsafeMutableRawPointer(bytes)
        var p = 0
        PostingsWriter.putVarInt(1, bytes, &p)  // maxTF
        PostingsWriter.putVarInt(singleton.doc &<< 1 | 1, bytes, &p)  // tail: gap from 0, tf 1
        var q = 8
        PostingsWriter.putVarInt(singleton.position, bytes, &q)
        self.init(
            postings: UnsafeRawBufferPointer(start: memory, count: p),
            positions: UnsafeRawBufferPointer(start: memory + 8, count: q - 8),
            info: TermInfo(docFreq: 1, postingsOffset: 0, positionsOffset: 0), docCount: docCount,
            formatVersion: 2)
        // A doc id above Int32.max cannot be encoded this way and is damage.
        if singleton.doc > UInt32(Int32.max) {
            st.pointee.isCorrupt = true
            st.pointee.doc = PostingsCursor.end
        }
        owned = bytes
    }

    deinit {
        st.deinitialize(count: 1)
        CursorMemory.give(UnsafeMutableRawPointer(st))
        if let owned { RawMemory.free(owned) }
    }

    @inline(__always)
    private func fail() -> Int32 {
        st.pointee.isCorrupt = true
        st.pointee.doc = PostingsCursor.end
        st.pointee.count = 0
        return PostingsCursor.end
    }

    /// The skip entry of full block `b`.
    package func skipEntry(_ b: Int) -> SkipEntry? {
        let r = ByteReader(postings)
        let o = skipStart + b * PostingsFormat.skipEntrySize
        guard let lastDoc = r.getUInt32LE(at: o), let blockOffset = r.getUInt32LE(at: o + 4),
            let positionsOffset = r.getUInt32LE(at: o + 8), let maxTF = r.getUInt32LE(at: o + 12),
            let minLength = r.getUInt32LE(at: o + 16)
        else { return nil }
        return SkipEntry(
            lastDoc: lastDoc, blockOffset: blockOffset, positionsOffset: positionsOffset, maxTF: maxTF,
            minLength: minLength)
    }

    /// Decodes block `b` (or the tail when `b == fullBlocks`). Returns false on corruption.
    private func load(block b: Int) -> Bool {
        let previousDoc: UInt32
        if b == 0 {
            previousDoc = 0
        } else {
            guard let prev = skipEntry(b - 1) else { return false }
            previousDoc = prev.lastDoc
        }
        st.pointee.block = b
        st.pointee.index = -1
        // Every position takes at least one byte of the positions section, so a larger term
        // frequency comes from damaged bytes (and must not size an allocation).
        let tfLimit = UInt32(clamping: positions.count)
        if b < fullBlocks {
            guard let entry = skipEntry(b) else { return false }
            let o = start + Int(entry.blockOffset)
            let r = ByteReader(postings)
            guard let docBits = r.getUInt8(at: o), let tfBits = r.getUInt8(at: o + 1), docBits <= 32, tfBits <= 32
            else { return false }
            let docBytes = 16 * Int(docBits)
            let tfBytes = 16 * Int(tfBits)
            guard o + 2 + docBytes + tfBytes <= postings.count, let base = postings.baseAddress else { return false }
            BitPacker.unpack(from: base + o + 2, bitWidth: Int(docBits), into: docs)
            BitPacker.unpack(from: base + o + 2 + docBytes, bitWidth: Int(tfBits), into: tfs)
            // Prefix sums without a branch per document: the checks are reductions tested once
            // after the loop. Gaps after the first are at least 1 (so the documents increase and
            // only the last must be below docCount), sums in 64 bits cannot overflow, and a
            // frequency is valid when the largest stored value (tf − 1) is below the limit.
            if docs[0] == 0 && b != 0 { return false }
            var d = UInt64(previousDoc) &+ UInt64(docs[0])
            docs[0] = UInt32(truncatingIfNeeded: d)
            var minGap = UInt32.max
            var maxStoredTF = tfs[0]
            tfs[0] = tfs[0] &+ 1
            for j in 1..<PostingsFormat.blockSize {
                let gap = docs[j]
                minGap = min(minGap, gap)
                d &+= UInt64(gap)
                docs[j] = UInt32(truncatingIfNeeded: d)
                let stored = tfs[j]
                maxStoredTF = max(maxStoredTF, stored)
                tfs[j] = stored &+ 1
            }
            if minGap == 0 || d >= UInt64(docCount) || maxStoredTF >= tfLimit { return false }
            if d != UInt64(entry.lastDoc) { return false }
            st.pointee.count = PostingsFormat.blockSize
            st.pointee.blockPositions = positionsStart + Int(entry.positionsOffset)
        } else {
            let n = docFreq - fullBlocks * PostingsFormat.blockSize
            guard tailOffset <= postings.count else { return false }
            if n > 0 {
                guard let base = postings.baseAddress, tfLimit >= 1, decodeTail(n, base, previousDoc, b, tfLimit) else {
                    return false
                }
            }
            st.pointee.count = n
            st.pointee.blockPositions = tailPositionsOffset
        }
        st.pointee.positionsIndex = 0
        st.pointee.positionsOffset = st.pointee.blockPositions
        return true
    }

    /// Decodes the tail's `n` documents (varints straight from the bytes) into `docs` and `tfs`;
    /// false on damage. As for full blocks, the order and range checks are reductions tested
    /// after the loop (a gap fits 32 bits, so 64-bit sums cannot overflow).
    @inline(__always)
    private func decodeTail(_ n: Int, _ base: UnsafeRawPointer, _ previousDoc: UInt32, _ b: Int, _ tfLimit: UInt32) -> Bool {
        var o = tailOffset
        let end = postings.count
        var d = UInt64(previousDoc)
        var minGap = UInt64.max
        var maxTF: UInt64 = 1
        for j in 0..<n {
            guard let v = ByteReader.varint(base, &o, end), v >> 1 <= UInt64(UInt32.max) else {
                return false
            }
            let gap = v >> 1
            if j == 0 {
                if gap == 0 && b != 0 { return false }
            } else {
                minGap = min(minGap, gap)
            }
            d &+= gap
            docs[j] = UInt32(truncatingIfNeeded: d)
            if v & 1 == 1 {
                tfs[j] = 1
            } else {
                guard let tf = ByteReader.varint(base, &o, end), tf >= 2 else { return false }
                maxTF = max(maxTF, tf)
                tfs[j] = UInt32(truncatingIfNeeded: tf)
            }
        }
        return minGap != 0 && d < UInt64(docCount) && maxTF <= UInt64(tfLimit)
    }

    /// Moves to the next document.
    /// - Returns: the new ``doc``, or ``end``.
    @discardableResult
    package func next() -> Int32 {
        if st.pointee.doc == PostingsCursor.end { return st.pointee.doc }
        st.pointee.index += 1
        if st.pointee.index >= st.pointee.count {
            let nextBlock = st.pointee.block + 1
            if nextBlock > fullBlocks || (nextBlock == fullBlocks && docFreq % PostingsFormat.blockSize == 0) {
                st.pointee.doc = PostingsCursor.end
                return st.pointee.doc
            }
            if !load(block: nextBlock) { return fail() }
            st.pointee.index = 0
        }
        st.pointee.doc = Int32(bitPattern: docs[st.pointee.index])
        return st.pointee.doc
    }

    /// The last doc of full block `b` (`b < fullBlocks`; the initializer checked that every skip
    /// entry lies inside the postings).
    @inline(__always)
    private func skipLastDoc(_ b: Int) -> UInt32 {
        guard let base = postings.baseAddress else { return UInt32.max }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: skipStart &+ b &* PostingsFormat.skipEntrySize, as: UInt32.self))
    }

    /// Whether block `b` exists (full blocks, then a non-empty tail).
    @inline(__always)
    private func hasBlock(_ b: Int) -> Bool {
        b < fullBlocks || (b == fullBlocks && docFreq % PostingsFormat.blockSize != 0)
    }

    /// Moves to the first document >= `target`, skipping whole blocks by their skip entries and
    /// scanning the decoded block directly.
    /// - Returns: the new ``doc``, or ``end``.
    @discardableResult
    package func advance(to target: Int32) -> Int32 {
        let s = st
        if s.pointee.doc >= target { return s.pointee.doc }
        // Skip blocks whose last doc is below the target.
        var b = max(s.pointee.block, 0)
        if b < fullBlocks {
            var skipped = false
            while b < fullBlocks && Int64(skipLastDoc(b)) < Int64(target) {
                b += 1
                skipped = true
            }
            if skipped || s.pointee.block < 0 {
                if !hasBlock(b) {
                    s.pointee.doc = PostingsCursor.end
                    return PostingsCursor.end
                }
                if !load(block: b) { return fail() }
            }
        } else if s.pointee.block < 0 {
            if !hasBlock(b) {
                s.pointee.doc = PostingsCursor.end
                return PostingsCursor.end
            }
            if !load(block: b) { return fail() }
        }
        let t = UInt32(bitPattern: target)
        while true {
            let count = s.pointee.count
            var i = s.pointee.index + 1
            while i < count && docs[i] < t { i += 1 }
            if i < count {
                s.pointee.index = i
                s.pointee.doc = Int32(bitPattern: docs[i])
                return s.pointee.doc
            }
            let nextBlock = s.pointee.block + 1
            if !hasBlock(nextBlock) {
                s.pointee.index = count
                s.pointee.doc = PostingsCursor.end
                return PostingsCursor.end
            }
            if !load(block: nextBlock) { return fail() }
        }
    }

    /// Visits the current document and every following one below `limit` with its term
    /// frequency, then stands on the first document >= `limit` (or ``end``).
    /// - Returns: the new ``doc``.
    @inline(__always)
    package func forEach(below limit: Int32, _ body: (Int32, UInt32) -> Void) -> Int32 {
        let s = st
        var d = s.pointee.doc
        if d < 0 { d = next() }
        while d < limit {
            let count = s.pointee.count
            var i = s.pointee.index
            while i < count {
                let doc = Int32(bitPattern: docs[i])
                if doc >= limit {
                    s.pointee.index = i
                    s.pointee.doc = doc
                    return doc
                }
                body(doc, tfs[i])
                i += 1
            }
            // The block is used up: move past its last document.
            s.pointee.index = count - 1
            d = next()
        }
        return d
    }

    /// Decodes the next block whole, for loops that visit every document (a single term's
    /// top-k): the cursor then stands on the block's last document.
    /// - Returns: the block's doc ids and term frequencies and their count; nil at the end or on
    ///   damaged bytes (check ``isCorrupt``).
    package func nextBlock() -> (docs: UnsafePointer<UInt32>, tfs: UnsafePointer<UInt32>, count: Int)? {
        let s = st
        if s.pointee.doc == PostingsCursor.end { return nil }
        let b = s.pointee.block + 1
        if !hasBlock(b) {
            s.pointee.doc = PostingsCursor.end
            return nil
        }
        if !load(block: b) {
            _ = fail()
            return nil
        }
        let count = s.pointee.count
        s.pointee.index = count - 1
        s.pointee.doc = Int32(bitPattern: docs[count - 1])
        return (UnsafePointer(docs), UnsafePointer(tfs), count)
    }

    /// The term frequency in the current document.
    @inline(__always)
    package var termFrequency: UInt32 { tfs[max(st.pointee.index, 0)] }

    /// The term frequency when it is possible for this segment (each position takes at least
    /// one byte of the positions section); nil, marking the cursor corrupt, otherwise.
    package var plausibleTermFrequency: Int? {
        let tf = Int(termFrequency)
        if tf <= positions.count { return tf }
        st.pointee.isCorrupt = true
        return nil
    }

    /// The bounds of the block that would contain `target`, found from the skip entries without
    /// decoding anything (Block-Max WAND's "shallow advance"). Targets must not decrease.
    /// - Returns: the block's last doc and its max tf / min length; for the tail, the term's.
    package func shallowBounds(_ target: Int32) -> (lastDoc: Int32, maxTF: UInt32, minLength: UInt32) {
        while st.pointee.shallowBlock < fullBlocks {
            guard let e = skipEntry(st.pointee.shallowBlock) else { break }
            if Int64(e.lastDoc) >= Int64(target) { return (Int32(bitPattern: e.lastDoc), e.maxTF, e.minLength) }
            st.pointee.shallowBlock += 1
        }
        return (PostingsCursor.end - 1, maxTF, minLength)
    }

    /// Decodes the current document's positions into `out` (cleared first).
    /// - Returns: false when the positions bytes are damaged.
    package func readPositions(into out: inout [UInt32]) -> Bool {
        out.removeAll(keepingCapacity: true)
        return appendPositions(to: &out)
    }

    /// Decodes the current document's positions into `dst` (room for ``termFrequency`` values),
    /// stopping after the first position greater than `limit` (positions are increasing, so a
    /// phrase check never needs the rest).
    /// - Returns: how many positions were written, or nil when the bytes are damaged.
    package func decodePositions(into dst: UnsafeMutablePointer<UInt32>, limit: UInt32) -> Int? {
        guard var o = seekPositions(), let base = positions.baseAddress else { return nil }
        let end = positions.count
        let tf = Int(tfs[st.pointee.index])
        var p: UInt32 = 0
        var k = 0
        while k < tf {
            if tf - k >= 8 && o + 8 <= end {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt64.self))
                if word & 0x8080_8080_8080_8080 == 0 {
                    var w = word
                    for j in 0..<8 {
                        p = p &+ UInt32(truncatingIfNeeded: w & 0xFF)
                        dst[k + j] = p
                        w >>= 8
                    }
                    k += 8
                    o += 8
                    if p > limit { return k }
                    continue
                }
                let at = k
                let mixed = PostingsCursor.mixedGaps(word, &p) { j, q in dst[at + j] = q }
                k += mixed.positions
                o += mixed.bytes
                if p > limit { return k }
                if mixed.complete { continue }
            }
            guard let value = readPositionGap(base, &o, end) else { return nil }
            p = p &+ value
            dst[k] = p
            k += 1
            if p > limit { return k }
        }
        return k
    }

    /// Eight bytes of position gaps (`word`, little-endian) holding a gap of two or more bytes:
    /// adds the one-byte gaps in front of it to `p`, calling `emit` with each position's index
    /// (from 0) and value, then that gap too when it takes exactly two bytes (at most seven
    /// positions: the caller has room for eight). `complete`: the longer gap was read; otherwise
    /// it is next, for the general varint reader.
    @inline(__always)
    static func mixedGaps(
        _ word: UInt64, _ p: inout UInt32, _ emit: (Int, UInt32) -> Void
    ) -> (positions: Int, bytes: Int, complete: Bool) {
        let ones = (word & 0x8080_8080_8080_8080).trailingZeroBitCount &>> 3
        var w = word
        for j in 0..<ones {
            p = p &+ UInt32(truncatingIfNeeded: w & 0xFF)
            emit(j, p)
            w >>= 8
        }
        guard ones < 7 && w & 0x8000 == 0 else { return (ones, ones, false) }
        p = p &+ (UInt32(truncatingIfNeeded: w & 0x7F) | UInt32(truncatingIfNeeded: w & 0x7F00) &>> 1)
        emit(ones, p)
        return (ones + 1, ones + 2, true)
    }

    /// The bits a bitmap for ``countPositions(inBitmap:words:limit:)`` must have beyond
    /// `limit`: a run of eight one-byte gaps read at once can pass `limit` by at most 8 × 127.
    package static let bitmapSlack = 8 * 127 + 1

    /// Counts the current document's positions whose bit is set in `bitmap` (`words` 64-bit
    /// words, at least `limit + bitmapSlack` bits; positions beyond it count as unset), reading
    /// positions only up to the first one greater than `limit`. Two-word phrases: the other
    /// term's positions, shifted by the gap, are the bitmap; no position is stored and the count
    /// has no data-dependent branch.
    /// - Returns: the count, or nil when the bytes are damaged.
    package func countPositions(inBitmap bitmap: UnsafePointer<UInt64>, words: Int, limit: UInt32) -> Int? {
        guard var o = seekPositions(), let base = positions.baseAddress else { return nil }
        let end = positions.count
        let tf = Int(tfs[st.pointee.index])
        let bits = UInt32(truncatingIfNeeded: min(words * 64, Int(UInt32.max)))
        var p: UInt32 = 0
        var count = 0
        var k = 0
        @inline(__always) func bit(_ p: UInt32) -> Int {
            p < bits ? Int(truncatingIfNeeded: bitmap[Int(p >> 6)] >> UInt64(p & 63) & 1) : 0
        }
        // Eight one-byte gaps from a position at most `limit` stay below `limit + bitmapSlack`.
        let unchecked = bits >= PostingsCursor.bitmapSlack ? bits - UInt32(PostingsCursor.bitmapSlack) : 0
        while k < tf {
            if tf - k >= 8 && o + 8 <= end {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt64.self))
                if word & 0x8080_8080_8080_8080 == 0 {
                    var w = word
                    if p <= unchecked {
                        for _ in 0..<8 {
                            p = p &+ UInt32(truncatingIfNeeded: w & 0xFF)
                            count &+= Int(truncatingIfNeeded: bitmap[Int(p >> 6)] >> UInt64(p & 63) & 1)
                            w >>= 8
                        }
                        k += 8
                        o += 8
                        if p > limit { return count }
                        continue
                    }
                    for _ in 0..<8 {
                        p = p &+ UInt32(truncatingIfNeeded: w & 0xFF)
                        count &+= bit(p)
                        w >>= 8
                    }
                    k += 8
                    o += 8
                    if p > limit { return count }
                    continue
                }
                let mixed = PostingsCursor.mixedGaps(word, &p) { _, q in count &+= bit(q) }
                k += mixed.positions
                o += mixed.bytes
                if p > limit { return count }
                if mixed.complete { continue }
            }
            guard let value = readPositionGap(base, &o, end) else { return nil }
            p = p &+ value
            count &+= bit(p)
            k += 1
            if p > limit { return count }
        }
        return count
    }

    /// One varint position gap at `o` (advancing it); nil (and the cursor marked corrupt) when
    /// the bytes end or the value does not fit.
    @inline(__always)
    private func readPositionGap(_ base: UnsafeRawPointer, _ o: inout Int, _ end: Int) -> UInt32? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard o < end, shift < 35 else {
                st.pointee.isCorrupt = true
                return nil
            }
            let byte = base.load(fromByteOffset: o, as: UInt8.self)
            o += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        guard value <= UInt64(UInt32.max) else {
            st.pointee.isCorrupt = true
            return nil
        }
        return UInt32(value)
    }

    /// The byte offset of the current document's positions, skipping (by counting varint
    /// terminators) those of the documents before it that were not decoded.
    @inline(__always)
    private func seekPositions() -> Int? {
        let idx = st.pointee.index
        guard idx >= 0 && idx < st.pointee.count, let base = positions.baseAddress else { return nil }
        let end = positions.count
        var pIndex = st.pointee.positionsIndex
        var o = st.pointee.positionsOffset
        if pIndex > idx {
            pIndex = 0
            o = st.pointee.blockPositions
        }
        guard o >= 0 && o <= end else {
            st.pointee.isCorrupt = true
            return nil
        }
        var toSkip = 0
        while pIndex < idx {
            toSkip += Int(tfs[pIndex])
            pIndex += 1
        }
        // 32 bytes at a time while the skip is long (frequent terms between rarer matches). A
        // byte < 0x80 ends a varint; per word, those bytes become 1s in their byte lanes, four
        // words' lanes are added (each lane ≤ 4), and one multiply sums the lanes (no popcount
        // instruction in the baseline x86-64 target).
        @inline(__always) func terminatorLanes(_ at: Int) -> UInt64 {
            (~UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) & 0x8080_8080_8080_8080) &>> 7
        }
        @inline(__always) func laneSum(_ lanes: UInt64) -> Int {
            Int(truncatingIfNeeded: (lanes &* 0x0101_0101_0101_0101) &>> 56)
        }
        while toSkip >= 32 && o + 32 <= end {
            let t = laneSum(terminatorLanes(o) &+ terminatorLanes(o &+ 8) &+ terminatorLanes(o &+ 16) &+ terminatorLanes(o &+ 24))
            if t > toSkip { break }
            toSkip -= t
            o += 32
        }
        while toSkip >= 8 && o + 8 <= end {
            let terminators = laneSum(terminatorLanes(o))
            if terminators > toSkip { break }
            toSkip -= terminators
            o += 8
        }
        while toSkip > 0 {
            guard o < end else {
                st.pointee.isCorrupt = true
                return nil
            }
            if base.load(fromByteOffset: o, as: UInt8.self) < 0x80 { toSkip -= 1 }
            o += 1
        }
        // This document's positions start at `o`; remember that (not its end), so a partial
        // decode leaves the cursor consistent: the next call skips this document by counting.
        st.pointee.positionsIndex = pIndex
        st.pointee.positionsOffset = o
        return o
    }

    /// Appends the current document's positions to `out`.
    /// - Returns: false when the positions bytes are damaged.
    package func appendPositions(to out: inout [UInt32]) -> Bool {
        // Every position takes at least one byte: a larger tf is damage (and must not become a
        // huge allocation).
        let tf = Int(termFrequency)
        guard tf <= positions.count else {
            st.pointee.isCorrupt = true
            return false
        }
        let first = out.count
        out.append(contentsOf: repeatElement(0, count: tf))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return tf == 0 ? 0 : nil }
            return decodePositions(into: base + first, limit: UInt32.max)
        }
        guard let written, written == tf else {
            out.removeSubrange(first...)
            return false
        }
        return true
    }
}

/// The memory of finished postings cursors, for the next ones: each cursor needs ~1.1 KB (its
/// state and one decoded block of docs and frequencies), just above what malloc's per-thread
/// cache serves, so a fresh block cost a trip through malloc's bins and back on every cursor
/// (a Chinese word searched in two fields opens a dozen). A recycled block is also still in
/// the cache. At most `pooled` blocks wait here; the rest are freed.
enum CursorMemory {
    /// A block in the pool (only ever used by the one cursor that took it).
    struct Block: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    /// The bytes before the docs: `PostingsCursor.State`, rounded up to 8.
    static let stateBytes = (MemoryLayout<PostingsCursor.State>.stride + 7) & ~7
    /// One block: the state, then `blockSize` docs and `blockSize` frequencies.
    static let words = (stateBytes + 2 * PostingsFormat.blockSize * 4 + 7) / 8
    /// How many blocks the pool keeps.
    static let pooled = 64
    private static let free = Protected<[Block]>([])

    /// A block of `words` 8-byte words, uninitialized.
    @inline(__always)
    static func take() -> UnsafeMutableRawPointer {
        if let block = free.withLock({ $0.popLast() }) { return block.pointer }
        return UnsafeMutableRawPointer(RawMemory.allocate(UInt64.self, capacity: words))
    }

    /// Returns a block from ``take()`` (its contents deinitialized).
    @inline(__always)
    static func give(_ pointer: UnsafeMutableRawPointer) {
        let kept = free.withLock { pool -> Bool in
            guard pool.count < pooled else { return false }
            if pool.capacity == 0 { pool.reserveCapacity(pooled) }
            pool.append(Block(pointer: pointer))
            return true
        }
        if !kept { RawMemory.free(pointer.assumingMemoryBound(to: UInt64.self)) }
    }
}
