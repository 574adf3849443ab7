import Foundation

/// Validation of a custom resource against its structural schema, with the causes and messages kube-apiserver
/// answers (kube-openapi's validator as apiextensions-apiserver converts its errors, then the CEL rules).
struct SchemaValidation {
    /// The causes found so far.
    private(set) var causes: [FieldCause] = []
    /// CEL rule failures, reported only when nothing stopped the rules.
    private var ruleCauses: [FieldCause] = []

    /// Validates `value` (the object, or only its status) and returns the causes in upstream's shape. `fieldPrefix` is
    /// prepended to field paths ("status" when the status subresource is validated); messages use paths relative
    /// to the validated value, as upstream's do.
    static func validate(_ value: JSON, schema: JSON, fieldPrefix: String = "", extraCauses: [FieldCause] = []) -> [FieldCause] {
        var validation = SchemaValidation()
        validation.node(value, schema: schema, field: fieldPrefix, relative: "")
        var causes = extraCauses + validation.causes
        // customresource strategy hasBlockingErr: these kinds of error keep the CEL rules from running.
        let blocking: Set<String> = ["FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany",
                                     "FieldValueTypeInvalid"]
        if causes.contains(where: { blocking.contains($0.reason) }) {
            causes.append(ObjectMetaValidation.celNotChecked)
        } else {
            causes += validation.ruleCauses
        }
        return causes
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func node(_ value: JSON, schema: JSON, field: String, relative: String) {
        let type = schema["type"]?.stringValue ?? ""
        if value == .null {
            if schema["nullable"] != .bool(true), !type.isEmpty, field.isEmpty == false {
                typeError(value, type: type, field: field, relative: relative)
            }
            return
        }
        if !type.isEmpty, schema["x-kubernetes-int-or-string"] != .bool(true), !Self.matches(value, type: type) {
            typeError(value, type: type, field: field, relative: relative)
            return
        }
        scalarChecks(value, schema: schema, field: field, relative: relative)
        switch value {
        case .object(let members):
            for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where members[name] == nil {
                causes.append(FieldCause(reason: "FieldValueRequired", message: "Required value", field: Self.join(field, name)))
            }
            for (name, child) in members.sorted(by: { $0.key < $1.key }) {
                if field.isEmpty, ["apiVersion", "kind", "metadata"].contains(name) { continue }
                guard let childSchema = schema["properties"]?[name]
                        ?? schema["additionalProperties"].flatMap({ $0.objectValue != nil ? $0 : nil }) else { continue }
                node(child, schema: childSchema, field: Self.join(field, name), relative: Self.join(relative, name))
            }
        case .array(let elements):
            if let max = schema["maxItems"]?.intValue, elements.count > Int(max) {
                causes.append(FieldCause(reason: "FieldValueTooMany", message: "Too many: \(elements.count): must have at most \(max) items",
                                         field: field))
            }
            if let min = schema["minItems"]?.intValue, elements.count < Int(min) {
                causes.append(FieldCause(reason: "FieldValueInvalid",
                                         message: "Invalid value: \(elements.count): \(relative) in body should have at least \(min) items",
                                         field: field))
            }
            listUniqueness(elements, schema: schema, field: field)
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    node(element, schema: items, field: "\(field)[\(index)]", relative: "\(relative)[\(index)]")
                }
            }
        default:
            break
        }
        for rule in schema["x-kubernetes-validations"]?.arrayValue ?? [] {
            guard let expression = rule["rule"]?.stringValue else { continue }
            let message = rule["message"]?.stringValue ?? "failed rule: \(expression)"
            switch CELRule.evaluate(expression, self: value) {
            case .success(true): break
            case .success(false):
                ruleCauses.append(FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \(Self.shown(value)): \(message)", field: field))
            case .failure(let error):
                ruleCauses.append(FieldCause(reason: "FieldValueInvalid",
                                             message: "Invalid value: \"\(Self.typeName(value))\": \(error.text) evaluating rule: \(message)",
                                             field: field))
            }
        }
    }

    /// Pattern, lengths, bounds, enum and format of a scalar.
    private mutating func scalarChecks(_ value: JSON, schema: JSON, field: String, relative: String) {
        if case .string(let text) = value {
            // kube-openapi's string validator stops at the first of maxLength, minLength, pattern that fails.
            if let max = schema["maxLength"]?.intValue, text.unicodeScalars.count > Int(max) {
                causes.append(FieldCause(reason: "FieldValueTooLong", message: "Too long: may not be more than \(max) bytes", field: field))
            } else if let min = schema["minLength"]?.intValue, text.unicodeScalars.count < Int(min) {
                causes.append(FieldCause(reason: "FieldValueInvalid",
                                         message: "Invalid value: \(Self.shown(value)): \(relative) in body should be at least \(min) chars long",
                                         field: field))
            } else if let pattern = schema["pattern"]?.stringValue, text.range(of: Self.icuPattern(pattern), options: .regularExpression) == nil {
                causes.append(FieldCause(reason: "FieldValueInvalid",
                                         message: "Invalid value: \(Self.shown(value)): \(relative) in body should match '\(pattern)'", field: field))
            }
            if schema["format"]?.stringValue == "date-time", (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: false))) == nil,
               (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) == nil {
                causes.append(FieldCause(reason: "FieldValueTypeInvalid",
                                         message: "Invalid value: \(Self.shown(value)): \(relative) in body must be of type date-time: \(Self.shown(value))",
                                         field: field))
            }
        }
        if let number = Self.number(value) {
            if let max = schema["maximum"].flatMap(Self.number), number > max {
                causes.append(FieldCause(reason: "FieldValueInvalid",
                                         message: "Invalid value: \(Self.shown(value)): \(relative) in body should be less than or equal to \(Self.shown(schema["maximum"]!))",
                                         field: field))
            }
            if let min = schema["minimum"].flatMap(Self.number), number < min {
                causes.append(FieldCause(reason: "FieldValueInvalid",
                                         message: "Invalid value: \(Self.shown(value)): \(relative) in body should be greater than or equal to \(Self.shown(schema["minimum"]!))",
                                         field: field))
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.map(Self.shown).joined(separator: ", ")
            causes.append(FieldCause(reason: "FieldValueNotSupported", message: "Unsupported value: \(Self.shown(value)): supported values: \(list)",
                                     field: field))
        }
    }

    /// `x-kubernetes-list-type: map` (unique keys) and `set` (unique items): the later duplicate is reported.
    private mutating func listUniqueness(_ elements: [JSON], schema: JSON, field: String) {
        switch schema["x-kubernetes-list-type"]?.stringValue {
        case "map":
            let keys = (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
            var seen = Set<JSON>()
            for (index, element) in elements.enumerated() {
                let key = JSON.object(Dictionary(uniqueKeysWithValues: keys.compactMap { name in element[name].map { (name, $0) } }))
                if !seen.insert(key).inserted {
                    causes.append(FieldCause(reason: "FieldValueDuplicate", message: "Duplicate value: \(key.text)", field: "\(field)[\(index)]"))
                }
            }
        case "set":
            var seen = Set<JSON>()
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                causes.append(FieldCause(reason: "FieldValueDuplicate", message: "Duplicate value: \(element.text)", field: "\(field)[\(index)]"))
            }
        default:
            break
        }
    }

    private mutating func typeError(_ value: JSON, type: String, field: String, relative: String) {
        let name = Self.typeName(value)
        causes.append(FieldCause(reason: "FieldValueTypeInvalid",
                                 message: "Invalid value: \"\(name)\": \(relative) in body must be of type \(type): \"\(name)\"", field: field))
    }

    static func matches(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int): true
        case ("integer", .double(let number)): number.rounded() == number
        case ("number", .int), ("number", .double): true
        default: false
        }
    }

    /// The JSON type name kube-openapi prints for a value.
    static func typeName(_ value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A value as field.Invalid prints it: strings quoted, numbers and booleans bare.
    static func shown(_ value: JSON) -> String {
        switch value {
        case .string(let text): goQuoted(text)
        case .int(let number): String(number)
        case .double(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        default: value.text
        }
    }

    /// A string as Go's %q writes it (strconv.Quote): printable characters as they are, `"` and `\` escaped, `\a \b \f
    /// \n \r \t \v`, other ASCII control characters as `\xNN`, other unprintable ones as `\uNNNN` or `\UNNNNNNNN`.
    static func goQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\x" + hex(scalar.value, digits: 2)
            case _ where scalar == " " || isPrintable(scalar): out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x10000: out += "\\u" + hex(scalar.value, digits: 4)
            default: out += "\\U" + hex(scalar.value, digits: 8)
            }
        }
        return out + "\""
    }

    /// Go's unicode.IsPrint without the space: letters, marks, numbers, punctuation and symbols.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark, .spacingMark,
             .enclosingMark, .decimalNumber, .letterNumber, .otherNumber, .connectorPunctuation, .dashPunctuation, .openPunctuation,
             .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
             .modifierSymbol, .otherSymbol: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// A Go (RE2) pattern, as kube-openapi matches it, in ICU's syntax: outside a bracket expression RE2's `.` matches
    /// anything but LF (ICU's also refuses CR, NEL, LS and PS) and `$` only the end of the text (ICU's also matches
    /// before a final line terminator, so "1h\n" would match `^…$`).
    static func icuPattern(_ pattern: String) -> String {
        var result = ""
        var inBrackets = false
        var escaped = false
        for character in pattern {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                result.append(character)
                escaped = true
            } else if inBrackets {
                result.append(character)
                if character == "]" { inBrackets = false }
            } else if character == "[" {
                result.append(character)
                inBrackets = true
            } else if character == "." {
                result += "[^\\n]"
            } else if character == "$" {
                result += "\\z"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func number(_ value: JSON) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
