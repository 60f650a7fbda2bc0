// The reader manager: the current reader of an index, shared by concurrent searches and replaced
// when the index changes (Lucene's SearcherManager, Tantivy's IndexReader with a reload policy).
//
// For: servers and apps that search while the index changes. A manager follows either a writer
// in the same process (it gets the reader of each commit and published merge as soon as
// `commit` returns; optionally near-real-time readers that see uncommitted documents) or an
// index directory that another process writes (it checks the newest commit file, one directory
// listing, on `refresh()` or on an interval). A new reader reuses the segments the old one has
// open, so a refresh maps only new segment files. Readers are immutable: a search keeps the
// reader it started with, and an old reader's files stay mapped until its last user lets go.
// Not for: writing (IndexWriter) or searching itself (IndexReader).

import Foundation

/// Holds the current reader of an index for concurrent searches and replaces it after each
/// commit.
///
/// ```swift
/// let writer = try IndexWriter(at: path)
/// let manager = try IndexReaderManager(writer: writer)
/// // any number of tasks:
/// let results = try manager.reader.search("patriot")
/// // the writer's task:
/// try writer.add(document)
/// try writer.commit()  // searches started after this see the document
/// ```
///
/// For an index another process writes, `IndexReaderManager(at:checkEvery:)` looks for a newer
/// commit when you call ``refresh()`` or, with an interval, on its own.
public final class IndexReaderManager: @unchecked Sendable {
    // `current` and `timer` are guarded by their locks; the rest is immutable.
    private struct Current {
        var reader: IndexReader
        /// Orders readers: a writer's own counter, or the commit point for a directory.
        var stamp: Int
    }
    private let current: Protected<Current>
    private let directory: IndexDirectory?
    private let writer: IndexWriter?
    private let nearRealTime: Bool
    /// One refresh at a time (a directory refresh opens files).
    private let refreshLock = Lock()
    /// The interval checks' thread, when there is one.
    private let checker: Protected<Checker?> = Protected(nil)

    /// A manager of the index another process (or nothing) writes at `path`.
    /// - Parameters:
    ///   - path: the index directory.
    ///   - interval: when given, a background timer calls ``refresh()`` this often; otherwise
    ///     the manager changes readers only when you call ``refresh()``.
    /// - Throws: as ``IndexReader/open(at:)-(String)``.
    public init(at path: String, checkEvery interval: Duration? = nil) throws {
        let directory = IndexDirectory(path: path)
        let reader = try IndexReader.open(directory: directory)
        self.directory = directory
        self.writer = nil
        self.nearRealTime = false
        self.current = Protected(Current(reader: reader, stamp: Self.stamp(reader)))
        if let interval { startChecking(every: interval) }
    }

    /// A manager of the index a writer in this process writes. The manager keeps the writer
    /// alive; the writer hands it the reader of each commit (and of each background merge it
    /// publishes) before `commit` returns.
    /// - Parameters:
    ///   - writer: the index's writer.
    ///   - nearRealTime: when true, ``refresh()`` also shows documents added or deleted but not
    ///     yet committed (``IndexWriter/reader()``); commits are shown either way.
    /// - Throws: as ``IndexWriter/reader()``.
    public init(writer: IndexWriter, nearRealTime: Bool = false) throws {
        let (reader, stamp) = try writer.stampedReader(nearRealTime: nearRealTime)
        self.directory = nil
        self.writer = writer
        self.nearRealTime = nearRealTime
        self.current = Protected(Current(reader: reader, stamp: stamp))
        writer.addListener(self)
    }

    deinit { checker.withLock { $0?.stop() } }

    /// The current reader. Keep it for the whole of one request (a search and loading its
    /// hits), so that they see one snapshot; take the property again for the next.
    /// - Complexity: O(1): one short lock.
    public var reader: IndexReader { current.withLock { $0.reader } }

    /// Runs `body` with the current reader.
    public func withReader<Result>(_ body: (IndexReader) throws -> Result) rethrows -> Result {
        try body(reader)
    }

    /// The generation of the current reader's commit.
    public var generation: Int { reader.generation }

    /// Makes the current reader show the latest state: for a directory, the newest commit file
    /// (if it is newer than the current reader's); for a near-real-time writer's manager, the
    /// writer's uncommitted changes. A writer's commits need no refresh: they are handed over
    /// when they happen.
    /// - Returns: whether the reader changed.
    /// - Throws: `PoiskError` when the new commit cannot be opened; the current reader stays.
    /// - Complexity: for a directory, one directory listing when nothing changed; otherwise
    ///   mapping the new segment files only (the unchanged ones are shared with the old reader).
    @discardableResult
    public func refresh() throws -> Bool {
        refreshLock.lock()
        defer { refreshLock.unlock() }
        if let writer {
            guard nearRealTime else { return false }
            let (reader, stamp) = try writer.stampedReader(nearRealTime: true)
            return install(reader, stamp: stamp)
        }
        guard let directory else { return false }
        let old = reader
        guard let newest = try Snapshot.newestPoint(in: directory), newest > (old.commit?.point ?? CommitPoint(generation: -1))
        else { return false }
        guard let snapshot = try Snapshot.openNewest(in: directory, reusing: old.segmentsByName) else { return false }
        let reader = IndexReader(snapshot)
        return install(reader, stamp: Self.stamp(reader))
    }

    /// Stops the interval checks (``init(at:checkEvery:)``); ``refresh()`` still works.
    public func stopChecking() {
        checker.withLock {
            $0?.stop()
            $0 = nil
        }
    }

    /// Replaces the current reader if `reader` is newer. Called by the writer (under its lock)
    /// and by `refresh`.
    @discardableResult
    func install(_ reader: IndexReader, stamp: Int) -> Bool {
        current.withLock { current in
            guard stamp > current.stamp else { return false }
            current = Current(reader: reader, stamp: stamp)
            return true
        }
    }

    /// A directory reader's order: its commit point.
    private static func stamp(_ reader: IndexReader) -> Int {
        guard let point = reader.commit?.point else { return 0 }
        return point.generation << 24 | min(point.version, 1 << 24 - 1)
    }

    /// Starts a thread of its own that calls `refresh()` every `interval` (a thread, not a
    /// Dispatch timer: a process whose Dispatch threads are all busy still sees new commits).
    private func startChecking(every interval: Duration) {
        let (seconds, attoseconds) = interval.components
        let checker = Checker(interval: max(0.001, Double(seconds) + Double(attoseconds) / 1e18))
        self.checker.withLock { $0 = checker }
        guard let thread = SystemThread.start({ [weak self] in checker.run { _ = try? self?.refresh() } }) else { return }
        thread.detach()
    }

    /// The interval checks' loop: a timed wait that `stop` ends at once.
    private final class Checker: @unchecked Sendable {
        // `stopped` is guarded by `condition`; `interval` is immutable.
        private let condition = NSCondition()
        private var stopped = false
        let interval: Double

        init(interval: Double) { self.interval = interval }

        func run(_ check: () -> Void) {
            condition.lock()
            while !stopped {
                _ = condition.wait(until: Date().addingTimeInterval(interval))
                if stopped { break }
                condition.unlock()
                check()
                condition.lock()
            }
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
