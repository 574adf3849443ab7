import Foundation
import HourlyImageAPI
import Testing

@testable import HourlyImageCore

/// A resource on a schedule, at generation 1.
func scheduled(_ schedule: String, zone: String? = nil, lead: String? = nil, graceCount: Int = 0, status: HourlyImageStatus? = nil) -> HourlyImage {
    var r = resource(graceCount: graceCount, status: status)
    r.spec.schedule = schedule
    r.spec.timeZone = zone
    r.spec.leadTime = lead
    return r
}

func ts(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

/// An image record fetched and served at `time`.
func record(_ tag: String, at time: String) -> ImageRecord { image(tag, fetchedAt: ts(time)) }

/// Runs passes as the controller does, with the clock given per pass: fetches succeed with `image(tag)`.
struct Run {
    var resource: HourlyImage
    var onDisk: [StoredBlob] = []

    mutating func pass(at time: String, fetching tag: String) -> Decision {
        let p = HourlyImageCoreTests.pass(resource, now: ts(time), onDisk: onDisk, fetch: .success(record(tag, at: time)))
        resource = p.resource
        if case .fetch = p.first.actions.first(where: { if case .fetch = $0 { true } else { false } }) { onDisk += blobs(record(tag, at: time)) }
        return p.final
    }
}

@Suite("spec.schedule in the lifecycle: wall-clock expiry, prefetch lead, daylight saving and clock jumps")
struct LifecycleScheduleTests {
    @Test("@hourly: expiry at the next top of the hour, the next image fetched a minute before, shown at the hour with graceCount 0")
    func hourly() throws {
        var run = Run(resource: scheduled("@hourly"))
        let first = run.pass(at: "2026-12-03T13:20:15Z", fetching: "a")
        #expect(first.status.current?.expiresAt == ts("2026-12-03T14:00:00Z"))
        #expect(first.requeueAt == ts("2026-12-03T13:59:00Z"), "wake for the prefetch, a lead time early")
        let early = run.pass(at: "2026-12-03T13:58:59Z", fetching: "x")
        #expect(early.fetch == nil && early.status.pending == nil, "not yet")
        let prefetch = run.pass(at: "2026-12-03T13:59:00Z", fetching: "b")
        #expect(prefetch.status.pending?.sha256 == image("b").sha256)
        #expect(prefetch.status.current?.sha256 == image("a").sha256, "still fresh until the hour")
        #expect(prefetch.condition("Fresh")?.status == .true)
        #expect(prefetch.requeueAt == ts("2026-12-03T14:00:00Z"), "wake at the hour to swap")
        let swap = run.pass(at: "2026-12-03T14:00:00Z", fetching: "y")
        #expect(swap.promoted)
        #expect(swap.status.current?.sha256 == image("b").sha256)
        #expect(swap.status.current?.expiresAt == ts("2026-12-03T15:00:00Z"))
    }

    @Test("@daily in Helsinki across the spring jump: midnight local each day, 23 hours apart that night")
    func dailyAcrossSpringForward() throws {
        let valid = try #require(try? scheduled("@daily", zone: "Europe/Helsinki").spec.validated().get())
        #expect(valid.expiry(servedSince: ts("2026-03-28T12:00:00Z")) == ts("2026-03-28T22:00:00Z"))
        #expect(valid.expiry(servedSince: ts("2026-03-28T22:00:00Z")) == ts("2026-03-29T21:00:00Z"))
        #expect(valid.prefetchAt(expiresAt: ts("2026-03-29T21:00:00Z")) == ts("2026-03-29T20:59:00Z"))
    }

    @Test("a clock that jumps back never makes a resource wait past the next scheduled time; one that jumps forward swaps at once")
    func clockJumps() throws {
        var run = Run(resource: scheduled("@hourly", lead: "0s"))
        _ = run.pass(at: "2026-12-03T13:20:00Z", fetching: "a")
        // Back by a day: the stored expiry (14:00 on the 3rd) is far ahead; look again at the next hour instead.
        let back = run.pass(at: "2026-12-02T13:30:00Z", fetching: "x")
        #expect(back.fetch == nil)
        #expect(back.requeueAt == ts("2026-12-02T14:00:00Z"))
        // Forward by a day: long expired; the next image is fetched and, with graceCount 0, shown at once.
        let forward = run.pass(at: "2026-12-04T09:10:00Z", fetching: "b")
        #expect(forward.status.current?.sha256 == image("b").sha256)
        #expect(forward.status.current?.expiresAt == ts("2026-12-04T10:00:00Z"))
    }

    @Test("grace views still apply past a scheduled change: the expired image is shown graceCount more views")
    func graceAfterSchedule() {
        var run = Run(resource: scheduled("@hourly", graceCount: 2))
        _ = run.pass(at: "2026-12-03T13:20:00Z", fetching: "a")
        _ = run.pass(at: "2026-12-03T13:59:30Z", fetching: "b")
        let atHour = run.pass(at: "2026-12-03T14:00:00Z", fetching: "x")
        #expect(!atHour.promoted)
        #expect(atHour.condition("Fresh")?.reason == "InGrace")
    }

    @Test("without a schedule the TTL decides, as before")
    func ttlUnchanged() {
        var run = Run(resource: resource(ttl: "1h", graceCount: 0))
        let first = run.pass(at: "2026-12-03T13:20:15Z", fetching: "a")
        #expect(first.status.current?.expiresAt == ts("2026-12-03T14:20:15Z"))
        #expect(first.requeueAt == ts("2026-12-03T14:20:15Z"))
    }

    @Test("a bad schedule, zone or lead time is InvalidSpec naming the field", arguments: [
        (scheduled("every hour"), "spec.schedule"),
        (scheduled("@hourly", zone: "Mars/Olympus"), "spec.timeZone"),
        (scheduled("@hourly", lead: "-5m"), "spec.leadTime"),
        (scheduled("@hourly", lead: "25h"), "spec.leadTime"),
    ])
    func invalid(resource: HourlyImage, field: String) {
        let d = Lifecycle.decide(resource, blobs: [], now: ts("2026-12-03T13:00:00Z"))
        #expect(d.condition("Degraded")?.reason == "InvalidSpec")
        #expect(d.condition("Degraded")?.message.contains(field) == true, "\(d.condition("Degraded")?.message ?? "")")
        #expect(d.fetch == nil)
    }

    @Test("timeZone or leadTime without a schedule is InvalidSpec")
    func zoneWithoutSchedule() {
        var r = resource()
        r.spec.timeZone = "Europe/Helsinki"
        #expect(Lifecycle.decide(r, blobs: [], now: t0).condition("Degraded")?.message.contains("applies to spec.schedule") == true)
    }
}
