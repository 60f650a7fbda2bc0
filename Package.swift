// swift-tools-version:6.0
// Poisk: a full-text search engine library for Swift programs to embed.
// Zero package dependencies by design: only what ships with the Swift toolchain.
import PackageDescription

let package = Package(
    name: "Poisk",
    // The oldest releases Poisk supports: nothing newer than these may be used (no
    // `Synchronization`, which needs macOS 15 / iOS 18; see README, Platforms).
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9), .visionOS(.v1)],
    products: [
        .library(name: "Poisk", targets: ["Poisk"]),
        .library(name: "PoiskAnalysis", targets: ["PoiskAnalysis"]),
        .executable(name: "poisk", targets: ["poisk"]),
        .executable(name: "poisk-bench", targets: ["PoiskBenchmarks"]),
    ],
    targets: [
        .target(name: "PoiskAnalysis"),
        .target(name: "Poisk", dependencies: ["PoiskAnalysis"]),
        .executableTarget(name: "poisk", dependencies: ["Poisk"], path: "Sources/PoiskCLI"),
        .executableTarget(
            name: "PoiskBenchmarks",
            dependencies: ["Poisk"],
            path: "Benchmarks/PoiskBenchmarks"
        ),
        // Fuzz targets (libFuzzer): Scripts/fuzz.sh builds them with -sanitize=fuzzer,address.
        // An ordinary build makes them replay input files instead (see Fuzz/FuzzSupport).
        .target(name: "FuzzSupport", dependencies: ["Poisk"], path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzSegment", dependencies: ["Poisk", "FuzzSupport"], path: "Fuzz/FuzzSegment"),
        .executableTarget(name: "FuzzQuery", dependencies: ["Poisk", "FuzzSupport"], path: "Fuzz/FuzzQuery"),
        .executableTarget(name: "FuzzAnalyzer", dependencies: ["PoiskAnalysis", "FuzzSupport"], path: "Fuzz/FuzzAnalyzer"),
        .executableTarget(name: "FuzzGzip", dependencies: ["Poisk", "FuzzSupport"], path: "Fuzz/FuzzGzip"),
        // Helpers shared by the test targets (paths, a seeded generator, temporary directories).
        .target(name: "PoiskTestSupport", path: "Tests/PoiskTestSupport"),
        .testTarget(name: "PoiskAnalysisTests", dependencies: ["PoiskAnalysis", "PoiskTestSupport"]),
        .testTarget(name: "PoiskTests", dependencies: ["Poisk", "PoiskTestSupport"]),
        .testTarget(name: "PoiskCLITests", dependencies: ["Poisk", "poisk", "PoiskTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
