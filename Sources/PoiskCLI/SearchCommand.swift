// `poisk search`: run a query against a folder/file corpus (indexed in memory) or an index.

import Foundation
import Poisk

enum SearchCommand {
    static let options: [OptionSpec] =
        [
            OptionSpec(
                name: "corpus", takesValue: true, help: "index PATH (a folder, a file, or .jsonl) in memory and search it",
                valueName: "PATH"),
            OptionSpec(
                name: "index", takesValue: true, help: "search the index in DIR (default .poisk when --corpus is not given)",
                valueName: "DIR"),
            OptionSpec(name: "limit", takesValue: true, help: "number of hits to show (default 10)", valueName: "N"),
            OptionSpec(name: "offset", takesValue: true, help: "skip the first N hits (paging)", valueName: "N"),
            OptionSpec(name: "json", takesValue: false, help: "print one JSON object: {query, total, took_ms, hits}"),
            OptionSpec(name: "explain", takesValue: false, help: "show how each hit's score was computed"),
            OptionSpec(name: "translit", takesValue: false, help: "also match Latin ↔ Cyrillic transliterations"),
            OptionSpec(
                name: "highlight", takesValue: true, help: "ansi|markdown|html|none (default: ansi on a terminal, else markdown)",
                valueName: "STYLE"),
            OptionSpec(name: "or", takesValue: false, help: "words without an operator are ORed (default AND)"),
            OptionSpec(name: "k1", takesValue: true, help: "BM25 k1 (default 1.2)", valueName: "X"),
            OptionSpec(name: "b", takesValue: true, help: "BM25 b (default 0.75)", valueName: "X"),
            OptionSpec(name: "snippet-length", takesValue: true, help: "snippet length in characters (default 200)", valueName: "N"),
            OptionSpec(name: "fragments", takesValue: true, help: "snippet fragments per hit (default 1)", valueName: "N"),
            OptionSpec(
                name: "snippet-fields", takesValue: true,
                help: "highlight these fields, comma-separated (default body; the first is `snippet`, all are in JSON's `snippets`)",
                valueName: "F,…"),
            OptionSpec(
                name: "sort", takesValue: true,
                help: "sort by a typed field, FIELD[:asc|desc] (repeatable: ties by the next; then score, then id)",
                valueName: "FIELD[:DIR]"),
            OptionSpec(
                name: "facet", takesValue: true, help: "count the top N values (default 10) of a keyword field (repeatable)",
                valueName: "FIELD[:N]"),
            OptionSpec(
                name: "after", takesValue: true,
                help: "with --sort: the hits after this cursor (the \"next_cursor\" of a previous --json page)",
                valueName: "CURSOR"),
            schemaOption,
        ] + LoadingFlags.specs

    static let command = Command(
        name: "search",
        summary: "search a corpus or an index",
        usage:
            "poisk search (--corpus PATH [--schema FILE.json] [--follow] [--hidden] [--no-ignore] [--max-file-size SIZE] [--glob PATTERN]... | --index DIR) [--limit N] [--offset N] [--sort FIELD[:asc|desc]]... [--after CURSOR] [--facet FIELD[:N]]... [--json] [--explain] [--translit] [--highlight STYLE] [--snippet-fields F,…] QUERY",
        details: """
            QUERY uses Poisk's query syntax: words (AND by default), OR, NOT, -word, +word, ( ),
            "phrases", "phrases"~slop, prefix*, fuzzy~1, field:word, word^2. Words are analyzed like
            the documents (case, ё, stress marks, stemming), so `ракеты` finds `ракетами`.
            A query that starts with '-' can follow `--`: poisk search --corpus seeds -- -Hellfire Patriot

            Typed fields (keyword, integer, double, date, boolean; see `poisk index --schema`) filter
            without changing scores: tags:ukraine, section:"driver-api", date:[2025-07-01 TO
            2025-07-31], words:[1000 TO *], rating:{4 TO 5], draft:false, *:* for every document.
            --sort date:desc orders by a field instead of relevance (missing values last);
            --facet tags:5 counts the five most frequent tags over every match. With --json each
            hit gains "sort" (its sort values) and the object "facets" ({"tags": [["ukraine", 12], …]});
            a sorted page gains "next_cursor", which --after takes for the next page (as deep as
            needed, without collecting the pages before it).

            --corpus reads a folder as `poisk index` does (with --schema FILE.json for field types).
            \(LoadingFlags.details)
            """,
        options: options,
        run: run)

    static func run(_ args: ParsedArguments) throws -> Int32 {
        guard !args.positionals.isEmpty else {
            throw UsageError(message: "missing QUERY", command: "search")
        }
        let queryText = args.positionals.joined(separator: " ")
        var options = SearchOptions()
        options.limit = try args.int("limit", command: "search", range: 0...100_000) ?? 10
        options.offset = try args.int("offset", command: "search", range: 0...1_000_000) ?? 0
        options.snippetLength = try args.int("snippet-length", command: "search", range: 10...100_000) ?? 200
        options.snippetFragments = try args.int("fragments", command: "search", range: 1...100) ?? 1
        options.k1 = try args.double("k1", command: "search") ?? 1.2
        options.b = try args.double("b", command: "search") ?? 0.75
        guard options.b <= 1 else { throw UsageError(message: "--b must be between 0 and 1", command: "search") }
        options.explain = args.has("explain")
        for spec in args.multiValues["sort"] ?? [] {
            do {
                options.sort.append(try SortField(parsing: spec))
            } catch {
                throw UsageError(message: "--sort expects FIELD, FIELD:asc or FIELD:desc, got '\(spec)'", command: "search")
            }
        }
        for spec in args.multiValues["facet"] ?? [] {
            do {
                options.facets.append(try FacetRequest(parsing: spec))
            } catch {
                throw UsageError(message: "--facet expects FIELD or FIELD:N (N a positive number), got '\(spec)'", command: "search")
            }
        }
        if let token = args.value("after") {
            guard !options.sort.isEmpty else {
                throw UsageError(message: "--after needs --sort (a cursor is a place in a sorted listing)", command: "search")
            }
            guard let cursor = SearchCommand.cursor(token) else {
                throw UsageError(
                    message: "--after expects the \"next_cursor\" of a previous sorted search with --json, got '\(token)'",
                    command: "search")
            }
            options.searchAfter = cursor
        }
        options.transliterate = args.has("translit")
        options.defaultOperator = args.has("or") ? .or : .and
        // The output shows the id, title, score and snippets: no other stored text is decoded.
        options.storedFields = ["title"]
        var snippetFields: [String]?
        if let list = args.value("snippet-fields") {
            let names = list.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
                throw UsageError(message: "--snippet-fields needs field names separated by commas", command: "search")
            }
            var unique: [String] = []
            for name in names where !unique.contains(name) { unique.append(name) }
            options.snippetFields = unique
            snippetFields = unique
        }
        let json = args.has("json")
        if let style = args.value("highlight") {
            guard let s = HighlightStyle(rawValue: style) else {
                throw UsageError(message: "--highlight must be ansi, markdown, html or none", command: "search")
            }
            options.highlight = s
        } else if !json && Terminal.stdoutIsTerminal && Terminal.colorAllowed {
            options.highlight = .ansi
        } else {
            options.highlight = .markdown
        }
        // Parse the query before any expensive work, so syntax errors come first.
        let query = try QueryParser(defaultOperator: options.defaultOperator).parse(queryText)
        let reader: IndexReader
        if let corpus = args.value("corpus") {
            if args.value("index") != nil {
                throw UsageError(message: "give either --corpus or --index, not both", command: "search")
            }
            var loader = DocumentLoader(options: try LoadingFlags.options(args, command: "search"))
            let schema = try schemaArgument(args)
            loader.schema = schema
            let documents = try loader.load(paths: [corpus])
            for w in loader.warnings { Terminal.writeError("poisk: warning: \(w)\n") }
            guard !documents.isEmpty else {
                Terminal.writeError("poisk: \(LoadingFlags.summaryLine(loader.summary))\n")
                throw PoiskError.emptyCorpus(path: corpus)
            }
            reader = try IndexReader.inMemory(documents, schema: schema ?? .standard)
        } else {
            if args.value("schema") != nil {
                throw UsageError(message: "--schema applies to --corpus; an index keeps the schema it was built with", command: "search")
            }
            if LoadingFlags.given(args) {
                throw UsageError(
                    message:
                        "--follow, --hidden, --no-ignore, --max-file-size and --glob choose what --corpus reads; they do not apply to --index",
                    command: "search")
            }
            reader = try IndexReader.open(at: indexPath(args))
            warnAboutSkippedCommits(reader)
        }
        if let snippetFields {
            for name in snippetFields where reader.schema.fieldID(name) == nil {
                throw PoiskError.unknownField(name: name)
            }
        }
        let results = try reader.search(query, options: options)
        print(results: results, query: queryText, json: json, options: options, allSnippets: snippetFields != nil)
        return CLI.exitSuccess
    }

    /// Prints the results; with `allSnippets`, every snippet field's snippet (JSON: `snippets`,
    /// `{field: {text, matches}}`; text: one line per further field).
    static func print(results: SearchResults, query: String, json: Bool, options: SearchOptions, allSnippets: Bool = false) {
        if json {
            let hits: [JSON] = results.hits.map { hit in
                var pairs: [(String, JSON)] = [
                    ("id", .string(hit.id)), ("title", .string(hit.title)), ("score", .double(hit.score)),
                    ("snippet", .string(hit.snippet)),
                    ("matches", .array(hit.matches.map { .array([.int($0.lowerBound), .int($0.upperBound)]) })),
                ]
                if allSnippets {
                    pairs.append(
                        (
                            "snippets",
                            .object(
                                options.snippetFields.map { name in
                                    let snippet = hit.snippets[name] ?? HitSnippet(text: "", matches: [])
                                    return (
                                        name,
                                        .object([
                                            ("text", .string(snippet.text)),
                                            (
                                                "matches",
                                                .array(snippet.matches.map { .array([.int($0.lowerBound), .int($0.upperBound)]) })
                                            ),
                                        ])
                                    )
                                })
                        ))
                }
                if !options.sort.isEmpty { pairs.append(("sort", .array(hit.sortValues.map(valueJSON)))) }
                if let e = hit.explanation { pairs.append(("explanation", explanationJSON(e))) }
                return .object(pairs)
            }
            var fields: [(String, JSON)] = [
                ("query", .string(query)), ("total", .int(results.total)),
                ("took_ms", .double((results.tookMilliseconds * 1000).rounded() / 1000)), ("hits", .array(hits)),
            ]
            if !options.sort.isEmpty, let cursor = results.nextCursor, let token = SearchCommand.token(cursor) {
                fields.append(("next_cursor", .string(token)))
            }
            if !options.facets.isEmpty {
                fields.append(
                    (
                        "facets",
                        .object(
                            results.facets.map { facet in
                                (facet.field, .array(facet.counts.map { .array([.string($0.value), .int($0.count)]) }))
                            })
                    ))
            }
            let object: JSON = .object(fields)
            Terminal.write(object.serialized + "\n")
            return
        }
        let bold = options.highlight == .ansi
        var out = ""
        if results.hits.isEmpty {
            out += "No documents match \(query).\n"
        }
        for (i, hit) in results.hits.enumerated() {
            let rank = options.offset + i + 1
            let title = hit.title.isEmpty ? "(untitled)" : hit.title
            out += "\(rank). " + (bold ? "\u{1B}[1m\(title)\u{1B}[0m" : title) + "\n"
            out += "   id: \(hit.id)   score: \(formatScore(hit.score))\n"
            if !hit.snippet.isEmpty { out += "   \(hit.snippet)\n" }
            if allSnippets {
                for name in options.snippetFields.dropFirst() {
                    if let text = hit.snippets[name]?.text, !text.isEmpty { out += "   \(name): \(text)\n" }
                }
            }
            if !options.sort.isEmpty {
                let keys = zip(options.sort, hit.sortValues).map { key, value in
                    "\(key.field ?? "score"): \(value.map { "\($0)" } ?? "(none)")"
                }
                out += "   " + keys.joined(separator: "   ") + "\n"
            }
            if let e = hit.explanation {
                out += e.rendered(indent: 2)
            }
            out += "\n"
        }
        for facet in results.facets {
            let counts = facet.counts.map { "\($0.value) (\($0.count))" }.joined(separator: ", ")
            out += "\(facet.field): \(counts.isEmpty ? "(no values)" : counts)\n"
        }
        out +=
            "\(results.total) matching document\(results.total == 1 ? "" : "s") (\(String(format: "%.2f", results.tookMilliseconds)) ms)\n"
        Terminal.write(out)
    }

    static func formatScore(_ s: Double) -> String { String(format: "%.4f", s) }

    /// A typed value in JSON: numbers as numbers, dates as ISO 8601 text, keywords as text.
    /// A cursor as one shell-safe word: its JSON in base64url, without padding.
    static func token(_ cursor: SearchCursor) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(cursor) else { return nil }
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The cursor of a `next_cursor` token; nil when it is not one.
    static func cursor(_ token: String) -> SearchCursor? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(SearchCursor.self, from: data)
    }

    static func valueJSON(_ value: FieldValue?) -> JSON {
        switch value {
        case nil: return .null
        case .integer(let n): return .int(Int(n))
        case .double(let d): return .double(d)
        case .boolean(let b): return .bool(b)
        case .keywords(let list): return .array(list.map { .string($0) })
        case .some(let v): return .string(v.description)
        }
    }

    static func explanationJSON(_ e: Explanation) -> JSON {
        .object([
            ("value", .double(e.value)), ("description", .string(e.description)),
            ("details", .array(e.details.map(explanationJSON))),
        ])
    }
}

/// Says on stderr when a reader fell back to an older commit because newer ones are damaged.
func warnAboutSkippedCommits(_ reader: IndexReader) {
    for skipped in reader.skippedCommits {
        Terminal.writeError(
            "warning: \(skipped.file) is damaged (\(skipped.reason)); showing the older commit \(reader.commitFile ?? "commit"); run `poisk check`\n"
        )
    }
}
