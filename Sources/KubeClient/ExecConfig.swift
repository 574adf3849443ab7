import Foundation

/// A kubeconfig user's `exec` stanza: which client-go credential plugin to run, and how
/// (see "client-go credential plugins" in the Kubernetes authentication docs).
public struct ExecConfig: Sendable, Hashable {
    /// The `client.authentication.k8s.io` versions of `ExecCredential` the plugin may speak.
    public enum APIVersion: String, Sendable, Hashable, CaseIterable {
        case v1 = "client.authentication.k8s.io/v1"
        case v1beta1 = "client.authentication.k8s.io/v1beta1"
    }

    /// Whether the plugin may prompt on standard input.
    public enum InteractiveMode: String, Sendable, Hashable, CaseIterable {
        case never = "Never"
        case ifAvailable = "IfAvailable"
        case always = "Always"
    }

    /// One `env` entry added to the plugin's environment.
    public struct EnvVar: Sendable, Hashable {
        /// The variable's name.
        public var name: String
        /// Its value.
        public var value: String

        /// Creates an entry.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The version of `ExecCredential` exchanged with the plugin.
    public var apiVersion: APIVersion
    /// The command: a bare name looked up in `PATH`, or a path (relative ones already resolved against the kubeconfig's directory).
    public var command: String
    /// Arguments passed to the command.
    public var arguments: [String]
    /// Variables added to the process environment the plugin inherits.
    public var environment: [EnvVar]
    /// Whether the plugin may use standard input (hourly-image never has a terminal).
    public var interactiveMode: InteractiveMode
    /// Shown when the command is not installed.
    public var installHint: String?
    /// The cluster passed in `KUBERNETES_EXEC_INFO` when the kubeconfig sets `provideClusterInfo`; nil otherwise.
    public var cluster: ExecClusterInfo?

    /// Creates a configuration.
    public init(
        apiVersion: APIVersion, command: String, arguments: [String] = [], environment: [EnvVar] = [],
        interactiveMode: InteractiveMode = .never, installHint: String? = nil, cluster: ExecClusterInfo? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.interactiveMode = interactiveMode
        self.installHint = installHint
        self.cluster = cluster
    }

    /// The name of the cluster extension whose value the plugin receives as `spec.cluster.config`.
    public static let clusterConfigExtension = "client.authentication.k8s.io/exec"

    /// Reads and validates a kubeconfig `exec` mapping, as client-go's loader and validation do.
    ///
    /// `directory` is the kubeconfig file's directory: a relative command that contains a slash is resolved against it.
    static func parse(_ values: [String: Any], user: String, directory: String, cluster: ExecClusterInfo) throws -> ExecConfig {
        func fail(_ why: String) -> KubeConfigError { KubeConfigError("user \"\(user)\": exec credential plugin: \(why)") }
        guard let version = values["apiVersion"] as? String, !version.isEmpty else {
            throw fail("apiVersion is required (\(APIVersion.allCases.map(\.rawValue).joined(separator: " or ")))")
        }
        guard let apiVersion = APIVersion(rawValue: version) else {
            throw fail("apiVersion \"\(version)\" is not supported; use \(APIVersion.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        guard let command = values["command"] as? String, !command.isEmpty else { throw fail("command is required") }
        var arguments: [String] = []
        if let list = values["args"] {
            guard let list = list as? [Any] else { throw fail("args must be a list of strings") }
            arguments = list.map(scalarString)
        }
        var environment: [EnvVar] = []
        if let list = values["env"] {
            guard let list = list as? [Any] else { throw fail("env must be a list of name/value pairs") }
            for item in list {
                guard let pair = item as? [String: Any], let name = pair["name"].map(scalarString), !name.isEmpty else {
                    throw fail("every env entry needs a name")
                }
                guard let value = pair["value"].map(scalarString) else { throw fail("env variable \(name) needs a value") }
                environment.append(EnvVar(name: name, value: value))
            }
        }
        let interactiveMode: InteractiveMode
        switch values["interactiveMode"] as? String {
        case nil, "":
            // v1 made the mode mandatory; v1beta1 defaults to IfAvailable.
            guard apiVersion == .v1beta1 else { throw fail("interactiveMode is required for \(apiVersion.rawValue) (Never, IfAvailable or Always)") }
            interactiveMode = .ifAvailable
        case let mode?:
            guard let known = InteractiveMode(rawValue: mode) else { throw fail("interactiveMode \"\(mode)\" is not Never, IfAvailable or Always") }
            interactiveMode = known
        }
        if interactiveMode == .always {
            throw fail("interactiveMode is Always, but hourly-image runs without a terminal, so the plugin could never prompt; use Never or IfAvailable")
        }
        let provide = values["provideClusterInfo"] as? Bool ?? false
        // client-go resolves a command with a path separator against the kubeconfig's directory; a bare name goes to PATH.
        let resolved = command.contains("/") ? KubeConfig.resolve(command, in: directory) : command
        return ExecConfig(
            apiVersion: apiVersion, command: resolved, arguments: arguments, environment: environment,
            interactiveMode: interactiveMode, installHint: (values["installHint"] as? String).flatMap { $0.isEmpty ? nil : $0 },
            cluster: provide ? cluster : nil)
    }

    /// The `ExecCredential` handed to the plugin in `KUBERNETES_EXEC_INFO`: never interactive, with the cluster when asked for.
    public func execInfoJSON() -> String {
        var spec: [String: Any] = ["interactive": false]
        if let cluster { spec["cluster"] = cluster.jsonObject() }
        let root: [String: Any] = ["apiVersion": apiVersion.rawValue, "kind": "ExecCredential", "spec": spec]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The cluster as an exec plugin sees it (`ExecCredential.spec.cluster`).
public struct ExecClusterInfo: Sendable, Hashable {
    /// The API server address.
    public var server: String
    /// The CA bundle (PEM) that signs the server certificate, from `certificate-authority-data` or `certificate-authority`.
    public var certificateAuthorityData: Data?
    /// Whether the server certificate goes unchecked.
    public var insecureSkipTLSVerify: Bool
    /// The name checked against the server certificate, when not the host of `server`.
    public var tlsServerName: String?
    /// The proxy the kubeconfig names for this cluster.
    public var proxyURL: String?
    /// The JSON of the cluster's `client.authentication.k8s.io/exec` extension, passed as `config`.
    public var configJSON: Data?

    /// Creates cluster information.
    public init(
        server: String, certificateAuthorityData: Data? = nil, insecureSkipTLSVerify: Bool = false,
        tlsServerName: String? = nil, proxyURL: String? = nil, configJSON: Data? = nil
    ) {
        self.server = server
        self.certificateAuthorityData = certificateAuthorityData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.proxyURL = proxyURL
        self.configJSON = configJSON
    }

    /// Reads the fields of a kubeconfig cluster mapping that a plugin may see.
    static func from(_ values: [String: Any], server: String, caPEM: Data?) -> ExecClusterInfo {
        let extensions = values["extensions"] as? [Any] ?? []
        let config = extensions.lazy.compactMap { $0 as? [String: Any] }
            .first { $0["name"] as? String == ExecConfig.clusterConfigExtension }?["extension"]
        let configJSON = config.flatMap { try? JSONSerialization.data(withJSONObject: jsonCompatible($0), options: [.fragmentsAllowed, .sortedKeys]) }
        return ExecClusterInfo(
            server: server, certificateAuthorityData: caPEM, insecureSkipTLSVerify: values["insecure-skip-tls-verify"] as? Bool ?? false,
            tlsServerName: (values["tls-server-name"] as? String).flatMap { $0.isEmpty ? nil : $0 },
            proxyURL: (values["proxy-url"] as? String).flatMap { $0.isEmpty ? nil : $0 }, configJSON: configJSON)
    }

    /// The wire form: client-go's field names, empty ones left out, the CA in base64.
    func jsonObject() -> [String: Any] {
        var object: [String: Any] = ["server": server]
        if let certificateAuthorityData { object["certificate-authority-data"] = certificateAuthorityData.base64EncodedString() }
        if insecureSkipTLSVerify { object["insecure-skip-tls-verify"] = true }
        if let tlsServerName { object["tls-server-name"] = tlsServerName }
        if let proxyURL { object["proxy-url"] = proxyURL }
        if let configJSON, let config = try? JSONSerialization.jsonObject(with: configJSON, options: [.fragmentsAllowed]) {
            object["config"] = config
        }
        return object
    }
}

/// A YAML scalar as the string a shell would receive (`args: [1, true]` passes "1" and "true").
private func scalarString(_ value: Any) -> String {
    switch value {
    case let string as String: string
    case let bool as Bool: bool ? "true" : "false"
    case let int as Int: String(int)
    case let double as Double: String(double)
    default: "\(value)"
    }
}

/// YAML values JSONSerialization can write: dates become RFC 3339 strings, unknown scalars their description.
private func jsonCompatible(_ value: Any) -> Any {
    switch value {
    case let map as [String: Any]: map.mapValues(jsonCompatible)
    case let list as [Any]: list.map(jsonCompatible)
    case is String, is Bool, is Int, is Double, is NSNull: value
    case let date as Date: ISO8601DateFormatter().string(from: date)
    case let data as Data: data.base64EncodedString()
    default: "\(value)"
    }
}
