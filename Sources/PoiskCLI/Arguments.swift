// A small command-line argument parser: flags with or without values, positionals, `--`.
//
// For: the `poisk` CLI only. Not for: the library (no CLI concerns leak into Poisk).

/// A usage error: exit status 2 with a one-line message.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    let command: String?
    var description: String { message }
}

/// One option a command accepts.
struct OptionSpec: Sendable {
    let name: String  // without dashes
    let takesValue: Bool
    let help: String
    var valueName: String = "VALUE"
}

/// Parsed arguments of one command.
struct ParsedArguments {
    var values: [String: String] = [:]
    var multiValues: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    func value(_ name: String) -> String? { values[name] }
    func has(_ name: String) -> Bool { flags.contains(name) }

    func int(_ name: String, command: String, range: ClosedRange<Int>) throws -> Int? {
        guard let v = values[name] else { return nil }
        guard let n = Int(v), range.contains(n) else {
            throw UsageError(message: "--\(name) expects a whole number in \(range.lowerBound)…\(range.upperBound), got '\(v)'", command: command)
        }
        return n
    }

    func double(_ name: String, command: String) throws -> Double? {
        guard let v = values[name] else { return nil }
        guard let n = Double(v), n.isFinite, n >= 0 else {
            throw UsageError(message: "--\(name) expects a non-negative number, got '\(v)'", command: command)
        }
        return n
    }
}

/// Parses `arguments` against `specs`. Options may come before or after positionals;
/// `--name=value` and `--name value` both work; `--` ends options.
func parseArguments(_ arguments: [String], specs: [OptionSpec], command: String) throws -> ParsedArguments {
    var result = ParsedArguments()
    var i = 0
    var optionsEnded = false
    while i < arguments.count {
        let arg = arguments[i]
        i += 1
        if optionsEnded || !arg.hasPrefix("-") || arg == "-" {
            result.positionals.append(arg)
            continue
        }
        if arg == "--" {
            optionsEnded = true
            continue
        }
        var name = String(arg.drop(while: { $0 == "-" }))
        var inlineValue: String?
        if let eq = name.firstIndex(of: "=") {
            inlineValue = String(name[name.index(after: eq)...])
            name = String(name[..<eq])
        }
        if name == "h" { name = "help" }
        guard let spec = specs.first(where: { $0.name == name }) else {
            // A query like `-Hellfire` is a positional, not an option.
            if arg.hasPrefix("-") && !arg.hasPrefix("--") && command == "search" {
                result.positionals.append(arg)
                continue
            }
            throw UsageError(message: "unknown option '\(arg)' for '\(command)'", command: command)
        }
        if spec.takesValue {
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard i < arguments.count else {
                    throw UsageError(message: "option --\(name) needs a value", command: command)
                }
                value = arguments[i]
                i += 1
            }
            result.values[name] = value
            result.multiValues[name, default: []].append(value)
        } else {
            if inlineValue != nil { throw UsageError(message: "option --\(name) takes no value", command: command) }
            result.flags.insert(name)
        }
    }
    return result
}
