// Fuzz target: query strings from untrusted bytes.
//
// For: finding query strings on which parsing or execution crashes, traps, hangs or
// misbehaves. A `PoiskError` (a syntax error, an unknown field) is an acceptable outcome. Not
// for: checking what a query means (QueryParserTests and QueryEngineTests do that).
//
// Input: the query as UTF-8 (invalid sequences read as U+FFFD). It is parsed with both default
// operators; each query that parses runs against a small fixed in-memory index with two option
// sets (explain + snippets; transliteration, offsets and Block-Max WAND), and the results are
// checked for basic sanity.

import Foundation
import Poisk

/// Built once per process.
let index: IndexReader? = try? IndexReader.inMemory([
    Document(id: "1", title: "Patriot missiles", body: "Ukraine receives more Patriot air defense systems. Patriot's radar."),
    Document(id: "2", title: "Погода", body: "Завтра в Киеве дождь, ёлка и ещё снег."),
    Document(id: "3", title: "Ракеты", body: "Новые ракеты для ПВО Украины: «Пэтриот» и NASAMS."),
    Document(id: "4", title: "Новини", body: "У п'ятницю в Києві буде дощ; Зеленський 155mm снаряди."),
    Document(id: "5", title: "Air defense", body: "Air defense, air-defence and AIR DEFENSE: missile defense in depth."),
    Document(id: "6", title: "", body: "", fields: ["tags": "news война war", "author": "Иван Petrov"]),
    Document(id: "2", title: "Погода (обновлено)", body: "Завтра в Киеве дождь и ветер."),
])

/// libFuzzer's input function.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let index else { fatalError("the fixed index did not build") }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for op in [QueryParser.DefaultOperator.and, .or] {
        let query: Query
        do {
            query = try QueryParser(defaultOperator: op).parse(text)
        } catch let PoiskError.invalidQuery(_, _, offset) {
            precondition(offset >= 0 && offset <= text.count, "error offset \(offset) outside the query")
            continue
        } catch {
            fatalError("parse threw a non-query error: \(error)")
        }
        run(query, on: index, SearchOptions(limit: 5, defaultOperator: op, highlight: .html, explain: true))
        run(
            query, on: index,
            SearchOptions(
                limit: 3, offset: 1, defaultOperator: op, snippetLength: 40, transliterate: true, exactTotal: false,
                snippetFragments: 2))
    }
    return 0
}

func run(_ query: Query, on index: IndexReader, _ options: SearchOptions) {
    let results: SearchResults
    do {
        results = try index.search(query, options: options)
    } catch is PoiskError {
        return
    } catch {
        fatalError("search threw a non-Poisk error: \(error)")
    }
    precondition(results.hits.count <= options.limit, "more hits than the limit")
    if results.totalIsExact {
        precondition(results.total >= results.hits.count + min(options.offset, results.total), "total below the hits")
        precondition(results.total <= index.documentCount, "total above the document count")
    }
    var previous = Double.infinity
    for hit in results.hits {
        precondition(hit.score.isFinite, "score is not finite: \(hit.score)")
        precondition(hit.score <= previous, "hits not ordered by score")
        previous = hit.score
        let bodyLength = hit.document.body.utf8.count
        for range in hit.matches {
            precondition(range.lowerBound >= 0 && range.upperBound <= bodyLength, "match range outside the body")
        }
    }
    do {
        let count = try index.count(query, options: options)
        if results.totalIsExact { precondition(count == results.total, "count \(count) differs from total \(results.total)") }
    } catch is PoiskError {
    } catch {
        fatalError("count threw a non-Poisk error: \(error)")
    }
}
