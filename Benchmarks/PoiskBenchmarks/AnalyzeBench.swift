// poisk-bench analyze: throughput of the full analysis pipeline (segmentation, normalization,
// stemming) on one core, the body analyzer applied to every title and body.

import Foundation
import Poisk

enum AnalyzeBench {
    struct Result {
        var tokens: Int
        var bytes: Int
        var seconds: Double
        var tokensPerSecond: Double { Double(tokens) / seconds }
        var mbPerSecond: Double { Double(bytes) / 1e6 / seconds }
    }

    static func measure(_ docs: [Document], minSeconds: Double = 1.0) -> Result {
        let analyzer = Analyzer()
        var texts: [String] = []
        texts.reserveCapacity(docs.count * 2)
        var bytes = 0
        for d in docs {
            texts.append(d.title)
            texts.append(d.body)
            bytes += d.title.utf8.count + d.body.utf8.count
        }
        var scratch = AnalysisScratch()
        func pass() -> Int {
            var tokens = 0
            var checksum = 0
            for t in texts {
                analyzer.analyze(t, scratch: &scratch) { token in
                    tokens += 1
                    checksum &+= token.term.count
                }
            }
            return tokens &+ (checksum & 0)
        }
        let expected = pass()  // warm-up, and the reference token count
        var passes = 0
        let start = BenchCLI.now()
        var elapsed = 0.0
        repeat {
            let n = pass()
            // The benchmark checks itself: every pass must see the same tokens.
            precondition(n == expected, "token count changed between passes: \(n) vs \(expected)")
            passes += 1
            elapsed = BenchCLI.now() - start
        } while elapsed < minSeconds
        return Result(tokens: expected * passes, bytes: bytes * passes, seconds: elapsed)
    }

    static func run(_ options: [String: String]) throws {
        guard let corpus = options["corpus"] else { throw BenchCLI.BenchError(message: "analyze needs --corpus FILE.jsonl") }
        BenchCLI.progress("loading \(corpus)")
        let docs = try BenchCLI.loadCorpus(corpus)
        BenchCLI.progress("analyzing \(docs.count) documents")
        let r = measure(docs, minSeconds: Double(options["min-seconds"] ?? "") ?? 2.0)
        if options["json"] != nil {
            print(
                BenchCLI.json([
                    ("docs", docs.count), ("tokens_per_pass", r.tokens / max(1, Int((Double(r.bytes) / Double(max(1, docs.reduce(0) { $0 + $1.title.utf8.count + $1.body.utf8.count }))).rounded()))),
                    ("tokens_per_sec", r.tokensPerSecond), ("mb_per_sec", r.mbPerSecond), ("seconds", r.seconds),
                ]))
        } else {
            print(String(format: "analyze: %d docs, %.0f tokens/s, %.1f MB/s", docs.count, r.tokensPerSecond, r.mbPerSecond))
        }
    }
}
