// Helpers shared by the three test targets: the repository's paths, a seeded generator, and
// temporary directories.
//
// For: tests only (a library target the test targets depend on; no product ships it). Not for:
// anything that needs Poisk itself: this target depends on nothing, so the analysis tests can
// use it without the engine.

import Foundation

/// Paths inside the repository, found from this file's own path (so tests run from any
/// working directory).
public enum Fixtures {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The five seed articles (`seeds/`).
    public static let seeds = root.appendingPathComponent("seeds").path
    /// `Tests/Fixtures`: test data (Unicode test files, stemmer vectors, golden indexes, …).
    public static let fixtures = root.appendingPathComponent("Tests/Fixtures")

    /// A file or folder of `Tests/Fixtures`.
    public static func url(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// The bytes of a file of `Tests/Fixtures`, or nil when it cannot be read.
    public static func bytes(_ name: String) -> [UInt8]? {
        (try? Data(contentsOf: url(name))).map { [UInt8]($0) }
    }
}

/// SplitMix64: a small deterministic generator, so random tests are reproducible.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound` > 0; the slight modulo bias does not matter for tests).
    public mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// A fresh path in the system's temporary directory (nothing is created): `prefix` plus a UUID.
public func temporaryPath(_ prefix: String = "poisk-test-") -> String {
    NSTemporaryDirectory() + prefix + UUID().uuidString
}

/// Makes a temporary directory, removed when the closure returns.
public func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let path = temporaryPath()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Makes a temporary directory, removed when the closure returns (for async tests).
public func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let path = temporaryPath()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
