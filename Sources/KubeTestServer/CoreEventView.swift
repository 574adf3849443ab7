/// core/v1 Events as a view of events.k8s.io/v1 Events: upstream stores both as one resource and converts
/// field by field (pkg/apis/events/v1/conversion.go), which is how `kubectl describe` finds the Events.
enum CoreEventView {
    /// Renamed fields: events.k8s.io/v1 name → core/v1 name.
    static let renames: [String: String] = [
        "regarding": "involvedObject", "note": "message", "deprecatedSource": "source",
        "deprecatedFirstTimestamp": "firstTimestamp", "deprecatedLastTimestamp": "lastTimestamp",
        "deprecatedCount": "count", "reportingController": "reportingComponent",
    ]

    /// The core/v1 shape of an events.k8s.io/v1 Event.
    static func coreEvent(from event: JSON) -> JSON {
        guard var members = event.objectValue else { return event }
        for (from, to) in renames {
            if let value = members.removeValue(forKey: from) { members[to] = value }
        }
        members["apiVersion"] = "v1"
        members["kind"] = "Event"
        if members["source"] == nil, let component = members["reportingComponent"] {
            members["source"] = ["component": component]
        }
        return .object(members)
    }
}
