@testable import KubeTestServer

/// A path into a recording, in the syntax of Tests/Conformance/kube-apiserver-v1.36/README.md:
/// dotted keys, `[N]`, `["key.with.dots"]`, and `[key=value]` for the array element whose (dotted) key equals value.
struct RecordingPath: Hashable, CustomStringConvertible {
    /// One step of a path.
    enum Component: Hashable {
        case key(String)
        case index(Int)
        case match(key: String, value: String)
    }

    let components: [Component]
    let description: String

    /// Parses the README's syntax; nil when the text is malformed.
    init?(_ text: String) {
        var components: [Component] = []
        var chars = Substring(text)
        var key = ""
        func flushKey() {
            if !key.isEmpty { components.append(.key(key)) }
            key = ""
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".":
                flushKey()
            case "[":
                flushKey()
                guard let close = Self.closingBracket(chars) else { return nil }
                let inner = String(chars[chars.startIndex..<close])
                chars = chars[chars.index(after: close)...]
                if inner.hasPrefix("\""), inner.hasSuffix("\""), inner.count >= 2 {
                    components.append(.key(String(inner.dropFirst().dropLast())))
                } else if let index = Int(inner) {
                    components.append(.index(index))
                } else if let eq = inner.firstIndex(of: "=") {
                    components.append(.match(key: String(inner[..<eq]), value: String(inner[inner.index(after: eq)...])))
                } else {
                    return nil
                }
            default:
                key.append(c)
            }
        }
        flushKey()
        self.components = components
        self.description = text
    }

    private init(components: [Component], description: String) {
        self.components = components
        self.description = description
    }

    /// The closing `]`, skipping over a quoted key.
    private static func closingBracket(_ text: Substring) -> Substring.Index? {
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c == "\"" { quoted.toggle() }
            if c == "]", !quoted { return index }
            index = text.index(after: index)
        }
        return nil
    }

    /// The path without its first `count` components (e.g. "response.body.x" → "x" relative to the body).
    func dropping(_ count: Int) -> RecordingPath {
        RecordingPath(components: Array(components.dropFirst(count)), description: description)
    }

    /// Whether the path starts with these keys.
    func starts(with keys: [String]) -> Bool {
        guard components.count >= keys.count else { return false }
        return zip(components, keys).allSatisfy { $0 == .key($1) }
    }

    /// The value at this path, or nil.
    func value(in json: JSON) -> JSON? {
        var current: JSON? = json
        for component in components {
            guard let value = current else { return nil }
            current = Self.child(value, component)
        }
        return current
    }

    /// The document with the value at this path replaced; unchanged when the path does not lead anywhere.
    func setting(_ newValue: JSON, in json: JSON) -> JSON {
        Self.set(newValue, in: json, components[...])
    }

    private static func child(_ value: JSON, _ component: Component) -> JSON? {
        switch component {
        case .key(let key): return value[key]
        case .index(let index):
            guard let array = value.arrayValue, array.indices.contains(index) else { return nil }
            return array[index]
        case .match(let key, let wanted):
            return value.arrayValue?.first { $0.value(atPath: key)?.stringValue == wanted }
        }
    }

    private static func set(_ newValue: JSON, in json: JSON, _ rest: ArraySlice<Component>) -> JSON {
        guard let first = rest.first else { return newValue }
        switch first {
        case .key(let key):
            guard var members = json.objectValue else { return json }
            members[key] = set(newValue, in: members[key] ?? .null, rest.dropFirst())
            return .object(members)
        case .index(let index):
            guard var array = json.arrayValue, array.indices.contains(index) else { return json }
            array[index] = set(newValue, in: array[index], rest.dropFirst())
            return .array(array)
        case .match(let key, let wanted):
            guard var array = json.arrayValue,
                  let index = array.firstIndex(where: { $0.value(atPath: key)?.stringValue == wanted }) else { return json }
            array[index] = set(newValue, in: array[index], rest.dropFirst())
            return .array(array)
        }
    }
}
