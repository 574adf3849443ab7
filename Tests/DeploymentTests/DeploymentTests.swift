import Foundation
import HourlyImageAPI
import KubeStore
import Testing
import WebRenderer
import Yams

@testable import HourlyImageCLI

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Every YAML document in the files of a directory (not descending into subdirectories).
func documents(_ directory: String) throws -> [[String: Any]] {
    let files = try FileManager.default.contentsOfDirectory(atPath: root + "/" + directory).filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" }
    return try files.sorted().flatMap { file in
        try Yams.load_all(yaml: String(contentsOfFile: root + "/" + directory + "/" + file, encoding: .utf8)).compactMap { $0 as? [String: Any] }
    }
}

func path(_ object: Any?, _ keys: String...) -> Any? {
    var node = object
    for key in keys {
        if let index = Int(key), let array = node as? [Any], index < array.count { node = array[index] } else { node = (node as? [String: Any])?[key] }
    }
    return node
}

/// The permissions RBAC documents grant a ServiceAccount, through (Cluster)RoleBindings.
func granted(to serviceAccount: String, in docs: [[String: Any]]) -> Set<APIAccess.Permission> {
    let roles = Dictionary(docs.filter { ["Role", "ClusterRole"].contains($0["kind"] as? String) }.map { ("\($0["kind"]!)/\(path($0, "metadata", "name")!)", $0) }, uniquingKeysWith: { a, _ in a })
    var result: Set<APIAccess.Permission> = []
    for binding in docs where ["RoleBinding", "ClusterRoleBinding"].contains(binding["kind"] as? String) {
        let subjects = binding["subjects"] as? [[String: Any]] ?? []
        guard subjects.contains(where: { $0["kind"] as? String == "ServiceAccount" && $0["name"] as? String == serviceAccount }) else { continue }
        guard let kind = path(binding, "roleRef", "kind") as? String, let name = path(binding, "roleRef", "name") as? String, let role = roles["\(kind)/\(name)"] else { continue }
        for rule in role["rules"] as? [[String: Any]] ?? [] {
            for group in rule["apiGroups"] as? [String] ?? [] {
                for resource in rule["resources"] as? [String] ?? [] {
                    for verb in rule["verbs"] as? [String] ?? [] { result.insert(.init(group: group, resource: resource, verb: verb)) }
                }
            }
        }
    }
    return result
}

@Suite("rbac/ grants exactly the API calls the code makes")
struct RBACTests {
    @Test("the controller's ServiceAccount (cluster-wide install)")
    func controller() throws {
        let docs = try documents("rbac")
        #expect(granted(to: "hourly-image-controller", in: docs).sorted() == APIAccess.controller.sorted())
    }

    @Test("the controller's ServiceAccount (namespaced variant plus leader election)")
    func namespacedController() throws {
        let docs = try documents("rbac/namespaced") + (try documents("rbac")).filter { (path($0, "metadata", "name") as? String)?.contains("leader-election") == true }
        #expect(granted(to: "hourly-image-controller", in: docs).sorted() == APIAccess.controller.sorted())
    }

    @Test("the web's ServiceAccount")
    func web() throws {
        #expect(granted(to: "hourly-image-web", in: try documents("rbac")).sorted() == APIAccess.web.sorted())
    }
}

@Suite("manifests agree with the code's flags, ports, routes and mounts")
struct ManifestTests {
    static func deployment(_ component: String) throws -> [String: Any] {
        try #require(try documents("manifests").first { $0["kind"] as? String == "Deployment" && path($0, "metadata", "labels", "app.kubernetes.io/component") as? String == component })
    }

    static func container(_ component: String) throws -> [String: Any] {
        try #require(path(try deployment(component), "spec", "template", "spec", "containers", "0") as? [String: Any])
    }

    static func port(_ container: [String: Any], _ reference: Any?) -> Int? {
        if let number = reference as? Int { return number }
        return (container["ports"] as? [[String: Any]])?.first { $0["name"] as? String == reference as? String }?["containerPort"] as? Int
    }

    @Test("both containers run this version's image")
    func image() throws {
        for component in ["controller", "web"] {
            #expect(try Self.container(component)["image"] as? String == "hourly-image:\(HourlyImageVersion.current)")
        }
    }

    @Test("the controller's args parse; its probe port and paths are the ones it serves; the volume is mounted read-write where it looks")
    func controllerArgs() throws {
        let container = try Self.container("controller")
        let args = try #require(container["args"] as? [String])
        #expect(args.first == "controller")
        let command = try ControllerCommand.parse(Array(args.dropFirst()))
        for probe in ["livenessProbe", "readinessProbe"] {
            #expect(Self.port(container, path(container, probe, "httpGet", "port")) == command.probePort)
        }
        #expect(path(container, "livenessProbe", "httpGet", "path") as? String == "/healthz")
        #expect(path(container, "readinessProbe", "httpGet", "path") as? String == "/readyz")
        let mount = try #require((container["volumeMounts"] as? [[String: Any]])?.first { $0["mountPath"] as? String == command.volumeRoot })
        #expect(mount["readOnly"] as? Bool != true)
        #expect(path(try Self.deployment("controller"), "spec", "strategy", "type") as? String == "Recreate")
        #expect(path(container, "securityContext", "readOnlyRootFilesystem") as? Bool == true)
        #expect(path(try Self.deployment("controller"), "spec", "template", "spec", "serviceAccountName") as? String == "hourly-image-controller")
    }

    @Test("the web's args parse; its port, probe paths and Service agree; the volume is mounted read-only where it looks")
    func webArgs() throws {
        let container = try Self.container("web")
        let args = try #require(container["args"] as? [String])
        #expect(args.first == "web")
        let command = try WebCommand.parse(Array(args.dropFirst()))
        for probe in ["livenessProbe", "readinessProbe"] {
            #expect(Self.port(container, path(container, probe, "httpGet", "port")) == command.page.port)
            #expect(WebRenderer.routes.contains(path(container, probe, "httpGet", "path") as? String ?? "?"))
        }
        let mount = try #require((container["volumeMounts"] as? [[String: Any]])?.first { $0["mountPath"] as? String == command.volumeRoot })
        #expect(mount["readOnly"] as? Bool == true)
        let service = try #require(try documents("manifests").first { $0["kind"] as? String == "Service" })
        let servicePort = try #require((path(service, "spec", "ports") as? [[String: Any]])?.first)
        #expect(Self.port(container, servicePort["targetPort"]) == command.page.port)
        let ingress = try #require(try documents("manifests").first { $0["kind"] as? String == "Ingress" })
        let backend = path(ingress, "spec", "rules", "0", "http", "paths", "0", "backend", "service")
        #expect(path(backend, "name") as? String == path(service, "metadata", "name") as? String)
        #expect(path(backend, "port", "number") as? Int == servicePort["port"] as? Int || path(backend, "port", "name") as? String == servicePort["name"] as? String)
        #expect(command.namespace == "default", "the sample HourlyImage lives in default")
    }
}
