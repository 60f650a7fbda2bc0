// The index directory on disk: atomic file writes, fsync, rename, listing, removal, and the
// writer's lock file. System calls sit behind the small `FileSystem` protocol so tests can swap
// in one that fails the Nth write, fsync or rename (disk full, permission denied).
//
// For: Format/ and Index/ to persist bytes durably. Not for: reading segments (FileBytes maps
// them) or deciding what to write.

import Foundation

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

/// The real file system, through the calls in Platform/.
package struct PosixFileSystem: FileSystem {
    package init() {}

    private func failure(_ path: String, _ what: String, _ error: SystemError) -> PoiskError {
        PoiskError.io(path: path, reason: "\(what) failed: \(error.message)")
    }

    package func writeFile(_ path: String, bytes: [UInt8]) throws {
        try writeFile(path, parts: [bytes])
    }

    package func writeFile(_ path: String, parts: [[UInt8]]) throws {
        let file: SystemFile
        do { file = try SystemFile.open(path, .createTruncate) } catch { throw failure(path, "create", error) }
        defer { file.close() }
        for part in parts {
            do {
                try part.withUnsafeBytes { raw in try file.writeAll(raw) }
            } catch let error as SystemError {
                throw failure(path, "write", error)
            }
        }
        do { try file.synchronize() } catch { throw failure(path, "fsync", error) }
    }

    package func rename(_ from: String, to: String) throws {
        do { try SystemPath.rename(from, to: to) } catch { throw failure(to, "rename", error) }
    }

    package func syncDirectory(_ path: String) throws {
        do { try SystemPath.synchronizeDirectory(path) } catch { throw failure(path, "fsync directory", error) }
    }

    package func remove(_ path: String) throws {
        do { try SystemPath.remove(path) } catch { throw failure(path, "remove", error) }
    }

    package func list(_ directory: String) throws -> [String] {
        do { return try SystemPath.list(directory) } catch { throw failure(directory, "list", error) }
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

    /// Writes `bytes` to `name` atomically (see ``writeAtomically(_:parts:syncDirectory:)``).
    package func writeAtomically(_ name: String, bytes: [UInt8], syncDirectory: Bool = true) throws {
        try writeAtomically(name, parts: [bytes], syncDirectory: syncDirectory)
    }

    /// Writes `parts`, one after another, to `name` atomically: a temporary file (`name.tmp`),
    /// fsync, rename, and an fsync of the directory unless `syncDirectory` is false (the writer
    /// syncs it once per commit, after the commit file's rename). A crash at any moment leaves
    /// either the old file or the complete new one. Every file of an index (segments, delete
    /// files, commits) is written through here.
    package func writeAtomically(_ name: String, parts: [[UInt8]], syncDirectory: Bool = true) throws {
        let temporary = url(name + ".tmp")
        try fileSystem.writeFile(temporary, parts: parts)
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
    // file is only read after init and closed once in release()/deinit under the owner's control.
    private var file: SystemFile?
    package static let fileName = "write.lock"

    /// Takes the lock of the index in `directory`.
    /// - Throws: `PoiskError.indexLocked` when another writer holds it, `.io` when the lock
    ///   file cannot be opened or locked for any other reason (the message says which).
    package init(directory: String) throws {
        let path = directory + "/" + IndexLock.fileName
        let file: SystemFile
        do { file = try SystemFile.open(path, .readWriteCreate) } catch {
            throw PoiskError.io(path: path, reason: "cannot open the lock file: \(error.message)")
        }
        let locked: Bool
        do { locked = try file.tryLockExclusive() } catch {
            file.close()
            throw PoiskError.io(path: path, reason: "cannot lock the lock file: \(error.message)")
        }
        if !locked {
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress.map { (try? file.read(into: $0, count: 255, at: 0)) ?? 0 } ?? 0
            }
            file.close()
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : "unknown process"
            throw PoiskError.indexLocked(path: directory, holder: holder.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let info = Array("pid \(SystemProcess.id) on \(SystemProcess.hostName)\n".utf8)
        file.truncate(to: 0)
        info.withUnsafeBytes { file.write($0, at: 0) }
        self.file = file
    }

    /// Releases the lock (idempotent).
    package func release() {
        if let file {
            file.truncate(to: 0)
            file.unlock()
            file.close()
            self.file = nil
        }
    }

    deinit { release() }
}
