import Foundation
import KubeMeta

/// An `events.k8s.io/v1` Event about an object.
public struct KubeEvent: KubeObject, Hashable {
    /// A reference to the object the event is about.
    public struct Reference: Codable, Sendable, Hashable {
        public var apiVersion: String?
        public var kind: String?
        public var name: String?
        public var namespace: String?
        public var uid: String?
        public var resourceVersion: String?

        /// Creates a reference.
        public init(apiVersion: String?, kind: String?, name: String?, namespace: String?, uid: String?, resourceVersion: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    /// Repeats of the same event, counted instead of new objects.
    public struct Series: Codable, Sendable, Hashable {
        public var count: Int
        public var lastObservedTime: String

        /// Creates a series.
        public init(count: Int, lastObservedTime: String) {
            self.count = count
            self.lastObservedTime = lastObservedTime
        }
    }

    public var apiVersion = "events.k8s.io/v1"
    public var kind = "Event"
    public var metadata: ObjectMeta
    public var eventTime: String
    public var series: Series?
    public var reportingController: String
    public var reportingInstance: String
    public var action: String
    public var reason: String
    public var regarding: Reference
    public var note: String?
    public var type: String

    /// Creates an event.
    public init(
        metadata: ObjectMeta, eventTime: String, reportingController: String, reportingInstance: String, action: String,
        reason: String, regarding: Reference, note: String?, type: String
    ) {
        self.metadata = metadata
        self.eventTime = eventTime
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.note = note
        self.type = type
    }
}
