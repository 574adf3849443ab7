import Hummingbird
import HummingbirdTLS

/// The request context: Hummingbird's core storage plus a way to ask the connection for the client certificate.
struct KubeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The certificate the client presented in the TLS handshake (already verified against the test CA), if any.
    let peerCertificate: @Sendable () async -> NIOSSLCertificate?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        peerCertificate = { try? await channel.nioSSL_peerCertificate().get() }
    }
}
