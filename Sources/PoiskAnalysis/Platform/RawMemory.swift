// The C library's memory functions, for the few hot paths that work on raw bytes.
//
// For: short-lived raw buffers (a postings cursor's block, a phrase scorer's bitmaps, the
// analyzer's scratch) and byte comparisons and searches on them. This folder and
// `Sources/Poisk/Platform/` are the only places that import the C library or test the
// platform; everything else calls these functions, which are the same on every platform.
// Not for: memory handed to code that frees it with `deallocate()`, or types aligned beyond
// 16 bytes.
//
// Why malloc and not `UnsafeMutablePointer.allocate`: on Linux the runtime's allocate always
// takes its aligned path (posix_memalign), several times the instructions of malloc, even for
// default alignment, and a query opens a cursor per term and field.
//
// Darwin: `malloc`, `free`, `memcmp` and `memchr` are imported with the same Swift signatures
// as on Glibc and Musl (swift-system 1.8.1 `Sources/System/Internals/Syscalls.swift` and
// swift-nio 2.101.3 `Sources/NIOPosix/System.swift` call the libc functions the same way on
// every platform).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Android)
    import Android
#endif

/// Raw memory from the C allocator; release it with ``free(_:)``.
package enum RawMemory {
    /// Uninitialized memory for `capacity` values of `T` (at least one).
    @inline(__always)
    package static func allocate<T>(_: T.Type, capacity: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, capacity) * MemoryLayout<T>.stride
        let raw: UnsafeMutableRawPointer
        if MemoryLayout<T>.alignment <= 16, let p = malloc(bytes) {
            raw = p
        } else {
            // Over-aligned, or malloc failed: the runtime's allocator (which traps when memory
            // is exhausted, as every Swift allocation does). Its memory is freed by `free` too.
            raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<T>.alignment)
        }
        return raw.bindMemory(to: T.self, capacity: max(1, capacity))
    }

    /// Frees memory from ``allocate(_:capacity:)`` (values must be deinitialized first where
    /// that matters).
    @inline(__always)
    package static func free<T>(_ pointer: UnsafeMutablePointer<T>) {
        #if canImport(Glibc)
            Glibc.free(pointer)
        #elseif canImport(Musl)
            Musl.free(pointer)
        #elseif canImport(Darwin)
            Darwin.free(pointer)
        #elseif canImport(Android)
            Android.free(pointer)
        #endif
    }

    /// `memcmp`: negative, zero or positive as the first `count` bytes at `a` order before,
    /// equal to or after those at `b`.
    @inlinable @inline(__always)
    package static func compare(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Int32 {
        memcmp(a, b, count)
    }

    /// `memchr`: the first of the `count` bytes at `base` equal to `byte`, or nil.
    @inlinable @inline(__always)
    package static func first(_ byte: UInt8, in base: UnsafeRawPointer, count: Int) -> UnsafeRawPointer? {
        guard let found = memchr(base, Int32(byte), count) else { return nil }
        return UnsafeRawPointer(found)
    }
}
