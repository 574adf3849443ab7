import Hummingbird
import NIOCore

/// The request context of the web's routers: Hummingbird's basic one plus the client's address, for the live page's
/// per-client cap.
public struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The address of the connected peer (a proxy's, behind an Ingress).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
