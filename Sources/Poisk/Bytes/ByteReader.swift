// ByteReader.swift
//
// What this is for: decoding segment files (typically mmap'd) without copying.
// A bounds-checked cursor over borrowed memory with explicit little-endian
// readers, LEB128/zig-zag varints and zero-copy sub-slices, in the style of
// swift-nio's `ByteBuffer` verbs: `read*` consumes and advances `offset`,
// `get*(at:)` peeks at an absolute offset without moving.
//
// What this is not for: owning or keeping memory alive, or turning failures
// into errors. Short or corrupt input makes every reader return `nil` (or
// `false`) and leave `offset` unchanged; nothing here traps. Mapping `nil` to a
// `PoiskError` is the caller's job.

/// A non-owning, bounds-checked read cursor over a region of raw memory.
///
/// **Lifetime:** the reader only borrows its memory. The caller must keep the
/// underlying storage (an mmap'd file, an array inside `withUnsafeBytes`, …)
/// alive and unmodified for as long as the reader, or any buffer returned by
/// ``readBytes(count:)`` / ``getBytes(at:count:)``, is used. Prefer the
/// closure-scoped ``withReader(over:_:)`` for arrays so the pointer cannot escape.
///
/// All reads are unaligned-safe. Failed reads return `nil` and do not move `offset`.
package struct ByteReader {
    /// The memory being read.
    @usableFromInline
    internal let buffer: UnsafeRawBufferPointer

    /// Current read position, in bytes from the start of the region.
    /// Always in `0...count` when changed through the reader's own methods.
    package var offset: Int

    /// Total number of bytes in the region.
    package let count: Int

    /// Creates a reader positioned at the start of `buffer`.
    ///
    /// - Parameter buffer: Borrowed memory; the caller keeps it alive while the reader is used.
    @inlinable
    package init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.count = buffer.count
        self.offset = 0
    }

    /// Runs `body` with a reader over the contents of `bytes`; the reader (and any
    /// buffers read from it) must not escape the closure.
    ///
    /// - Parameters:
    ///   - bytes: The array to read.
    ///   - body: Receives the reader, positioned at 0.
    /// - Returns: Whatever `body` returns.
    @inlinable
    package static func withReader<R>(
        over bytes: [UInt8],
        _ body: (inout ByteReader) throws -> R
    ) rethrows -> R {
        try bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            return try body(&reader)
        }
    }

    /// Number of bytes between `offset` and the end (0 if `offset` was set out of range).
    @inlinable
    package var remaining: Int { offset >= 0 && offset <= count ? count &- offset : 0 }

    /// `true` when no bytes remain.
    @inlinable
    package var isAtEnd: Bool { remaining == 0 }

    /// The whole region being read (borrowed; see the lifetime note on the type).
    @inlinable
    package var unsafeBuffer: UnsafeRawBufferPointer { buffer }

    // MARK: Checks

    /// `true` when `at..<at+size` lies inside the region (overflow-safe).
    @inlinable @inline(__always)
    internal func contains(_ at: Int, _ size: Int) -> Bool {
        at >= 0 && size >= 0 && at <= count &- size
    }

    // MARK: Peeking (absolute, does not move)

    @inlinable @inline(__always)
    internal func getLE<T: FixedWidthInteger>(at index: Int, as type: T.Type) -> T? {
        guard contains(index, MemoryLayout<T>.size) else { return nil }
        return T(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: T.self))
    }

    /// The byte at absolute position `index`, or `nil` when out of range.
    @inlinable
    package func getUInt8(at index: Int) -> UInt8? {
        guard contains(index, 1) else { return nil }
        return buffer[index]
    }

    /// The little-endian `UInt16` at absolute position `index`, or `nil` when fewer than 2 bytes are there.
    @inlinable
    package func getUInt16LE(at index: Int) -> UInt16? { getLE(at: index, as: UInt16.self) }

    /// The little-endian `UInt32` at absolute position `index`, or `nil` when fewer than 4 bytes are there.
    @inlinable
    package func getUInt32LE(at index: Int) -> UInt32? { getLE(at: index, as: UInt32.self) }

    /// The little-endian `UInt64` at absolute position `index`, or `nil` when fewer than 8 bytes are there.
    @inlinable
    package func getUInt64LE(at index: Int) -> UInt64? { getLE(at: index, as: UInt64.self) }

    /// A borrowed view of `count` bytes at absolute position `index`, or `nil` when out of range.
    ///
    /// - Complexity: O(1); no copy is made.
    @inlinable
    package func getBytes(at index: Int, count length: Int) -> UnsafeRawBufferPointer? {
        guard contains(index, length) else { return nil }
        return UnsafeRawBufferPointer(rebasing: buffer[index..<(index &+ length)])
    }

    // MARK: Reading (advances on success only)

    @inlinable @inline(__always)
    internal mutating func readLE<T: FixedWidthInteger>(as type: T.Type) -> T? {
        guard let value = getLE(at: offset, as: T.self) else { return nil }
        offset &+= MemoryLayout<T>.size
        return value
    }

    /// Reads one byte, or returns `nil` at the end.
    @inlinable
    package mutating func readUInt8() -> UInt8? {
        guard let value = getUInt8(at: offset) else { return nil }
        offset &+= 1
        return value
    }

    /// Reads a little-endian `UInt16`, or returns `nil` (without moving) when fewer than 2 bytes remain.
    @inlinable
    package mutating func readUInt16LE() -> UInt16? { readLE(as: UInt16.self) }

    /// Reads a little-endian `UInt32`, or returns `nil` (without moving) when fewer than 4 bytes remain.
    @inlinable
    package mutating func readUInt32LE() -> UInt32? { readLE(as: UInt32.self) }

    /// Reads a little-endian `UInt64`, or returns `nil` (without moving) when fewer than 8 bytes remain.
    @inlinable
    package mutating func readUInt64LE() -> UInt64? { readLE(as: UInt64.self) }

    /// One varint at `o` in the memory at `base` (advancing `o`), its bytes checked against
    /// `end` and nothing else: for hot loops that already hold the base pointer. Nil when the
    /// bytes run past `end` or the value does not fit 64 bits (then `o` does not move).
    @inline(__always)
    package static func varint(_ base: UnsafeRawPointer, _ o: inout Int, _ end: Int) -> UInt64? {
        guard o < end else { return nil }
        let first = base.load(fromByteOffset: o, as: UInt8.self)
        if first < 0x80 {
            o &+= 1
            return UInt64(first)
        }
        var result = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        var i = o &+ 1
        while i < end {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            i &+= 1
            if shift == 63 {
                guard byte <= 1 else { return nil }
                o = i
                return result | UInt64(byte) &<< 63
            }
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 {
                o = i
                return result
            }
            shift &+= 7
        }
        return nil
    }

    /// Reads an unsigned LEB128 varint (as written by ``ByteWriter/writeVarInt(_:)``).
    ///
    /// Non-minimal encodings (e.g. `0x80 0x00`) are accepted.
    ///
    /// - Returns: The value, or `nil` (without moving) when the input ends inside
    ///   the varint, when it is longer than 10 bytes, or when its value does not fit in 64 bits.
    @inlinable @inline(__always)
    package mutating func readVarInt() -> UInt64? {
        // Fast path: one-byte varints (the common case for gaps and frequencies).
        if offset >= 0, offset < count {
            let first = buffer[offset]
            if first < 0x80 {
                offset &+= 1
                return UInt64(first)
            }
        }
        return readVarIntMultiByte()
    }

    /// General varint decoder (any length); see ``readVarInt()``.
    @usableFromInline
    internal mutating func readVarIntMultiByte() -> UInt64? {
        guard offset >= 0, let base = buffer.baseAddress else { return nil }
        var index = offset
        guard let value = ByteReader.varint(base, &index, count) else { return nil }
        offset = index
        return value
    }

    /// Reads a zig-zag encoded signed varint (as written by ``ByteWriter/writeZigZag(_:)``).
    ///
    /// - Returns: The value, or `nil` (without moving) on truncated or overlong input.
    @inlinable
    package mutating func readZigZag() -> Int64? {
        guard let raw = readVarInt() else { return nil }
        return ZigZag.decode(raw)
    }

    /// Reads a varint and checks that it fits in a non-negative `Int` (for lengths and counts).
    ///
    /// - Returns: The value, or `nil` (without moving) on bad input or when the value exceeds `Int.max`.
    @inlinable
    package mutating func readVarIntAsInt() -> Int? {
        let saved = offset
        guard let raw = readVarInt() else { return nil }
        guard raw <= UInt64(Int.max) else {
            offset = saved
            return nil
        }
        return Int(raw)
    }

    /// Returns a borrowed view of the next `count` bytes and advances past them.
    ///
    /// - Returns: The bytes, or `nil` (without moving) when fewer than `count` remain or `count < 0`.
    /// - Complexity: O(1); no copy is made.
    @inlinable
    package mutating func readBytes(count length: Int) -> UnsafeRawBufferPointer? {
        guard let view = getBytes(at: offset, count: length) else { return nil }
        offset &+= length
        return view
    }

    /// Advances by `byteCount` bytes.
    ///
    /// - Returns: `false` (without moving) when fewer than `byteCount` bytes remain or `byteCount < 0`.
    @discardableResult
    @inlinable
    package mutating func skip(_ byteCount: Int) -> Bool {
        guard contains(offset, byteCount) else { return false }
        offset &+= byteCount
        return true
    }

    /// Moves the cursor to absolute position `newOffset`.
    ///
    /// - Returns: `false` (without moving) unless `newOffset` is in `0...count`.
    @discardableResult
    @inlinable
    package mutating func seek(to newOffset: Int) -> Bool {
        guard newOffset >= 0, newOffset <= count else { return false }
        offset = newOffset
        return true
    }
}
