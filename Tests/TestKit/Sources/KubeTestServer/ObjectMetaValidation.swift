/// ObjectMeta checks of apimachinery's ValidateObjectMeta that the recordings exercise: the name.
enum ObjectMetaValidation {
    /// What a custom resource adds once any error stopped its CEL rules from running.
    static let celNotChecked = FieldCause(
        reason: "FieldValueInvalid",
        message: "Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        field: "<nil>")

    /// Causes for metadata.name: required, at most 253 characters, a lowercase RFC 1123 subdomain.
    static func name(_ name: String, namespaced: Bool) -> [FieldCause] {
        if name.isEmpty {
            return [FieldCause(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")]
        }
        var causes: [FieldCause] = []
        let quoted = "\"\(name)\""
        if name.count > 253 {
            causes.append(FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \(quoted): must be no more than 253 characters",
                                     field: "metadata.name"))
        }
        else if !isSubdomain(name) {
            causes.append(FieldCause(
                reason: "FieldValueInvalid",
                message: "Invalid value: \(quoted): a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                field: "metadata.name"))
        }
        return causes
    }

    /// RFC 1123 subdomain: dot-separated labels of [a-z0-9-], each starting and ending alphanumeric.
    static func isSubdomain(_ text: String) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            let alnum: (Character) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            return alnum(first) && alnum(last) && label.allSatisfy { alnum($0) || $0 == "-" }
        }
    }
}
