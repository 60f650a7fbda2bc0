// The index writer: the one writer of an index directory.
//
// For: adding, replacing (by id) and deleting documents, flushing segments within a memory
// budget on several threads, committing atomically, and merging segments. Readers are separate
// snapshots (`IndexReader.open`) and never block on the writer.
// Not for: searching (open a reader), or sharing one directory between processes (the lock file
// refuses a second writer).
//
// Durability: segment and delete files are written under temporary names, fsynced and renamed;
// the commit file is the single switch from one state to the next (write, fsync, rename, fsync
// the directory). A crash at any moment leaves the previous commit intact; files a crashed
// writer left behind are removed when the next writer opens the directory.
//
// The writer's work is split by concern: IndexWriter+Flush (building segments from buffered
// documents on several threads; FlushWork and CostEstimate share the work), IndexWriter+Commit
// (deletes resolved, delete files and the commit file written, unreferenced files removed),
// IndexWriter+Merge with MergePolicy and MergeTask (which segments to merge; merges run on a
// background thread and publish their own commit version), IndexWriter+NearRealTime (readers
// that see uncommitted changes, and the readers published to managers after each commit), and
// IndexWriter+Async (the async overloads).

import Foundation

/// Options of an ``IndexWriter``.
public struct IndexWriterOptions: Sendable, Hashable {
    /// Buffered document text before a flush to new segments. Default 256 MiB on macOS and
    /// Linux, 64 MiB on iOS, tvOS and visionOS, 16 MiB on watchOS. The builders' postings take
    /// roughly as much again as the text they index.
    public var memoryBudgetBytes: Int
    /// Threads that build segments in parallel at a flush. Default: the number of cores. A
    /// writer keeps `threads − 1` helper threads, parked between flushes, until it is closed or
    /// released.
    public var threads: Int
    /// Segments per tier that trigger an automatic merge. Default 10.
    public var mergeFactor: Int
    /// Merge automatically under the log policy, on a background thread started after a commit:
    /// `commit` never waits for a merge. Default true.
    public var autoMerge: Bool

    /// The default ``memoryBudgetBytes`` on this platform.
    public static let defaultMemoryBudgetBytes = PlatformDefaults.writerMemoryBudget

    /// Creates options; every parameter has the default documented on its property.
    public init(
        memoryBudgetBytes: Int = IndexWriterOptions.defaultMemoryBudgetBytes,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        mergeFactor: Int = 10, autoMerge: Bool = true
    ) {
        self.memoryBudgetBytes = memoryBudgetBytes
        self.threads = threads
        self.mergeFactor = mergeFactor
        self.autoMerge = autoMerge
    }
}

/// Writes an index directory. One writer per directory at a time (a lock file enforces it).
///
/// All methods are safe to call from several threads: an internal lock serializes them.
///
/// On iOS, an app whose index lies in an App Group container (shared with an extension) must
/// ``close()`` its writer before the app is suspended: the system ends a suspended app that
/// holds a file lock in a shared container (`0xdead10cc`). Open the writer again when the app
/// returns to the foreground; readers need no lock and may stay open.
/// Documents added or deleted become visible to readers opened after the next `commit(userData:)`.
///
/// ```swift
/// let writer = try IndexWriter(at: "my.index")
/// try writer.add(Document(id: "1", title: "Hello", body: "Привет, мир"))
/// try writer.commit()
/// ```
public final class IndexWriter: @unchecked Sendable {
    // All mutable state below is guarded by `lock` (read and written only by the writer's own
    // files: IndexWriter*.swift).
    let lock = NSLock()
    let directory: IndexDirectory
    let options: IndexWriterOptions
    var indexLock: IndexLock?
    var committed: CommitData
    /// The commit before `committed`, whose files are kept until the next commit is durable: a
    /// power loss that tears the newest commit leaves this one to open.
    var previous: CommitData?
    /// The highest generation of any commit file found at open, damaged ones included: new
    /// commits are numbered above it.
    var generationFloor = 0
    var schema: Schema
    /// A document buffered for the next flush, with its order among adds and deletes and its size.
    typealias PendingDocument = (document: Document, sequence: Int, bytes: Int)
    var pending: [PendingDocument] = []
    /// Text added since the last flush: in `live` and in `pending`.
    var pendingBytes = 0
    /// The segment being built as documents are added (see `add`), with each document's id and
    /// sequence number.
    var live: LiveSegment?
    var sequence = 0
    /// Segments flushed since the last commit.
    var flushed: [FlushedSegment] = []
    /// The last delete's sequence number per id, since the last commit.
    var deletes: [String: Int] = [:]
    /// The flush's helper threads (`options.threads − 1` of them), parked between flushes; nil
    /// with one thread and after `close()`.
    var workers: WorkerPool?
    /// The segments of `committed`, open, by name, with their deletes as of `committed`: delete
    /// resolution, merges and the readers handed to managers use these instead of mapping the
    /// files again.
    var openSegments: [String: SegmentView] = [:]
    /// The background merge running now, if any (one at a time).
    var runningMerge: MergeTask?
    /// The last background merge's failure (the index stays at its previous commit; the next
    /// commit tries the policy again).
    var mergeFailure: PoiskError?
    /// Set by `close()`: no merge starts any more.
    var closing = false
    /// Managers to hand the new reader after each commit and published merge.
    var listeners: [WeakListener] = []
    /// The last near-real-time reader, while nothing changed since it was made, with its stamp.
    var nearRealTimeReader: (reader: IndexReader, stamp: Int)?
    /// The reader of `committed`, once made, with its stamp.
    var committedReader: (reader: IndexReader, stamp: Int)?
    /// Tests only: called on a background merge's thread after it wrote its segment and before
    /// it publishes it, so a test can commit while a merge runs.
    var beforeMergePublishes: (@Sendable (MergeTask) -> Void)?
    /// Readers made so far: each gets the next number, so a manager can tell a later state
    /// from an earlier one.
    var readerStamps = 0

    /// Opens (or creates) the index at `path`.
    /// - Parameters:
    ///   - path: the index directory; created when missing.
    ///   - schema: the fields of a new index (``Schema/standard`` when nil). For an existing
    ///     index, nil keeps its own schema; a schema given must agree with it (see
    ///     ``PoiskError/schemaMismatch(field:reason:)``), since the index's schema decides how its
    ///     documents were analyzed.
    ///   - options: memory budget, threads, merge policy.
    /// - Throws: `PoiskError.indexLocked` when another writer holds the directory,
    ///   `.schemaMismatch` when `schema` differs from the existing index's, `.io`,
    ///   `.corruptIndex` or `.unsupportedFormatVersion` for a damaged or newer index.
    public convenience init(
        at path: String, schema: Schema? = nil, options: IndexWriterOptions = IndexWriterOptions()
    ) throws {
        try self.init(directory: IndexDirectory(path: path), schema: schema, options: options)
    }

    /// Opens (or creates) the index at a file URL. See ``init(at:schema:options:)-(String,_,_)``.
    public convenience init(
        at url: URL, schema: Schema? = nil, options: IndexWriterOptions = IndexWriterOptions()
    ) throws {
        try self.init(at: url.path, schema: schema, options: options)
    }

    package init(
        directory: IndexDirectory, schema: Schema? = nil,
        options: IndexWriterOptions = IndexWriterOptions()
    ) throws {
        self.directory = directory
        self.options = options
        try schema?.validate()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PoiskError.notAnIndex(path: directory.path) }
        } else {
            try directory.fileSystem.createDirectory(directory.path)
        }
        let indexLock = try IndexLock(directory: directory.path)
        self.indexLock = indexLock
        if let snapshot = try Snapshot.openNewest(in: directory) {
            let existing = snapshot.commit
            if let schema, let mismatch = schema.mismatch(withIndex: existing.schema) { throw mismatch }
            committed = existing
            self.schema = existing.schema
            for view in snapshot.segments { openSegments[view.reader.name] = view }
            let points = try Snapshot.commitPoints(in: directory)
            generationFloor = points.first?.generation ?? 0
            previous =
                points.lazy.filter { $0 < existing.point }
                .compactMap { try? Snapshot.readCommit($0, in: directory) }.first
        } else {
            let schema = schema ?? .standard
            committed = CommitData(
                formatVersion: segmentFormatVersion, generation: 0, nextSegmentNumber: 1, segments: [],
                schema: schema,
                userData: [:])
            self.schema = schema
        }
        try removeUnreferencedFiles()
        // Started now, so that a flush wakes parked threads (see `WorkerPool`).
        if options.threads > 1 { workers = WorkerPool(helpers: options.threads - 1) }
    }

    deinit {
        // A running merge holds the writer, so none runs now.
        workers?.shutdown()
        indexLock?.release()
    }

    /// Releases the lock without committing; pending changes are dropped.
    ///
    /// A background merge that is running is waited for and published (the default), or, with
    /// `cancellingMerges`, abandoned at its next step: its files are removed and the index
    /// stays at the last commit. Either way no merge runs once `close` returns.
    public func close(cancellingMerges: Bool = false) {
        lock.lock()
        closing = true
        let merge = runningMerge
        if cancellingMerges { merge?.cancel() }
        lock.unlock()
        merge?.waitUntilFinished()
        lock.lock()
        defer { lock.unlock() }
        pending.removeAll()
        live = nil
        flushed.removeAll()
        deletes.removeAll()
        nearRealTimeReader = nil
        indexLock?.release()
        indexLock = nil
        workers?.shutdown()
        workers = nil
    }

    func ensureOpen() throws {
        if indexLock == nil { throw PoiskError.invalidArgument(reason: "the index writer is closed") }
    }

    /// Adds a document; one whose id exists (committed or pending) is replaced at commit.
    ///
    /// Each value is brought into its field's type first (a date field's `"2025-07-01"` becomes
    /// a date; see ``Document``); a field the schema does not declare is added to it, as text or
    /// as the type of its typed value (``Schema/dynamicOptions(_:type:)``). A value that does not
    /// fit its field rejects this document only: documents added before stay.
    /// - Throws: `PoiskError.invalidFieldValue` for a value that does not fit its field's type;
    ///   `.invalidArgument` for a document over ``maxDocumentBytes``; `.io` when a flush to disk
    ///   fails.
    /// - Complexity: amortized O(text length).
    public func add(_ document: Document) throws {
        lock.lock()
        defer { lock.unlock() }
        try ensureOpen()
        var extended = schema
        let document = try document.resolved(against: &extended)
        let bytes =
            document.id.utf8.count
            + document.fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            + document.values.reduce(0) { $0 + $1.key.utf8.count + $1.value.byteCount } + 64
        guard bytes <= IndexWriter.maxDocumentBytes else {
            throw PoiskError.invalidArgument(
                reason:
                    "document '\(document.id.prefix(80))' holds \(bytes) bytes of text; the limit is \(IndexWriter.maxDocumentBytes) bytes per document (split it)"
            )
        }
        schema = extended
        sequence += 1
        // The first ``indexOnAddBytes`` of text after a flush are indexed now, on the caller's
        // thread (as Lucene's `addDocument` does), so that a commit after a few documents only
        // finishes their segment. The rest waits for the flush, which builds it on all the
        // writer's threads.
        if pending.isEmpty && (live?.bytes ?? 0) + bytes <= IndexWriter.indexOnAddBytes {
            var segment = live ?? LiveSegment(builder: SegmentBuilder(schema: schema))
            live = nil
            segment.builder.add(document)
            segment.ids.append(document.id)
            segment.sequences.append(sequence)
            segment.bytes += bytes
            live = segment
        } else {
            pending.append((document, sequence, bytes))
        }
        pendingBytes += bytes
        nearRealTimeReader = nil
        if pendingBytes >= options.memoryBudgetBytes / 2 { try flushLocked() }
    }

    /// Adds a value of your own type (or replaces the document with its id, at commit): its
    /// ``SearchIndexable/searchFields`` are indexed and stored, and, when its type is
    /// `Encodable`, its JSON encoding is stored in ``Document/sourceField`` for
    /// ``SearchHit/decode(_:)`` (see ``SearchIndexable``).
    /// - Throws: the encoder's error; otherwise as ``add(_:)-(Document)``.
    public func add(_ item: some SearchIndexable) throws {
        try add(Document(indexing: item))
    }

    /// Adds several documents or values of your own types, in order (see ``add(_:)-(Document)``
    /// and ``add(_:)-(SearchIndexable)``).
    public func add<S: Sequence>(contentsOf items: S) throws where S.Element: SearchIndexable {
        for item in items { try add(Document(indexing: item)) }
    }

    /// Deletes the document with this id at commit (documents added after this call are kept).
    public func delete(id: String) throws {
        lock.lock()
        defer { lock.unlock() }
        try ensureOpen()
        sequence += 1
        deletes[id] = sequence
        nearRealTimeReader = nil
    }

    /// The number of documents buffered or flushed since the last commit.
    public var uncommittedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return (live?.ids.count ?? 0) + pending.count + flushed.reduce(0) { $0 + $1.docCount }
    }

    /// Text (in UTF-8 bytes) indexed as it is added after each flush, before documents are
    /// buffered for the flush's threads instead: 1 MiB. A commit every few hundred documents
    /// then costs about finishing one small segment; a bulk load still builds in parallel.
    static let indexOnAddBytes = 1 << 20

    /// The largest document (id, field names and values, in UTF-8 bytes) ``add(_:)`` accepts: 1 GiB.
    public static let maxDocumentBytes = 1 << 30
    /// The most text one in-memory segment builder takes (see `flushLocked`).
    static let maxChunkBytes = 1 << 30

    func segmentName(_ n: Int) -> String {
        "seg-" + String(repeating: "0", count: max(0, 8 - String(n).count)) + String(n)
    }

    /// The generation of the last commit (0 before the first): it rises by one per
    /// ``commit(userData:)``; background merges do not change it.
    public var generation: Int {
        lock.lock()
        defer { lock.unlock() }
        return committed.generation
    }

    /// The user data of the last commit (empty before the first).
    public var committedUserData: [String: String] {
        lock.lock()
        defer { lock.unlock() }
        return committed.userData
    }
}

/// The segment the writer builds as documents are added.
struct LiveSegment {
    let builder: SegmentBuilder
    var ids: [String] = []
    var sequences: [Int] = []
    var bytes = 0
}

/// A segment flushed since the last commit.
struct FlushedSegment {
    var name: String
    var docCount: Int
    /// Each document's id and sequence number (its order among adds and deletes).
    var ids: [String]
    var sequences: [Int]
    /// Documents replaced within the segment (a later add of the same id).
    var replaced: [Int32]
    /// The segment's bytes when it was flushed for a near-real-time reader: no file yet; the
    /// commit writes it.
    var unwritten: [[UInt8]]?
    /// The segment opened, once a near-real-time reader needed it.
    var reader: SegmentReader?
}
