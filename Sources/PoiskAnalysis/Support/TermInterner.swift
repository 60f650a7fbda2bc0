// A byte-keyed open-addressing hash map from byte strings to dense ids (0, 1, 2, …).
//
// For: interning terms on hot paths (indexing, stop words, stem caches) without creating a
// `String` or an `Array` per lookup. All keys live in one growing byte arena.
// Not for: deletion (ids are dense and permanent) or ordered iteration (sort the keys yourself).

/// Interns byte strings: each distinct key gets the next dense id.
package struct TermInterner: Sendable {
    /// All keys back to back.
    @usableFromInline var arena: [UInt8] = []
    /// Start offset of key `id` in `arena`; `offsets[id + 1]` is its end.
    @usableFromInline var offsets: [UInt32] = [0]
    /// Open-addressing slots: `id + 1`, or 0 when empty.
    @usableFromInline var slots: [UInt32]
    /// Hash of each key, to skip byte comparisons and to rehash without rereading keys.
    @usableFromInline var hashes: [UInt32] = []
    @usableFromInline var mask: Int

    /// Creates an empty table sized for about `capacity` keys.
    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// The number of distinct keys.
    @inlinable package var count: Int { offsets.count - 1 }

    /// The bytes of the key with this id.
    @inlinable package func key(_ id: Int) -> ArraySlice<UInt8> {
        arena[Int(offsets[id])..<Int(offsets[id + 1])]
    }

    /// Calls `body` with the bytes of the key with this id.
    @inlinable package func withKey<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = Int(offsets[id])
        let end = Int(offsets[id + 1])
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The ids ordered by their keys' bytes (memcmp order).
    /// - Complexity: O(n log n) comparisons, most settled by an 8-byte big-endian prefix.
    package func sortedIDs() -> [Int] {
        arena.withUnsafeBytes { raw -> [Int] in
            // (8-byte big-endian prefix, id): integer comparisons for all but shared prefixes.
            var keyed: [(prefix: UInt64, id: Int)] = []
            keyed.reserveCapacity(count)
            for id in 0..<count {
                let start = Int(offsets[id])
                let end = Int(offsets[id + 1])
                var prefix: UInt64 = 0
                for i in 0..<8 {
                    prefix <<= 8
                    if start + i < end { prefix |= UInt64(raw[start + i]) }
                }
                keyed.append((prefix, id))
            }
            keyed.sort { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let sa = Int(offsets[a.id]), ea = Int(offsets[a.id + 1])
                let sb = Int(offsets[b.id]), eb = Int(offsets[b.id + 1])
                let n = min(ea - sa, eb - sb)
                if n > 0, let base = raw.baseAddress {
                    let c = memcmp(base + sa, base + sb, n)
                    if c != 0 { return c < 0 }
                }
                return ea - sa < eb - sb
            }
            return keyed.map(\.id)
        }
    }

    /// A fast byte hash: eight bytes at a time (multiply–rotate), then a final avalanche mix.
    @inlinable @inline(__always)
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        guard n > 0, let base = bytes.baseAddress else { return UInt32(truncatingIfNeeded: h) }
        var i = 0
        while i &+ 8 <= n {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ (w &* 0x87C3_7B91_1142_53D5))
            h = (h << 31 | h >> 33) &* 0x4CF5_AD43_2745_937F
            i &+= 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ (w &* 0x87C3_7B91_1142_53D5))
            h = (h << 31 | h >> 33) &* 0x4CF5_AD43_2745_937F
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return UInt32(truncatingIfNeeded: h)
    }

    /// The id of `key`, or nil when it was never interned.
    /// - Complexity: O(key length) expected.
    @inlinable
    package func lookup(_ key: UnsafeRawBufferPointer) -> Int? {
        let h = TermInterner.hash(key)
        var slot = Int(h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, key) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `key`, interning it first when new.
    /// - Returns: the id and whether the key was new.
    /// - Complexity: O(key length) expected, amortized.
    @inlinable
    package mutating func intern(_ key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) {
        let h = TermInterner.hash(key)
        var slot = Int(h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, key) { return (id, false) }
            slot = (slot + 1) & mask
        }
        let id = count
        arena.append(contentsOf: key)
        offsets.append(UInt32(truncatingIfNeeded: arena.count))
        hashes.append(h)
        slots[slot] = UInt32(truncatingIfNeeded: id + 1)
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

    @inlinable
    func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = Int(offsets[id])
        let end = Int(offsets[id + 1])
        if end - start != key.count { return false }
        return arena.withUnsafeBytes { stored in
            guard key.count > 0, let a = stored.baseAddress, let b = key.baseAddress else { return true }
            let n = key.count
            if n > 32 { return memcmp(a + start, b, n) == 0 }
            // Short keys (almost all terms): compare inline, eight bytes at a time, instead of a
            // call into libc.
            var i = 0
            while i + 8 <= n {
                if a.loadUnaligned(fromByteOffset: start + i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i += 8
            }
            while i < n {
                if a.load(fromByteOffset: start + i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
                i += 1
            }
            return true
        }
    }

    @usableFromInline
    mutating func grow() {
        let size = slots.count * 2
        var newSlots = [UInt32](repeating: 0, count: size)
        let newMask = size - 1
        for id in 0..<count {
            var slot = Int(hashes[id]) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = UInt32(truncatingIfNeeded: id + 1)
        }
        slots = newSlots
        mask = newMask
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
