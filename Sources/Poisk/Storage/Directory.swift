// The index directory on disk: atomic file writes, fsync, rename, listing, removal, and the
// writer's lock file. System calls sit behind the small `FileSystem` protocol so tests can swap
// in one that fails the Nth write, fsync or rename (disk full, permission denied).
//
// For: Format/ and Index/ to persist bytes durably. Not for: reading segments (FileBytes maps
// them) or deciding what to write.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system calls the index needs. Every method throws `PoiskError.io` on failure.
package protocol FileSystem: Sendable {
    /// Creates or truncates `path`, writes `bytes`, and fsyncs the file.
    func writeFile(_ path: String, bytes: [UInt8]) throws
    /// Creates or truncates `path`, writes `parts` one after another, and fsyncs the file.
    /// The default implementation joins the parts and calls ``writeFile(_:bytes:)``.
    func writeFile(_ path: String, parts: [[UInt8]]) throws
    /// Atomically renames `from` to `to` (replacing `to`).
    func rename(_ from: String, to: String) throws
    /// Fsyncs a directory, making renames and removals in it durable.
    func syncDirectory(_ path: String) throws
    /// Removes a file (missing files are not an error).
    func remove(_ path: String) throws
    /// The names in a directory.
    func list(_ directory: String) throws -> [String]
    /// Creates a directory and its parents.
    func createDirectory(_ path: String) throws
}

extension FileSystem {
    package func writeFile(_ path: String, parts: [[UInt8]]) throws {
        try writeFile(path, bytes: joinParts(parts))
    }
}

/// The real file system through POSIX calls.
package struct PosixFileSystem: FileSystem {
    package init() {}

    private func failure(_ path: String, _ what: String) -> PoiskError {
        let code = errno
        var reason = String(cString: strerror(code))
        if code == ENOSPC { reason += " (the disk is full)" }
        if code == EACCES || code == EPERM { reason += " (check the permissions of the index directory)" }
        return PoiskError.io(path: path, reason: "\(what) failed: \(reason)")
    }

    package func writeFile(_ path: String, bytes: [UInt8]) throws {
        try writeFile(path, parts: [bytes])
    }

    package func writeFile(_ path: String, parts: [[UInt8]]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw failure(path, "create") }
        defer { close(fd) }
        for part in parts {
            var offset = 0
            try part.withUnsafeBytes { raw in
                while offset < raw.count {
                    guard let base = raw.baseAddress else { break }
                    let n = write(fd, base + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw failure(path, "write")
                    }
                    offset += n
                }
            }
        }
        if fsync(fd) != 0 { throw failure(path, "fsync") }
    }

    package func rename(_ from: String, to: String) throws {
        if systemRename(from, to) != 0 { throw failure(to, "rename") }
    }

    package func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw failure(path, "open directory") }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL { throw failure(path, "fsync directory") }
    }

    package func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure(path, "remove") }
    }

    package func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw failure(directory, "list") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    package func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PoiskError.io(path: path, reason: "cannot create the index directory")
        }
    }
}

/// An index directory: file names, atomic writes.
package struct IndexDirectory: Sendable {
    package let path: String
    package let fileSystem: any FileSystem

    package init(path: String, fileSystem: any FileSystem = PosixFileSystem()) {
        self.path = path
        self.fileSystem = fileSystem
    }

    package func url(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` atomically: a temporary file, fsync, rename, fsync the directory.
    /// A crash at any moment leaves either the old file or the complete new one.
    package func writeAtomically(_ name: String, bytes: [UInt8], syncDirectory: Bool = true) throws {
        let temporary = url(name + ".tmp")
        try fileSystem.writeFile(temporary, bytes: bytes)
        try fileSystem.rename(temporary, to: url(name))
        if syncDirectory { try fileSystem.syncDirectory(path) }
    }

    package func list() throws -> [String] { try fileSystem.list(path) }
    package func remove(_ name: String) throws { try fileSystem.remove(url(name)) }
    package func sync() throws { try fileSystem.syncDirectory(path) }
}

/// The writer's lock: an exclusive `flock` on `write.lock`, released by the kernel if the
/// process dies, holding `pid@host` so a second writer can name the holder.
package final class IndexLock: @unchecked Sendable {
    // fd is only read after init and closed once in release()/deinit under the owner's control.
    private var fd: Int32
    package static let fileName = "write.lock"

    package init(directory: String) throws {
        let path = directory + "/" + IndexLock.fileName
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        if fd < 0 {
            throw PoiskError.io(path: path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = pread(fd, &buffer, 255, 0)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : "unknown process"
            throw PoiskError.indexLocked(path: directory, holder: holder.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let info = Array("pid \(getpid()) on \(hostName)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = info.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    /// Releases the lock (idempotent).
    package func release() {
        if fd >= 0 {
            _ = ftruncate(fd, 0)
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

#if canImport(Glibc)
    private let systemRename = Glibc.rename
#elseif canImport(Darwin)
    private let systemRename = Darwin.rename
#endif
