// The top-k collector: the k best documents by score, ties broken by index order (earlier
// segment, then lower document first), and how many matched.
//
// For: every search. Not for: counting alone (CountCollector) or choosing documents (executors).

/// Keeps the k best (score, segment, doc), ties broken by index order.
struct TopScoreCollector: Collector {
    struct Entry {
        var score: Double
        var segment: Int
        var doc: Int32

        /// True when `self` ranks below `other`.
        @inline(__always)
        func ranksBelow(_ other: Entry) -> Bool {
            if score != other.score { return score < other.score }
            if segment != other.segment { return segment > other.segment }
            return doc > other.doc
        }
    }

    static var needsScores: Bool { true }

    let k: Int
    /// The documents collected (every match, unless Block-Max WAND skipped some).
    private(set) var total = 0
    /// The segment whose documents arrive now.
    private var segment = 0
    private var heap: [Entry] = []  // min-heap by rank: heap[0] is the worst kept

    /// The score a document must beat to enter the top k (−∞ until k are collected).
    var threshold: Double { heap.count < k ? -Double.infinity : heap[0].score }

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(min(k, 1024))
    }

    mutating func beginSegment(_ index: Int) { segment = index }

    mutating func collect(_ doc: Int32, score: Double) {
        total += 1
        guard k > 0 else { return }
        let entry = Entry(score: score, segment: segment, doc: doc)
        if heap.count < k {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if heap[0].ranksBelow(entry) {
            heap[0] = entry
            siftDown(0)
        }
    }

    private mutating func siftUp(_ i: Int) {
        var i = i
        while i > 0 {
            let parent = (i - 1) / 2
            if heap[i].ranksBelow(heap[parent]) {
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
            if l < heap.count && heap[l].ranksBelow(heap[m]) { m = l }
            if r < heap.count && heap[r].ranksBelow(heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }

    /// The kept entries, best first.
    func sorted() -> [Entry] { heap.sorted { $1.ranksBelow($0) } }
}
