// The query language: what parses to what, and errors with positions.

import Testing

@testable import Poisk

@Suite struct QueryParserTests {
    let parser = QueryParser()

    @Test func wordsDefaultToAnd() throws {
        #expect(try parser.parse("patriot") == .term("patriot"))
        #expect(
            try parser.parse("air defense")
                == .boolean([BooleanClause(.must, .term("air")), BooleanClause(.must, .term("defense"))]))
        #expect(
            try QueryParser(defaultOperator: .or).parse("air defense")
                == .boolean([BooleanClause(.should, .term("air")), BooleanClause(.should, .term("defense"))]))
    }

    @Test func operatorsAndPrecedence() throws {
        #expect(
            try parser.parse("a OR b AND c")
                == .boolean([
                    BooleanClause(.should, .term("a")),
                    BooleanClause(.should, .boolean([BooleanClause(.must, .term("b")), BooleanClause(.must, .term("c"))])),
                ]))
        #expect(
            try parser.parse("patriot -hellfire +missile NOT tank")
                == .boolean([
                    BooleanClause(.must, .term("patriot")), BooleanClause(.mustNot, .term("hellfire")),
                    BooleanClause(.must, .term("missile")), BooleanClause(.mustNot, .term("tank")),
                ]))
        #expect(try parser.parse("(a)") == .term("a"))
    }

    @Test func phrasesPrefixFuzzyFieldsBoosts() throws {
        #expect(try parser.parse("\"air defense\"") == .phrase(["air", "defense"]))
        #expect(try parser.parse("\"air defense\"~3") == .phrase(["air", "defense"], slop: 3))
        #expect(try parser.parse("patri*") == .prefix("patri"))
        #expect(try parser.parse("Zelensky~") == .fuzzy("Zelensky", maxEdits: 2))
        #expect(try parser.parse("Zelensky~1") == .fuzzy("Zelensky", maxEdits: 1))
        #expect(try parser.parse("title:patriot") == .term("patriot", field: "title"))
        #expect(try parser.parse("title:\"air defense\"") == .phrase(["air", "defense"], field: "title"))
        #expect(try parser.parse("patriot^2") == .boosted(.term("patriot"), 2))
        #expect(
            try parser.parse("title:(a OR b)")
                == .boolean([BooleanClause(.should, .term("a", field: "title")), BooleanClause(.should, .term("b", field: "title"))]))
        #expect(try parser.parse("c\\+\\+") == .term("c++"))
        #expect(try parser.parse("e-mail") == .term("e-mail"))
    }

    @Test(arguments: [
        ("", 0), ("   ", 0), ("(patriot", 0), ("patriot)", 7), ("\"air defense", 0), ("a AND", 2), ("OR a", 0),
        ("a OR", 2), ("title:", 0), ("a^", 1), ("x~9", 2), ("NOT", 0), ("()", 0), ("- a", 0),
    ])
    func errorsCarryPositions(query: String, offset: Int) throws {
        do {
            _ = try parser.parse(query)
            Issue.record("expected an error for \(query)")
        } catch let PoiskError.invalidQuery(_, q, at) {
            #expect(q == query)
            #expect(at == offset, "\(query)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        #expect(throws: PoiskError.self) { try parser.parse(deep) }
        let nots = String(repeating: "NOT ", count: 10_000) + "a"
        #expect(throws: PoiskError.self) { try parser.parse(nots) }
    }
}
