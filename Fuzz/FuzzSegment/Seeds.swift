// Writes FuzzSegment's seed corpus: small segment, commit and delete files made by the library,
// each prefixed with its mode byte (see FuzzEntry.swift).
//
// For: regenerating Tests/FuzzCorpus/FuzzSegment (`swift run FuzzSegment --write-seeds DIR`).
// Not for: tests (the golden index fixture covers format stability).

import Foundation
import Poisk

func writeSeeds(to output: String) {
    do {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let work = NSTemporaryDirectory() + "poisk-fuzz-seeds-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let options = IndexWriterOptions(threads: 1, autoMerge: false)
        let writer = try IndexWriter(at: work, options: options)
        // A tiny segment: three short documents in three languages.
        try writer.add(Document(id: "en", title: "Patriot", body: "Air defense systems: Patriot's radar."))
        try writer.add(Document(id: "ru", title: "Ракеты", body: "Новые ракеты для ПВО, ёлка и ещё."))
        try writer.add(Document(id: "uk", title: "Погода", body: "Завтра в Києві дощ, п'ятниця."))
        try writer.commit()
        // A segment with more than one 128-document postings block (skip data, bit packing).
        let words = ["missile", "ракета", "defense", "оборона", "radar", "київ", "strike", "удар"]
        for i in 0..<300 {
            let body = (0..<(3 + i % 7)).map { words[($0 * 7 + i) % words.count] }.joined(separator: " ")
            try writer.add(Document(id: "doc\(i)", title: "common \(i % 5)", body: "common " + body))
        }
        try writer.commit()
        try writer.delete(id: "ru")
        try writer.delete(id: "doc7")
        try writer.commit()
        writer.close()
        // A segment with typed fields (format 5 and later): keywords (one and several), numbers,
        // dates, booleans, some missing; indexed (trie terms, format 6 leaving levels out) and
        // columnar.
        let typedSchema = Schema(fields: [
            .text("title"), .text("body"), .keyword("section"), .keyword("tags"), .integer("words"), .double("rating"),
            .date("date"), .boolean("draft"),
        ])
        let typedWriter = try IndexWriter(at: work + "/typed", schema: typedSchema, options: options)
        for i in 0..<150 {
            var values: [String: FieldValue] = ["section": .keyword(["mm", "net", "fs"][i % 3])]
            if i % 4 != 0 {
                values["tags"] = .keywords(["a", "b", "c", "d"].enumerated().filter { (i >> $0.offset) & 1 == 1 }.map(\.element))
            }
            if i % 5 != 0 { values["words"] = .integer(Int64(i * 37 % 900) - 50) }
            if i % 3 != 0 { values["rating"] = .double(Double(i % 41) / 8) }
            values["date"] = .date(86_400_000 * Int64(i % 60) + 1_600_000_000_000)
            values["draft"] = .boolean(i % 7 == 0)
            try typedWriter.add(Document(id: "t\(i)", title: "typed \(i % 4)", body: "common " + words[i % words.count], values: values))
        }
        try typedWriter.commit()
        typedWriter.close()
        var written = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: work + "/typed").sorted() where name.hasSuffix(".seg") {
            guard let data = FileManager.default.contents(atPath: work + "/typed/" + name) else { continue }
            if FileManager.default.createFile(atPath: output + "/typed-" + name, contents: Data([0]) + data) { written += 1 }
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: work).sorted() {
            let mode: UInt8
            if name.hasSuffix(".seg") {
                mode = 0
            } else if name.hasSuffix(".pkc") {
                mode = 1
            } else if name.hasSuffix(".del") {
                mode = 2
            } else {
                continue
            }
            guard let data = FileManager.default.contents(atPath: work + "/" + name) else { continue }
            let seed = Data([mode]) + data
            if FileManager.default.createFile(atPath: output + "/" + name, contents: seed) { written += 1 }
        }
        print("wrote \(written) seeds to \(output)")
    } catch {
        print("writing seeds failed: \(error)")
        exit(1)
    }
}
