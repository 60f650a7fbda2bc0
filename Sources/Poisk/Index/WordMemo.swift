// The indexing memo: a word's original bytes → the term id its analysis produced, per field.
//
// For: the builder's per-token hot path, where most tokens are words seen before. A hit must
// cost as little as possible, so a slot (32 bytes, half a cache line) holds the word's first 16
// bytes, its length, hash and term id: a word of up to 16 bytes is found by touching one cache
// line and nothing else; longer words (up to `maxKeyBytes`) compare their remaining bytes in an
// arena. Not for: general interning (TermInterner) or deletion.

/// A byte-keyed open-addressing map from words (1…`maxKeyBytes` bytes) to term ids. The memo
/// owns its memory and frees it in `deinit`; its table lives behind a pointer, so the per-token
/// lookups pay no exclusivity check.
final class WordMemo {
    /// Longest word remembered.
    static let maxKeyBytes = Table.maxKeyBytes
    /// Most words remembered (see ``Table/maxCount``).
    static let maxCount = Table.maxCount

    /// The table. A hot loop may read it through this pointer while it holds the memo.
    let table: UnsafeMutablePointer<Table>

    /// Creates an empty memo with room for about `capacity` words before it grows.
    init(capacity: Int = 4096) {
        table = .allocate(capacity: 1)
        table.initialize(to: Table(capacity: capacity))
    }

    deinit {
        table.pointee.free()
        table.deinitialize(count: 1)
        table.deallocate()
    }

    /// The term id remembered for `key`, or nil.
    @inline(__always)
    func find(_ key: UnsafeRawBufferPointer) -> Int? { table.pointee.find(key) }

    /// Remembers `key` → `termID` (no-op for keys out of range, when full, or already present).
    @inline(__always)
    func insert(_ key: UnsafeRawBufferPointer, termID: Int) { table.pointee.insert(key, termID: termID) }

    /// Words remembered.
    var count: Int { table.pointee.count }

    /// Bytes held by the table and the arena.
    var allocatedBytes: Int { table.pointee.allocatedBytes }
}

extension WordMemo {
    /// The memo's table and arena. Only ever held behind its memo's pointer (never copied); the memo
    /// frees its memory.
    struct Table {
        /// Longest word remembered.
        static let maxKeyBytes = 32
        /// Most words remembered (a cache: later new words are analyzed every time). Bounds the
        /// memo at 32 MiB of table for text whose every token is new (hashes, identifiers), where it
        /// would otherwise grow with the text; natural language needs far fewer (kernel-docs-en has
        /// 153,000 distinct words).
        static let maxCount = 1 << 19

        struct Slot {
            /// The key's first 16 bytes, little-endian, zero-padded.
            var p0: UInt64
            var p1: UInt64
            var hash: UInt32
            /// Key length; 0 marks an empty slot.
            var length: UInt32
            var termID: UInt32
            /// Offset of the key's bytes in the arena (keys longer than 16 bytes).
            var arenaOffset: UInt32
        }

        private(set) var slots: UnsafeMutablePointer<Slot>
        private(set) var capacity: Int
        private(set) var count = 0
        private var arena: UnsafeMutablePointer<UInt8>
        private var arenaCapacity: Int
        private var arenaCount = 0

        init(capacity requested: Int = 4096) {
            var size = 16
            while size < requested * 2 { size <<= 1 }
            capacity = size
            slots = .allocate(capacity: size)
            slots.initialize(repeating: Slot(p0: 0, p1: 0, hash: 0, length: 0, termID: 0, arenaOffset: 0), count: size)
            arenaCapacity = 4096
            arena = .allocate(capacity: arenaCapacity)
        }

        /// Frees the memory (called once, by the memo's deinit).
        func free() {
            slots.deallocate()
            arena.deallocate()
        }

        /// Bytes held by the table and the arena.
        var allocatedBytes: Int { capacity * MemoryLayout<Slot>.stride + arenaCapacity }

        @inline(__always)
        static func load(_ base: UnsafeRawPointer, _ n: Int) -> (UInt64, UInt64) {
            if n >= 16 {
                return (
                    UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)),
                    UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                )
            }
            if n >= 8 {
                let lo = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
                if n == 8 { return (lo, 0) }
                // The last n − 8 bytes, from an overlapping load ending at the key's end.
                let tail = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
                return (lo, tail &>> (UInt64(16 &- n) &* 8))
            }
            return (TermInterner.prefixWord(base, n), 0)
        }

        @inline(__always)
        static func hash(_ p0: UInt64, _ p1: UInt64, _ n: Int) -> UInt32 {
            var h = (p0 ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
            h ^= (p1 &+ UInt64(truncatingIfNeeded: n)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
            h = h &* 0xD6E8_FEB8_6659_FD93
            h ^= h >> 32
            return UInt32(truncatingIfNeeded: h)
        }

        /// The hash of a key longer than 16 bytes mixes its remaining bytes too.
        @inline(__always)
        static func keyHash(_ key: UnsafeRawBufferPointer, _ p0: UInt64, _ p1: UInt64) -> UInt32 {
            let n = key.count
            guard n > 16, let base = key.baseAddress else { return hash(p0, p1, n) }
            let (q0, q1) = load(base + 16, n - 16)
            return hash(p0 ^ (q0 &* 0x9FB2_1C65_1E98_DF25), p1 ^ q1, n)
        }

        /// The term id remembered for `key`, or nil.
        @inline(__always)
        func find(_ key: UnsafeRawBufferPointer) -> Int? {
            let n = key.count
            guard n > 0, n <= Table.maxKeyBytes, let base = key.baseAddress else { return nil }
            let (p0, p1) = Table.load(base, n)
            let h = Table.keyHash(key, p0, p1)
            var i = Int(h) & (capacity &- 1)
            while true {
                let slot = slots[i]
                if slot.length == 0 { return nil }
                if slot.hash == h && slot.p0 == p0 && slot.p1 == p1 && Int(slot.length) == n {
                    if n <= 16 || RawMemory.compare(arena + Int(slot.arenaOffset) + 16, base + 16, count: n - 16) == 0 {
                        return Int(slot.termID)
                    }
                }
                i = (i &+ 1) & (capacity &- 1)
            }
        }

        /// Remembers `key` → `termID` (a key already present keeps its id). Keys longer than
        /// `maxKeyBytes`, and new keys once `maxCount` are remembered, are ignored.
        mutating func insert(_ key: UnsafeRawBufferPointer, termID: Int) {
            let n = key.count
            guard n > 0, n <= Table.maxKeyBytes, count < Table.maxCount, let base = key.baseAddress else { return }
            let (p0, p1) = Table.load(base, n)
            let h = Table.keyHash(key, p0, p1)
            var i = Int(h) & (capacity &- 1)
            while slots[i].length != 0 {
                let slot = slots[i]
                if slot.hash == h && slot.p0 == p0 && slot.p1 == p1 && Int(slot.length) == n {
                    if n <= 16 || RawMemory.compare(arena + Int(slot.arenaOffset) + 16, base + 16, count: n - 16) == 0 { return }
                }
                i = (i &+ 1) & (capacity &- 1)
            }
            var offset: UInt32 = 0
            if n > 16 {
                if arenaCount + n > arenaCapacity {
                    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(arenaCapacity * 2, arenaCount + n))
                    grown.update(from: arena, count: arenaCount)
                    arena.deallocate()
                    arena = grown
                    arenaCapacity = max(arenaCapacity * 2, arenaCount + n)
                }
                offset = UInt32(arenaCount)
                UnsafeMutableRawPointer(arena + arenaCount).copyMemory(from: base, byteCount: n)
                arenaCount += n
            }
            slots[i] = Slot(
                p0: p0, p1: p1, hash: h, length: UInt32(n), termID: UInt32(truncatingIfNeeded: termID),
                arenaOffset: offset)
            count += 1
            if count * 2 > capacity { grow() }
        }

        private mutating func grow() {
            let size = capacity * 2
            let grown = UnsafeMutablePointer<Slot>.allocate(capacity: size)
            grown.initialize(repeating: Slot(p0: 0, p1: 0, hash: 0, length: 0, termID: 0, arenaOffset: 0), count: size)
            for i in 0..<capacity where slots[i].length != 0 {
                var j = Int(slots[i].hash) & (size - 1)
                while grown[j].length != 0 { j = (j + 1) & (size - 1) }
                grown[j] = slots[i]
            }
            slots.deallocate()
            slots = grown
            capacity = size
        }
    }
}
