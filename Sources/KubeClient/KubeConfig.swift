import Foundation
import KubeMeta
import Yams

/// Loads a `ClusterConnection` from kubeconfig files or the in-cluster service account,
/// the way kubectl does (see "Organizing Cluster Access Using kubeconfig Files").
public enum KubeConfig {
    /// The default service-account directory inside a pod.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Resolves the connection: `--kubeconfig`, else `$KUBECONFIG` (a colon-separated list, merged),
    /// else in-cluster when `KUBERNETES_SERVICE_HOST` is set, else `~/.kube/config`.
    public static func load(
        kubeconfig: String? = nil, context: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = serviceAccountDirectory
    ) throws -> ClusterConnection {
        if let kubeconfig { return try fromFiles([kubeconfig], context: context, environment: environment) }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let files = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            return try fromFiles(files, context: context, environment: environment)
        }
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            return try inCluster(environment: environment, directory: serviceAccountDirectory)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let defaultFile = home + "/.kube/config"
        guard FileManager.default.fileExists(atPath: defaultFile) else {
            throw KubeConfigError(
                "no Kubernetes configuration found. hourly-image looks, in order, for: the --kubeconfig flag (not given); "
                    + "$KUBECONFIG (not set); in-cluster config, that is KUBERNETES_SERVICE_HOST (not set) and the service-account "
                    + "token in \(serviceAccountDirectory); \(defaultFile) (does not exist). Pass --kubeconfig FILE, set KUBECONFIG, "
                    + "or run it in a pod with a service account")
        }
        return try fromFiles([defaultFile], context: context, environment: environment)
    }

    /// In-cluster configuration: `KUBERNETES_SERVICE_HOST`/`PORT`, the service-account token, CA and namespace.
    public static func inCluster(environment: [String: String], directory: String = serviceAccountDirectory) throws -> ClusterConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw KubeConfigError("not running in a cluster: KUBERNETES_SERVICE_HOST is not set; pass --kubeconfig")
        }
        let port = environment["KUBERNETES_SERVICE_PORT"] ?? "443"
        let hostPart = host.contains(":") ? "[\(host)]" : host  // IPv6 addresses go in brackets
        let tokenPath = directory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeConfigError("in-cluster: no service-account token at \(tokenPath); is automountServiceAccountToken off?")
        }
        let ca = FileManager.default.contents(atPath: directory + "/ca.crt")
        let namespace = FileManager.default.contents(atPath: directory + "/namespace").map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ClusterConnection(
            server: "https://\(hostPart):\(port)", caPEM: ca, token: TokenSource(file: tokenPath),
            namespace: namespace ?? ObjectMeta.defaultNamespace, origin: "in-cluster service account of namespace \(namespace ?? ObjectMeta.defaultNamespace)")
    }

    /// Merges kubeconfig files as kubectl does (the first file to name a cluster, user, context or
    /// current-context wins) and resolves the chosen context; `environment` is what an exec plugin inherits.
    public static func fromFiles(
        _ paths: [String], context: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ClusterConnection {
        var merged = Merged()
        var readAny = false
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                if paths.count == 1 { throw KubeConfigError("cannot read kubeconfig \(path)") }
                continue  // kubectl ignores missing files in a KUBECONFIG list
            }
            readAny = true
            let text = String(decoding: data, as: UTF8.self)
            let parsed: Any?
            do { parsed = try Yams.load(yaml: text) } catch { throw KubeConfigError("kubeconfig \(path) is not valid YAML: \(error)") }
            guard let root = parsed as? [String: Any] else { throw KubeConfigError("kubeconfig \(path) is not a mapping") }
            merged.add(root, directory: (path as NSString).deletingLastPathComponent, file: path)
        }
        guard readAny else { throw KubeConfigError("none of the kubeconfig files exist: \(paths.joined(separator: ", "))") }
        guard let contextName = context ?? merged.currentContext else {
            throw KubeConfigError("kubeconfig has no current-context; pass --context")
        }
        guard let ctx = merged.contexts[contextName] else { throw KubeConfigError("context \"\(contextName)\" not found in kubeconfig") }
        guard let clusterName = ctx.values["cluster"] as? String, let cluster = merged.clusters[clusterName] else {
            throw KubeConfigError("context \"\(contextName)\" names cluster \"\(ctx.values["cluster"] ?? "")\", which is not in kubeconfig")
        }
        guard let server = cluster.values["server"] as? String, !server.isEmpty else {
            throw KubeConfigError("cluster \"\(clusterName)\" has no server")
        }
        var connection = ClusterConnection(
            server: server, insecureSkipTLSVerify: cluster.values["insecure-skip-tls-verify"] as? Bool ?? false,
            namespace: (ctx.values["namespace"] as? String) ?? ObjectMeta.defaultNamespace, origin: "kubeconfig \(cluster.file), context \(contextName)" + ((ctx.values["user"] as? String).map { ", user \($0)" } ?? ""))
        connection.caPEM = try material(cluster, data: "certificate-authority-data", file: "certificate-authority", what: "CA of cluster \(clusterName)")
        if let userName = ctx.values["user"] as? String, !userName.isEmpty {
            guard let user = merged.users[userName] else { throw KubeConfigError("context \"\(contextName)\" names user \"\(userName)\", which is not in kubeconfig") }
            connection.clientCertificatePEM = try material(user, data: "client-certificate-data", file: "client-certificate", what: "client certificate of user \(userName)")
            connection.clientKeyPEM = try material(user, data: "client-key-data", file: "client-key", what: "client key of user \(userName)")
            if (connection.clientCertificatePEM == nil) != (connection.clientKeyPEM == nil) {
                throw KubeConfigError("user \"\(userName)\" has a client certificate without a key, or a key without a certificate")
            }
            if user.values["auth-provider"] != nil {
                throw KubeConfigError("user \"\(userName)\" uses auth-provider credentials, which hourly-image does not support; use an exec plugin, a token or a client certificate")
            }
            // As in client-go, a token in the kubeconfig wins over an exec plugin.
            if let token = user.values["token"] as? String, !token.isEmpty {
                connection.token = TokenSource(token: token)
            } else if let tokenFile = user.values["tokenFile"] as? String, !tokenFile.isEmpty {
                connection.token = TokenSource(file: resolve(tokenFile, in: user.directory))
            } else if let exec = user.values["exec"] {
                guard let exec = exec as? [String: Any] else { throw KubeConfigError("user \"\(userName)\": exec must be a mapping") }
                let clusterInfo = ExecClusterInfo.from(cluster.values, server: server, caPEM: connection.caPEM)
                let config = try ExecConfig.parse(exec, user: userName, directory: user.directory, cluster: clusterInfo)
                connection.token = TokenSource(exec: ExecCredentialPlugin(config: config, environment: environment))
            }
        }
        return connection
    }

    struct Entry {
        var values: [String: Any]
        var directory: String
        var file: String
    }

    struct Merged {
        var clusters: [String: Entry] = [:]
        var users: [String: Entry] = [:]
        var contexts: [String: Entry] = [:]
        var currentContext: String?

        mutating func add(_ root: [String: Any], directory: String, file: String) {
            if currentContext == nil, let current = root["current-context"] as? String, !current.isEmpty { currentContext = current }
            func entries(_ key: String, _ inner: String) -> [(String, Entry)] {
                (root[key] as? [[String: Any]] ?? []).compactMap { item in
                    guard let name = item["name"] as? String else { return nil }
                    return (name, Entry(values: item[inner] as? [String: Any] ?? [:], directory: directory, file: file))
                }
            }
            for (name, entry) in entries("clusters", "cluster") where clusters[name] == nil { clusters[name] = entry }
            for (name, entry) in entries("users", "user") where users[name] == nil { users[name] = entry }
            for (name, entry) in entries("contexts", "context") where contexts[name] == nil { contexts[name] = entry }
        }
    }

    static func material(_ entry: Entry, data dataKey: String, file fileKey: String, what: String) throws -> Data? {
        if let encoded = entry.values[dataKey] as? String, !encoded.isEmpty {
            guard let data = Data(base64Encoded: encoded.filter { !$0.isWhitespace }) else {
                throw KubeConfigError("\(dataKey) (\(what)) is not valid base64")
            }
            return data
        }
        if let path = entry.values[fileKey] as? String, !path.isEmpty {
            let resolved = resolve(path, in: entry.directory)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                throw KubeConfigError("cannot read \(fileKey) \(resolved) (\(what))")
            }
            return data
        }
        return nil
    }

    /// Relative paths in a kubeconfig are relative to the file that names them.
    static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + String(path.dropFirst(1)) }
        return directory.isEmpty ? path : directory + "/" + path
    }
}
