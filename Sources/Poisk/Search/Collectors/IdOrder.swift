// The order of a segment's documents by id: each document's rank among the segment's ids, from
// the id dictionary (already sorted by id), and the id of a document without its stored fields.
//
// For: breaking ties by id in sorted results and placing a `searchAfter` cursor's id, without
// reading stored fields. Not for: looking documents up by id (SegmentReader.docID).

/// Each document's rank among one segment's ids, read once from the id dictionary (and kept by
/// the segment: see `SegmentReader.idOrder()`).
final class IdOrder: @unchecked Sendable {
    // Immutable after init. Not holding its segment (the segment holds it).
    unowned let segment: SegmentReader
    /// Document → rank of its id in byte order; `UInt32.max` for a document without an entry
    /// (one replaced inside its segment, never collected).
    let ranks: [UInt32]

    /// Reads the id dictionary of `segment`.
    /// - Throws: `PoiskError.corruptIndex` when the dictionary is damaged.
    /// - Complexity: O(documents).
    init(_ segment: SegmentReader) throws {
        self.segment = segment
        var ranks = [UInt32](repeating: .max, count: segment.docCount)
        var cursor = try segment.ids.cursor(from: UnsafeRawBufferPointer(start: nil, count: 0))
        var rank: UInt32 = 0
        while try cursor.next() {
            let doc = cursor.values.0
            if doc < UInt64(ranks.count) { ranks[Int(doc)] = rank }
            rank &+= 1
        }
        self.ranks = ranks
    }

    /// The rank of document `doc`'s id.
    @inline(__always)
    func rank(_ doc: Int32) -> UInt32 { doc >= 0 && Int(doc) < ranks.count ? ranks[Int(doc)] : .max }

    /// The id of the document at `rank`, as bytes (empty when out of range or damaged).
    /// - Complexity: O(one dictionary block).
    func id(rank: UInt32) -> [UInt8] {
        let dictionary = segment.ids
        guard rank != .max, Int(rank) < dictionary.termCount else { return [] }
        let blockSize = dictionary.blockSize
        guard var cursor = try? TermDictionaryReader.TermCursor(dictionary: dictionary, block: Int(rank) / blockSize) else {
            return []
        }
        for _ in 0...(Int(rank) % blockSize) {
            guard (try? cursor.next()) == true else { return [] }
        }
        return cursor.withTerm { Array($0) }
    }

    /// Calls `body` with the id of document `doc` in place (from the id column when the segment
    /// has one; else a copy from the id dictionary).
    func withID<R>(_ doc: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let column = try? segment.verifiedIDColumn(), let bytes = column.value(Int(doc)) { return body(bytes) }
        return id(rank: rank(doc)).withUnsafeBytes(body)
    }

    /// The id of document `doc`, as bytes (from the id column when the segment has one).
    func id(_ doc: Int32) -> [UInt8] {
        if let column = try? segment.verifiedIDColumn(), let bytes = column.value(Int(doc)) { return Array(bytes) }
        return id(rank: rank(doc))
    }

    /// Where `id` falls among the segment's ids: the rank of the first id not below it, and
    /// whether that id is `id` itself.
    func position(of id: [UInt8]) throws -> (rank: Int, exact: Bool) {
        var cursor = try id.withUnsafeBytes { try segment.ids.cursor(from: $0) }
        guard try cursor.next() else { return (segment.ids.termCount, false) }
        let exact = cursor.withTerm { t in id.withUnsafeBytes { compareBytes(t, $0) == 0 } }
        return (cursor.ordinal, exact)
    }
}
