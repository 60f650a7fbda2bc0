// What an incremental sync needs from a snapshot: the ids of its live documents, read from the
// segments' id dictionaries, and optionally a few stored fields of each.
//
// For: comparing an index with its source (which ids to add, update or delete) after reading
// the last commit's user data (`IndexReader.userData`). Not for: searching, or loading the
// documents of hits (`search`).

extension IndexReader {
    /// The ids of every live document, in ascending order of their UTF-8 bytes.
    ///
    /// Read from each segment's id dictionary: no stored document is decompressed.
    /// - Throws: `PoiskError.corruptIndex` when an id dictionary is damaged.
    /// - Complexity: O(n log n) for n live documents.
    public func documentIDs() throws -> [String] {
        var ids: [String] = []
        ids.reserveCapacity(documentCount)
        for s in segments {
            for (id, doc) in try s.reader.allIDs() where s.isLive(doc) { ids.append(id) }
        }
        // Each segment's ids come sorted; one id is live in at most one segment.
        if segments.count > 1 { ids.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        return ids
    }

    /// Calls `body` with the id and the chosen stored fields of every live document, segment by
    /// segment, in document order within a segment.
    ///
    /// With no `fields`, only the id dictionaries are read (as ``documentIDs()``). Naming fields
    /// decompresses every stored-fields block once: use it for small fields such as a
    /// modification date or a checksum kept next to the text.
    /// - Parameters:
    ///   - fields: the stored fields to load (absent ones are left out of the dictionary).
    ///   - body: called once per live document; throwing stops the iteration.
    /// - Throws: `body`'s error, or `PoiskError.corruptIndex`.
    public func forEachDocument(
        loading fields: Set<String> = [], _ body: (_ id: String, _ fields: [String: String]) throws -> Void
    ) throws {
        for s in segments {
            if fields.isEmpty {
                var byDoc = try s.reader.allIDs().filter { s.isLive($0.1) }
                byDoc.sort { $0.1 < $1.1 }
                for (id, _) in byDoc { try body(id, [:]) }
                continue
            }
            let names = s.reader.meta.schema.fields.map(\.name)
            try s.reader.ensureVerified(.stored, field: nil)
            try s.reader.stored.forEachDocument { doc, stored in
                guard s.isLive(Int32(doc)) else { return }
                var id = ""
                var values: [String: String] = [:]
                for (storedID, text) in stored {
                    if storedID == 0 {
                        id = text
                    } else if storedID - 1 < names.count, fields.contains(names[storedID - 1]) {
                        values[names[storedID - 1]] = text
                    }
                }
                try body(id, values)
            }
        }
    }
}
