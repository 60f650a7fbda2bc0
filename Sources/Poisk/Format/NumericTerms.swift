// Numeric terms: how integers, doubles and dates are indexed so that a range query reads a few
// term ranges of the field's dictionary instead of scanning values (Lucene's trie-encoded
// numeric fields, before points).
//
// For: the segment builder (each value's terms), range and equality queries (a range split into
// term intervals) and the checker. Not for: sorting or facets (the columnar store, ColumnStore).
//
// A value is first made a sortable u64 (`SortableNumber`: order of the numbers = order of the
// integers), then indexed at 8 precision levels, shift s = 0, 8, 16, …, 56:
//
//     term = u8 s │ (value >> s) big-endian, in its low (64 − s) / 8 bytes      (9 … 2 bytes)
//
// Terms sort by shift first, then by value: the terms of one level are a contiguous, ordered run
// of the dictionary. Level 0 holds the exact values; a term of level s stands for the 2^s values
// that share its prefix. A range [a, b] is covered by at most 255 × 2 terms per level (the
// partial blocks at both ends) plus one run in the level where the ends meet, and a query reads
// each level's part as one range of the dictionary: only terms that exist are visited.
//
// Levels a segment's values make redundant are left out (format 6): a level whose terms are
// about as many as the next finer kept level's stands for about the same sets (whole-day dates
// hold the same sets at shifts 0 to 24; two-decimal ratings at 0 to 40), so a range reads the
// finer level's terms instead. Level 0 is always kept; the kept shifts are in the segment's
// field statistics (`FieldStats.trieShifts`, absent: all eight), and a range is split per segment
// along them (`intervals(_:_:shifts:)`).

/// The trie terms of numeric fields.
enum NumericTerms {
    /// Bits per precision level.
    static let step = 8
    /// The levels, by shift.
    static let shifts = stride(from: 0, to: 64, by: step).map { $0 }

    /// The term of `value` (sortable) at `shift`, written into `buffer` (at least 9 bytes).
    /// - Returns: the term's length.
    @inline(__always)
    static func term(_ value: UInt64, shift: Int, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        let bytes = (64 - shift) / 8
        buffer[0] = UInt8(shift)
        let v = value >> UInt64(shift)
        for i in 0..<bytes { buffer[1 + i] = UInt8(truncatingIfNeeded: v >> UInt64(8 * (bytes - 1 - i))) }
        return 1 + bytes
    }

    /// The term of `value` (sortable) at `shift`.
    static func term(_ value: UInt64, shift: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 9)
        let n = out.withUnsafeMutableBufferPointer { term(value, shift: shift, into: $0.baseAddress!) }
        return Array(out[0..<n])
    }

    /// The value and shift of a term, or nil when it is not a well-formed numeric term.
    static func decode(_ term: UnsafeRawBufferPointer) -> (value: UInt64, shift: Int)? {
        guard let first = term.first, Int(first) % step == 0, Int(first) < 64 else { return nil }
        let shift = Int(first)
        let bytes = (64 - shift) / 8
        guard term.count == 1 + bytes else { return nil }
        var v: UInt64 = 0
        for i in 0..<bytes { v = v << 8 | UInt64(term[1 + i]) }
        return (v << UInt64(shift), shift)
    }

    /// The levels a segment keeps, given how many distinct terms each of the eight levels has
    /// (`counts[i]` for shift `8 × i`): level 0, and each coarser level whose terms are at most
    /// three quarters of the last kept level's (a level with about as many terms stands for about
    /// the same document sets, and a range reads the finer level's terms in its place at about
    /// the same cost).
    static func keptShifts(counts: [Int]) -> [Int] {
        var kept = [0]
        var last = counts.first ?? 0
        for (i, count) in counts.enumerated().dropFirst() where count > 0 && count * 4 <= last * 3 {
            kept.append(shifts[i])
            last = count
        }
        return kept
    }

    /// The inclusive term intervals, each within one level, that together hold exactly the
    /// values in `lower ... upper` (sortable; empty when `lower > upper`), using only the levels
    /// of `shifts` (ascending, starting at 0; each level's block then spans the bits up to the
    /// next kept level). Lucene's `NumericUtils.splitRange`, with unsigned arithmetic and
    /// uneven steps.
    /// - Complexity: O(levels).
    static func intervals(_ lower: UInt64, _ upper: UInt64, shifts kept: [Int] = shifts) -> [(lower: [UInt8], upper: [UInt8])] {
        guard lower <= upper else { return [] }
        let levels = kept.first == 0 ? kept : [0] + kept
        var result: [(lower: [UInt8], upper: [UInt8])] = []
        var minBound = lower
        var maxBound = upper
        for (i, shift) in levels.enumerated() {
            // The bits of this level: up to the next kept level; bits below it are 0 in both
            // bounds (the upper bound's stand for all ones).
            let next = i + 1 < levels.count ? levels[i + 1] : 64
            let width = next - shift
            let levelMask: UInt64 = (width >= 64 ? .max : (1 << UInt64(width)) - 1) << UInt64(shift)
            let last = next >= 64
            let diff: UInt64 = last ? 0 : 1 << UInt64(next)
            let hasLower = minBound & levelMask != 0
            let hasUpper = maxBound & levelMask != levelMask
            let nextMin = (hasLower ? minBound &+ diff : minBound) & ~levelMask
            let nextMax = (hasUpper ? maxBound &- diff : maxBound) & ~levelMask
            let lowerWrapped = nextMin < minBound
            let upperWrapped = nextMax > maxBound
            if last || nextMin > nextMax || lowerWrapped || upperWrapped {
                result.append((term(minBound, shift: shift), term(maxBound, shift: shift)))
                break
            }
            if hasLower { result.append((term(minBound, shift: shift), term(minBound | levelMask, shift: shift))) }
            if hasUpper { result.append((term(maxBound & ~levelMask, shift: shift), term(maxBound, shift: shift))) }
            minBound = nextMin
            maxBound = nextMax
        }
        return result
    }
}

/// The terms a typed field's value is indexed as: the one place that decides them, for the
/// segment builder and for queries.
///
/// - keyword: each value's UTF-8 bytes, as they are;
/// - boolean: `false` or `true`;
/// - integer, double, date: the value's ``NumericTerms`` at every level (level 0 is the value).
enum TypedTerms {
    static let falseTerm: [UInt8] = Array("false".utf8)
    static let trueTerm: [UInt8] = Array("true".utf8)

    /// Calls `body` with each term of a canonical value (as ``FieldValue/converted(to:)``
    /// returns it) of a field of `type`.
    static func forEachTerm(of value: FieldValue, _ body: (UnsafeRawBufferPointer) -> Void) {
        switch value {
        case .keywords(let list):
            for var s in list { s.withUTF8 { body(UnsafeRawBufferPointer($0)) } }
        case .keyword(var s):
            s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        case .boolean(let b):
            (b ? trueTerm : falseTerm).withUnsafeBytes(body)
        case .integer, .double, .date:
            guard let bits = value.sortableBits else { return }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 9) { buffer in
                guard let base = buffer.baseAddress else { return }
                for shift in NumericTerms.shifts {
                    let n = NumericTerms.term(bits, shift: shift, into: base)
                    body(UnsafeRawBufferPointer(start: base, count: n))
                }
            }
        }
    }
}
