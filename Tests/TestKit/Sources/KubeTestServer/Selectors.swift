import Foundation

/// A `labelSelector` query parameter: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma-separated.
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String), notEquals(String, String), exists(String), notExists(String)
        case isIn(String, Set<String>), notIn(String, Set<String>)
    }

    let requirements: [Requirement]

    /// Parses the selector; nil when malformed.
    init?(_ text: String?) {
        var parsed: [Requirement] = []
        for part in Self.splitTopLevel(text ?? "") {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            if let requirement = Self.parseSet(item) {
                parsed.append(requirement)
            } else if let range = item.range(of: "!=") {
                parsed.append(.notEquals(Self.trim(item[..<range.lowerBound]), Self.trim(item[range.upperBound...])))
            } else if let range = item.range(of: "==") ?? item.range(of: "=") {
                parsed.append(.equals(Self.trim(item[..<range.lowerBound]), Self.trim(item[range.upperBound...])))
            } else if item.hasPrefix("!") {
                parsed.append(.notExists(Self.trim(item.dropFirst())))
            } else if !item.contains(" ") {
                parsed.append(.exists(item))
            } else {
                return nil
            }
        }
        requirements = parsed
    }

    var isEmpty: Bool { requirements.isEmpty }

    /// Whether the labels satisfy every requirement.
    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .exists(let key): labels[key] != nil
            case .notExists(let key): labels[key] == nil
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            }
        }
    }

    private static func parseSet(_ item: String) -> Requirement? {
        for (word, negated) in [(" notin ", true), (" in ", false)] {
            guard let range = item.range(of: word), item.hasSuffix(")"),
                  let open = item.firstIndex(of: "("), open > range.lowerBound else { continue }
            let key = trim(item[..<range.lowerBound])
            let values = Set(item[item.index(after: open)..<item.index(before: item.endIndex)].split(separator: ",").map { trim($0) })
            return negated ? .notIn(key, values) : .isIn(key, values)
        }
        return nil
    }

    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    private static func trim(_ text: Substring) -> String { text.trimmingCharacters(in: .whitespaces) }
}

/// A `fieldSelector` query parameter: `path=value`, `path==value`, `path!=value`, comma-separated, on dotted paths.
struct FieldSelector: Sendable {
    let requirements: [(path: String, value: String, equal: Bool)]

    /// Parses the selector; nil when malformed.
    init?(_ text: String?) {
        var parsed: [(path: String, value: String, equal: Bool)] = []
        for part in (text ?? "").split(separator: ",") {
            let item = String(part)
            if let range = item.range(of: "!=") {
                parsed.append((String(item[..<range.lowerBound]), String(item[range.upperBound...]), false))
            } else if let range = item.range(of: "==") ?? item.range(of: "=") {
                parsed.append((String(item[..<range.lowerBound]), String(item[range.upperBound...]), true))
            } else {
                return nil
            }
        }
        requirements = parsed
    }

    var isEmpty: Bool { requirements.isEmpty }

    /// The name the selector pins with `metadata.name=`, if any.
    var pinnedName: String? { requirements.first { $0.path == "metadata.name" && $0.equal }?.value }

    /// Whether the object's fields satisfy every requirement (missing fields read as "").
    func matches(_ object: JSON) -> Bool {
        requirements.allSatisfy { requirement in
            let actual: String = switch object.value(atPath: requirement.path) {
            case .string(let text): text
            case .int(let number): String(number)
            case .bool(let flag): String(flag)
            default: ""
            }
            return (actual == requirement.value) == requirement.equal
        }
    }
}
