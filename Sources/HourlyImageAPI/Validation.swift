import Foundation

/// One problem with a resource: the field path and what is wrong with it.
public struct ValidationIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// A field path such as `spec.ttl`.
    public var field: String
    /// What is wrong, in words a user can act on.
    public var message: String

    /// Creates an issue.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Every problem found in a resource, reported together.
public struct ValidationErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in field order.
    public var issues: [ValidationIssue]

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}

/// A spec that passed validation, with parsed values.
public struct ValidSpec: Sendable, Hashable {
    /// The source URL (http or https).
    public var url: URL
    /// The same URL as written in the spec.
    public var urlText: String
    /// How long one image is served; at least one second.
    public var ttl: Duration
    /// Grace views allowed after expiry; 0 or more.
    public var graceCount: Int
    /// When true, fetching stops.
    public var suspend: Bool
    /// Images kept on the volume, current included; 1 or more.
    public var keep: Int
    /// Wall-clock boundaries that replace the TTL, when `spec.schedule` is set.
    public var schedule: Schedule?
    /// How long before a scheduled change the next image is fetched.
    public var leadTime: Duration = Duration(seconds: 60)
}

extension HourlyImageSpec {
    /// The shortest TTL accepted.
    public static let minimumTTLSeconds = 1.0
    /// The longest `ttl` accepted: one year (8760h), as the CRD's CEL rule. Longer values would only push expiry
    /// times toward the end of what a timestamp can hold.
    public static let maximumTTLSeconds = 8760.0 * 3600
    /// `maximumTTLSeconds` as the CRD writes it.
    public static let maximumTTLText = "8760h"
    /// The longest URL accepted (as the CRD's `maxLength`).
    public static let maximumURLLength = 2048
    /// The largest `graceCount` accepted (as the CRD's `maximum`).
    public static let maximumGraceCount = 1_000_000
    /// The largest `keep` accepted (as the CRD's `maximum`).
    public static let maximumKeep = 1000

    /// Validates every field and returns the parsed spec, or every problem at once.
    public func validated() -> Result<ValidSpec, ValidationErrors> {
        var issues: [ValidationIssue] = []
        var parsedURL: URL?
        if url.count > Self.maximumURLLength {
            issues.append(ValidationIssue(field: "spec.url", message: "is longer than \(Self.maximumURLLength) characters"))
        } else if url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            // As the CRD's rule: a CR or LF in a URL would forge lines in text logs and headers.
            issues.append(ValidationIssue(field: "spec.url", message: "must not contain control characters such as CR, LF or tab"))
        } else if let url = URL(string: url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        {
            parsedURL = url
        } else {
            issues.append(
                ValidationIssue(
                    field: "spec.url", message: "\"\(url)\" is not an http or https URL, like https://picsum.photos/1200"))
        }
        var parsedTTL: Duration?
        if ttl.count > 64 {
            issues.append(ValidationIssue(field: "spec.ttl", message: "is longer than 64 characters"))
        } else { do {
            let ttl = try Duration(parsing: ttl, field: "spec.ttl")
            if ttl.seconds < Self.minimumTTLSeconds {
                issues.append(ValidationIssue(field: "spec.ttl", message: "\"\(ttl.text)\" is shorter than the minimum of 1s"))
            } else if ttl.seconds > Self.maximumTTLSeconds {
                issues.append(ValidationIssue(field: "spec.ttl",
                                              message: "\"\(ttl.text)\" is longer than the maximum of \(Self.maximumTTLText) (one year)"))
            } else {
                parsedTTL = ttl
            }
        } catch {
            issues.append(error)
        } }
        if !(0...Self.maximumGraceCount).contains(graceCount) {
            issues.append(
                ValidationIssue(field: "spec.graceCount", message: "must be from 0 to \(Self.maximumGraceCount), got \(graceCount)"))
        }
        if !(1...Self.maximumKeep).contains(keep) {
            issues.append(ValidationIssue(field: "spec.keep", message: "must be from 1 to \(Self.maximumKeep), got \(keep)"))
        }
        let (parsedSchedule, lead) = validatedSchedule(into: &issues)
        guard issues.isEmpty, let parsedURL, let parsedTTL else { return .failure(ValidationErrors(issues: issues)) }
        return .success(
            ValidSpec(url: parsedURL, urlText: url, ttl: parsedTTL, graceCount: graceCount, suspend: suspend, keep: keep,
                      schedule: parsedSchedule, leadTime: lead))
    }
}

extension HourlyImage {
    /// Validates metadata and spec together, returning every problem at once.
    public func validated() -> Result<ValidSpec, ValidationErrors> {
        var issues: [ValidationIssue] = []
        if !Self.isDNSSubdomain(metadata.name) {
            issues.append(
                ValidationIssue(
                    field: "metadata.name",
                    message: "\"\(metadata.name)\" must be lowercase letters, digits, '-' or '.', start and end alphanumeric, at most 253 characters"))
        }
        if let namespace = metadata.namespace, !Self.isDNSLabel(namespace) {
            issues.append(
                ValidationIssue(field: "metadata.namespace", message: "\"\(namespace)\" is not a valid namespace name"))
        }
        if apiVersion != Self.apiVersion {
            issues.append(ValidationIssue(field: "apiVersion", message: "must be \(Self.apiVersion), got \"\(apiVersion)\""))
        }
        if kind != Self.kind {
            issues.append(ValidationIssue(field: "kind", message: "must be \(Self.kind), got \"\(kind)\""))
        }
        switch spec.validated() {
        case .success(let valid) where issues.isEmpty:
            return .success(valid)
        case .success:
            return .failure(ValidationErrors(issues: issues))
        case .failure(let errors):
            return .failure(ValidationErrors(issues: issues + errors.issues))
        }
    }

    static func isDNSLabel(_ s: String) -> Bool {
        s.count <= 63 && isDNSSubdomain(s) && !s.contains(".")
    }

    static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 253 else { return false }
        let allowed = s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
        let alnum: (Character?) -> Bool = { c in c.map { $0.isASCII && ($0.isLowercase || $0.isNumber) } ?? false }
        return allowed && alnum(s.first) && alnum(s.last)
    }
}
