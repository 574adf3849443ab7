import Foundation
@testable import KubeTestServer
import Testing

/// What the CRD must be beyond what the test API server checks when it is created (CRDAdmissionTests: a structural
/// schema, a metadata node with nothing but its type): checks upstream makes that this server does not (the name, one
/// storage version, defaults valid against their schema and rules, list-map keys), and the project's own (descriptions,
/// bounds on what CEL reads, rule messages, rules this server's CEL can evaluate, printer columns).
enum CRDLint {
    /// One line per problem, "where: what"; empty when the CRD is fine.
    static func problems(_ crd: JSON) -> [String] {
        var problems: [String] = []
        let spec = crd["spec"] ?? .null
        let names = spec["names"] ?? .null
        let group = spec["group"]?.stringValue ?? ""
        let plural = names["plural"]?.stringValue ?? ""
        if crd.name != "\(plural).\(group)" { problems.append("metadata.name: must be \(plural).\(group) (plural.group)") }
        for key in ["plural", "singular"] where (names[key]?.stringValue ?? "") != (names[key]?.stringValue ?? "").lowercased() {
            problems.append("spec.names.\(key): must be lowercase")
        }
        let versions = spec["versions"]?.arrayValue ?? []
        if versions.filter({ $0["storage"] == .bool(true) }).count != 1 {
            problems.append("spec.versions: exactly one version must have storage: true")
        }
        for version in versions {
            let name = version["name"]?.stringValue ?? "?"
            if version["storage"] == .bool(true), version["served"] != .bool(true) {
                problems.append("spec.versions[\(name)].served: the storage version must be served")
            }
            guard let schema = version["schema"]?["openAPIV3Schema"] else {
                problems.append("spec.versions[\(name)].schema.openAPIV3Schema: missing")
                continue
            }
            problems += walk(schema, path: "")
            problems += columns(version["additionalPrinterColumns"]?.arrayValue ?? [], schema: schema)
        }
        return problems
    }

    private static func present(_ value: JSON?) -> Bool { value != nil && value != .null }

    /// The checks of one schema node and, recursively, its children.
    private static func walk(_ node: JSON, path: String) -> [String] {
        let at = "schema \(path.isEmpty ? "(root)" : path)"
        // The metadata node may say nothing but its type (CRDValidation, as upstream).
        if path == "metadata" { return [] }
        var problems: [String] = []
        if (node["description"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append("\(at): no description (kubectl explain shows it)")
        }
        let properties = node["properties"]?.objectValue ?? [:]
        for required in (node["required"]?.arrayValue ?? []).compactMap(\.stringValue) where properties[required] == nil {
            problems.append("\(at): required field \(required) is not a property")
        }
        let type = node["type"]?.stringValue ?? ""
        let rules = node["x-kubernetes-validations"]?.arrayValue ?? []
        if !rules.isEmpty {
            // Upstream estimates each rule's cost from these bounds; unbounded input can exceed the budget.
            if type == "string", !present(node["maxLength"]), !present(node["enum"]) {
                problems.append("\(at): has CEL rules but no maxLength (CEL cost budget)")
            }
            if type == "array", !present(node["maxItems"]) { problems.append("\(at): has CEL rules but no maxItems (CEL cost budget)") }
            if type == "object", present(node["additionalProperties"]), !present(node["maxProperties"]) {
                problems.append("\(at): has CEL rules but no maxProperties (CEL cost budget)")
            }
        }
        for rule in rules {
            let text = rule["rule"]?.stringValue ?? ""
            if (rule["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty, !present(rule["messageExpression"]) {
                problems.append("\(at): CEL rule \(text) has no message")
            }
            // A rule this server cannot compile would refuse every object: its CEL is a subset of upstream's.
            if case .failure(let failure) = CELRule.evaluate(text, self: node["default"] ?? zero(type)),
               failure.text.hasPrefix("compilation error") || failure.text.hasPrefix("no such overload") {
                problems.append("\(at): CEL rule \(text) cannot be evaluated by the test API server (\(failure.text))")
            }
        }
        if let value = node["default"], value != .null {
            // Upstream refuses a CRD whose default is pruned, invalid or breaks a rule.
            let defaulted = StructuralSchema.defaulted(value, schema: node)
            if StructuralSchema.pruned(defaulted, schema: node).unknown.isEmpty == false {
                problems.append("\(at): default \(value.text) has fields the schema does not name")
            }
            for cause in SchemaValidation.validate(defaulted, schema: node, fieldPrefix: path) {
                problems.append("\(at): default \(value.text) is invalid: \(cause.text)")
            }
        }
        if node["x-kubernetes-list-type"]?.stringValue == "map" {
            let items = node["items"] ?? .null
            let itemRequired = Set((items["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            for key in (node["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue) {
                if items["properties"]?[key] == nil {
                    problems.append("\(at): list-map key \(key) is not an item property")
                } else if !itemRequired.contains(key), !present(items["properties"]?[key]?["default"]) {
                    problems.append("\(at): list-map key \(key) must be required or defaulted")
                }
            }
        }
        for (name, child) in properties.sorted(by: { $0.key < $1.key }) {
            problems += walk(child, path: path.isEmpty ? name : "\(path).\(name)")
        }
        if let items = node["items"], items.objectValue != nil { problems += walk(items, path: "\(path)[]") }
        return problems
    }

    /// A value of a schema type, for evaluating a rule of a node without a default.
    private static func zero(_ type: String) -> JSON {
        switch type {
        case "string": ""
        case "integer", "number": 0
        case "boolean": false
        case "array": []
        default: [:]
        }
    }

    /// Printer columns: a known type, a description, and a jsonPath naming a schema field of a matching type.
    private static func columns(_ columns: [JSON], schema: JSON) -> [String] {
        let types: [String: Set<String>] = ["integer": ["integer"], "number": ["number", "integer"], "string": ["string"],
                                            "boolean": ["boolean"], "date": ["string"]]
        var problems: [String] = []
        for column in columns {
            let name = column["name"]?.stringValue ?? "?"
            let type = column["type"]?.stringValue ?? ""
            let jsonPath = column["jsonPath"]?.stringValue ?? ""
            if (column["description"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("printer column \(name): no description")
            }
            guard let wanted = types[type] else {
                problems.append("printer column \(name): unknown type \(type)")
                continue
            }
            switch field(jsonPath, in: schema) {
            case .none:
                problems.append("printer column \(name): jsonPath \(jsonPath) does not name a schema field")
            case .some(.metadata):
                break
            case .some(.node(let target)):
                let fieldType = target["type"]?.stringValue ?? ""
                if !wanted.contains(fieldType) {
                    problems.append("printer column \(name): type \(type) but field is \(fieldType)")
                } else if type == "date", target["format"]?.stringValue != "date-time" {
                    problems.append("printer column \(name): type date but field has no date-time format")
                }
            }
        }
        return problems
    }

    private enum Target { case metadata, node(JSON) }

    /// The schema node a printer column's JSONPath reads: `.a.b`, with `[?(…)]`, `[*]` or `[N]` stepping into items.
    private static func field(_ jsonPath: String, in schema: JSON) -> Target? {
        var rest = Substring(jsonPath)
        var node = schema
        var first = true
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                let name = rest.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                guard !name.isEmpty else { return nil }
                if first, name == "metadata" { return .metadata }
                guard let child = node["properties"]?[String(name)] else { return nil }
                node = child
                rest = rest.dropFirst(1 + name.count)
            } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                guard inner.hasPrefix("?(") || inner == "*" || Int(inner) != nil, let items = node["items"], items.objectValue != nil else {
                    return nil
                }
                node = items
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
            first = false
        }
        return .node(node)
    }
}

@Suite("CRD lint")
struct CRDLintTests {
    @Test("the repository's CRD has no lint problem")
    func realCRDIsClean() throws {
        #expect(CRDLint.problems(try Repository.crd()) == [])
    }

    /// A change to the CRD and a problem the lint must report for it.
    struct Breakage: Sendable, CustomTestStringConvertible {
        let what: String
        let path: String
        let value: JSON
        let problem: String
        var testDescription: String { what }
    }

    static let schema = "spec.versions[0].schema.openAPIV3Schema"

    static let breakages: [Breakage] = [
        Breakage(what: "a property without a description", path: "\(schema).properties.status.properties.pending.properties.author.description",
                 value: .null, problem: "schema status.pending.author: no description"),
        Breakage(what: "a string CEL reads without maxLength", path: "\(schema).properties.spec.properties.ttl.maxLength", value: .null,
                 problem: "schema spec.ttl: has CEL rules but no maxLength"),
        Breakage(what: "a default its own rules refuse", path: "\(schema).properties.spec.properties.ttl.default", value: "100ms",
                 problem: #"schema spec.ttl: default "100ms" is invalid: spec.ttl: Invalid value: "100ms": ttl must be at least 1s"#),
        Breakage(what: "a default its pattern refuses", path: "\(schema).properties.spec.properties.url.default", value: "ftp://x",
                 problem: #"schema spec.url: default "ftp://x" is invalid: spec.url: Invalid value: "ftp://x": "#),
        Breakage(what: "a rule without a message", path: "\(schema).properties.spec.properties.ttl.x-kubernetes-validations[0].message",
                 value: .null, problem: "schema spec.ttl: CEL rule duration(self) >= duration('1s') has no message"),
        Breakage(what: "a rule the test server's CEL cannot evaluate",
                 path: "\(schema).properties.spec.properties.url.x-kubernetes-validations[0].rule", value: "self.lowerAscii() == self",
                 problem: "schema spec.url: CEL rule self.lowerAscii() == self cannot be evaluated by the test API server"),
        Breakage(what: "a required field that is not a property", path: "\(schema).required", value: ["spec", "sepc"],
                 problem: "schema (root): required field sepc is not a property"),
        Breakage(what: "a list-map key neither required nor defaulted",
                 path: "\(schema).properties.status.properties.conditions.items.required", value: ["status", "reason", "message", "lastTransitionTime"],
                 problem: "schema status.conditions: list-map key type must be required or defaulted"),
        Breakage(what: "a printer column reading no field", path: "spec.versions[0].additionalPrinterColumns[name=Image].jsonPath",
                 value: ".status.current.picsumId", problem: "printer column Image: jsonPath .status.current.picsumId does not name a schema field"),
        Breakage(what: "a printer column of the wrong type", path: "spec.versions[0].additionalPrinterColumns[name=Grace].type",
                 value: "integer", problem: "printer column Grace: type integer but field is string"),
        Breakage(what: "a date column on a field without date-time", path: "spec.versions[0].additionalPrinterColumns[name=TTL].type",
                 value: "date", problem: "printer column TTL: type date but field has no date-time format"),
        Breakage(what: "a printer column without a description", path: "spec.versions[0].additionalPrinterColumns[name=TTL].description",
                 value: .null, problem: "printer column TTL: no description"),
        Breakage(what: "no storage version", path: "spec.versions[0].storage", value: false,
                 problem: "spec.versions: exactly one version must have storage: true"),
        Breakage(what: "a storage version not served", path: "spec.versions[0].served", value: false,
                 problem: "spec.versions[v1alpha1].served: the storage version must be served"),
        Breakage(what: "a name other than plural.group", path: "metadata.name", value: "hourlyimages.dwk.dev",
                 problem: "metadata.name: must be hourlyimages.images.dwk.dev (plural.group)"),
        Breakage(what: "an uppercase plural", path: "spec.names.plural", value: "HourlyImages", problem: "spec.names.plural: must be lowercase"),
    ]

    @Test("reports a broken CRD", arguments: breakages)
    func reports(_ breakage: Breakage) throws {
        let path = try #require(RecordingPath(breakage.path))
        let crd = try Repository.crd()
        try #require(path.value(in: crd) != nil, "\(breakage.path) is not in the CRD")
        let problems = CRDLint.problems(path.setting(breakage.value, in: crd))
        #expect(problems.contains { $0.hasPrefix(breakage.problem) }, "\(problems)")
    }
}
