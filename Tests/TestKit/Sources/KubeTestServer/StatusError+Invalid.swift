/// One entry of a 422's `details.causes`: the reason (FieldValueInvalid, FieldValueRequired, …), the message without
/// the field, and the field path.
struct FieldCause: Sendable, Hashable {
    var reason: String
    var message: String
    var field: String

    /// "field: message", as the Status message lists it.
    var text: String { "\(field): \(message)" }
}

extension StatusError {
    /// 422 Invalid as apierrors.NewInvalid writes it for a validation failure: "Kind.group "name" is invalid: …" with one
    /// cause alone or several in brackets, `details.kind` the Kind (not the plural).
    static func invalid(kind: String, group: String, name: String, causes: [FieldCause]) -> StatusError {
        var seen = Set<String>()
        let texts = causes.map(\.text).filter { seen.insert($0).inserted }
        let list = texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        var details: [String: JSON] = ["kind": .string(kind),
                                       "causes": .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message),
                                                                      "field": .string($0.field)] })]
        if !group.isEmpty { details["group"] = .string(group) }
        if !name.isEmpty { details["name"] = .string(name) }
        return StatusError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(list)", details: .object(details))
    }
}
