// A postings cursor's positions: the current document's positions decoded (eight one-byte gaps
// at a time where they fit, SWAR), counted against a bitmap, or appended; every read
// bounds-checked, damage marks the cursor corrupt.
//
// For: phrase scoring, merging and checking. Not for: doc ids and frequencies (PostingsCursor).

extension PostingsCursor {
    /// Decodes the current document's positions into `out` (cleared first).
    /// - Returns: false when the positions bytes are damaged.
    package func readPositions(into out: inout [UInt32]) -> Bool {
        guard hasPositions else { return false }
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
