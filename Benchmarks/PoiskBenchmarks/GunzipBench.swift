// poisk-bench gunzip: decompression speed of the built-in gzip decoder (`Gzip`), which
// `DocumentLoader` uses for `.jsonl.gz` corpora, on one core.
//
// For: comparing against `gzip -dc FILE > /dev/null`. Not for: the time of reading the file
// (it is read once, before the timed runs).

import Foundation
import Poisk

enum GunzipBench {
    static let allowedOptions: Set<String> = ["corpus", "runs", "json"]

    static func run(_ options: [String: String]) throws {
        guard let corpus = options["corpus"], !corpus.isEmpty else {
            throw BenchCLI.BenchError(message: "gunzip needs --corpus FILE.gz\n\(BenchCLI.usage)")
        }
        let runs =
            try options["runs"].map { value -> Int in
                guard let n = Int(value), n >= 1 else {
                    throw BenchCLI.BenchError(message: "--runs needs a whole number of at least 1, not '\(value)'")
                }
                return n
            } ?? 5
        let input: Data
        do {
            input = try Data(contentsOf: URL(fileURLWithPath: corpus))
        } catch {
            throw BenchCLI.BenchError(message: "cannot read \(corpus)")
        }
        BenchCLI.progress("decompressing \(corpus) (\(input.count) bytes) \(runs) times")
        var seconds: [Double] = []
        var outputBytes = -1
        for _ in 0..<runs {
            let start = BenchCLI.now()
            // Gzip checks every member's CRC-32 and ISIZE; a mismatch throws.
            let output = try Gzip.decompress(input, name: corpus)
            seconds.append(BenchCLI.now() - start)
            // The benchmark checks itself: every run must produce the same number of bytes.
            precondition(outputBytes < 0 || output.count == outputBytes, "output size changed between runs")
            outputBytes = output.count
        }
        seconds.sort()
        let median = seconds.count % 2 == 1 ? seconds[seconds.count / 2] : (seconds[seconds.count / 2 - 1] + seconds[seconds.count / 2]) / 2
        let best = seconds[0]
        let megabytes = Double(outputBytes) / 1e6
        if options["json"] != nil {
            print(
                BenchCLI.json([
                    ("input_bytes", input.count), ("output_bytes", outputBytes), ("runs", runs),
                    ("median_seconds", median), ("best_seconds", best),
                    ("median_mb_per_sec", megabytes / median), ("best_mb_per_sec", megabytes / best),
                ]))
        } else {
            print(
                String(
                    format:
                        "gunzip: %d -> %d bytes (CRC-32 and ISIZE checked), %d runs: median %.1f MB/s (%.4f s), best %.1f MB/s (%.4f s)",
                    input.count, outputBytes, runs, megabytes / median, median, megabytes / best, best))
        }
    }
}
