import HourlyImageAPI
import KubeClient

/// An Event as `kubectl himg get` reads it: every field optional, since anyone may write Events.
struct ListedEvent: KubeObject {
    struct Reference: Codable, Sendable {
        var kind: String?
        var name: String?
    }
    struct Series: Codable, Sendable {
        var count: Int?
        var lastObservedTime: String?
    }

    var metadata: ObjectMeta
    var eventTime: String?
    var series: Series?
    var reason: String?
    var regarding: Reference?
    var note: String?
    var type: String?

    /// When it last happened: the series' last time, else the event time, else its creation.
    var lastSeen: Timestamp? {
        (series?.lastObservedTime).flatMap(Timestamp.init(rfc3339:)) ?? eventTime.flatMap(Timestamp.init(rfc3339:))
            ?? metadata.creationTimestamp
    }
}

/// The human summary `kubectl himg get` prints for one HourlyImage: pure, from the resource, its Events and the time.
enum HimgSummary {
    /// How many of the newest Events are shown.
    static let eventCount = 5

    /// The summary block, several lines ending in a newline.
    static func render(_ resource: HourlyImage, events: [ListedEvent], now: Timestamp) -> String {
        let status = resource.status
        var lines = ["\(safe(resource.metadata.name, 253)) (namespace \(safe(resource.metadata.namespaceOrDefault, 63)))"]
        func field(_ name: String, _ value: String) { lines.append("  " + (name + ":").padding(toLength: 13, withPad: " ", startingAt: 0) + value) }
        if let current = status?.current {
            var image = StatusDisplay.imageLabel(current)
            if let author = current.author { image += " by \(safe(author, 80))" }
            image += ", \(size(current.bytes)) \(safe(current.contentType, 40)), sha256 \(StatusDisplay.shortSHA256(current.sha256))"
            field("Image", image)
            if let expiresAt = current.expiresAt {
                let left = expiresAt.seconds(since: now)
                field(left > 0 ? "Expires in" : "Expired", left > 0 ? "\(duration(left)) (\(expiresAt.rfc3339))" : "\(duration(-left)) ago (\(expiresAt.rfc3339))")
            }
            let allowed = max(0, resource.spec.graceCount)
            let used = min(max(0, status?.graceViews ?? 0), allowed)
            field("Grace left", "\(allowed - used) of \(allowed) page view\(allowed == 1 ? "" : "s")\(expired(current, now) ? "" : " (counted after expiry)")")
        } else {
            field("Image", "none yet")
        }
        if let pending = status?.pending {
            field("Next image", "\(StatusDisplay.imageLabel(pending)), ready")
        } else if let current = status?.current, expired(current, now) {
            field("Next image", "fetching")
        }
        if let refresh = status?.lastRefresh { field("Refreshed", safe(refresh, 128)) }
        if resource.spec.suspend { field("Suspended", "yes: nothing is fetched until spec.suspend is false") }
        if let failures = status?.consecutiveFailures, failures > 0 {
            let next = status?.nextAttemptTime.map { " next attempt \(relative($0, now))" } ?? ""
            field("Failures", "\(failures) in a row;\(next)")
        }
        lines.append("  Conditions:")
        let conditions = status?.conditions ?? []
        if conditions.isEmpty { lines.append("    none yet (has the controller seen it?)") }
        for condition in conditions.prefix(16) {
            let head = [safe(condition.type, 16).padding(toLength: 10, withPad: " ", startingAt: 0),
                        condition.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0),
                        safe(condition.reason, 40).padding(toLength: 18, withPad: " ", startingAt: 0)].joined()
            lines.append("    " + head + safe(condition.message, 160))
        }
        let newest = events.sorted { ($0.lastSeen ?? Timestamp(secondsSince1970: 0)) > ($1.lastSeen ?? Timestamp(secondsSince1970: 0)) }
            .prefix(eventCount)
        lines.append("  Events:" + (newest.isEmpty ? " none" : ""))
        for event in newest {
            let when = event.lastSeen.map { relative($0, now) } ?? "?"
            let count = (event.series?.count).map { $0 > 1 ? " (×\($0))" : "" } ?? ""
            lines.append("    " + when.padding(toLength: 10, withPad: " ", startingAt: 0)
                + safe(event.type ?? "?", 8).padding(toLength: 9, withPad: " ", startingAt: 0)
                + safe(event.reason ?? "?", 24).padding(toLength: 14, withPad: " ", startingAt: 0)
                + safe(event.note ?? "", 160) + count)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func expired(_ image: ImageRecord, _ now: Timestamp) -> Bool {
        image.expiresAt.map { now >= $0 } ?? false
    }

    /// `41m12s`, `2h5m`, `3d4h`: the two largest units.
    static func duration(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60 == 0 ? "" : "\(s % 60)s")" }
        if s < 86400 { return "\(s / 3600)h\(s % 3600 / 60 == 0 ? "" : "\(s % 3600 / 60)m")" }
        return "\(s / 86400)d\(s % 86400 / 3600 == 0 ? "" : "\(s % 86400 / 3600)h")"
    }

    /// `3m ago` or `in 12s`.
    static func relative(_ time: Timestamp, _ now: Timestamp) -> String {
        let delta = time.seconds(since: now)
        return delta > 0 ? "in \(duration(delta))" : "\(duration(-delta)) ago"
    }

    /// `135 KB`, `1.2 MB`.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(max(0, bytes)) B" }
        if bytes < 1_000_000 { return "\(bytes / 1000) KB" }
        return "\(bytes / 1_000_000).\(bytes % 1_000_000 / 100_000) MB"
    }

    /// A value from the API server made safe to print: control characters escaped, at most `limit` characters.
    static func safe(_ text: String, _ limit: Int) -> String {
        var head = String.UnicodeScalarView()
        head.append(contentsOf: text.unicodeScalars.prefix(limit * 2))
        let escaped = Redaction.logValue(String(head))
        return escaped.count > limit ? String(escaped.prefix(limit - 1)) + "…" : escaped
    }
}
