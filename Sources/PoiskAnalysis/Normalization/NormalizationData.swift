// The normalizer's data: the generated tables (`NormalizationTables.swift`) decoded once into
// immutable memory, and the bit layout of their per-scalar property words.
//
// For: TokenNormalizer and NormalizerClusterBuilder. Not for: editing the tables (regenerate them
// with `Scripts/gen-normalization-tables.py`).

/// Bit layout of the generated per-scalar property words.
enum NormalizerProps {
    static var cccMask: UInt32 { 0xFF }
    static var classShift: UInt32 { 8 }
    static var classMask: UInt32 { 0x7 }
    static var cyrillicVowel: UInt32 { 1 << 11 }
    static var compositionFirst: UInt32 { 1 << 12 }
    static var compositionSecond: UInt32 { 1 << 13 }
    static var hasFold: UInt32 { 1 << 14 }
    static var hasDiacriticFold: UInt32 { 1 << 15 }
    /// Class values (bits 8–10).
    static var classOther: UInt32 { 0 }
    static var classLatin: UInt32 { 1 }
    static var classCyrillic: UInt32 { 2 }
    static var classOtherLetter: UInt32 { 3 }
    static var classDigit: UInt32 { 4 }
    static var classMark: UInt32 { 5 }
    /// The class field of a property word.
    @inline(__always) static func cls(_ p: UInt32) -> UInt32 { (p >> classShift) & classMask }
    /// `true` for combining marks (general category M*; every scalar with ccc > 0 is one).
    @inline(__always) static func isMark(_ p: UInt32) -> Bool { (p >> classShift) & classMask == classMark }
}

/// The generated tables, decoded once from `NormalizationTables.blobBase64` into immutable memory
/// that lives for the whole process.
///
/// It is `@unchecked Sendable` because it only holds pointers to memory that is written once during
/// initialization and never mutated or freed afterwards.
final class NormalizationData: @unchecked Sendable {
    /// The process-wide instance.
    static let shared = NormalizationData()

    let stage0: UnsafeBufferPointer<UInt16>
    let stage1: UnsafeBufferPointer<UInt16>
    let stage2: UnsafeBufferPointer<UInt32>
    /// Composition keys (first << 21 | second), sorted, and the composites at the same index.
    let compositionKeys: UnsafeBufferPointer<UInt64>
    let compositionValues: UnsafeBufferPointer<UInt32>
    /// Fold data (length byte + UTF-8), zero-padded by 260 bytes so no length can read past the end.
    let fold: UnsafePointer<UInt8>
    let lowBits = UInt32(NormalizationTables.lowBits)
    let midBits = UInt32(NormalizationTables.midBits)
    let lowMask = UInt32((1 << NormalizationTables.lowBits) - 1)
    let midMask = UInt32((1 << NormalizationTables.midBits) - 1)
    /// Properties used for Variation Selectors Supplement (U+E0100…U+E01EF): a combining mark.
    let variationSelectorProps = NormalizerProps.classMark << NormalizerProps.classShift

    private init() {
        // Runs once per process, when the first analyzer is made (for a two-thread flush, while
        // the other worker waits): the blob is decoded in one pass into raw memory, and each
        // table is then read out of it with whole-word loads.
        let blob = NormalizationData.decodeBase64(NormalizationTables.blobBase64)
        defer { blob.deallocate() }
        var offset = 0
        func take<T>(_ type: T.Type, _ count: Int) -> UnsafeBufferPointer<T> where T: FixedWidthInteger {
            let buf = UnsafeMutableBufferPointer<T>.allocate(capacity: max(count, 1))
            buf.initialize(repeating: 0)
            let size = MemoryLayout<T>.size
            // A blob shorter than the tables say (it never is) leaves the rest zero.
            let available = min(count, max(0, blob.count - offset) / size)
            for k in 0..<available {
                buf[k] = T(littleEndian: blob.loadUnaligned(fromByteOffset: offset &+ k &* size, as: T.self))
            }
            offset += count * size
            return UnsafeBufferPointer(buf)
        }
        stage0 = take(UInt16.self, NormalizationTables.stage0Count)
        stage1 = take(UInt16.self, NormalizationTables.stage1Count)
        stage2 = take(UInt32.self, NormalizationTables.stage2Count)
        let triples = take(UInt32.self, NormalizationTables.compositionCount * 3)
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(NormalizationTables.compositionCount, 1))
        let values = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(NormalizationTables.compositionCount, 1))
        keys.initialize(repeating: 0)
        values.initialize(repeating: 0)
        for k in 0..<NormalizationTables.compositionCount {
            keys[k] = UInt64(triples[3 * k]) << 21 | UInt64(triples[3 * k + 1])
            values[k] = triples[3 * k + 2]
        }
        triples.deallocate()
        compositionKeys = UnsafeBufferPointer(rebasing: keys[0..<NormalizationTables.compositionCount])
        compositionValues = UnsafeBufferPointer(rebasing: values[0..<NormalizationTables.compositionCount])
        let foldCount = NormalizationTables.foldByteCount
        let foldBuf = UnsafeMutablePointer<UInt8>.allocate(capacity: foldCount + 260)
        foldBuf.initialize(repeating: 0, count: foldCount + 260)
        let foldAvailable = min(foldCount, max(0, blob.count - offset))
        if foldAvailable > 0, let base = blob.baseAddress {
            UnsafeMutableRawPointer(foldBuf).copyMemory(from: base + offset, byteCount: foldAvailable)
        }
        fold = UnsafePointer(foldBuf)
    }

    /// Decodes base64, skipping any non-alphabet characters (line breaks); the caller frees the
    /// result.
    /// - Complexity: O(n), one table lookup per character; a group of four characters is
    ///   decoded at once.
    static func decodeBase64(_ text: StaticString) -> UnsafeMutableRawBufferPointer {
        // Each alphabet character's 6-bit value; 0xFF for every other byte.
        var values = (0..<256).map { _ in UInt8(0xFF) }
        for (v, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            values[Int(c)] = UInt8(v)
        }
        let capacity = text.utf8CodeUnitCount / 4 * 3 + 3
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        var count = 0
        values.withUnsafeBufferPointer { table in
            text.withUTF8Buffer { buf in
                var acc: UInt32 = 0
                var bits: UInt32 = 0
                var i = 0
                while i < buf.count {
                    // Whole groups of four alphabet characters make three bytes at once.
                    if bits == 0, i &+ 4 <= buf.count {
                        let a = table[Int(buf[i])]
                        let b = table[Int(buf[i &+ 1])]
                        let c = table[Int(buf[i &+ 2])]
                        let d = table[Int(buf[i &+ 3])]
                        if (a | b | c | d) & 0x80 == 0 {
                            let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                            out[count] = UInt8(truncatingIfNeeded: group >> 16)
                            out[count &+ 1] = UInt8(truncatingIfNeeded: group >> 8)
                            out[count &+ 2] = UInt8(truncatingIfNeeded: group)
                            count &+= 3
                            i &+= 4
                            continue
                        }
                    }
                    let v = table[Int(buf[i])]
                    i &+= 1
                    if v == 0xFF { continue }
                    acc = (acc << 6) | UInt32(v)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        out[count] = UInt8(truncatingIfNeeded: acc >> bits)
                        count += 1
                    }
                }
            }
        }
        return UnsafeMutableRawBufferPointer(rebasing: out[0..<count])
    }

    /// The property word of a scalar (see the generated file's header for the bit layout).
    @inline(__always)
    func properties(_ c: UInt32) -> UInt32 {
        if c < NormalizationTables.trieLimit {
            let b0 = Int(stage0[Int(c >> (lowBits &+ midBits))])
            let b1 = Int(stage1[(b0 << Int(midBits)) | Int((c >> lowBits) & midMask)])
            return stage2[(b1 << Int(lowBits)) | Int(c & lowMask)]
        }
        if c &- 0xE0100 < 0xF0 { return variationSelectorProps }
        return 0
    }

    /// The canonical composite of `first` + `second`, if any (including Hangul LV/LVT).
    @inline(__always)
    func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
        // Hangul: L + V → LV, LV + T → LVT.
        if first &- 0x1100 < 19 && second &- 0x1161 < 21 {
            return 0xAC00 + ((first - 0x1100) * 21 + (second - 0x1161)) * 28
        }
        if first &- 0xAC00 < 11172 && (first - 0xAC00) % 28 == 0 && second &- 0x11A8 < 27 {
            return first + (second - 0x11A7)
        }
        let key = UInt64(first) << 21 | UInt64(second)
        var lo = 0
        var hi = compositionKeys.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            let k = compositionKeys[mid]
            if k == key { return compositionValues[mid] }
            if k < key { lo = mid &+ 1 } else { hi = mid }
        }
        return nil
    }
}
