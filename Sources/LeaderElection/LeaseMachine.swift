import Foundation
import KubeClient
import KubeMeta

/// Leader election's rules as a pure state machine, as client-go's leaderelection has them:
/// acquire a lease that is missing, free, or has not changed for its `leaseDurationSeconds`
/// (measured on our own monotonic clock since we last saw the record change, so clock skew
/// between nodes does not matter; the remote `renewTime` is never compared with our clock),
/// renew our own, and lose leadership when renewals fail for `renewDeadline`.
///
/// The runner reads the lease, asks `decide` what to write, performs the write and reports its
/// outcome; the machine reads no clock: every method takes `now` (monotonic, for expiry and the
/// deadline) and `wallTime` (for the `MicroTime` stamps written into the Lease). Tests do the same.
public struct LeaseMachine: Sendable, Equatable {
    /// A monotonic instant on our own clock.
    public typealias Instant = ContinuousClock.Instant

    /// What to write after reading the lease.
    public enum Write: Sendable, Equatable {
        /// The lease does not exist: create this one.
        case create(Lease)
        /// Renew our lease or take over a free or expired one: update to this (a stale resourceVersion loses the race).
        case update(Lease)
        /// Write nothing: another holder's lease is still valid.
        case nothing
    }

    /// How an outcome changed leadership.
    public enum Change: Sendable, Equatable {
        /// Still the leader, or still not.
        case unchanged
        /// We hold the lease now and did not before.
        case acquired
        /// Renewals failed for longer than the renew deadline: no longer the leader.
        case lost
    }

    /// A lease record as we last saw it, and when (on our clock) it last changed.
    struct Observation: Sendable, Equatable {
        var record: Lease.Spec
        var at: Instant
    }

    /// The Lease's namespace.
    public let namespace: String
    /// The Lease's name.
    public let name: String
    /// This replica's identity, written as `holderIdentity`.
    public let identity: String
    /// The `leaseDurationSeconds` we write (and assume when a record has none).
    public let leaseDurationSeconds: Int
    /// How long renewals may fail before leadership is lost.
    public let renewDeadline: Duration
    /// True while this replica holds the lease.
    public private(set) var isLeader = false
    /// When the last write succeeded (on our clock); nil before the first.
    public private(set) var lastRenew: Instant?
    /// The record last read or written, with when it last changed.
    private(set) var observed: Observation?

    /// Creates a machine for the Lease `namespace/name`, with durations in seconds.
    public init(namespace: String, name: String, identity: String, leaseDuration: Double, renewDeadline: Double) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        leaseDurationSeconds = Int(leaseDuration.clampedWholeSeconds)
        self.renewDeadline = .milliseconds((renewDeadline * 1000).clampedWholeSeconds)
    }

    /// What to write given the lease just read (nil: not found), at `now` on our clock and `wallTime` for the stamps.
    public mutating func decide(read current: Lease?, now: Instant, wallTime: Date) -> Write {
        let stamp = Lease.microTime(wallTime)
        guard let current else {
            let spec = Lease.Spec(
                holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0)
            return .create(Lease(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec))
        }
        if observed?.record != current.spec { observed = Observation(record: current.spec, at: now) }
        let holder = current.spec.holderIdentity ?? ""
        if !holder.isEmpty && holder != identity && !expired(at: now) { return .nothing }
        var next = current
        if holder != identity {
            next.spec.acquireTime = stamp
            next.spec.leaseTransitions = (current.spec.leaseTransitions ?? 0).saturatingSuccessor
        }
        next.spec.holderIdentity = identity
        next.spec.leaseDurationSeconds = leaseDurationSeconds
        next.spec.renewTime = stamp
        return .update(next)
    }

    /// Whether the observed record has not changed for its lease duration on our clock.
    func expired(at now: Instant) -> Bool {
        guard let observed else { return false }
        // leaseDurationSeconds is whatever anyone who may write the Lease put there: clamp before converting.
        let duration = Double(observed.record.leaseDurationSeconds ?? leaseDurationSeconds)
        return now - observed.at > .milliseconds((duration * 1000).clampedWholeSeconds)
    }

    /// The write succeeded with `written` (as the server returned it): we lead, renewed at `now`.
    public mutating func succeeded(_ written: Lease, now: Instant) -> Change {
        observed = Observation(record: written.spec, at: now)
        lastRenew = now
        defer { isLeader = true }
        return isLeader ? .unchanged : .acquired
    }

    /// Nothing was written at `now` (a call failed, or another holder's lease is valid): lost once past the renew deadline.
    public mutating func failed(now: Instant) -> Change {
        guard isLeader, let lastRenew, now - lastRenew > renewDeadline else { return .unchanged }
        isLeader = false
        return .lost
    }

    /// The run ends: stop leading; true when we were the leader, so the lease should be released.
    public mutating func stop() -> Bool {
        defer { isLeader = false }
        return isLeader
    }

    /// The write that releases `current` so a successor need not wait for expiry (nil when it is not ours).
    public func release(_ current: Lease, wallTime: Date) -> Lease? {
        guard current.spec.holderIdentity == identity else { return nil }
        var lease = current
        lease.spec.holderIdentity = ""
        lease.spec.leaseDurationSeconds = 1
        lease.spec.renewTime = Lease.microTime(wallTime)
        return lease
    }
}
