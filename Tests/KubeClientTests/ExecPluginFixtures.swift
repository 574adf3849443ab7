import Foundation
import Synchronization

@testable import KubeClient

/// A per-test directory of credential-plugin scripts; every script counts its runs in `<name>.runs`.
final class PluginDir {
    let dir = ConfigDir()
    var path: String { dir.path }

    /// Writes an executable `/bin/sh` script that bumps its run counter (`$n` holds the new count), then runs `body`.
    @discardableResult
    func script(_ name: String, _ body: String) -> String {
        let counter = "\(path)/\(name).runs"
        let file = dir.write(name, "#!/bin/sh\nn=$(cat '\(counter)' 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > '\(counter)'\n\(body)\n")
        chmod(file, 0o755)
        return file
    }

    /// How many times the script `name` started.
    func runs(_ name: String) -> Int {
        Int(read("\(name).runs")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    /// A file in the directory, as text (what a script wrote).
    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Shell that prints an ExecCredential with the token `tok-<run number>`.
func printsRunToken(_ version: ExecConfig.APIVersion = .v1, expiration: String? = nil) -> String {
    let expires = expiration.map { #","expirationTimestamp":"\#($0)""# } ?? ""
    return #"printf '{"apiVersion":"\#(version.rawValue)","kind":"ExecCredential","status":{"token":"tok-%s"\#(expires)}}' "$n""#
}

/// Shell that prints `text` exactly (a quoted here-document).
func prints(_ text: String) -> String { "cat <<'END_OF_OUTPUT'\n\(text)\nEND_OF_OUTPUT" }

/// An ExecCredential as JSON, for plugins that print a fixed answer.
func execCredentialJSON(
    _ version: String = ExecConfig.APIVersion.v1.rawValue, kind: String = "ExecCredential", token: String? = nil,
    certificate: String? = nil, key: String? = nil, expiration: String? = nil
) -> String {
    var status: [String: Any] = [:]
    if let token { status["token"] = token }
    if let certificate { status["clientCertificateData"] = certificate }
    if let key { status["clientKeyData"] = key }
    if let expiration { status["expirationTimestamp"] = expiration }
    let object: [String: Any] = ["apiVersion": version, "kind": kind, "status": status]
    return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

/// A kubeconfig whose only user authenticates with `exec` (YAML lines of the stanza, unindented).
func execKubeconfig(server: String = "https://127.0.0.1:6443", cluster extra: String = "", exec: String) -> String {
    """
    apiVersion: v1
    kind: Config
    clusters:
    - name: c
      cluster:
        server: \(server)
    \(indent(extra, 4))
    contexts:
    - name: c
      context: {cluster: c, user: u, namespace: default}
    current-context: c
    users:
    - name: u
      user:
        exec:
    \(indent(exec, 6))

    """
}

/// `text` with every line indented by `spaces`.
func indent(_ text: String, _ spaces: Int) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n")
}

/// An exec configuration for a script, as the kubeconfig loader would make it.
func execConfig(_ command: String, _ version: ExecConfig.APIVersion = .v1, arguments: [String] = [], cluster: ExecClusterInfo? = nil) -> ExecConfig {
    ExecConfig(apiVersion: version, command: command, arguments: arguments, interactiveMode: .never, cluster: cluster)
}

/// A clock a test moves by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}
