// The postings writer: one term's documents, frequencies and positions encoded in the segment
// format (bit-packed blocks of 128 with skip entries and score bounds, a varint tail).
//
// For: the segment builder and the merger. Not for: decoding (PostingsCursor) or the layout's
// description (PostingsFormat).

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
