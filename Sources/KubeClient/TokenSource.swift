import Foundation
import Synchronization

/// What one request authenticates with: a bearer token, a client certificate and key, or both.
///
/// Secrets never appear in `description`.
public struct ClientCredential: Sendable, Hashable, CustomStringConvertible {
    /// The bearer token, if any.
    public var token: String?
    /// PEM client certificate from an exec plugin; nil means the connection's own (if any).
    public var clientCertificatePEM: Data?
    /// PEM private key of `clientCertificatePEM`.
    public var clientKeyPEM: Data?
    /// When the credential stops being valid; nil = until the server refuses it.
    public var expiration: Date?
    /// Which plugin run produced it, so a 401 can tell "still this one" from "already replaced".
    var serial: UInt64 = 0

    /// Creates a credential.
    public init(token: String? = nil, clientCertificatePEM: Data? = nil, clientKeyPEM: Data? = nil, expiration: Date? = nil) {
        self.token = token
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.expiration = expiration
    }

    /// `token`, `client certificate` or both, for logs.
    public var kind: String {
        [token != nil ? "token" : nil, clientCertificatePEM != nil ? "client certificate" : nil].compactMap { $0 }.joined(separator: " and ")
    }

    public var description: String {
        "\(kind.isEmpty ? "no credential" : kind)\(expiration.map { ", expires \(ISO8601DateFormatter().string(from: $0))" } ?? "")"
    }
}

/// Where a connection's request credentials come from: a fixed bearer token, a token file that may be rotated
/// (service-account tokens are), or a kubeconfig exec plugin. After a 401 the transport asks for a fresh one once.
public final class TokenSource: Sendable {
    private enum Origin { case fixed(String), file(String), exec(ExecCredentialPlugin) }
    private let origin: Origin
    private let cache = Mutex<(token: String, modified: Date?)?>(nil)

    /// A fixed token.
    public init(token: String) { origin = .fixed(token) }

    /// A token read from `path`, re-read when the file changes or after a 401.
    public init(file path: String) { origin = .file(path) }

    /// Credentials printed by an exec plugin, cached until they expire, renewed after a 401.
    public init(exec plugin: ExecCredentialPlugin) { origin = .exec(plugin) }

    /// The exec plugin, when credentials come from one.
    public var execPlugin: ExecCredentialPlugin? {
        if case .exec(let plugin) = origin { return plugin }
        return nil
    }

    /// The credential for the next request. May block (reading a file, running a plugin): call it off the concurrency pool.
    public func credential() throws -> ClientCredential {
        switch origin {
        case .fixed(let token): ClientCredential(token: token)
        case .file: ClientCredential(token: try fileToken())
        case .exec(let plugin): try plugin.credential()
        }
    }

    /// After the server refused `used` with a 401: re-reads the file or re-runs the plugin (unless another request already did).
    public func refreshed(after used: ClientCredential?) throws -> ClientCredential {
        switch origin {
        case .fixed, .file:
            invalidate()
            return try credential()
        case .exec(let plugin):
            return try plugin.refresh(after: used)
        }
    }

    /// The current bearer token (empty when an exec plugin gave only a client certificate).
    public func current() throws -> String { try credential().token ?? "" }

    /// Forgets a cached token so the next `current()` reads the file (or runs the plugin) again.
    public func invalidate() {
        cache.withLock { $0 = nil }
        if case .exec(let plugin) = origin { plugin.invalidate() }
    }

    /// True when the credential can change: a token file or an exec plugin.
    public var isRefreshable: Bool {
        if case .fixed = origin { return false }
        return true
    }

    /// How requests authenticate, without secrets: `token`, `token file`, `exec plugin aws`.
    public var summary: String {
        switch origin {
        case .fixed: "token"
        case .file: "token file"
        case .exec(let plugin): "exec plugin \((plugin.config.command as NSString).lastPathComponent)"
        }
    }

    private func fileToken() throws -> String {
        guard case .file(let path) = origin else { return "" }
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
