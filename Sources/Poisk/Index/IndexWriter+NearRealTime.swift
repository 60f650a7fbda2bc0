// Readers from the writer: near-real-time readers that see changes not yet committed, and the
// reader of each new commit handed to the managers that follow this writer.
//
// For: `IndexWriter.reader()` (as Lucene's `DirectoryReader.open(writer)`: buffered documents
// are built into segments kept in memory, with no file and no fsync, and the deletes and
// replacements since the last commit are applied to a copy of the delete sets) and
// `IndexReaderManager(writer:)`. Both reuse the writer's open segments: nothing is mapped twice.
// Not for: committing (IndexWriter+Commit); an NRT reader's changes are durable only after
// `commit`.

import Foundation

/// A manager the writer hands new readers to, held weakly: a manager that goes away stops
/// receiving them.
final class WeakListener: @unchecked Sendable {
    // Written once at init; ARC makes the weak read thread-safe.
    weak var manager: IndexReaderManager?

    init(_ manager: IndexReaderManager) { self.manager = manager }
}

extension IndexWriter {
    /// A reader of the index as this writer sees it now: the last commit plus every document
    /// added, replaced or deleted since, without committing (a near-real-time reader, as
    /// Lucene's `DirectoryReader.open(writer)`).
    ///
    /// Buffered documents are built into segments kept in memory (no file is written and
    /// nothing is fsynced); ``commit(userData:)`` writes them later. Calling this again with no
    /// change in between returns the same reader. After ``close(cancellingMerges:)``, the reader
    /// of the last commit.
    /// - Throws: `PoiskError` when the buffered documents cannot be built or a segment of the
    ///   last commit cannot be opened.
    /// - Complexity: O(buffered text) to build the buffered documents, plus O(ids changed since
    ///   the last commit · segments) to apply deletes.
    public func reader() throws -> IndexReader {
        lock.lock()
        defer { lock.unlock() }
        return try nearRealTimeReaderLocked().reader
    }

    /// A reader with its place in the order of the readers this writer made (later readers show
    /// later states): the last commit's, or with `nearRealTime` the writer's current state.
    func stampedReader(nearRealTime: Bool) throws -> (reader: IndexReader, stamp: Int) {
        lock.lock()
        defer { lock.unlock() }
        return try nearRealTime ? nearRealTimeReaderLocked() : committedReaderLocked()
    }

    /// The near-real-time reader (see ``reader()``). Called with the lock held.
    private func nearRealTimeReaderLocked() throws -> (reader: IndexReader, stamp: Int) {
        if let cached = nearRealTimeReader { return cached }
        guard indexLock != nil, !(live == nil && pending.isEmpty && flushed.isEmpty && deletes.isEmpty) else {
            return try committedReaderLocked()
        }
        try flushLocked(inMemory: true)
        let (changed, newDeleted) = try resolveDeletesLocked()
        var views = try committedViewsLocked()
        for (i, deleted) in changed { views[i] = SegmentView(reader: views[i].reader, deleted: deleted) }
        for s in flushed.indices where newDeleted[s].count < flushed[s].docCount {
            let reader: SegmentReader
            if let open = flushed[s].reader {
                reader = open
            } else {
                let f = flushed[s]
                let segment = CommitSegment(name: f.name, docCount: f.docCount, deleteGeneration: 0, deletedCount: 0)
                reader = try SegmentView.openSegment(segment, in: directory, verify: false)
                flushed[s].reader = reader
            }
            views.append(SegmentView(reader: reader, deleted: newDeleted[s].count > 0 ? newDeleted[s] : nil))
        }
        let reader = IndexReader(
            segments: views, generation: committed.generation, schema: schema, commit: committed, nearRealTime: true)
        readerStamps += 1
        nearRealTimeReader = (reader, readerStamps)
        return (reader, readerStamps)
    }

    /// The reader of the last commit (or its latest merge version), from the open segments,
    /// made once per commit. Called with the lock held.
    func committedReaderLocked() throws -> (reader: IndexReader, stamp: Int) {
        if let cached = committedReader { return cached }
        let reader = IndexReader(
            segments: try committedViewsLocked(), generation: committed.generation, schema: committed.schema,
            commit: committed)
        readerStamps += 1
        committedReader = (reader, readerStamps)
        return (reader, readerStamps)
    }

    /// Registers a manager to receive the reader of each new commit and published merge.
    func addListener(_ manager: IndexReaderManager) {
        lock.lock()
        defer { lock.unlock() }
        listeners.removeAll { $0.manager == nil }
        listeners.append(WeakListener(manager))
    }

    /// Hands the reader of the last commit to every registered manager. Called with the lock
    /// held, right after a commit or a merge is published, so a manager's searches see it as
    /// soon as `commit` returns.
    func publishLocked() {
        committedReader = nil
        nearRealTimeReader = nil
        listeners.removeAll { $0.manager == nil }
        guard !listeners.isEmpty, let (reader, stamp) = try? committedReaderLocked() else { return }
        for listener in listeners { listener.manager?.install(reader, stamp: stamp) }
    }
}
