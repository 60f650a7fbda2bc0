// The query tree: what to match and how to weigh it, buildable from Swift or parsed from text.
//
// For: describing a search. Words are analyzed by each searched field's analyzer when the query
// runs, so `Query.term("ракеты")` finds `ракетами`. Not for: execution (Search/).

/// How a clause of a boolean query takes part in matching.
public enum Occur: String, Sendable, Hashable, Codable {
    /// The document must match the clause; it adds to the score.
    case must
    /// The document may match; matching adds to the score. A boolean query with no `must`
    /// clause needs at least one `should` clause to match.
    case should
    /// The document must not match the clause.
    case mustNot
}

/// One clause of a ``Query/boolean(_:)`` query.
public struct BooleanClause: Sendable, Hashable {
    /// How the clause takes part.
    public var occur: Occur
    /// The clause's query.
    public var query: Query

    /// Creates a clause.
    public init(_ occur: Occur, _ query: Query) {
        self.occur = occur
        self.query = query
    }
}

/// A search query.
///
/// ```swift
/// let q: Query = .boolean([
///     BooleanClause(.must, .term("patriot")),
///     BooleanClause(.mustNot, .term("hellfire")),
/// ])
/// ```
public indirect enum Query: Sendable, Hashable {
    /// A word, analyzed by the field's analyzer. `field == nil` searches the default fields.
    /// A word the analyzer splits into several terms (`e-mail`, or a run of Chinese characters
    /// indexed as bigrams: `中可能存在`) matches them as a phrase.
    case term(String, field: String? = nil)
    /// Words that must appear in order; `slop` is how many position moves are allowed
    /// (Lucene's sloppy phrase: `"air defense"~3`).
    case phrase([String], field: String? = nil, slop: Int = 0)
    /// Terms starting with a prefix (the prefix is normalized but not stemmed).
    case prefix(String, field: String? = nil)
    /// Terms within `maxEdits` Damerau–Levenshtein edits (0…2) of the word's analyzed term.
    case fuzzy(String, field: String? = nil, maxEdits: Int = 2)
    /// A combination of clauses.
    case boolean([BooleanClause])
    /// A query whose score is multiplied by a factor.
    case boosted(Query, Double)
    /// Every document, with score 1.
    case matchAll
}
