/// One RFC 6902 operation: add, remove, replace, move, copy or test, on RFC 6901 JSON pointers.
struct JSONPatchOperation: Sendable {
    let op: String
    let path: [String]
    let from: [String]?
    let value: JSON?

    /// Decodes `{"op":…,"path":…}`; 400 when it is not a valid operation (as jsonpatch.DecodePatch).
    init(_ json: JSON) throws(StatusError) {
        guard let op = json["op"]?.stringValue, ["add", "remove", "replace", "move", "copy", "test"].contains(op) else {
            throw .badRequest("Unexpected kind: \(json["op"]?.stringValue ?? "")")
        }
        guard let pathText = json["path"]?.stringValue, let path = Self.pointer(pathText) else {
            throw .badRequest("operation missing path field")
        }
        self.op = op
        self.path = path
        if op == "move" || op == "copy" {
            guard let fromText = json["from"]?.stringValue, let from = Self.pointer(fromText) else {
                throw .badRequest("operation missing from field")
            }
            self.from = from
        } else {
            self.from = nil
        }
        value = json["value"]
        if ["add", "replace", "test"].contains(op), value == nil { throw .badRequest("operation missing value field") }
    }

    /// The document after this operation; nil when the operation does not apply (missing path, failed test).
    func apply(to document: JSON) -> JSON? {
        switch op {
        case "add": return Self.add(value ?? .null, at: path, in: document)
        case "remove": return Self.remove(at: path, in: document)?.document
        case "replace":
            guard let removed = Self.remove(at: path, in: document) else { return nil }
            return Self.add(value ?? .null, at: path, in: removed.document)
        case "move":
            guard let from, let removed = Self.remove(at: from, in: document) else { return nil }
            return Self.add(removed.value, at: path, in: removed.document)
        case "copy":
            guard let from, let copied = Self.get(at: from, in: document) else { return nil }
            return Self.add(copied, at: path, in: document)
        default:
            guard let actual = Self.get(at: path, in: document), jsonEquals(actual, value ?? .null) else { return nil }
            return document
        }
    }

    /// Splits "/a/b~1c" into ["a", "b/c"]; nil unless it is empty or starts with "/".
    static func pointer(_ text: String) -> [String]? {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { return nil }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(at path: [String], in document: JSON) -> JSON? {
        var current = document
        for token in path {
            switch current {
            case .object(let members): guard let next = members[token] else { return nil }; current = next
            case .array(let elements): guard let index = Int(token), elements.indices.contains(index) else { return nil }; current = elements[index]
            default: return nil
            }
        }
        return current
    }

    static func add(_ value: JSON, at path: [String], in document: JSON) -> JSON? {
        guard let token = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch document {
        case .object(var members):
            if rest.isEmpty {
                members[token] = value
            } else {
                guard let child = members[token], let updated = add(value, at: rest, in: child) else { return nil }
                members[token] = updated
            }
            return .object(members)
        case .array(var elements):
            if rest.isEmpty {
                if token == "-" { elements.append(value); return .array(elements) }
                guard let index = Int(token), index >= 0, index <= elements.count else { return nil }
                elements.insert(value, at: index)
            } else {
                guard let index = Int(token), elements.indices.contains(index),
                      let updated = add(value, at: rest, in: elements[index]) else { return nil }
                elements[index] = updated
            }
            return .array(elements)
        default:
            return nil
        }
    }

    static func remove(at path: [String], in document: JSON) -> (document: JSON, value: JSON)? {
        guard let token = path.first else { return nil }
        let rest = Array(path.dropFirst())
        switch document {
        case .object(var members):
            guard let child = members[token] else { return nil }
            if rest.isEmpty {
                members[token] = nil
                return (.object(members), child)
            }
            guard let result = remove(at: rest, in: child) else { return nil }
            members[token] = result.document
            return (.object(members), result.value)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { return nil }
            if rest.isEmpty {
                let removed = elements.remove(at: index)
                return (.array(elements), removed)
            }
            guard let result = remove(at: rest, in: elements[index]) else { return nil }
            elements[index] = result.document
            return (.array(elements), result.value)
        default:
            return nil
        }
    }
}
