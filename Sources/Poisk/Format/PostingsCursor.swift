// The postings cursor: one term's documents and term frequencies, decoded block by block
// straight from the mapped segment, with skipping by the skip entries and per-block score bounds.
//
// For: every reader of postings (scorers, executors, the merger, the checker). Its positions are
// decoded in PostingsCursor+Positions.swift. Not for: the layout's description (PostingsFormat)
// or encoding (PostingsWriter).

/// Decodes one term's postings, block by block, straight from the segment bytes.
///
/// Corrupt bytes never trap: the cursor stops (``doc`` becomes ``PostingsCursor/end``) and sets
/// ``isCorrupt``; the searcher turns that into `PoiskError.corruptIndex`.
package final class PostingsCursor {
    /// The doc id past the end.
    package static let end = Int32.max

    let postings: UnsafeRawBufferPointer
    let positions: UnsafeRawBufferPointer
    /// Whether the term's field keeps positions (a typed field does not: its term frequencies
    /// are all 1, and ``readPositions(into:)`` fails).
    let hasPositions: Bool
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
    let st: UnsafeMutablePointer<State>

    /// The current document, or ``end``.
    package var doc: Int32 { st.pointee.doc }
    /// True when the bytes failed a structural check.
    package var isCorrupt: Bool { st.pointee.isCorrupt }

    let docs: UnsafeMutablePointer<UInt32>
    let tfs: UnsafeMutablePointer<UInt32>
    /// Memory holding a singleton's encoded posting, owned by this cursor.
    private var owned: UnsafeMutablePointer<UInt8>?

    /// Creates a cursor before the first document.
    /// - Parameter formatVersion: the segment's format version (short lists differ: see the
    ///   layout above).
    package init(
        postings: UnsafeRawBufferPointer, positions: UnsafeRawBufferPointer, info: TermInfo, docCount: Int,
        formatVersion: Int = segmentFormatVersion, hasPositions: Bool = true
    ) {
        self.hasPositions = hasPositions
        self.postings = postings
        self.positions = positions
        self.start = info.postingsOffset
        self.positionsStart = info.positionsOffset
        self.docFreq = info.docFreq
        self.docCount = UInt32(clamping: docCount)
        // One block of memory holds the state and the decoded block's docs and frequencies (a
        // query opens a cursor per term and field), recycled through `CursorMemory.pool`.
        let stateBytes = CursorMemory.stateBytes
        let memory = CursorMemory.pool.take() ?? CursorMemory.allocate()
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
        CursorMemory.pool.give(UnsafeMutableRawPointer(st))
        if let owned { RawMemory.free(owned) }
    }

    @inline(__always)
    func fail() -> Int32 {
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
        let tfLimit = hasPositions ? UInt32(clamping: positions.count) : 1
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
}
