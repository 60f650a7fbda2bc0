// swift-tools-version:6.0
// An example consumer of Poisk: a separate package that depends on it by path and runs the
// Getting Started code as written. `.ci/run` builds and runs it.
import PackageDescription

let package = Package(
    name: "GettingStarted",
    dependencies: [.package(name: "Poisk", path: "../..")],
    targets: [
        .executableTarget(name: "GettingStarted", dependencies: [.product(name: "Poisk", package: "Poisk")])
    ]
)
