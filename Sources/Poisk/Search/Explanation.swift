// Explanations: how a hit's score came about, as a tree whose leaves are BM25 terms and
// phrases and whose inner nodes are sums, each node's value computed as the scorers compute it.
//
// For: `SearchOptions.explain` and `poisk search --explain`. Not for: scoring itself (BM25,
// the scorers).

/// How a score was computed (like Lucene's Explanation).
public struct Explanation: Sendable, Hashable, Codable {
    /// The value this node contributes.
    public var value: Double
    /// What the value is.
    public var description: String
    /// The parts it is made of.
    public var details: [Explanation]

    /// Creates an explanation node.
    public init(value: Double, description: String, details: [Explanation] = []) {
        self.value = value
        self.description = description
        self.details = details
    }

    /// An indented, human-readable rendering.
    public func rendered(indent: Int = 0) -> String {
        var s = String(repeating: "  ", count: indent) + "\(fmt(value)) \(description)\n"
        for d in details { s += d.rendered(indent: indent + 1) }
        return s
    }
}

extension Explanation {
    /// The description of a sum node.
    static let sumDescription = "sum of:"

    /// A node that adds the values of `parts` in order, from 0, as the scorers add scores.
    static func sum(_ parts: [Explanation]) -> Explanation {
        var total = 0.0
        for p in parts { total += p.value }
        return Explanation(value: total, description: sumDescription, details: parts)
    }
}

/// A number for an explanation's description, to four decimals.
func fmt(_ x: Double) -> String {
    let rounded = (x * 10000).rounded() / 10000
    return "\(rounded)"
}
