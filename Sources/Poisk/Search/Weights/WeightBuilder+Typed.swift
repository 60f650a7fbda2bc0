// Typed-field queries bound to a snapshot: a value, a prefix or a range of a keyword, integer,
// double, date or boolean field becomes a filter leaf (TermSetWeight) naming the terms to read.
//
// For: WeightBuilder, for every query on a typed field. The terms are those `TypedTerms` indexes:
// keywords as they are, booleans as `false`/`true`, numbers as trie terms (a range split into
// one dictionary range per precision level, NumericTerms). Not for: text fields (analysed and
// scored) or reading postings (TermSetWeight).

extension WeightBuilder {
    /// The type of a typed field, nil for a text field (or one the index does not have).
    func typedField(_ name: String) -> FieldType? {
        guard let type = reader.schema.options(name)?.type, type.isTyped else { return nil }
        return type
    }

    /// The type of a field that must be typed.
    /// - Throws: `.unknownField`, or `.invalidArgument` for a text field.
    func requireTyped(_ name: String, for what: String) throws -> FieldType {
        guard let options = reader.schema.options(name) else { throw PoiskError.unknownField(name: name) }
        guard options.type.isTyped else {
            throw PoiskError.invalidArgument(
                reason:
                    "\(what) needs a keyword, integer, double, date or boolean field; '\(name)' is a text field (declare it with a type in the schema)"
            )
        }
        return options.type
    }

    /// The filter leaf of documents whose field holds `value` (any of several keywords). A date
    /// written as a day alone matches that whole day.
    func typedValue(_ value: FieldValue, field: String, type: FieldType) throws -> Weight {
        let text = "\(field):\(value)"
        if type == .date, case .keyword(let written) = value, let (ms, isDay) = ISODate.parseWithPrecision(written.trimmingWhitespace()),
            isDay
        {
            let (end, overflow) = ms.addingReportingOverflow(ISODate.millisecondsPerDay - 1)
            return numericRange(
                field: field, lower: SortableNumber.bits(ms), upper: SortableNumber.bits(overflow ? .max : end), text: text)
        }
        let converted = try convert(value, to: type, field: field)
        var terms: [[UInt8]] = []
        if let bits = converted.sortableBits, type.isNumeric {
            terms.append(NumericTerms.term(bits, shift: 0))
        } else {
            TypedTerms.forEachTerm(of: converted) { terms.append(Array($0)) }
        }
        let range = converted.sortableBits.map { (lower: $0, upper: $0) }
        return .filter(TermSetWeight(field: field, terms: [.exact(terms)], text: text, sortableRange: range))
    }

    /// The filter leaf of a keyword prefix (`tags:ukr*`): the prefix as written, not analysed.
    func typedPrefix(_ prefix: String, field: String, type: FieldType) throws -> Weight {
        guard type == .keyword else {
            throw PoiskError.invalidArgument(
                reason: "a prefix (\(prefix)*) needs a keyword or text field; '\(field)' is a \(type.rawValue) field: use a range")
        }
        return .filter(TermSetWeight(field: field, terms: [.prefix(Array(prefix.utf8))], text: "\(field):\(prefix)*"))
    }

    /// The filter leaf of a range: keywords by bytes, booleans as `false` < `true`, numbers by
    /// value (a date bound written as a day alone covers that whole day).
    func typedRange(
        field: String, type: FieldType, from: FieldValue?, to: FieldValue?, includesFrom: Bool, includesTo: Bool
    ) throws -> Weight {
        let text =
            "\(field):\(includesFrom ? "[" : "{")\(from.map { "\($0)" } ?? "*") TO \(to.map { "\($0)" } ?? "*")\(includesTo ? "]" : "}")"
        switch type {
        case .keyword, .boolean, .text:
            func bytes(_ value: FieldValue?) throws -> [UInt8]? {
                guard let value else { return nil }
                var out: [UInt8] = []
                TypedTerms.forEachTerm(of: try convert(value, to: type, field: field)) { if out.isEmpty { out = Array($0) } }
                return out
            }
            let lower = try bytes(from) ?? []
            let upper = try bytes(to)
            return .filter(
                TermSetWeight(
                    field: field,
                    terms: [.range(lower: lower, upper: upper, includesLower: includesFrom || from == nil, includesUpper: includesTo)],
                    text: text))
        case .integer, .double, .date:
            guard let lower = try TypedBounds.numeric(from, type: type, field: field, upper: false, inclusive: includesFrom),
                let upper = try TypedBounds.numeric(to, type: type, field: field, upper: true, inclusive: includesTo)
            else { return .nothing }
            return numericRange(field: field, lower: lower, upper: upper, text: text)
        }
    }

    /// A range of sortable numbers as trie-term ranges; nothing when it is empty.
    private func numericRange(field: String, lower: UInt64, upper: UInt64, text: String) -> Weight {
        let intervals = NumericTerms.intervals(lower, upper)
        if intervals.isEmpty { return .nothing }
        return .filter(
            TermSetWeight(
                field: field,
                terms: intervals.map { .range(lower: $0.lower, upper: $0.upper, includesLower: true, includesUpper: true) },
                text: text, sortableRange: (lower, upper)))
    }

    private func convert(_ value: FieldValue, to type: FieldType, field: String) throws -> FieldValue {
        try TypedBounds.convert(value, to: type, field: field)
    }
}

/// Bounds of typed values, shared by range queries and range facets.
enum TypedBounds {
    /// `value` in the field's type.
    /// - Throws: `.invalidArgument` naming the field and what its type expects.
    static func convert(_ value: FieldValue, to type: FieldType, field: String) throws -> FieldValue {
        do {
            return try value.converted(to: type)
        } catch {
            throw PoiskError.invalidArgument(reason: "field '\(field)' is \(type.article): \(error.description)")
        }
    }

    /// A numeric bound as the inclusive sortable bound it stands for; nil when nothing can
    /// satisfy it (an exclusive bound at the end of the scale). An open bound is the end of the
    /// scale. A fraction bounding an integer field rounds inward; a day bounding a date field
    /// stands for the whole day.
    static func numeric(_ value: FieldValue?, type: FieldType, field: String, upper: Bool, inclusive: Bool) throws -> UInt64? {
        guard let value else { return upper ? .max : 0 }
        var bits: UInt64
        var isInclusive = inclusive
        if type == .date, case .keyword(let written) = value, let (ms, isDay) = ISODate.parseWithPrecision(written.trimmingWhitespace()),
            isDay
        {
            // [day: from its start; {day: after its end; day]: to its end; day}: before its start.
            let day = ISODate.millisecondsPerDay
            switch (upper, inclusive) {
            case (false, true): bits = SortableNumber.bits(ms)
            case (false, false): bits = SortableNumber.bits(ms.addingReportingOverflow(day).overflow ? .max : ms + day)
            case (true, true): bits = SortableNumber.bits(ms.addingReportingOverflow(day - 1).overflow ? .max : ms + day - 1)
            case (true, false): bits = SortableNumber.bits(ms)
            }
            if upper && !inclusive {
                guard bits > 0 else { return nil }
                return bits - 1
            }
            return bits
        }
        if type == .integer, case .keyword(let written) = value, (try? FieldValue.parse(written, as: .integer)) == nil,
            case .double(let d) = try TypedBounds.convert(value, to: .double, field: field)
        {
            // 4.5 bounding integers: from 5 up, or to 4 down (both inclusive).
            let rounded = upper ? d.rounded(.down) : d.rounded(.up)
            if rounded != d { isInclusive = true }
            guard let n = Int64(exactly: max(-9.2e18, min(9.2e18, rounded))) else { return upper ? .max : 0 }
            bits = SortableNumber.bits(n)
        } else {
            guard let b = try TypedBounds.convert(value, to: type, field: field).sortableBits else { return nil }
            bits = b
        }
        if isInclusive { return bits }
        if upper {
            guard bits > 0 else { return nil }
            return bits - 1
        }
        guard bits < .max else { return nil }
        return bits + 1
    }

}
