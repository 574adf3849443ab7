import Foundation
import KubeMeta

/// A `coordination.k8s.io/v1` Lease, used for leader election.
public struct Lease: KubeObject, Hashable {
    /// The lease's spec (timestamps are `MicroTime`, RFC 3339 with microseconds).
    public struct Spec: Codable, Sendable, Hashable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        public var acquireTime: String?
        public var renewTime: String?
        public var leaseTransitions: Int?

        /// Creates a spec.
        public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: String? = nil, renewTime: String? = nil, leaseTransitions: Int? = nil) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }

    public var apiVersion = "coordination.k8s.io/v1"
    public var kind = "Lease"
    public var metadata: ObjectMeta
    public var spec: Spec

    /// Creates a lease.
    public init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// Formats a `MicroTime`: RFC 3339 in UTC with six fractional digits.
    public static func microTime(_ date: Date) -> String {
        let seconds = Timestamp(date)
        let micros = Int((date.timeIntervalSince1970 - Double(seconds.secondsSince1970)) * 1_000_000)
        return String(seconds.rfc3339.dropLast()) + String(format: ".%06dZ", micros)
    }

    /// Parses a `MicroTime` (or any RFC 3339 time) to a date, keeping the fraction.
    public static func parseMicroTime(_ text: String?) -> Date? {
        guard let text, let whole = Timestamp(rfc3339: text) else { return nil }
        var fraction = 0.0
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            fraction = Double("0" + text[dot..<end]) ?? 0
        }
        return Date(timeIntervalSince1970: Double(whole.secondsSince1970) + fraction)
    }
}
