import Foundation
import Synchronization

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
    /// Bearer token, static or re-read from a file.
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

    public var description: String {
        let auth = [token != nil ? "token" : nil, clientCertificatePEM != nil ? "client certificate" : nil].compactMap { $0 }
        return "\(server) (\(origin); auth: \(auth.isEmpty ? "none" : auth.joined(separator: ", "))\(insecureSkipTLSVerify ? "; TLS NOT verified" : ""))"
    }
}

/// A bearer token, either fixed or read from a file that may be rotated (service-account tokens are).
public final class TokenSource: Sendable {
    private enum Origin { case fixed(String), file(String) }
    private let origin: Origin
    private let cache = Mutex<(token: String, modified: Date?)?>(nil)

    /// A fixed token.
    public init(token: String) { origin = .fixed(token) }

    /// A token read from `path`, re-read when the file changes or after a 401.
    public init(file path: String) { origin = .file(path) }

    /// The current token.
    public func current() throws -> String {
        switch origin {
        case .fixed(let token):
            return token
        case .file(let path):
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            if let cached = cache.withLock({ $0 }), cached.modified == modified, modified != nil { return cached.token }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeConfigError("cannot read the token file \(path)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            cache.withLock { $0 = (token, modified) }
            return token
        }
    }

    /// Forgets a cached token so the next `current()` reads the file again (after a 401).
    public func invalidate() { cache.withLock { $0 = nil } }

    /// True when the token comes from a file and can change.
    public var isRefreshable: Bool {
        if case .file = origin { return true }
        return false
    }
}

/// A missing or broken kubeconfig or in-cluster configuration, naming what is wrong.
public struct KubeConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
