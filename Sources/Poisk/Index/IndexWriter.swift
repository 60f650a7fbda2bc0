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
// Merge policy (log-structured, run at commit when `autoMerge` is on): segments are grouped in
// tiers by live document count (tier = ⌊log₁₀ docs⌋); when a tier holds `mergeFactor` or more
// segments, they are merged into one. `merge(maxSegments:)` merges on demand.

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
    /// Merge automatically at commit under the log policy. Default true.
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
/// Documents added or deleted become visible to readers opened after the next ``commit(userData:)``.
///
/// ```swift
/// let writer = try IndexWriter(at: "my.index")
/// try writer.add(Document(id: "1", title: "Hello", body: "Привет, мир"))
/// try writer.commit()
/// ```
public final class IndexWriter: @unchecked Sendable {
    // All mutable state below is guarded by `lock`.
    private let lock = NSLock()
    private let directory: IndexDirectory
    private let options: IndexWriterOptions
    private var indexLock: IndexLock?
    private var committed: CommitData
    /// The commit before `committed`, whose files are kept until the next commit is durable: a
    /// power loss that tears the newest commit leaves this one to open.
    private var previous: CommitData?
    /// The highest generation of any commit file found at open, damaged ones included: new
    /// commits are numbered above it.
    private var generationFloor = 0
    private var schema: Schema
    /// A document buffered for the next flush, with its order among adds and deletes and its size.
    typealias PendingDocument = (document: Document, sequence: Int, bytes: Int)
    private var pending: [PendingDocument] = []
    private var pendingBytes = 0
    private var sequence = 0
    /// Segments flushed since the last commit, with each document's id and sequence number.
    private var flushed: [(name: String, docCount: Int, ids: [String], sequences: [Int], replaced: [Int32])] = []
    /// The last delete's sequence number per id, since the last commit.
    private var deletes: [String: Int] = [:]
    /// The flush's helper threads (`options.threads − 1` of them), parked between flushes; nil
    /// with one thread and after `close()`.
    private var workers: WorkerPool?

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
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PoiskError.notAnIndex(path: directory.path) }
        } else {
            try directory.fileSystem.createDirectory(directory.path)
        }
        let indexLock = try IndexLock(directory: directory.path)
        self.indexLock = indexLock
        if let existing = try Snapshot.openNewest(in: directory)?.commit {
            if let schema, let mismatch = schema.mismatch(withIndex: existing.schema) { throw mismatch }
            committed = existing
            self.schema = existing.schema
            let generations = try Snapshot.commitGenerations(in: directory)
            generationFloor = generations.first ?? 0
            previous = generations.lazy.filter { $0 < existing.generation }
                .compactMap { try? Snapshot.readCommit(generation: $0, in: directory) }.first
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
        workers?.shutdown()
        indexLock?.release()
    }

    /// Releases the lock without committing; pending changes are dropped.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        pending.removeAll()
        flushed.removeAll()
        deletes.removeAll()
        indexLock?.release()
        indexLock = nil
        workers?.shutdown()
        workers = nil
    }

    private func ensureOpen() throws {
        if indexLock == nil { throw PoiskError.invalidArgument(reason: "the index writer is closed") }
    }

    /// Adds a document; one whose id exists (committed or pending) is replaced at commit.
    /// - Throws: `PoiskError.invalidArgument` for a document over ``maxDocumentBytes``;
    ///   `PoiskError.io` when a flush to disk fails.
    /// - Complexity: amortized O(text length).
    public func add(_ document: Document) throws {
        lock.lock()
        defer { lock.unlock() }
        try ensureOpen()
        let bytes =
            document.id.utf8.count
            + document.fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count } + 64
        guard bytes <= IndexWriter.maxDocumentBytes else {
            throw PoiskError.invalidArgument(reason: 
                "document '\(document.id.prefix(80))' holds \(bytes) bytes of text; the limit is \(IndexWriter.maxDocumentBytes) bytes per document (split it)"
            )
        }
        sequence += 1
        pending.append((document, sequence, bytes))
        pendingBytes += bytes
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
    }

    /// The number of documents buffered or flushed since the last commit.
    public var uncommittedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return pending.count + flushed.reduce(0) { $0 + $1.docCount }
    }

    /// Builds the buffered documents into segment files (not yet committed).
    private func flushLocked() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        let batchBytes = pendingBytes
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        let threads = max(1, min(options.threads, batch.count / 64 + 1))
        // One segment per chunk; a chunk holds at most `maxChunkBytes` of text so a builder's
        // postings pool stays far below its 4 GiB address space. Worker `t` builds chunks
        // t, t + threads, … so no more than `threads` builders run at once.
        let chunkCount = max(threads, batchBytes / IndexWriter.maxChunkBytes + 1)
        // Chunks of about equal work, not equal bytes: a Chinese or Japanese character is a
        // token of its own (three bytes), where an English word is about seven, so its text costs
        // several times more per byte. With one chunk there is nothing to balance.
        let estimate = chunkCount > 1 ? CostEstimate(batch.map(\.document)) : nil
        let plan = FlushPlan()
        let schema = self.schema
        let directory = self.directory
        // One thread region for the whole flush: the workers estimate the costs together, worker
        // 0 (this thread, which holds the writer's lock) plans the chunks, and then each builds
        // its own. A worker whose thread starts late (its core busy or asleep) finds the estimate
        // done and the plan made without it, and nobody waits for it: taking over the tail of its
        // piece (see `FlushWork`) evens out the rest.
        let worker: @Sendable (Int) -> Void = { t in
            estimate?.work()
            if t == 0 {
                estimate?.waitUntilDone()
                plan.publish(
                    self.planChunks(
                        batch, costs: estimate.map { Array($0.values) } ?? batch.map(\.bytes),
                        chunkCount: chunkCount, threads: threads))
            }
            guard let (work, names) = plan.wait() else { return }
            // This worker's chunks (t, t + threads, …); when the last runs out of documents, the
            // worker may take over the tail of another's piece. It adds those documents at once,
            // while their owner still works on the rest, and finishes both segments after: a taken
            // piece left waiting until this worker's own segment was written could be split again
            // by the other worker, into segments too small to be worth their fixed costs.
            var queue = Array(stride(from: t, to: work.initialPieces, by: threads))
            var tookOver = false
            while !queue.isEmpty {
                let piece = queue.removeFirst()
                let builder = SegmentBuilder(schema: schema)
                while let i = work.claim(piece) { builder.add(batch[i].document) }
                var built = [(piece, builder)]
                if queue.isEmpty && !tookOver, let taken = work.takeOver() {
                    tookOver = true
                    let takenBuilder = SegmentBuilder(schema: schema)
                    while let i = work.claim(taken) { takenBuilder.add(batch[i].document) }
                    built.append((taken, takenBuilder))
                }
                for (piece, builder) in built {
                    let result = work.results[piece]
                    if builder.overflowed {
                        result.error = PoiskError.invalidArgument(reason: 
                            "a batch of documents produced more than 4 GiB of postings; lower the writer's memory budget"
                        )
                        continue
                    }
                    let parts = builder.finishParts(name: names[piece])
                    do {
                        try directory.writeAtomically(names[piece] + ".seg", parts: parts, syncDirectory: false)
                    } catch {
                        result.error = error
                    }
                    result.docCount = builder.docCount
                    result.replaced = builder.replaced
                    result.schema = builder.schema
                }
            }
        }
        if let workers {
            workers.run(threads, worker)
        } else {
            // One thread: worker 0 does everything.
            for t in 0..<threads { worker(t) }
        }
        guard let (work, names) = plan.wait() else {
            pending = batch
            pendingBytes = batchBytes
            throw PoiskError.io(path: directory.path, reason: "a flush ended without a plan; nothing was written")
        }
        let pieces = work.pieces()
        if let e = pieces.lazy.compactMap({ work.results[$0.index].error }).first {
            // Keep the documents buffered, so a retried commit still holds them; segment files
            // written by other threads are unreferenced and removed later.
            pending = batch
            pendingBytes = batchBytes
            throw e
        }
        // In document order: a piece taken over from another follows it.
        for (index, range) in pieces {
            let result = work.results[index]
            if let s = result.schema {
                for f in s.fields where self.schema.fieldID(f.name) == nil { self.schema.fields.append(f) }
            }
            flushed.append(
                (
                    names[index], result.docCount, batch[range].map { $0.document.id },
                    batch[range].map { $0.sequence }, result.replaced
                ))
        }
    }

    /// Splits a batch into `chunkCount` chunks of about equal estimated cost (more when a chunk
    /// would exceed ``maxChunkBytes``), and reserves a segment name for each chunk and for each
    /// piece a worker may take over. Called with the writer's lock held.
    private func planChunks(
        _ batch: [PendingDocument], costs: [Int], chunkCount: Int, threads: Int
    ) -> (work: FlushWork, names: [String]) {
        let totalCost = costs.reduce(0, +)
        var chunks: [Range<Int>] = []
        let target = max(1, totalCost / chunkCount)
        var start = 0
        var cost = 0
        var bytes = 0
        for i in batch.indices {
            cost += costs[i]
            bytes += batch[i].bytes
            let remainingChunks = chunkCount - chunks.count - 1
            let balanced = cost >= target && remainingChunks > 0 && batch.count - (i + 1) >= remainingChunks
            // Never more than `maxChunkBytes` of text in one chunk, whatever the costs say.
            let full = bytes + (i + 1 < batch.count ? batch[i + 1].bytes : 0) > IndexWriter.maxChunkBytes
            if balanced || (full && i + 1 < batch.count) {
                chunks.append(start..<(i + 1))
                start = i + 1
                cost = 0
                bytes = 0
            }
        }
        if start < batch.count { chunks.append(start..<batch.count) }
        // Segment names: one per chunk, and one spare per worker for a piece it may take over
        // from another (see `FlushWork`).
        let spare = threads > 1 ? threads : 0
        var names: [String] = []
        for _ in 0..<(chunks.count + spare) {
            names.append(segmentName(committed.nextSegmentNumber))
            committed.nextSegmentNumber += 1
        }
        var prefix = [0]
        prefix.reserveCapacity(costs.count + 1)
        for c in costs { prefix.append(prefix[prefix.count - 1] + c) }
        let work = FlushWork(
            chunks: chunks, costPrefix: prefix, maxPieces: names.count,
            minTakenCost: threads > 1 ? max(1, totalCost / IndexWriter.minTakenFraction) : Int.max)
        return (work, names)
    }

    /// The fixed part of a document's estimated cost (stored fields, field lengths, id, and the
    /// per-document entry of every distinct term, which short documents have more of per byte).
    /// Fitted so that the two halves of a two-thread flush take equal time on kernel-docs-en
    /// (mostly long documents, a Chinese part) and docs-ru (many short ones): see
    /// Benchmarks/README.md.
    static let costPerDocument = 1000
    /// The estimated cost of a character whose lead byte is 0xE3 or above, beyond its 3 bytes.
    static let costPerWideCharacter = 6

    /// A worker takes over part of another's piece only when that part's estimated cost is at
    /// least this fraction (1/n) of the batch's: smaller tails are not worth a segment of their
    /// own.
    static let minTakenFraction = 64

    /// The largest document (id, field names and values, in UTF-8 bytes) ``add(_:)`` accepts: 1 GiB.
    public static let maxDocumentBytes = 1 << 30
    /// The most text one in-memory segment builder takes (see `flushLocked`).
    static let maxChunkBytes = 1 << 30

    /// The number of bytes ≥ 0xE3 in `bytes` (UTF-8 lead bytes of U+3000 and above): 32 bytes
    /// at a time with vector compares, the lane counts summed every 255 blocks (before a
    /// one-byte lane could overflow); the tail eight at a time, where a byte is counted when
    /// its high bit is set and its low seven bits are ≥ 0x63 (adding 0x1D to the low seven bits
    /// of every byte at once carries into bit 7 exactly then).
    static func countBytesFromE3(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var count = 0
        var i = 0
        let threshold = SIMD32<UInt8>(repeating: 0xE3)
        while i &+ 32 <= n {
            // Each lane counts up to 255 hits, then the lanes are summed into `count`.
            var lanes = SIMD32<UInt8>.zero
            let stop = min(n &- 32, i &+ 254 &* 32)
            while i <= stop {
                let v = base.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // A true lane of the mask is all ones (−1): subtracting it adds one.
                lanes &-= unsafeBitCast(v .>= threshold, to: SIMD32<UInt8>.self)
                i &+= 32
            }
            var sum = 0
            for k in 0..<32 { sum &+= Int(lanes[k]) }
            count &+= sum
        }
        while i &+ 8 <= n {
            let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let low = (x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x1D1D_1D1D_1D1D_1D1D
            // The marked lanes summed by one multiply (no popcount instruction in the baseline
            // x86-64 target).
            count &+= Int(truncatingIfNeeded: (((low & x & 0x8080_8080_8080_8080) &>> 7) &* 0x0101_0101_0101_0101) &>> 56)
            i &+= 8
        }
        while i < n {
            if base.load(fromByteOffset: i, as: UInt8.self) >= 0xE3 { count &+= 1 }
            i &+= 1
        }
        return count
    }

    /// Each document's estimated indexing cost, in units of about one byte of Latin or Cyrillic
    /// text: its text bytes, plus ``costPerWideCharacter`` per character whose UTF-8 lead byte is
    /// 0xE3 or above (CJK ideographs, kana, Hangul: each is a token of its own), plus
    /// ``costPerDocument``. (A flush computes the estimate on all its workers: see `CostEstimate`.)
    static func estimatedCosts(_ documents: [Document]) -> [Int] {
        let estimate = CostEstimate(documents)
        estimate.work()
        return Array(estimate.values)
    }

    /// The estimated cost of one document (see ``estimatedCosts(_:)``).
    static func estimatedCost(_ document: Document) -> Int {
        var cost = IndexWriter.costPerDocument + document.id.utf8.count
        for (key, value) in document.fields {
            cost += key.utf8.count
            var value = value
            value.withUTF8 { utf8 in
                cost += utf8.count + IndexWriter.costPerWideCharacter * IndexWriter.countBytesFromE3(UnsafeRawBufferPointer(utf8))
            }
        }
        return cost
    }

    private func segmentName(_ n: Int) -> String {
        "seg-" + String(repeating: "0", count: max(0, 8 - String(n).count)) + String(n)
    }

    /// Makes every change since the last commit durable and visible to new readers, atomically.
    /// - Throws: `PoiskError.io` when writing fails; the index then stays at its previous commit.
    public func commit(userData: [String: String] = [:]) throws {
        lock.lock()
        defer { lock.unlock() }
        try ensureOpen()
        try flushLocked()
        var next = committed
        next.generation = max(committed.generation, generationFloor) + 1
        next.userData = userData
        next.schema = schema
        let generation = next.generation
        // Which documents are deleted: every older version of an id added or deleted now.
        // (Nothing to look up in an index without segments, as at the first commit.)
        var touched = Set<String>()
        if !committed.segments.isEmpty {
            touched = Set(deletes.keys)
            for f in flushed { touched.formUnion(f.ids) }
        }
        var changed: [Int: DeletedDocs] = [:]
        let existing =
            touched.isEmpty ? [] : try Snapshot.open(committed, in: directory).segments
        for (i, view) in existing.enumerated() {
            var deleted = view.deleted ?? DeletedDocs(capacity: view.reader.docCount)
            var any = false
            for id in touched {
                if let doc = try view.reader.docID(for: id), !deleted.contains(doc) {
                    deleted.insert(doc)
                    any = true
                }
            }
            if any { changed[i] = deleted }
        }
        // New segments: the latest add of each id wins, unless a later delete removed it.
        var newDeleted: [DeletedDocs] = flushed.map { f in
            var d = DeletedDocs(capacity: f.docCount)
            for doc in f.replaced { d.insert(doc) }
            return d
        }
        var latest: [String: (segment: Int, doc: Int32, sequence: Int)] = [:]
        latest.reserveCapacity(flushed.reduce(0) { $0 + $1.ids.count })
        for (s, f) in flushed.enumerated() {
            for (doc, id) in f.ids.enumerated() {
                let seq = f.sequences[doc]
                if let previous = latest[id] { newDeleted[previous.segment].insert(previous.doc) }
                latest[id] = (s, Int32(doc), seq)
            }
        }
        for (id, entry) in latest {
            if let deleteSequence = deletes[id], deleteSequence > entry.sequence {
                newDeleted[entry.segment].insert(entry.doc)
            }
        }
        // Write delete files, then the commit.
        for (i, deleted) in changed {
            let name = DeleteFile.fileName(segment: next.segments[i].name, generation: generation)
            try directory.writeAtomically(
                name, bytes: DeleteFile.encode(deleted, docCount: next.segments[i].docCount),
                syncDirectory: false)
            next.segments[i].deleteGeneration = generation
            next.segments[i].deletedCount = deleted.count
        }
        for (s, f) in flushed.enumerated() {
            var segment = CommitSegment(
                name: f.name, docCount: f.docCount, deleteGeneration: 0, deletedCount: 0)
            if newDeleted[s].count > 0 {
                let name = DeleteFile.fileName(segment: f.name, generation: generation)
                try directory.writeAtomically(
                    name, bytes: DeleteFile.encode(newDeleted[s], docCount: f.docCount), syncDirectory: false)
                segment.deleteGeneration = generation
                segment.deletedCount = newDeleted[s].count
            }
            // A segment whose documents were all replaced within this commit is not kept.
            if segment.deletedCount < segment.docCount { next.segments.append(segment) }
        }
        next.segments.removeAll { $0.deletedCount == $0.docCount && $0.docCount > 0 }
        try directory.writeAtomically(
            CommitData.fileName(generation: generation), bytes: next.encoded(), syncDirectory: false)
        // The rename published the commit: the writer follows it even if the directory fsync
        // fails, so that no generation (nor the delete files named after it) is reused.
        previous = committed
        committed = next
        flushed.removeAll()
        deletes.removeAll()
        try directory.sync()
        try? removeUnreferencedFiles()
        // The commit is durable now: a failed automatic merge must not report it as failed. The
        // merge is only an optimization; the next commit tries it again.
        if options.autoMerge { try? mergeByPolicyLocked() }
    }

    /// Merges segments until at most `maxSegments` remain (1 merges everything and drops
    /// deleted documents for good), then commits.
    /// - Throws: `PoiskError.io` or `.corruptIndex`; the index stays at its previous commit.
    public func merge(maxSegments: Int = 1) throws {
        lock.lock()
        defer { lock.unlock() }
        try ensureOpen()
        guard maxSegments >= 1 else {
            throw PoiskError.invalidArgument(reason: "maxSegments must be at least 1")
        }
        let segments = committed.segments
        if segments.count <= maxSegments
            && !(maxSegments == 1 && segments.first.map { $0.deletedCount > 0 } == true)
        {
            return
        }
        // Merge the smallest segments so that `maxSegments` remain.
        let count = max(2, segments.count - maxSegments + 1)
        let order = segments.indices.sorted {
            segments[$0].docCount - segments[$0].deletedCount < segments[$1].docCount
                - segments[$1].deletedCount
        }
        let chosen = Set(order.prefix(min(count, segments.count)))
        try mergeLocked(chosen)
    }

    private func mergeByPolicyLocked() throws {
        var tiers: [Int: [Int]] = [:]
        for (i, s) in committed.segments.enumerated() {
            let live = max(1, s.docCount - s.deletedCount)
            tiers[Int(log10(Double(live))), default: []].append(i)
        }
        for (_, members) in tiers.sorted(by: { $0.key < $1.key })
        where members.count >= max(2, options.mergeFactor) {
            try mergeLocked(Set(members))
            return
        }
    }

    /// Merges the committed segments at `indices` into one and commits the result.
    private func mergeLocked(_ indices: Set<Int>) throws {
        guard !indices.isEmpty else { return }
        let snapshot = try Snapshot.open(committed, in: directory)
        let views = indices.sorted().map { snapshot.segments[$0] }
        let name = segmentName(committed.nextSegmentNumber)
        // Reserve the name now: even if this merge fails after its commit became visible, no
        // later segment may reuse (and overwrite) it.
        committed.nextSegmentNumber += 1
        var next = committed
        let (parts, docCount) = try SegmentMerger.merge(views, name: name)
        try directory.writeAtomically(name + ".seg", parts: parts, syncDirectory: false)
        // The merged segment takes the place of the first merged one, keeping index order.
        var segments: [CommitSegment] = []
        let first = indices.min() ?? 0
        for (i, s) in committed.segments.enumerated() {
            if i == first && docCount > 0 {
                segments.append(
                    CommitSegment(name: name, docCount: docCount, deleteGeneration: 0, deletedCount: 0))
            }
            if !indices.contains(i) { segments.append(s) }
        }
        next.segments = segments
        next.generation = max(committed.generation, generationFloor) + 1
        try directory.writeAtomically(
            CommitData.fileName(generation: next.generation), bytes: next.encoded(), syncDirectory: false)
        previous = committed
        committed = next  // published by the rename, whether or not the fsync below succeeds
        try directory.sync()
        try? removeUnreferencedFiles()
    }

    /// Removes files that neither the newest commit nor the one before it references: segments
    /// and delete files of older commits, temporary files and segments a crashed writer left
    /// behind. The previous commit stays openable until the next commit is durable. Commit files
    /// newer than the newest intact commit (damaged ones found at open) stay until a new commit
    /// is numbered above them.
    private func removeUnreferencedFiles() throws {
        var keep: Set<String> = [IndexLock.fileName]
        for commit in [committed, previous].compactMap({ $0 }) {
            keep.insert(CommitData.fileName(generation: commit.generation))
            for s in commit.segments {
                keep.insert(s.name + ".seg")
                if s.deleteGeneration > 0 {
                    keep.insert(DeleteFile.fileName(segment: s.name, generation: s.deleteGeneration))
                }
            }
        }
        for f in flushed { keep.insert(f.name + ".seg") }
        for name in try directory.list() where !keep.contains(name) {
            let generation = CommitData.generation(ofFileName: name)
            if let generation, generation > committed.generation { continue }
            let ours = name.hasSuffix(".tmp") || name.hasSuffix(".seg") || name.hasSuffix(".del") || generation != nil
            if ours { try directory.remove(name) }
        }
    }

    /// A reader of the last commit.
    public func reader() throws -> IndexReader {
        lock.lock()
        defer { lock.unlock() }
        return try IndexReader.open(directory: directory, commit: committed)
    }

    /// The generation of the last commit (0 before the first).
    public var generation: Int {
        lock.lock()
        defer { lock.unlock() }
        return committed.generation
    }
}

/// The shared state of one flush's workers: which documents each piece (a contiguous range of the
/// batch, built into one segment) still holds, and each piece's outcome.
///
/// Workers claim their piece's documents one at a time. A worker whose last piece has no
/// documents left, before it finishes that piece's segment, may take over the back part of the
/// piece with the most estimated cost left, as a new piece it builds afterwards: when one core
/// runs slower than the other (this happens on shared machines) or the cost estimate was off, the
/// workers still end together. Every piece stays a contiguous range in document order.
final class FlushWork: Sendable {
    struct Piece {
        let start: Int
        var next: Int
        var end: Int
    }

    /// The outcome of building one piece.
    final class Result: @unchecked Sendable {
        // Written only by the worker that builds the piece, read after all workers finished.
        var docCount = 0
        var replaced: [Int32] = []
        var schema: Schema?
        var error: Error?
    }

    /// The share of the remaining cost the taking worker gets: it adds those documents at once,
    /// but then finishes two segments (its own, as the other worker does, and the taken one:
    /// sorting and encoding take about a quarter as long as adding the documents did), so an
    /// even split would leave it last.
    static let takenShare = 0.45

    private let state: Protected<[Piece]>
    private let costPrefix: [Int]
    private let maxPieces: Int
    private let minTakenCost: Int
    /// One per possible piece: the initial chunks, then the pieces taken over, in that order.
    let results: [Result]
    /// The number of initial chunks (pieces `0..<initialPieces`).
    let initialPieces: Int

    /// - Parameters:
    ///   - chunks: the initial pieces, in document order.
    ///   - costPrefix: estimated cost of documents `0..<i` at index `i`.
    ///   - maxPieces: the most pieces there may be.
    ///   - minTakenCost: the least estimated cost a piece taken over must have.
    init(chunks: [Range<Int>], costPrefix: [Int], maxPieces: Int, minTakenCost: Int) {
        state = Protected(chunks.map { Piece(start: $0.lowerBound, next: $0.lowerBound, end: $0.upperBound) })
        self.costPrefix = costPrefix
        self.maxPieces = max(maxPieces, chunks.count)
        self.minTakenCost = minTakenCost
        results = (0..<max(maxPieces, chunks.count)).map { _ in Result() }
        initialPieces = chunks.count
    }

    /// The next document of `piece` for its builder, or nil when the piece has none left.
    func claim(_ piece: Int) -> Int? {
        state.withLock { pieces in
            guard pieces[piece].next < pieces[piece].end else { return nil }
            pieces[piece].next += 1
            return pieces[piece].next - 1
        }
    }

    /// Takes over the back part of the piece with the most estimated cost left, when that part
    /// is worth a segment; returns the new piece, or nil.
    func takeOver() -> Int? {
        state.withLock { pieces in
            guard pieces.count < maxPieces else { return nil }
            var best = -1
            var bestCost = 0
            for (i, p) in pieces.enumerated() where p.end - p.next >= 2 {
                let cost = costPrefix[p.end] - costPrefix[p.next]
                if cost > bestCost {
                    best = i
                    bestCost = cost
                }
            }
            let taken = Int(Double(bestCost) * FlushWork.takenShare)
            guard best >= 0, taken >= minTakenCost else { return nil }
            let victim = pieces[best]
            // The first document from which the cost to the piece's end is at most `taken`.
            let target = costPrefix[victim.end] - taken
            var lo = victim.next + 1
            var hi = victim.end - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if costPrefix[mid] < target { lo = mid + 1 } else { hi = mid }
            }
            pieces[best].end = lo
            pieces.append(Piece(start: lo, next: lo, end: victim.end))
            return pieces.count - 1
        }
    }

    /// Every piece's index and document range, in document order (after all workers finished).
    func pieces() -> [(index: Int, range: Range<Int>)] {
        state.withLock { pieces in
            pieces.enumerated().map { ($0.offset, $0.element.start..<$0.element.end) }
                .filter { !$0.1.isEmpty }
                .sorted { $0.1.lowerBound < $1.1.lowerBound }
        }
    }
}

/// The estimated cost of each document of a batch (``IndexWriter/estimatedCost(_:)``), computed
/// by any number of workers: each claims blocks of documents until none are left.
final class CostEstimate: @unchecked Sendable {
    /// Documents claimed at a time.
    static let blockSize = 8

    private let documents: [Document]
    /// Each block is written by the worker that claimed it and read after ``waitUntilDone()``.
    let values: UnsafeMutableBufferPointer<Int>
    /// The next document to claim, and how many documents have been estimated.
    private let progress = Protected((next: 0, done: 0))

    init(_ documents: [Document]) {
        self.documents = documents
        values = .allocate(capacity: documents.count)
        values.initialize(repeating: 0)
    }

    deinit { values.deallocate() }

    /// Estimates blocks of documents until every block has been claimed.
    func work() {
        let n = documents.count
        while true {
            let start = progress.withLock { p in
                defer { p.next += CostEstimate.blockSize }
                return p.next
            }
            if start >= n { return }
            let end = min(n, start + CostEstimate.blockSize)
            for d in start..<end { values[d] = IndexWriter.estimatedCost(documents[d]) }
            progress.withLock { $0.done += end - start }
        }
    }

    /// Returns when every document's cost is in ``values``: after this thread's ``work()``, only
    /// blocks other workers are in the middle of remain, so the wait is short.
    func waitUntilDone() {
        var spins = 0
        while progress.current.done < documents.count {
            spins += 1
            if spins > 1_000 { SystemThread.yield() }
        }
    }
}

/// The plan of a flush (its work and segment names), made by one worker and awaited by the
/// others.
final class FlushPlan: @unchecked Sendable {
    private let plan = Protected<(work: FlushWork, names: [String])?>(nil)

    func publish(_ plan: (work: FlushWork, names: [String])) {
        self.plan.withLock { $0 = plan }
    }

    /// The plan, once published (the workers wait for at most the planning of one batch);
    /// never nil in practice: worker 0 always publishes one before any worker waits for it.
    func wait() -> (work: FlushWork, names: [String])? {
        var spins = 0
        while true {
            if let plan = plan.current { return plan }
            spins += 1
            if spins > 1_000 { SystemThread.yield() }
        }
    }
}
