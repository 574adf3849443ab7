/// Content negotiation as the apiserver's serializers allow it: JSON, YAML and protobuf bodies; JSON answers
/// (protobuf is accepted in Accept lists but answered as JSON when JSON is also acceptable).
enum MediaTypes {
    /// The media types the apiserver lists in 406 and 415 messages, in its order.
    static let served = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    /// Whether an Accept header admits a JSON answer (absent, `*/*`, `application/*`, or application/json in any form).
    static func acceptable(_ accept: String?) -> Bool {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return true }
        return accept.split(separator: ",").contains { part in
            let type = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            return ["*/*", "application/*", "application/json"].contains(type)
        }
    }

    /// Whether a request body of this Content-Type can be decoded (POST and PUT).
    static func decodable(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type.isEmpty || served.contains(type)
    }
}
