// swift-tools-version:6.0
// An example consumer of Poisk: a separate package that depends on it by path and runs the
// Getting Started code as written. `.ci/run` builds and runs it.
import PackageDescription

let package = Package(
    name: "GettingStarted",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9), .visionOS(.v1)],
    dependencies: [.package(name: "Poisk", path: "../..")],
    targets: [
        .executableTarget(name: "GettingStarted", dependencies: [.product(name: "Poisk", package: "Poisk")])
    ]
)
