import Foundation
import Hummingbird
import ServiceLifecycle
import HummingbirdTLS
import Logging

/// An in-process Kubernetes API server for tests: `hourlyimages.images.dwk.dev/v1alpha1`, `events.k8s.io/v1` Events
/// and `coordination.k8s.io/v1` Leases with upstream semantics (resourceVersions, generation, finalizers, status
/// subresource, conflicts, patches, list/watch with bookmarks and 410), auth, and hooks to make it misbehave.
public final class KubeTestServer: Sendable {
    /// "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT".
    public let baseURL: String
    /// The port the server listens on.
    public let port: Int
    /// The options it was started with.
    public let options: Options
    let store: ObjectStore
    let controls: ServerControls
    private let serverTask: Task<Void, any Error>
    private let services: ServiceGroup

    private init(
        baseURL: String, port: Int, options: Options, store: ObjectStore, controls: ServerControls, serverTask: Task<Void, any Error>,
        services: ServiceGroup
    ) {
        self.services = services
        self.baseURL = baseURL
        self.port = port
        self.options = options
        self.store = store
        self.controls = controls
        self.serverTask = serverTask
    }

    /// Starts a server on 127.0.0.1 (port 0 unless the options say otherwise) and returns once it accepts connections.
    public static func start(_ options: Options = .init()) async throws -> KubeTestServer {
        let store = ObjectStore(historyLimit: options.historyLimit, customResources: options.customResources,
                                requiresNamespaces: options.requiresNamespaces)
        let controls = ServerControls(tokens: options.tokens)
        var responder = APIResponder(store: store, controls: controls, allowAnonymous: options.allowsAnonymous ?? options.tokens.isEmpty,
                                     usesTLS: options.tls != nil, permissions: options.permissions,
                                     bookmarkInterval: options.bookmarkInterval)
        responder.usesRBAC = options.usesRBAC
        responder.userGroups = options.userGroups
        var logger = Logger(label: "kube-test-server")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: options.port))
        let announce: @Sendable (Int?) -> Void = { port in
            portContinuation.yield(port ?? 0)
            portContinuation.finish()
        }
        let app: Application<APIResponder>
        if let pki = options.tls {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(pki.serverCertPath).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.serverKeyPath, format: .pem)))
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki.caPEMPath))
            // Ask for a client certificate and verify it against the test CA, but do not require one,
            // so bearer tokens work over TLS too.
            tls.certificateVerification = .optionalVerification
            app = Application(responder: responder, server: try .tls(.http1(), tlsConfiguration: tls), configuration: configuration,
                              onServerRunning: { announce($0.localAddress?.port) }, logger: logger)
        } else {
            app = Application(responder: responder, server: .http1(), configuration: configuration,
                              onServerRunning: { announce($0.localAddress?.port) }, logger: logger)
        }
        // Run under a ServiceGroup so stop() can shut down gracefully: cancelling a Hummingbird server
        // outright can drop a just-accepted connection unhandled, which NIO treats as a fatal error.
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        let task = Task {
            defer { portContinuation.finish() }
            try await services.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            let failure = await task.result
            throw KubeTestServerError(description: "the test API server did not start: \(failure)")
        }
        let scheme = options.tls == nil ? "http" : "https"
        return KubeTestServer(baseURL: "\(scheme)://127.0.0.1:\(port)", port: port, options: options, store: store,
                              controls: controls, serverTask: task, services: services)
    }

    /// Ends every watch and stops listening.
    ///
    /// Watches are ended cleanly and given a moment to finish their responses, then the server
    /// shuts down gracefully (stops accepting, lets in-flight requests finish).
    public func stop() async {
        await store.endAllWatches()
        try? await Task.sleep(for: .milliseconds(50))
        await services.triggerGracefulShutdown()
        _ = await serverTask.result
    }

    /// A kubeconfig (YAML) for this server: namespace "default", the test CA when serving HTTPS, and the given
    /// bearer token and/or client certificate as the user.
    public func kubeconfig(token: String? = nil, clientCert: (certPath: String, keyPath: String)? = nil) -> String {
        var cluster = "    server: \(baseURL)\n"
        if let pki = options.tls { cluster += "    certificate-authority: \(pki.caPEMPath)\n" }
        var user = ""
        if let token { user += "    token: \(token)\n" }
        if let clientCert {
            user += "    client-certificate: \(clientCert.certPath)\n    client-key: \(clientCert.keyPath)\n"
        }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kube-test-server
              cluster:
            \(cluster)contexts:
            - name: kube-test-server
              context:
                cluster: kube-test-server
                user: kube-test-user
                namespace: default
            current-context: kube-test-server
            users:
            - name: kube-test-user
              user:\(user.isEmpty ? " {}\n" : "\n" + user)preferences: {}

            """
    }

    // MARK: State access, bypassing HTTP

    /// The stored object as JSON, or nil.
    public func object(_ path: ObjectPath) async -> Data? {
        await store.lookup(path.kind, namespace: path.namespace, name: path.name)?.data
    }

    /// Stores an object as given (status included), filling in uid, creationTimestamp, generation and a new
    /// resourceVersion; watches see ADDED or MODIFIED. The kind comes from apiVersion/kind; namespace defaults to "default".
    @discardableResult
    public func put(_ object: Data) async throws -> Data {
        guard let json = JSON.parse(object), let apiVersion = json["apiVersion"]?.stringValue, let kind = json["kind"]?.stringValue,
              let resource = await store.served.first(where: { $0.apiVersion == apiVersion && $0.kind == kind && !$0.isView }) else {
            throw KubeTestServerError(description: "put needs a JSON object with the apiVersion and kind of a served resource")
        }
        guard !json.name.isEmpty else { throw KubeTestServerError(description: "put needs metadata.name") }
        return await store.seed(resource, json).data
    }

    /// Sets what `GET …/pods/{name}/log` answers for a pod (its container's output; the pod itself is `put` as usual).
    public func setPodLog(namespace: String, name: String, _ text: String) async {
        await store.setPodLog(namespace: namespace, name: name, text)
    }

    /// Deletes an object outright, finalizers or not; watches see DELETED. Does nothing when it is absent.
    public func remove(_ path: ObjectPath) async {
        await store.forceDelete(path.kind, namespace: path.namespace, name: path.name)
    }

    /// The last resourceVersion issued.
    public var currentResourceVersion: Int {
        get async { await store.currentRV }
    }

    // MARK: Hooks

    /// Ends every open watch stream abruptly (no final chunk), as a dropped connection would.
    public func dropWatchConnections() async {
        await store.dropWatches()
    }

    /// Answers the next `count` requests for which `matching(method, pathAndQuery)` is true with this status code
    /// and its upstream Status body (429, 503 and 504 carry Retry-After: 1).
    public func injectErrors(_ status: Int, count: Int = 1, matching: @escaping @Sendable (String, String) -> Bool = { _, _ in true }) async {
        await controls.inject(status: status, count: count, matching: matching)
    }

    /// Delays every request by this much before answering it.
    public func setLatency(_ duration: Duration) async {
        await controls.setLatency(duration)
    }

    /// Forgets the change history: watches and continue tokens from older resourceVersions now get 410.
    public func compact() async {
        await store.compact()
    }

    /// Forgets the history up to this resourceVersion (nil: all of it), as etcd compaction does.
    public func compact(upTo revision: Int?) async {
        if let revision { await store.compact(upTo: revision) } else { await store.compact() }
    }

    /// Replaces the tokens of `identity` by `newToken`; the old ones now get 401.
    public func rotateToken(identity: String, to newToken: String) async {
        await controls.rotate(identity: identity, to: newToken)
    }

    /// Every request answered so far, oldest first.
    public func requests() async -> [RecordedRequest] {
        await controls.recorded
    }

    /// How many watch streams are open.
    public var openWatchCount: Int {
        get async { await store.openWatchCount }
    }
}
