// A document's values brought into its fields' types, before it is indexed.
//
// For: the writer's `add`, which resolves every document against its schema (adding the fields
// it does not know) so that builders, on any thread, read canonical values only; and the loader,
// which checks JSON Lines values against a schema it is given. Not for: the conversions
// themselves (FieldValue) or indexing (SegmentBuilder).

extension Document {
    /// This document with each field's value in its field's type: a typed field's value (from
    /// ``values``, else its text in ``fields``) converted to the canonical form of its type and
    /// kept in ``values`` only; a text field's value kept in ``fields`` only (a typed value given
    /// for a text field becomes its text). Empty text and empty keyword lists are no value.
    ///
    /// Fields `schema` does not declare are added to it first, in name order: text with the
    /// dynamic template, a typed value as a field of its type (``Schema/dynamicOptions(_:type:)``).
    /// - Parameter schema: the writer's schema; grows by the fields the document brings.
    /// - Throws: `PoiskError.invalidFieldValue` naming the document, the field and the value.
    /// - Complexity: O(fields of the document × fields of the schema).
    func resolved(against schema: inout Schema) throws(PoiskError) -> Document {
        if isResolved(in: schema) { return self }
        var names = Set(fields.keys)
        names.formUnion(values.keys)
        for name in names.sorted() where schema.fieldID(name) == nil {
            _ = schema.fieldIDAdding(name, type: values[name]?.inferredType ?? schema.dynamicField.type)
        }
        var out = self
        for name in names.sorted() {
            guard let options = schema.options(name) else { continue }
            let given: FieldValue
            if let value = values[name] {
                given = value
            } else if let text = fields[name] {
                given = .keyword(text)
            } else {
                continue
            }
            do {
                let value = try given.converted(to: options.type)
                if options.type == .text {
                    out.values.removeValue(forKey: name)
                    if case .keyword(let text) = value { out.fields[name] = text }
                } else {
                    out.fields.removeValue(forKey: name)
                    if case .keywords(let list) = value {
                        let kept = list.filter { !$0.isEmpty }
                        if kept.isEmpty {
                            out.values.removeValue(forKey: name)
                        } else {
                            out.values[name] = .keywords(kept)
                        }
                    } else {
                        out.values[name] = value
                    }
                }
            } catch {
                if case .keyword(let text) = given, text.isEmpty {
                    // No value: an empty text for a typed field.
                    out.fields.removeValue(forKey: name)
                    out.values.removeValue(forKey: name)
                    continue
                }
                throw PoiskError.invalidFieldValue(
                    document: "document '\(id.prefix(200))'", field: name, value: error.value,
                    expected: "\(error.expected) (the field's type is \(options.type.rawValue))")
            }
        }
        return out
    }
}

extension Document {
    /// Whether the document is already in `schema`'s types (as `resolved(against:)` leaves it,
    /// or as the loader gives it with a schema): every text field declared text, every value
    /// declared with its type and in its canonical form. Checked without copying anything.
    func isResolved(in schema: Schema) -> Bool {
        for name in fields.keys {
            guard let options = schema.options(name), options.type == .text else { return false }
        }
        for (name, value) in values {
            guard let options = schema.options(name), value.isCanonical(for: options.type) else { return false }
        }
        return true
    }
}

extension FieldValue {
    /// Whether the value is what ``converted(to:)`` returns for `type` (so converting it again
    /// would change nothing): keywords as a list of non-empty values within the size limit, a
    /// finite double other than −0, the type's own case otherwise.
    func isCanonical(for type: FieldType) -> Bool {
        switch (self, type) {
        case (.keywords(let list), .keyword):
            return !list.isEmpty && list.allSatisfy { !$0.isEmpty && $0.utf8.count <= FieldValue.maxKeywordBytes }
        case (.integer, .integer), (.date, .date), (.boolean, .boolean):
            return true
        case (.double(let d), .double):
            return d.isFinite && !(d == 0 && d.sign == .minus)
        default:
            return false
        }
    }
}
