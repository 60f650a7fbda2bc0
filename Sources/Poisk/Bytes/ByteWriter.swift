// ByteWriter.swift
//
// What this is for: building the bytes of on-disk segment files (term dictionary,
// postings blocks, positions, stored-field blocks) in memory. A growable byte
// buffer with explicit little-endian writers, LEB128 varints, zig-zag varints and
// back-patching of fixed-width fields (`set*`), in the style of swift-nio's
// `ByteBuffer` verbs: `write*` appends, `set*(at:)` overwrites in place.
//
// What this is not for: reading (see `ByteReader`), file I/O, or any kind of
// framing/checksumming policy (see `CRC32C`). It never traps on bad offsets:
// out-of-range `set*` calls report `false` and leave the buffer unchanged.

/// A growable, owned byte buffer that appends little-endian integers, varints
/// and raw bytes.
///
/// `ByteWriter` is a value type backed by a `[UInt8]`; copying it copies the
/// bytes lazily (copy-on-write). All multi-byte integers are written
/// little-endian, which is the byte order of every Poisk on-disk structure.
package struct ByteWriter: Sendable {
    @usableFromInline
    internal var storage: [UInt8]

    /// The bytes written so far.
    @inlinable
    package var bytes: [UInt8] { storage }

    /// Creates an empty writer.
    ///
    /// - Parameter capacity: Number of bytes to reserve up front (0 for none).
    package init(capacity: Int = 0) {
        storage = []
        if capacity > 0 { storage.reserveCapacity(capacity) }
    }

    /// Number of bytes written so far.
    @inlinable
    package var count: Int { storage.count }

    /// `true` when nothing has been written.
    @inlinable
    package var isEmpty: Bool { storage.isEmpty }

    /// Ensures room for at least `minimumCapacity` bytes in total without reallocating.
    ///
    /// - Parameter minimumCapacity: The total capacity (not the additional capacity) wanted.
    package mutating func reserveCapacity(_ minimumCapacity: Int) {
        storage.reserveCapacity(minimumCapacity)
    }

    /// Removes all bytes, optionally keeping the allocated storage for reuse.
    ///
    /// - Parameter keepingCapacity: Pass `true` to keep the storage (the default).
    package mutating func removeAll(keepingCapacity: Bool = true) {
        storage.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Shortens the buffer to its first `newCount` bytes.
    ///
    /// - Parameter newCount: The new length; values outside `0...count` are clamped.
    package mutating func truncate(to newCount: Int) {
        let target = max(0, newCount)
        if target < storage.count { storage.removeSubrange(target..<storage.count) }
    }

    // MARK: Fixed-width integers

    /// Appends one byte.
    @inlinable
    package mutating func writeUInt8(_ value: UInt8) {
        storage.append(value)
    }

    /// Appends a 16-bit unsigned integer, little-endian (2 bytes).
    @inlinable
    package mutating func writeUInt16LE(_ value: UInt16) {
        writeLittleEndian(value)
    }

    /// Appends a 32-bit unsigned integer, little-endian (4 bytes).
    @inlinable
    package mutating func writeUInt32LE(_ value: UInt32) {
        writeLittleEndian(value)
    }

    /// Appends a 64-bit unsigned integer, little-endian (8 bytes).
    @inlinable
    package mutating func writeUInt64LE(_ value: UInt64) {
        writeLittleEndian(value)
    }

    @inlinable @inline(__always)
    internal mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { raw in
            storage.append(contentsOf: raw)
        }
    }

    // MARK: Raw bytes

    /// Appends the bytes of a raw buffer.
    ///
    /// - Parameter raw: The bytes to copy; it may be empty (or have a nil base address).
    @inlinable
    package mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        if raw.isEmpty { return }
        storage.append(contentsOf: raw)
    }

    /// Appends the contents of a byte array.
    @inlinable
    package mutating func writeBytes(_ array: [UInt8]) {
        storage.append(contentsOf: array)
    }

    /// Appends any collection of bytes (e.g. `ArraySlice<UInt8>`, `String.UTF8View`).
    ///
    /// - Complexity: O(n) in the collection's length; contiguous collections are memcpy'd.
    @inlinable
    package mutating func writeBytes<C: Collection>(_ collection: C) where C.Element == UInt8 {
        storage.append(contentsOf: collection)
    }

    /// Appends `count` bytes produced by `body` writing directly into the buffer.
    ///
    /// The closure receives a zero-filled region of exactly `maximumCount` bytes
    /// and returns how many it actually used (clamped to `0...maximumCount`); the
    /// unused tail is removed. The pointer is valid only inside the closure.
    ///
    /// - Parameters:
    ///   - maximumCount: Upper bound on the bytes the closure may write (negative means 0).
    ///   - body: Writes into the region and returns the number of bytes used.
    /// - Returns: The number of bytes appended.
    @discardableResult
    @inlinable
    package mutating func writeWithUnsafeMutableBytes(
        maximumCount: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        let reserve = max(0, maximumCount)
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: reserve))
        var used = 0
        defer {
            let kept = min(max(0, used), reserve)
            storage.removeLast(reserve - kept)
        }
        used = try storage.withUnsafeMutableBytes { all in
            try body(UnsafeMutableRawBufferPointer(rebasing: all[start..<(start + reserve)]))
        }
        return min(max(0, used), reserve)
    }

    // MARK: Varints

    /// Appends an unsigned LEB128 varint: 7 bits per byte, least significant group
    /// first, high bit set on every byte except the last (1 to 10 bytes).
    ///
    /// - Parameter value: The value to encode.
    @inlinable @inline(__always)
    package mutating func writeVarInt(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            storage.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v &>>= 7
        }
        storage.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a signed integer as a zig-zag encoded LEB128 varint
    /// (0 → 0, -1 → 1, 1 → 2, -2 → 3, …), so small magnitudes stay short.
    ///
    /// - Parameter value: The value to encode.
    @inlinable
    package mutating func writeZigZag(_ value: Int64) {
        writeVarInt(ZigZag.encode(value))
    }

    // MARK: Back-patching

    /// Overwrites one byte at `offset`.
    ///
    /// - Returns: `false` (and changes nothing) when `offset` is out of range.
    @discardableResult
    @inlinable
    package mutating func setUInt8(_ value: UInt8, at offset: Int) -> Bool {
        guard offset >= 0, offset < storage.count else { return false }
        storage[offset] = value
        return true
    }

    /// Overwrites 4 bytes at `offset` with `value` in little-endian order; used to
    /// back-patch lengths and offsets written as placeholders.
    ///
    /// - Returns: `false` (and changes nothing) when `offset..<offset+4` is not inside the buffer.
    @discardableResult
    @inlinable
    package mutating func setUInt32LE(_ value: UInt32, at offset: Int) -> Bool {
        setLittleEndian(value, at: offset)
    }

    /// Overwrites 8 bytes at `offset` with `value` in little-endian order.
    ///
    /// - Returns: `false` (and changes nothing) when `offset..<offset+8` is not inside the buffer.
    @discardableResult
    @inlinable
    package mutating func setUInt64LE(_ value: UInt64, at offset: Int) -> Bool {
        setLittleEndian(value, at: offset)
    }

    @inlinable @inline(__always)
    internal mutating func setLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) -> Bool {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= storage.count - size else { return false }
        storage.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        }
        return true
    }

    /// Calls `body` with a read-only view of the bytes written so far.
    /// The pointer must not escape the closure.
    @inlinable
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }
}

/// Zig-zag mapping between signed and unsigned integers, used by varints so that
/// small negative numbers encode as short varints.
package enum ZigZag {
    /// Maps a signed value to unsigned: 0 → 0, -1 → 1, 1 → 2, -2 → 3, …
    @inlinable @inline(__always)
    package static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value &>> 63))
    }

    /// Inverse of ``encode(_:)``.
    @inlinable @inline(__always)
    package static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value &>> 1) ^ -Int64(bitPattern: value & 1)
    }
}
