import Foundation

extension HourlyImageSpec {
    /// The longest `leadTime` accepted (as the CRD's rule).
    public static let maximumLeadTimeSeconds = 86400.0

    /// `schedule`, `timeZone` and `leadTime` checked together; problems are appended to `issues`.
    func validatedSchedule(into issues: inout [ValidationIssue]) -> (Schedule?, Duration) {
        var zone = TimeZone(identifier: "UTC")!
        if let name = timeZone {
            if name.count > 64 || !name.unicodeScalars.allSatisfy({ $0.isASCII && !$0.properties.isWhitespace && $0.value >= 0x21 }) {
                issues.append(ValidationIssue(field: "spec.timeZone", message: "\"\(Redaction.logValue(String(name.prefix(64))))\" is not a time zone name"))
            } else if let found = TimeZone(identifier: name) {
                zone = found
            } else {
                issues.append(ValidationIssue(field: "spec.timeZone", message: "\"\(name)\" is not a time zone this controller knows, such as Europe/Helsinki or UTC"))
            }
            if schedule == nil { issues.append(ValidationIssue(field: "spec.timeZone", message: "applies to spec.schedule, which is not set")) }
        }
        var lead = Duration(seconds: 60)
        if let text = leadTime {
            do {
                let parsed = try Duration(parsing: String(text.prefix(65)), field: "spec.leadTime")
                if text.count > 64 || parsed.seconds < 0 || parsed.seconds > Self.maximumLeadTimeSeconds {
                    issues.append(ValidationIssue(field: "spec.leadTime", message: "must be from 0s to 24h, got \"\(parsed.text)\""))
                } else {
                    lead = parsed
                }
            } catch {
                issues.append(error)
            }
            if schedule == nil { issues.append(ValidationIssue(field: "spec.leadTime", message: "applies to spec.schedule, which is not set")) }
        }
        guard let schedule else { return (nil, lead) }
        do {
            return (try Schedule(parsing: schedule, timeZone: zone), lead)
        } catch {
            issues.append(error)
            return (nil, lead)
        }
    }
}
