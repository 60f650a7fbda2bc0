// Crash safety with a real process: `poisk index` (whose commits start background merges) and
// `poisk merge` are killed with SIGKILL at seeded random moments, and after every kill the index must be sound and show exactly the
// documents of the last commit before the kill, or of the one the killed process was making.
//
// For: the writer's atomic-commit protocol and the cleanup of a crashed writer's files, end to
// end. Not for: I/O errors (FaultInjectionTests) or damaged bytes (CorruptionTests).
// `Scripts/crash-injection.sh` runs the same loop for many more iterations on a release build.

import PoiskTestSupport
import Foundation
import Poisk
import Testing

@Suite struct CrashTests {
    static let vocabulary = [
        "patriot", "missile", "defense", "radar", "ракета", "оборона", "київ", "зеленський", "launcher", "battery",
        "interceptor", "sky", "night", "alarm", "shelter", "сирена", "море", "winter", "power", "grid",
    ]
    static let idSpace = 60
    static let iterations = 30
    static let docsPerFile = 30

    /// The live documents, id → body, over every id the test can write.
    static func visible(_ path: String) throws -> [String: String] {
        let reader = try IndexReader.open(at: path)
        var result: [String: String] = [:]
        for n in 0..<idSpace {
            if let d = try reader.document(id: "d\(n)") { result[d.id] = d.body }
        }
        #expect(reader.documentCount == result.count, "documents outside the id space or miscounted")
        return result
    }

    /// Runs `poisk` with `arguments` and kills it with SIGKILL after `delay` seconds unless it
    /// finished first (or `waitForExit`). Returns its exit status, or nil when the kill ended it.
    static func runAndKill(_ arguments: [String], after delay: Double, _ waitForExit: Bool = false) throws -> Int32? {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if !waitForExit {
            SystemProcess.sleep(seconds: delay)
            SystemProcess.killHard(process.processIdentifier)
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus
    }

    @Test(.timeLimit(.minutes(2))) func killedWritersNeverLoseOrDamageCommittedDocuments() throws {
        let root = temporaryPath("poisk-crash-")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let index = root + "/index"
        var rng = SplitMix64(seed: 0x5EED_0001)
        var committed: [String: String] = [:]
        var everCommitted = false
        var kills = 0
        var runTime = 0.040
        var completed = 0
        let started = Date()

        for iteration in 0..<Self.iterations {
            let isMerge = iteration % 5 == 4
            var after = committed
            let arguments: [String]
            if isMerge {
                arguments = ["merge", "--index", index]
            } else {
                var lines: [String] = []
                for _ in 0..<Self.docsPerFile {
                    let id = "d\(rng.next(below: Self.idSpace))"
                    let words = (0..<(3 + rng.next(below: 10))).map { _ in Self.vocabulary[rng.next(below: Self.vocabulary.count)] }
                    let body = "i\(iteration) " + words.joined(separator: " ")
                    let object: [String: String] = ["id": id, "title": "iteration \(iteration)", "body": body]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    lines.append(String(decoding: data, as: UTF8.self))
                    after[id] = body  // a later document with the same id replaces the earlier
                }
                let file = root + "/batch-\(iteration).jsonl"
                try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
                // A merge factor of 2: most runs end with a background merge (which `poisk index`
                // waits for), so kills land in merges as well as in commits.
                arguments = ["index", "--index", index, "--threads", "2", "--merge-factor", "2", file]
            }
            // Iteration 0 runs to completion: it creates the index and measures how long a run
            // takes here, so that kills land throughout the run even on a slow or busy machine.
            // Every seventh iteration also runs to completion and measures again, so that both
            // outcomes are exercised however the machine's load changes during the test.
            let measured = iteration % 7 == 0
            let fraction = Double(rng.next(below: 41)) / 40
            let delay = measured ? 600 : fraction * max(0.040, 1.2 * runTime)
            let runStarted = Date()
            let status = try Self.runAndKill(arguments, after: delay, measured)
            if measured { runTime = Date().timeIntervalSince(runStarted) }
            let label: Comment = "iteration \(iteration) (\(isMerge ? "merge" : "index"), kill after \(Int(delay * 1000)) ms)"
            if let status {
                completed += 1
                // `merge` before the first commit fails cleanly: there is no index yet.
                #expect(status == 0 || (isMerge && !everCommitted), "exit status \(status): \(label)")
            } else {
                kills += 1
            }

            let seen: [String: String]
            do {
                seen = try Self.visible(index)
                everCommitted = true
            } catch let error as PoiskError {
                // Only before anything was committed may there be no index to open.
                switch error {
                case .notAnIndex, .fileNotFound:
                    #expect(!everCommitted, "\(error): \(label)")
                    seen = [:]
                default:
                    Issue.record("the index does not open: \(error): \(label)")
                    return
                }
            }
            if status == 0 {
                #expect(seen == after, "the process succeeded but its changes are not all visible: \(label)")
            } else {
                #expect(seen == committed || seen == after, "the visible state is neither before nor after: \(label)")
            }
            if seen == after { committed = after }
            if everCommitted {
                let report = try IndexChecker.check(at: index)
                #expect(report.isValid, "\(report.problems): \(label)")
            }
        }

        // Opening a writer removes whatever the killed writers left behind.
        let writer = try IndexWriter(at: index)
        writer.close()
        // Left: the newest commit, the one before it (kept as a fallback) and their files.
        let allowed = try Snapshot.filesKept(in: IndexDirectory(path: index))
        #expect(!allowed.isEmpty)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: index))
        #expect(files == allowed, "stray: \(files.subtracting(allowed).sorted()), missing: \(allowed.subtracting(files).sorted())")
        #expect(try Self.visible(index) == committed)
        #expect(try IndexChecker.check(at: index).isValid)
        // The loop really exercised both outcomes.
        #expect(kills > 0 && completed > 1, "kills \(kills), completed \(completed)")
        print(
            "crash test: \(Self.iterations) iterations, \(kills) kills, \(completed) completed, one run \(Int(runTime * 1000)) ms, \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        )
    }
}
