// LZ4Codec.swift
//
// What this is for: compressing stored-field blocks. An LZ4 *block format*
// compressor and a fully bounds-checked decompressor, written from the public
// format description:
//
//   block    := sequence* lastSequence
//   sequence := token [literalLength+] literals offset [matchLength+]
//   token    := high 4 bits literal length, low 4 bits (match length - 4);
//               a nibble of 15 means "more follows": add bytes until one < 255
//   offset   := 2 bytes little-endian, 1...65535 back from the current output
//   lastSequence := token [literalLength+] literals        (no offset/match)
//
// The compressor is greedy with a hash table keyed by 5 bytes, matches of 4 or more
// (like LZ4 "fast" on 64-bit machines),
// obeys the end-of-block rules (last 5 bytes are literals, the last match starts
// at least 12 bytes before the end) so its output is readable by any LZ4 block
// decoder. The decompressor validates every length and offset: corrupt input
// yields failure, never an out-of-bounds access.
//
// What this is not for: the LZ4 *frame* format (magic number, block headers,
// checksums) — the caller stores the decompressed size and any checksum (see
// `CRC32C`) itself. No dictionaries, no high-compression mode.

/// LZ4 block-format compression (instance, owns a reusable hash table) and
/// decompression (static, stateless).
///
/// ```swift
/// var codec = LZ4Codec()
/// var out = ByteWriter()
/// codec.compress(raw, into: &out)                  // raw: UnsafeRawBufferPointer
/// var restored: [UInt8] = []
/// let ok = LZ4Codec.decompress(compressed, decompressedCount: raw.count, into: &restored)
/// ```
package struct LZ4Codec: Sendable {
    /// log2 of the number of hash-table entries (the table is 64 KiB).
    static let hashLog = 14
    static let minMatch = 4
    /// The last `lastLiterals` bytes of a block are always literals.
    static let lastLiterals = 5
    /// A match must start at least `matchFindLimit` bytes before the end of the block.
    static let matchFindLimit = 12
    static let maxOffset = 65_535

    /// Scratch hash table: maps a hash of 4 input bytes to the last position seen.
    /// Allocated once per codec and reused by every `compress` call.
    private var table: [Int32]
    /// Positions are stored in the table as `base + position`; a block starts at a base above
    /// every value stored before, so older entries read as negative positions (no match) and the
    /// table never needs clearing between blocks (clearing 64 KiB per 16 KiB block cost more
    /// than a tenth of the compression time).
    private var base = 0

    /// Creates a codec with its own scratch hash table (64 KiB).
    package init() {
        table = [Int32](repeating: -1, count: 1 << Self.hashLog)
    }

    /// A codec whose position base starts at `base` (tests: the wrap-around of the base).
    package init(startingBase base: Int) {
        self.init()
        self.base = base
    }

    /// Upper bound on the compressed size of `inputCount` bytes (`n + n/255 + 16`).
    ///
    /// - Parameter inputCount: The uncompressed size (negative counts as 0).
    @inlinable
    package static func maxCompressedCount(for inputCount: Int) -> Int {
        let n = max(0, inputCount)
        return n + n / 255 + 16
    }

    /// Upper bound on what a valid block of `compressedCount` bytes can decompress to
    /// (each input byte yields at most 255 output bytes). Used to reject absurd
    /// `decompressedCount` values read from corrupt headers before allocating.
    ///
    /// - Parameter compressedCount: The compressed size.
    @inlinable
    package static func maxDecompressedCount(forCompressedCount compressedCount: Int) -> Int {
        let (product, overflow) = max(0, compressedCount).multipliedReportingOverflow(by: 255)
        return overflow ? Int.max : product
    }

    // MARK: Compression

    /// Compresses `input` as one LZ4 block and appends it to `writer`.
    ///
    /// The empty input compresses to a single zero token byte. Inputs of 2 GiB or
    /// more are stored as literals only (still a valid block).
    ///
    /// - Parameters:
    ///   - input: The bytes to compress.
    ///   - writer: Destination; grows by at most ``maxCompressedCount(for:)`` bytes.
    /// - Complexity: O(n).
    package mutating func compress(_ input: UnsafeRawBufferPointer, into writer: inout ByteWriter) {
        writer.writeWithUnsafeMutableBytes(maximumCount: Self.maxCompressedCount(for: input.count)) { out -> Int in
            compress(input, to: out) ?? 0
        }
    }

    /// Compresses `input` as one LZ4 block into `output`, which needs room for
    /// ``maxCompressedCount(for:)`` bytes (its contents need not be initialized to anything).
    ///
    /// - Parameters:
    ///   - input: The bytes to compress.
    ///   - output: Destination memory.
    /// - Returns: The number of bytes written, or nil when `output` is smaller than
    ///   ``maxCompressedCount(for:)``.
    /// - Complexity: O(n).
    package mutating func compress(_ input: UnsafeRawBufferPointer, to output: UnsafeMutableRawBufferPointer) -> Int? {
        let n = input.count
        guard let dst = output.baseAddress, output.count >= Self.maxCompressedCount(for: n) else { return nil }
        guard let src = input.baseAddress, n > 0 else {
            dst.storeBytes(of: 0, as: UInt8.self)
            return 1
        }
        if n <= Self.matchFindLimit || n >= Int(Int32.max) {
            return Self.writeLastLiterals(src, count: n, to: dst, at: 0)
        }
        if base > Int(Int32.max) - n - 1 {
            // Positions would no longer fit: start over with an empty table.
            for i in table.indices { table[i] = -1 }
            base = 0
        }
        let blockBase = base
        base += n
        return table.withUnsafeMutableBufferPointer { entries -> Int in
            guard let t = entries.baseAddress else { return Self.writeLastLiterals(src, count: n, to: dst, at: 0) }
            return Self.compressBlock(src, count: n, to: dst, capacity: output.count, table: t, base: blockBase)
        }
    }

    /// Compresses a byte array as one LZ4 block and appends it to `writer`.
    package mutating func compress(_ input: [UInt8], into writer: inout ByteWriter) {
        input.withUnsafeBytes { compress($0, into: &writer) }
    }

    /// Hash of the five bytes at the low end of `word` (little-endian), as LZ4 does on 64-bit
    /// machines: five-byte keys find fewer four-byte matches that end at once.
    @inline(__always)
    private static func hash5(_ word: UInt64, shift: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(littleEndian: word) &<< 24) &* 889_523_592_379) &>> UInt64(32 &+ shift))
    }

    @inline(__always)
    private static func load64(_ p: UnsafeRawPointer, _ i: Int) -> UInt64 {
        p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
    }

    @inline(__always)
    private static func load32(_ p: UnsafeRawPointer, _ i: Int) -> UInt32 {
        p.loadUnaligned(fromByteOffset: i, as: UInt32.self)
    }

    /// Greedy LZ4 compression of `n > 12` bytes. Returns the number of bytes written.
    /// The table holds `base + position` for this block's positions; anything below `base` is
    /// from an earlier block and never matches.
    private static func compressBlock(
        _ src: UnsafeRawPointer, count n: Int, to dst: UnsafeMutableRawPointer, capacity: Int,
        table t: UnsafeMutablePointer<Int32>, base: Int
    ) -> Int {
        let shift = UInt32(32 - hashLog)
        let lastMatchStart = n - matchFindLimit  // a match may start at positions <= this
        let matchEndLimit = n - lastLiterals  // and must end at or before this
        let bytes = src.assumingMemoryBound(to: UInt8.self)
        var op = 0
        var anchor = 0
        t[hash5(load64(src, 0), shift: shift)] = Int32(truncatingIfNeeded: base)
        var ip = 1

        search: while true {
            // Find a 4-byte match, stepping faster through incompressible data.
            var ref = 0
            var attempts = 1 << 6
            while true {
                if ip > lastMatchStart { break search }
                let sequence = load32(src, ip)
                let h = hash5(load64(src, ip), shift: shift)
                ref = Int(t[h]) &- base
                t[h] = Int32(truncatingIfNeeded: ip &+ base)
                if ref >= 0, ip - ref <= maxOffset, load32(src, ref) == sequence { break }
                ip += attempts >> 6
                attempts += 1
            }
            // Extend backwards over pending literals.
            while ip > anchor, ref > 0, bytes[ip - 1] == bytes[ref - 1] {
                ip -= 1
                ref -= 1
            }
            // Extend forwards, 8 bytes at a time.
            var length = minMatch
            while ip + length + 8 <= matchEndLimit {
                let a = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: ip + length, as: UInt64.self))
                let b = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: ref + length, as: UInt64.self))
                let diff = a ^ b
                if diff != 0 {
                    length += diff.trailingZeroBitCount >> 3
                    break
                }
                length += 8
            }
            if ip + length + 8 > matchEndLimit {
                while ip + length < matchEndLimit, bytes[ip + length] == bytes[ref + length] { length += 1 }
            }

            // Emit: token, literal length, literals, offset, match length.
            let literalCount = ip - anchor
            let tokenAt = op
            op += 1
            var token: UInt8
            if literalCount >= 15 {
                token = 15 << 4
                op = writeLengthExtension(literalCount - 15, to: dst, at: op)
            } else {
                token = UInt8(truncatingIfNeeded: literalCount) << 4
            }
            if literalCount <= 16 && anchor &+ 16 <= n && op &+ 16 <= capacity {
                // Most runs of literals are short: copy 16 bytes with two word moves instead of
                // calling memcpy; the bytes past the literals are overwritten by what follows or
                // lie beyond the returned count.
                let lo = src.loadUnaligned(fromByteOffset: anchor, as: UInt64.self)
                let hi = src.loadUnaligned(fromByteOffset: anchor &+ 8, as: UInt64.self)
                dst.storeBytes(of: lo, toByteOffset: op, as: UInt64.self)
                dst.storeBytes(of: hi, toByteOffset: op &+ 8, as: UInt64.self)
            } else {
                (dst + op).copyMemory(from: src + anchor, byteCount: literalCount)
            }
            op += literalCount
            dst.storeBytes(of: UInt16(truncatingIfNeeded: ip - ref).littleEndian, toByteOffset: op, as: UInt16.self)
            op += 2
            let matchCode = length - minMatch
            if matchCode >= 15 {
                token |= 15
                op = writeLengthExtension(matchCode - 15, to: dst, at: op)
            } else {
                token |= UInt8(truncatingIfNeeded: matchCode)
            }
            dst.storeBytes(of: token, toByteOffset: tokenAt, as: UInt8.self)

            ip += length
            anchor = ip
            if ip > lastMatchStart { break }
            // Index a position inside the match we just emitted, then continue searching at ip.
            t[hash5(load64(src, ip - 2), shift: shift)] = Int32(truncatingIfNeeded: ip - 2 + base)
        }
        return writeLastLiterals(src + anchor, count: n - anchor, to: dst, at: op)
    }

    /// Writes the 255-run extension for `remainder` (length minus 15). Returns the new output offset.
    @inline(__always)
    private static func writeLengthExtension(_ remainder: Int, to dst: UnsafeMutableRawPointer, at start: Int) -> Int {
        var r = remainder
        var op = start
        while r >= 255 {
            dst.storeBytes(of: 255, toByteOffset: op, as: UInt8.self)
            op += 1
            r -= 255
        }
        dst.storeBytes(of: UInt8(truncatingIfNeeded: r), toByteOffset: op, as: UInt8.self)
        return op + 1
    }

    /// Writes the final literal-only sequence. Returns the new output offset.
    private static func writeLastLiterals(
        _ src: UnsafeRawPointer, count: Int, to dst: UnsafeMutableRawPointer, at start: Int
    ) -> Int {
        var op = start + 1
        if count >= 15 {
            dst.storeBytes(of: 15 << 4, toByteOffset: start, as: UInt8.self)
            op = writeLengthExtension(count - 15, to: dst, at: op)
        } else {
            dst.storeBytes(of: UInt8(truncatingIfNeeded: count) << 4, toByteOffset: start, as: UInt8.self)
        }
        (dst + op).copyMemory(from: src, byteCount: count)
        return op + count
    }

    // MARK: Decompression

    /// Decompresses one LZ4 block, appending exactly `decompressedCount` bytes to `output`.
    ///
    /// - Parameters:
    ///   - input: The compressed block.
    ///   - decompressedCount: The exact size the block must decompress to (stored by the caller).
    ///   - output: Destination; on failure it is restored to its original contents.
    /// - Returns: `false` when the block is corrupt (bad token, length or offset,
    ///   truncated), decodes to a different size, or `decompressedCount` is negative
    ///   or impossibly large for `input`.
    /// - Complexity: O(decompressedCount + input.count).
    package static func decompress(
        _ input: UnsafeRawBufferPointer, decompressedCount: Int, into output: inout [UInt8]
    ) -> Bool {
        guard decompressedCount >= 0,
            decompressedCount <= maxDecompressedCount(forCompressedCount: input.count)
        else { return false }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: decompressedCount))
        let written = output.withUnsafeMutableBytes { all in
            decompress(input, into: UnsafeMutableRawBufferPointer(rebasing: all[start...]))
        }
        guard written == decompressedCount else {
            output.removeSubrange(start...)
            return false
        }
        return true
    }

    /// Decompresses one LZ4 block held in a byte array, appending exactly
    /// `decompressedCount` bytes to `output` (same contract as the raw-buffer overload).
    ///
    /// - Returns: `false` (output restored) when the block is corrupt or has another size.
    package static func decompress(_ input: [UInt8], decompressedCount: Int, into output: inout [UInt8]) -> Bool {
        input.withUnsafeBytes { decompress($0, decompressedCount: decompressedCount, into: &output) }
    }

    /// Decompresses one LZ4 block into caller-provided memory.
    ///
    /// Bytes of `output` past the returned count may have been overwritten with scratch data.
    ///
    /// - Parameters:
    ///   - input: The compressed block.
    ///   - output: Where to write; decoding fails if it would need more room.
    /// - Returns: The number of bytes produced, or `nil` when the block is corrupt or does not fit.
    package static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard input.baseAddress != nil, input.count > 0 else { return 0 }  // empty block → nothing
        guard output.baseAddress != nil, output.count > 0 else {
            // Nothing fits: only an empty last sequence (a lone zero token) is valid.
            return input.count == 1 && input[0] == 0 ? 0 : nil
        }
        var progress = Progress()
        guard decompress(input, into: output, progress: &progress, until: Int.max), progress.finished else { return nil }
        return progress.output
    }

    /// How far a block has been decompressed by
    /// ``decompress(_:into:progress:until:)``: the offsets of the next sequence in the input and
    /// the output, and whether the block's last sequence was decoded.
    package struct Progress: Sendable {
        /// Bytes of input consumed.
        package var input = 0
        /// Bytes of output produced.
        package var output = 0
        /// Whether the last sequence (literals only) has been decoded: the block is complete.
        package var finished = false

        /// Nothing decoded yet.
        package init() {}
    }

    /// Decompresses a block step by step: decodes whole sequences from `progress` on until at
    /// least `target` bytes of output exist or the block is finished, so a reader that needs only
    /// the beginning of a block stops early and can continue later with the same `output`.
    ///
    /// Bytes of `output` past `progress.output` may have been overwritten with scratch data.
    ///
    /// - Parameters:
    ///   - input: The compressed block (not empty).
    ///   - output: The whole block's output memory (the same on every call for one block).
    ///   - progress: Where the previous call stopped (a fresh ``Progress`` to start); updated.
    ///   - target: Decode until `progress.output >= target` (or the end of the block).
    /// - Returns: `false` when the block is corrupt or does not fit `output`.
    /// - Complexity: O(bytes decoded).
    package static func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, progress: inout Progress,
        until target: Int
    ) -> Bool {
        if progress.finished { return true }
        let inCount = input.count
        let outCount = output.count
        guard let src = input.baseAddress, let dst = output.baseAddress, inCount > 0, outCount > 0 else { return false }
        let s = src.assumingMemoryBound(to: UInt8.self)
        var ip = progress.input
        var op = progress.output
        guard ip >= 0, ip <= inCount, op >= 0, op <= outCount else { return false }
        defer {
            progress.input = ip
            progress.output = op
        }
        // The fast path below needs 32 bytes of input after a token and 40 bytes of output room.
        let fastInputLimit = inCount - 32
        let fastOutputLimit = outCount - 40

        while op < target {
            guard ip < inCount else { return false }
            let token = s[ip]
            ip += 1

            // Fast path, the common sequence far from both ends: fewer than 15 literals and a match
            // of fewer than 19 bytes from at least 8 back. Copies are fixed-width (16 literal
            // bytes, 24 match bytes); the margins keep them inside both buffers, and the literals
            // cannot reach the end of the input, so this is never the last sequence. (Offsets
            // below use wrapping arithmetic: the margins bound every value.)
            if token < 0xF0 && token & 0x0F != 0x0F && ip <= fastInputLimit && op <= fastOutputLimit {
                let literals = Int(token &>> 4)
                dst.storeBytes(of: src.loadUnaligned(fromByteOffset: ip, as: UInt64.self), toByteOffset: op, as: UInt64.self)
                dst.storeBytes(
                    of: src.loadUnaligned(fromByteOffset: ip &+ 8, as: UInt64.self), toByteOffset: op &+ 8, as: UInt64.self)
                ip &+= literals
                op &+= literals
                let offset = Int(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
                ip &+= 2
                guard offset > 0, offset <= op else { return false }
                let matchLength = Int(token & 0x0F) &+ minMatch
                if offset >= 8 {
                    let from = op &- offset
                    dst.storeBytes(of: dst.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: op, as: UInt64.self)
                    dst.storeBytes(
                        of: dst.loadUnaligned(fromByteOffset: from &+ 8, as: UInt64.self), toByteOffset: op &+ 8,
                        as: UInt64.self)
                    dst.storeBytes(
                        of: dst.loadUnaligned(fromByteOffset: from &+ 16, as: UInt64.self), toByteOffset: op &+ 16,
                        as: UInt64.self)
                } else {
                    copyMatch(dst, at: op, offset: offset, length: matchLength, slack: outCount - op - matchLength)
                }
                op &+= matchLength
                continue
            }

            // Literals.
            var literalCount = Int(token >> 4)
            if literalCount == 15 {
                while true {
                    guard ip < inCount else { return false }
                    let extra = s[ip]
                    ip += 1
                    literalCount += Int(extra)
                    guard literalCount <= outCount else { return false }
                    if extra != 255 { break }
                }
            }
            guard literalCount <= inCount - ip, literalCount <= outCount - op else { return false }
            if literalCount <= 16, inCount - ip >= 16, outCount - op >= 16 {
                // Short literal run with slack on both sides: copy 16 bytes unconditionally.
                dst.storeBytes(of: src.loadUnaligned(fromByteOffset: ip, as: UInt64.self), toByteOffset: op, as: UInt64.self)
                dst.storeBytes(of: src.loadUnaligned(fromByteOffset: ip + 8, as: UInt64.self), toByteOffset: op + 8, as: UInt64.self)
            } else {
                (dst + op).copyMemory(from: src + ip, byteCount: literalCount)
            }
            ip += literalCount
            op += literalCount
            if ip == inCount {  // the last sequence has no match part
                progress.finished = true
                return true
            }

            // Match.
            guard inCount - ip >= 2 else { return false }
            let offset = Int(s[ip]) | (Int(s[ip + 1]) << 8)
            ip += 2
            guard offset > 0, offset <= op else { return false }
            var matchLength = Int(token & 15)
            if matchLength == 15 {
                while true {
                    guard ip < inCount else { return false }
                    let extra = s[ip]
                    ip += 1
                    matchLength += Int(extra)
                    guard matchLength <= outCount else { return false }
                    if extra != 255 { break }
                }
            }
            matchLength += minMatch
            guard matchLength <= outCount - op else { return false }
            copyMatch(dst, at: op, offset: offset, length: matchLength, slack: outCount - op - matchLength)
            op += matchLength
        }
        return true
    }

    /// Copies an (possibly overlapping) match of `length` bytes from `offset` back.
    /// `slack` is how many writable bytes follow the match (for over-wide copies).
    @inline(__always)
    private static func copyMatch(_ dst: UnsafeMutableRawPointer, at op: Int, offset: Int, length: Int, slack: Int) {
        var to = op
        let end = op + length
        var distance = offset
        if distance < 8 {
            // Replicate the period byte by byte until the pattern spans >= 8 bytes;
            // a multiple of the period is an equally valid distance.
            let widened = distance * ((8 + distance - 1) / distance)
            let prefixEnd = min(end, op + widened - distance)
            while to < prefixEnd {
                dst.storeBytes(of: dst.load(fromByteOffset: to - distance, as: UInt8.self), toByteOffset: to, as: UInt8.self)
                to += 1
            }
            distance = widened
        }
        if slack >= 8 {
            // 8-byte steps may overshoot `end` by up to 7 bytes: allowed, they get overwritten.
            while to < end {
                dst.storeBytes(
                    of: dst.loadUnaligned(fromByteOffset: to - distance, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                to += 8
            }
        } else {
            while end - to >= 8 {
                dst.storeBytes(
                    of: dst.loadUnaligned(fromByteOffset: to - distance, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                to += 8
            }
            while to < end {
                dst.storeBytes(of: dst.load(fromByteOffset: to - distance, as: UInt8.self), toByteOffset: to, as: UInt8.self)
                to += 1
            }
        }
    }
}
