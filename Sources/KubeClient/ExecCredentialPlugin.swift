import Foundation
import Logging
import Synchronization

/// A kubeconfig's exec credential plugin: runs it, checks what it prints, and caches the credential until it expires.
///
/// One run at a time, shared: callers that arrive while the plugin runs wait and take that run's result, success
/// or failure (client-go also serialises runs). `credential()` blocks for as long as the plugin runs (at most
/// `timeout`); `KubeTransport` calls it only from its own request threads, never from the Swift concurrency pool.
public final class ExecCredentialPlugin: Sendable {
    /// The kubeconfig's `exec` stanza.
    public let config: ExecConfig
    /// Seconds a run may take before the plugin is killed.
    public let timeout: Double
    /// The most bytes of standard output accepted from the plugin.
    public let outputLimit: Int
    private let environment: [String: String]
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let runLock = NSLock()
    private let state = Mutex(State())

    private struct State {
        var cached: ClientCredential?
        /// Finished runs, counted so a waiter can tell that a run completed while it queued.
        var completedRuns: UInt64 = 0
        var lastResult: Result<ClientCredential, ExecCredentialError>?
    }

    /// The default deadline for one run: plugins fetch tokens over the network, but a prompt that never gets an answer must not hang the client.
    public static let defaultTimeout = 30.0
    /// The default cap on the plugin's standard output (and on the standard error kept): 1 MiB.
    public static let defaultOutputLimit = 1 << 20

    /// Creates a plugin; `environment` is what the plugin inherits (before `config.environment`), `now` the clock for expiry.
    public init(
        config: ExecConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Double = ExecCredentialPlugin.defaultTimeout, outputLimit: Int = ExecCredentialPlugin.defaultOutputLimit,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "hourly-image.kube-exec")
    ) {
        self.config = config
        self.environment = environment
        self.timeout = max(0.01, timeout)
        self.outputLimit = max(1, outputLimit)
        self.now = now
        self.logger = logger
    }

    /// How many times the plugin has been run (finished runs, failed ones included).
    public var runs: UInt64 { state.withLock { $0.completedRuns } }

    /// The cached credential while it is valid, else the result of a new run (or of the run already under way).
    public func credential() throws(ExecCredentialError) -> ClientCredential {
        if let cached = valid(state.withLock { $0.cached }) { return cached }
        let arrived = state.withLock { $0.completedRuns }
        runLock.lock()
        defer { runLock.unlock() }
        let (cached, completed, last) = state.withLock { ($0.cached, $0.completedRuns, $0.lastResult) }
        if let cached = valid(cached) { return cached }
        if completed != arrived, let last { return try last.get() }  // a run finished while this caller waited: share it
        return try runLocked()
    }

    /// After the API server refused `used` (401): runs the plugin again, unless a run since `used` already replaced it.
    public func refresh(after used: ClientCredential?) throws(ExecCredentialError) -> ClientCredential {
        runLock.lock()
        defer { runLock.unlock() }
        let cached = state.withLock { $0.cached }
        if let cached = valid(cached), let used, cached.serial != used.serial { return cached }
        return try runLocked()
    }

    /// Forgets the cached credential, so the next request runs the plugin.
    public func invalidate() { state.withLock { $0.cached = nil } }

    private func valid(_ credential: ClientCredential?) -> ClientCredential? {
        guard let credential else { return nil }
        if let expiration = credential.expiration, now() >= expiration { return nil }
        return credential
    }

    /// Runs the plugin once; the caller holds `runLock`.
    private func runLocked() throws(ExecCredentialError) -> ClientCredential {
        let started = ContinuousClock.now
        let result = Result(catching: { () throws(ExecCredentialError) -> ClientCredential in try execute() })
        let elapsed = ContinuousClock.now - started
        state.withLock { state in
            state.completedRuns += 1
            state.lastResult = result
            if case .success(let credential) = result { state.cached = credential }
        }
        var metadata: Logger.Metadata = ["command": "\(config.command)", "apiVersion": "\(config.apiVersion.rawValue)", "duration": "\(elapsed)"]
        switch result {
        case .success(let credential):
            metadata["credential"] = "\(credential.kind)"
            metadata["expires"] = "\(credential.expiration.map { ISO8601DateFormatter().string(from: $0) } ?? "never")"
            logger.info("exec credential plugin returned a credential", metadata: metadata)
        case .failure(let error):
            metadata["error"] = "\(error)"
            logger.warning("exec credential plugin failed", metadata: metadata)
        }
        return try result.get()
    }

    private func execute() throws(ExecCredentialError) -> ClientCredential {
        var env = environment
        for variable in config.environment { env[variable.name] = variable.value }
        // client-go always tells the plugin what it is asked for; we never have a terminal.
        env["KUBERNETES_EXEC_INFO"] = config.execInfoJSON()
        // Looked up in our own PATH, as client-go does, even when `env` sets another for the plugin.
        let executable = try ExecPluginProcess.locate(config.command, path: environment["PATH"], installHint: config.installHint)
        let process = ExecPluginProcess(executable: executable, arguments: config.arguments, environment: env, timeout: timeout, outputLimit: outputLimit)
        let outcome = try process.run()
        if let failure = outcome.failure {
            throw .failed(command: config.command, exit: failure, stderr: ExecCredentialError.quote(stderr: outcome.stderr))
        }
        var credential = try ExecCredential.parse(outcome.stdout, expecting: config.apiVersion, command: config.command)
        credential.serial = state.withLock { $0.completedRuns } + 1
        return credential
    }
}
