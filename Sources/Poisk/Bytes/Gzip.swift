// Gzip.swift
//
// For: reading `.gz` files (RFC 1952) in memory, for `DocumentLoader.readFile`, without
// running an external program. A gzip file is one or more members, each
//
//   header  := ID1 0x1f, ID2 0x8b, CM 8 (deflate), FLG, MTIME (4), XFL, OS
//              [FEXTRA: XLEN (2, little-endian) and XLEN bytes]
//              [FNAME: zero-terminated] [FCOMMENT: zero-terminated]
//              [FHCRC: low 16 bits of the CRC-32 of the header bytes before it]
//   data    := one DEFLATE stream (see `Inflate`)
//   trailer := CRC-32 of the member's uncompressed data, ISIZE = its length mod 2^32
//              (both 4 bytes, little-endian)
//
// Members are decoded one after another into one output, as `gzip -d` does; each member's
// header CRC (when FHCRC is set), CRC-32 and ISIZE are checked. Reserved FLG bits, a method
// other than 8 and any damage are errors (`PoiskError.io` with a reason naming the member
// and, where it helps, the byte offset).
//
// Trailing data after a member that does not start a new member (0x1f 0x8b): zero bytes are
// ignored (padding added by tape and block devices; `gzip -d` 1.12 ignores them silently too).
// Anything else is an error, though `gzip -d` only warns "decompression OK, trailing garbage
// ignored" (and exits with status 2): an index should not be built from a file that may have
// been damaged or appended to without anyone noticing.
//
// Not for: writing gzip files, zlib (RFC 1950) or zip containers, or streaming: the whole
// input is in memory and so is the whole output.

import Foundation

/// Decompression of whole gzip files.
///
/// ```swift
/// let text = try Gzip.decompress(Data(contentsOf: url), name: url.path)
/// ```
package enum Gzip {
    static let flagHeaderCRC: UInt8 = 0x02
    static let flagExtra: UInt8 = 0x04
    static let flagName: UInt8 = 0x08
    static let flagComment: UInt8 = 0x10
    static let reservedFlags: UInt8 = 0xE0

    /// Decompresses a gzip file held in `data`.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - name: Names the file in errors (its path).
    /// - Returns: The concatenated uncompressed data of every member.
    /// - Throws: `PoiskError.io(path: name, …)` when the data is not gzip, is truncated or
    ///   damaged, or has trailing bytes that are neither zeros nor a gzip member.
    /// - Complexity: O(input + output).
    package static func decompress(_ data: Data, name: String) throws -> Data {
        try data.withUnsafeBytes { try decompress($0, name: name) }
    }

    /// Decompresses a gzip file held in `input`.
    ///
    /// - Parameters:
    ///   - input: The file's bytes.
    ///   - name: Names the file in errors (its path).
    /// - Returns: The concatenated uncompressed data of every member.
    /// - Throws: `PoiskError.io(path: name, …)` when the data is not gzip, is truncated or
    ///   damaged, or has trailing bytes that are neither zeros nor a gzip member.
    /// - Complexity: O(input + output); the output buffer is sized from the last member's
    ///   ISIZE (bounded by what the input could possibly hold) and grows geometrically.
    package static func decompress(_ input: UnsafeRawBufferPointer, name: String) throws -> Data {
        func failure(_ reason: String) -> PoiskError { PoiskError.io(path: name, reason: reason) }
        guard let base = input.baseAddress, !input.isEmpty else { throw failure("empty file, not gzip data") }
        let n = input.count
        func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
        func uint32(_ i: Int) -> UInt32 {
            UInt32(byte(i)) | UInt32(byte(i + 1)) << 8 | UInt32(byte(i + 2)) << 16 | UInt32(byte(i + 3)) << 24
        }
        guard byte(0) == 0x1F, n == 1 || byte(1) == 0x8B else { throw failure("not a gzip file (bad magic bytes)") }

        let output = InflateOutput(expected: sizeHint(input))
        let tables = InflateTables()
        var pos = 0
        var member = 0
        while true {
            member += 1
            let dataStart = try readHeader(input, at: pos, member: member, name: name)
            let outputStart = output.count
            let end: Int
            do throws(InflateFailure) {
                end = try Inflate.inflate(input, from: dataStart, into: output, tables: tables)
            } catch {
                switch error.kind {
                case .truncated:
                    throw failure("truncated gzip data at byte \(error.offset) (the file ends inside member \(member))")
                case .corrupt(let what):
                    throw failure("corrupt DEFLATE data in gzip member \(member): \(what) at byte \(error.offset)")
                }
            }
            guard n - end >= 8 else {
                throw failure("truncated gzip data at byte \(n) (member \(member) ends before its CRC-32 and size)")
            }
            let decoded = output.count - outputStart
            let crc = CRC32.checksum(UnsafeRawBufferPointer(start: output.base + outputStart, count: decoded))
            guard crc == uint32(end) else {
                throw failure("CRC-32 mismatch in gzip member \(member): the file is damaged")
            }
            let size = uint32(end + 4)
            guard size == UInt32(truncatingIfNeeded: decoded) else {
                throw failure(
                    "ISIZE mismatch in gzip member \(member) (it records \(size) bytes, \(decoded) were decoded): the file is damaged")
            }
            pos = end + 8
            if pos == n { break }
            // Another member follows (possibly truncated after its first byte).
            if byte(pos) == 0x1F && (pos + 1 == n || byte(pos + 1) == 0x8B) { continue }
            // Zero padding is ignored; anything else is an error (see the file comment).
            var p = pos
            while p < n && byte(p) == 0 { p += 1 }
            if p == n { break }
            throw failure(
                "trailing garbage after gzip member \(member) at byte \(pos): \(n - pos) bytes that are not a gzip member")
        }
        return output.takeData()
    }

    /// A guess of the output size: the last member's ISIZE when the input could hold that
    /// much (DEFLATE expands at most 1032:1), else four times the input; at most 1 GiB.
    static func sizeHint(_ input: UnsafeRawBufferPointer) -> Int {
        let n = input.count
        guard n >= 20 else { return 4 * n }
        let isize = input.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self).littleEndian
        let hint = isize == 0 || Int(isize) > n * 1032 ? 4 * n : Int(isize)
        return min(hint, 1 << 30)
    }

    /// Parses the header of member `member` at `input[pos]`.
    ///
    /// - Returns: The offset of the member's DEFLATE data.
    /// - Throws: `PoiskError.io` for a truncated or invalid header.
    static func readHeader(_ input: UnsafeRawBufferPointer, at pos: Int, member: Int, name: String) throws -> Int {
        func failure(_ reason: String) -> PoiskError { PoiskError.io(path: name, reason: reason) }
        let n = input.count
        let truncated = failure("truncated gzip data at byte \(n) (the file ends inside the header of member \(member))")
        guard n - pos >= 10 else { throw truncated }
        guard input[pos] == 0x1F, input[pos + 1] == 0x8B else {
            throw failure("not a gzip file (bad magic bytes)")
        }
        guard input[pos + 2] == 8 else {
            throw failure(
                "gzip member \(member) uses compression method \(input[pos + 2]); only 8 (deflate) exists")
        }
        let flags = input[pos + 3]
        guard flags & reservedFlags == 0 else {
            throw failure("gzip member \(member) has reserved header flags set (\(flags)); the file is damaged")
        }
        var p = pos + 10
        if flags & flagExtra != 0 {
            guard n - p >= 2 else { throw truncated }
            let extraLength = Int(input[p]) | Int(input[p + 1]) << 8
            p += 2
            guard n - p >= extraLength else { throw truncated }
            p += extraLength
        }
        for flag in [flagName, flagComment] where flags & flag != 0 {
            // A zero-terminated string (file name or comment).
            while p < n && input[p] != 0 { p += 1 }
            guard p < n else { throw truncated }
            p += 1
        }
        if flags & flagHeaderCRC != 0 {
            guard n - p >= 2 else { throw truncated }
            let stored = UInt16(input[p]) | UInt16(input[p + 1]) << 8
            let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: input[pos..<p]))
            guard stored == UInt16(truncatingIfNeeded: computed) else {
                throw failure("header CRC mismatch in gzip member \(member): the file is damaged")
            }
            p += 2
        }
        return p
    }
}
