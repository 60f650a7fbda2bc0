// Typed fields: the kinds of field beside analysed text, and the typed values documents carry.
//
// For: `FieldType` (a field's kind in the schema), `FieldValue` (a document's typed value) and
// the one conversion between them that the loader, the writer and queries all use: a value (or
// text) given for a field becomes that field's type, or a `FieldValue.ConversionError` saying
// why not. Not for: how each type is indexed (SegmentBuilder, NumericTerms) or stored in columns
// (Format/ColumnStore).
//
// Canonical forms: a keyword is its exact bytes (never analysed); an integer is an `Int64`; a
// double is a finite `Double` (−0 becomes 0); a date is an instant, in milliseconds since
// 1970-01-01T00:00:00Z (`ISODate` parses and prints ISO 8601); a boolean is a `Bool`.

/// The kind of a field: analysed text, or one of the typed kinds that are matched exactly,
/// filtered by ranges, sorted and counted in facets.
public enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Analysed text: tokenized, normalized, stemmed and scored by BM25 (the default).
    case text
    /// Exact strings, one or several per document (tags, sections, paths): never analysed, split
    /// or stemmed; matched byte for byte.
    case keyword
    /// 64-bit signed integers.
    case integer
    /// 64-bit floating-point numbers (finite).
    case double
    /// Instants: ISO 8601 dates (`2025-07-01`) and date-times (`2025-07-01T12:30:00+02:00`),
    /// kept as milliseconds since 1970-01-01T00:00:00Z.
    case date
    /// `true` or `false`.
    case boolean

    /// Whether the field is matched exactly and never scored (every type but ``text``).
    public var isTyped: Bool { self != .text }

    /// Whether values of this type are numbers on one scale (integers, doubles, dates): they
    /// take ranges and range facets.
    public var isNumeric: Bool { self == .integer || self == .double || self == .date }
}

/// A typed value of a document's field (see ``Document/values``).
///
/// A value given for a field of another type is converted to it when it can be without loss
/// (``converted(to:)``): an integer into a double field, a keyword `"2025-07-01"` into a date
/// field, a number into a keyword field as its decimal text.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    /// One exact string.
    case keyword(String)
    /// Several exact strings (tags); an empty list is no value.
    case keywords([String])
    /// A 64-bit integer.
    case integer(Int64)
    /// A floating-point number.
    case double(Double)
    /// An instant, in milliseconds since 1970-01-01T00:00:00Z (see ``ISODate``).
    case date(Int64)
    /// A boolean.
    case boolean(Bool)

    /// The longest keyword accepted, in UTF-8 bytes.
    public static let maxKeywordBytes = 4096

    /// An instant from a `Date`'s seconds since 1970 (milliseconds, rounded toward −∞).
    public static func date(secondsSince1970 seconds: Double) -> FieldValue {
        .date(Int64((seconds * 1000).rounded(.down)))
    }

    /// The value as text: keywords as they are (several joined by `", "`), numbers in decimal,
    /// dates in ISO 8601 (``ISODate/format(_:)``), booleans as `true`/`false`.
    public var description: String {
        switch self {
        case .keyword(let s): return s
        case .keywords(let list): return list.joined(separator: ", ")
        case .integer(let n): return String(n)
        case .double(let d): return FieldValue.format(d)
        case .date(let ms): return ISODate.format(ms)
        case .boolean(let b): return b ? "true" : "false"
        }
    }

    /// Roughly the bytes the value takes, for the writer's memory budget.
    var byteCount: Int {
        if case .keywords(let list) = self { return list.reduce(0) { $0 + $1.utf8.count + 8 } }
        if case .keyword(let s) = self { return s.utf8.count + 8 }
        return 8
    }

    /// The value's texts, one per value (a keyword list has several), as stored.
    var texts: [String] {
        if case .keywords(let list) = self { return list }
        return [description]
    }

    /// A double as the shortest text that reads back as the same number (`3.94`, `1e+20`), and
    /// an integral one without a fraction (`1587`).
    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}

extension FieldValue {
    /// Why a value does not fit a field's type: what was expected. ``PoiskError`` messages
    /// name the document and field around it.
    public struct ConversionError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The type the value was converted to.
        public var type: FieldType
        /// The value, as text.
        public var value: String
        /// What the type expects, for a person.
        public var expected: String

        /// "'abc' is not an integer (expected …)".
        public var description: String { "'\(value.prefix(80))' is not \(type.article) (expected \(expected))" }
    }

    /// This value as a value of `type`.
    ///
    /// Keywords convert to every type by parsing their text (``parse(_:as:)``); an integer
    /// converts to a double (the nearest one, beyond 2⁵³), a date (as milliseconds) or a keyword; a
    /// double to an integer only when integral; a boolean only to a keyword; a keyword list only
    /// to keywords or text, or to another type when it holds one value.
    /// - Returns: the canonical value: `.keywords` for a keyword field (one or several), and the
    ///   type's own case otherwise (text fields take ``description``).
    /// - Throws: ``ConversionError`` saying what the type expects.
    public func converted(to type: FieldType) throws(ConversionError) -> FieldValue {
        switch (self, type) {
        case (.keywords(let list), .keyword):
            for s in list { try FieldValue.checkKeyword(s) }
            return .keywords(list)
        case (.keywords(let list), _) where list.count == 1:
            return try FieldValue.keyword(list[0]).converted(to: type)
        case (.keywords(let list), .text):
            return .keyword(list.joined(separator: "\n"))
        case (.keywords(let list), _):
            throw ConversionError(type: type, value: "[" + list.joined(separator: ", ") + "]", expected: "one value, not a list")
        case (.keyword(let s), _):
            return try FieldValue.parse(s, as: type)
        case (_, .text):
            return .keyword(description)
        case (_, .keyword):
            return .keywords([description])
        case (.integer(let n), .integer):
            return .integer(n)
        case (.integer(let n), .double):
            return .double(Double(n))
        case (.integer(let n), .date):
            return .date(n)
        case (.double(let d), .double):
            guard d.isFinite else { throw ConversionError(type: type, value: "\(d)", expected: type.expectation) }
            return .double(d == 0 ? 0 : d)
        case (.double(let d), .integer):
            guard d.isFinite, d == d.rounded(), let n = Int64(exactly: d) else {
                throw ConversionError(type: type, value: FieldValue.format(d), expected: "a whole number")
            }
            return .integer(n)
        case (.date(let ms), .date):
            return .date(ms)
        case (.date(let ms), .integer):
            return .integer(ms)
        case (.boolean(let b), .boolean):
            return .boolean(b)
        default:
            throw ConversionError(type: type, value: description, expected: type.expectation)
        }
    }

    /// A field's text as a value of `type`: a keyword as it is (for `.text` too), an integer in
    /// decimal (`-12`, `+7`, no fraction), a double (`3.94`, `-1e5`; not `nan` or `inf`), a date
    /// in ISO 8601 (``ISODate/parse(_:)``), a boolean as `true` or `false` (any case). White
    /// space around numbers, dates and booleans is ignored; a keyword keeps it.
    /// - Throws: ``ConversionError`` saying what the type expects.
    public static func parse(_ text: String, as type: FieldType) throws(ConversionError) -> FieldValue {
        switch type {
        case .text:
            return .keyword(text)
        case .keyword:
            try checkKeyword(text)
            return .keywords([text])
        case .integer:
            let t = text.trimmingWhitespace()
            guard let n = Int64(t.hasPrefix("+") ? String(t.dropFirst()) : t) else {
                throw ConversionError(type: type, value: text, expected: type.expectation)
            }
            return .integer(n)
        case .double:
            let t = text.trimmingWhitespace()
            let isNumeral =
                !t.isEmpty
                && t.utf8.allSatisfy { c in
                    (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2B || c == 0x2D || c == 0x65 || c == 0x45
                }
            guard isNumeral, let d = Double(t), d.isFinite else {
                throw ConversionError(type: type, value: text, expected: type.expectation)
            }
            return .double(d == 0 ? 0 : d)
        case .date:
            guard let ms = ISODate.parse(text.trimmingWhitespace()) else {
                throw ConversionError(type: type, value: text, expected: type.expectation)
            }
            return .date(ms)
        case .boolean:
            switch text.trimmingWhitespace().lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw ConversionError(type: type, value: text, expected: type.expectation)
            }
        }
    }

    static func checkKeyword(_ s: String) throws(ConversionError) {
        guard s.utf8.count <= maxKeywordBytes else {
            throw ConversionError(
                type: .keyword, value: s, expected: "at most \(maxKeywordBytes) bytes, not \(s.utf8.count)")
        }
    }

    /// The type a value gets in a field the schema does not declare: keywords for strings given
    /// as values, the value's own type otherwise.
    public var inferredType: FieldType {
        switch self {
        case .keyword, .keywords: return .keyword
        case .integer: return .integer
        case .double: return .double
        case .date: return .date
        case .boolean: return .boolean
        }
    }

    /// The number a numeric value (integer, double, date) or boolean orders by, as a sortable
    /// unsigned integer (see ``SortableNumber``); nil for keywords.
    var sortableBits: UInt64? {
        switch self {
        case .integer(let n), .date(let n): return SortableNumber.bits(n)
        case .double(let d): return SortableNumber.bits(d)
        case .boolean(let b): return b ? 1 : 0
        case .keyword, .keywords: return nil
        }
    }
}

extension FieldType {
    /// "a keyword", "an integer", …, for messages.
    var article: String {
        switch self {
        case .text: return "text"
        case .keyword: return "a keyword"
        case .integer: return "an integer"
        case .double: return "a number"
        case .date: return "a date"
        case .boolean: return "a boolean"
        }
    }

    /// What a value of this type looks like, for messages.
    var expectation: String {
        switch self {
        case .text: return "text"
        case .keyword: return "a string"
        case .integer: return "a whole number such as 1587"
        case .double: return "a number such as 3.94"
        case .date: return "an ISO 8601 date such as 2025-07-01 or 2025-07-01T12:30:00Z"
        case .boolean: return "true or false"
        }
    }
}

/// Numbers as unsigned integers whose order is the numbers' order: the form numeric terms and
/// columns hold. An `Int64` with its sign bit flipped; a `Double`'s bit pattern with every bit
/// flipped when negative and the sign bit flipped otherwise (−0 and 0 are one value; NaN is never
/// stored).
public enum SortableNumber {
    /// The sortable form of an integer.
    @inline(__always)
    public static func bits(_ n: Int64) -> UInt64 { UInt64(bitPattern: n) ^ (1 << 63) }

    /// The integer of a sortable form.
    @inline(__always)
    public static func integer(_ bits: UInt64) -> Int64 { Int64(bitPattern: bits ^ (1 << 63)) }

    /// The sortable form of a double.
    @inline(__always)
    public static func bits(_ d: Double) -> UInt64 {
        let b = (d == 0 ? 0.0 : d).bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }

    /// The double of a sortable form.
    @inline(__always)
    public static func double(_ bits: UInt64) -> Double {
        Double(bitPattern: bits & (1 << 63) != 0 ? bits & ~(1 << 63) : ~bits)
    }
}
