/// core/v1 Events and events.k8s.io/v1 Events are one resource upstream, converted field by field
/// (pkg/apis/events/v1/conversion.go); here the events.k8s.io/v1 form is stored and core/v1 requests are converted
/// on the way in and out, which is also how `kubectl describe` finds the Events the controller writes.
enum CoreEventView {
    /// Renamed fields: events.k8s.io/v1 name → core/v1 name.
    static let renames: [String: String] = [
        "regarding": "involvedObject", "note": "message", "deprecatedSource": "source",
        "deprecatedFirstTimestamp": "firstTimestamp", "deprecatedLastTimestamp": "lastTimestamp",
        "deprecatedCount": "count", "reportingController": "reportingComponent",
    ]

    /// The core/v1 shape of a stored Event: unset times are null, an empty source is left out, as the core type
    /// serializes them.
    static func coreEvent(from event: JSON) -> JSON {
        guard var members = event.objectValue else { return event }
        for (from, to) in renames {
            if let value = members.removeValue(forKey: from) { members[to] = value }
        }
        members["apiVersion"] = "v1"
        members["kind"] = "Event"
        if members["source"] == nil || members["source"] == [:], let component = members["reportingComponent"] {
            members["source"] = ["component": component]
        }
        if members["source"] == [:] { members["source"] = nil }
        for key in ["firstTimestamp", "lastTimestamp"] where members[key] == .null { members[key] = nil }
        if members["eventTime"] == nil { members["eventTime"] = .null }
        return .object(members)
    }

    /// The stored (events.k8s.io/v1) shape of a core/v1 Event.
    static func storedEvent(from core: JSON) -> JSON {
        guard var members = core.objectValue else { return core }
        for (to, from) in renames {
            if let value = members.removeValue(forKey: from) { members[to] = value }
        }
        if members["eventTime"] == .null { members["eventTime"] = nil }
        members["apiVersion"] = "events.k8s.io/v1"
        members["kind"] = "Event"
        return withDefaults(.object(members))
    }

    /// What the events.k8s.io/v1 serializer always writes: deprecatedSource ({}) and the deprecated times (null).
    static func withDefaults(_ event: JSON) -> JSON {
        guard var members = event.objectValue else { return event }
        if members["deprecatedSource"] == nil { members["deprecatedSource"] = [:] }
        for key in ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"] where members[key] == nil { members[key] = .null }
        return .object(members)
    }

    /// events.k8s.io/v1 ValidateEventCreate: an event time, and a regarding object in the Event's own namespace
    /// (reported with the internal, core field names).
    static func validateCreate(_ event: JSON) -> [FieldCause] {
        var causes: [FieldCause] = []
        let regardingNamespace = event["regarding"]?["namespace"]?.stringValue ?? ""
        if regardingNamespace != event.namespace {
            causes.append(FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(regardingNamespace)\": does not match event.namespace",
                                     field: "involvedObject.namespace"))
        }
        if event["eventTime"] == nil || event["eventTime"] == .null {
            causes.append(FieldCause(reason: "FieldValueRequired", message: "Required value", field: "eventTime"))
        }
        return causes
    }
}
