import Foundation
import HourlyImageAPI
import Synchronization
import TestSupport
import Testing

@testable import WebRenderer

@Suite("The live page: Server-Sent Events on /images/{ns}/{name}/events")
struct LiveEventsTests {
    static let fast = LiveEventSettings(heartbeat: .milliseconds(200), streamsPerClient: 3, maximumStreams: 100)

    func renderer(_ f: WebFixture, clock: (@Sendable () -> Date)? = nil) -> WebRenderer {
        let now = f.now
        return WebRenderer(store: f.store, blobs: f.blobs, registry: .init(), liveSettings: Self.fast, now: clock ?? { now })
    }

    @Test("the first event is the page's <main>; a new status is sent at once; the stream is no page view and counts no grace view")
    func pageEvents() async throws {
        let f = try WebFixture()
        let a = try f.blob(TestImages.jpeg(seed: 1), age: 7200)  // expired: a page view would count a grace view
        try await f.setStatus(HourlyImageStatus(current: a, graceViews: 0))
        try await withServers(renderer(f)) { servers in
            let stream = try EventStreamClient(servers.page + "/images/default/project-image/events")
            #expect(await stream.status() == 200)
            #expect(stream.header("content-type") == "text/event-stream; charset=utf-8")
            #expect(stream.header("cache-control") == "no-store")
            let first = try #require(await stream.next("page"))
            #expect(first.id?.hasSuffix("-expired") == true, "\(first)")
            let html = try #require(first.json?["html"] as? String)
            #expect(html.contains(a.sha256) && html.contains("expired — 0 of 1 grace view used"), "\(html)")
            #expect(first.json?["title"] as? String == "project-image · hourly-image")

            let b = try f.blob(TestImages.jpeg(seed: 2))
            try await f.setStatus(HourlyImageStatus(current: b, graceViews: 0))
            let second = try #require(await stream.next("page"))
            #expect((second.json?["html"] as? String)?.contains(b.sha256) == true)
            #expect(second.id != first.id)
            #expect(try await f.store.get(ResourceKey(namespace: "default", name: "project-image"))?.status?.graceViews == 0)
            // Heartbeats keep an idle stream alive.
            let beat = try #require(await stream.nextEvent(timeout: .seconds(10)))
            #expect(beat.comments == ["heartbeat"], "\(beat)")
        }
    }

    @Test("Last-Event-ID of the current state resumes without a repeat; an older one gets the current page")
    func resume() async throws {
        let f = try WebFixture()
        try await f.setStatus(HourlyImageStatus(current: try f.blob(), graceViews: 0))
        try await withServers(renderer(f)) { servers in
            let url = servers.page + "/images/default/project-image/events"
            let first = try #require(await (try EventStreamClient(url)).next("page"))
            let resumed = try EventStreamClient(url, headers: ["Last-Event-ID": try #require(first.id)])
            let heartbeat = try #require(await resumed.nextEvent())
            #expect(heartbeat.retry == "3000", "the reconnect delay comes first")
            let next = try #require(await resumed.nextEvent())
            #expect(next.event == nil && next.comments == ["heartbeat"], "nothing new to send: \(next)")
            let stale = try EventStreamClient(url, headers: ["Last-Event-ID": "0-fresh"])
            #expect(await stale.status() == 200)
            #expect(await stale.next("page")?.id == first.id)
        }
    }

    @Test("expiry changes the page without a new status: an event at expiresAt")
    func expiryEvent() async throws {
        let f = try WebFixture()
        try await f.setStatus(HourlyImageStatus(current: try f.blob(age: 0, ttl: 2), graceViews: 0))
        let start = f.now
        let began = Mutex(Date())
        try await withServers(renderer(f, clock: { start.addingTimeInterval(Date().timeIntervalSince(began.withLock { $0 })) })) { servers in
            began.withLock { $0 = Date() }  // the image is fresh for 2 s from here
            let stream = try EventStreamClient(servers.page + "/images/default/project-image/events")
            let first = try #require(await stream.next("page"))
            // A machine too loaded to read the first event within 2 s sees the expired page first; either way it comes.
            let expired = first.id?.hasSuffix("-expired") == true ? first : try #require(await stream.next("page", timeout: .seconds(15)))
            #expect(expired.id?.hasSuffix("-expired") == true)
            #expect((expired.json?["html"] as? String)?.contains("grace view") == true)
        }
    }

    @Test("streams per client are capped (429; a proxy's X-Forwarded-For names the client); HEAD takes no slot; a closed stream gives its slot back")
    func caps() async throws {
        let f = try WebFixture()
        try await f.setStatus(HourlyImageStatus(current: try f.blob(), graceViews: 0))
        let r = renderer(f)
        try await withServers(r) { servers in
            let url = servers.page + "/images/default/project-image/events"
            var open: [EventStreamClient] = []
            for _ in 0..<3 {
                let stream = try EventStreamClient(url)
                #expect(await stream.status() == 200)
                open.append(stream)
            }
            let refused = try EventStreamClient(url)
            #expect(await refused.status() == 429)
            #expect(refused.header("retry-after") == "30")
            // Behind a proxy on loopback, each forwarded client has its own cap.
            let other = try EventStreamClient(url, headers: ["X-Forwarded-For": "203.0.113.7"])
            #expect(await other.status() == 200)
            #expect(try await TestHTTPClient.send(url, method: "HEAD").status == 200)
            #expect(r.live.open == 4)
            open[0].disconnect()
            #expect(await pollUntil(timeout: .seconds(10)) { r.live.open == 3 }, "the server notices at its next heartbeat")
            #expect(await (try EventStreamClient(url)).status() == 200)
            #expect(try await TestHTTPClient.get(servers.page + "/images/default/missing/events").status == 404)
        }
    }

    @Test("the page names its stream and keeps a timed reload for when there is none")
    func pageLinksTheStream() async throws {
        let f = try WebFixture()
        try await f.setStatus(HourlyImageStatus(current: try f.blob(age: 0, ttl: 600), graceViews: 0))
        try await withServers(renderer(f)) { servers in
            let page = try await TestHTTPClient.get(servers.page + "/").text
            #expect(page.contains(#"<main id="live" data-events="/images/default/project-image/events">"#))
            #expect(page.contains(#"<noscript><meta http-equiv="refresh" content="601"></noscript><meta name="reload-after" content="601">"#), "\(page)")
            #expect(page.contains("new EventSource(main.dataset.events)"))
        }
    }
}
