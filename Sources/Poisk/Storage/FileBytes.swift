// Immutable bytes of one index file, memory-mapped or read into memory.
//
// For: giving segment readers an `UnsafeRawBufferPointer` that stays valid for the life of the
// object, whichever way the bytes were obtained. Not for: writing (see Directory).

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
        let file: SystemFile
        do { file = try SystemFile.open(path, .read) } catch {
            if error.isNotFound { throw PoiskError.fileNotFound(path: path) }
            throw PoiskError.io(path: path, reason: error.message)
        }
        defer { file.close() }
        let size: Int
        do { size = try file.size() } catch { throw PoiskError.io(path: path, reason: error.message) }
        if size == 0 {
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 16)
            self.buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(memory)[0..<0])
            self.mapped = false
            return
        }
        if let pointer = file.mapReadOnly(count: size) {
            self.buffer = UnsafeRawBufferPointer(start: pointer, count: size)
            self.mapped = true
            return
        }
        // Fallback: read the whole file.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        var done = 0
        while done < size {
            guard let base = memory.baseAddress else { break }
            let n = (try? file.read(into: base + done, count: size - done, at: done)) ?? -1
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
            if let base = buffer.baseAddress { SystemFile.unmap(base, count: buffer.count) }
        } else if let base = buffer.baseAddress {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The number of bytes.
    package var count: Int { buffer.count }
}
