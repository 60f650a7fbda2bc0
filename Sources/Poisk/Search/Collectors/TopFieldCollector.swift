// The top-k collector by fields: the k first documents in the order of one or more sort keys
// (columnar fields, or the score), ties by score (highest first) and then by id, with an optional
// `searchAfter` cursor that skips every document up to and including it.
//
// For: sorted searches (`SearchOptions.sort`). Values come from the columnar store, read in place
// per document; a document enters the heap only when it beats the k-th best, so nothing is
// allocated per matching document. With a numeric first key, the k-th best's value becomes a
// bound on the column's ranks (ranks are ordered as values), so most documents are turned away by
// one packed read, without their value being computed. Not for: relevance-only searches
// (TopScoreCollector, which may prune) or facets (FacetCollector).

/// One sort key, resolved against the index.
struct SortKey {
    enum Kind {
        /// The relevance score.
        case score
        /// A numeric column of this type (integer, double, date, boolean).
        case numeric(FieldType)
        /// A keyword column.
        case keyword
    }

    let kind: Kind
    let descending: Bool
    /// The field's name (for messages; nil for the score).
    let field: String?
}

/// The columns of one segment a sort reads, per key (nil: the segment has no column for that
/// field: every document sorts as missing).
struct SortSegment {
    let numeric: [NumericColumn?]
    let keyword: [KeywordColumn?]
    /// The segment's documents in id order (for ties), nil when it cannot be read.
    let idOrder: IdOrder?
}

/// Collects the top k documents by sort keys.
struct TopFieldCollector: Collector {
    static var needsScores: Bool { true }
    /// No pruning: documents are compared by field values, not by score.
    var threshold: Double { -Double.infinity }

    let k: Int
    let keys: [SortKey]
    let segments: [SortSegment]
    /// The documents collected (every match).
    private(set) var total = 0

    // Slots 0 ..< k hold kept documents; slot k is the candidate, slot k + 1 the cursor (in the
    // current segment's terms). A keyword key's value is 2 × ordinal + 1 (the cursor's is even
    // when its value falls between two ordinals); a numeric key's is the sortable value; the
    // score's its sortable bits. The slots live in `memory`, reached through the pointers below.
    private let memory: [CollectorMemory]
    private let values: UnsafeMutablePointer<UInt64>
    private let missing: UnsafeMutablePointer<UInt64>
    private let scores: UnsafeMutablePointer<Double>
    private let segmentOf: UnsafeMutablePointer<Int32>
    private let docs: UnsafeMutablePointer<Int32>
    /// Per slot: 2 × the id's rank in its segment + 1 (the cursor's is even when its id falls
    /// between two of the segment's).
    private let idKeys: UnsafeMutablePointer<UInt64>
    private var heap: [Int] = []
    private var segment = 0
    /// The current segment's columns and id order (read per document without copying
    /// `segments[segment]`).
    private var currentNumeric: [NumericColumn?] = []
    private var currentKeyword: [KeywordColumn?] = []
    private var currentIDs: IdOrder?
    /// Per key: 0 score, 1 numeric, 2 keyword; and whether it is descending.
    private let kinds: [UInt8]
    private let descending: [Bool]
    private let after: SearchCursor?
    private var hasCursorSlot = false
    /// The current segment's column of the first key when it is numeric, and the bound that
    /// turns documents away by their rank in it alone (see ``updateFirstBound()``).
    private var firstColumn: NumericColumn?
    private var firstBoundState = FirstBound.none
    private var firstBound: UInt64 = 0

    /// How a document's rank in ``firstColumn`` is tested against the k-th best.
    private enum FirstBound {
        /// No test (the heap is not full, the first key is not a numeric column, or the k-th
        /// best has no value for it).
        case none
        /// Worse when the rank is below the bound (or the document has no value).
        case below
        /// Worse when the rank is at or above the bound (or the document has no value).
        case atOrAbove
    }

    /// - Parameters:
    ///   - k: how many to keep.
    ///   - keys: the sort keys (at most 64).
    ///   - segments: per segment of the snapshot, the columns of each key.
    ///   - after: a cursor: only documents after it are kept.
    init(k: Int, keys: [SortKey], segments: [SortSegment], after: SearchCursor?) {
        self.k = k
        self.keys = keys
        self.segments = segments
        self.after = after
        kinds = keys.map { key in
            switch key.kind {
            case .score: return 0
            case .numeric: return 1
            case .keyword: return 2
            }
        }
        descending = keys.map(\.descending)
        let slots = k + 2
        // One block: values (slots × keys words), then missing, scores and id keys (a word per
        // slot each), then segments and documents (a word per two slots each).
        let n = max(1, keys.count)
        let block = CollectorMemory(words: slots * (n + 3) + 2 * ((slots + 1) / 2))
        memory = [block]
        values = block.region(at: 0, UInt64.self, count: slots * n)
        missing = block.region(at: slots * n, UInt64.self, count: slots)
        scores = block.region(at: slots * (n + 1), Double.self, count: slots)
        idKeys = block.region(at: slots * (n + 2), UInt64.self, count: slots)
        segmentOf = block.region(at: slots * (n + 3), Int32.self, count: slots)
        docs = block.region(at: slots * (n + 3) + (slots + 1) / 2, Int32.self, count: slots)
        heap.reserveCapacity(min(k, 1 << 16))
    }

    private var candidate: Int { k }
    private var cursorSlot: Int { k + 1 }

    mutating func beginSegment(_ index: Int) {
        segment = index
        currentNumeric = segments[index].numeric
        currentKeyword = segments[index].keyword
        currentIDs = segments[index].idOrder
        firstColumn = kinds.first == 1 ? currentNumeric[0] : nil
        updateFirstBound()
        hasCursorSlot = false
        guard let after else { return }
        // The cursor in this segment's terms.
        let c = cursorSlot
        let n = keys.count
        missing[c] = 0
        for (i, key) in keys.enumerated() {
            let value = i < after.values.count ? after.values[i] : nil
            switch key.kind {
            case .score:
                values[c * n + i] = SortableNumber.bits(after.score)
            case .numeric(let type):
                guard let value, let bits = try? value.converted(to: type).sortableBits else {
                    missing[c] |= 1 << UInt64(i)
                    continue
                }
                values[c * n + i] = bits
            case .keyword:
                guard let value else {
                    missing[c] |= 1 << UInt64(i)
                    continue
                }
                var text = value.description
                let position: (Int, Bool) =
                    segments[index].keyword[i].map { column in
                        text.withUTF8 { utf8 in
                            let key = UnsafeRawBufferPointer(utf8)
                            let lower = column.lowerBound(key)
                            return (lower, lower < column.ordinalCount && compareBytes(column.value(lower), key) == 0)
                        }
                    } ?? (0, false)
                values[c * n + i] = UInt64(2 * position.0) + (position.1 ? 1 : 0)
            }
        }
        scores[c] = after.score
        segmentOf[c] = Int32(index)
        docs[c] = -1
        guard let order = segments[index].idOrder, let position = try? order.position(of: Array(after.id.utf8)) else {
            idKeys[c] = 0
            hasCursorSlot = true
            return
        }
        idKeys[c] = UInt64(2 * position.rank) + (position.exact ? 1 : 0)
        hasCursorSlot = true
    }

    @inline(__always)
    mutating func collect(_ doc: Int32, score: Double) {
        total += 1
        // The common case of a numeric first key, inlined into the executor: one rank read
        // turns most documents away.
        if firstBoundState != .none, let column = firstColumn,
            Self.isPast(doc, in: column, state: firstBoundState, bound: firstBound)
        {
            return
        }
        offer(doc, score: score)
    }

    /// Whether `doc` comes after the k-th best on the first key by the rank bound: it has no
    /// value (the k-th best has one), or its rank is past `bound` in the direction of `state`.
    @inline(__always)
    private static func isPast(_ doc: Int32, in column: NumericColumn, state: FirstBound, bound: UInt64) -> Bool {
        guard doc >= 0, Int(doc) < column.docCount, column.has(doc) else { return true }
        let rank = column.rank(doc)
        return state == .below ? rank < bound : rank >= bound
    }

    /// The documents of one word (see ``Collector/collect(word:base:score:)``): the rank bound
    /// and its column held in locals, reloaded only after a document is offered.
    mutating func collect(word: UInt64, base: Int32, score: Double) {
        total += word.nonzeroBitCount
        var bits = word
        while bits != 0 {
            let state = firstBoundState
            guard state != .none, let column = firstColumn else {
                // No bound yet: offer each document until there is one.
                offer(base &+ Int32(truncatingIfNeeded: bits.trailingZeroBitCount), score: score)
                bits &= bits &- 1
                continue
            }
            let bound = firstBound
            while bits != 0 {
                let doc = base &+ Int32(truncatingIfNeeded: bits.trailingZeroBitCount)
                bits &= bits &- 1
                if Self.isPast(doc, in: column, state: state, bound: bound) { continue }
                offer(doc, score: score)
                // The bound may have moved: reload it.
                if firstBoundState != state || firstBound != bound { break }
            }
        }
    }

    /// A document the first key's rank bound did not turn away.
    @inline(never)
    private mutating func offer(_ doc: Int32, score: Double) {
        guard k > 0 else { return }
        if firstBoundState == .none, heap.count == k, !kinds.isEmpty, isWorseOnFirstKey(doc, score: score, than: heap[0]) {
            return
        }
        load(doc, score: score, into: candidate)
        if hasCursorSlot && compare(candidate, cursorSlot) <= 0 { return }
        if heap.count < k {
            let slot = heap.count
            copy(candidate, to: slot)
            heap.append(slot)
            siftUp(heap.count - 1)
            if heap.count == k { updateFirstBound() }
        } else if compare(candidate, heap[0]) < 0 {
            copy(candidate, to: heap[0])
            siftDown(0)
            updateFirstBound()
        }
    }

    /// Sets the rank bound of the current segment's first-key column from the k-th best: a
    /// document whose rank is past it comes after the k-th best on the first key, so it cannot
    /// be kept (as ``isWorseOnFirstKey(_:score:than:)`` would say, without computing its value).
    /// Ranks are ordered as values: a direct column's value is `minimum + gcd × rank`, a table
    /// column's the rank-th of its sorted distinct values.
    private mutating func updateFirstBound() {
        firstBoundState = .none
        guard heap.count == k, k > 0, let column = firstColumn else { return }
        let worst = heap[0]
        guard missing[worst] & 1 == 0 else { return }
        let w = values[worst &* kinds.count]
        if descending[0] {
            // Worse: value < w, that is rank < (the first rank whose value is ≥ w).
            firstBound = column.firstRank(atLeast: w)
            firstBoundState = .below
        } else {
            // Worse: value > w, that is rank ≥ (the first rank whose value is > w; none can be
            // when w is the last rank's value).
            guard let bound = column.firstRank(above: w) else { return }
            firstBound = bound
            firstBoundState = .atOrAbove
        }
    }

    /// Whether document `doc` comes after slot `worst` by the first key alone: most documents of
    /// a large match set are turned away here, after one column read.
    @inline(__always)
    private func isWorseOnFirstKey(_ doc: Int32, score: Double, than worst: Int) -> Bool {
        let n = kinds.count
        let worstMissing = missing[worst] & 1 != 0
        var value: UInt64
        switch kinds[0] {
        case 0:
            value = SortableNumber.bits(score)
        case 1:
            guard let v = currentNumeric[0]?.value(doc) else { return !worstMissing }
            value = v
        default:
            // Ordinals compare within one segment only.
            guard Int(segmentOf[worst]) == segment, let column = currentKeyword[0] else { return false }
            let range = column.ordinalRange(doc)
            if range.isEmpty { return !worstMissing }
            let o = column.ordinal(at: descending[0] ? range.upperBound - 1 : range.lowerBound, in: range)
            value = UInt64(2 &* o &+ 1)
        }
        if worstMissing { return false }
        let w = values[worst &* n]
        return descending[0] ? value < w : value > w
    }

    /// Reads document `doc`'s keys into `slot`.
    @inline(__always)
    private mutating func load(_ doc: Int32, score: Double, into slot: Int) {
        let n = kinds.count
        var missingBits: UInt64 = 0
        for i in 0..<n {
            switch kinds[i] {
            case 0:
                values[slot &* n &+ i] = SortableNumber.bits(score)
            case 1:
                if let v = currentNumeric[i]?.value(doc) {
                    values[slot &* n &+ i] = v
                } else {
                    missingBits |= 1 << UInt64(i)
                }
            default:
                guard let column = currentKeyword[i] else {
                    missingBits |= 1 << UInt64(i)
                    continue
                }
                let range = column.ordinalRange(doc)
                if range.isEmpty {
                    missingBits |= 1 << UInt64(i)
                    continue
                }
                let o = column.ordinal(at: descending[i] ? range.upperBound - 1 : range.lowerBound, in: range)
                if o >= column.ordinalCount {
                    missingBits |= 1 << UInt64(i)
                } else {
                    values[slot &* n &+ i] = UInt64(2 &* o &+ 1)
                }
            }
        }
        missing[slot] = missingBits
        scores[slot] = score
        segmentOf[slot] = Int32(truncatingIfNeeded: segment)
        docs[slot] = doc
        let rank = currentIDs?.rank(doc) ?? .max
        idKeys[slot] = rank == .max ? .max : UInt64(rank) &* 2 &+ 1
    }

    private func copy(_ from: Int, to slot: Int) {
        let n = keys.count
        for i in 0..<n { values[slot * n + i] = values[from * n + i] }
        missing[slot] = missing[from]
        scores[slot] = scores[from]
        segmentOf[slot] = segmentOf[from]
        docs[slot] = docs[from]
        idKeys[slot] = idKeys[from]
    }

    /// Negative when slot `a` comes before slot `b`, positive after, 0 for the same document.
    /// (Mutating only so that calling it from `collect` does not copy the collector.)
    private mutating func compare(_ a: Int, _ b: Int) -> Int {
        let n = kinds.count
        if n == 1 && kinds[0] == 1 {
            // One numeric key (the common sort): values, then missing last.
            let ma = missing[a] & 1
            let mb = missing[b] & 1
            if ma != mb { return ma == 1 ? 1 : -1 }
            if ma == 0 {
                let va = values[a]
                let vb = values[b]
                if va != vb { return (va < vb) != descending[0] ? -1 : 1 }
            }
            return compareTies(a, b)
        }
        for i in 0..<n {
            let ma = missing[a] >> UInt64(i) & 1
            let mb = missing[b] >> UInt64(i) & 1
            if ma != mb { return ma == 1 ? 1 : -1 }  // missing last, either direction
            if ma == 1 { continue }
            var c = 0
            let va = values[a &* n &+ i]
            let vb = values[b &* n &+ i]
            if kinds[i] == 2, segmentOf[a] != segmentOf[b] {
                // Ordinals of two segments: compare the values.
                let sa = Int(segmentOf[a])
                let sb = Int(segmentOf[b])
                if let ca = segments[sa].keyword[i], let cb = segments[sb].keyword[i] {
                    c = compareBytes(ca.value(Int((va - 1) / 2)), cb.value(Int((vb - 1) / 2)))
                }
            } else {
                c = va < vb ? -1 : (va > vb ? 1 : 0)
            }
            if descending[i] { c = -c }
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return compareTies(a, b)
    }

    /// Slots `a` and `b` equal on every key: by score (highest first), then by id.
    private mutating func compareTies(_ a: Int, _ b: Int) -> Int {
        if scores[a] != scores[b] { return scores[a] > scores[b] ? -1 : 1 }
        if segmentOf[a] == segmentOf[b] {
            let ia = idKeys[a]
            let ib = idKeys[b]
            if ia != ib { return ia < ib ? -1 : 1 }
            if a == cursorSlot || b == cursorSlot || docs[a] == docs[b] { return 0 }
            return docs[a] < docs[b] ? -1 : 1
        }
        // Two segments: compare the ids themselves, in place.
        let c = withID(a) { x in withID(b) { y in compareBytes(x, y) } }
        if c != 0 { return c < 0 ? -1 : 1 }
        if a == cursorSlot || b == cursorSlot { return 0 }
        return segmentOf[a] < segmentOf[b] ? -1 : 1
    }

    /// Calls `body` with slot `slot`'s id bytes (the cursor's: its id; empty when unreadable).
    private func withID<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if slot == cursorSlot, let after {
            var id = after.id
            return id.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        guard let order = segments[Int(segmentOf[slot])].idOrder else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return order.withID(docs[slot], body)
    }

    private mutating func siftUp(_ i: Int) {
        var i = i
        while i > 0 {
            let parent = (i - 1) / 2
            // The root is the worst: a child that comes after its parent moves up.
            if compare(heap[i], heap[parent]) > 0 {
                heap.swapAt(i, parent)
                i = parent
            } else {
                break
            }
        }
    }

    private mutating func siftDown(_ i: Int) {
        var i = i
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < heap.count && compare(heap[l], heap[m]) > 0 { m = l }
            if r < heap.count && compare(heap[r], heap[m]) > 0 { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }

    /// One kept document: where it is, its score and its sort values.
    struct Entry {
        var segment: Int
        var doc: Int32
        var score: Double
        var values: [FieldValue?]
    }

    /// The kept documents, first first.
    mutating func sorted() -> [Entry] {
        // Insertion sort: the heap holds k entries, k small (a page).
        var order = heap
        var i = 1
        while i < order.count {
            let slot = order[i]
            var j = i
            while j > 0 && compare(slot, order[j - 1]) < 0 {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = slot
            i += 1
        }
        let n = keys.count
        var entries: [Entry] = []
        entries.reserveCapacity(order.count)
        for slot in order {
            var sortValues: [FieldValue?] = []
            sortValues.reserveCapacity(n)
            for i in 0..<n {
                if missing[slot] >> UInt64(i) & 1 == 1 {
                    sortValues.append(nil)
                    continue
                }
                let v = values[slot &* n &+ i]
                switch keys[i].kind {
                case .score:
                    sortValues.append(.double(scores[slot]))
                case .numeric(let type):
                    switch type {
                    case .integer: sortValues.append(.integer(SortableNumber.integer(v)))
                    case .date: sortValues.append(.date(SortableNumber.integer(v)))
                    case .double: sortValues.append(.double(SortableNumber.double(v)))
                    case .boolean: sortValues.append(.boolean(v != 0))
                    case .keyword, .text: sortValues.append(nil)
                    }
                case .keyword:
                    let column = segments[Int(segmentOf[slot])].keyword[i]
                    sortValues.append(column.map { .keyword($0.string(Int((v - 1) / 2))) })
                }
            }
            entries.append(Entry(segment: Int(segmentOf[slot]), doc: docs[slot], score: scores[slot], values: sortValues))
        }
        return entries
    }
}
