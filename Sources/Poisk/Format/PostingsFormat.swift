// Postings and positions: per term, the documents that contain it, how often, and where. This
// file holds the layout; PostingsWriter encodes it, PostingsCursor (and PostingsCursor+Positions)
// decode it straight from the mapped file, block by block, with skipping.
//
// Not for: scoring (Search/) or finding the term (TermDictionary.swift).
//
// Per-term postings layout (offsets relative to the term's start; see SegmentFormat.md).
// A list of 128 documents or more:
//
//     varint maxTF │ varint minLength │ varint tailOffset │ varint tailPositionsOffset
//     skip entries: (docFreq / 128) × { u32 lastDoc, u32 blockOffset, u32 positionsOffset,
//                                       u32 maxTF, u32 minLength }
//     full blocks:  { u8 docBits, u8 tfBits, 128 doc gaps bit-packed, 128 (tf − 1) bit-packed }
//     tail:         (docFreq % 128) × { varint (gap << 1 | tf == 1), [varint tf when tf > 1] }
//
// A short list (fewer than 128 documents, so no blocks; most terms) is, since format version 2,
// just `varint maxTF` then the tail (its minLength reads as 0, a valid bound; format 1 wrote the
// four-varint header for every list, and is still read).
//
// Gaps are from the previous doc id (0 before the first). Per-term positions: for each doc in
// order, tf varints of position gaps (the first from 0). `maxTF`/`minLength` bound the BM25
// contribution of a block (score grows with tf and shrinks with length) for any k1 and b.

/// The skip data of one full block.
package struct SkipEntry: Sendable {
    package var lastDoc: UInt32
    package var blockOffset: UInt32
    package var positionsOffset: UInt32
    package var maxTF: UInt32
    package var minLength: UInt32
}

package enum PostingsFormat {
    package static let blockSize = 128
    package static let skipEntrySize = 20
}

extension PostingsFormat {
    /// Calls `body` with each document of a short list (fewer than ``blockSize`` documents,
    /// format 2 and later: `varint maxTF`, then the tail), without positions and without a
    /// cursor: the way typed filters read the many small lists of a term range.
    /// - Parameters:
    ///   - postings: the field's postings section.
    ///   - info: the term's dictionary entry (not a singleton, `docFreq < blockSize`).
    ///   - docCount: the segment's documents (every document must be below it).
    /// - Returns: false when the bytes are damaged (out of bounds, out of order, out of range).
    @inline(__always)
    static func forEachShortListDocument(
        _ postings: UnsafeRawBufferPointer, info: TermInfo, docCount: Int, _ body: (UInt32) -> Void
    ) -> Bool {
        guard let base = postings.baseAddress, info.docFreq > 0, info.docFreq < blockSize, info.postingsOffset >= 0,
            info.postingsOffset < postings.count
        else { return false }
        var o = info.postingsOffset
        let end = postings.count
        guard ByteReader.varint(base, &o, end) != nil else { return false }  // maxTF
        var d: UInt64 = 0
        for j in 0..<info.docFreq {
            guard let v = ByteReader.varint(base, &o, end), v >> 1 <= UInt64(UInt32.max) else { return false }
            let gap = v >> 1
            if j > 0 && gap == 0 { return false }
            d &+= gap
            guard d < UInt64(docCount) else { return false }
            if v & 1 == 0 {
                guard let tf = ByteReader.varint(base, &o, end), tf >= 2 else { return false }
            }
            body(UInt32(truncatingIfNeeded: d))
        }
        return true
    }
}
