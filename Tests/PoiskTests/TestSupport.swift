// Shared helpers for the Poisk tests: fixture paths and a seeded PRNG.

import Foundation

@testable import Poisk

enum Fixtures {
    /// The repository root (found from this file's path).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let seeds = root.appendingPathComponent("seeds").path
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")

    static func seedDocuments() throws -> [Document] {
        var loader = DocumentLoader()
        return try loader.load(paths: [seeds])
    }
}

/// SplitMix64: a small deterministic PRNG for reproducible random tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Makes a temporary directory, removed when the closure returns.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let path = NSTemporaryDirectory() + "poisk-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}
