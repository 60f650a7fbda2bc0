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
