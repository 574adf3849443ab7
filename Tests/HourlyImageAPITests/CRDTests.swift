import Foundation
import Testing
import Yams

@testable import HourlyImageAPI

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("CRD and samples agree with the Swift model")
struct CRDTests {
    static let crdURL = repositoryRoot.appendingPathComponent("crds/hourlyimages.images.dwk.dev.yaml")

    static func crd() throws -> [String: Any] {
        let text = try String(contentsOf: crdURL, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func version() throws -> [String: Any] {
        let spec = try #require(try crd()["spec"] as? [String: Any])
        let versions = try #require(spec["versions"] as? [[String: Any]])
        return try #require(versions.first { $0["name"] as? String == HourlyImage.version })
    }

    static func rootSchema() throws -> [String: Any] {
        let schema = try #require(try version()["schema"] as? [String: Any])
        return try #require(schema["openAPIV3Schema"] as? [String: Any])
    }

    static func schema(_ path: [String]) throws -> [String: Any] {
        var node = try rootSchema()
        for key in path {
            let properties = try #require(node["properties"] as? [String: Any])
            node = try #require(properties[key] as? [String: Any], "no \(key)")
            if node["type"] as? String == "array" { node = try #require(node["items"] as? [String: Any]) }
        }
        return node
    }

    @Test("names the group, version, kind, plural and short name of docs/design.md")
    func names() throws {
        let spec = try #require(try Self.crd()["spec"] as? [String: Any])
        #expect(spec["group"] as? String == HourlyImage.group)
        #expect(spec["scope"] as? String == "Namespaced")
        let names = try #require(spec["names"] as? [String: Any])
        #expect(names["kind"] as? String == HourlyImage.kind)
        #expect(names["plural"] as? String == HourlyImage.plural)
        #expect(names["singular"] as? String == "hourlyimage")
        #expect(names["shortNames"] as? [String] == ["himg"])
        let version = try Self.version()
        #expect((version["subresources"] as? [String: Any])?["status"] != nil)
    }

    @Test("schema and model name the same fields", arguments: [
        (["spec"], HourlyImageSpec.fieldNames),
        (["status"], HourlyImageStatus.fieldNames),
        (["status", "current"], ImageRecord.fieldNames),
        (["status", "pending"], ImageRecord.fieldNames),
        (["status", "conditions"], Condition.fieldNames),
    ])
    func sameFields(path: [String], model: Set<String>) throws {
        let schema = try Self.schema(path)
        let fields = Set(try #require(schema["properties"] as? [String: Any]).keys)
        #expect(fields == model)
    }

    @Test("schema defaults equal the model's defaults")
    func defaults() throws {
        func defaultValue(_ field: String) throws -> Any? { try Self.schema(["spec", field])["default"] }
        #expect(try defaultValue("url") as? String == HourlyImageSpec.defaultURL)
        #expect(try defaultValue("ttl") as? String == HourlyImageSpec.defaultTTL)
        #expect(try defaultValue("graceCount") as? Int == HourlyImageSpec.defaultGraceCount)
        #expect(try defaultValue("keep") as? Int == HourlyImageSpec.defaultKeep)
        #expect(try defaultValue("suspend") as? Bool == false)
    }

    @Test("the CRD and the Swift validation hold the same limits")
    func limitsAgree() throws {
        let url = try Self.schema(["spec", "url"])
        #expect(url["maxLength"] as? Int == HourlyImageSpec.maximumURLLength)
        let urlRules = (url["x-kubernetes-validations"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(urlRules.contains(#"!self.matches(r'[\x00-\x1f\x7f]')"#), "control characters refused by the CRD as by Swift")
        let ttlRules = (try Self.schema(["spec", "ttl"])["x-kubernetes-validations"] as? [[String: Any]] ?? [])
            .compactMap { $0["rule"] as? String }
        #expect(ttlRules.contains("duration(self) >= duration('1s')"))
        #expect(ttlRules.contains("duration(self) <= duration('\(HourlyImageSpec.maximumTTLText)')"))
        #expect(try Duration(parsing: HourlyImageSpec.maximumTTLText).seconds == HourlyImageSpec.maximumTTLSeconds)
        #expect(try Self.schema(["spec", "graceCount"])["maximum"] as? Int == HourlyImageSpec.maximumGraceCount)
        #expect(try Self.schema(["spec", "keep"])["maximum"] as? Int == HourlyImageSpec.maximumKeep)
        #expect(try Self.schema(["spec", "ttl"])["maxLength"] as? Int == 64)
    }

    @Test("every property has a description, so kubectl explain helps")
    func descriptions() throws {
        var missing: [String] = []
        func walk(_ node: [String: Any], _ path: String) {
            if node["description"] as? String == nil || (node["description"] as? String)?.isEmpty == true {
                missing.append(path)
            }
            for (key, child) in node["properties"] as? [String: Any] ?? [:] {
                if let child = child as? [String: Any] { walk(child, path + "." + key) }
            }
            if let items = node["items"] as? [String: Any] { walk(items, path + "[]") }
        }
        let root = try Self.rootSchema()
        for (key, child) in root["properties"] as? [String: Any] ?? [:] where ["spec", "status"].contains(key) {
            walk(child as! [String: Any], key)
        }
        #expect(missing.isEmpty, "no description: \(missing.sorted())")
    }

    static func columns() throws -> [[String: Any]] {
        try #require(try Self.version()["additionalPrinterColumns"] as? [[String: Any]])
    }

    @Test("printer columns READY, REASON, FRESH, IMAGE, GRACE, EXPIRES, FETCHED, AGE; -o wide adds SOURCE, SHA256, TTL, SCHEDULE")
    func printerColumns() throws {
        let columns = try Self.columns()
        let main = columns.filter { ($0["priority"] as? Int ?? 0) == 0 }.compactMap { $0["name"] as? String }
        #expect(main.map { $0.uppercased() } == ["READY", "REASON", "FRESH", "IMAGE", "GRACE", "EXPIRES", "FETCHED", "AGE"])
        let wide = columns.filter { ($0["priority"] as? Int ?? 0) == 1 }.compactMap { $0["name"] as? String }
        #expect(wide.map { $0.uppercased() } == ["SOURCE", "SHA256", "TTL", "SCHEDULE"])
        let expires = try #require(columns.first { $0["name"] as? String == "Expires" })
        #expect(expires["type"] as? String == "string", "a date in the future prints as <invalid>")
        for column in columns where column["type"] as? String == "date" {
            #expect(["Fetched", "Age"].contains(column["name"] as? String), "only past times are date columns")
        }
    }

    @Test("every printer column reads a field the model has (and the CRD schema declares)")
    func columnsReadModelFields() throws {
        for column in try Self.columns() {
            let path = try #require(column["jsonPath"] as? String).split(separator: ".").map(String.init)
            #expect(column["description"] as? String != nil)
            switch path.first {
            case "status":
                let field = String(path[1].prefix { $0 != "[" })
                #expect(HourlyImageStatus.fieldNames.contains(field), "\(path)")
                if field == "current" { #expect(ImageRecord.fieldNames.contains(path[2]), "\(path)") }
                _ = try Self.schema(field == "current" ? ["status", "current", path[2]] : ["status", field])
            case "spec": #expect(HourlyImageSpec.fieldNames.contains(path[1]), "\(path)")
            case "metadata": #expect(path == ["metadata", "creationTimestamp"])
            default: Issue.record("unexpected column path \(path)")
            }
        }
    }

    @Test("the display fields' schema limits hold what StatusDisplay writes")
    func displayFieldLimits() throws {
        #expect(try Self.schema(["status", "imageLabel"])["maxLength"] as? Int ?? 0 >= StatusDisplay.maximumLabelLength)
        #expect(try Self.schema(["status", "redactedSourceURL"])["maxLength"] as? Int ?? 0 >= StatusDisplay.maximumURLLength)
        #expect(try Self.schema(["status", "shortSHA256"])["maxLength"] as? Int ?? 0 >= StatusDisplay.shortSHA256Length)
        let widest = StatusDisplay.graceUsage(used: HourlyImageSpec.maximumGraceCount, allowed: HourlyImageSpec.maximumGraceCount)
        #expect(try Self.schema(["status", "graceUsage"])["maxLength"] as? Int ?? 0 >= widest.count)
    }

    @Test("a project category, not `all`: `kubectl delete all --all` must not delete HourlyImages")
    func categories() throws {
        let spec = try #require(try Self.crd()["spec"] as? [String: Any])
        let names = try #require(spec["names"] as? [String: Any])
        #expect(names["categories"] as? [String] == ["dwk"])
    }

    static var sampleFiles: [URL] {
        let dir = repositoryRoot.appendingPathComponent("crds/samples")
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        return files.filter { ["yaml", "yml"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
    }

    @Test("there are samples, including the one docs/design.md applies")
    func samplesExist() {
        #expect(Self.sampleFiles.map(\.lastPathComponent).contains("hourlyimage.yaml"))
    }

    @Test("every sample decodes into the Swift model and validates", arguments: sampleFiles)
    func sampleDecodes(file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        for document in try Yams.load_all(yaml: text) {
            let json = try JSONSerialization.data(withJSONObject: try #require(document as? [String: Any]))
            let resource = try JSONDecoder().decode(HourlyImage.self, from: json)
            #expect(resource.apiVersion == HourlyImage.apiVersion)
            if case .failure(let errors) = resource.validated() {
                Issue.record("\(file.lastPathComponent): \(errors)")
            }
        }
    }
}
