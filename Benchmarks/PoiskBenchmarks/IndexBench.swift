// poisk-bench index: build a persistent index from a JSON Lines corpus and report its cost.
//
// Timed (`seconds`): from the first document handed to the writer to the end of the commit, the
// corpus already parsed, after a 0.1 s pause following the load (see `run`). `load_seconds`:
// reading and parsing the corpus (with `--schema FILE.json`, values converted to their fields'
// types as they are read; the writer then indexes typed fields and their columns).

import Foundation
import Poisk

enum IndexBench {
    struct Result {
        var docs: Int
        var bodyBytes: Int
        var loadSeconds: Double
        var seconds: Double
        var indexBytes: Int
        var storedBytes: Int
        var peakRSS: Int
        var docsPerSecond: Double { Double(docs) / seconds }
        var mbPerSecond: Double { Double(bodyBytes) / 1e6 / seconds }
    }

    static let allowedOptions: Set<String> = ["corpus", "index", "schema", "threads", "json"]

    static func run(_ options: [String: String]) throws {
        guard let corpus = options["corpus"], let index = options["index"] else {
            throw BenchCLI.BenchError(message: "index needs --corpus FILE.jsonl and --index DIR")
        }
        let threads = try options["threads"].map { v -> Int in
            guard let n = Int(v), n >= 1 else { throw BenchCLI.BenchError(message: "--threads needs a positive number") }
            return n
        }
        let schema = try options["schema"].map { try Schema(jsonFile: $0) }
        BenchCLI.progress("loading \(corpus)")
        let loadStart = BenchCLI.now()
        let docs = try BenchCLI.loadCorpus(corpus, schema: schema)
        let loadSeconds = BenchCLI.now() - loadStart
        // Let the machine settle before the clock starts: on the project's VM, two-thread
        // indexing started within ~20 ms of the end of a fast load (0.06 s for docs-ru) ran 20-30%
        // slower, both workers alike, while any pause of 20 ms or more (sleeping or spinning)
        // removed the difference (Benchmarks/README.md). The peers' harness spends seconds
        // building its documents before its clock starts.
        SystemProcess.sleep(seconds: 0.1)
        BenchCLI.progress("indexing \(docs.count) documents into \(index)")
        var result = try build(docs, at: index, threads: threads, schema: schema)
        result.loadSeconds = loadSeconds
        if options["json"] != nil {
            print(
                BenchCLI.json([
                    ("docs", result.docs), ("body_bytes", result.bodyBytes), ("load_seconds", result.loadSeconds),
                    ("seconds", result.seconds), ("docs_per_sec", result.docsPerSecond), ("mb_per_sec", result.mbPerSecond),
                    ("index_bytes", result.indexBytes), ("stored_bytes", result.storedBytes), ("peak_rss_bytes", result.peakRSS),
                ]))
        } else {
            print(
                String(
                    format:
                        "index: %d docs, %.1f MB body in %.3f s: %.0f docs/s, %.1f MB/s; index %.1f MB (%.1f MB without stored fields); peak RSS %.0f MB",
                    result.docs, Double(result.bodyBytes) / 1e6, result.seconds, result.docsPerSecond, result.mbPerSecond,
                    Double(result.indexBytes) / 1e6, Double(result.indexBytes - result.storedBytes) / 1e6, Double(result.peakRSS) / 1e6))
        }
    }

    /// Builds a fresh index at `path` (an existing Poisk index there is replaced), with `schema`
    /// (the standard one when nil).
    static func build(_ docs: [Document], at path: String, threads: Int?, schema: Schema? = nil) throws -> Result {
        try removeIndex(at: path)
        var writerOptions = IndexWriterOptions()
        if let threads { writerOptions.threads = threads }
        let bodyBytes = docs.reduce(0) { $0 + $1.body.utf8.count }
        let faultsBefore = SystemProcess.minorPageFaults
        let start = BenchCLI.now()
        let writer = try IndexWriter(at: path, schema: schema, options: writerOptions)
        for d in docs { try writer.add(d) }
        try writer.commit()
        let seconds = BenchCLI.now() - start
        // Minor page faults count the fresh memory the build touched: on a VM each can cost
        // 1-6 µs (Benchmarks/README.md), so they explain part of the run-to-run spread.
        BenchCLI.progress(
            String(format: "indexed in %.3f s; %d minor page faults", seconds, SystemProcess.minorPageFaults - faultsBefore))
        writer.close()
        // The benchmark checks its own result: every distinct id is searchable.
        let reader = try IndexReader.open(at: path)
        let distinct = Set(docs.map(\.id)).count
        guard reader.documentCount == distinct else {
            throw BenchCLI.BenchError(message: "index has \(reader.documentCount) documents, expected \(distinct)")
        }
        let stats = reader.statistics
        return Result(
            docs: docs.count, bodyBytes: bodyBytes, loadSeconds: 0, seconds: seconds, indexBytes: directorySize(path),
            storedBytes: stats.bytesPerSection["stored fields"] ?? 0, peakRSS: SystemProcess.peakResidentBytes)
    }

    static func removeIndex(at path: String) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else { return }
        let names = try fm.contentsOfDirectory(atPath: path)
        let ours = names.allSatisfy {
            $0 == "write.lock" || $0.hasSuffix(".seg") || $0.hasSuffix(".del") || $0.hasSuffix(".pkc") || $0.hasSuffix(".tmp")
        }
        guard ours else { throw BenchCLI.BenchError(message: "\(path) exists and is not a Poisk index; refusing to replace it") }
        try fm.removeItem(atPath: path)
    }

    static func directorySize(_ path: String) -> Int {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: path)) ?? []).reduce(0) { sum, name in
            let size = (try? fm.attributesOfItem(atPath: path + "/" + name)[.size] as? NSNumber)?.intValue ?? 0
            return sum + size
        }
    }
}
