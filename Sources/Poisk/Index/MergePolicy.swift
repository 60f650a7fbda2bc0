// The merge policy: which committed segments to merge.
//
// For: IndexWriter+Merge. Log-structured (run at commit when `autoMerge` is on): segments are
// grouped in tiers by live document count (tier = ⌊log₁₀ live docs⌋); when a tier holds
// `mergeFactor` or more segments, they are merged into one. On demand (`merge(maxSegments:)`),
// the smallest segments are merged so that at most `maxSegments` remain. Not for: merging
// (SegmentMerger) or committing the result (IndexWriter+Merge).

import Foundation

/// Chooses the segments of a commit to merge.
struct MergePolicy {
    /// Segments per tier that trigger an automatic merge (at least 2).
    let mergeFactor: Int

    /// The segments of the smallest tier holding `mergeFactor` or more segments, or nil when no
    /// tier does.
    /// - Complexity: O(segments · log segments).
    func tierToMerge(_ segments: [CommitSegment]) -> Set<Int>? {
        var tiers: [Int: [Int]] = [:]
        for (i, s) in segments.enumerated() {
            let live = max(1, s.docCount - s.deletedCount)
            tiers[Int(log10(Double(live))), default: []].append(i)
        }
        for (_, members) in tiers.sorted(by: { $0.key < $1.key }) where members.count >= max(2, mergeFactor) {
            return Set(members)
        }
        return nil
    }

    /// The smallest segments (by live documents) to merge so that at most `maxSegments` remain,
    /// or nil when nothing needs merging (already few enough, and for one segment, none with
    /// deleted documents to drop).
    /// - Complexity: O(segments · log segments).
    static func smallest(_ segments: [CommitSegment], keeping maxSegments: Int) -> Set<Int>? {
        if segments.count <= maxSegments && !(maxSegments == 1 && segments.first.map { $0.deletedCount > 0 } == true) {
            return nil
        }
        let count = max(2, segments.count - maxSegments + 1)
        let order = segments.indices.sorted {
            segments[$0].docCount - segments[$0].deletedCount < segments[$1].docCount - segments[$1].deletedCount
        }
        return Set(order.prefix(min(count, segments.count)))
    }
}
