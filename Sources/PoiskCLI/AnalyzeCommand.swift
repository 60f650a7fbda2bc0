// `poisk analyze`: show how text becomes terms (like Elasticsearch's _analyze).

import Poisk

enum AnalyzeCommand {
    static let command = Command(
        name: "analyze",
        summary: "show the tokens and terms the analyzer makes of TEXT",
        usage: "poisk analyze [--json] [--index DIR --field F] TEXT",
        details: """
            Prints each token's position, original text, UTF-8 byte range and indexed term, using the
            default analyzer that `poisk index` and `search --corpus` give the body field; with --index,
            the analyzer saved in that index for --field (default body).
            """,
        options: [
            OptionSpec(name: "json", takesValue: false, help: "print {\"tokens\": [{position, text, start, end, term}]}"),
            OptionSpec(name: "index", takesValue: true, help: "use the analyzer saved in this index", valueName: "DIR"),
            OptionSpec(name: "field", takesValue: true, help: "the field whose analyzer to use (default body)", valueName: "F"),
        ],
        run: run)

    static func run(_ args: ParsedArguments) throws -> Int32 {
        guard !args.positionals.isEmpty else { throw UsageError(message: "missing TEXT", command: "analyze") }
        let text = args.positionals.joined(separator: " ")
        let field = args.value("field") ?? "body"
        let analyzer: Analyzer
        if let path = args.value("index") {
            let reader = try IndexReader.open(at: path)
            guard reader.schema.fieldID(field) != nil else { throw PoiskError.unknownField(name: field) }
            analyzer = reader.analyzer(for: field)
        } else {
            if args.value("field") != nil {
                throw UsageError(message: "--field needs --index DIR", command: "analyze")
            }
            analyzer = Analyzer(Schema.standard.fields[1].analyzer)
        }
        let tokens = analyzer.tokens(of: text)
        if args.has("json") {
            let list: [JSON] = tokens.map {
                .object([
                    ("position", .int($0.position)), ("text", .string($0.text)), ("start", .int($0.start)),
                    ("end", .int($0.end)), ("term", .string($0.term)),
                ])
            }
            Terminal.write(JSON.object([("tokens", .array(list))]).serialized + "\n")
        } else {
            var out = "position  start  end    text → term\n"
            for t in tokens {
                out += String(t.position).padding(10) + String(t.start).padding(7) + String(t.end).padding(7)
                out += "\(t.text) → \(t.term)\n"
            }
            Terminal.write(out)
        }
        return CLI.exitSuccess
    }
}
