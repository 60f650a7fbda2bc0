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
        var written = 0
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
