// In-memory postings of one field while a segment is built: every term's (doc, positions) stream
// in one pool of byte slices, instead of one growable array per term.
//
// For: the indexing hot path (one `add` per token). Not for: reading finished segments.
//
// Layout. Memory comes in 1 MiB pages; an address is `page << 20 | offset` (UInt32, so a pool
// holds at most 4 GiB; the writer keeps each builder far below that). A term's stream is a chain
// of slices whose payload grows 8, 24, 56, … 2040 bytes; the 4 bytes after a slice's payload hold
// the address of the next slice. A term's state (head, write address, slice end, last doc and
// position) lives in a flat array indexed by term id. The stream encoding is the one the builder
// has always used: per document a varint doc delta, then varint (position gap + 1) values, and a 0
// byte before the next document's delta.

/// The stream state of one term.
struct TermPostingState {
    /// Address of the first slice.
    var head: UInt32
    /// Address of the next byte to write.
    var write: UInt32
    /// Address one past the current slice's payload.
    var end: UInt32
    /// Last document written, or -1.
    var lastDoc: Int32
    /// Last position written in `lastDoc`.
    var lastPosition: UInt32
    /// Slice level of the current slice (see `PostingsPoolCore.sliceSize`).
    var level: UInt32
}

/// The mutable core of a pool, kept in manually managed memory so the per-token path pays no
/// exclusivity checks or reference counting.
struct PostingsPoolCore {
    static let pageShift: UInt32 = 20
    static let pageSize = 1 << 20
    static let maxPages = 4096
    /// The highest slice level; it repeats.
    static let maxLevel: UInt32 = 7

    var pages: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    var pageCount = 0
    var used = PostingsPoolCore.pageSize  // forces a page on the first allocation
    var states: UnsafeMutablePointer<TermPostingState>
    var stateCapacity: Int
    var termCount = 0
    /// Set when the pool ran out of address space; later tokens are dropped (the writer refuses
    /// such a segment instead of building it).
    var overflowed = false

    /// Payload size of a slice level: 8, 24, 56, … 2040 bytes (a power of two less the 4-byte
    /// link and 4 bytes of slack), so slices grow with the term.
    @inline(__always)
    static func sliceSize(_ level: UInt32) -> Int { (16 << Int(min(level, maxLevel))) - 8 }

    @inline(__always)
    func pointer(_ address: UInt32) -> UnsafeMutableRawPointer {
        // Every address handed out points into an allocated page.
        pages[Int(address >> PostingsPoolCore.pageShift)].unsafelyUnwrapped + Int(address & 0xF_FFFF)
    }

    /// Allocates `size` bytes (payload + 4-byte link) that do not cross a page; nil when full.
    mutating func allocate(_ size: Int) -> UInt32? {
        if used + size > PostingsPoolCore.pageSize {
            guard pageCount < PostingsPoolCore.maxPages else {
                overflowed = true
                return nil
            }
            pages[pageCount] = UnsafeMutableRawPointer.allocate(
                byteCount: PostingsPoolCore.pageSize, alignment: 16)
            pageCount += 1
            used = 0
        }
        let address = UInt32(pageCount - 1) << PostingsPoolCore.pageShift | UInt32(used)
        used += size
        return address
    }

    /// Starts the stream of a new term; returns false when the pool is full.
    mutating func newTerm() -> Bool {
        if termCount == stateCapacity {
            let capacity = stateCapacity * 2
            let grown = UnsafeMutablePointer<TermPostingState>.allocate(capacity: capacity)
            grown.moveInitialize(from: states, count: termCount)
            states.deallocate()
            states = grown
            stateCapacity = capacity
        }
        guard let head = allocate(PostingsPoolCore.sliceSize(0) + 4) else { return false }
        (states + termCount).initialize(
            to: TermPostingState(
                head: head, write: head, end: head + UInt32(PostingsPoolCore.sliceSize(0)), lastDoc: -1,
                lastPosition: 0, level: 0))
        termCount += 1
        return true
    }

    /// Moves `state` to a fresh slice of the next level, linking it from the full one.
    @inline(never)
    mutating func nextSlice(_ state: inout TermPostingState) -> Bool {
        let level = min(state.level + 1, PostingsPoolCore.maxLevel)
        let size = PostingsPoolCore.sliceSize(level)
        guard let slice = allocate(size + 4) else { return false }
        pointer(state.end).storeBytes(of: slice.littleEndian, as: UInt32.self)
        state.write = slice
        state.end = slice + UInt32(size)
        state.level = level
        return true
    }

    /// Appends a varint to a term's stream.
    @inline(__always)
    mutating func writeVarInt(_ value: UInt32, _ state: inout TermPostingState) {
        if state.end &- state.write >= 5 {
            // Room for the longest varint: write without per-byte checks.
            let p = pointer(state.write)
            var v = value
            var n = 0
            while v >= 0x80 {
                p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: n, as: UInt8.self)
                n &+= 1
                v >>= 7
            }
            p.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: n, as: UInt8.self)
            state.write &+= UInt32(truncatingIfNeeded: n &+ 1)
            return
        }
        var v = value
        while true {
            if state.write == state.end, !nextSlice(&state) { return }
            let byte = v >= 0x80 ? UInt8(truncatingIfNeeded: v) | 0x80 : UInt8(truncatingIfNeeded: v)
            pointer(state.write).storeBytes(of: byte, as: UInt8.self)
            state.write &+= 1
            if v < 0x80 { return }
            v >>= 7
        }
    }

    /// Records one occurrence of term `id` at `position` in `doc` (docs arrive in increasing order).
    @inline(__always)
    mutating func add(_ id: Int, doc: Int32, position: UInt32) {
        var state = states[id]
        if doc != state.lastDoc {
            if state.lastDoc >= 0 { writeVarInt(0, &state) }
            writeVarInt(UInt32(bitPattern: doc &- state.lastDoc), &state)
            state.lastDoc = doc
            writeVarInt(position &+ 1, &state)
        } else {
            writeVarInt(position &- state.lastPosition &+ 1, &state)
        }
        state.lastPosition = position
        states[id] = state
    }
}

/// Owns a `PostingsPoolCore` and its memory.
final class PostingsPool {
    let core: UnsafeMutablePointer<PostingsPoolCore>

    init(expectedTerms: Int = 4096) {
        let capacity = max(16, expectedTerms)
        let pages = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(
            capacity: PostingsPoolCore.maxPages)
        pages.initialize(repeating: nil, count: PostingsPoolCore.maxPages)
        core = .allocate(capacity: 1)
        core.initialize(
            to: PostingsPoolCore(
                pages: pages, states: .allocate(capacity: capacity), stateCapacity: capacity))
    }

    deinit {
        for p in 0..<core.pointee.pageCount { core.pointee.pages[p]?.deallocate() }
        core.pointee.pages.deallocate()
        core.pointee.states.deallocate()
        core.deinitialize(count: 1)
        core.deallocate()
    }

    /// Bytes of pool memory held.
    var allocatedBytes: Int { core.pointee.pageCount * PostingsPoolCore.pageSize }

    /// The first byte of term `id`'s stream (to bring it into cache ahead of reading it).
    @inline(__always)
    func firstByte(_ id: Int) -> UInt8 {
        let c = core.pointee
        return c.pointer(c.states[id].head).load(as: UInt8.self)
    }

    /// A reader of term `id`'s stream, straight from the pool's slices (no copy).
    func reader(_ id: Int) -> PostingsStreamReader { PostingsStreamReader(core, id) }

    /// Copies term `id`'s whole stream into `buffer` (replacing its contents): the reference
    /// the tests compare ``reader(_:)`` and the slice layout with.
    func copyStream(_ id: Int, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        let c = core.pointee
        let state = c.states[id]
        var address = state.head
        var level: UInt32 = 0
        while true {
            let sliceEnd = address + UInt32(PostingsPoolCore.sliceSize(level))
            if sliceEnd == state.end {
                // The current (last) slice: written up to `write`.
                buffer.append(
                    contentsOf: UnsafeRawBufferPointer(
                        start: c.pointer(address), count: Int(state.write - address)))
                return
            }
            buffer.append(
                contentsOf: UnsafeRawBufferPointer(
                    start: c.pointer(address), count: Int(sliceEnd - address)))
            address = UInt32(littleEndian: c.pointer(sliceEnd).loadUnaligned(as: UInt32.self))
            level = min(level + 1, PostingsPoolCore.maxLevel)
        }
    }
}

/// Reads one term's stream in place, slice by slice. Valid while the pool lives and is not
/// written to.
struct PostingsStreamReader {
    private let core: UnsafeMutablePointer<PostingsPoolCore>
    /// Next byte to read, and one past the last readable byte of the current slice.
    private var p: UnsafeRawPointer
    private var sliceEnd: UnsafeRawPointer
    /// Pool address of the current slice's end (where its link is), and its level.
    private var endAddress: UInt32
    private var level: UInt32
    private let lastEnd: UInt32
    private let lastWrite: UInt32

    init(_ core: UnsafeMutablePointer<PostingsPoolCore>, _ id: Int) {
        self.core = core
        let state = core.pointee.states[id]
        lastEnd = state.end
        lastWrite = state.write
        level = 0
        endAddress = state.head &+ UInt32(PostingsPoolCore.sliceSize(0))
        p = UnsafeRawPointer(core.pointee.pointer(state.head))
        let readable = endAddress == lastEnd ? lastWrite &- state.head : endAddress &- state.head
        sliceEnd = p + Int(readable)
    }

    /// Moves to the next slice; false at the end of the stream.
    @inline(never)
    private mutating func nextSlice() -> Bool {
        if endAddress == lastEnd { return false }
        let c = core.pointee
        let next = UInt32(littleEndian: c.pointer(endAddress).loadUnaligned(as: UInt32.self))
        level = min(level + 1, PostingsPoolCore.maxLevel)
        endAddress = next &+ UInt32(PostingsPoolCore.sliceSize(level))
        p = UnsafeRawPointer(c.pointer(next))
        let readable = endAddress == lastEnd ? lastWrite &- next : endAddress &- next
        sliceEnd = p + Int(readable)
        return p != sliceEnd || nextSlice()
    }

    /// The next varint of the stream, or nil at its end.
    @inline(__always)
    mutating func readVarInt() -> UInt32? {
        // Five bytes left in the slice (the longest varint): no end check per byte. Most values
        // (position gaps, doc deltas, terminators) are one byte.
        if sliceEnd - p >= 5 {
            let b0 = p.load(as: UInt8.self)
            if b0 < 0x80 {
                p += 1
                return UInt32(b0)
            }
            var result = UInt32(b0 & 0x7F)
            var k = 1
            while k < 5 {
                let byte = p.load(fromByteOffset: k, as: UInt8.self)
                result |= UInt32(byte & 0x7F) &<< UInt32(7 &* k)
                k &+= 1
                if byte < 0x80 { break }
            }
            p += k
            return result
        }
        return readVarIntAcrossSlices()
    }

    /// ``readVarInt()`` near the end of a slice: checks for the end before every byte.
    @inline(never)
    private mutating func readVarIntAcrossSlices() -> UInt32? {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            if p == sliceEnd, !nextSlice() { return nil }
            let byte = p.load(as: UInt8.self)
            p += 1
            result |= UInt32(byte & 0x7F) &<< shift
            if byte < 0x80 { return result }
            shift &+= 7
            if shift > 28 { return result }
        }
    }
}
