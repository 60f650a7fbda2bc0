// `poisk index`, `delete`, `merge`, `stats`, `check`: managing an on-disk index.

import Foundation
import Poisk

/// `--index DIR`, defaulting to `.poisk` in the current directory.
func indexPath(_ args: ParsedArguments) -> String { args.value("index") ?? ".poisk" }

let schemaOption = OptionSpec(
    name: "schema", takesValue: true, help: "field types: a JSON object of name to text|keyword|integer|double|date|boolean",
    valueName: "FILE.json")

/// The schema of `--schema FILE.json`, or nil.
func schemaArgument(_ args: ParsedArguments) throws -> Schema? {
    guard let path = args.value("schema") else { return nil }
    return try Schema(jsonFile: path)
}

let indexOption = OptionSpec(name: "index", takesValue: true, help: "the index directory (default: .poisk)", valueName: "DIR")

enum IndexCommand {
    static let command = Command(
        name: "index",
        summary: "create or update an index from files, folders or JSON Lines",
        usage:
            "poisk index [--index DIR] [--schema FILE.json] [--threads N] [--memory-mb N] [--merge-factor N] [--user-data KEY=VALUE]... [--json] [--dry-run] [--follow] [--hidden] [--no-ignore] [--max-file-size SIZE] [--glob PATTERN]... PATH...",
        details: """
            Adds every document found under PATH and commits. A document whose id is already in the
            index replaces it. Progress goes to stderr when it is a terminal; at the end a line says
            how many files were read and how many entries were skipped, by reason. A run that finds
            nothing to index says so and exits with status 1.

            --schema FILE.json declares field types: a JSON object of field name to text, keyword,
            integer, double, date or boolean, e.g. {"title": "text", "tags": "keyword", "date":
            "date"}. Typed fields are filtered (tags:ukraine, date:[2025-07-01 TO *]), sorted and
            counted (poisk search --sort, --facet). A value that does not fit its type stops the
            run before its commit, naming the document, field and value: the index keeps its last
            commit. An existing index keeps its schema: a --schema that differs is an error.

            \(LoadingFlags.details)
            """,
        options: [
            indexOption,
            OptionSpec(name: "threads", takesValue: true, help: "segment-building threads (default: cores)", valueName: "N"),
            OptionSpec(name: "memory-mb", takesValue: true, help: "writer memory budget in MiB (default 256)", valueName: "N"),
            OptionSpec(
                name: "merge-factor", takesValue: true,
                help: "segments per tier that start a background merge (default 10; the run waits for it)", valueName: "N"),
            OptionSpec(name: "json", takesValue: false, help: "print a JSON summary"),
            schemaOption,
            OptionSpec(name: "dry-run", takesValue: false, help: "list the ids that would be indexed and what is skipped; write nothing"),
            OptionSpec(
                name: "user-data", takesValue: true,
                help: "save KEY=VALUE with the commit (repeatable; `poisk stats` shows it)", valueName: "KEY=VALUE"),
        ] + LoadingFlags.specs,
        run: run)

    static func run(_ args: ParsedArguments) throws -> Int32 {
        guard !args.positionals.isEmpty else { throw UsageError(message: "missing PATH to index", command: "index") }
        var options = IndexWriterOptions()
        if let t = try args.int("threads", command: "index", range: 1...256) { options.threads = t }
        if let m = try args.int("memory-mb", command: "index", range: 1...1_048_576) { options.memoryBudgetBytes = m * 1024 * 1024 }
        if let f = try args.int("merge-factor", command: "index", range: 2...1000) { options.mergeFactor = f }
        let loaderOptions = try LoadingFlags.options(args, command: "index")
        var userData: [String: String] = [:]
        for pair in args.multiValues["user-data"] ?? [] {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw UsageError(message: "--user-data expects KEY=VALUE, got '\(pair)'", command: "index")
            }
            userData[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let path = indexPath(args)
        let started = Date()
        var loader = DocumentLoader(options: loaderOptions)
        let schema = try schemaArgument(args)
        loader.schema = schema
        let documents = try loader.load(paths: args.positionals)
        for w in loader.warnings { Terminal.writeError("poisk: warning: \(w)\n") }
        if args.has("dry-run") {
            printDryRun(documents, loader.summary, json: args.has("json"))
            return CLI.exitSuccess
        }
        guard !documents.isEmpty else {
            Terminal.writeError("poisk: \(LoadingFlags.summaryLine(loader.summary))\n")
            throw PoiskError.emptyCorpus(path: args.positionals.joined(separator: ", "))
        }
        let writer = try IndexWriter(at: path, schema: schema, options: options)
        let progress = Progress(total: documents.count, enabled: Terminal.stderrIsTerminal)
        for (i, d) in documents.enumerated() {
            try writer.add(d)
            progress.update(i + 1)
        }
        try writer.commit(userData: userData.isEmpty ? nil : userData)
        progress.finish()
        // Closing waits for a background merge the commit started, so the counts below are final.
        writer.close()
        let reader = try writer.reader()
        let seconds = Date().timeIntervalSince(started)
        if args.has("json") {
            Terminal.write(
                JSON.object([
                    ("index", .string(path)), ("added", .int(documents.count)), ("documents", .int(reader.documentCount)),
                    ("segments", .int(reader.segmentCount)), ("seconds", .double(seconds)),
                    ("files", LoadingFlags.summaryJSON(loader.summary)),
                ]).serialized + "\n")
        } else {
            Terminal.write(
                "indexed \(documents.count) document\(documents.count == 1 ? "" : "s") into \(path) in \(String(format: "%.2f", seconds)) s; the index has \(reader.documentCount) documents in \(reader.segmentCount) segment\(reader.segmentCount == 1 ? "" : "s")\n"
                    + LoadingFlags.summaryLine(loader.summary) + "\n"
            )
        }
        return CLI.exitSuccess
    }

    /// `--dry-run`: the ids, one a line, then the summary; or one JSON object with the skipped
    /// entries too.
    static func printDryRun(_ documents: [Document], _ summary: DocumentLoader.Summary, json: Bool) {
        if json {
            let skipped: [JSON] = summary.skipped.map {
                .object([("path", .string($0.path)), ("reason", .string($0.reason.rawValue)), ("detail", .string($0.detail))])
            }
            Terminal.write(
                JSON.object([
                    ("dry_run", .bool(true)), ("files", LoadingFlags.summaryJSON(summary)),
                    ("ids", .array(documents.map { .string($0.id) })),
                    ("skipped_files", .array(skipped)),
                ]).serialized + "\n")
        } else {
            var out = ""
            for d in documents { out += d.id + "\n" }
            Terminal.write(out)
            Terminal.writeError(LoadingFlags.summaryLine(summary) + "; nothing written (--dry-run)\n")
        }
    }
}

/// A progress bar with documents/s and an ETA, on stderr, only on a terminal.
final class Progress {
    let total: Int
    let enabled: Bool
    let start = Date()
    var lastDraw = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && total > 0
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        Terminal.writeError(String(format: "\r%@ %d/%d  %.0f docs/s  ETA %.0fs ", bar, done, total, rate, remaining))
    }

    func finish() {
        if enabled { Terminal.writeError("\n") }
    }
}

enum DeleteCommand {
    static let command = Command(
        name: "delete",
        summary: "delete documents by id",
        usage: "poisk delete [--index DIR] ID...",
        details: "Deletes each document whose id is given and commits. Unknown ids are ignored.",
        options: [indexOption, OptionSpec(name: "json", takesValue: false, help: "print a JSON summary")],
        run: { args in
            guard !args.positionals.isEmpty else { throw UsageError(message: "missing ID", command: "delete") }
            let path = indexPath(args)
            _ = try IndexReader.open(at: path)  // a clear error when there is no index
            let writer = try IndexWriter(at: path)
            let before = try writer.reader().documentCount
            for id in args.positionals { try writer.delete(id: id) }
            try writer.commit()  // keeps the last commit's user data
            writer.close()
            let after = try writer.reader().documentCount
            if args.has("json") {
                Terminal.write(JSON.object([("deleted", .int(before - after)), ("documents", .int(after))]).serialized + "\n")
            } else {
                Terminal.write("deleted \(before - after) document\(before - after == 1 ? "" : "s"); \(after) remain\n")
            }
            return CLI.exitSuccess
        })
}

enum MergeCommand {
    static let command = Command(
        name: "merge",
        summary: "merge segments (and drop deleted documents)",
        usage: "poisk merge [--index DIR] [--max-segments N]",
        details: "Merges the smallest segments until at most N remain (default 1) and commits.",
        options: [
            indexOption, OptionSpec(name: "max-segments", takesValue: true, help: "segments to keep (default 1)", valueName: "N"),
            OptionSpec(name: "json", takesValue: false, help: "print a JSON summary"),
        ],
        run: { args in
            let path = indexPath(args)
            let max = try args.int("max-segments", command: "merge", range: 1...100_000) ?? 1
            _ = try IndexReader.open(at: path)
            let writer = try IndexWriter(at: path)
            let before = try writer.reader().segmentCount
            try writer.merge(maxSegments: max)
            let after = try writer.reader().segmentCount
            writer.close()
            if args.has("json") {
                Terminal.write(JSON.object([("segments_before", .int(before)), ("segments", .int(after))]).serialized + "\n")
            } else {
                Terminal.write("merged \(before) segment\(before == 1 ? "" : "s") into \(after)\n")
            }
            return CLI.exitSuccess
        })
}

enum StatsCommand {
    static let command = Command(
        name: "stats",
        summary: "show documents, segments, terms and bytes per section",
        usage: "poisk stats [--index DIR] [--json]",
        details: "",
        options: [indexOption, OptionSpec(name: "json", takesValue: false, help: "print one JSON object")],
        run: { args in
            let reader = try IndexReader.open(at: indexPath(args))
            warnAboutSkippedCommits(reader)
            let s = reader.statistics
            if args.has("json") {
                Terminal.write(
                    JSON.object([
                        ("documents", .int(s.documents)), ("deleted", .int(s.deleted)), ("segments", .int(s.segments)),
                        ("generation", .int(s.generation)),
                        ("terms", .object(s.termsPerField.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                        ("bytes", .object(s.bytesPerSection.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                        ("segment_bytes", .int(s.segmentBytes)), ("bytes_without_stored", .int(s.indexBytesWithoutStored)),
                        ("commit", .string(reader.commitFile ?? "")),
                        ("user_data", .object(reader.userData.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                        (
                            "merges_since_commit",
                            .array(
                                reader.mergesSinceCommit.map {
                                    .object([
                                        ("segment", .string($0.segment)), ("sources", .array($0.sources.map { .string($0) })),
                                        ("documents", .int($0.docCount)),
                                    ])
                                })
                        ),
                    ]).serialized + "\n")
            } else {
                var out = "documents  \(s.documents)\ndeleted    \(s.deleted)\nsegments   \(s.segments)\ncommit     \(s.generation)\n"
                out += "terms:\n"
                for (k, v) in s.termsPerField.sorted(by: { $0.key < $1.key }) { out += "  \(k.padding(14))\(v)\n" }
                out += "bytes:\n"
                for (k, v) in s.bytesPerSection.sorted(by: { $0.key < $1.key }) { out += "  \(k.padding(14))\(v)\n" }
                out += "  \("total".padding(14))\(s.segmentBytes)\n"
                if !reader.userData.isEmpty {
                    out += "user data:\n"
                    for (k, v) in reader.userData.sorted(by: { $0.key < $1.key }) { out += "  \(k.padding(14))\(v)\n" }
                }
                Terminal.write(out)
            }
            return CLI.exitSuccess
        })
}

enum CheckCommand {
    static let command = Command(
        name: "check",
        summary: "verify every checksum and structure of an index (exit 3 if damaged)",
        usage: "poisk check [--index DIR] [--json]",
        details:
            "Reads every byte of every file of the newest commit that opens. Names each damaged file and section, and each newer commit passed over with the one readers fall back to.",
        options: [indexOption, OptionSpec(name: "json", takesValue: false, help: "print one JSON object")],
        run: { args in
            let report = try IndexChecker.check(at: indexPath(args))
            if args.has("json") {
                Terminal.write(
                    JSON.object([
                        ("valid", .bool(report.isValid)), ("segments", .int(report.segments)), ("documents", .int(report.documents)),
                        ("terms", .int(report.terms)), ("postings", .int(report.postings)),
                        ("commit", .string(report.commitFile)),
                        (
                            "skipped_commits",
                            .array(report.skippedCommits.map { .object([("file", .string($0.file)), ("reason", .string($0.reason))]) })
                        ),
                        (
                            "problems",
                            .array(
                                report.problems.map {
                                    .object([("file", .string($0.file)), ("section", .string($0.section)), ("reason", .string($0.reason))])
                                })
                        ),
                    ]).serialized + "\n")
            } else if report.isValid {
                Terminal.write(
                    "ok: \(report.segments) segments, \(report.documents) documents, \(report.terms) terms, \(report.postings) postings verified\n"
                )
            } else {
                for p in report.problems { Terminal.writeError("damaged: \(p)\n") }
                if !report.skippedCommits.isEmpty && !report.commitFile.isEmpty {
                    Terminal.writeError(
                        "readers open \(report.commitFile) (\(report.segments) segments, \(report.documents) documents); the next commit replaces the damaged ones\n"
                    )
                }
            }
            return report.isValid ? CLI.exitSuccess : CLI.exitDamaged
        })
}
