// Lenient UTF-8 decoding for the normalizer: invalid input becomes U+FFFD, never a trap.
//
// For: TokenNormalizer. Not for: the segmenter (which decodes on its own).

/// Lenient UTF-8 decoding: invalid input yields U+FFFD for each maximal invalid subpart.
enum NormalizerUTF8 {
    /// Decodes the scalar starting at `p[i]` (`i < n`). Returns the scalar and the bytes consumed (≥ 1).
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let avail = n &- i
        if b0 < 0xC2 { return (0xFFFD, 1) }
        if b0 < 0xE0 {
            guard avail >= 2, p[i &+ 1] & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(p[i &+ 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard avail >= 2 else { return (0xFFFD, 1) }
            let b1 = p[i &+ 1]
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= lo && b1 <= hi else { return (0xFFFD, 1) }
            guard avail >= 3, p[i &+ 2] & 0xC0 == 0x80 else { return (0xFFFD, 2) }
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(p[i &+ 2] & 0x3F), 3)
        }
        if b0 < 0xF5 {
            guard avail >= 2 else { return (0xFFFD, 1) }
            let b1 = p[i &+ 1]
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lo && b1 <= hi else { return (0xFFFD, 1) }
            guard avail >= 3, p[i &+ 2] & 0xC0 == 0x80 else { return (0xFFFD, 2) }
            guard avail >= 4, p[i &+ 3] & 0xC0 == 0x80 else { return (0xFFFD, 3) }
            return (
                (UInt32(b0 & 0x07) << 18) | (UInt32(b1 & 0x3F) << 12)
                    | (UInt32(p[i &+ 2] & 0x3F) << 6) | UInt32(p[i &+ 3] & 0x3F), 4
            )
        }
        return (0xFFFD, 1)
    }
}
