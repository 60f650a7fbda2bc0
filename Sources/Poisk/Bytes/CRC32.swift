// CRC32.swift
//
// For: checking gzip members (RFC 1952 stores the CRC-32 of each member's uncompressed data
// and, with FHCRC, the low 16 bits of the CRC-32 of the header). Computes the IEEE CRC-32
// (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF — the CRC of
// zlib's `crc32`, PNG, Ethernet and zip) in portable software with "slicing-by-16": sixteen
// 256-entry tables let the loop fold 16 input bytes per iteration with independent lookups.
//
// Not for: segment files and blocks (those use `CRC32C`, the Castagnoli polynomial) or
// cryptographic integrity (CRCs are trivially forgeable). The tables are generated at first
// use, not stored as a literal; no hardware instruction is used (Swift has no portable
// intrinsic for carry-less multiplication).

/// IEEE CRC-32 checksums (zlib's `crc32`), computed incrementally in software.
///
/// ```swift
/// let whole = CRC32.checksum(buffer)
/// let part1 = CRC32.checksum(firstHalf)
/// let same  = CRC32.checksum(secondHalf, continuing: part1)   // == whole
/// ```
package enum CRC32 {
    /// The reflected IEEE 802.3 polynomial.
    package static let polynomial: UInt32 = 0xEDB8_8320

    /// Slicing-by-16 lookup tables, stored flat: table `k` occupies entries
    /// `k*256 ..< (k+1)*256`. Table 0 is the classic byte-at-a-time table; table `k`
    /// gives the CRC contribution of a byte followed by `k` zero bytes.
    /// Built once, on first use (thread-safe lazy global initialisation).
    static let tables = sliceTables(reflectedPolynomial: polynomial, slices: 16)

    /// Computes the CRC-32 of `bytes`, optionally continuing a previous checksum.
    ///
    /// Passing the result of an earlier call as `continuing` yields the checksum of
    /// the concatenation, so data can be checksummed in pieces:
    /// `checksum(b, continuing: checksum(a)) == checksum(a + b)`.
    ///
    /// - Parameters:
    ///   - bytes: The data (may be empty; then `continuing` is returned unchanged).
    ///   - continuing: The checksum of everything before `bytes`; 0 to start fresh.
    /// - Returns: The CRC-32 (e.g. `"123456789"` → `0xCBF43926`).
    /// - Complexity: O(n), about one table lookup per byte.
    package static func checksum(_ bytes: UnsafeRawBufferPointer, continuing: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return continuing }
        return tables.withUnsafeBufferPointer { table -> UInt32 in
            guard let t = table.baseAddress else { return continuing }
            var crc = ~continuing
            var p = base
            var n = bytes.count

            // Slicing-by-16 main loop: the running CRC is folded into the first four bytes,
            // then each of the 16 bytes looks up its contribution in the table for its
            // distance from the end of the chunk.
            while n >= 16 {
                let first = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(crc)
                let second = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                let a = UInt32(truncatingIfNeeded: first)
                let b = UInt32(truncatingIfNeeded: first &>> 32)
                let c = UInt32(truncatingIfNeeded: second)
                let d = UInt32(truncatingIfNeeded: second &>> 32)
                let ab =
                    t[15 * 256 + Int(a & 0xFF)] ^ t[14 * 256 + Int((a >> 8) & 0xFF)]
                    ^ t[13 * 256 + Int((a >> 16) & 0xFF)] ^ t[12 * 256 + Int(a >> 24)]
                    ^ t[11 * 256 + Int(b & 0xFF)] ^ t[10 * 256 + Int((b >> 8) & 0xFF)]
                    ^ t[9 * 256 + Int((b >> 16) & 0xFF)] ^ t[8 * 256 + Int(b >> 24)]
                let cd =
                    t[7 * 256 + Int(c & 0xFF)] ^ t[6 * 256 + Int((c >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((c >> 16) & 0xFF)] ^ t[4 * 256 + Int(c >> 24)]
                    ^ t[3 * 256 + Int(d & 0xFF)] ^ t[2 * 256 + Int((d >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((d >> 16) & 0xFF)] ^ t[Int(d >> 24)]
                crc = ab ^ cd
                p += 16
                n -= 16
            }
            // Tail.
            while n > 0 {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
                p += 1
                n -= 1
            }
            return ~crc
        }
    }

    /// Computes the CRC-32 of a byte array, optionally continuing a previous checksum.
    ///
    /// - Parameters:
    ///   - bytes: The data.
    ///   - continuing: The checksum of everything before `bytes`; 0 to start fresh.
    /// - Returns: The CRC-32.
    /// - Complexity: O(n).
    package static func checksum(_ bytes: [UInt8], continuing: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: continuing) }
    }
}
