import Foundation
import KubeMeta
import KubeClient
import Logging
import SystemSupport

/// Leader election with a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does:
/// acquire when the lease is free or has not been renewed for `leaseDuration` (measured on our
/// own clock since we last saw it change, so clock skew between nodes does not matter), renew
/// every `retryPeriod`, and give up leadership at once when renewals fail for `renewDeadline`.
///
/// The rules are `LeaseMachine`'s; this actor is its runner: it reads the clocks, makes the
/// Lease calls, reports them to `AccessProblems`, logs, and broadcasts leadership changes.
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
    private var machine: LeaseMachine
    private let leadershipChanges = Broadcast<Bool>()
    /// True while this replica holds the lease.
    public var isLeader: Bool { machine.isLeader }

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
        machine = LeaseMachine(
            namespace: namespace, name: name, identity: identity, leaseDuration: timing.leaseDuration, renewDeadline: timing.renewDeadline)
    }

    /// Leadership changes (the current value first).
    public func leadership() -> AsyncStream<Bool> {
        leadershipChanges.subscribe(initial: [isLeader])
    }

    /// Campaigns and renews until cancelled; then releases the lease if held, so a successor
    /// takes over without waiting for it to expire.
    public func run() async {
        while !Task.isCancelled {
            switch await tryAcquireOrRenew() {
            case .unchanged: break
            case .acquired: announce()
            case .lost:
                logger.warning("lost the lease: renewals failed for the renew deadline")
                announce()
            }
            try? await Task.sleep(for: .milliseconds((timing.retryPeriod * 1000).clampedWholeSeconds))  // hostile timings never trap
        }
        await release()
    }

    /// Logs and broadcasts the machine's new leadership.
    private func announce() {
        logger.info(isLeader ? "became the leader" : "stopped leading", metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
        leadershipChanges.send(isLeader)
    }

    /// One round: read the lease, write what the machine decides, and tell it the outcome.
    private func tryAcquireOrRenew() async -> LeaseMachine.Change {
        var verb = "get"
        do {
            let current: Lease?
            do {
                current = try await client.get(.leases, namespace: namespace, name: name, as: Lease.self)
            } catch KubeAPIError.notFound {
                current = nil
            }
            succeeded(verb)
            let written: Lease
            switch machine.decide(read: current, now: ContinuousClock.now, wallTime: Date()) {
            case .nothing:
                return machine.failed(now: ContinuousClock.now)
            case .create(let lease):
                verb = "create"
                written = try await client.create(.leases, lease)
            case .update(let lease):
                verb = "update"
                written = try await client.update(.leases, lease)  // a stale resourceVersion loses the race (409)
            }
            succeeded(verb)
            return machine.succeeded(written, now: ContinuousClock.now)
        } catch {
            // A refused call is logged once as a warning by `problems`; other failures are retried quietly.
            problems?.failed(AccessProblem.Call(verb, "leases", namespace: namespace), error)
            logger.debug("lease attempt failed", metadata: ["verb": "\(verb)", "error": "\(error)"])
            return machine.failed(now: ContinuousClock.now)
        }
    }

    private func succeeded(_ verb: String) { problems?.succeeded(AccessProblem.Call(verb, "leases", namespace: namespace)) }

    private func release() async {
        guard machine.stop() else { return }
        announce()
        do {
            let current = try await client.get(.leases, namespace: namespace, name: name, as: Lease.self)
            guard let lease = machine.release(current, wallTime: Date()) else { return }
            _ = try await client.update(.leases, lease)
            logger.info("released the lease")
        } catch {
            logger.warning("could not release the lease; a successor waits for it to expire", metadata: ["error": "\(error)"])
        }
    }
}
