// The README's library example, compiled and run as written.

import Testing

import Poisk

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
}
