import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Synchronization

/// What one client may hold of the public web server: a slowloris that trickles its headers, or a crowd of idle
/// connections from one address, must not keep the page from answering everyone else.
public struct WebServerLimits: Sendable {
    /// A request head must be complete this long after the connection opens or the previous response ended.
    public var headerTimeout: TimeAmount
    /// A connection with no traffic at all is closed after this long.
    public var idleTimeout: TimeAmount
    /// Open connections one client address may hold; more are closed at once.
    public var connectionsPerClient: Int
    /// Total size of a request's header block, and how many header fields it may have.
    public var maxHeaderBytes: Int
    public var maxHeaderFields: Int

    /// 10 s for headers, 60 s idle, 64 connections per client, 16 KiB and 100 header fields.
    public static let standard = WebServerLimits(headerTimeout: .seconds(10), idleTimeout: .seconds(60), connectionsPerClient: 64,
                                                 maxHeaderBytes: 16 << 10, maxHeaderFields: 100)

    /// Creates limits.
    public init(headerTimeout: TimeAmount, idleTimeout: TimeAmount, connectionsPerClient: Int, maxHeaderBytes: Int, maxHeaderFields: Int) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.connectionsPerClient = connectionsPerClient
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderFields = maxHeaderFields
    }

    /// An HTTP/1.1 server builder that enforces these limits (for `Application(server:)`).
    public func http1() -> HTTPServerBuilder {
        let limiter = ConnectionLimiter(limit: connectionsPerClient)
        let headerTimeout = headerTimeout
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes, maxHeaderFieldCount: maxHeaderFields)
        return .http1(configuration: .init(
            additionalChannelHandlers: [PerClientLimitHandler(limiter: limiter), HeaderTimeoutHandler(timeout: headerTimeout)],
            idleTimeout: idleTimeout, httpDecoderConfiguration: decoder))
    }
}

/// Counts open connections per client address.
final class ConnectionLimiter: Sendable {
    let limit: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a slot for this address; false when it already holds `limit`.
    func admit(_ address: String) -> Bool {
        open.withLock { counts in
            let current = counts[address, default: 0]
            guard current < limit else { return false }
            counts[address] = current + 1
            return true
        }
    }

    /// Gives a slot back.
    func release(_ address: String) {
        open.withLock { counts in
            let left = counts[address, default: 1] - 1
            counts[address] = left > 0 ? left : nil
        }
    }
}

/// Closes a connection whose client address already holds its share of connections.
final class PerClientLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    private let limiter: ConnectionLimiter
    private var admitted: String?

    init(limiter: ConnectionLimiter) { self.limiter = limiter }

    /// Added when the accepted connection is set up: its peer address is known already.
    func handlerAdded(context: ChannelHandlerContext) {
        admit(context)
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let admitted { limiter.release(admitted) }
        admitted = nil
        context.fireChannelInactive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard admitted == nil else { return }
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if limiter.admit(address) { admitted = address } else { context.close(promise: nil) }
    }
}

/// Closes a connection that has not sent a complete request head within the timeout of opening or of its last
/// response: a client trickling header bytes (slowloris) keeps no connection for long.
final class HeaderTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart
    private let timeout: TimeAmount
    /// When the connection is closed unless a request head arrives first; nil while a request is being answered.
    private var deadline: NIODeadline?
    /// At most one timer per connection, moved on lazily: a keep-alive request only moves `deadline`, it does not
    /// schedule and cancel an event-loop task of its own.
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    /// Added when the accepted connection is set up, so the clock starts with the connection.
    func handlerAdded(context: ChannelHandlerContext) {
        arm(context)
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil, timer == nil { arm(context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { deadline = nil }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context) }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        deadline = nil
        context.fireChannelInactive()
    }

    private func arm(_ context: ChannelHandlerContext) {
        let deadline = NIODeadline.now() + timeout
        self.deadline = deadline
        if timer == nil { schedule(context, at: deadline) }
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        // Closed from this handler's place in the pipeline: a close from the tail would wait for the request in progress.
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.timer = nil
            guard let due = handler.deadline else { return }  // a request is being answered; its end arms again
            if NIODeadline.now() >= due { context.close(promise: nil) } else { handler.schedule(context, at: due) }
        }
    }
}
