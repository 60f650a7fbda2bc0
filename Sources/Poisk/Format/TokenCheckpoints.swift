// Token checkpoints (format 4): per document and indexed field, a sparse table of
// (token position → byte offset) places where analysis of the text may restart, so a snippet
// finds the bytes of the matched tokens (whose positions the postings hold) by analyzing a few
// dozen words before each, not the whole text.
//
// For: snippets of hits (Search/SnippetMatches). Not for: scoring, phrases (positions alone
// serve them), or the text itself (stored fields).
//
// A checkpoint (p, b) says: byte b starts a word that follows an ASCII space, tab, CR or LF and
// is not part of a run of CJK characters, and that word's token has position p. Analyzing the
// text from byte b, counting positions from p, yields exactly the tokens of the whole text that
// start at b or later: a word boundary after white space does not depend on what precedes it
// (UAX #29 looks back only across letters, digits, mid-word punctuation and ignorable marks),
// and the analyzer carries no state across such a word (a pending CJK run is closed before it).
// Checkpoints of one document are at least `interval` positions apart.
//
// Layout: a document column (DocColumn.swift) per indexed field, section kind 9. A document's
// value is empty when the document has no text in the field (or was merged from a segment
// written before format 4); else `varint scalarCount` (the text's Unicode scalars: a snippet's
// window is sized by the text's bytes per scalar), then its checkpoints in order, each
// `varint (p − previous p)`, `varint (b − previous b)`, the first from (0, 0); both deltas are
// positive. Few words: no checkpoints (analysis starts at byte 0, position 0).

/// Records checkpoints while a field of one document is indexed.
package struct TokenCheckpointWriter {
    /// Minimum distance, in positions, between two checkpoints of a document. Smaller is faster
    /// (less analysis per match) and larger (about 3 bytes per checkpoint).
    package static let interval = 16

    package var column = DocColumnWriter()
    /// The current document's checkpoints, until its scalar count is known.
    private var pending = ByteWriter()
    /// The first position at which the next checkpoint may be taken.
    package private(set) var nextPosition = TokenCheckpointWriter.interval
    private var lastPosition = 0
    private var lastOffset = 0

    package init() {}

    /// Offers the token at `position` whose word starts at byte `offset` of `text` (a word
    /// outside CJK runs: the caller does not offer CJK tokens). Callers on hot paths test
    /// `position >= nextPosition` first and call this only then.
    @inline(never)
    package mutating func offer(position: Int, offset: Int, text: UnsafeRawBufferPointer) {
        guard position >= nextPosition, offset > 0, offset <= text.count else { return }
        let before = text[offset - 1]
        guard before == 0x20 || before == 0x0A || before == 0x09 || before == 0x0D else { return }
        pending.writeVarInt(UInt64(position - lastPosition))
        pending.writeVarInt(UInt64(offset - lastOffset))
        lastPosition = position
        lastOffset = offset
        nextPosition = position + TokenCheckpointWriter.interval
    }

    /// Ends the current document's checkpoints (call once per document, with or without text).
    /// - Parameter scalarCount: the number of Unicode scalars of the document's text in the
    ///   field; nil when it has none.
    package mutating func endDocument(scalarCount: Int?) {
        if let scalarCount {
            // The count goes first: the checkpoints were written to a separate buffer.
            column.data.writeVarInt(UInt64(scalarCount))
            column.data.writeBytes(pending.bytes)
        }
        pending.removeAll(keepingCapacity: true)
        column.endDocument()
        nextPosition = TokenCheckpointWriter.interval
        lastPosition = 0
        lastOffset = 0
    }
}

/// Reads one document's scalar count and iterates its checkpoints, in order; bounds-checked.
package struct TokenCheckpointReader {
    private var reader: ByteReader
    /// The number of Unicode scalars of the document's text; nil when the value is empty.
    package let scalarCount: Int?
    /// The current checkpoint: (0, 0) before the first.
    package private(set) var position = 0
    package private(set) var offset = 0
    /// Set when the bytes are damaged (the iteration then ends).
    package private(set) var isCorrupt = false

    /// Reads the value `bytes` of one document.
    package init(_ bytes: UnsafeRawBufferPointer) {
        reader = ByteReader(bytes)
        if bytes.isEmpty {
            scalarCount = nil
        } else if let count = reader.readVarIntAsInt(), count <= Int(Int32.max) {
            scalarCount = count
        } else {
            scalarCount = nil
            isCorrupt = true
            reader.offset = reader.count
        }
    }

    /// Moves to the next checkpoint.
    /// - Returns: false at the end (or on damage).
    package mutating func next() -> Bool {
        guard reader.remaining > 0 else { return false }
        guard let dp = reader.readVarIntAsInt(), let db = reader.readVarIntAsInt(), dp > 0, db > 0,
            dp <= Int(UInt32.max), db <= Int(Int32.max)
        else {
            isCorrupt = true
            reader.offset = reader.count
            return false
        }
        position += dp
        offset += db
        return true
    }
}
