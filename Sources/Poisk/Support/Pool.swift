// Pools of reusable scratch memory: one type and one policy for every pool of the engine.
//
// For: memory a hot path would otherwise allocate, clear and free again and again: a postings
// cursor's state and decoded block (one per term and field of a query), a phrase scorer's position
// buffers and bitmaps, a query's analysis scratch, the window executors' score arrays. Allocating
// them cost more than the work they serve on short queries (malloc's slow path, fresh pages,
// clearing), and pooled ones come back warm in the cache.
//
// The policy:
// - An element belongs to exactly one user from `take()` to `give(_:)`; nothing else touches it.
// - The giver returns it in the state its type documents (bitmaps and score arrays zeroed).
// - A pool keeps at most `capacity` elements (about one per thread searching at once); an element
//   the pool's `admit` test refuses (grown too large to keep) or has no room for is dropped.
// - A dropped element frees its memory: by its own `deinit` (a class, or a value whose storage is
//   one), or, for raw memory, by the pool's `discard` function, which the pool also applies to
//   the elements it still holds when it goes away.
// - Global pools (static) live for the process; a reader's pool lives with the reader.
// Not for: memory shared by two users at once, or kept by its owner across calls.

/// A bounded pool of reusable elements, safe to use from any thread.
final class Pool<Element>: @unchecked Sendable {
    // Elements move between threads only through `items`, under its lock, and each has one user
    // at a time (the policy above): that is what makes the pool Sendable for any element type.
    private let items: Protected<[Element]>
    private let admit: @Sendable (Element) -> Bool
    private let discard: @Sendable (Element) -> Void
    /// The most elements kept.
    let capacity: Int

    /// Creates an empty pool.
    /// - Parameters:
    ///   - capacity: the most elements kept.
    ///   - admit: whether a returned element may be kept (false: it is dropped).
    ///   - discard: frees an element that is dropped (for raw memory; objects free themselves).
    init(
        capacity: Int, admit: @escaping @Sendable (Element) -> Bool = { _ in true },
        discard: @escaping @Sendable (Element) -> Void = { _ in }
    ) {
        self.capacity = capacity
        self.admit = admit
        self.discard = discard
        items = Protected([])
    }

    deinit {
        for element in items.current { discard(element) }
    }

    /// A pooled element, or nil when the pool is empty (the caller makes one).
    /// - Complexity: O(1), one lock.
    @inline(__always)
    func take() -> Element? { items.withLock { $0.popLast() } }

    /// Returns an element taken from this pool or made for it. It is kept when `admit` accepts
    /// it and the pool has room, otherwise dropped.
    /// - Complexity: O(1), one lock.
    @inline(__always)
    func give(_ element: Element) {
        let kept =
            admit(element)
            && items.withLock { items -> Bool in
                guard items.count < capacity else { return false }
                if items.capacity == 0 { items.reserveCapacity(capacity) }
                items.append(element)
                return true
            }
        if !kept { discard(element) }
    }

    /// The elements kept now (for tests).
    var pooled: [Element] { items.current }
}
