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
    /// The document must match the clause, which adds nothing to the score (Lucene's FILTER): a
    /// filter never changes a document's score, only whether it matches. A `must` clause on a
    /// typed field (a keyword, a range) is a filter too, since typed fields are never scored.
    case filter
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
///     BooleanClause(.filter, .term("ukraine", field: "tags")),
///     BooleanClause(.filter, .range("date", from: .keyword("2025-07-01"), to: .keyword("2025-07-31"))),
/// ])
/// ```
///
/// On a typed field (``FieldType``: keyword, integer, double, date, boolean) a query matches
/// values exactly and scores nothing: `.term("driver-api", field: "section")` is the keyword
/// `driver-api`, never analysed or split; `.term("false", field: "draft")` the boolean.
public indirect enum Query: Sendable, Hashable {
    /// A word, analyzed by the field's analyzer. `field == nil` searches the default fields.
    /// A word the analyzer splits into several terms (`e-mail`, or a run of Chinese characters
    /// indexed as bigrams: `中可能存在`) matches them as a phrase. On a typed field: its value
    /// written as text (`driver-api`, `1587`, `2025-07-01`, `true`), matched exactly; a date
    /// alone matches the whole day.
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
    /// Every document, with score 1 (`*:*`).
    case matchAll
    /// Documents whose typed field holds `value` (for `.keywords`, any of them), scoring
    /// nothing. A value of another type is converted to the field's (``FieldValue/converted(to:)``):
    /// `.keyword("2025-07-01")` for a date field is that day.
    case value(FieldValue, field: String)
    /// Documents whose typed field holds a value between `from` and `to` (nil: unbounded on that
    /// side), scoring nothing. `includesFrom`/`includesTo` choose `[` or `{` at each end. Bounds
    /// of another type are converted to the field's; a date bound written as a day alone
    /// (`.keyword("2025-07-31")`) covers that whole day (an inclusive upper bound ends at the
    /// day's last millisecond, an exclusive lower bound starts after it). On a keyword field
    /// the range compares UTF-8 bytes.
    case range(String, from: FieldValue?, to: FieldValue?, includesFrom: Bool = true, includesTo: Bool = true)
}

extension Query {
    /// `query`, with `filters` that documents must also match without changing their scores
    /// (each one a ``Occur/filter`` clause).
    public static func filtered(_ query: Query, by filters: [Query]) -> Query {
        .boolean([BooleanClause(.must, query)] + filters.map { BooleanClause(.filter, $0) })
    }
}
