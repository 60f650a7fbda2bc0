// A mutual-exclusion lock and a value guarded by one, in place of the standard library's
// `Synchronization.Mutex` (which needs macOS 15 / iOS 18; Poisk supports macOS 13 / iOS 16).
//
// For: pools, the flush's shared work queue, lazily verified sections: short critical sections
// that never block on I/O. Not for: waiting for a condition (use `NSCondition`), or anything
// held across an `await`.
//
// A `pthread_mutex_t` in its own allocation (a mutex must not move, and a Swift class's stored
// properties give no stable address), as swift-nio's `NIOLock` does on Darwin, Glibc and Musl
// (swift-nio 2.101.3 `Sources/NIOConcurrencyHelpers/lock.swift`): `pthread_mutex_init`,
// `pthread_mutex_lock`, `pthread_mutex_unlock` and `pthread_mutex_destroy` take an
// `UnsafeMutablePointer<pthread_mutex_t>` on all three. Uncontended, a lock and an unlock cost
// about what an atomic read-modify-write does (measured in Benchmarks/README.md, "Apple
// platforms").

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Android)
    import Android
#endif

/// A non-recursive mutual-exclusion lock.
package final class Lock: @unchecked Sendable {
    // The mutex is only touched through pthread calls, which are thread-safe.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Fails only for a bad attribute (none is passed) or no memory for a mutex, which on
        // Linux and Darwin never allocates: nothing to recover.
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed with error \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Takes the lock, waiting while another thread holds it.
    @inline(__always)
    package func lock() { pthread_mutex_lock(mutex) }

    /// Releases the lock; only the thread that took it may.
    @inline(__always)
    package func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` holding the lock.
    @inline(__always)
    package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// A value that threads share, read and changed only while holding its lock.
package final class Protected<Value>: @unchecked Sendable {
    // `value` is only accessed inside `withLock`.
    private let lock = Lock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` on the value while holding the lock.
    /// - Complexity: one lock and unlock, plus `body`.
    @inline(__always)
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    package var current: Value { withLock { $0 } }
}
