// Counting the Unicode scalars of UTF-8 text without decoding it: the bytes that are not
// continuation bytes (10xxxxxx), eight at a time.
//
// For: snippet windows, whose length in bytes is a number of characters at the text's average
// bytes per scalar (`Highlighter`), and the count each document's token checkpoints keep. Not
// for: validating UTF-8 (stored text is the bytes of Swift strings, valid by construction).

package enum UTF8Scalars {
    /// The number of Unicode scalars of valid UTF-8 `bytes` (equal to
    /// `String(decoding: bytes, as: UTF8.self).unicodeScalars.count` for valid input).
    /// - Complexity: O(n), eight bytes per step.
    package static func count(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var continuation = 0
        var i = 0
        while i &+ 8 <= n {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // The top bit of each byte of the form 10xxxxxx, summed by a multiply (the x86-64
            // baseline has no population count instruction).
            let m = (w & ~(w &<< 1) & 0x8080_8080_8080_8080) &>> 7
            continuation &+= Int(truncatingIfNeeded: (m &* 0x0101_0101_0101_0101) &>> 56)
            i &+= 8
        }
        while i < n {
            if bytes[i] & 0xC0 == 0x80 { continuation &+= 1 }
            i &+= 1
        }
        return n &- continuation
    }
}
