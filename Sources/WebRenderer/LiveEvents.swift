import Foundation
import HourlyImageAPI
import HTTPTypes
import HourlyImageStore
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization
import SystemSupport

/// Limits and timing of the live page's event streams.
public struct LiveEventSettings: Sendable {
    /// A comment line is sent this often on an idle stream, so proxies keep it and a gone client is noticed.
    public var heartbeat: Swift.Duration
    /// Streams one client may hold open at once (a browser opens at most 6 HTTP/1.1 connections per host).
    public var streamsPerClient: Int
    /// Streams the whole process may hold open at once.
    public var maximumStreams: Int

    /// 15 s heartbeats, 6 streams per client, 1,024 in all.
    public static let standard = LiveEventSettings(heartbeat: .seconds(15), streamsPerClient: 6, maximumStreams: 1024)

    /// Creates settings.
    public init(heartbeat: Swift.Duration, streamsPerClient: Int, maximumStreams: Int) {
        self.heartbeat = heartbeat
        self.streamsPerClient = streamsPerClient
        self.maximumStreams = maximumStreams
    }
}

/// Who holds which live streams, and the one subscription to the store's changes that wakes them all.
final class LiveStreams: Sendable {
    private let counts = Mutex<(total: Int, byClient: [String: Int])>((0, [:]))
    private let wakes = Broadcast<Void>()
    private let started = Mutex(false)

    /// Why a stream was not admitted.
    enum Refusal: Error { case client, total }

    /// Takes a slot for `client`, held by the returned ticket.
    func admit(_ client: String, settings: LiveEventSettings) throws(Refusal) -> Ticket {
        try counts.withLock { (state: inout (total: Int, byClient: [String: Int])) throws(Refusal) in
            guard state.total < settings.maximumStreams else { throw .total }
            guard state.byClient[client, default: 0] < settings.streamsPerClient else { throw .client }
            state.total += 1
            state.byClient[client, default: 0] += 1
        }
        return Ticket(self, client)
    }

    /// Holds one admitted slot until it is dropped, so a stream whose body never runs (the client left before it
    /// started) gives its slot back too.
    final class Ticket: Sendable {
        let streams: LiveStreams
        let client: String
        init(_ streams: LiveStreams, _ client: String) { (self.streams, self.client) = (streams, client) }
        deinit { streams.release(client) }
    }

    private func release(_ client: String) {
        counts.withLock { state in
            state.total -= 1
            let left = state.byClient[client, default: 1] - 1
            state.byClient[client] = left > 0 ? left : nil
        }
    }

    /// Open streams.
    var open: Int { counts.withLock { $0.total } }

    /// A stream of wake-ups, one after any resource changed (coalesced: the stream re-reads its resource).
    func subscribe(to store: any ResourceStore) -> AsyncStream<Void> {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        if first {
            let wakes = self.wakes
            Task { for await _ in await store.changes() { wakes.send(()) } }
        }
        return wakes.subscribe()
    }
}

extension WebRenderer {
    /// `GET /images/{ns}/{name}/events`: Server-Sent Events, one `page` event (the new `<main>`, title and fallback
    /// reload delay) whenever what the page shows changes: a new status, or the image expiring. Never a page view.
    /// `Last-Event-ID` resumes: a client that saw the current state gets nothing until it changes.
    func liveEvents(_ request: Request, context: WebRequestContext, body: Bool) async throws -> Response {
        let key = ResourceKey(namespace: try context.parameters.require("namespace"), name: try context.parameters.require("name"))
        guard try await store.get(key) != nil else { return html(notFoundPage("No HourlyImage \(key)"), status: .notFound) }
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .xAccelBuffering: "no"]
        guard body else { return Response(status: .ok, headers: headers) }
        let client = Self.client(request, peer: context.remoteAddress)
        let ticket: LiveStreams.Ticket
        do {
            ticket = try live.admit(client, settings: liveSettings)
        } catch {
            let who = error == .client ? "this client has \(liveSettings.streamsPerClient) open" : "the server has \(liveSettings.maximumStreams) open"
            var response = text("too many live streams (\(who)); the page reloads on its own instead\n", status: .tooManyRequests)
            response.headers[.retryAfter] = "30"
            return response
        }
        let resumeFrom = request.headers[.lastEventID].map { String($0.prefix(200)) }
        let wakes = live.subscribe(to: store)
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { withExtendedLifetime(ticket) {} }
                // Every wake-up (a change, the heartbeat, expiry) is one signal; shutting down ends them.
                let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                try await withGracefulShutdownHandler {
                    try await self.stream(key, to: &writer, resumeFrom: resumeFrom, wakes: wakes, signals: signals, signal: signal)
                } onGracefulShutdown: {
                    signal.finish()
                }
                try await writer.finish(nil)
            })
    }

    /// Writes events until the resource is deleted, the client goes away (a write fails) or the server shuts down.
    private func stream(
        _ key: ResourceKey, to writer: inout any ResponseBodyWriter, resumeFrom: String?, wakes: AsyncStream<Void>,
        signals: AsyncStream<Void>, signal: AsyncStream<Void>.Continuation
    ) async throws {
        let heartbeat = liveSettings.heartbeat
        let forwarder = Task { for await _ in wakes { signal.yield(()) } }
        let ticker = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: heartbeat)
                signal.yield(())
            }
        }
        var phaseTimer: Task<Void, any Error>?
        defer {
            forwarder.cancel()
            ticker.cancel()
            phaseTimer?.cancel()
            signal.finish()
        }
        try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
        var sent = resumeFrom
        var lastBeat = ContinuousClock.now
        var iterator = signals.makeAsyncIterator()
        repeat {
            guard let resource = try await store.get(key) else {
                try await writer.write(ByteBuffer(string: "event: gone\ndata: {}\n\n"))
                return
            }
            let now = now()
            let expired = ImagePage.isExpired(resource, now: now)
            let id = "\(resource.metadata.resourceVersion ?? "0")-\(expired ? "expired" : "fresh")"
            if id != sent {
                try await writer.write(ByteBuffer(string: Self.pageEvent(resource, id: id, expired: expired, now: now)))
                sent = id
                lastBeat = ContinuousClock.now
                // The page changes at expiry without a new status: wake then.
                phaseTimer?.cancel()
                if !expired, let expiresAt = resource.status?.current?.expiresAt {
                    let wait = max(0, expiresAt.date.timeIntervalSince(now)) + 0.05
                    phaseTimer = Task {
                        try await Task.sleep(for: .milliseconds(Int64(min(wait, 366 * 86400) * 1000)))
                        signal.yield(())
                    }
                }
            } else if ContinuousClock.now - lastBeat >= heartbeat {
                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                lastBeat = ContinuousClock.now
            }
        } while await iterator.next() != nil
    }

    /// One `page` event: `id`, then the JSON data on one line.
    static func pageEvent(_ resource: HourlyImage, id: String, expired: Bool, now: Date) -> String {
        var data: [String: Any] = ["html": ImagePage.content(resource, expired: expired), "title": ImagePage.title(resource)]
        data["reloadAfter"] = ImagePage.reloadAfter(resource, now: now) ?? NSNull()
        let json = (try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return "id: \(id)\nevent: page\ndata: \(String(decoding: json, as: UTF8.self))\n\n"
    }

    /// The client a stream counts against: the peer, or behind a proxy on a private or loopback address (an Ingress),
    /// the last address that proxy appended to `X-Forwarded-For`.
    static func client(_ request: Request, peer: SocketAddress?) -> String {
        let address = peer?.ipAddress ?? "unknown"
        guard Self.isPrivate(address), let forwarded = request.headers[.xForwardedFor],
              let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return address }
        return String(last.prefix(64))
    }

    /// Loopback, RFC 1918, link-local and unique-local addresses: where a cluster's proxies connect from.
    static func isPrivate(_ address: String) -> Bool {
        if address == "::1" || address.hasPrefix("127.") || address.hasPrefix("10.") || address.hasPrefix("192.168.")
            || address.hasPrefix("169.254.") || address.lowercased().hasPrefix("fd") || address.lowercased().hasPrefix("fe80:") { return true }
        let octets = address.split(separator: ".").compactMap { Int($0) }
        return octets.count == 4 && octets[0] == 172 && (16...31).contains(octets[1])
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`, sent by a reconnecting EventSource.
    static let lastEventID = Self("Last-Event-ID")!
    /// `X-Forwarded-For`, appended to by proxies.
    static let xForwardedFor = Self("X-Forwarded-For")!
    /// `X-Accel-Buffering: no` tells nginx-style proxies to pass a stream on as it comes.
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
