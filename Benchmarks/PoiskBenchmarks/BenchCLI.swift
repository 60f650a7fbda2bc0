// poisk-bench command dispatch and shared helpers (timing, JSON, corpus loading).
//
// For: measuring the library through its public API (plus `package` hooks). Not for tests:
// timing goals live here, never in `swift test`.

import Foundation
import Poisk

enum BenchCLI {
    static let usage = """
        Usage: poisk-bench index --corpus FILE.jsonl[.gz] --index DIR [--schema FILE.json] [--threads N] [--json]
               poisk-bench query --index DIR --queries FILE.tsv [--k 10] [--min-seconds S] [--hits ids|stored|snippets|count]
                                 [--pruned] [--json] [--results FILE] [--check-snippets]
               poisk-bench analyze --corpus FILE.jsonl[.gz] [--json]
               poisk-bench gunzip --corpus FILE.gz [--runs 5] [--json]
               poisk-bench serve --corpus FILE.jsonl[.gz] --queries FILE.tsv [--tasks 8] [--seconds 10] [--commit-every 100] [--json]
               poisk-bench            (runs on a deterministic synthetic corpus)

        Build in release first: swift build -c release; .build/release/poisk-bench …
        """

    static func run(_ args: [String]) -> Int32 {
        do {
            guard let command = args.first else {
                try runDefault()
                return 0
            }
            let rest = Array(args.dropFirst())
            switch command {
            case "analyze": try AnalyzeBench.run(options(rest))
            case "index": try IndexBench.run(options(rest, allowed: IndexBench.allowedOptions))
            case "query": try QueryBench.run(options(rest, allowed: QueryBench.allowedOptions))
            case "gunzip": try GunzipBench.run(options(rest, allowed: GunzipBench.allowedOptions))
            case "serve": try ServeBench.run(options(rest, allowed: ServeBench.allowedOptions))
            case "-h", "--help", "help":
                print(usage)
            default:
                FileHandle.standardError.write(Data("poisk-bench: unknown command '\(command)'\n\(usage)\n".utf8))
                return 2
            }
            return 0
        } catch let e as BenchError {
            FileHandle.standardError.write(Data("poisk-bench: \(e.message)\n".utf8))
            return 2
        } catch {
            FileHandle.standardError.write(Data("poisk-bench: \(error)\n".utf8))
            return 1
        }
    }

    static func runDefault() throws {
        let docs = SyntheticCorpus.documents(count: 20_000, seed: 42)
        progress("synthetic corpus: \(docs.count) documents")
        let dir = NSTemporaryDirectory() + "poisk-bench-\(SystemProcess.id)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = try IndexBench.build(docs, at: dir + "/one", threads: 1)
        let many = try IndexBench.build(docs, at: dir + "/many", threads: nil)
        let queries = SyntheticCorpus.queries(seed: 7)
        let (openMs, reader) = try QueryBench.measureOpen(dir + "/one")
        let measured = try QueryBench.measure(reader: reader, queries: queries, k: 10, minSeconds: 1)
        let analyze = AnalyzeBench.measure(docs)
        print(
            "poisk-bench on a synthetic corpus (\(docs.count) docs, \(String(format: "%.1f", Double(one.bodyBytes) / 1e6)) MB body, seed 42)\n"
        )
        print(String(format: "index, 1 thread    %8.1f MB/s  %9.0f docs/s  %.3f s", one.mbPerSecond, one.docsPerSecond, one.seconds))
        print(
            String(
                format: "index, %d threads   %8.1f MB/s  %9.0f docs/s  %.3f s", ProcessInfo.processInfo.activeProcessorCount,
                many.mbPerSecond, many.docsPerSecond, many.seconds))
        print(
            String(
                format: "index size         %8.1f MB (%.1f MB without stored fields)", Double(one.indexBytes) / 1e6,
                Double(one.indexBytes - one.storedBytes) / 1e6))
        print(String(format: "open               %8.2f ms", openMs))
        print(String(format: "analyze            %8.1f MB/s  %9.0f tokens/s", analyze.mbPerSecond, analyze.tokensPerSecond))
        print("\nquery class   count    p50 µs    p99 µs")
        for (cls, s) in QueryBench.summarize(queries: queries, latencies: measured.latencies) {
            print(cls.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: " %6d %9.1f %9.1f", s.count, s.p50, s.p99))
        }
    }

    struct BenchError: Error { let message: String }

    /// `--name value` and `--flag` pairs.
    static func options(_ args: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        var i = 0
        while i < args.count {
            let a = args[i]
            guard a.hasPrefix("--") else { throw BenchError(message: "unexpected argument '\(a)'") }
            let name = String(a.dropFirst(2))
            if i + 1 < args.count && !args[i + 1].hasPrefix("--") {
                result[name] = args[i + 1]
                i += 2
            } else {
                result[name] = ""
                i += 1
            }
        }
        return result
    }

    /// `options(_:)` for a command that takes only the `allowed` names: any other is a usage error.
    static func options(_ args: [String], allowed: Set<String>) throws -> [String: String] {
        let result = try options(args)
        if let unknown = result.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw BenchError(message: "unknown option '--\(unknown)'\n\(usage)")
        }
        return result
    }

    static func progress(_ s: String) {
        FileHandle.standardError.write(Data("poisk-bench: \(s)\n".utf8))
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func loadCorpus(_ path: String, schema: Schema? = nil) throws -> [Document] {
        var docs: [Document] = []
        try DocumentLoader.loadJSONLines(path: path, schema: schema, into: &docs)
        return docs
    }

    static func json(_ pairs: [(String, Any)]) -> String {
        "{"
            + pairs.map { k, v in
                let value: String
                switch v {
                case let d as Double: value = d.isFinite ? String(format: "%.6g", d) : "null"
                case let i as Int: value = String(i)
                case let s as String:
                    value = "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
                case let raw as RawJSON: value = raw.text
                default: value = "null"
                }
                return "\"\(k)\":\(value)"
            }.joined(separator: ",") + "}"
    }

    struct RawJSON { let text: String }
}

/// A deterministic synthetic corpus: English and Russian words with a Zipf-like distribution.
enum SyntheticCorpus {
    static let english = """
        the of and to in is for on with as by at from that this be are it or an was which not but have has \
        kernel memory device driver system file data process user interface function page buffer lock \
        thread queue network packet support value option configuration module address cache error time \
        missile defense patriot system battery interceptor aid ukraine president weapons security talks
        """.split(separator: " ").map(String.init)
    static let russian = """
        и в не на что с по как это к из за от для о до при также если так уже или но был были может \
        ракета ракеты ракетами система системы защита оборона помощь президент переговоры безопасность \
        файл память устройство драйвер процесс пользователь функция страница ошибка время модуль сеть
        """.split(separator: " ").map(String.init)

    /// Queries over the synthetic vocabulary, one class per query shape.
    static func queries(seed: UInt64) -> [(cls: String, text: String)] {
        var state = seed
        func pick(_ list: [String]) -> String {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return list[Int((state >> 33) % UInt64(list.count))]
        }
        let content = Array(english.dropFirst(27))
        var result: [(cls: String, text: String)] = []
        for _ in 0..<20 {
            result.append(("term", pick(content)))
            result.append(("and2", "\(pick(content)) AND \(pick(content))"))
            result.append(("or2", "\(pick(content)) OR \(pick(content))"))
            result.append(("phrase2", "\"\(pick(content)) \(pick(content))\""))
            result.append(("prefix", String(pick(content).prefix(3)) + "*"))
            result.append(("term_ru", pick(Array(russian.dropFirst(20)))))
        }
        return result
    }

    static func documents(count: Int, seed: UInt64) -> [Document] {
        var rng = seed
        func next() -> UInt64 {
            rng &+= 0x9E37_79B9_7F4A_7C15
            var z = rng
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func word(_ list: [String]) -> String {
            // Zipf-ish: square a uniform variable to favour the head of the list.
            let u = Double(next() % 1_000_000) / 1_000_000
            return list[min(list.count - 1, Int(u * u * Double(list.count)))]
        }
        var docs: [Document] = []
        docs.reserveCapacity(count)
        for i in 0..<count {
            let list = i % 4 == 3 ? russian : english
            let length = 50 + Int(next() % 400)
            var body = ""
            body.reserveCapacity(length * 8)
            for j in 0..<length {
                if j > 0 { body += j % 12 == 0 ? ". " : " " }
                body += word(list)
                if next() % 50 == 0 { body += String(next() % 1000) }
            }
            let title = (0..<6).map { _ in word(list) }.joined(separator: " ")
            docs.append(Document(id: "doc-\(i)", title: title, body: body))
        }
        return docs
    }
}
