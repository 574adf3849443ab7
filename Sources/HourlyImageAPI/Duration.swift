import Foundation

/// A Go-style duration such as `90s`, `10m`, `1h30m` or `1h0m0s`, as `spec.ttl` holds it.
///
/// The text the user wrote is kept, so encoding a spec never rewrites it (which would bump
/// `metadata.generation` for nothing).
public struct Duration: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The length in seconds.
    public let seconds: Double
    /// The text as written (or the canonical form when built from seconds).
    public let text: String

    /// Units accepted, longest suffix first so `ms` wins over `m`.
    private static let units: [(String, Double)] = [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]

    /// Parses a Go-style duration; `field` names the field in the error message.
    public init(parsing text: String, field: String = "duration") throws(ValidationIssue) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let seconds = Duration.parseSeconds(trimmed) else {
            throw ValidationIssue(
                field: field,
                message: "\"\(text)\" is not a duration; use a number and a unit, like 90s, 10m, 1h or 1h30m")
        }
        self.seconds = seconds
        self.text = trimmed
    }

    /// A duration of whole or fractional seconds, printed in canonical form.
    public init(seconds: Double) {
        self.seconds = seconds
        self.text = Duration.format(seconds)
    }

    public var description: String { text }

    /// The compact canonical form: `1h30m`, `1m30s`, `45s`, `1h`, `500ms`.
    public var canonical: String { Duration.format(seconds) }

    static func parseSeconds(_ text: String) -> Double? {
        guard !text.isEmpty else { return nil }
        var rest = Substring(text)
        var total = 0.0
        while !rest.isEmpty {
            let numberEnd = rest.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == ".")) }) ?? rest.endIndex
            let numberText = rest[rest.startIndex..<numberEnd]
            guard !numberText.isEmpty, !numberText.hasPrefix("."), !numberText.hasSuffix("."),
                numberText.filter({ $0 == "." }).count <= 1, let value = Double(numberText)
            else { return nil }
            rest = rest[numberEnd...]
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * factor
        }
        return total.isFinite ? total : nil
    }

    static func format(_ seconds: Double) -> String {
        if seconds == 0 { return "0s" }
        if seconds < 1 { return "\((seconds * 1000).rounded().clampedWholeSeconds)ms" }
        var remaining = seconds.clampedWholeSeconds
        let hours = remaining / 3600
        remaining %= 3600
        let minutes = remaining / 60
        let secs = remaining % 60
        var out = ""
        if hours > 0 { out += "\(hours)h" }
        if minutes > 0 { out += "\(minutes)m" }
        if secs > 0 { out += "\(secs)s" }
        return out
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text, field: decoder.codingPath.map(\.stringValue).joined(separator: "."))
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

extension Timestamp {
    /// The timestamp moved forward by a duration (rounded down to whole seconds).
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        lhs.adding(seconds: rhs.seconds)
    }
}
