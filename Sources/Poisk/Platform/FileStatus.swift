// File kinds, identities and directory descriptors: what the document loader needs to walk a
// folder without following symbolic links and without opening anything before its kind is known.
//
// For: the folder walk of `DocumentLoader` (and tests that make FIFOs). Not for: Storage/, which
// opens only files it made itself (see Files.swift). Errors come back as `SystemError`.
//
// A walk holds a descriptor per folder level and reaches every entry relative to it (`fstatat`,
// `openat`), so a path component swapped for a symbolic link while the walk runs cannot send it
// elsewhere; a file is opened with `O_NOFOLLOW | O_NONBLOCK` and checked with `fstat` (kind and
// device/inode as listed) before a byte is read: a FIFO never blocks the walk, a device is never
// read, and a file replaced between listing and opening is noticed.
//
// Declarations checked against code compiled on Darwin daily:
// - `openat(fd, path, flags)`, `fdopendir`, `readdir`, `rewinddir`, `closedir`: swift-system 1.8.1
//   `Sources/System/Internals/Syscalls.swift` (`system_openat`, `system_fdopendir`, …). The
//   directory stream is `UnsafeMutablePointer<DIR>` on Darwin and `OpaquePointer` on Glibc and
//   Musl (swift-system's `system_DIRPtr`); it is only passed back to readdir/closedir, so one
//   spelling serves. `d_name` is read by its size, as in Files.swift.
// - `fstatat(fd, path, &st, AT_SYMLINK_NOFOLLOW)`, `fstat`, `lstat`, `stat`: swift-system 1.8.1
//   `Sources/System/Internals/Exports.swift` (`system_fstatat`, `system_lstat`, …) and swift-nio
//   2.101.3 `Sources/NIOPosix/System.swift` (`sysLstat = lstat`).
// - `st_mode & S_IFMT` compared with `S_IFDIR`, `S_IFREG`, …: the constants are imported as
//   `mode_t` (UInt16 on Darwin, UInt32 on Linux) on Darwin, Glibc and Musl, as swift-system 1.8.1
//   `Sources/System/Internals/Constants.swift` (`_S_IFDIR: mode_t { S_IFDIR }`) and swift-nio
//   2.101.3 `Sources/NIOFS/FileType.swift` (`platformSpecificMode & S_IFMT`) use them.
// - `st_dev` is `dev_t` (Int32 on Darwin, UInt64 on Linux) and `st_ino` is `ino_t` (UInt64 on
//   both with 64-bit inodes): widened with `truncatingIfNeeded`, as swift-system's `Stat` does
//   with `numericCast`.
// - `realpath(path, nil)` returns a `malloc`ed `UnsafeMutablePointer<CChar>?` on all three (freed
//   here); `mkfifo(path, mode_t)` and `dup(fd)` have the same signatures on all three.
// - `O_NOFOLLOW` makes opening a symbolic link fail with `ELOOP`; `O_NONBLOCK` makes opening a
//   FIFO return at once instead of waiting for a writer; `O_NOCTTY` keeps a terminal from
//   becoming the controlling one; `O_DIRECTORY` fails with `ENOTDIR` on anything but a folder
//   (open(2) on Linux and Darwin agree on all four).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Android)
    import Android
#endif

/// What a directory entry is, from `lstat` (or `stat` when following a link).
package enum FileKind: Sendable, Equatable {
    case regular
    case directory
    case symbolicLink
    case fifo
    case socket
    case characterDevice
    case blockDevice
    case unknown

    /// A few words for messages: "a FIFO", "a socket", …
    package var description: String {
        switch self {
        case .regular: return "a regular file"
        case .directory: return "a folder"
        case .symbolicLink: return "a symbolic link"
        case .fifo: return "a FIFO (named pipe)"
        case .socket: return "a socket"
        case .characterDevice: return "a character device"
        case .blockDevice: return "a block device"
        case .unknown: return "a special file"
        }
    }
}

/// A file's identity on this machine: device and inode.
package struct FileIdentity: Hashable, Sendable {
    package let device: UInt64
    package let inode: UInt64
}

/// The facts about a file the loader decides on.
package struct FileStatus: Sendable, Equatable {
    package let kind: FileKind
    /// Size in bytes (of the link itself for a symbolic link).
    package let size: Int
    package let identity: FileIdentity

    init(_ info: stat) {
        let type = info.st_mode & S_IFMT
        switch type {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        size = Int(info.st_size)
        identity = FileIdentity(
            device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino))
    }
}

/// An open folder whose entries are reached relative to its descriptor. The owner closes it once.
package struct SystemDirectory: Sendable {
    package let descriptor: Int32

    /// Opens the folder at `path`, following symbolic links in it (a path a person named).
    /// - Throws: `SystemError` (`ENOTDIR` when it is not a folder).
    package static func open(_ path: String) throws(SystemError) -> SystemDirectory {
        SystemDirectory(descriptor: try retryingOpen { systemOpenAt(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) })
    }

    /// Opens the entry `name` of this folder as a folder.
    /// - Parameter followingLink: when false, a symbolic link fails (`ELOOP`) instead of being
    ///   followed.
    /// - Throws: `SystemError`.
    package func openDirectory(_ name: String, followingLink: Bool) throws(SystemError) -> SystemDirectory {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingLink ? 0 : O_NOFOLLOW)
        return SystemDirectory(descriptor: try retryingOpen { systemOpenAt(descriptor, name, flags) })
    }

    /// Opens the entry `name` of this folder for reading without blocking (a FIFO opens at once,
    /// and is refused by the caller's `fstat` check before any read).
    /// - Parameter followingLink: when false, a symbolic link fails (`ELOOP`).
    /// - Throws: `SystemError`.
    package func openFile(_ name: String, followingLink: Bool) throws(SystemError) -> SystemFile {
        let flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (followingLink ? 0 : O_NOFOLLOW)
        return SystemFile(descriptor: try retryingOpen { systemOpenAt(descriptor, name, flags) })
    }

    /// The status of the entry `name`: of the link itself unless `followingLink`.
    /// - Throws: `SystemError`.
    package func status(of name: String, followingLink: Bool) throws(SystemError) -> FileStatus {
        var info = stat()
        guard fstatat(descriptor, name, &info, followingLink ? 0 : AT_SYMLINK_NOFOLLOW) == 0 else {
            throw SystemError.last
        }
        return FileStatus(info)
    }

    /// The status of this folder.
    /// - Throws: `SystemError`.
    package func status() throws(SystemError) -> FileStatus {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemError.last }
        return FileStatus(info)
    }

    /// The names in this folder, without `.` and `..`, in no particular order. A name that is not
    /// valid UTF-8 cannot be passed back to the system as a `String`: those come in `undecodable`
    /// (with U+FFFD in place of the bad bytes, for messages).
    /// - Throws: `SystemError`.
    package func entryNames() throws(SystemError) -> (names: [String], undecodable: [String]) {
        // fdopendir owns the descriptor it is given: give it a duplicate, so this one stays open.
        let copy = dup(descriptor)
        guard copy >= 0 else { throw SystemError.last }
        guard let stream = fdopendir(copy) else {
            let error = SystemError.last
            _ = systemClose(copy)
            throw error
        }
        defer { closedir(stream) }
        rewinddir(stream)  // the duplicate shares the offset of an earlier listing
        var names: [String] = []
        var undecodable: [String] = []
        while let entry = readdir(stream) {
            let (name, exact) = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                let raw = UnsafeBufferPointer(rebasing: bytes[0..<end])
                let decoded = String(decoding: raw, as: UTF8.self)
                return (decoded, decoded.utf8.elementsEqual(raw))
            }
            if name == "." || name == ".." { continue }
            if exact { names.append(name) } else { undecodable.append(name) }
        }
        return (names, undecodable)
    }

    /// Closes the descriptor.
    package func close() { _ = systemClose(descriptor) }
}

extension SystemFile {
    /// The status of the open file.
    /// - Throws: `SystemError`.
    package func status() throws(SystemError) -> FileStatus {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemError.last }
        return FileStatus(info)
    }

    /// Opens `path` for reading without blocking, following symbolic links (a path a person
    /// named); the caller checks `status()` before reading.
    /// - Throws: `SystemError`.
    package static func openForReading(_ path: String) throws(SystemError) -> SystemFile {
        SystemFile(descriptor: try retryingOpen { systemOpenAt(AT_FDCWD, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) })
    }

    /// Reads from the current offset to the end, but never more than `limit + 1` bytes, so a
    /// caller can tell "at most `limit`" from "more". `expectedSize` sizes the first allocation.
    /// - Throws: `SystemError`.
    package func readToEnd(limit: Int, expectedSize: Int) throws(SystemError) -> [UInt8] {
        let cap = limit == Int.max ? Int.max : limit + 1
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(expectedSize, 0), cap, 1 << 26) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < cap {
            let want = min(chunk.count, cap - bytes.count)
            let n = chunk.withUnsafeMutableBytes { raw in systemRead(descriptor, raw.baseAddress, want) }
            if n > 0 {
                bytes.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                break
            } else {
                let error = SystemError.last
                if !error.isInterrupted { throw error }
            }
        }
        return bytes
    }
}

extension SystemPath {
    /// The status of `path`: of a final symbolic link itself unless `followingLinks`.
    /// - Throws: `SystemError`.
    package static func status(_ path: String, followingLinks: Bool) throws(SystemError) -> FileStatus {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { throw SystemError.last }
        return FileStatus(info)
    }

    /// The absolute path of `path` with every symbolic link, `.` and `..` resolved.
    /// - Throws: `SystemError` (`ENOENT` for a broken link, `ELOOP` for a loop).
    package static func realPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = realpath(path, nil) else { throw SystemError.last }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Makes a FIFO (named pipe) at `path`, mode 0644 (tests of the loader).
    /// - Throws: `SystemError`.
    package static func makeFIFO(_ path: String) throws(SystemError) {
        guard mkfifo(path, 0o644) == 0 else { throw SystemError.last }
    }
}

extension SystemError {
    /// The system's text for the error alone ("Permission denied"), without the hints of
    /// `message`, which are about index directories.
    package var reason: String { String(cString: strerror(code)) }
}

/// Runs an `open`-like call until it is not interrupted.
private func retryingOpen(_ call: () -> Int32) throws(SystemError) -> Int32 {
    while true {
        let fd = call()
        if fd >= 0 { return fd }
        let error = SystemError.last
        if !error.isInterrupted { throw error }
    }
}

// The calls whose names a method of the types above shadows.
@inline(__always)
private func systemOpenAt(_ fd: Int32, _ path: String, _ flags: Int32) -> Int32 { openat(fd, path, flags) }
@inline(__always)
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always)
private func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, base, count) }
