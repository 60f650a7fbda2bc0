// Merging columns: the columns of one field in several segments, into the merged segment's
// column, in its document order, without the deleted documents.
//
// For: SegmentMerger, per columnar field. Numeric values are copied; keyword dictionaries are
// merged (a k-way merge of sorted byte strings) and each source's ordinals renumbered. Not for:
// the field's terms and postings, which merge like any field's.

/// Merges one field's columns.
enum ColumnMerger {
    /// The merged column of a field of `type` over `sources`: each source's column (nil when
    /// that segment has none: its documents have no value) and its map from old to new document
    /// (−1: dropped).
    /// - Parameter docCount: the merged segment's documents.
    static func merge(type: FieldType, sources: [(column: Column?, docMap: [Int32])], docCount: Int) -> [UInt8] {
        if type == .keyword { return mergeKeywords(sources, docCount: docCount) }
        var values = [UInt64](repeating: 0, count: docCount)
        var present = [UInt64](repeating: 0, count: (docCount + 63) >> 6)
        var withValue = 0
        for (column, docMap) in sources {
            guard case .numeric(let c) = column else { continue }
            for (old, new) in docMap.enumerated() where new >= 0 && Int(new) < docCount {
                guard let v = c.value(Int32(old)) else { continue }
                values[Int(new)] = v
                present[Int(new) >> 6] |= 1 << UInt64(new & 63)
                withValue += 1
            }
        }
        return ColumnWriter.numeric(values, present: withValue == docCount ? nil : present)
    }

    private static func mergeKeywords(_ sources: [(column: Column?, docMap: [Int32])], docCount: Int) -> [UInt8] {
        let columns: [KeywordColumn?] = sources.map {
            if case .keyword(let c) = $0.column { return c }
            return nil
        }
        // The merged dictionary: every source's values, in byte order, once; and each source's
        // old ordinal → new ordinal.
        var dictionary: [[UInt8]] = []
        var maps: [[UInt32]] = columns.map { [UInt32](repeating: 0, count: $0?.ordinalCount ?? 0) }
        var next = [Int](repeating: 0, count: columns.count)
        while true {
            var smallest: UnsafeRawBufferPointer?
            for (s, c) in columns.enumerated() {
                guard let c, next[s] < c.ordinalCount else { continue }
                let v = c.value(next[s])
                if let current = smallest, compareBytes(v, current) >= 0 { continue }
                smallest = v
            }
            guard let value = smallest else { break }
            let ordinal = UInt32(dictionary.count)
            dictionary.append(Array(value))
            for (s, c) in columns.enumerated() {
                guard let c, next[s] < c.ordinalCount, compareBytes(c.value(next[s]), value) == 0 else { continue }
                maps[s][next[s]] = ordinal
                next[s] += 1
            }
        }
        // Each new document's ordinals: counted first, then placed (no array per document).
        var starts = [UInt32](repeating: 0, count: docCount + 1)
        for (s, (_, docMap)) in sources.enumerated() {
            guard let c = columns[s] else { continue }
            for (old, new) in docMap.enumerated() where new >= 0 && Int(new) < docCount {
                starts[Int(new) + 1] += UInt32(c.ordinalRange(Int32(old)).count)
            }
        }
        for d in 0..<docCount { starts[d + 1] += starts[d] }
        var ordinals = [UInt32](repeating: 0, count: Int(starts[docCount]))
        var fill = starts
        for (s, (_, docMap)) in sources.enumerated() {
            guard let c = columns[s] else { continue }
            for (old, new) in docMap.enumerated() where new >= 0 && Int(new) < docCount {
                let range = c.ordinalRange(Int32(old))
                // Ascending: a source's ordinals are, and the renumbering keeps their order.
                for k in range {
                    let o = c.ordinal(at: k, in: range)
                    ordinals[Int(fill[Int(new)])] = o < c.ordinalCount ? maps[s][o] : 0
                    fill[Int(new)] += 1
                }
            }
        }
        return ColumnWriter.keywords(docCount: docCount, dictionary: dictionary, starts: starts, ordinals: ordinals)
    }

    /// How many documents of a column have a value.
    /// - Throws: `PoiskError.corruptIndex` when the column does not open.
    static func documentsWithValue(_ bytes: UnsafeRawBufferPointer, docCount: Int) throws -> Int {
        switch try Column.open(bytes, docCount: docCount, file: "merged", section: "column") {
        case .numeric(let c): return (0..<Int32(docCount)).reduce(0) { $0 + (c.has($1) ? 1 : 0) }
        case .keyword(let c): return (0..<Int32(docCount)).reduce(0) { $0 + (c.ordinalRange($1).isEmpty ? 0 : 1) }
        }
    }
}
