// Merging: committed segments merged into one (MergePolicy chooses which) and the result
// published as a new version of the last commit.
//
// For: the automatic merges, which run on a background thread started after a commit (as
// Lucene's ConcurrentMergeScheduler and Tantivy's merge threads do), and `merge(maxSegments:)`.
// A merge reads segments that never change, so it needs no lock while it works; only publishing
// takes the writer's lock, briefly: documents the sources lost while the merge ran (deleted or
// replaced by commits in the meantime) are carried over to the new segment as deletes, the new
// segment takes the sources' place, and the result is written as commit version
// `commit-<generation>.<version>.pkc`. A merge never raises the generation (one per user
// commit); the commit's `merges` list says what it merged.
// Not for: the merge itself (SegmentMerger: postings merged term by term, without re-analysis)
// or choosing segments (MergePolicy).

import Foundation

/// One merge: its sources as they were when it started, and the name of the segment it writes.
final class MergeTask: @unchecked Sendable {
    // `views` and `name` are immutable; `cancelled` and `finished` are guarded by `condition`.
    let views: [SegmentView]
    let name: String
    private let condition = NSCondition()
    private var cancelled = false
    private var finished = false

    init(views: [SegmentView], name: String) {
        self.views = views
        self.name = name
    }

    /// The sources' names.
    var sources: [String] { views.map(\.reader.name) }

    /// Asks the merge to stop at its next step (before writing, before publishing).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.unlock()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Marks the merge finished (published, failed or cancelled) and wakes its waiters.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the merge is finished.
    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

extension IndexWriter {
    /// Merges segments until at most `maxSegments` remain (1 merges everything and drops
    /// deleted documents for good), and publishes the result as a new version of the last
    /// commit (the generation does not change).
    ///
    /// A background merge that is running is waited for first. The merge itself runs on the
    /// calling thread without holding the writer: other threads may add and commit meanwhile
    /// (their deletes in the merged segments are carried over; segments they commit are not part
    /// of this merge).
    /// - Throws: `PoiskError.io` or `.corruptIndex`; the index stays at its previous commit.
    public func merge(maxSegments: Int = 1) throws {
        guard maxSegments >= 1 else {
            throw PoiskError.invalidArgument(reason: "maxSegments must be at least 1")
        }
        lock.lock()
        while let running = runningMerge {
            lock.unlock()
            running.waitUntilFinished()
            lock.lock()
        }
        let task: MergeTask
        do {
            try ensureOpen()
            guard let chosen = MergePolicy.smallest(committed.segments, keeping: maxSegments) else {
                lock.unlock()
                return
            }
            task = try beginMergeLocked(chosen)
        } catch {
            lock.unlock()
            throw error
        }
        // While it runs, no background merge starts and `close` waits for it.
        runningMerge = task
        lock.unlock()
        defer { task.finish() }
        var failure: Error?
        var built: (SegmentReader, Int)?
        do { built = try Self.build(task, in: directory) } catch { failure = error }
        lock.lock()
        defer { lock.unlock() }
        runningMerge = nil
        if let (reader, docCount) = built {
            do { try publishMergeLocked(task, reader: reader, docCount: docCount) } catch { failure = error }
        }
        if let failure {
            discardOutputLocked(of: task)
            throw failure
        }
    }

    /// Waits until no background merge runs (merges started by the policy after the last
    /// commit, and the ones they lead to, are published or have failed).
    /// - Throws: the last background merge's failure, if it failed (the index is then at the
    ///   commit before it; nothing is lost).
    public func waitForMerges() throws {
        lock.lock()
        while let running = runningMerge {
            lock.unlock()
            running.waitUntilFinished()
            lock.lock()
        }
        let failure = mergeFailure
        mergeFailure = nil
        lock.unlock()
        if let failure { throw failure }
    }

    /// Whether a background merge is running now.
    public var isMerging: Bool {
        lock.lock()
        defer { lock.unlock() }
        return runningMerge != nil
    }

    /// Starts a background merge of the tier the policy picks, unless one runs already, the
    /// writer is closing, or automatic merges are off. Called with the lock held.
    func startMergeIfNeededLocked() {
        guard options.autoMerge, runningMerge == nil, !closing, indexLock != nil,
            let tier = MergePolicy(mergeFactor: options.mergeFactor).tierToMerge(committed.segments),
            let task = try? beginMergeLocked(tier)
        else { return }
        runningMerge = task
        // The thread holds the writer until the merge is finished, so the writer outlives it.
        guard let thread = SystemThread.start({ self.runBackgroundMerge(task) }) else {
            // No thread to be had: merge at a later commit.
            runningMerge = nil
            task.finish()
            return
        }
        thread.detach()
    }

    /// The merge of the committed segments at `indices`, with a segment name reserved for it.
    /// Called with the lock held.
    private func beginMergeLocked(_ indices: Set<Int>) throws -> MergeTask {
        let views = try committedViewsLocked()
        let task = MergeTask(views: indices.sorted().map { views[$0] }, name: segmentName(committed.nextSegmentNumber))
        // Reserve the name now: even if this merge fails after its commit became visible, no
        // later segment may reuse (and overwrite) it.
        committed.nextSegmentNumber += 1
        return task
    }

    /// The body of a background merge's thread: merge, then publish under the lock.
    private func runBackgroundMerge(_ task: MergeTask) {
        var built: (SegmentReader, Int)?
        var failure: Error?
        do { built = try Self.build(task, in: directory) } catch { failure = error }
        lock.lock()
        let hook = beforeMergePublishes
        lock.unlock()
        hook?(task)
        lock.lock()
        if let (reader, docCount) = built, !task.isCancelled, indexLock != nil {
            do {
                try publishMergeLocked(task, reader: reader, docCount: docCount)
            } catch {
                failure = error
            }
        }
        if built == nil || failure != nil || task.isCancelled { discardOutputLocked(of: task) }
        if let failure, !(failure is MergeCancelled) {
            mergeFailure =
                failure as? PoiskError ?? PoiskError.io(path: directory.path, reason: "background merge failed: \(failure)")
        }
        runningMerge = nil
        // The merge may have filled the next tier: merge on (not after a failure, which the next
        // commit retries).
        if failure == nil && !task.isCancelled { startMergeIfNeededLocked() }
        lock.unlock()
        task.finish()
    }

    private struct MergeCancelled: Error {}

    /// Removes a merge's files unless the last commit names its segment (a merge whose commit was
    /// renamed into place before a later step failed is published all the same). Called with the
    /// lock held.
    private func discardOutputLocked(of task: MergeTask) {
        guard !committed.segments.contains(where: { $0.name == task.name }) else { return }
        try? directory.remove(task.name + ".seg")
        try? directory.remove(task.name + ".seg.tmp")
    }

    /// Merges the task's sources into its segment file, writes it (fsynced) and opens it. Needs
    /// no lock: the sources never change.
    private static func build(_ task: MergeTask, in directory: IndexDirectory) throws -> (SegmentReader, Int) {
        if task.isCancelled { throw MergeCancelled() }
        let (parts, docCount) = try SegmentMerger.merge(task.views, name: task.name)
        if task.isCancelled { throw MergeCancelled() }
        try directory.writeAtomically(task.name + ".seg", parts: parts, syncDirectory: false)
        let segment = CommitSegment(name: task.name, docCount: docCount, deleteGeneration: 0, deletedCount: 0)
        return (try SegmentView.openSegment(segment, in: directory, verify: false), docCount)
    }

    /// Publishes a finished merge as the next version of the last commit. Called with the lock
    /// held.
    private func publishMergeLocked(_ task: MergeTask, reader: SegmentReader, docCount: Int) throws {
        // Documents the sources lost since the merge started: deleted or replaced by a commit in
        // the meantime, or gone with a source that lost all its documents. The merged segment
        // holds the sources' live documents at the start, in order.
        var deleted = DeletedDocs(capacity: docCount)
        var doc: Int32 = 0
        for view in task.views {
            let now = openSegments[view.reader.name]
            for d in 0..<Int32(view.reader.docCount) where view.isLive(d) {
                if !(now?.isLive(d) ?? false) { deleted.insert(doc) }
                doc += 1
            }
        }
        guard Int(doc) == docCount else {
            throw PoiskError.corruptIndex(
                file: task.name + ".seg", section: "meta", reason: "the merge wrote \(docCount) documents of \(doc)")
        }
        var next = committed
        next.version += 1
        let sources = Set(task.sources)
        var merged = CommitSegment(name: task.name, docCount: docCount, deleteGeneration: 0, deletedCount: 0)
        if deleted.count > 0 && deleted.count < docCount {
            try directory.writeAtomically(
                DeleteFile.fileName(segment: task.name, generation: next.generation),
                bytes: DeleteFile.encode(deleted, docCount: docCount), syncDirectory: false)
            merged.deleteGeneration = next.generation
            merged.deletedCount = deleted.count
        }
        // The merged segment takes the place of the first source still in the commit.
        var segments: [CommitSegment] = []
        var placed = docCount == deleted.count
        for s in committed.segments {
            if sources.contains(s.name) {
                if !placed { segments.append(merged) }
                placed = true
            } else {
                segments.append(s)
            }
        }
        if !placed { segments.append(merged) }
        next.segments = segments
        next.merges.append(
            CommitMerge(sources: task.sources, segment: task.name, docCount: docCount, deletedWhileMerging: deleted.count))
        try directory.writeAtomically(next.fileName, bytes: next.encoded(), syncDirectory: false)
        previous = committed
        committed = next  // published by the rename, whether or not the fsync below succeeds
        committedReader = nil
        for name in sources { openSegments.removeValue(forKey: name) }
        if segments.contains(where: { $0.name == task.name }) {
            openSegments[task.name] = SegmentView(
                reader: reader, deleted: merged.deletedCount > 0 ? deleted : nil, deleteGeneration: merged.deleteGeneration)
        }
        nearRealTimeReader = nil
        try directory.sync()
        try? removeUnreferencedFiles()
        publishLocked()
    }
}
