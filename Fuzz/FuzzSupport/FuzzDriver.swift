// The entry point shared by the fuzz targets under Fuzz/: hands a target's input function to
// libFuzzer when the binary was built with `-sanitize=fuzzer`, and otherwise replays files.
//
// For: Scripts/fuzz.sh and for replaying a crash or the seed corpus with an ordinary build
// (`swift run FuzzQuery Tests/FuzzCorpus/FuzzQuery`). Not for: anything the library ships.
//
// Why not libFuzzer's own `main`: SwiftPM links every executable target with
// `--defsym main=<module>_main`, so libFuzzer's `main` is never used. Instead each target's
// main.swift calls ``runFuzzer(_:)``, which finds `LLVMFuzzerRunDriver` (libFuzzer's documented
// entry point for programs that keep their own `main`) through `dlsym`. Scripts/fuzz.sh exports
// that symbol with `-Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver`.

import Foundation
import Poisk

/// The C signature of a fuzz target's input function (`LLVMFuzzerTestOneInput`).
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

private typealias RunDriver = @convention(c) (
    UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>, FuzzCallback
) -> CInt

/// Runs libFuzzer with `callback` when it is linked in (a `-sanitize=fuzzer` build); otherwise
/// replays every file named on the command line (directories: every file inside, sorted) through
/// `callback` and reports how many ran. Never returns.
/// - Parameter callback: the target's input function.
public func runFuzzer(_ callback: FuzzCallback) -> Never {
    if let symbol = SystemProcess.symbol(named: "LLVMFuzzerRunDriver") {
        let driver = unsafeBitCast(symbol, to: RunDriver.self)
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        SystemProcess.exit(driver(&argc, &argv, callback))
    }
    var files: [String] = []
    for argument in CommandLine.arguments.dropFirst() where !argument.hasPrefix("-") {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            FileHandle.standardError.write(Data("no such file: \(argument)\n".utf8))
            SystemProcess.exit(2)
        }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
            files += names.sorted().map { argument + "/" + $0 }
        } else {
            files.append(argument)
        }
    }
    if files.isEmpty {
        print("Not a libFuzzer build: pass input files or directories to replay them (see Scripts/fuzz.sh).")
        SystemProcess.exit(2)
    }
    for file in files {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        let bytes = [UInt8](data)
        _ = bytes.withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
    }
    print("Replayed \(files.count) inputs without a crash.")
    SystemProcess.exit(0)
}
