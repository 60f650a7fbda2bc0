// A byte-keyed open-addressing hash map from byte strings to dense ids (0, 1, 2, …).
//
// For: interning terms on hot paths (indexing, stop words, highlighting) without creating a
// `String` or an `Array` per lookup. All keys live in one growing byte arena.
// Not for: deletion (ids are dense and permanent) or ordered iteration (sort the keys yourself).

/// Interns byte strings: each distinct key gets the next dense id.
///
/// Each slot holds the key's first eight bytes and a tag (24 hash bits and the length), so a
/// lookup of a key of at most eight bytes (most terms) touches one cache line of the table and
/// nothing else; longer keys compare their remaining bytes in the arena.
package struct TermInterner: Sendable {
    /// One open-addressing slot (16 bytes).
    @usableFromInline struct Slot: Sendable {
        /// The key's first eight bytes, little-endian, zero-padded.
        @usableFromInline var prefix: UInt64
        /// High 24 bits of the hash, low 8 bits `min(length, 255)`.
        @usableFromInline var tag: UInt32
        /// `id + 1`, or 0 when the slot is empty.
        @usableFromInline var idPlusOne: UInt32

        @usableFromInline init(prefix: UInt64, tag: UInt32, idPlusOne: UInt32) {
            self.prefix = prefix
            self.tag = tag
            self.idPlusOne = idPlusOne
        }
    }

    /// All keys back to back.
    @usableFromInline var arena: [UInt8] = []
    /// Start offset of key `id` in `arena`; `offsets[id + 1]` is its end.
    @usableFromInline var offsets: [UInt32] = [0]
    @usableFromInline var slots: [Slot]
    /// Full hash of each key, read only to rehash when the table grows.
    @usableFromInline var hashes: [UInt32] = []
    @usableFromInline var mask: Int

    /// Creates an empty table sized for about `capacity` keys.
    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(prefix: 0, tag: 0, idPlusOne: 0), count: size)
        mask = size - 1
    }

    /// The number of distinct keys.
    @inlinable package var count: Int { offsets.count - 1 }

    /// The bytes of the key with this id.
    @inlinable package func key(_ id: Int) -> ArraySlice<UInt8> {
        arena[Int(offsets[id])..<Int(offsets[id + 1])]
    }

    /// Calls `body` with the bytes of the key with this id.
    @inlinable package func withKey<R>(
        _ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    )
        rethrows -> R
    {
        let start = Int(offsets[id])
        let end = Int(offsets[id + 1])
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The ids ordered by their keys' bytes (memcmp order).
    /// - Complexity: O(n) for the 8-byte big-endian prefixes (a least-significant-digit radix
    ///   sort, one pass per byte position whose values differ), then O(k log k) comparisons
    ///   within each run of k keys sharing a prefix.
    package func sortedIDs() -> [Int] {
        let n = count
        guard n > 1 else { return Array(0..<n) }
        return arena.withUnsafeBytes { raw -> [Int] in
            offsets.withUnsafeBufferPointer { offsets -> [Int] in
                // (8-byte big-endian prefix, id) pairs, in two buffers the passes alternate between.
                let a = UnsafeMutableBufferPointer<PrefixedID>.allocate(capacity: n)
                let b = UnsafeMutableBufferPointer<PrefixedID>.allocate(capacity: n)
                defer {
                    a.deallocate()
                    b.deallocate()
                }
                // One histogram of 256 counts per byte of the prefix, all filled in one pass.
                let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8 * 256)
                defer { counts.deallocate() }
                counts.initialize(repeating: 0)
                for id in 0..<n {
                    let start = Int(offsets[id])
                    let end = Int(offsets[id + 1])
                    var prefix: UInt64 = 0
                    if let base = raw.baseAddress {
                        let little = TermInterner.prefixWord(base + start, min(8, end - start))
                        prefix = little.byteSwapped
                    }
                    a[id] = PrefixedID(prefix: prefix, id: id)
                    var p = prefix
                    for digit in 0..<8 {
                        counts[digit &<< 8 | Int(p & 0xFF)] &+= 1
                        p &>>= 8
                    }
                }
                var source = a
                var target = b
                for digit in 0..<8 {
                    let histogram = UnsafeMutableBufferPointer(rebasing: counts[(digit &<< 8)..<((digit &+ 1) &<< 8)])
                    // A byte position where every prefix has the same value orders nothing.
                    var distinct = 0
                    for v in 0..<256 where histogram[v] != 0 { distinct &+= 1 }
                    if distinct < 2 { continue }
                    var sum = 0
                    for v in 0..<256 {
                        let c = histogram[v]
                        histogram[v] = sum
                        sum &+= c
                    }
                    let shift = UInt64(digit &* 8)
                    for e in source {
                        let v = Int((e.prefix &>> shift) & 0xFF)
                        target[histogram[v]] = e
                        histogram[v] &+= 1
                    }
                    swap(&source, &target)
                }
                // Keys sharing all eight prefix bytes (long words, or a NUL byte against the
                // zero padding) are ordered by the rest of their bytes, then by length.
                var i = 0
                while i < n {
                    var j = i &+ 1
                    while j < n && source[j].prefix == source[i].prefix { j &+= 1 }
                    if j &- i > 1 {
                        var run = Array(source[i..<j])
                        run.sort { x, y in
                            let sa = Int(offsets[x.id])
                            let ea = Int(offsets[x.id + 1])
                            let sb = Int(offsets[y.id])
                            let eb = Int(offsets[y.id + 1])
                            let m = min(ea - sa, eb - sb)
                            if m > 0, let base = raw.baseAddress {
                                let c = RawMemory.compare(base + sa, base + sb, count: m)
                                if c != 0 { return c < 0 }
                            }
                            return ea - sa < eb - sb
                        }
                        for (k, e) in run.enumerated() { source[i &+ k] = e }
                    }
                    i = j
                }
                return source.map(\.id)
            }
        }
    }

    /// A key's sort prefix and id (see ``sortedIDs()``).
    private struct PrefixedID {
        var prefix: UInt64
        var id: Int
    }

    /// The first eight bytes of `bytes` as a little-endian word, zero-padded.
    @inlinable @inline(__always)
    package static func prefixWord(_ base: UnsafeRawPointer, _ n: Int) -> UInt64 {
        if n >= 8 { return UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)) }
        var w: UInt64 = 0
        if n >= 4 {
            // Two overlapping 4-byte loads cover 4...7 bytes without a byte loop.
            let lo = UInt64(UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
            let hi = UInt64(
                UInt32(littleEndian: base.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)))
            w = lo | hi &<< (UInt64(n &- 4) &* 8)
            return w
        }
        var i = 0
        while i < n {
            w |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &<< (UInt64(i) &* 8)
            i &+= 1
        }
        return w
    }

    /// Mixes one 64-bit word into the running hash.
    @inlinable @inline(__always)
    static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let x = h ^ (w &* 0x87C3_7B91_1142_53D5)
        return (x << 31 | x >> 33) &* 0x4CF5_AD43_2745_937F
    }

    /// The hash and the 8-byte prefix word of a key, in one pass.
    @inlinable @inline(__always)
    static func hashAndPrefix(_ bytes: UnsafeRawBufferPointer) -> (hash: UInt32, prefix: UInt64) {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        guard n > 0, let base = bytes.baseAddress else { return (UInt32(truncatingIfNeeded: h), 0) }
        let prefix = prefixWord(base, n)
        h = mix(h, prefix)
        var i = 8
        while i &+ 8 <= n {
            h = mix(h, base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i &+= 8
        }
        if i < n {
            // The last 1...7 bytes: one load ending at the key's end (overlapping is fine for a hash).
            h = mix(
                h,
                base.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
                    ^ UInt64(truncatingIfNeeded: n &- i))
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return (UInt32(truncatingIfNeeded: h), prefix)
    }

    /// A fast byte hash (eight bytes at a time, multiply–rotate, final avalanche).
    @inlinable @inline(__always)
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 { hashAndPrefix(bytes).hash }

    @inlinable @inline(__always)
    static func tag(_ hash: UInt32, _ count: Int) -> UInt32 {
        (hash & 0xFFFF_FF00) | UInt32(truncatingIfNeeded: min(count, 255))
    }

    /// Whether the slot holding `id` (tag and prefix already equal) holds `key`.
    @inlinable @inline(__always)
    func tailEquals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let n = key.count
        if n <= 8 { return true }  // length and all bytes are in the tag and prefix
        let start = Int(offsets[id])
        if Int(offsets[id + 1]) - start != n { return false }
        return arena.withUnsafeBytes { stored in
            guard let a = stored.baseAddress, let b = key.baseAddress else { return false }
            return RawMemory.compare(a + start + 8, b + 8, count: n - 8) == 0
        }
    }

    /// The id of `key`, or nil when it was never interned.
    /// - Complexity: O(key length) expected.
    @inlinable
    package func lookup(_ key: UnsafeRawBufferPointer) -> Int? {
        let (h, prefix) = TermInterner.hashAndPrefix(key)
        let tag = TermInterner.tag(h, key.count)
        return slots.withUnsafeBufferPointer { table -> Int? in
            var slot = Int(h) & mask
            while true {
                let entry = table[slot]
                if entry.idPlusOne == 0 { return nil }
                if entry.tag == tag && entry.prefix == prefix {
                    let id = Int(entry.idPlusOne &- 1)
                    if tailEquals(id, key) { return id }
                }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// The id of `key`, interning it first when new.
    /// - Returns: the id and whether the key was new.
    /// - Complexity: O(key length) expected, amortized.
    @inlinable
    package mutating func intern(_ key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) {
        let (h, prefix) = TermInterner.hashAndPrefix(key)
        let tag = TermInterner.tag(h, key.count)
        let mask = self.mask
        let found: (slot: Int, id: Int) = slots.withUnsafeBufferPointer { table in
            var slot = Int(h) & mask
            while true {
                let entry = table[slot]
                if entry.idPlusOne == 0 { return (slot, -1) }
                if entry.tag == tag && entry.prefix == prefix {
                    let id = Int(entry.idPlusOne &- 1)
                    if tailEquals(id, key) { return (slot, id) }
                }
                slot = (slot &+ 1) & mask
            }
        }
        if found.id >= 0 { return (found.id, false) }
        let id = count
        arena.append(contentsOf: key)
        offsets.append(UInt32(truncatingIfNeeded: arena.count))
        hashes.append(h)
        slots[found.slot] = Slot(
            prefix: prefix, tag: tag, idPlusOne: UInt32(truncatingIfNeeded: id + 1))
        if count * 2 > slots.count { grow() }
        return (id, true)
    }

    /// Interns a string's UTF-8 bytes.
    package mutating func intern(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { intern(UnsafeRawBufferPointer($0)).id }
    }

    /// The id of a string key, or nil.
    package func lookup(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { lookup(UnsafeRawBufferPointer($0)) }
    }

    @usableFromInline
    mutating func grow() {
        let size = slots.count * 2
        var newSlots = [Slot](repeating: Slot(prefix: 0, tag: 0, idPlusOne: 0), count: size)
        let newMask = size - 1
        for entry in slots where entry.idPlusOne != 0 {
            var slot = Int(hashes[Int(entry.idPlusOne - 1)]) & newMask
            while newSlots[slot].idPlusOne != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = entry
        }
        slots = newSlots
        mask = newMask
    }
}
