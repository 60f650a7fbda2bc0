// File system calls: open, write, sync, rename, remove, list, map, lock.
//
// For: Storage/ (index directories, mapped segment files, the writer's lock) and the document
// loader. Not for: deciding what to write or read; errors come back as `SystemError` (the
// `errno` value), and the caller turns them into a `PoiskError` naming the file.
//
// Declarations checked against code compiled on Darwin daily:
// - `open(path, flags, mode)`, `close`, `write`, `pread`, `pwrite`, `ftruncate`, `fstat`,
//   `rename`, `unlink`: swift-system 1.8.1 `Sources/System/Internals/Syscalls.swift`
//   (`system_open` … `system_ftruncate`) and swift-nio 2.101.3 `Sources/NIOPosix/System.swift`
//   (`sysFstat = fstat`, `sysRename = rename`, `sysUnlink = unlink`): the same Swift signatures
//   on Darwin, Glibc and Musl.
// - `fcntl(fd, F_FULLFSYNC, 0)`: Darwin imports the three-`CInt` form, as swift-nio's
//   `sysFcntl` (`{ fcntl($0, $1, $2) }`, same file) uses it.
// - `opendir` returns `OpaquePointer?` on Glibc and Musl, `UnsafeMutablePointer<DIR>?` on
//   Darwin; both are only passed back to `readdir`/`closedir`, so one spelling serves. `d_name`
//   is a 256-byte tuple on Linux and a 1,024-byte one on Darwin: its size is read, not assumed.
// - `mmap` returns `UnsafeMutableRawPointer!` with `MAP_FAILED` on all three.
// - `flock(fd, LOCK_EX | LOCK_NB)` fails with `EWOULDBLOCK` when another holds the lock
//   (Darwin's flock(2) and Linux's agree); any other error is an I/O error, not "locked".
//
// Durability: on Darwin `fsync` returns once the data reaches the drive, whose cache may write
// it later and out of order (Apple's fsync(2) man page); `F_FULLFSYNC` asks the drive to flush.
// Some file systems (network and FUSE ones) refuse it: then `fsync` is the best there is, as
// LevelDB's `env_posix.cc` and SQLite's `fullfsync` pragma fall back.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Android)
    import Android
#endif

/// A failed system call: its `errno`.
package struct SystemError: Error, Sendable, Equatable {
    package let code: Int32

    /// The current thread's `errno`.
    package static var last: SystemError { SystemError(code: errno) }

    package var isNotFound: Bool { code == ENOENT }
    package var isInterrupted: Bool { code == EINTR }
    package var isNoSpace: Bool { code == ENOSPC }
    package var isPermission: Bool { code == EACCES || code == EPERM }
    package var isWouldBlock: Bool { code == EWOULDBLOCK || code == EAGAIN }
    package var isInvalid: Bool { code == EINVAL }
    package var isDirectory: Bool { code == EISDIR }

    /// The system's text for the error, with a hint for the common ones.
    package var message: String {
        var text = String(cString: strerror(code))
        if isNoSpace { text += " (the disk is full)" }
        if isPermission { text += " (check the permissions of the index directory)" }
        return text
    }
}

/// An open file descriptor. The owner closes it once.
package struct SystemFile: Sendable {
    package let descriptor: Int32

    /// How to open a file.
    package enum Mode: Sendable {
        /// Read only.
        case read
        /// Write only; created (mode 0644) or truncated.
        case createTruncate
        /// Read and write; created (mode 0644) when missing, never truncated.
        case readWriteCreate
    }

    /// Opens `path`.
    /// - Throws: `SystemError`.
    package static func open(_ path: String, _ mode: Mode) throws(SystemError) -> SystemFile {
        let flags: Int32
        switch mode {
        case .read: flags = O_RDONLY
        case .createTruncate: flags = O_WRONLY | O_CREAT | O_TRUNC
        case .readWriteCreate: flags = O_RDWR | O_CREAT
        }
        while true {
            let fd = systemOpen(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return SystemFile(descriptor: fd) }
            let error = SystemError.last
            if !error.isInterrupted { throw error }
        }
    }

    /// Closes the descriptor.
    package func close() { _ = systemClose(descriptor) }

    /// Writes all of `bytes`, retrying short and interrupted writes.
    /// - Throws: `SystemError`.
    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(descriptor, base + offset, bytes.count - offset)
            if n < 0 {
                let error = SystemError.last
                if error.isInterrupted { continue }
                throw error
            }
            offset += n
        }
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many (0 at the end).
    /// - Throws: `SystemError`.
    package func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(SystemError) -> Int {
        while true {
            let n = pread(descriptor, buffer, count, off_t(offset))
            if n >= 0 { return n }
            let error = SystemError.last
            if !error.isInterrupted { throw error }
        }
    }

    /// Writes `bytes` at `offset` (one call; the lock file's few bytes).
    package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        _ = pwrite(descriptor, bytes.baseAddress, bytes.count, off_t(offset))
    }

    /// Sets the file's length.
    package func truncate(to length: Int) { _ = ftruncate(descriptor, off_t(length)) }

    /// The file's size in bytes.
    /// - Throws: `SystemError`.
    package func size() throws(SystemError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemError.last }
        return Int(info.st_size)
    }

    /// Makes the file's data and metadata durable: `F_FULLFSYNC` on Darwin (falling back to
    /// `fsync` where the file system refuses it), `fsync` elsewhere.
    /// - Parameter ignoringUnsupported: treat `EINVAL` (a file system that cannot sync this kind
    ///   of file, typically a directory) as success.
    /// - Throws: `SystemError`.
    package func synchronize(ignoringUnsupported: Bool = false) throws(SystemError) {
        #if canImport(Darwin)
            if fcntl(descriptor, F_FULLFSYNC, 0) == 0 { return }
        #endif
        if fsync(descriptor) == 0 { return }
        let error = SystemError.last
        if ignoringUnsupported && error.isInvalid { return }
        throw error
    }

    /// Takes an exclusive advisory lock (`flock`) without waiting.
    /// - Returns: false when another open file description holds it.
    /// - Throws: `SystemError` for any other failure.
    package func tryLockExclusive() throws(SystemError) -> Bool {
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            let error = SystemError.last
            if error.isWouldBlock { return false }
            if !error.isInterrupted { throw error }
        }
    }

    /// Releases the `flock` lock.
    package func unlock() { _ = flock(descriptor, LOCK_UN) }

    /// Maps the first `count` bytes read-only and private, or nil when mapping fails.
    package func mapReadOnly(count: Int) -> UnsafeRawPointer? {
        guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), pointer != MAP_FAILED
        else { return nil }
        return UnsafeRawPointer(pointer)
    }

    /// Unmaps memory from ``mapReadOnly(count:)``.
    package static func unmap(_ pointer: UnsafeRawPointer, count: Int) {
        _ = munmap(UnsafeMutableRawPointer(mutating: pointer), count)
    }
}

/// Calls on paths.
package enum SystemPath {
    /// Renames `from` to `to` atomically, replacing `to`.
    /// - Throws: `SystemError`.
    package static func rename(_ from: String, to: String) throws(SystemError) {
        if systemRename(from, to) != 0 { throw SystemError.last }
    }

    /// Removes a file; a missing one is not an error.
    /// - Throws: `SystemError`.
    package static func remove(_ path: String) throws(SystemError) {
        if unlink(path) != 0 && errno != ENOENT { throw SystemError.last }
    }

    /// Makes the renames and removals in a directory durable (see `SystemFile.synchronize`).
    /// - Throws: `SystemError`.
    package static func synchronizeDirectory(_ path: String) throws(SystemError) {
        let directory = try SystemFile.open(path, .read)
        defer { directory.close() }
        try directory.synchronize(ignoringUnsupported: true)
    }

    /// The names in a directory, sorted, without `.` and `..`.
    /// - Throws: `SystemError`.
    package static func list(_ path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else { throw SystemError.last }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

// The calls whose names a method of the types above shadows.
@inline(__always)
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
@inline(__always)
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always)
private func systemWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int { write(fd, base, count) }
@inline(__always)
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
