// Eight-bytes-at-a-time ASCII helpers for the normalizer's fast path.
//
// For: TokenNormalizer+FastPath. Not for: non-ASCII bytes.

/// Eight-bytes-at-a-time ASCII helpers ("SIMD within a register"). Every byte of the word must be < 0x80,
/// so adding a constant < 0x80 to a byte never carries into the next byte; byte order does not matter.
enum NormalizerSWAR {
    static var ones: UInt64 { 0x0101_0101_0101_0101 }
    static var high: UInt64 { 0x8080_8080_8080_8080 }

    /// Loads `k` (1…7) bytes at `p + i` into the low lanes of a word (little-endian lane order), without
    /// reading outside `p[i..<i+k]`.
    @inline(__always)
    static func gather(_ p: UnsafeMutableRawPointer, _ i: Int, _ k: Int) -> UInt64 {
        if k >= 4 {
            let lo = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            let hi = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i &+ k &- 4, as: UInt32.self)))
            return lo | (hi << UInt64(8 &* (k &- 4)))
        }
        if k >= 2 {
            let lo = UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
            let hi = UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: i &+ k &- 2, as: UInt16.self)))
            return lo | (hi << UInt64(8 &* (k &- 2)))
        }
        return UInt64(p.load(fromByteOffset: i, as: UInt8.self))
    }

    /// Stores the low `k` (1…7) lanes of `x` back to `p + i` (the inverse of `gather`).
    @inline(__always)
    static func scatter(_ p: UnsafeMutableRawPointer, _ i: Int, _ k: Int, _ x: UInt64) {
        if k >= 4 {
            p.storeBytes(of: UInt32(truncatingIfNeeded: x).littleEndian, toByteOffset: i, as: UInt32.self)
            p.storeBytes(
                of: UInt32(truncatingIfNeeded: x >> UInt64(8 &* (k &- 4))).littleEndian,
                toByteOffset: i &+ k &- 4, as: UInt32.self)
        } else if k >= 2 {
            p.storeBytes(of: UInt16(truncatingIfNeeded: x).littleEndian, toByteOffset: i, as: UInt16.self)
            p.storeBytes(
                of: UInt16(truncatingIfNeeded: x >> UInt64(8 &* (k &- 2))).littleEndian,
                toByteOffset: i &+ k &- 2, as: UInt16.self)
        } else {
            p.storeBytes(of: UInt8(truncatingIfNeeded: x), toByteOffset: i, as: UInt8.self)
        }
    }

    /// High bit set in each byte that is >= `lo` and <= `hi`.
    @inline(__always)
    static func inRange(_ x: UInt64, _ lo: UInt8, _ hi: UInt8) -> UInt64 {
        let ge = x &+ ones &* UInt64(0x80 &- lo)
        let gt = x &+ ones &* UInt64(0x80 &- (hi &+ 1))
        return ge & ~gt & high
    }

    /// High bit set exactly in each byte of `x` equal to `byte`.
    @inline(__always)
    static func equal(_ x: UInt64, _ byte: UInt8) -> UInt64 {
        let t = x ^ (ones &* UInt64(byte))
        return ~(((t & ~high) &+ ~high) | t | ~high)
    }

    /// Lowercases A–Z, maps ` to ', and counts a–z letters and 0–9 digits of eight ASCII bytes
    /// (zero padding bytes count as nothing). Returns `true` if an apostrophe is present.
    @inline(__always)
    static func lowerASCII(_ x: inout UInt64, _ latin: inout Int, _ digits: inout Int) -> Bool {
        x |= inRange(x, 0x41, 0x5A) >> 2
        // Lane sums by one multiply (the baseline x86-64 target has no popcount instruction).
        latin &+= Int(truncatingIfNeeded: ((inRange(x, 0x61, 0x7A) &>> 7) &* ones) &>> 56)
        digits &+= Int(truncatingIfNeeded: ((inRange(x, 0x30, 0x39) &>> 7) &* ones) &>> 56)
        let backticks = equal(x, 0x60)
        if backticks != 0 {
            let lanes = backticks >> 7
            x = (x & ~(lanes &* 0xFF)) | (lanes &* 0x27)
            return true
        }
        return equal(x, 0x27) != 0
    }
}
