// Loading hits: the top (segment, document, score) entries a collector kept, turned into
// `SearchHit`s carrying what `SearchOptions` asks for and nothing more. Ids come from the id
// column (format 4); stored fields are decompressed only up to the last field needed; a snippet's
// matches come from the postings and the token checkpoints (SnippetMatches) rather than from
// analyzing the whole text, and the Highlighter picks and marks the fragments.
//
// For: `IndexReader.search`. Not for: finding the hits (QueryPlanner, collectors) or the
// fragments' rules (Highlighter).

import PoiskAnalysis

/// How many snippets a search made from the index and how many by analyzing the whole text
/// (segments before format 4, fields analyzed otherwise than the reader analyzes them, or text
/// that disagrees with the index). For the benchmark and the tests.
package final class SnippetSources: @unchecked Sendable {
    // Written by the one search it is passed to, read after it.
    /// Snippets whose matches came from the postings and token checkpoints.
    package var fromIndex = 0
    /// Snippets made by analyzing the whole text.
    package var byFullAnalysis = 0

    package init() {}
}

struct HitLoader {
    /// How snippets' matches are found.
    enum Matching {
        /// From the postings and token checkpoints where a segment has them (format 4), else by
        /// analyzing the whole text.
        case indexed
        /// Always by analyzing the whole text, and rendered as before format 4 (the reference the
        /// indexed way must equal).
        case fullAnalysis
    }

    /// One snippet field of a search: its highlight terms and how to find them.
    final class SnippetField {
        let name: String
        /// The field's highlight terms, sorted (a term's index numbers it for the Highlighter).
        let terms: [[UInt8]]
        /// Each term's dictionary entry per segment, when the weight carried them.
        let infos: [[TermInfo?]?]
        let analyzer: Analyzer
        private let reference: Bool
        private var wholeText: Highlighter?

        init(name: String, terms: [[UInt8]], infos: [[TermInfo?]?], analyzer: Analyzer, reference: Bool) {
            self.name = name
            self.terms = terms
            self.infos = infos
            self.analyzer = analyzer
            self.reference = reference
        }

        /// The whole-text path, made when first needed.
        var highlighter: Highlighter {
            if let wholeText { return wholeText }
            let made = Highlighter(terms: [name: Set(terms)], field: name, analyzer: analyzer, reference: reference)
            wholeText = made
            return made
        }
    }

    let reader: IndexReader
    let options: SearchOptions
    let matching: Matching
    let fields: [SnippetField]
    let sources: SnippetSources?

    init(reader: IndexReader, weight: Weight, options: SearchOptions, matching: Matching, sources: SnippetSources? = nil) {
        self.reader = reader
        self.options = options
        self.matching = matching
        self.sources = sources
        var names: [String] = []
        for name in options.snippetFields where !names.contains(name) { names.append(name) }
        var found: [(field: String, term: [UInt8], infos: [TermInfo?]?)] = []
        if !names.isEmpty { weight.highlightTermInfos(in: Set(names), into: &found) }
        // By field and term; of a term's copies, one whose weight carried its entries.
        found.sort { a, b in
            if a.field != b.field { return a.field < b.field }
            if a.term != b.term { return a.term.lexicographicallyPrecedes(b.term) }
            return a.infos != nil && b.infos == nil
        }
        fields = names.map { name in
            var terms: [[UInt8]] = []
            var infos: [[TermInfo?]?] = []
            for entry in found where entry.field == name && terms.last != entry.term {
                terms.append(entry.term)
                infos.append(entry.infos)
            }
            return SnippetField(
                name: name, terms: terms, infos: infos, analyzer: reader.analyzer(for: name),
                reference: matching == .fullAnalysis)
        }
    }

    /// The hits of `entries`, in their order.
    /// - Throws: `PoiskError.corruptIndex` when a segment's bytes are damaged.
    func load(_ entries: [(segment: Int, doc: Int32, score: Double)]) throws -> [SearchHit] {
        if fields.isEmpty && options.storedFields == .none {
            // Ids and scores only: nothing but the id columns is read (each checked once).
            var columns = [DocColumnReader?](repeating: nil, count: reader.segments.count)
            return try entries.map { entry in
                let segment = reader.segments[entry.segment].reader
                if columns[entry.segment] == nil { columns[entry.segment] = try segment.verifiedIDColumn() }
                guard let column = columns[entry.segment] else { return idOnlyHit(try segment.documentID(entry.doc), entry.score) }
                guard let bytes = column.value(Int(entry.doc)) else {
                    throw PoiskError.corruptIndex(
                        file: segment.fileName, section: "id column", reason: "document \(entry.doc) out of bounds")
                }
                return idOnlyHit(String(decoding: bytes, as: UTF8.self), entry.score)
            }
        }
        // The matched positions of every snippet field, read per segment in document order (a
        // postings cursor only moves forward): positions[f][k] for entry k, nil where the
        // segment has no checkpoints (the whole text is analyzed).
        var positions = fields.map { _ in [[(position: UInt32, term: Int)]?](repeating: nil, count: entries.count) }
        if matching == .indexed && !fields.isEmpty {
            var bySegment: [Int: [Int]] = [:]
            for (k, e) in entries.enumerated() { bySegment[e.segment, default: []].append(k) }
            for (segment, ks) in bySegment {
                let view = reader.segments[segment]
                let order = ks.sorted { entries[$0].doc < entries[$1].doc }
                for (f, field) in fields.enumerated() {
                    guard let local = try usableField(field, in: view.reader) else { continue }
                    let infos = try field.terms.indices.map { t -> TermInfo? in
                        if let known = field.infos[t], segment < known.count { return known[segment] }
                        return try field.terms[t].withUnsafeBytes { try view.reader.termInfo(field: local, term: $0) }
                    }
                    let found = try SnippetMatches.positions(
                        in: view.reader, field: local, infos: infos, docs: order.map { entries[$0].doc })
                    for (i, k) in order.enumerated() { positions[f][k] = found[i] }
                }
            }
        }
        var scratch: AnalysisScratch? = nil
        var plans = [SegmentPlan?](repeating: nil, count: reader.segments.count)
        var hits: [SearchHit] = []
        hits.reserveCapacity(entries.count)
        for (k, entry) in entries.enumerated() {
            let segment = reader.segments[entry.segment].reader
            let plan: SegmentPlan
            if let known = plans[entry.segment] {
                plan = known
            } else {
                plan = try SegmentPlan(segment, storedFields: options.storedFields, snippetFields: fields)
                plans[entry.segment] = plan
            }
            var id = ""
            if let ids = plan.ids {
                guard let bytes = ids.value(Int(entry.doc)) else {
                    throw PoiskError.corruptIndex(
                        file: segment.fileName, section: "id column", reason: "document \(entry.doc) out of bounds")
                }
                id = String(decoding: bytes, as: UTF8.self)
            }
            var values: [String: String] = [:]
            var typed = TypedStoredValues()
            var snippets: [String: HitSnippet] = [:]
            if plan.readsStoredFields {
                try segment.withStoredFields(of: entry.doc, wanted: plan.reads, last: plan.last) { stored in
                    for (storedID, bytes) in stored {
                        if storedID == 0 {
                            id = String(decoding: bytes, as: UTF8.self)
                        } else if let name = plan.name(storedID) {
                            if let options = plan.typed(storedID) {
                                typed.add(String(decoding: bytes, as: UTF8.self), field: options)
                            } else {
                                values[name] = String(decoding: bytes, as: UTF8.self)
                            }
                        }
                    }
                    for (f, field) in fields.enumerated() {
                        guard let local = plan.snippetFields[f], let text = stored.first(where: { $0.id == local + 1 })
                        else { continue }
                        var analysis = scratch ?? AnalysisScratch()
                        scratch = nil  // one owner of its buffers while in use
                        snippets[field.name] = try snippet(
                            field, text: text.bytes, segment: segment, local: local, doc: entry.doc,
                            positions: positions[f][k], scratch: &analysis)
                        scratch = analysis
                    }
                }
            }
            for field in fields where snippets[field.name] == nil {
                snippets[field.name] = HitSnippet(text: "", matches: [])
            }
            let first = fields.first.flatMap { snippets[$0.name] }
            hits.append(
                SearchHit(
                    id: id, score: entry.score, document: Document(id: id, storedFields: values, values: typed.values),
                    snippet: first?.text ?? "", matches: first?.matches ?? [], snippets: snippets, explanation: nil))
        }
        return hits
    }

    /// A hit with its id and score only.
    private func idOnlyHit(_ id: String, _ score: Double) -> SearchHit {
        SearchHit(id: id, score: score, document: Document(id: id, storedFields: [:]), snippet: "", matches: [])
    }

    /// What to read from one segment for every hit in it.
    private struct SegmentPlan {
        /// The segment's id column, verified (nil before format 4: ids come from stored fields).
        let ids: DocColumnReader?
        /// Per stored field id (0: the id, f + 1: field f), whether to read it.
        let wanted: [Bool]
        /// Every stored field is read.
        let all: Bool
        /// The largest wanted id (reading stops after it).
        let last: Int
        /// Per stored field id, the name of the field whose text goes into the hit's document.
        let names: [String?]
        /// Per stored field id, the options of a typed field (its values go into the hit's
        /// document's typed values); nil for text.
        let typedOptions: [FieldOptions?]
        /// Each snippet field's id in the segment (nil: the segment lacks it).
        let snippetFields: [Int?]
        /// Whether anything is read from the stored fields.
        let readsStoredFields: Bool

        init(_ segment: SegmentReader, storedFields: FieldSelection, snippetFields: [SnippetField]) throws {
            ids = try segment.verifiedIDColumn()
            let schema = segment.meta.schema
            var names = [String?](repeating: nil, count: schema.fields.count + 1)
            var wanted = [Bool](repeating: false, count: schema.fields.count + 1)
            typedOptions = [nil] + schema.fields.map { $0.type.isTyped ? $0 : nil }
            if storedFields != .none {
                for (f, field) in schema.fields.enumerated() where storedFields.contains(field.name) {
                    names[f + 1] = field.name
                    wanted[f + 1] = true
                }
            }
            self.snippetFields = snippetFields.map { schema.fieldID($0.name) }
            for f in self.snippetFields { if let f { wanted[f + 1] = true } }
            if ids == nil { wanted[0] = true }
            self.names = names
            self.wanted = wanted
            all = storedFields == .all
            // Every stored field, as the document was stored, when all are asked for.
            last = all ? Int.max : wanted.lastIndex(of: true) ?? 0
            readsStoredFields = all || wanted.contains(true)
        }

        /// Whether stored field id `id` is read.
        func reads(_ id: Int) -> Bool { all || (id < wanted.count && wanted[id]) }

        /// The document field name of stored field id `id`, if its text goes into the hit.
        func name(_ id: Int) -> String? { id > 0 && id < names.count ? names[id] : nil }

        /// The options of stored field id `id` when it is a typed field.
        func typed(_ id: Int) -> FieldOptions? { id > 0 && id < typedOptions.count ? typedOptions[id] : nil }
    }

    /// The segment's field id for `field` when its matches can come from the index: the field is
    /// indexed with token checkpoints and analyzed as the reader analyzes it; else nil.
    /// - Throws: `PoiskError.corruptIndex` when the field's checkpoints fail their checksum.
    private func usableField(_ field: SnippetField, in segment: SegmentReader) throws -> Int? {
        guard let f = segment.fieldID(field.name), segment.meta.schema.fields[f].indexed,
            segment.meta.schema.fields[f].analyzer == field.analyzer.configuration,
            try segment.checkpointColumn(field: f) != nil
        else { return nil }
        return f
    }

    /// One field's snippet of one hit.
    private func snippet(
        _ field: SnippetField, text: UnsafeRawBufferPointer, segment: SegmentReader, local: Int, doc: Int32,
        positions: [(position: UInt32, term: Int)]?, scratch: inout AnalysisScratch
    ) throws -> HitSnippet {
        if let positions, let column = try segment.checkpointColumn(field: local), let value = column.value(Int(doc)) {
            let checkpoints = TokenCheckpointReader(value)
            if let matches = SnippetMatches.locate(
                in: text, positions: positions, terms: field.terms, checkpoints: checkpoints, analyzer: field.analyzer,
                scratch: &scratch)
            {
                let s = Highlighter.snippet(
                    utf8: text, matches: matches, termCount: field.terms.count,
                    scalarCount: checkpoints.scalarCount ?? UTF8Scalars.count(text), length: options.snippetLength,
                    fragments: options.snippetFragments, style: options.highlight)
                sources?.fromIndex += 1
                return HitSnippet(text: s.text, matches: s.matches)
            }
        }
        sources?.byFullAnalysis += 1
        let s = field.highlighter.snippet(
            of: String(decoding: text, as: UTF8.self), length: options.snippetLength, fragments: options.snippetFragments,
            style: options.highlight)
        return HitSnippet(text: s.text, matches: s.matches)
    }
}
