// Flushing: the buffered documents built into segment files on the writer's threads.
//
// For: IndexWriter's flushes (when the memory budget fills, and at commit). The batch is split
// into chunks of about equal estimated cost (CostEstimate), each built into one segment by one
// worker, and a worker that runs out of documents takes over the tail of another's piece
// (FlushWork). A flush for a near-real-time reader keeps the new segments in memory instead (no
// file, no fsync); the commit writes them. Not for: committing what was flushed
// (IndexWriter+Commit).

import Foundation

extension IndexWriter {
    /// Builds the buffered documents into segment files (not yet committed), or with `inMemory`
    /// into segments kept in memory until the commit writes them.
    func flushLocked(inMemory: Bool = false) throws {
        try flushLiveLocked(inMemory: inMemory)
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
                        result.error = PoiskError.invalidArgument(
                            reason:
                                "a batch of documents produced more than 4 GiB of postings; lower the writer's memory budget"
                        )
                        continue
                    }
                    let parts = builder.finishParts(name: names[piece])
                    if inMemory {
                        result.parts = parts
                    } else {
                        do {
                            try directory.writeAtomically(names[piece] + ".seg", parts: parts, syncDirectory: false)
                        } catch {
                            result.error = error
                        }
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
        var opened: [SegmentReader?] = []
        for (index, _) in pieces {
            // An in-memory segment is opened now, before any state changes, so that a failure
            // leaves the batch buffered.
            guard let parts = work.results[index].parts else {
                opened.append(nil)
                continue
            }
            do {
                opened.append(
                    try SegmentReader(bytes: FileBytes(copying: joinParts(parts), name: names[index] + ".seg"), verify: false))
            } catch {
                pending = batch
                pendingBytes = batchBytes
                throw error
            }
        }
        for (n, (index, range)) in pieces.enumerated() {
            let result = work.results[index]
            if let s = result.schema {
                for f in s.fields where self.schema.fieldID(f.name) == nil { self.schema.fields.append(f) }
            }
            flushed.append(
                FlushedSegment(
                    name: names[index], docCount: result.docCount, ids: batch[range].map { $0.document.id },
                    sequences: batch[range].map { $0.sequence }, replaced: result.replaced, unwritten: result.parts,
                    reader: opened[n]))
        }
    }

    /// Finishes the segment built as documents were added (`live`), if any: it precedes the
    /// buffered documents, which were all added after it filled. Its file is written now, or
    /// with `inMemory` by the commit; when writing fails, the error is thrown and the segment
    /// stays in memory, so a retried commit still holds its documents.
    private func flushLiveLocked(inMemory: Bool) throws {
        guard let segment = live, segment.builder.docCount > 0 else { return }
        guard !segment.builder.overflowed else {
            throw PoiskError.invalidArgument(
                reason: "a batch of documents produced more than 4 GiB of postings; lower the writer's memory budget")
        }
        let name = segmentName(committed.nextSegmentNumber)
        let parts = segment.builder.finishParts(name: name)
        let reader =
            inMemory
            ? try SegmentReader(bytes: FileBytes(copying: joinParts(parts), name: name + ".seg"), verify: false) : nil
        committed.nextSegmentNumber += 1
        live = nil
        pendingBytes -= segment.bytes
        for f in segment.builder.schema.fields where schema.fieldID(f.name) == nil { schema.fields.append(f) }
        flushed.append(
            FlushedSegment(
                name: name, docCount: segment.builder.docCount, ids: segment.ids, sequences: segment.sequences,
                replaced: segment.builder.replaced, unwritten: parts, reader: reader))
        guard !inMemory else { return }
        // A failure is reported; the segment stays in memory for the commit to write.
        try directory.writeAtomically(name + ".seg", parts: parts, syncDirectory: false)
        flushed[flushed.count - 1].unwritten = nil
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
}
