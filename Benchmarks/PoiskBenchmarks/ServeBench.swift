// poisk-bench serve: what a server pays: N threads searching with full hits (10 hits, stored
// title, highlighted title and body snippets) through an IndexReaderManager, first read-only,
// then while a writer adds, replaces and deletes documents and commits every M changes.
//
// Timed per query: taking the manager's reader, the search and loading its hits. Per commit:
// `commit()` alone. Visible: from a commit's return to the start of the first search whose
// reader has that commit's generation (0 when a search got it before `commit` returned: the
// manager receives a commit's reader before the call returns). Checked: searches return hits
// with stored titles, and every commit becomes visible.

import Foundation
import Poisk

enum ServeBench {
    static let allowedOptions: Set<String> = ["corpus", "queries", "tasks", "seconds", "commit-every", "json"]

    struct Phase {
        var queries = 0
        var seconds = 0.0
        var latencies: [Double] = []  // µs
        var commits: [Double] = []  // ms
        var visible: [Double] = []  // ms
        var qps: Double { seconds > 0 ? Double(queries) / seconds : 0 }
    }

    static func run(_ arguments: [String: String]) throws {
        guard let corpus = arguments["corpus"], let queriesPath = arguments["queries"] else {
            throw BenchCLI.BenchError(message: "serve needs --corpus FILE.jsonl and --queries FILE.tsv\n\(BenchCLI.usage)")
        }
        func positive(_ name: String, _ fallback: Int) throws -> Int {
            guard let v = arguments[name] else { return fallback }
            guard let n = Int(v), n >= 1 else { throw BenchCLI.BenchError(message: "--\(name) needs a positive whole number") }
            return n
        }
        let tasks = try positive("tasks", 8)
        let commitEvery = try positive("commit-every", 100)
        guard let seconds = Double(arguments["seconds"] ?? "10"), seconds > 0 else {
            throw BenchCLI.BenchError(message: "--seconds needs a positive number")
        }
        let queries = try loadQueries(queriesPath)
        guard !queries.isEmpty else { throw BenchCLI.BenchError(message: "no queries in \(queriesPath)") }
        let docs = try BenchCLI.loadCorpus(corpus)
        guard docs.count >= 2 else { throw BenchCLI.BenchError(message: "the corpus needs at least two documents") }

        let path = NSTemporaryDirectory() + "poisk-bench-serve-\(SystemProcess.id)"
        try? FileManager.default.removeItem(atPath: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        BenchCLI.progress("indexing \(docs.count) documents")
        let writer = try IndexWriter(at: path)
        for d in docs { try writer.add(d) }
        try writer.commit()
        try writer.waitForMerges()
        let manager = try IndexReaderManager(writer: writer)
        let options = fullHits

        BenchCLI.progress("read-only: \(tasks) threads, \(seconds) s")
        let readOnly = try searchPhase(manager, queries, options, threads: tasks, seconds: seconds, load: nil)
        BenchCLI.progress("with a writer committing every \(commitEvery) changes: \(tasks) threads, \(seconds) s")
        let load = WriterLoad(writer: writer, docs: docs, commitEvery: commitEvery)
        let withWriter = try searchPhase(manager, queries, options, threads: tasks, seconds: seconds, load: load)
        try writer.waitForMerges()
        writer.close()

        if arguments["json"] != nil {
            let first = BenchCLI.json([
                ("qps", readOnly.qps), ("p50_us", percentile(readOnly.latencies, 0.5)),
                ("p99_us", percentile(readOnly.latencies, 0.99)),
            ])
            let second = BenchCLI.json([
                ("qps", withWriter.qps), ("p50_us", percentile(withWriter.latencies, 0.5)),
                ("p99_us", percentile(withWriter.latencies, 0.99)), ("commits", withWriter.commits.count),
                ("commit_p50_ms", percentile(withWriter.commits, 0.5)), ("commit_p99_ms", percentile(withWriter.commits, 0.99)),
                ("visible_p50_ms", percentile(withWriter.visible, 0.5)),
                ("visible_max_ms", withWriter.visible.max() ?? 0),
            ])
            print(
                BenchCLI.json([
                    ("read_only", BenchCLI.RawJSON(text: first)), ("with_writer", BenchCLI.RawJSON(text: second)),
                ]))
        } else {
            print("serve: \(docs.count) documents, \(queries.count) queries, \(tasks) threads, \(seconds) s per phase")
            print(
                String(
                    format: "read-only     %8.0f queries/s  p50 %7.1f µs  p99 %8.1f µs", readOnly.qps,
                    percentile(readOnly.latencies, 0.5), percentile(readOnly.latencies, 0.99)))
            print(
                String(
                    format: "with writer   %8.0f queries/s  p50 %7.1f µs  p99 %8.1f µs", withWriter.qps,
                    percentile(withWriter.latencies, 0.5), percentile(withWriter.latencies, 0.99)))
            print(
                String(
                    format: "commits       %8d every %d changes  p50 %.2f ms  p99 %.2f ms; visible p50 %.3f ms, max %.3f ms",
                    withWriter.commits.count, commitEvery, percentile(withWriter.commits, 0.5),
                    percentile(withWriter.commits, 0.99), percentile(withWriter.visible, 0.5), withWriter.visible.max() ?? 0))
        }
    }

    /// Full hits, as a search page shows them: 10 hits with the stored title and highlighted
    /// title and body snippets.
    static var fullHits: SearchOptions {
        var options = SearchOptions()
        options.limit = 10
        options.storedFields = ["title"]
        options.snippetFields = ["title", "body"]
        options.highlight = .html
        return options
    }

    /// The query column of a `class<TAB>query` file, parsed.
    static func loadQueries(_ path: String) throws -> [Query] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.isEmpty }.map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { throw BenchCLI.BenchError(message: "bad query line: \(line)") }
            return try QueryParser().parse(String(parts[1]))
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let v = values.sorted()
        return v[min(v.count - 1, max(0, Int((p * Double(v.count)).rounded(.up)) - 1))]
    }

    /// The writer's side of the second phase: adds, replacements and deletes, a commit every
    /// `commitEvery` of them.
    final class WriterLoad: @unchecked Sendable {
        // Used by the one writer thread only, except `commits` (guarded by `lock`).
        let writer: IndexWriter
        let docs: [Document]
        let commitEvery: Int
        let lock = NSLock()
        /// (generation, when `commit` returned), not yet seen by a search.
        var unseen: [(generation: Int, returned: Double)] = []
        var visible: [Double] = []

        init(writer: IndexWriter, docs: [Document], commitEvery: Int) {
            self.writer = writer
            self.docs = docs
            self.commitEvery = commitEvery
        }

        /// Runs until `deadline`; returns the commit latencies in ms.
        func run(until deadline: Double) throws -> [Double] {
            var commits: [Double] = []
            var rng: UInt64 = 0x5EED
            var added = 0
            var changes = 0
            while BenchCLI.now() < deadline {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pick = Int((rng >> 33) % UInt64(docs.count))
                switch (rng >> 20) % 10 {
                case 0..<5:  // replace an existing document, its text changed
                    var d = docs[pick]
                    d.body += " revised \(changes)"
                    try writer.add(d)
                case 5..<8:  // a new document
                    var d = docs[pick]
                    d.id = "serve-new-\(added)"
                    added += 1
                    try writer.add(d)
                default:  // delete one (the corpus's or a new one)
                    try writer.delete(id: added > 0 && rng & 1 == 0 ? "serve-new-\(Int(rng >> 40) % added)" : docs[pick].id)
                }
                changes += 1
                if changes % commitEvery == 0 {
                    let start = BenchCLI.now()
                    try writer.commit()
                    let end = BenchCLI.now()
                    commits.append((end - start) * 1000)
                    let generation = writer.generation
                    lock.lock()
                    unseen.append((generation, end))
                    lock.unlock()
                }
            }
            return commits
        }

        /// A search started at `start` with a reader of `generation`: records the commits it is
        /// the first to see.
        func searched(generation: Int, at start: Double) {
            lock.lock()
            defer { lock.unlock() }
            while let first = unseen.first, first.generation <= generation {
                visible.append(max(0, start - first.returned) * 1000)
                unseen.removeFirst()
            }
        }
    }

    static func searchPhase(
        _ manager: IndexReaderManager, _ queries: [Query], _ options: SearchOptions, threads: Int, seconds: Double,
        load: WriterLoad?
    ) throws -> Phase {
        let results = Protected<(count: Int, latencies: [Double], error: String?)>((0, [], nil))
        let start = BenchCLI.now()
        let deadline = start + seconds
        var handles: [SystemThread] = []
        for t in 0..<threads {
            let thread = SystemThread.start {
                var latencies: [Double] = []
                latencies.reserveCapacity(1 << 16)
                var i = t * 7919 % queries.count
                var failure: String?
                while BenchCLI.now() < deadline {
                    let t0 = BenchCLI.now()
                    let reader = manager.reader
                    do {
                        let page = try reader.search(queries[i], options: options)
                        for hit in page where hit.document["title"] == nil { failure = "a hit without its stored title" }
                    } catch {
                        failure = "\(error)"
                    }
                    latencies.append((BenchCLI.now() - t0) * 1e6)
                    load?.searched(generation: reader.generation, at: t0)
                    i = (i + 1) % queries.count
                }
                results.withLock {
                    $0.count += latencies.count
                    $0.latencies += latencies
                    if $0.error == nil { $0.error = failure }
                }
            }
            guard let thread else { throw BenchCLI.BenchError(message: "cannot start a search thread") }
            handles.append(thread)
        }
        var commits: [Double] = []
        var writerError: Error?
        if let load {
            do { commits = try load.run(until: deadline) } catch { writerError = error }
        }
        for h in handles { h.join() }
        let elapsed = BenchCLI.now() - start
        if let writerError { throw writerError }
        let collected = results.current
        if let error = collected.error { throw BenchCLI.BenchError(message: "search failed: \(error)") }
        var phase = Phase(queries: collected.count, seconds: elapsed, latencies: collected.latencies)
        phase.commits = commits
        if let load {
            // Every commit must have been seen; one after the last search cannot be.
            load.lock.lock()
            phase.visible = load.visible
            let missed = load.unseen.count
            load.lock.unlock()
            if missed > 1 { throw BenchCLI.BenchError(message: "\(missed) commits were never seen by a search") }
        }
        return phase
    }
}
