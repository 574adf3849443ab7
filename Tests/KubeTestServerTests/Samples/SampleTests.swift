import Foundation
@testable import KubeTestServer
import Testing

/// Every sample in crds/samples/ and every HourlyImage of the install's manifests, applied to the test API server after
/// creating the CRD from its file, as on a cluster: each must be accepted, and come back with the CRD's defaults.
/// Serialized: each case starts its own server, and a hundred of them at once would load the machine beside the suite's
/// wall-clock tests.
@Suite("Samples and manifests applied to the test API server with the repository's CRD", .serialized)
struct SampleTests {
    /// The CRD's storage version: `group/version`, and its schema.
    static func storageVersion(_ crd: JSON) throws -> (apiVersion: String, schema: JSON) {
        let group = try #require(crd["spec"]?["group"]?.stringValue)
        let versions = crd["spec"]?["versions"]?.arrayValue ?? []
        let storage = try #require(versions.first { $0["storage"] == .bool(true) }, "no storage version")
        let name = try #require(storage["name"]?.stringValue)
        return ("\(group)/\(name)", try #require(storage["schema"]?["openAPIV3Schema"]))
    }

    /// The spec a document should come back with: what it sets, and for every spec property it leaves out (or sets to
    /// null) the default the CRD declares. The CRD is read here, not restated.
    static func specWithDefaults(_ document: JSON, schema: JSON) -> JSON {
        var members = document["spec"]?.objectValue ?? schema["properties"]?["spec"]?["default"]?.objectValue ?? [:]
        for (name, property) in schema["properties"]?["spec"]?["properties"]?.objectValue ?? [:]
        where members[name] == nil || members[name] == .null {
            members[name] = property["default"]
        }
        return .object(members)
    }

    static let samples = (try? Repository.sampleFiles()) ?? []

    @Test("there are samples, among them the one the README and docs/design.md apply")
    func samplesExist() throws {
        #expect(Self.samples.count >= 3, "\(Self.samples)")
        #expect(Self.samples.contains("crds/samples/hourlyimage.yaml"))
    }

    @Test("a sample is one HourlyImage of the CRD's storage version, without status (the server would drop it)",
          arguments: samples)
    func sampleIsOneHourlyImage(file: String) throws {
        let documents = try YAMLDocuments.load(file: file, root: Repository.root)
        try #require(documents.count == 1, "\(file): a sample holds exactly one YAML document, found \(documents.count)")
        let sample = documents[0].json
        #expect(sample["kind"]?.stringValue == Repository.crdKind)
        #expect(sample["apiVersion"]?.stringValue == (try Self.storageVersion(try Repository.crd()).apiVersion))
        #expect(sample["status"] == nil, "\(file): samples must not set status; the controller writes it")
    }

    @Test("the server accepts the sample and fills in every default the CRD declares", arguments: samples)
    func sampleIsAccepted(file: String) async throws {
        let sample = try #require(try YAMLDocuments.load(file: file, root: Repository.root).first).json
        let crd = try Repository.crd()
        let schema = try Self.storageVersion(crd).schema
        try await ServerWithCRD.run { server in
            let applied = try await server.apply(sample)
            try #require(applied.status == 201, "\(file) refused: \(applied.text)")
            #expect(applied.headers["warning"] == nil, "\(file): \(applied.headers["warning"] ?? "")")
            let stored = applied.object
            #expect(stored.name == sample.name)
            #expect(stored.namespace == (sample.namespace.isEmpty ? "default" : sample.namespace))
            #expect(stored["spec"] == Self.specWithDefaults(sample, schema: schema), "\(file): \(stored["spec"]?.text ?? "no spec")")
            let defaulted = Set((schema["properties"]?["spec"]?["properties"]?.objectValue ?? [:]).filter { $0.value["default"] != nil }.keys)
            #expect(defaulted == ["url", "ttl", "graceCount", "suspend", "keep"], "the optional schedule fields have no default")
            let given = Set(sample["spec"]?.objectValue.map { Array($0.keys) } ?? [])
            #expect(Set(stored["spec"]?.objectValue.map { Array($0.keys) } ?? []) == defaulted.union(given), "every defaulted spec field is filled in")
            #expect(stored["status"] == nil)
        }
    }

    @Test("crds/samples/hourlyimage-minimal.yaml comes back as its comment says: every field defaulted")
    func minimalSampleGetsEveryDefault() async throws {
        let sample = try #require(try YAMLDocuments.load(file: "crds/samples/hourlyimage-minimal.yaml", root: Repository.root).first).json
        #expect(sample["spec"] == [:])
        try await ServerWithCRD.run { server in
            let applied = try await server.apply(sample)
            try #require(applied.status == 201, "\(applied.text)")
            #expect(applied.object["spec"] == ["url": "https://picsum.photos/1200", "ttl": "1h", "graceCount": 1, "suspend": false,
                                               "keep": 3])
        }
    }

    @Test("crds/samples/hourlyimage.yaml is the project's image of docs/design.md: project-image in default, Picsum, 1h, 1 grace view, 3 kept")
    func projectImageSample() async throws {
        let sample = try #require(try YAMLDocuments.load(file: "crds/samples/hourlyimage.yaml", root: Repository.root).first).json
        try await ServerWithCRD.run { server in
            let applied = try await server.apply(sample)
            try #require(applied.status == 201, "\(applied.text)")
            #expect(applied.object.name == "project-image")
            #expect(applied.object.namespace == "default")
            #expect(applied.object["spec"] == ["url": "https://picsum.photos/1200", "ttl": "1h", "graceCount": 1, "suspend": false,
                                               "keep": 3])
        }
    }

    @Test("a field left empty in YAML (null) gets its default, as upstream defaults non-nullable nulls",
          arguments: ["spec:\n  ttl:\n  keep: 5\n", "spec:\n", ""])
    func nullsAreDefaulted(spec: String) async throws {
        let text = "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata:\n  name: nulls\n" + spec
        let document = try #require(try YAMLDocuments.parse(text, source: "inline").first).json
        try await ServerWithCRD.run { server in
            let applied = try await server.apply(document)
            try #require(applied.status == 201, "\(applied.text)")
            #expect(applied.object["spec"]?["ttl"] == "1h")
            #expect(applied.object["spec"]?["keep"] == (spec.contains("keep") ? 5 : 3))
        }
    }

    /// Every HourlyImage in the YAML files under the manifest directories.
    static func manifestFileHourlyImages(root: URL = Repository.root, directories: [String] = Repository.manifestDirectories) throws
        -> [YAMLDocument] {
        try InstallManifests.files(root: root, directories: directories).flatMap { file in
            try YAMLDocuments.load(file: file, root: root).filter(YAMLDocuments.isHourlyImage)
        }
    }

    static func applyEach(_ documents: [YAMLDocument]) async throws {
        for document in documents {
            try await ServerWithCRD.run { server in
                let applied = try await server.apply(document.json)
                #expect(applied.status == 201, "\(document.testDescription) refused: \(applied.text)")
            }
        }
    }

    @Test("every HourlyImage in the manifest files (rbac/, manifests/, deploy/) is accepted")
    func manifestFilesAreAccepted() async throws {
        let found = try Self.manifestFileHourlyImages()
        print("HourlyImages in the manifest files: \(found.count)")
        try await Self.applyEach(found)
    }

    @Test("every HourlyImage the install renders, alone and with each kustomize Component, is accepted",
          .enabled(if: Kubectl.path != nil))
    func renderedInstallIsAccepted() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let rendered = try await InstallManifests.rendered(root: Repository.root, directories: Repository.manifestDirectories,
                                                           workspace: workspace.path)
        #expect(rendered.contains { $0.label == "kubectl kustomize . (the install)" })
        let found = rendered.flatMap { $0.documents.filter(YAMLDocuments.isHourlyImage) }
        print("renderings: \(rendered.count), HourlyImages in them: \(found.count)")
        try await Self.applyEach(found)
    }

    /// A repository in a temporary directory: a manifest file with a ConfigMap and a bad HourlyImage, a skipped patch, a
    /// kustomization, a root kustomization and a Component that adds another bad HourlyImage.
    static func fixture(_ workspace: Workspace) throws -> URL {
        let root = URL(fileURLWithPath: workspace.path).appendingPathComponent("repo")
        let image = { (name: String, ttl: String) in
            "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata:\n  name: \(name)\n  namespace: hourly-image\nspec:\n  ttl: \(ttl)\n"
        }
        let files = [
            "manifests/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: hourly-image\n---\n" + image("in-file", "soon"),
            "manifests/patch.yaml": "# validate-manifests: skip\n" + image("patched", "0s"),
            "manifests/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - app.yaml\n",
            "manifests/extra/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - image.yaml\n",
            "manifests/extra/image.yaml": image("from-component", "1x"),
            "kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - manifests\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test("the manifest scan finds HourlyImages among other kinds, skips marked patches, and the server refuses a bad one")
    func manifestScanFindsHourlyImages() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let root = try Self.fixture(workspace)
        let found = try Self.manifestFileHourlyImages(root: root, directories: ["manifests"])
        #expect(found.map(\.source) == ["manifests/app.yaml #2", "manifests/extra/image.yaml"])
        try await ServerWithCRD.run { server in
            let refused = try await server.apply(try #require(found.first).json)
            #expect(refused.status == 422)
            #expect(refused.object["details"]?["causes"]?.arrayValue?.contains { $0["field"] == "spec.ttl" } == true, "\(refused.text)")
        }
    }

    @Test("the rendered scan covers each kustomization, the install, and the install with each Component",
          .enabled(if: Kubectl.path != nil))
    func renderedScanCoversComponents() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let root = try Self.fixture(workspace)
        let rendered = try await InstallManifests.rendered(root: root, directories: ["manifests"], workspace: workspace.path)
        let names = rendered.map { ($0.label, $0.documents.filter(YAMLDocuments.isHourlyImage).map(\.json.name)) }
        #expect(names.map(\.0) == ["kubectl kustomize manifests", "kubectl kustomize . (the install)",
                                   "kubectl kustomize . + component manifests/extra"])
        #expect(names.map { $0.1.sorted() } == [["in-file"], ["in-file"], ["from-component", "in-file"]])
    }

    @Test("kubectl applies the CRD, then every sample, on a server that starts like a cluster", .enabled(if: Kubectl.path != nil))
    func kubectlAppliesTheSamples() async throws {
        let pki = try await TestPKI.make()
        defer { try? FileManager.default.removeItem(atPath: pki.directory) }
        try await withServer(.cluster(tls: pki, adminName: "admin")) { server in
            let (kubeconfig, directory) = try KubectlTests.workspace(server, clientCert: try await pki.clientCert(cn: "admin"))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let crd = try await Kubectl.run(["apply", "-f", Repository.root.appendingPathComponent(Repository.crdFile).path],
                                            kubeconfig: kubeconfig, directory: directory)
            #expect(crd.status == 0, "\(crd.output)")
            let applied = try await Kubectl.run(["apply", "-f", Repository.root.appendingPathComponent(Repository.samplesDirectory).path],
                                                kubeconfig: kubeconfig, directory: directory)
            #expect(applied.status == 0, "\(applied.output)")
            for file in Self.samples {
                let name = try #require(try YAMLDocuments.load(file: file, root: Repository.root).first).json.name
                #expect(applied.output.contains("hourlyimage.images.dwk.dev/\(name) created"), "\(applied.output)")
            }
        }
    }
}

/// A temporary directory of one test.
struct Workspace {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("samples-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension Repository {
    /// The kind the CRD serves.
    static var crdKind: String { (try? crd()["spec"]?["names"]?["kind"]?.stringValue) ?? "" }

}
