import Foundation
import KubeMeta
import KubeClient
import Logging
import SystemSupport

/// Leader election with a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does:
/// acquire when the lease is free or has not been renewed for `leaseDuration` (measured on our
/// own clock since we last saw it change, so clock skew between nodes does not matter), renew
/// every `retryPeriod`, and give up leadership at once when renewals fail for `renewDeadline`.
public actor LeaderElector {
    /// Timings (defaults 15 s lease, 10 s renew deadline, 2 s retry).
    public struct Timing: Sendable {
        public var leaseDuration: Double = 15
        public var renewDeadline: Double = 10
        public var retryPeriod: Double = 2
        /// Creates timings.
        public init(leaseDuration: Double = 15, renewDeadline: Double = 10, retryPeriod: Double = 2) {
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    let client: KubeClient
    let namespace: String
    let name: String
    /// This replica's identity (the pod name plus a random suffix).
    public nonisolated let identity: String
    let timing: Timing
    let logger: Logger
    let problems: AccessProblems?
    private var observed: (record: Lease.Spec, at: ContinuousClock.Instant)?
    private var lastRenew: ContinuousClock.Instant?
    private let leadershipChanges = Broadcast<Bool>()
    /// True while this replica holds the lease.
    public private(set) var isLeader = false

    /// Creates an elector for the Lease `namespace/name`.
    /// Refused Lease calls go to `problems` (logged once, shown by `/readyz`).
    public init(
        client: KubeClient, namespace: String, name: String, identity: String, timing: Timing = Timing(), problems: AccessProblems? = nil,
        logger: Logger = Logger(label: "hourly-image.leader")
    ) {
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.timing = timing
        self.logger = logger
        self.problems = problems
    }

    /// Leadership changes (the current value first).
    public func leadership() -> AsyncStream<Bool> {
        leadershipChanges.subscribe(initial: [isLeader])
    }

    /// Campaigns and renews until cancelled; then releases the lease if held, so a successor
    /// takes over without waiting for it to expire.
    public func run() async {
        while !Task.isCancelled {
            let ok = await tryAcquireOrRenew()
            let now = ContinuousClock.now
            if ok {
                lastRenew = now
                set(leader: true)
            } else if isLeader, let lastRenew, now - lastRenew > .milliseconds(Int64(timing.renewDeadline * 1000)) {
                logger.warning("lost the lease: renewals failed for the renew deadline")
                set(leader: false)
            }
            try? await Task.sleep(for: .milliseconds(Int64(timing.retryPeriod * 1000)))
        }
        await release()
    }

    private func set(leader: Bool) {
        guard leader != isLeader else { return }
        isLeader = leader
        logger.info(leader ? "became the leader" : "stopped leading", metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
        leadershipChanges.send(leader)
    }

    private func tryAcquireOrRenew() async -> Bool {
        let now = Date()
        let stamp = Lease.microTime(now)
        var verb = "get"
        do {
            let current: Lease
            do {
                current = try await client.get(.leases, namespace: namespace, name: name, as: Lease.self)
                succeeded(verb)
            } catch KubeAPIError.notFound {
                succeeded(verb)
                let lease = Lease(
                    metadata: ObjectMeta(name: name, namespace: namespace),
                    spec: .init(holderIdentity: identity, leaseDurationSeconds: Int(timing.leaseDuration), acquireTime: stamp, renewTime: stamp, leaseTransitions: 0))
                verb = "create"
                _ = try await client.create(.leases, lease)
                succeeded(verb)
                return true
            }
            if observed?.record != current.spec { observed = (current.spec, ContinuousClock.now) }
            let holder = current.spec.holderIdentity ?? ""
            // leaseDurationSeconds is whatever anyone who may write the Lease put there: clamp before converting.
            let duration = Double(current.spec.leaseDurationSeconds ?? Int(timing.leaseDuration))
            let expired = observed.map { ContinuousClock.now - $0.at > .milliseconds((duration * 1000).clampedWholeSeconds) } ?? false
            if !holder.isEmpty && holder != identity && !expired { return false }
            var next = current
            if holder != identity {
                next.spec.acquireTime = stamp
                next.spec.leaseTransitions = (current.spec.leaseTransitions ?? 0).saturatingSuccessor
            }
            next.spec.holderIdentity = identity
            next.spec.leaseDurationSeconds = Int(timing.leaseDuration)
            next.spec.renewTime = stamp
            verb = "update"
            let written = try await client.update(.leases, next)  // a stale resourceVersion loses the race (409)
            succeeded(verb)
            observed = (written.spec, ContinuousClock.now)
            return true
        } catch {
            // A refused call is logged once as a warning by `problems`; other failures are retried quietly.
            problems?.failed(AccessProblem.Call(verb, "leases", namespace: namespace), error)
            logger.debug("lease attempt failed", metadata: ["verb": "\(verb)", "error": "\(error)"])
            return false
        }
    }

    private func succeeded(_ verb: String) { problems?.succeeded(AccessProblem.Call(verb, "leases", namespace: namespace)) }

    private func release() async {
        guard isLeader else { return }
        set(leader: false)
        do {
            var lease = try await client.get(.leases, namespace: namespace, name: name, as: Lease.self)
            guard lease.spec.holderIdentity == identity else { return }
            lease.spec.holderIdentity = ""
            lease.spec.leaseDurationSeconds = 1
            lease.spec.renewTime = Lease.microTime(Date())
            _ = try await client.update(.leases, lease)
            logger.info("released the lease")
        } catch {
            logger.warning("could not release the lease; a successor waits for it to expire", metadata: ["error": "\(error)"])
        }
    }

}
