// Threads the writer starts itself (see `WorkerPool`), with an explicit stack size and, on
// Darwin, the quality-of-service class of the thread that starts them.
//
// For: `WorkerPool`'s parked helpers and the writer's background merges. Not for: anything on the query path (readers never start
// threads).
//
// Declarations checked against code compiled on each platform daily:
// - Darwin: `pthread_create(UnsafeMutablePointer<pthread_t?>, UnsafePointer<pthread_attr_t>?,
//   @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?, UnsafeMutableRawPointer?)`
//   and `pthread_attr_set_qos_class_np(&attr, qos_class, 0)`: swift-nio 2.101.3
//   `Sources/NIOPosix/ThreadPosix.swift` (`sysPthread_create`, `ThreadDestructor`). Whether the
//   start routine's argument arrives optional or not differs between SDKs and C libraries, so
//   the routine passes it through `startArgument`, which has an overload for each.
// - Glibc: `pthread_t` is an integer, created with `pthread_t()`; the routine's argument is
//   optional. Musl: `pthread_t` is an `OpaquePointer`, created as `pthread_t?` (same file).
// Darwin's default stack for a secondary thread is 512 KiB, Linux's 8 MiB: every helper asks
// for `stackSize` so both behave the same.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Android)
    import Android
#endif

/// A joinable system thread.
package struct SystemThread: @unchecked Sendable {
    // A pthread handle is a plain value; joining it once is the owner's duty.
    private let handle: pthread_t

    /// The stack each helper thread gets.
    package static let stackSize = 8 << 20

    private final class Start {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts a thread running `body`, or returns nil when the system refuses one.
    package static func start(_ body: @escaping @Sendable () -> Void) -> SystemThread? {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        _ = pthread_attr_setstacksize(&attributes, stackSize)
        #if canImport(Darwin)
            _ = pthread_attr_set_qos_class_np(&attributes, qos_class_self(), 0)
        #endif
        let argument = Unmanaged.passRetained(Start(body)).toOpaque()
        #if canImport(Glibc)
            var thread = pthread_t()
        #else
            var thread: pthread_t? = nil
        #endif
        let status = pthread_create(
            &thread, &attributes,
            { raw in
                guard let raw = startArgument(raw) else { return nil }
                Unmanaged<Start>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, argument)
        let created: pthread_t? = status == 0 ? thread : nil
        guard let created else {
            Unmanaged<Start>.fromOpaque(argument).release()
            return nil
        }
        return SystemThread(handle: created)
    }

    /// Waits for the thread to end. Call once.
    package func join() { pthread_join(handle, nil) }

    /// Lets the thread's resources go when it ends, without a `join` (instead of one).
    package func detach() { pthread_detach(handle) }

    /// An identity of the calling thread, comparable with `==`.
    package static var current: Identity { Identity(handle: pthread_self()) }

    /// Which thread this is, for tests and assertions.
    package struct Identity: Equatable, @unchecked Sendable {
        let handle: pthread_t
        package static func == (a: Identity, b: Identity) -> Bool { pthread_equal(a.handle, b.handle) != 0 }
    }

    /// Gives the processor to another thread (`sched_yield`).
    package static func yield() { sched_yield() }
}

@inline(__always)
private func startArgument(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? { raw }

@inline(__always)
private func startArgument(_ raw: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? { raw }
