// The README's library example, compiled and run as written.

import PoiskTestSupport
import Testing

import Poisk
import Foundation

@Suite struct ReadmeExampleTests {
    @Test func readmeLibraryExample() throws {
        let documents = [
            Document(id: "1", title: "Patriot missiles", body: "Ukraine receives more Patriot air defense systems."),
            Document(id: "2", title: "Погода", body: "Завтра в Киеве дождь."),
            Document(id: "3", title: "Ракеты", body: "Новые ракеты для ПВО Украины."),
        ]
        let index = try IndexReader.inMemory(documents)

        let results = try index.search("patriot OR ракета")
        for hit in results.hits {
            print(hit.id, hit.title, hit.score, hit.snippet)
        }
        // Queries can also be built without parsing a string:
        let tree: Query = .boolean([BooleanClause(.must, .term("patriot")), BooleanClause(.mustNot, .term("погода"))])
        print(try index.search(tree).total)

        #expect(Set(results.hits.map(\.id)) == ["1", "3"])
        #expect(try index.search(tree).total == 1)
    }

    @Test func readmeWriterExample() throws {
        try withTemporaryDirectory { dir in
            let indexPath = dir + "/news.index"
            let seedsPath = Fixtures.seeds

            let writer = try IndexWriter(at: indexPath)            // e.g. "news.index"; one writer per directory
            var loader = DocumentLoader()
            try writer.add(contentsOf: loader.load(paths: [seedsPath]))  // e.g. "seeds"
            try writer.delete(id: "001_3beda4c96ad14779.txt")
            try writer.commit()                                    // atomic and durable
            let reader = try IndexReader.open(at: indexPath)      // O(segments), memory-mapped
            let hits = try reader.search("\"air defense\" OR ракеты", options: SearchOptions(limit: 5, explain: true)).hits

            #expect(reader.documentCount == 4)
            #expect(!hits.isEmpty && hits.allSatisfy { $0.explanation != nil && $0.id != "001_3beda4c96ad14779.txt" })
            writer.close()
        }
    }
}
