// A hit's matched words, found from the index instead of by analyzing its whole text: the
// postings give the positions of the query's terms in the document, the field's token checkpoints
// (format 4) give where analysis may restart before each, and the analyzer then runs over a few
// dozen words per match, normalizing and stemming only the matched ones (the words between are
// segmented and counted, not analyzed). The result is what analyzing the whole text finds.
//
// For: snippets of the top hits of segments of format 4. Not for: older segments (no
// checkpoints: the Highlighter analyzes their whole text), choosing fragments (Highlighter).

import PoiskAnalysis

enum SnippetMatches {
    /// The positions of `terms` in each of `docs` (increasing document numbers) in field `f` of
    /// a segment, as (position, term index) pairs in position order.
    /// - Parameters:
    ///   - infos: each term's dictionary entry in the segment (nil: absent there).
    /// - Throws: `PoiskError.corruptIndex` when postings are damaged.
    /// - Complexity: O(terms × postings blocks skipped or read).
    static func positions(
        in segment: SegmentReader, field f: Int, infos: [TermInfo?], docs: [Int32]
    ) throws -> [[(position: UInt32, term: Int)]] {
        var result = [[(position: UInt32, term: Int)]](repeating: [], count: docs.count)
        var scratch: [UInt32] = []
        for (t, info) in infos.enumerated() {
            guard let info, let cursor = try segment.postings(field: f, info: info) else { continue }
            for (k, doc) in docs.enumerated() {
                let at = cursor.advance(to: doc)
                if at == PostingsCursor.end { break }
                guard at == doc else { continue }
                guard cursor.readPositions(into: &scratch) else { break }
                for p in scratch { result[k].append((p, t)) }
            }
            if cursor.isCorrupt {
                throw PoiskError.corruptIndex(
                    file: segment.fileName, section: "postings of field \(f)", reason: "postings fail structural checks")
            }
        }
        for k in result.indices where result[k].count > 1 { result[k].sort { $0.position < $1.position } }
        return result
    }

    /// The byte ranges of the tokens at `positions` in `text`, found by analysis from the
    /// checkpoint before each group of them; nil when the text does not agree with the index (a
    /// token at a position is missing, or has another term), and the caller analyzes the whole
    /// text instead.
    /// - Parameters:
    ///   - text: the field's text, as indexed.
    ///   - positions: (position, term index) pairs, in increasing position order.
    ///   - terms: each term's bytes, by index.
    ///   - checkpoints: the document's checkpoints in the field, before the first.
    ///   - analyzer: the field's analyzer (the one that indexed it).
    ///   - scratch: analysis scratch, reused.
    /// - Returns: each token's byte range and term index, in text order.
    static func locate(
        in text: UnsafeRawBufferPointer, positions: [(position: UInt32, term: Int)], terms: [[UInt8]],
        checkpoints: TokenCheckpointReader, analyzer: Analyzer, scratch: inout AnalysisScratch
    ) -> [(range: Range<Int>, term: Int)]? {
        var found: [(range: Range<Int>, term: Int)] = []
        found.reserveCapacity(positions.count)
        var checkpoints = checkpoints
        // The checkpoint regions: [start, end), `end` the checkpoint after `start` (nil: the text's end).
        var start = (position: 0, offset: 0)
        var end = checkpoints.next() ? (position: checkpoints.position, offset: checkpoints.offset) : nil
        var i = 0
        while i < positions.count {
            let target = Int(positions[i].position)
            // The last checkpoint at or before the first wanted position, and the first after it.
            while let next = end, next.position <= target {
                start = next
                end = checkpoints.next() ? (checkpoints.position, checkpoints.offset) : nil
            }
            if checkpoints.isCorrupt { return nil }
            let startPosition = start.position
            let startOffset = start.offset
            let endPosition = end?.position ?? Int.max
            let endOffset = end?.offset ?? text.count
            guard startOffset <= endOffset, endOffset <= text.count else { return nil }
            var j = i
            while j < positions.count && Int(positions[j].position) < endPosition { j += 1 }
            // Analyze the region, up to its last wanted word; the words at other positions are
            // segmented and counted, not normalized or stemmed.
            var state = LocateState(next: i, end: j)
            let region = UnsafeRawBufferPointer(rebasing: text[startOffset..<endOffset])
            do {
                try withUnsafeMutablePointer(to: &state) { st in
                    try analyzer.analyze(
                        utf8: region, scratch: &scratch,
                        memo: { _, position in
                            // true: skip the word (it keeps its position, nothing else is done).
                            startPosition + position != Int(positions[st.pointee.next].position)
                        }
                    ) { token, _ in
                        let k = st.pointee.next
                        let position = startPosition + token.position
                        let wanted = Int(positions[k].position)
                        if position < wanted { return }
                        let term = positions[k].term
                        guard position == wanted, terms[term].withUnsafeBytes({ compareBytes($0, token.term) == 0 }) else {
                            st.pointee.failed = true
                            throw LocateState.stop
                        }
                        found.append(((startOffset + token.range.lowerBound)..<(startOffset + token.range.upperBound), term))
                        st.pointee.next = k + 1
                        if k + 1 == st.pointee.end { throw LocateState.stop }
                    }
                }
            } catch {
                // `LocateState.stop`: the region's wanted words are found, or one disagreed.
            }
            guard !state.failed, state.next == j else { return nil }
            i = j
        }
        return found
    }

    /// The progress of one region's analysis.
    private struct LocateState {
        /// Thrown by the analysis callbacks to stop the region's analysis.
        static let stop: any Error = StopAnalysis()
        struct StopAnalysis: Error {}

        /// The next wanted position's index.
        var next: Int
        /// One past the last wanted position of the region.
        let end: Int
        /// A token disagreed with the index.
        var failed = false

        init(next: Int, end: Int) {
            self.next = next
            self.end = end
        }
    }
}
