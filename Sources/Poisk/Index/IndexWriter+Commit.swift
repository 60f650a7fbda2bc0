// Committing: flushed segments, deletes and the commit file made durable and visible at once.
//
// For: IndexWriter.commit. Delete resolution (which documents of which segments a commit
// deletes), the delete files and the commit file, written atomically; the commit file's rename
// is the single switch to the new state. Files no commit needs any more are removed after.
// Not for: building segments (IndexWriter+Flush) or merging (IndexWriter+Merge).

import Foundation

extension IndexWriter {
    /// Makes every change since the last commit durable and visible to new readers, atomically.
    ///
    /// The commit's ``generation`` is one more than the last one's. Managers made with
    /// ``IndexReaderManager/init(writer:nearRealTime:)`` see the commit when this returns. When
    /// the merge policy finds segments to merge, a background merge starts after the commit:
    /// this call never waits for one.
    /// - Parameter userData: saved with the commit and read back with
    ///   ``IndexReader/userData`` (for example the position in a source up to which documents
    ///   were indexed); nil (the default) keeps the last commit's, as Lucene's commit data stays
    ///   until it is set again.
    /// - Throws: `PoiskError.io` when writing fails; the index then stays at its previous commit.
    public func commit(userData: [String: String]? = nil) throws {
        lock.lock()
        defer { lock.unlock() }
        try ensureOpen()
        try flushLocked()
        // Segments flushed in memory for a near-real-time reader get their files now.
        for i in flushed.indices {
            guard let parts = flushed[i].unwritten else { continue }
            try directory.writeAtomically(flushed[i].name + ".seg", parts: parts, syncDirectory: false)
            flushed[i].unwritten = nil
            flushed[i].reader = nil
        }
        var next = committed
        next.generation = max(committed.generation, generationFloor) + 1
        next.version = 0
        next.merges = []
        if let userData { next.userData = userData }
        next.schema = schema
        let generation = next.generation
        let (changed, newDeleted) = try resolveDeletesLocked()
        // The new segments opened before anything is published, so that a failure to open one
        // leaves the index at its previous commit.
        var views = try committedViewsLocked()
        var newViews: [SegmentView] = []
        for f in flushed {
            let segment = CommitSegment(name: f.name, docCount: f.docCount, deleteGeneration: 0, deletedCount: 0)
            newViews.append(
                SegmentView(reader: try SegmentView.openSegment(segment, in: directory, verify: false), deleted: nil))
        }
        // Write delete files, then the commit.
        for (i, deleted) in changed {
            let name = DeleteFile.fileName(segment: next.segments[i].name, generation: generation)
            try directory.writeAtomically(
                name, bytes: DeleteFile.encode(deleted, docCount: next.segments[i].docCount),
                syncDirectory: false)
            next.segments[i].deleteGeneration = generation
            next.segments[i].deletedCount = deleted.count
            views[i] = SegmentView(reader: views[i].reader, deleted: deleted, deleteGeneration: generation)
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
                newViews[s] = SegmentView(reader: newViews[s].reader, deleted: newDeleted[s], deleteGeneration: generation)
            }
            // A segment whose documents were all replaced within this commit is not kept.
            if segment.deletedCount < segment.docCount {
                next.segments.append(segment)
                views.append(newViews[s])
            }
        }
        next.segments.removeAll { $0.deletedCount == $0.docCount && $0.docCount > 0 }
        try directory.writeAtomically(next.fileName, bytes: next.encoded(), syncDirectory: false)
        // The rename published the commit: the writer follows it even if the directory fsync
        // fails, so that no generation (nor the delete files named after it) is reused.
        previous = committed
        committed = next
        committedReader = nil
        openSegments = [:]
        for view in views where next.segments.contains(where: { $0.name == view.reader.name }) {
            openSegments[view.reader.name] = view
        }
        flushed.removeAll()
        deletes.removeAll()
        nearRealTimeReader = nil
        try directory.sync()
        try? removeUnreferencedFiles()
        publishLocked()
        // The commit is durable now: merging is only an optimization, on its own thread.
        startMergeIfNeededLocked()
    }

    /// The segments of the last commit, open (mapped once, then kept in `openSegments`), in the
    /// commit's order. Called with the writer's lock held.
    func committedViewsLocked() throws -> [SegmentView] {
        try committed.segments.map { s in
            if let view = openSegments[s.name] { return view }
            let view = try SegmentView.open(s, in: directory)
            openSegments[s.name] = view
            return view
        }
    }

    /// Removes files that neither the newest commit nor the one before it references: segments
    /// and delete files of older commits, temporary files and segments a crashed writer left
    /// behind. The previous commit stays openable until the next commit is durable. Commit files
    /// newer than the newest intact commit (damaged ones found at open) stay until a new commit
    /// is numbered above them.
    func removeUnreferencedFiles() throws {
        var keep: Set<String> = [IndexLock.fileName]
        for commit in [committed, previous].compactMap({ $0 }) { keep.formUnion(commit.fileNames) }
        for f in flushed { keep.insert(f.name + ".seg") }
        // A background merge's output, written while this runs.
        if let merge = runningMerge {
            keep.insert(merge.name + ".seg")
            keep.insert(merge.name + ".seg.tmp")
        }
        for name in try directory.list() where !keep.contains(name) {
            let generation = CommitData.generation(ofFileName: name)
            if let generation, generation > committed.generation { continue }
            let ours = name.hasSuffix(".tmp") || name.hasSuffix(".seg") || name.hasSuffix(".del") || generation != nil
            if ours { try directory.remove(name) }
        }
    }

    /// The documents this commit deletes: in committed segments, every older version of an id
    /// added or deleted since the last commit (`changed`: segment index → its new delete set, only
    /// for segments that change); in the segments flushed since (`newDeleted`, one per flushed
    /// segment), every document replaced within the batch, and the latest add of an id unless a
    /// later delete removed it. Called with the writer's lock held.
    func resolveDeletesLocked() throws -> (changed: [Int: DeletedDocs], newDeleted: [DeletedDocs]) {
        // Which documents are deleted: every older version of an id added or deleted now.
        // (Nothing to look up in an index without segments, as at the first commit.)
        var touched = Set<String>()
        if !committed.segments.isEmpty {
            touched = Set(deletes.keys)
            for f in flushed { touched.formUnion(f.ids) }
        }
        var changed: [Int: DeletedDocs] = [:]
        let existing = touched.isEmpty ? [] : try committedViewsLocked()
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
        return (changed, newDeleted)
    }
}
