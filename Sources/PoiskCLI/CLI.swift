// Command dispatch, help texts and error reporting for `poisk`.

import Poisk

/// A subcommand of `poisk`.
struct Command: Sendable {
    let name: String
    let summary: String
    let usage: String
    let details: String
    let options: [OptionSpec]
    let run: @Sendable (ParsedArguments) throws -> Int32
}

enum CLI {
    static let exitSuccess: Int32 = 0
    static let exitError: Int32 = 1
    static let exitUsage: Int32 = 2
    static let exitDamaged: Int32 = 3

    static var commands: [Command] {
        [
            SearchCommand.command, IndexCommand.command, DeleteCommand.command, MergeCommand.command,
            StatsCommand.command, CheckCommand.command, AnalyzeCommand.command,
        ]
    }

    static let overview = """
        poisk: full-text search for mixed English, Russian and Ukrainian text.

        Usage: poisk COMMAND [OPTIONS] [ARGUMENTS]
               poisk help COMMAND

        Commands:
        """

    static let exitCodes = """
        Exit status:
          0  success (including a search with no hits)
          1  error (missing file, bad input, I/O failure)
          2  usage error (unknown option, bad value, malformed query)
          3  damaged index
        """

    static func mainHelp() -> String {
        var s = overview + "\n"
        for c in commands { s += "  " + c.name.padding(9) + c.summary + "\n" }
        s += "\nExamples:\n  poisk search --corpus seeds Patriot\n  poisk index --index my.index seeds\n  poisk search --index my.index \"air defense\"\n  poisk analyze \"Зеленського ракети\"\n\n"
        s += exitCodes + "\n\nEnvironment: NO_COLOR disables ANSI colour and bold.\n"
        return s
    }

    static func help(for command: Command) -> String {
        var s = "Usage: \(command.usage)\n\n\(command.summary)\n"
        if !command.details.isEmpty { s += "\n\(command.details)\n" }
        s += "\nOptions:\n"
        for o in command.options {
            let flag = "--" + o.name + (o.takesValue ? " " + o.valueName : "")
            s += "  " + flag.padding(26) + o.help + "\n"
        }
        s += "  " + "-h, --help".padding(26) + "show this help\n"
        s += "\n" + exitCodes + "\n"
        return s
    }

    static func run(_ arguments: [String]) -> Int32 {
        guard let first = arguments.first else {
            Terminal.writeError(mainHelp())
            return exitUsage
        }
        if first == "--help" || first == "-h" || first == "help" {
            if first == "help", arguments.count > 1 {
                guard let c = commands.first(where: { $0.name == arguments[1] }) else {
                    Terminal.writeError("poisk: unknown command '\(arguments[1])'; see `poisk --help`\n")
                    return exitUsage
                }
                Terminal.write(help(for: c))
                return exitSuccess
            }
            Terminal.write(mainHelp())
            return exitSuccess
        }
        if first == "--version" {
            Terminal.write("poisk \(poiskVersion)\n")
            return exitSuccess
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            Terminal.writeError("poisk: unknown command '\(first)'; see `poisk --help`\n")
            return exitUsage
        }
        do {
            let parsed = try parseArguments(
                Array(arguments.dropFirst()), specs: command.options + [OptionSpec(name: "help", takesValue: false, help: "")],
                command: command.name)
            if parsed.has("help") {
                Terminal.write(help(for: command))
                return exitSuccess
            }
            return try command.run(parsed)
        } catch let error as UsageError {
            Terminal.writeError("poisk \(command.name): \(error.message) (see `poisk help \(command.name)`)\n")
            return exitUsage
        } catch let error as PoiskError {
            return report(error)
        } catch {
            Terminal.writeError("poisk \(command.name): \(error)\n")
            return exitError
        }
    }

    /// Prints a library error; a malformed query is shown with a caret under the problem.
    static func report(_ error: PoiskError) -> Int32 {
        switch error {
        case .invalidQuery(let message, let query, let offset):
            let prefix = "  "
            let caretPad = String(repeating: " ", count: max(0, offset))
            Terminal.writeError("poisk: invalid query: \(message)\n\(prefix)\(query)\n\(prefix)\(caretPad)^\n")
            return exitUsage
        case .corruptIndex, .unsupportedFormatVersion:
            Terminal.writeError("poisk: \(error)\n")
            return exitDamaged
        default:
            Terminal.writeError("poisk: \(error)\n")
            return exitError
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

/// Output helpers: stdout/stderr, terminal detection, NO_COLOR.
enum Terminal {
    static func write(_ s: String) {
        var s = s
        s.withUTF8 { SystemProcess.write(UnsafeRawBufferPointer($0), to: 1) }
    }

    static func writeError(_ s: String) {
        var s = s
        s.withUTF8 { SystemProcess.write(UnsafeRawBufferPointer($0), to: 2) }
    }

    static var stdoutIsTerminal: Bool { SystemProcess.isTerminal(1) }
    static var stderrIsTerminal: Bool { SystemProcess.isTerminal(2) }
    static var colorAllowed: Bool { SystemProcess.environment("NO_COLOR") == nil }
}
