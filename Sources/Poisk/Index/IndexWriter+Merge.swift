// Merging: committed segments merged into one (MergePolicy chooses which) and the result
// committed.
//
// For: `IndexWriter.merge(maxSegments:)` and the automatic merge after a commit. Not for: the
// merge itself (SegmentMerger: postings merged term by term, without re-analysis).

extension IndexWriter {
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
        guard let chosen = MergePolicy.smallest(committed.segments, keeping: maxSegments) else { return }
        try mergeLocked(chosen)
    }

    /// Merges the tier the policy picks, if any, and commits. Called with the lock held.
    func mergeByPolicyLocked() throws {
        if let tier = MergePolicy(mergeFactor: options.mergeFactor).tierToMerge(committed.segments) {
            try mergeLocked(tier)
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
}
