// Index statistics for `poisk stats` and the benchmark.

/// Sizes and counts of an index snapshot.
public struct IndexStatistics: Sendable, Hashable {
    /// Live documents.
    public var documents: Int
    /// Deleted documents not yet merged away.
    public var deleted: Int
    /// Segments.
    public var segments: Int
    /// Terms per field, summed over segments.
    public var termsPerField: [String: Int]
    /// Bytes per section kind (`terms`, `postings`, `positions`, `field lengths`, `stored fields`,
    /// `ids`, `meta`), summed over segments.
    public var bytesPerSection: [String: Int]
    /// Total bytes of the segment files.
    public var segmentBytes: Int
    /// The commit generation.
    public var generation: Int

    /// Bytes of everything except stored fields.
    public var indexBytesWithoutStored: Int { segmentBytes - (bytesPerSection["stored fields"] ?? 0) }
}

extension IndexReader {
    /// Counts and sizes of this snapshot.
    public var statistics: IndexStatistics {
        var terms: [String: Int] = [:]
        var sections: [String: Int] = [:]
        var bytes = 0
        for s in segments {
            bytes += s.reader.file.file.count
            for (f, options) in s.reader.meta.schema.fields.enumerated() where options.indexed {
                terms[options.name, default: 0] += s.reader.meta.fieldStats[f].termCount
            }
            for section in s.reader.file.sections {
                let name = SectionKind(rawValue: section.kind)?.name ?? "other"
                sections[name, default: 0] += section.length
            }
        }
        return IndexStatistics(
            documents: documentCount, deleted: deletedCount, segments: segments.count, termsPerField: terms,
            bytesPerSection: sections, segmentBytes: bytes, generation: generation)
    }
}
