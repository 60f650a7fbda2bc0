// Stored fields: the original text of each document, in LZ4-compressed blocks of about 16 KiB.
//
// For: fetching the id, title, body and extra fields of the top hits (for display and
// snippets). Not for: being called for every matching document; decompressing a block costs
// microseconds, so only the final top-k documents are loaded.
//
// Layout:
//
//     u32 blockCount
//     index: blockCount × { u32 firstDoc, u32 offset, u32 storedLength, u32 rawLength, u32 codec }
//     data:  the blocks (codec 0 = raw, 1 = LZ4 block format)
//     raw block: per doc { varint fieldCount, fieldCount × { varint storedFieldID,
//                                                           varint byteLength, UTF-8 bytes } }
//
// storedFieldID 0 is the document id; f + 1 is schema field f.

package enum StoredFieldsFormat {
    package static let targetBlockBytes = 16 * 1024
    package static let indexEntrySize = 20
}

/// Accumulates documents' stored fields into compressed blocks.
///
/// Each block is compressed when it fills, on the calling thread. (Compressing on a helper
/// thread, as Tantivy's document store does, made one-thread indexing 10% faster but only by
/// using a second core: with every core building segments it saves nothing.) Finished blocks
/// stay separate arrays and are written to the segment file as they are.
package struct StoredFieldsWriter {
    private struct Block {
        var firstDoc: UInt32
        var bytes: [UInt8]
        var rawCount: UInt32
        /// 0 = stored raw (LZ4 did not make it smaller), 1 = LZ4.
        var codec: UInt32
    }
    private var blocks: [Block] = []
    private var current = ByteWriter(capacity: StoredFieldsFormat.targetBlockBytes + 4096)
    private var currentFirstDoc: UInt32 = 0
    private var docCount: UInt32 = 0
    private var codec = LZ4Codec()
    /// Reused compression output; each block keeps a copy of exactly its compressed bytes. (A
    /// fresh worst-case-size array per block, zero-filled first, touched twice the memory the
    /// blocks keep.)
    private var scratch: [UInt8] = []

    package init() {}

    /// Adds the next document's stored fields: `(storedFieldID, text)` pairs.
    package mutating func add(_ fields: [(Int, String)]) {
        if current.isEmpty { currentFirstDoc = docCount }
        current.writeVarInt(UInt64(fields.count))
        for (id, text) in fields {
            current.writeVarInt(UInt64(id))
            var text = text
            text.withUTF8 { utf8 in
                current.writeVarInt(UInt64(utf8.count))
                current.writeBytes(UnsafeRawBufferPointer(utf8))
            }
        }
        docCount += 1
        if current.count >= StoredFieldsFormat.targetBlockBytes { flushBlock() }
    }

    private mutating func flushBlock() {
        if current.isEmpty { return }
        let raw = UInt32(current.count)
        let needed = LZ4Codec.maxCompressedCount(for: current.count)
        if scratch.count < needed { scratch = [UInt8](repeating: 0, count: needed) }
        let compressed = scratch.withUnsafeMutableBytes { out -> [UInt8]? in
            let count = current.withUnsafeBytes { codec.compress($0, to: out) } ?? Int.max
            guard count < current.count, let base = out.baseAddress else { return nil }
            return Array(UnsafeRawBufferPointer(start: base, count: count))
        }
        if let compressed {
            blocks.append(Block(firstDoc: currentFirstDoc, bytes: compressed, rawCount: raw, codec: 1))
            current.removeAll(keepingCapacity: true)
        } else {
            // Hand the raw block's array over (no copy) and start a fresh one.
            blocks.append(Block(firstDoc: currentFirstDoc, bytes: current.bytes, rawCount: raw, codec: 0))
            current = ByteWriter(capacity: StoredFieldsFormat.targetBlockBytes + 4096)
        }
    }

    /// The finished section: the block index, then each block, as parts to write back to back.
    package mutating func finishParts() -> [[UInt8]] {
        flushBlock()
        var head = ByteWriter(capacity: 4 + blocks.count * StoredFieldsFormat.indexEntrySize)
        head.writeUInt32LE(UInt32(blocks.count))
        var offset: UInt32 = 0
        for block in blocks {
            head.writeUInt32LE(block.firstDoc)
            head.writeUInt32LE(offset)
            head.writeUInt32LE(UInt32(block.bytes.count))
            head.writeUInt32LE(block.rawCount)
            head.writeUInt32LE(block.codec)
            offset &+= UInt32(block.bytes.count)
        }
        return [head.bytes] + blocks.map(\.bytes)
    }

    /// The finished section bytes, in one array.
    package mutating func finish() -> [UInt8] { joinParts(finishParts()) }
}

/// Reads stored fields from the section bytes. Every length and offset is checked.
package struct StoredFieldsReader: @unchecked Sendable {
    // The bytes belong to the segment's FileBytes, which outlives this reader.
    let bytes: UnsafeRawBufferPointer
    let blockCount: Int
    let docCount: Int
    let file: String

    package init(_ bytes: UnsafeRawBufferPointer, docCount: Int, file: String) throws {
        self.bytes = bytes
        self.docCount = docCount
        self.file = file
        guard let n = ByteReader(bytes).getUInt32LE(at: 0),
            4 + Int(n) * StoredFieldsFormat.indexEntrySize <= bytes.count
        else { throw PoiskError.corruptIndex(file: file, section: "stored fields", reason: "index truncated") }
        blockCount = Int(n)
    }

    private func corrupt(_ reason: String) -> PoiskError {
        PoiskError.corruptIndex(file: file, section: "stored fields", reason: reason)
    }

    private func entry(_ b: Int) throws -> (firstDoc: Int, offset: Int, stored: Int, raw: Int, codec: UInt32) {
        let r = ByteReader(bytes)
        let o = 4 + b * StoredFieldsFormat.indexEntrySize
        guard let f = r.getUInt32LE(at: o), let off = r.getUInt32LE(at: o + 4), let s = r.getUInt32LE(at: o + 8),
            let raw = r.getUInt32LE(at: o + 12), let c = r.getUInt32LE(at: o + 16)
        else { throw corrupt("index entry truncated") }
        return (Int(f), Int(off), Int(s), Int(raw), c)
    }

    /// The raw bytes of block `b` (index entry `e`), bounds-checked and decompressed.
    private func decompressedBlock(
        _ b: Int, _ e: (firstDoc: Int, offset: Int, stored: Int, raw: Int, codec: UInt32)
    ) throws -> [UInt8] {
        let dataStart = 4 + blockCount * StoredFieldsFormat.indexEntrySize
        guard dataStart + e.offset + e.stored <= bytes.count, e.raw <= 64 * 1024 * 1024 + e.stored else {
            throw corrupt("block \(b) out of bounds")
        }
        let stored = UnsafeRawBufferPointer(rebasing: bytes[(dataStart + e.offset)..<(dataStart + e.offset + e.stored)])
        var raw: [UInt8] = []
        switch e.codec {
        case 0:
            guard e.stored == e.raw else { throw corrupt("raw block length mismatch") }
            raw = Array(stored)
        case 1:
            guard LZ4Codec.decompress(stored, decompressedCount: e.raw, into: &raw), raw.count == e.raw else {
                throw corrupt("block \(b) does not decompress")
            }
        default:
            throw corrupt("unknown codec \(e.codec)")
        }
        return raw
    }

    /// The block holding `doc` (binary search for the last block whose first document is at or
    /// before it) and its index entry.
    /// - Throws: `PoiskError.corruptIndex` for a document out of range or blocks out of order.
    private func block(of doc: Int) throws -> (Int, (firstDoc: Int, offset: Int, stored: Int, raw: Int, codec: UInt32)) {
        guard doc >= 0 && doc < docCount, blockCount > 0 else { throw corrupt("document \(doc) out of range") }
        var lo = 0
        var hi = blockCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if try entry(mid).firstDoc <= doc { lo = mid } else { hi = mid - 1 }
        }
        let e = try entry(lo)
        guard e.firstDoc <= doc else { throw corrupt("block \(lo) out of order") }
        return (lo, e)
    }

    /// The stored fields of `doc` as `(storedFieldID, text)` pairs.
    /// - Complexity: decompresses one block (about 16 KiB).
    package func document(_ doc: Int) throws -> [(Int, String)] {
        let (lo, e) = try block(of: doc)
        let raw = try decompressedBlock(lo, e)
        return try raw.withUnsafeBytes { buffer in
            var r = ByteReader(buffer)
            var current = e.firstDoc
            while true {
                guard let fieldCount = r.readVarIntAsInt(), fieldCount < 1 << 20 else { throw corrupt("record truncated") }
                var fields: [(Int, String)] = []
                for _ in 0..<fieldCount {
                    guard let id = r.readVarIntAsInt(), let length = r.readVarIntAsInt(),
                        let text = r.readBytes(count: length)
                    else { throw corrupt("field truncated") }
                    if current == doc { fields.append((id, String(decoding: text, as: UTF8.self))) }
                }
                if current == doc { return fields }
                current += 1
            }
        }
    }

    /// Calls `body` with the stored fields of `doc` that `wanted` accepts, as
    /// `(storedFieldID, UTF-8 bytes)` pairs in stored order; the bytes are valid only during the
    /// call.
    ///
    /// The document's block is decompressed only as far as needed: up to the end of its last
    /// wanted field when fields are stored in increasing id order (as every writer stores them),
    /// so a document's id and title cost the bytes in front of them, not the whole block.
    /// - Parameters:
    ///   - doc: the document.
    ///   - wanted: which stored field ids to return (0 is the document id, f + 1 schema field f).
    ///   - last: the largest id `wanted` accepts (reading stops after it).
    ///   - body: receives the fields.
    /// - Throws: `PoiskError.corruptIndex` when the block or the record is damaged.
    /// - Complexity: O(bytes of the block up to the last wanted field).
    package func withFields<R>(
        of doc: Int, wanted: (Int) -> Bool, last: Int,
        _ body: (_ fields: [(id: Int, bytes: UnsafeRawBufferPointer)]) throws -> R
    ) throws -> R {
        let (lo, e) = try block(of: doc)
        let dataStart = 4 + blockCount * StoredFieldsFormat.indexEntrySize
        guard dataStart + e.offset + e.stored <= bytes.count, e.raw <= 64 * 1024 * 1024 + e.stored else {
            throw corrupt("block \(lo) out of bounds")
        }
        let stored = UnsafeRawBufferPointer(rebasing: bytes[(dataStart + e.offset)..<(dataStart + e.offset + e.stored)])
        switch e.codec {
        case 0:
            guard e.stored == e.raw else { throw corrupt("raw block length mismatch") }
            var block = PartialBlock(raw: stored)
            return try readRecord(&block, doc: doc, firstDoc: e.firstDoc, wanted: wanted, last: last, body)
        case 1:
            let buffer = BlockBuffer.pool.take().flatMap { $0.capacity >= e.raw ? $0 : nil } ?? BlockBuffer(capacity: e.raw)
            defer { BlockBuffer.pool.give(buffer) }
            var block = PartialBlock(
                compressed: stored, output: UnsafeMutableRawBufferPointer(start: buffer.pointer, count: e.raw))
            return try readRecord(&block, doc: doc, firstDoc: e.firstDoc, wanted: wanted, last: last, body)
        default:
            throw corrupt("unknown codec \(e.codec)")
        }
    }

    /// Walks a block's records up to `doc` and hands its wanted fields to `body`.
    private func readRecord<R>(
        _ block: inout PartialBlock, doc: Int, firstDoc: Int, wanted: (Int) -> Bool, last: Int,
        _ body: ([(id: Int, bytes: UnsafeRawBufferPointer)]) throws -> R
    ) throws -> R {
        var offset = 0
        func varint() throws -> Int {
            guard block.ensure(offset + 10) else { throw corrupt("block does not decompress") }
            var r = ByteReader(block.available)
            r.offset = offset
            guard let v = r.readVarIntAsInt() else { throw corrupt("record truncated") }
            offset = r.offset
            return v
        }
        var current = firstDoc
        while current < doc {
            let fieldCount = try varint()
            guard fieldCount < 1 << 20 else { throw corrupt("record truncated") }
            for _ in 0..<fieldCount {
                _ = try varint()
                let length = try varint()
                guard length <= block.rawCount - offset else { throw corrupt("field truncated") }
                offset += length
            }
            current += 1
        }
        let fieldCount = try varint()
        guard fieldCount < 1 << 20 else { throw corrupt("record truncated") }
        var spans: [(id: Int, start: Int, count: Int)] = []
        var previous = -1
        var ordered = true
        for _ in 0..<fieldCount {
            let id = try varint()
            let length = try varint()
            guard length <= block.rawCount - offset else { throw corrupt("field truncated") }
            if wanted(id) {
                guard block.ensure(offset + length) else { throw corrupt("block does not decompress") }
                spans.append((id, offset, length))
            }
            offset += length
            ordered = ordered && id > previous
            previous = id
            // Fields come in increasing id order: none after this one is wanted.
            if ordered && id >= last { break }
        }
        let available = block.available
        return try body(
            spans.map { span in
                (span.id, UnsafeRawBufferPointer(rebasing: available[span.start..<(span.start + span.count)]))
            })
    }

    /// Calls `body` with every document's stored fields in doc order, decompressing each block
    /// once (for merges and checks).
    package func forEachDocument(_ body: (Int, [(Int, String)]) throws -> Void) throws {
        var doc = 0
        for b in 0..<blockCount {
            let e = try entry(b)
            guard e.firstDoc == doc else { throw corrupt("block \(b) out of order") }
            let raw = try decompressedBlock(b, e)
            let nextFirst = b + 1 < blockCount ? try entry(b + 1).firstDoc : docCount
            try raw.withUnsafeBytes { buffer in
                var r = ByteReader(buffer)
                while doc < nextFirst {
                    guard let fieldCount = r.readVarIntAsInt(), fieldCount < 1 << 20 else { throw corrupt("record truncated") }
                    var fields: [(Int, String)] = []
                    for _ in 0..<fieldCount {
                        guard let id = r.readVarIntAsInt(), let length = r.readVarIntAsInt(),
                            let text = r.readBytes(count: length)
                        else { throw corrupt("field truncated") }
                        fields.append((id, String(decoding: text, as: UTF8.self)))
                    }
                    try body(doc, fields)
                    doc += 1
                }
                guard r.remaining == 0 else { throw corrupt("block \(b) has trailing bytes") }
            }
        }
        guard doc == docCount else { throw corrupt("\(doc) documents stored, \(docCount) expected") }
    }
}

/// A stored-fields block read from its start, decompressed only as far as a reader asks.
private struct PartialBlock {
    private let compressed: UnsafeRawBufferPointer?
    private let output: UnsafeMutableRawBufferPointer
    private var progress = LZ4Codec.Progress()
    /// The decoded bytes so far.
    private(set) var available: UnsafeRawBufferPointer
    /// The block's decompressed size.
    let rawCount: Int

    /// A block stored raw: all of it is available.
    init(raw: UnsafeRawBufferPointer) {
        compressed = nil
        output = UnsafeMutableRawBufferPointer(mutating: raw)
        available = raw
        rawCount = raw.count
    }

    /// An LZ4 block decompressed into `output` (its decompressed size) on demand.
    init(compressed: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
        self.compressed = compressed
        self.output = output
        available = UnsafeRawBufferPointer(start: output.baseAddress, count: 0)
        rawCount = output.count
    }

    /// Makes at least `count` bytes available (all of the block when it is shorter).
    /// - Returns: false when the block is damaged.
    mutating func ensure(_ count: Int) -> Bool {
        let target = min(count, rawCount)
        if available.count >= target { return true }
        guard let compressed else { return false }
        // Decode a little ahead: each call costs a few branches, and records are read varint by
        // varint.
        guard LZ4Codec.decompress(compressed, into: output, progress: &progress, until: min(rawCount, target + 256)),
            progress.output <= rawCount
        else { return false }
        if progress.finished && progress.output != rawCount { return false }
        available = UnsafeRawBufferPointer(start: output.baseAddress, count: progress.output)
        return available.count >= target
    }
}

/// Memory a stored-fields block is decompressed into, pooled: a hit's block needs no fresh
/// allocation (nor the zero filling of an array).
final class BlockBuffer: @unchecked Sendable {
    // Used by one reader call at a time (the pool's policy).
    let pointer: UnsafeMutableRawPointer
    let capacity: Int

    /// Blocks up to 256 KiB are decompressed into pooled buffers; larger ones (one very long
    /// document) into a buffer of their own.
    static let pool = Pool<BlockBuffer>(capacity: 8, admit: { $0.capacity <= 256 * 1024 })

    init(capacity: Int) {
        // At least the target block size plus a record, so a pooled buffer fits most blocks.
        self.capacity = max(capacity, StoredFieldsFormat.targetBlockBytes * 2)
        pointer = UnsafeMutableRawPointer(RawMemory.allocate(UInt8.self, capacity: self.capacity))
    }

    deinit { RawMemory.free(pointer.assumingMemoryBound(to: UInt8.self)) }
}
