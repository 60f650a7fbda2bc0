// The flags that choose what `poisk index` and `poisk search --corpus` read from folders, and the
// summary of what was read.
//
// For: IndexCommands.swift and SearchCommand.swift. Not for: the rules themselves, which are the
// library's (`DocumentLoader.Options`).

import Poisk

enum LoadingFlags {
    /// The flags, each one an option of `DocumentLoader.Options`.
    static let specs: [OptionSpec] = [
        OptionSpec(name: "follow", takesValue: false, help: "follow symbolic links (only to targets inside the folders given)"),
        OptionSpec(name: "hidden", takesValue: false, help: "read files and folders whose names start with '.' (never .git)"),
        OptionSpec(name: "no-ignore", takesValue: false, help: "do not apply .gitignore, .ignore and .poiskignore files"),
        OptionSpec(
            name: "max-file-size", takesValue: true, help: "skip files over SIZE bytes; K, M, G suffixes are powers of 1024 (default 10M)",
            valueName: "SIZE"),
        OptionSpec(
            name: "glob", takesValue: true, help: "read the files matching PATTERN, gitignore-style (repeatable; !PATTERN leaves out)",
            valueName: "PATTERN"),
    ]

    /// The text for a command's details: what a folder yields by default.
    static let details = """
        In folders: files of the types \(DocumentLoader.Options.defaultFileTypes.map { "." + $0 }.joined(separator: " ")) (HTML
        without its markup), one document each, id = path under the folder. Symbolic links are not
        followed, FIFOs, sockets and devices never opened, names starting with '.' and what
        .gitignore, .ignore and .poiskignore files exclude skipped, and files over 10 MiB left out
        with a warning. A file named directly is read whatever its extension (.jsonl, .ndjson and
        .json as JSON Lines, optionally .gz).
        """

    /// Whether any of the flags was given.
    static func given(_ args: ParsedArguments) -> Bool {
        specs.contains { args.has($0.name) || args.value($0.name) != nil }
    }

    /// The loader options the flags ask for.
    /// - Throws: `UsageError` for a bad size or glob.
    static func options(_ args: ParsedArguments, command: String) throws -> DocumentLoader.Options {
        var options = DocumentLoader.Options()
        options.followSymlinks = args.has("follow")
        options.includeHidden = args.has("hidden")
        options.respectIgnoreFiles = !args.has("no-ignore")
        if let text = args.value("max-file-size") {
            guard let size = parseSize(text) else {
                throw UsageError(
                    message: "--max-file-size expects a size like 10M, 512K or 1048576 (K, M, G are powers of 1024), got '\(text)'",
                    command: command)
            }
            options.maxFileSize = size
        }
        options.globs = args.multiValues["glob"] ?? []
        do {
            try options.validate()
        } catch {
            throw UsageError(message: "--glob: \(error)", command: command)
        }
        return options
    }

    /// A size in bytes: digits with an optional K, M or G (KB/KiB, …: all powers of 1024).
    static func parseSize(_ text: String) -> Int? {
        let lower = text.lowercased()
        let digits = lower.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        let multiplier: Int
        switch lower.dropFirst(digits.count) {
        case "", "b": multiplier = 1
        case "k", "kb", "kib": multiplier = 1 << 10
        case "m", "mb", "mib": multiplier = 1 << 20
        case "g", "gb", "gib": multiplier = 1 << 30
        default: return nil
        }
        let (size, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow, size > 0 else { return nil }
        return size
    }

    /// `12 files read; skipped: 3 hidden, …`
    static func summaryLine(_ summary: DocumentLoader.Summary) -> String { summary.description }

    /// `{"indexed": N, "skipped": {"hidden": N, …}}`
    static func summaryJSON(_ summary: DocumentLoader.Summary) -> JSON {
        .object([
            ("indexed", .int(summary.filesRead)),
            ("skipped", .object(DocumentLoader.Summary.Reason.allCases.map { ($0.rawValue, .int(summary.count($0))) })),
        ])
    }
}
