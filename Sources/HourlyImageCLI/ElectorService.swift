import LeaderElection
import ServiceLifecycle

/// Runs the leader elector as a service; on shutdown it releases the lease.
struct ElectorService: Service {
    let elector: LeaderElector

    func run() async throws {
        await cancelWhenGracefulShutdown { await elector.run() }
    }
}
