// Running blocking work (file I/O, fsync, whole-segment merges) from async code.
//
// For: the `async` overloads of the writer and the reader, so their I/O never occupies a thread
// of Swift's cooperative pool. Not for: CPU-bound work that takes microseconds (call it directly).

import Foundation

/// Runs blocking work on a Dispatch queue and resumes the caller when it finishes.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
