// Plain malloc/free for the buffers a query or an analysis allocates and frees again.
//
// For: short-lived raw buffers on hot paths (a postings cursor's block, a phrase scorer's
// bitmaps, the analyzer's scratch). On Linux, `UnsafeMutablePointer.allocate` always takes the
// runtime's aligned path (posix_memalign, several times the instructions of malloc), even for
// default alignment; a query opens a cursor per term and field, so that cost adds up. Not for:
// memory handed to code that frees it with `deallocate()`, or types aligned beyond 16 bytes.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
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

    /// Frees memory from ``allocate(_:capacity:)`` (values
    /// must be deinitialized first where that matters).
    @inline(__always)
    package static func free<T>(_ pointer: UnsafeMutablePointer<T>) {
        #if canImport(Glibc)
            Glibc.free(pointer)
        #elseif canImport(Darwin)
            Darwin.free(pointer)
        #elseif canImport(Musl)
            Musl.free(pointer)
        #endif
    }
}
