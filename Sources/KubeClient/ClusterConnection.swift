import Foundation

/// Everything needed to talk to one API server: address, trust, credentials, default namespace.
///
/// Secrets (token, key) never appear in `description`, logs or errors.
public struct ClusterConnection: Sendable, CustomStringConvertible {
    /// `https://host:port` (or `http://` for tests).
    public var server: String
    /// PEM of the CA that signs the server certificate; nil = the system trust store.
    public var caPEM: Data?
    /// PEM client certificate and key, for certificate authentication.
    public var clientCertificatePEM: Data?
    public var clientKeyPEM: Data?
    /// Where request credentials come from: a bearer token (static or re-read from a file) or an exec plugin.
    public var token: TokenSource?
    /// Skip verifying the server certificate (only when the kubeconfig says so).
    public var insecureSkipTLSVerify: Bool
    /// The namespace of the context, or of the service account.
    public var namespace: String
    /// Where this came from (file and context, or in-cluster), for logs.
    public var origin: String

    /// Creates a connection.
    public init(
        server: String, caPEM: Data? = nil, clientCertificatePEM: Data? = nil, clientKeyPEM: Data? = nil,
        token: TokenSource? = nil, insecureSkipTLSVerify: Bool = false, namespace: String = "default", origin: String = "explicit"
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.token = token
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.namespace = namespace
        self.origin = origin
    }

    /// The PEM certificate and key for TLS: an exec plugin's when it gave one, else the kubeconfig's own, else nil.
    func clientCertificate(with credential: ClientCredential?) -> (certificate: Data, key: Data)? {
        if let certificate = credential?.clientCertificatePEM, let key = credential?.clientKeyPEM { return (certificate, key) }
        if let certificate = clientCertificatePEM, let key = clientKeyPEM { return (certificate, key) }
        return nil
    }

    public var description: String {
        let auth = [token?.summary, clientCertificatePEM != nil ? "client certificate" : nil].compactMap { $0 }
        return "\(server) (\(origin); auth: \(auth.isEmpty ? "none" : auth.joined(separator: ", "))\(insecureSkipTLSVerify ? "; TLS NOT verified" : ""))"
    }
}

/// A missing or broken kubeconfig or in-cluster configuration, naming what is wrong.
public struct KubeConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
