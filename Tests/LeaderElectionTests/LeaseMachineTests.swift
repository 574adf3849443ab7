import Foundation
import KubeClient
import KubeMeta
import LeaderElection
import Testing

@Suite("Lease state machine")
struct LeaseMachineTests {
    /// Our clock's origin; every instant in a test is an offset from it.
    let t0 = ContinuousClock.now
    /// The wall time stamped into writes.
    let wall = Date(timeIntervalSince1970: 1_700_000_000.25)
    var stamp: String { Lease.microTime(wall) }

    func at(_ seconds: Double) -> LeaseMachine.Instant { t0 + .milliseconds(Int64(seconds * 1000)) }

    func machine(leaseDuration: Double = 15, renewDeadline: Double = 10) -> LeaseMachine {
        LeaseMachine(namespace: "ns", name: "lock", identity: "me", leaseDuration: leaseDuration, renewDeadline: renewDeadline)
    }

    func lease(
        holder: String?, duration: Int? = 15, acquire: String? = "2024-01-01T00:00:00.000000Z",
        renew: String? = "2024-01-01T00:00:05.000000Z", transitions: Int? = 4, resourceVersion: String = "7"
    ) -> Lease {
        Lease(
            metadata: ObjectMeta(name: "lock", namespace: "ns", resourceVersion: resourceVersion),
            spec: .init(holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: acquire, renewTime: renew, leaseTransitions: transitions))
    }

    /// `current` as the machine writes it when it takes the lease over at `stamp`.
    func takenOver(_ current: Lease) -> Lease {
        var next = current
        next.spec.holderIdentity = "me"
        next.spec.leaseDurationSeconds = 15
        next.spec.acquireTime = stamp
        next.spec.renewTime = stamp
        next.spec.leaseTransitions = (current.spec.leaseTransitions ?? 0) + 1
        return next
    }

    @Test("a missing lease is created with us as holder, no transitions, both times stamped; writing it makes us leader")
    func createsMissing() {
        var m = machine()
        let expected = Lease(
            metadata: ObjectMeta(name: "lock", namespace: "ns"),
            spec: .init(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0))
        #expect(m.decide(read: nil, now: t0, wallTime: wall) == .create(expected))
        #expect(!m.isLeader, "not before the write succeeded")
        #expect(m.succeeded(expected, now: t0) == .acquired)
        #expect(m.isLeader)
        #expect(m.lastRenew == t0)
    }

    @Test("a lease without a holder (released, or never held) is taken at once", arguments: ["", nil] as [String?])
    func takesFree(holder: String?) {
        var m = machine()
        let free = lease(holder: holder, duration: 1, transitions: 2)
        #expect(m.decide(read: free, now: t0, wallTime: wall) == .update(takenOver(free)))
    }

    @Test("another holder's lease is left alone while it is valid, and that is not leadership")
    func leavesValid() {
        var m = machine()
        let theirs = lease(holder: "other")
        #expect(m.decide(read: theirs, now: t0, wallTime: wall) == .nothing)
        #expect(m.decide(read: theirs, now: at(14), wallTime: wall) == .nothing)
        #expect(m.failed(now: at(14)) == .unchanged)
        #expect(!m.isLeader)
    }

    @Test(
        "another holder's lease is taken once unchanged for leaseDuration on our clock, not before, whatever its renewTime says",
        arguments: ["2000-01-01T00:00:00.000000Z", "2999-01-01T00:00:00.000000Z", nil] as [String?])
    func takesExpired(renewTime: String?) {
        var m = machine()
        let theirs = lease(holder: "other", renew: renewTime)
        #expect(m.decide(read: theirs, now: t0, wallTime: wall) == .nothing, "first seen now: a long-past renewTime is not expiry")
        #expect(m.decide(read: theirs, now: at(10), wallTime: wall) == .nothing, "reading the same record again does not restart")
        #expect(m.decide(read: theirs, now: at(15), wallTime: wall) == .nothing, "exactly leaseDuration is not past it")
        #expect(m.decide(read: theirs, now: at(15.001), wallTime: wall) == .update(takenOver(theirs)))
    }

    @Test("expiry uses the record's leaseDurationSeconds, not ours")
    func recordsDuration() {
        var m = machine()
        let theirs = lease(holder: "other", duration: 30)
        #expect(m.decide(read: theirs, now: t0, wallTime: wall) == .nothing)
        #expect(m.decide(read: theirs, now: at(20), wallTime: wall) == .nothing)
        #expect(m.decide(read: theirs, now: at(30.001), wallTime: wall) == .update(takenOver(theirs)))
    }

    @Test("a changed record (the holder renewed) restarts the expiry measurement")
    func changeRestarts() {
        var m = machine()
        #expect(m.decide(read: lease(holder: "other"), now: t0, wallTime: wall) == .nothing)
        let renewed = lease(holder: "other", renew: "2024-01-01T00:00:15.000000Z", resourceVersion: "8")
        #expect(m.decide(read: renewed, now: at(10), wallTime: wall) == .nothing)
        #expect(m.decide(read: renewed, now: at(16), wallTime: wall) == .nothing, "15 s since first seen, but 6 s since it changed")
        #expect(m.decide(read: renewed, now: at(25.001), wallTime: wall) == .update(takenOver(renewed)))
    }

    @Test("renewing our own lease keeps acquireTime, leaseTransitions and the resourceVersion, and stamps renewTime")
    func renewsOwn() {
        var m = machine()
        let ours = lease(holder: "me", duration: 3)
        var expected = ours
        expected.spec.renewTime = stamp
        expected.spec.leaseDurationSeconds = 15
        #expect(m.decide(read: ours, now: t0, wallTime: wall) == .update(expected))
        #expect(m.decide(read: ours, now: at(100), wallTime: wall) == .update(expected), "our own lease is renewed however old")
    }

    @Test("a takeover increments leaseTransitions (from none: 1) and sets acquireTime")
    func takeoverBookkeeping() throws {
        var m = machine()
        guard case .update(let next) = m.decide(read: lease(holder: "", acquire: "old", transitions: 4), now: t0, wallTime: wall) else {
            Issue.record("expected an update")
            return
        }
        #expect(next.spec.leaseTransitions == 5)
        #expect(next.spec.acquireTime == stamp)
        #expect(next.spec.renewTime == stamp)
        #expect(next.spec.holderIdentity == "me")
        #expect(next.metadata.resourceVersion == "7", "the update carries the read's resourceVersion, so a racing writer gets a 409")
        guard case .update(let first) = m.decide(read: lease(holder: "", transitions: nil), now: t0, wallTime: wall) else {
            Issue.record("expected an update")
            return
        }
        #expect(first.spec.leaseTransitions == 1)
    }

    @Test("leadership is lost only when renewals have failed for longer than renewDeadline; a success resets it")
    func losesAfterDeadline() {
        var m = machine()
        #expect(m.failed(now: t0) == .unchanged, "not leading: nothing to lose")
        #expect(m.succeeded(lease(holder: "me"), now: t0) == .acquired)
        #expect(m.succeeded(lease(holder: "me"), now: at(2)) == .unchanged, "a renewal is no change")
        #expect(m.failed(now: at(5)) == .unchanged)
        #expect(m.failed(now: at(12)) == .unchanged, "exactly renewDeadline after the last renewal")
        #expect(m.isLeader)
        #expect(m.succeeded(lease(holder: "me"), now: at(13)) == .unchanged)
        #expect(m.failed(now: at(23)) == .unchanged, "the deadline counts from the last success")
        #expect(m.failed(now: at(23.001)) == .lost)
        #expect(!m.isLeader)
        #expect(m.failed(now: at(30)) == .unchanged, "lost once")
        #expect(m.succeeded(lease(holder: "me"), now: at(31)) == .acquired)
    }

    @Test("hostile leaseDurationSeconds from the server do not trap: Int.max never expires, 0 at once after, negative is already over")
    func hostileDurations() {
        var huge = machine()
        let forever = lease(holder: "other", duration: .max)
        #expect(huge.decide(read: forever, now: t0, wallTime: wall) == .nothing)
        #expect(huge.decide(read: forever, now: at(1_000_000_000), wallTime: wall) == .nothing)

        var zero = machine()
        let instant = lease(holder: "other", duration: 0)
        #expect(zero.decide(read: instant, now: t0, wallTime: wall) == .nothing)
        #expect(zero.decide(read: instant, now: at(0.001), wallTime: wall) == .update(takenOver(instant)))

        for duration in [-1, Int.min] {
            var m = machine()
            let over = lease(holder: "other", duration: duration)
            #expect(m.decide(read: over, now: t0, wallTime: wall) == .update(takenOver(over)), "as client-go: \(duration) s is already over")
        }
    }

    @Test("leaseTransitions at Int.max saturates on takeover instead of trapping")
    func saturatingTransitions() {
        var m = machine()
        guard case .update(let next) = m.decide(read: lease(holder: "", transitions: .max), now: t0, wallTime: wall) else {
            Issue.record("expected an update")
            return
        }
        #expect(next.spec.leaseTransitions == .max)
    }

    @Test("hostile local timings do not trap")
    func hostileTimings() {
        for value in [Double.nan, .infinity, -.infinity, 1e300] {
            var m = machine(leaseDuration: value, renewDeadline: value)
            _ = m.decide(read: nil, now: t0, wallTime: wall)
            _ = m.succeeded(lease(holder: "me"), now: t0)
            _ = m.failed(now: at(1))
        }
    }

    @Test("the release writes holder \"\" and leaseDurationSeconds 1, keeping the rest; never for a lease that is not ours")
    func release() {
        var m = machine()
        let whileFollowing = m.stop()
        #expect(!whileFollowing, "not leading: nothing to release")
        _ = m.succeeded(lease(holder: "me"), now: t0)
        let whileLeading = m.stop()
        #expect(whileLeading)
        #expect(!m.isLeader)
        let ours = lease(holder: "me")
        var expected = ours
        expected.spec.holderIdentity = ""
        expected.spec.leaseDurationSeconds = 1
        expected.spec.renewTime = stamp
        #expect(m.release(ours, wallTime: wall) == expected)
        #expect(m.release(lease(holder: "other"), wallTime: wall) == nil)
    }
}
