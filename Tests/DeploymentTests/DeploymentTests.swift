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

/// Every YAML document under a directory, subdirectories included (kustomization files excepted).
func allDocuments(_ directory: String) throws -> [[String: Any]] {
    let base = root + "/" + directory
    let files = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? [])
        .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix("kustomization.yaml") }.sorted()
    return try files.flatMap { file in
        try Yams.load_all(yaml: String(contentsOfFile: base + "/" + file, encoding: .utf8)).compactMap { $0 as? [String: Any] }
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
        let mount = try #require((container["volumeMounts"] as? [[String: Any]])?.first { $0["mountPath"] as? String == command.volume.root })
        #expect(mount["readOnly"] as? Bool != true)
        #expect(path(try Self.deployment("controller"), "spec", "strategy", "type") as? String == "Recreate")
        #expect(path(container, "securityContext", "readOnlyRootFilesystem") as? Bool == true)
        #expect(path(try Self.deployment("controller"), "spec", "template", "spec", "serviceAccountName") as? String == "hourly-image-controller")
    }

    @Test("the web's args parse; its two ports are the ones it listens on; probes hit the admin port; the volume is mounted read-only")
    func webArgs() throws {
        let container = try Self.container("web")
        let args = try #require(container["args"] as? [String])
        #expect(args.first == "web")
        let command = try WebCommand.parse(Array(args.dropFirst()))
        #expect(Self.port(container, "http") == command.page.port)
        #expect(Self.port(container, "admin") == command.page.adminPort)
        #expect(command.page.port != command.page.adminPort)
        #expect((container["ports"] as? [Any])?.count == 2)
        for probe in ["livenessProbe", "readinessProbe"] {
            #expect(Self.port(container, path(container, probe, "httpGet", "port")) == command.page.adminPort, "\(probe) on the admin port")
            #expect(WebRenderer.adminRoutes.contains(path(container, probe, "httpGet", "path") as? String ?? "?"))
        }
        let mount = try #require((container["volumeMounts"] as? [[String: Any]])?.first { $0["mountPath"] as? String == command.volume.root })
        #expect(mount["readOnly"] as? Bool == true)
        #expect(command.namespace == "default", "the sample HourlyImage lives in default")
    }

    @Test("the web Service exposes only the public port, and the Ingress (class traefik) routes to it")
    func webServiceAndIngress() throws {
        let container = try Self.container("web")
        let command = try WebCommand.parse(Array(try #require(container["args"] as? [String]).dropFirst()))
        let service = try Self.object("Service", "hourly-image-web")
        let ports = try #require(path(service, "spec", "ports") as? [[String: Any]])
        #expect(ports.count == 1, "only the public port")
        let servicePort = try #require(ports.first)
        #expect(Self.port(container, servicePort["targetPort"]) == command.page.port)
        #expect(Self.selects(service, "spec", "selector", pods: "web"))
        let ingress = try Self.object("Ingress", "hourly-image")
        #expect(path(ingress, "spec", "ingressClassName") as? String == "traefik")
        let backend = path(ingress, "spec", "rules", "0", "http", "paths", "0", "backend", "service")
        #expect(path(backend, "name") as? String == "hourly-image-web")
        #expect(path(backend, "port", "number") as? Int == servicePort["port"] as? Int || path(backend, "port", "name") as? String == servicePort["name"] as? String)
    }

    @Test("the metrics Services target the web's admin port and the controller's probe port")
    func metricsServices() throws {
        let web = try Self.container("web")
        let webCommand = try WebCommand.parse(Array(try #require(web["args"] as? [String]).dropFirst()))
        let controller = try Self.container("controller")
        let controllerCommand = try ControllerCommand.parse(Array(try #require(controller["args"] as? [String]).dropFirst()))
        for (name, component, container, port) in [
            ("hourly-image-web-metrics", "web", web, webCommand.page.adminPort), ("hourly-image-controller-metrics", "controller", controller, controllerCommand.probePort),
        ] {
            let service = try Self.object("Service", name)
            #expect(Self.selects(service, "spec", "selector", pods: component), "\(name) selects the \(component) pods")
            let ports = try #require(path(service, "spec", "ports") as? [[String: Any]])
            #expect(ports.count == 1)
            #expect(ports.first?["name"] as? String == "metrics")
            #expect(Self.port(container, ports.first?["targetPort"]) == port, "\(name) targets the port serving /metrics")
        }
    }

    @Test("the NetworkPolicy selects the web pods, admits only Traefik to the public port, and anyone to the admin port")
    func networkPolicy() throws {
        let container = try Self.container("web")
        let command = try WebCommand.parse(Array(try #require(container["args"] as? [String]).dropFirst()))
        let policy = try Self.object("NetworkPolicy", "hourly-image-web")
        #expect(Self.selects(policy, "spec", "podSelector", "matchLabels", pods: "web"))
        #expect(path(policy, "spec", "policyTypes") as? [String] == ["Ingress"])
        let rules = try #require(path(policy, "spec", "ingress") as? [[String: Any]])
        func rulesFor(_ port: Int) -> [[String: Any]] {
            rules.filter { rule in (rule["ports"] as? [[String: Any]] ?? []).contains { Self.port(container, $0["port"]) == port } }
        }
        let publicRules = rulesFor(command.page.port)
        #expect(publicRules.count == 1, "one rule for the public port")
        let from = try #require(publicRules.first?["from"] as? [[String: Any]], "the public port is not open to everyone")
        #expect(from.count == 1)
        #expect(path(from.first, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") as? String == "kube-system")
        #expect(path(from.first, "podSelector", "matchLabels", "app.kubernetes.io/name") as? String == "traefik")
        let adminRules = rulesFor(command.page.adminPort)
        #expect(adminRules.count == 1)
        #expect(adminRules.first?["from"] == nil, "the admin port (probes, metrics) from any source")
        #expect(rules.count == 2)
    }

    @Test("the optional ServiceMonitor scrapes the metrics port of both metrics Services")
    func serviceMonitor() throws {
        let monitor = try #require(try allDocuments("manifests").first { $0["kind"] as? String == "ServiceMonitor" })
        let selector = try #require(path(monitor, "spec", "selector", "matchLabels") as? [String: String])
        let services = try documents("manifests").filter { doc in
            doc["kind"] as? String == "Service"
                && selector.allSatisfy { (path(doc, "metadata", "labels") as? [String: Any])?[$0.key] as? String == $0.value }
        }
        #expect(Set(services.compactMap { path($0, "metadata", "name") as? String }) == ["hourly-image-web-metrics", "hourly-image-controller-metrics"])
        #expect(path(monitor, "spec", "endpoints", "0", "port") as? String == "metrics")
        #expect(path(monitor, "spec", "endpoints", "0", "path") as? String == "/metrics")
    }
}

@Suite("every object carries the app.kubernetes.io labels; selectors use only the stable ones")
struct LabelTests {
    static let required = ["name", "instance", "version", "component", "part-of", "managed-by"].map { "app.kubernetes.io/" + $0 }
    static let selectorKeys: Set<String> = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component"]

    static func everything() throws -> [[String: Any]] {
        try allDocuments("manifests") + allDocuments("rbac") + documents("crds")
    }

    @Test("all six labels on every object in manifests/, rbac/ and crds/, with this version")
    func labels() throws {
        let objects = try Self.everything()
        #expect(objects.count >= 20)
        for object in objects {
            let what = "\(object["kind"] ?? "?") \(path(object, "metadata", "name") ?? "?")"
            let labels = path(object, "metadata", "labels") as? [String: Any] ?? [:]
            for key in Self.required { #expect(labels[key] is String, "\(what) lacks \(key)") }
            #expect(labels["app.kubernetes.io/name"] as? String == "hourly-image", "\(what)")
            #expect(labels["app.kubernetes.io/instance"] as? String == "hourly-image", "\(what)")
            #expect(labels["app.kubernetes.io/part-of"] as? String == "hourly-image", "\(what)")
            #expect(labels["app.kubernetes.io/version"] as? String == HourlyImageVersion.current, "\(what)")
        }
    }

    @Test("pod templates carry the labels too; every selector is exactly name, instance and component")
    func selectors() throws {
        for object in try Self.everything() {
            let what = "\(object["kind"] ?? "?") \(path(object, "metadata", "name") ?? "?")"
            var selectors: [Any?] = []
            switch object["kind"] as? String {
            case "Deployment":
                selectors = [path(object, "spec", "selector", "matchLabels")]
                let template = path(object, "spec", "template", "metadata", "labels") as? [String: Any] ?? [:]
                for key in Self.required { #expect(template[key] is String, "\(what) pod template lacks \(key)") }
                for term in path(object, "spec", "template", "spec", "affinity", "podAffinity", "requiredDuringSchedulingIgnoredDuringExecution") as? [Any] ?? [] {
                    selectors.append(path(term, "labelSelector", "matchLabels"))
                }
            case "Service": selectors = [path(object, "spec", "selector")]
            case "NetworkPolicy": selectors = [path(object, "spec", "podSelector", "matchLabels")]
            default: continue
            }
            for selector in selectors {
                #expect(Set((selector as? [String: Any] ?? [:]).keys) == Self.selectorKeys, "\(what): \(String(describing: selector))")
            }
        }
    }
}

extension ManifestTests {
    /// The object of `kind` named `name` in manifests/.
    static func object(_ kind: String, _ name: String) throws -> [String: Any] {
        try #require(try documents("manifests").first { $0["kind"] as? String == kind && path($0, "metadata", "name") as? String == name }, "\(kind) \(name)")
    }

    /// Whether the selector at `keys` in `object` is non-empty and matches the pod template of the `component` Deployment.
    static func selects(_ object: [String: Any], _ keys: String..., pods component: String) -> Bool {
        var node: Any? = object
        for key in keys { node = (node as? [String: Any])?[key] }
        guard let selector = node as? [String: Any], !selector.isEmpty,
            let labels = (try? deployment(component)).flatMap({ path($0, "spec", "template", "metadata", "labels") as? [String: Any] })
        else { return false }
        return selector.allSatisfy { labels[$0.key] as? String == $0.value as? String }
    }
}
