// The process: its id and host, standard streams, environment, exit, resource usage, and the
// few calls the CLI, the benchmark, the fuzz driver and the tests make about processes.
//
// For: code outside Platform/ that needs one of these without importing the C library. Not
// for: starting processes (an iOS app cannot, and the library never does).
//
// Declarations checked against code compiled on Darwin daily: `isatty`, `getenv`, `getpid`,
// `gethostname`, `write`, `exit`, `usleep`, `kill` as in swift-system 1.8.1
// `Sources/System/Internals/Syscalls.swift` (`system_getenv`) and swift-nio 2.101.3
// `Sources/NIOPosix/System.swift`. `getrusage` takes `RUSAGE_SELF` as a `CInt` on Darwin and
// Musl but as the enum `__rusage_who` on Glibc (hence `.rawValue` there), and `ru_maxrss` is in
// bytes on Darwin but in kibibytes on Linux (getrusage(2) on each). `dlopen(nil, RTLD_NOW)` and
// `dlsym` have the same signatures on all three.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Android)
    import Android
#endif

/// Facts about and actions on the current process.
package enum SystemProcess {
    /// This process's id.
    package static var id: Int32 { getpid() }

    /// The host's name, or "unknown host".
    package static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return "unknown host" }
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[0..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether file descriptor `fd` (1 for standard output, 2 for standard error) is a terminal.
    package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The value of an environment variable, or nil.
    package static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// Writes all of `bytes` to file descriptor `fd` (1 or 2), ignoring failures (a closed pipe).
    package static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
        try? SystemFile(descriptor: fd).writeAll(bytes)
    }

    /// Ends the process with `status`.
    package static func exit(_ status: Int32) -> Never {
        #if canImport(Glibc)
            Glibc.exit(status)
        #elseif canImport(Musl)
            Musl.exit(status)
        #elseif canImport(Darwin)
            Darwin.exit(status)
        #elseif canImport(Android)
            Android.exit(status)
        #endif
    }

    /// The process's peak resident memory in bytes.
    package static var peakResidentBytes: Int {
        let usage = resourceUsage()
        #if canImport(Darwin)
            return Int(usage.ru_maxrss)
        #else
            return Int(usage.ru_maxrss) * 1024
        #endif
    }

    /// Minor page faults so far (pages first touched, served without I/O).
    package static var minorPageFaults: Int { Int(resourceUsage().ru_minflt) }

    private static func resourceUsage() -> rusage {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }

    /// The number of open file descriptors of this process: each descriptor below the
    /// descriptor table's size that `fcntl(F_GETFD)` accepts (POSIX, the same on Darwin and
    /// Linux). For tests that a long run does not leak descriptors.
    package static var openDescriptorCount: Int {
        var count = 0
        for fd in 0..<min(Int32(getdtablesize()), 65_536) where fcntl(fd, F_GETFD) != -1 { count += 1 }
        return count
    }

    /// Bytes of this process's memory mapped from files whose path starts with `prefix`, or nil
    /// where the system does not list mappings as text (`/proc/self/maps` on Linux; nil on
    /// Darwin). For tests that a long run does not keep old segment files mapped.
    package static func mappedBytes(ofFilesUnder prefix: String) -> Int? {
        #if os(Linux) || os(Android)
            // Read to the end: procfs files report a size of 0, which whole-file reads trust.
            guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return nil }
            defer { try? handle.close() }
            let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            var total = 0
            for line in text.split(separator: "\n") {
                // address-range perms offset dev inode, then the path (after padding), if any
                guard let slash = line.firstIndex(of: "/"), line[slash...].hasPrefix(prefix) else { continue }
                let range = line.prefix(while: { $0 != " " }).split(separator: "-")
                guard range.count == 2, let start = Int(range[0], radix: 16), let end = Int(range[1], radix: 16) else {
                    continue
                }
                total += end - start
            }
            return total
        #else
            return nil
        #endif
    }

    /// Sleeps the calling thread for about `seconds`.
    package static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        _ = usleep(UInt32(min(seconds, 4_000) * 1_000_000))
    }

    /// Sends SIGKILL to process `pid` (tests of crash safety).
    package static func killHard(_ pid: Int32) { _ = kill(pid, SIGKILL) }

    /// The address of a symbol of this program or a library it loaded, or nil.
    package static func symbol(named name: String) -> UnsafeMutableRawPointer? {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        return dlsym(handle, name)
    }
}
