// CRC32C.swift
//
// What this is for: detecting corruption of segment files and blocks. Computes
// CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, initial value and final
// XOR 0xFFFFFFFF — the variant used by iSCSI, ext4, LevelDB and many storage
// formats) in portable software using the "slicing-by-8" technique: eight
// 256-entry tables let the loop fold 8 input bytes per iteration.
//
// What this is not for: cryptographic integrity (CRCs are trivially forgeable)
// or the zlib/PNG CRC-32 (a different polynomial). The tables are generated at
// first use, not stored as a literal. No hardware `crc32` instruction is used,
// because Swift has no portable intrinsic for it.

/// CRC-32C (Castagnoli) checksums, computed incrementally in software.
///
/// ```swift
/// let whole = CRC32C.checksum(buffer)
/// let part1 = CRC32C.checksum(firstHalf)
/// let same  = CRC32C.checksum(secondHalf, continuing: part1)   // == whole
/// ```
package enum CRC32C {
    /// The reflected Castagnoli polynomial.
    package static let polynomial: UInt32 = 0x82F6_3B78

    /// Slicing-by-8 lookup tables, stored flat: table `k` occupies entries
    /// `k*256 ..< (k+1)*256`. Table 0 is the classic byte-at-a-time table; table `k`
    /// gives the CRC contribution of a byte followed by `k` zero bytes.
    /// Built once, on first use (thread-safe lazy global initialisation).
    static let tables = sliceTables(reflectedPolynomial: polynomial, slices: 8)

    /// Computes the CRC-32C of `bytes`, optionally continuing a previous checksum.
    ///
    /// Passing the result of an earlier call as `continuing` yields the checksum of
    /// the concatenation, so data can be checksummed in pieces:
    /// `checksum(b, continuing: checksum(a)) == checksum(a + b)`.
    ///
    /// - Parameters:
    ///   - bytes: The data (may be empty; then `continuing` is returned unchanged).
    ///   - continuing: The checksum of everything before `bytes`; 0 to start fresh.
    /// - Returns: The CRC-32C (e.g. `"123456789"` → `0xE3069283`).
    /// - Complexity: O(n), about one table lookup per byte.
    package static func checksum(_ bytes: UnsafeRawBufferPointer, continuing: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return continuing }
        return tables.withUnsafeBufferPointer { table -> UInt32 in
            guard let t = table.baseAddress else { return continuing }
            var crc = ~continuing
            var p = base
            var n = bytes.count

            // Byte-at-a-time until 8-byte aligned (keeps the wide loads aligned).
            while n > 0 && (UInt(bitPattern: p) & 7) != 0 {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
                p += 1
                n -= 1
            }
            // Slicing-by-8 main loop.
            while n >= 8 {
                let word = UInt64(littleEndian: p.load(as: UInt64.self)) ^ UInt64(crc)
                let lo = UInt32(truncatingIfNeeded: word)
                let hi = UInt32(truncatingIfNeeded: word &>> 32)
                crc = t[7 * 256 + Int(lo & 0xFF)]
                    ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)]
                    ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)]
                    ^ t[Int(hi >> 24)]
                p += 8
                n -= 8
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

    /// Computes the CRC-32C of a byte array, optionally continuing a previous checksum.
    ///
    /// - Parameters:
    ///   - bytes: The data.
    ///   - continuing: The checksum of everything before `bytes`; 0 to start fresh.
    /// - Returns: The CRC-32C.
    package static func checksum(_ bytes: [UInt8], continuing: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: continuing) }
    }
}

/// Lookup tables for a slicing-by-`slices` CRC with a reflected polynomial, stored flat: table
/// `k` occupies entries `k*256 ..< (k+1)*256`. Table 0 is the classic byte-at-a-time table;
/// table `k` gives the CRC contribution of a byte followed by `k` zero bytes. Shared by
/// ``CRC32C`` (segment files) and ``CRC32`` (gzip).
func sliceTables(reflectedPolynomial polynomial: UInt32, slices: Int) -> [UInt32] {
    var tables = [UInt32](repeating: 0, count: slices * 256)
    for byte in 0..<256 {
        var crc = UInt32(byte)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
        }
        tables[byte] = crc
    }
    for k in 1..<slices {
        for byte in 0..<256 {
            let previous = tables[(k - 1) * 256 + byte]
            tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
        }
    }
    return tables
}
