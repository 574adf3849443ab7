import Foundation
import HourlyImageAPI
import HourlyImageStore
import KubeClient
import Logging

/// Records `events.k8s.io/v1` Events on HourlyImages; a repeat of the same event within ten
/// minutes updates the first one's `series` instead of creating another (no flooding).
public actor KubeEventRecorder: EventRecorder {
    struct Seen {
        var name: String
        var namespace: String
        var count: Int
        var last: Date
    }

    let client: KubeClient
    let instance: String
    let now: @Sendable () -> Date
    let logger: Logger
    let problems: AccessProblems?
    private var seen: [String: Seen] = [:]
    /// How long a repeat is folded into the earlier event.
    public static let aggregationWindow: TimeInterval = 600

    /// Creates a recorder reporting as `hourly-image-controller` from `instance` (the pod name).
    /// Refused Event writes go to `problems` (logged once, shown by `/readyz`).
    public init(
        client: KubeClient, instance: String, now: @escaping @Sendable () -> Date = Date.init, problems: AccessProblems? = nil,
        logger: Logger = Logger(label: "hourly-image.events")
    ) {
        self.client = client
        self.instance = instance
        self.now = now
        self.logger = logger
        self.problems = problems
    }

    public func record(_ resource: HourlyImage, type: EventType, reason: String, message: String) async {
        let namespace = resource.metadata.namespaceOrDefault
        let note = String(message.prefix(1024))
        let key = "\(resource.metadata.uid ?? ResourceKey(resource).description)|\(type.rawValue)|\(reason)|\(note)"
        let time = now()
        var call = AccessProblem.Call("patch", "events", namespace: namespace)
        do {
            if var earlier = seen[key], time.timeIntervalSince(earlier.last) < Self.aggregationWindow {
                earlier.count += 1
                earlier.last = time
                seen[key] = earlier
                let patch = try JSONEncoder().encode(["series": KubeEvent.Series(count: earlier.count, lastObservedTime: Lease.microTime(time))])
                let _: KubeEvent = try await client.mergePatch(.events, namespace: namespace, name: earlier.name, patch)
                problems?.succeeded(call)
                return
            }
            let name = "\(resource.metadata.name).\(String(UInt64(time.timeIntervalSince1970 * 1_000_000), radix: 16))"
            let event = KubeEvent(
                metadata: ObjectMeta(name: name, namespace: namespace), eventTime: Lease.microTime(time),
                reportingController: "images.dwk.dev/hourly-image-controller", reportingInstance: instance,
                action: Self.action(reason), reason: reason,
                regarding: .init(apiVersion: HourlyImage.apiVersion, kind: HourlyImage.kind, name: resource.metadata.name, namespace: namespace, uid: resource.metadata.uid, resourceVersion: resource.metadata.resourceVersion),
                note: note, type: type.rawValue)
            call.verb = "create"
            _ = try await client.create(.events, event)
            problems?.succeeded(call)
            seen[key] = Seen(name: name, namespace: namespace, count: 1, last: time)
            if seen.count > 10_000 { seen = seen.filter { time.timeIntervalSince($0.value.last) < Self.aggregationWindow } }
        } catch {
            // Events are best effort: never fail a reconcile over one. A refused write is logged once by `problems`.
            if problems?.failed(call, error) != nil { return }
            logger.warning("could not record an event", metadata: ["hourlyimage": "\(ResourceKey(resource))", "reason": "\(reason)", "error": "\(error)"])
        }
    }

    static func action(_ reason: String) -> String {
        switch reason {
        case "Fetched", "FetchFailed": "Fetch"
        case "Promoted": "Promote"
        case "Pruned": "Prune"
        case "InvalidSpec": "Validate"
        default: "Reconcile"
        }
    }
}
