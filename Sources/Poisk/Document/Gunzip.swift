// Decompressing a `.gz` file through the system's `gzip -dc`, for the document loader.
//
// For: `DocumentLoader.readFile`. Not for: anything on the indexing or search path.
//
// Spawned with `posix_spawnp` and read from a pipe to its end, then reaped with `waitpid`:
// Foundation's `Process` noticed gzip's exit through its run loop about 50 ms late (loading
// docs-ru took 0.152 s, now 0.097 s) and left a monitoring thread and Dispatch threads behind,
// whose scheduler history made Linux place the writer's helper thread on the busy core
// (see `WorkerPool`).

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Data {
    /// The decompressed contents of the gzip file at `path`.
    /// - Throws: `PoiskError.io` when gzip cannot be started, or fails (not gzip data,
    ///   truncated, unreadable).
    init(decompressing path: String) throws {
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            throw PoiskError.io(path: path, reason: "cannot create a pipe to run gzip")
        }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t?
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = ["gzip", "-dc", "--", path]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        #if canImport(Darwin)
            let environment = _NSGetEnviron().pointee
        #else
            let environment = environ
        #endif
        let spawned = posix_spawnp(&pid, "gzip", &actions, nil, argv, environment)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw PoiskError.io(path: path, reason: "cannot run gzip to decompress it")
        }
        var data = Data()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        var readFailed = false
        while true {
            let n = read(readEnd, chunk.baseAddress, chunk.count)
            if n > 0 {
                data.append(UnsafeRawBufferPointer(rebasing: chunk[0..<n]).bindMemory(to: UInt8.self))
            } else if n == 0 {
                break
            } else if errno != EINTR {
                readFailed = true
                break
            }
        }
        close(readEnd)
        var status: Int32 = 0
        var reaped = waitpid(pid, &status, 0)
        while reaped == -1 && errno == EINTR { reaped = waitpid(pid, &status, 0) }
        // Exited normally (low seven bits zero) with code 0.
        guard !readFailed, reaped == pid, status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw PoiskError.io(path: path, reason: "gzip could not decompress it")
        }
        self = data
    }
}
