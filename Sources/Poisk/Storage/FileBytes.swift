// Immutable bytes of one index file, memory-mapped or read into memory.
//
// For: giving segment readers an `UnsafeRawBufferPointer` that stays valid for the life of the
// object, whichever way the bytes were obtained. Not for: writing (see Directory).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of one immutable file. The pointer never escapes: use ``withBytes(_:)`` or keep
/// the `FileBytes` alive while using ``buffer``.
package final class FileBytes: @unchecked Sendable {
    // Immutable after init; the memory is never written, so sharing across threads is safe.
    package let buffer: UnsafeRawBufferPointer
    private let mapped: Bool
    /// The file's name, for error messages.
    package let name: String

    /// Copies `bytes` into a private allocation.
    package init(copying bytes: [UInt8], name: String) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress, let destination = memory.baseAddress {
                destination.copyMemory(from: base, byteCount: source.count)
            }
        }
        self.buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(memory)[0..<bytes.count])
        self.mapped = false
        self.name = name
    }

    /// Maps the file at `path` read-only; falls back to reading it into memory if mapping fails.
    /// - Throws: `PoiskError.fileNotFound` or `.io`.
    package init(mapping path: String, name: String) throws {
        self.name = name
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { throw PoiskError.fileNotFound(path: path) }
            throw PoiskError.io(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PoiskError.io(path: path, reason: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        if size == 0 {
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 16)
            self.buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(memory)[0..<0])
            self.mapped = false
            return
        }
        if let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED {
            self.buffer = UnsafeRawBufferPointer(start: pointer, count: size)
            self.mapped = true
            return
        }
        // Fallback: read the whole file.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        var done = 0
        while done < size {
            guard let base = memory.baseAddress else { break }
            let n = pread(fd, base + done, size - done, off_t(done))
            if n <= 0 {
                memory.deallocate()
                throw PoiskError.io(path: path, reason: "short read")
            }
            done += n
        }
        self.buffer = UnsafeRawBufferPointer(memory)
        self.mapped = false
    }

    deinit {
        if mapped {
            if let base = buffer.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), buffer.count) }
        } else if let base = buffer.baseAddress {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The number of bytes.
    package var count: Int { buffer.count }
}
