import Foundation
@testable import KubeTestServer
import Testing
import Yams

/// The repository files the sample and manifest tests read, found from this file's path.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The CRD `kubectl apply -f` (and the install, `kubectl apply -k .`) creates.
    static let crdFile = "crds/hourlyimages.images.dwk.dev.yaml"
    /// One HourlyImage per file, each applied on its own (`kubectl apply -f crds/samples/<file>`).
    static let samplesDirectory = "crds/samples"
    /// Where the install's manifests live: what scripts/validate-manifests.sh checks (its MANIFEST_DIRS default).
    static let manifestDirectories = ["rbac", "manifests", "deploy"]

    /// The CRD file as the JSON `kubectl apply` sends.
    static func crd() throws -> JSON {
        let documents = try YAMLDocuments.load(file: crdFile, root: root)
        try #require(documents.count == 1, "\(crdFile) holds \(documents.count) documents")
        return documents[0].json
    }

    /// The sample files, sorted (paths relative to the root).
    static func sampleFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(samplesDirectory).path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
            .map { "\(samplesDirectory)/\($0)" }
    }
}

/// One document of a YAML stream, as JSON, and where it came from.
struct YAMLDocument: Sendable, CustomTestStringConvertible {
    /// The file (relative to the root) or the rendering it came from, with the document's number when there are several.
    let source: String
    let json: JSON

    var kind: String { json["kind"]?.stringValue ?? "" }
    var testDescription: String { "\(source) (\(kind) \(json.namespace.isEmpty ? "" : json.namespace + "/")\(json.name))" }
}

enum YAMLDocuments {
    /// The documents of a YAML stream as kubectl reads them: empty documents skipped, timestamps kept as the text they
    /// are (a JSON body has no timestamp type). A document that is not an object with string keys fails.
    static func parse(_ text: String, source: String) throws -> [YAMLDocument] {
        var sequence = try Yams.load_all(yaml: text, Resolver.default.removing(.timestamp))
        var loaded: [Any] = []
        while let document = sequence.next() { loaded.append(document) }
        // The sequence ends at a syntax error and keeps it.
        if let error = sequence.error { throw YAMLError(source: source, problem: "not valid YAML: \(error)") }
        let present = loaded.filter { !($0 is NSNull) }
        return try present.enumerated().map { index, document in
            let label = present.count == 1 ? source : "\(source) #\(index + 1)"
            guard let object = document as? [String: Any], JSONSerialization.isValidJSONObject(object),
                  let json = JSON.parse(try JSONSerialization.data(withJSONObject: object)) else {
                throw YAMLError(source: label, problem: "not a YAML mapping with string keys")
            }
            return YAMLDocument(source: label, json: json)
        }
    }

    static func load(file: String, root: URL) throws -> [YAMLDocument] {
        try parse(try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8), source: file)
    }

    /// Whether a document is an HourlyImage: its kind, whatever apiVersion it names (a wrong one must fail, not be skipped).
    static func isHourlyImage(_ document: YAMLDocument) -> Bool { document.kind == "HourlyImage" }
}

struct YAMLError: Error, CustomStringConvertible {
    let source: String
    let problem: String
    var description: String { "\(source): \(problem)" }
}

/// The install's manifests as scripts/validate-manifests.sh finds them: the YAML files under the manifest directories,
/// and what each kustomization there renders, the root kustomization alone and with each kustomize Component.
enum InstallManifests {
    /// Every `*.yaml`/`*.yml` under the directories (relative to `root`, sorted), except kustomization files and files that
    /// say `# validate-manifests: skip` in their first 5 lines (partial kustomize patches).
    static func files(root: URL, directories: [String]) -> [String] {
        walk(root: root, directories: directories).filter { path in
            let name = (path as NSString).lastPathComponent
            guard !["kustomization.yaml", "kustomization.yml"].contains(name) else { return false }
            let head = ((try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? "")
                .split(separator: "\n", omittingEmptySubsequences: false).prefix(5)
            return !head.contains { $0.range(of: #"#\s*validate-manifests:\s*skip"#, options: .regularExpression) != nil }
        }
    }

    /// The directories under `directories` holding a kustomization file: kustomizations and Components.
    static func kustomizations(root: URL, directories: [String]) -> (kustomizations: [String], components: [String]) {
        var kustomizations: [String] = []
        var components: [String] = []
        for path in walk(root: root, directories: directories)
        where ["kustomization.yaml", "kustomization.yml"].contains((path as NSString).lastPathComponent) {
            let text = (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
            let directory = (path as NSString).deletingLastPathComponent
            if text.range(of: #"(?m)^kind:[ \t]*Component[ \t]*$"#, options: .regularExpression) != nil {
                components.append(directory)
            } else {
                kustomizations.append(directory)
            }
        }
        return (kustomizations, components)
    }

    /// `kubectl kustomize` of every kustomization under the directories, of the root kustomization (the install) and of
    /// the root with each Component, each as (label, documents). `workspace` is the test's own directory.
    static func rendered(root: URL, directories: [String], workspace: String) async throws -> [(label: String, documents: [YAMLDocument])] {
        let (kustomizations, components) = kustomizations(root: root, directories: directories)
        var targets: [(label: String, directory: String)] = kustomizations.map { ("kubectl kustomize \($0)", root.appendingPathComponent($0).path) }
        if FileManager.default.fileExists(atPath: root.appendingPathComponent("kustomization.yaml").path) {
            targets.append(("kubectl kustomize . (the install)", root.path))
            for (index, component) in components.enumerated() {
                // kustomize refuses absolute paths, so the variant points back at the root relatively.
                let variant = "\(workspace)/variant-\(index + 1)"
                try FileManager.default.createDirectory(atPath: variant, withIntermediateDirectories: true)
                let back = relativePath(from: variant, to: root.path)
                let text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - \(back)\ncomponents:\n  - \(back)/\(component)\n"
                try Data(text.utf8).write(to: URL(fileURLWithPath: "\(variant)/kustomization.yaml"))
                targets.append(("kubectl kustomize . + component \(component)", variant))
            }
        }
        var results: [(label: String, documents: [YAMLDocument])] = []
        for (index, target) in targets.enumerated() {
            let output = "\(workspace)/rendered-\(index + 1).yaml"
            let run = try await Kubectl.run(["kustomize", target.directory, "-o", output], kubeconfig: "\(workspace)/no-kubeconfig",
                                            directory: workspace)
            guard run.status == 0 else { throw YAMLError(source: target.label, problem: "does not render: \(run.output)") }
            results.append((target.label, try YAMLDocuments.parse(try String(contentsOfFile: output, encoding: .utf8), source: target.label)))
        }
        return results
    }

    /// Every YAML file under the directories, relative to `root`, sorted.
    private static func walk(root: URL, directories: [String]) -> [String] {
        var found: [String] = []
        for directory in directories {
            let base = root.appendingPathComponent(directory).path
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            for case let path as String in walker where path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                found.append("\(directory)/\(path)")
            }
        }
        return found.sorted()
    }

    /// The relative path from directory `from` to `to` (both absolute).
    static func relativePath(from: String, to: String) -> String {
        let a = URL(fileURLWithPath: from).resolvingSymlinksInPath().standardizedFileURL.pathComponents
        let b = URL(fileURLWithPath: to).resolvingSymlinksInPath().standardizedFileURL.pathComponents
        var common = 0
        while common < min(a.count, b.count), a[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: a.count - common) + b[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

/// A test API server that starts like a fresh cluster, and the CRD created in it from the repository's file, as
/// `kubectl apply -f crds/hourlyimages.images.dwk.dev.yaml` creates it on a cluster.
enum ServerWithCRD {
    static let adminToken = "admin-token"

    /// Runs `body` against a fresh cluster-like server (plain HTTP, the admin's bearer token) after creating the CRD from
    /// `crd` (default: the repository's file). Before that, nothing serves HourlyImages.
    static func run<T>(crd: JSON? = nil, _ body: (KubeTestServer) async throws -> T) async throws -> T {
        try await withServer(.cluster(adminToken: adminToken)) { server in
            let before = try await server.send("GET", Paths.images(), token: adminToken)
            try #require(before.status == 404, "hourlyimages served before its CRD was created: \(before.text)")
            let created = try await server.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                                json: try (crd ?? Repository.crd()).text, token: adminToken)
            try #require(created.status == 201, "the CRD was refused: \(created.text)")
            return try await body(server)
        }
    }
}

extension KubeTestServer {
    /// What `kubectl apply` sends for an object that does not exist yet: a POST with `fieldValidation=Strict` (kubectl's
    /// default `--validate=strict`) into the object's namespace, `default` when it names none (the kubeconfig's
    /// namespace), creating that namespace first if it is another one.
    func apply(_ object: JSON, strict: Bool = true) async throws -> KubeResponse {
        let namespace = object.namespace.isEmpty ? "default" : object.namespace
        if namespace != "default" {
            let body: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]
            let created = try await send("POST", "/api/v1/namespaces", json: body.text, token: ServerWithCRD.adminToken)
            try #require([201, 409].contains(created.status), "namespace \(namespace): \(created.text)")
        }
        return try await send("POST", Paths.images(namespace) + (strict ? "?fieldValidation=Strict" : ""), json: object.text,
                              token: ServerWithCRD.adminToken)
    }
}

extension KubeResponse {
    /// The body as the server's JSON.
    var object: JSON { JSON.parse(body) ?? .null }
}
