// A point-in-time view of an index: its segments, their deletes, and collection statistics.
//
// For: searching. An IndexReader never changes; it is `Sendable`, and any number of threads or
// tasks may search it at once. A writer's later commits are seen by opening a new reader.
// Not for: writing (IndexWriter).

import Foundation
import PoiskAnalysis

/// Collection statistics of one field over the whole index.
struct FieldCollectionStats {
    var docCount: Int
    var sumLengths: UInt64
    var averageLength: Double { docCount > 0 ? Double(sumLengths) / Double(docCount) : 0 }
}

/// A read-only, point-in-time snapshot of an index.
public final class IndexReader: Sendable {
    let segments: [SegmentView]
    /// The index's schema: every field any segment has, in first-seen order.
    public let schema: Schema
    let analyzers: [String: Analyzer]
    /// The fields a word without `field:` searches, with their boosts (built once, not per query).
    let defaultFields: [(String, Double)]
    /// The commit generation this snapshot shows: how many times the index was committed (0
    /// for an in-memory index). Background merges do not change it (see ``mergesSinceCommit``).
    public let generation: Int
    /// The commit this snapshot shows, or nil for an in-memory index.
    let commit: CommitData?
    /// Whether this reader also shows documents added or deleted after the last commit
    /// (``IndexWriter/reader()``).
    public let isNearRealTime: Bool
    /// Newer commits that could not be opened (damaged, or naming a missing or damaged file), newest
    /// first: empty unless this reader fell back to an older commit. See
    /// `open(at:)`.
    public let skippedCommits: [SkippedCommit]
    /// Window buffers of finished queries, zeroed, for the next ones (see ``WindowBuffers``).
    let windowBuffers = Pool<WindowBuffers>(capacity: WindowBuffers.pooled)

    init(
        segments: [SegmentView], generation: Int, schema declared: Schema? = nil, skippedCommits: [SkippedCommit] = [],
        commit: CommitData? = nil, nearRealTime: Bool = false
    ) {
        self.skippedCommits = skippedCommits
        self.commit = commit
        self.isNearRealTime = nearRealTime
        self.segments = segments.enumerated().map { i, view in
            var v = view
            v.index = i
            return v
        }
        self.generation = generation
        var schema = declared ?? Schema(fields: [])
        var analyzers: [String: Analyzer] = [:]
        // Fields with the same configuration share one analyzer (a query's text is then analyzed
        // once for all of them: see `WeightBuilder.analyze`).
        var shared: [AnalyzerConfiguration: Analyzer] = [:]
        func analyzer(_ configuration: AnalyzerConfiguration) -> Analyzer {
            if let a = shared[configuration] { return a }
            let a = Analyzer(configuration)
            shared[configuration] = a
            return a
        }
        for s in segments {
            for f in s.reader.meta.schema.fields where schema.fieldID(f.name) == nil {
                schema.fields.append(f)
                analyzers[f.name] = analyzer(f.analyzer)
            }
        }
        if schema.fields.isEmpty { schema = .standard }
        for f in schema.fields where analyzers[f.name] == nil { analyzers[f.name] = analyzer(f.analyzer) }
        self.schema = schema
        self.analyzers = analyzers
        self.defaultFields = schema.fields.filter { $0.searchedByDefault && $0.indexed }.map { ($0.name, $0.boost) }
    }

    /// Builds an in-memory index of `documents` (no files), for one-off searches.
    /// - Parameters:
    ///   - documents: the documents; a later one with the same id replaces an earlier one.
    ///   - schema: fields and analyzers; `.standard` by default.
    /// - Throws: `PoiskError.invalidFieldValue` for a value that does not fit its field's type
    ///   (see ``IndexWriter/add(_:)-(Document)``), `.invalidArgument` for a schema that does not
    ///   validate, or an error if the built segment fails verification (it should not).
    /// - Complexity: O(total text length + terms · log terms).
    public static func inMemory(_ documents: [Document], schema: Schema = .standard) throws -> IndexReader {
        try schema.validate()
        var resolving = schema
        let builder = SegmentBuilder(schema: schema)
        for d in documents { builder.add(try d.resolved(against: &resolving)) }
        let bytes = builder.finish(name: "memory")
        let reader = try SegmentReader(bytes: FileBytes(copying: bytes, name: "memory"), verify: false)
        var deleted: DeletedDocs?
        if !builder.replaced.isEmpty {
            var d = DeletedDocs(capacity: builder.docCount)
            for doc in builder.replaced { d.insert(doc) }
            deleted = d
        }
        return IndexReader(segments: [SegmentView(reader: reader, deleted: deleted)], generation: 0)
    }

    /// The user data saved with the commit this reader shows (``IndexWriter/commit(userData:)``),
    /// for example the position in a source up to which documents were indexed; empty for an
    /// in-memory index.
    public var userData: [String: String] { commit?.userData ?? [:] }

    /// The background merges published since the commit of ``generation`` (each a commit
    /// version of its own, with the same documents in fewer segments), oldest first.
    public var mergesSinceCommit: [CommitMerge] { commit?.merges ?? [] }

    /// The commit file this reader shows (`commit-<generation>[.<version>].pkc`), or nil for an
    /// in-memory index.
    public var commitFile: String? { commit?.fileName }

    /// The segments of this snapshot by name (for opening a newer snapshot without mapping the
    /// unchanged ones again).
    var segmentsByName: [String: SegmentView] {
        var byName: [String: SegmentView] = [:]
        for s in segments where s.reader.name != "memory" { byName[s.reader.name] = s }
        return byName
    }

    /// The number of live (not deleted) documents.
    public var documentCount: Int {
        segments.reduce(0) { $0 + $1.reader.docCount - ($1.deleted?.count ?? 0) }
    }

    /// The number of deleted documents not yet merged away.
    public var deletedCount: Int { segments.reduce(0) { $0 + ($1.deleted?.count ?? 0) } }

    /// The number of segments.
    public var segmentCount: Int { segments.count }

    /// The analyzer of a field (the default analyzer for unknown fields).
    public func analyzer(for field: String) -> Analyzer { analyzers[field] ?? Analyzer() }

    /// Statistics of a field over all segments. N counts every document of every segment
    /// (deleted ones until merged away, as Lucene does), so scores do not shift with deletes.
    func stats(for field: String) -> FieldCollectionStats {
        var docs = 0
        var sum: UInt64 = 0
        for s in segments {
            docs += s.reader.docCount
            if let f = s.reader.fieldID(field) { sum += s.reader.meta.fieldStats[f].sumLengths }
        }
        return FieldCollectionStats(docCount: docs, sumLengths: sum)
    }

    /// Document frequency of a term in a field, summed over segments.
    func docFreq(field: String, term: [UInt8]) throws -> Int {
        try termInfos(field: field, term: term).docFreq
    }

    /// A term's dictionary entry in every segment (nil where absent) and its total document
    /// frequency: looked up once per query and carried in the weight.
    func termInfos(field: String, term: [UInt8]) throws -> (docFreq: Int, infos: [TermInfo?]) {
        var infos: [TermInfo?] = []
        infos.reserveCapacity(segments.count)
        let df = try term.withUnsafeBytes { try appendTermInfos(field: field, term: $0, to: &infos) }
        return (df, infos)
    }

    /// Appends a term's dictionary entry in every segment (nil where absent) to `infos`.
    /// - Returns: its total document frequency.
    func appendTermInfos(field: String, term: UnsafeRawBufferPointer, to infos: inout [TermInfo?]) throws -> Int {
        var df = 0
        for s in segments {
            guard let f = s.reader.fieldID(field) else {
                infos.append(nil)
                continue
            }
            let info = try s.reader.termInfo(field: f, term: term)
            if let info { df += info.docFreq }
            infos.append(info)
        }
        return df
    }

    /// The stored document with this id, or nil.
    public func document(id: String) throws -> Document? {
        for s in segments.reversed() {
            if let doc = try s.reader.docID(for: id), s.isLive(doc) { return try s.reader.document(doc) }
        }
        return nil
    }
}
