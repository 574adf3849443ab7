import Foundation

/// A small interpreter for the CEL subset CRD validation rules use here: `self` and field selection, string, int,
/// bool and null literals, `!`, `&&`, `||`, comparisons, `size()`, `has()`, and the Kubernetes library's `isURL`,
/// `url(…).getHostname()/getScheme()` and `duration(…)` with Go's parsing rules. Anything else is an evaluation error,
/// reported like upstream reports a rule it could not evaluate.
enum CELRule {
    /// Why a rule could not be evaluated; `text` is upstream's wording ("type conversion error from …").
    struct Failure: Error {
        let text: String
    }

    /// A CEL value.
    indirect enum Value: Equatable {
        case bool(Bool), int(Int64), double(Double), string(String), null
        case duration(Double)
        case url(URLComponents)
        case json(JSON)
    }

    /// Evaluates a rule with `self` bound to the value; `.success(true)` when it holds.
    static func evaluate(_ rule: String, self value: JSON) -> Result<Bool, Failure> {
        var parser = CELParser(text: rule, selfValue: value)
        do {
            let result = try parser.parseExpression()
            guard parser.atEnd else { throw Failure(text: "compilation error: unexpected text in rule") }
            guard case .bool(let holds) = result else { throw Failure(text: "rule did not evaluate to a bool") }
            return .success(holds)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(text: "\(error)"))
        }
    }

    /// CEL's view of a JSON value.
    static func value(_ json: JSON) -> Value {
        switch json {
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .null: .null
        default: .json(json)
        }
    }

    /// Calls a global function.
    static func call(_ name: String, _ arguments: [Value]) throws -> Value {
        guard arguments.count == 1 else { throw Failure(text: "no such overload: \(name)") }
        switch (name, arguments[0]) {
        case ("isURL", .string(let text)): return .bool(GoURL.parseRequestURI(text) != nil)
        case ("url", .string(let text)):
            guard let url = GoURL.parseRequestURI(text) else { throw Failure(text: "URL parse error during conversion from string: \(text)") }
            return .url(url)
        case ("duration", .string(let text)):
            guard let seconds = GoDuration.parse(text) else {
                throw Failure(text: "type conversion error from 'string' to 'google.protobuf.Duration'")
            }
            return .duration(seconds)
        case ("size", .string(let text)): return .int(Int64(text.count))
        case ("size", .json(.array(let items))): return .int(Int64(items.count))
        case ("size", .json(.object(let members))): return .int(Int64(members.count))
        default: throw Failure(text: "no such overload: \(name)")
        }
    }

    /// Calls a method on a receiver.
    static func method(_ receiver: Value, _ name: String, _ arguments: [Value]) throws -> Value {
        switch (receiver, name, arguments.first) {
        case (.url(let url), "getHostname", nil): return .string(url.host ?? "")
        case (.url(let url), "getScheme", nil): return .string(url.scheme ?? "")
        case (.string(let text), "startsWith", .string(let prefix)?): return .bool(text.hasPrefix(prefix))
        case (.string(let text), "endsWith", .string(let suffix)?): return .bool(text.hasSuffix(suffix))
        case (.string(let text), "contains", .string(let part)?): return .bool(text.contains(part))
        case (.string(let text), "matches", .string(let pattern)?):
            // CEL's matches is an unanchored RE2 search; the patterns used here mean the same in ICU.
            return .bool(text.range(of: pattern, options: .regularExpression) != nil)
        default: throw Failure(text: "no such overload: \(name)")
        }
    }

    /// `<`, `<=`, `>`, `>=`, `==`, `!=` on values of one type.
    static func compare(_ op: String, _ lhs: Value, _ rhs: Value) throws -> Value {
        if op == "==" { return .bool(lhs == rhs) }
        if op == "!=" { return .bool(lhs != rhs) }
        let ordering: Int
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): ordering = a < b ? -1 : (a > b ? 1 : 0)
        case (.double(let a), .double(let b)), (.duration(let a), .duration(let b)): ordering = a < b ? -1 : (a > b ? 1 : 0)
        case (.string(let a), .string(let b)): ordering = a < b ? -1 : (a > b ? 1 : 0)
        default: throw Failure(text: "no such overload: \(op)")
        }
        switch op {
        case "<": return .bool(ordering < 0)
        case "<=": return .bool(ordering <= 0)
        case ">": return .bool(ordering > 0)
        default: return .bool(ordering >= 0)
        }
    }
}

/// Go's url.ParseRequestURI, as far as CEL's isURL relies on it: an absolute URI with a scheme (a rootless one is
/// opaque, e.g. `mailto:x@y`), or an absolute path; no control characters; in the host only the characters Go leaves
/// unescaped there, and a numeric port; valid `%` escapes in userinfo, host and path (the query is not checked).
enum GoURL {
    static func parseRequestURI(_ text: String) -> URLComponents? {
        guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        var components = URLComponents()
        if text == "*" || text.hasPrefix("/") {
            guard validEscapes(withoutQuery(Substring(text))) else { return nil }
            components.path = text
            return components
        }
        guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isASCII, first.isLetter,
              text[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        components.scheme = text[..<colon].lowercased()
        let rest = withoutQuery(text[text.index(after: colon)...])
        // Go: a rootless path after the scheme is opaque, and valid as it is.
        guard rest.hasPrefix("/") else { return components }
        guard rest.hasPrefix("//") else { return validEscapes(rest) ? components : nil }
        let afterSlashes = rest.dropFirst(2)
        let authority = afterSlashes.prefix { $0 != "/" }
        guard validEscapes(afterSlashes.dropFirst(authority.count)) else { return nil }
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            guard userinfo.unicodeScalars.allSatisfy({ $0.isASCII && (Self.alphanumeric($0) || "-._:~!$&'()*+,;=%@".unicodeScalars.contains($0)) }),
                  validEscapes(userinfo) else { return nil }
            hostPort = authority[authority.index(after: at)...]
        }
        var host = String(hostPort)
        if host.hasPrefix("[") {
            guard let close = host.lastIndex(of: "]"), validOptionalPort(host[host.index(after: close)...]),
                  validHost(String(host[...close])) else { return nil }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else {
            guard validHost(host) else { return nil }
            if let portColon = host.lastIndex(of: ":") {
                guard validOptionalPort(host[portColon...]) else { return nil }
                host = String(host[..<portColon])
            }
        }
        components.host = host
        return components
    }

    /// Go cuts the query off before parsing the rest; a lone trailing `?` is an empty query.
    private static func withoutQuery(_ text: Substring) -> Substring {
        text.prefix { $0 != "?" }
    }

    private static func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// Empty, or `:` followed by digits only.
    private static func validOptionalPort(_ text: Substring) -> Bool {
        text.isEmpty || (text.first == ":" && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
    }

    /// Every `%` starts an escape of two hex digits (Go's unescape).
    private static func validEscapes(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    /// Go's unescape in host mode: ASCII other than letters, digits and `-_.~!$&'()*+,;=:[]<>"` is refused, and a `%`
    /// escape may only stand for a non-ASCII byte (or be `%25`).
    private static func validHost(_ host: String) -> Bool {
        guard validEscapes(Substring(host)) else { return false }
        let bytes = Array(host.utf8)
        for (index, byte) in bytes.enumerated() where byte < 0x80 {
            if byte == UInt8(ascii: "%") {
                let escape = String(decoding: bytes[index...].prefix(3), as: UTF8.self)
                guard escape == "%25" || (bytes[index + 1].hexValue ?? 0) >= 8 else { return false }
            } else if !alphanumeric(Unicode.Scalar(byte)), !"-_.~!$&'()*+,;=:[]<>\"".utf8.contains(byte) {
                return false
            }
        }
        return true
    }
}

private extension UInt8 {
    var hexValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    var isHexDigit: Bool { hexValue != nil }
}

/// Go's time.ParseDuration: a signed sequence of decimal numbers, each with a unit (ns, us, µs, ms, s, m, h).
enum GoDuration {
    /// The duration in seconds; nil when Go would refuse the text.
    static func parse(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        // Go counts nanoseconds in an int64: anything longer is "invalid duration".
        guard total <= Double(Int64.max) / 1e9 else { return nil }
        return sign * total
    }
}
