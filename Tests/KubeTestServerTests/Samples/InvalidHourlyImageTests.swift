import Foundation
@testable import KubeTestServer
import Testing

/// HourlyImages the repository's CRD must refuse, applied to the test API server as `kubectl apply` sends them, with the
/// answer a real kube-apiserver gives: 422 Invalid with one cause per error, each with its field path and upstream's
/// message (formats as in Tests/Conformance/kube-apiserver-v1.36), or 400 for a body that cannot be decoded strictly.
/// Serialized: each case starts its own server, and a hundred of them at once would load the machine beside the suite's
/// wall-clock tests.
@Suite("Bad HourlyImages refused by the repository's CRD, as kube-apiserver refuses them", .serialized)
struct InvalidHourlyImageTests {
    static let good: JSON = [
        "apiVersion": "images.dwk.dev/v1alpha1", "kind": "HourlyImage", "metadata": ["name": "bad", "namespace": "default"],
        "spec": ["url": "https://picsum.photos/1200", "ttl": "1h", "graceCount": 1, "suspend": false, "keep": 3],
    ]

    /// The good object with these spec fields replaced.
    static func with(_ spec: [String: JSON]) -> JSON {
        var object = good
        object["spec"] = .object((good["spec"]?.objectValue ?? [:]).merging(spec) { $1 })
        return object
    }

    /// One bad object and how the server must answer it.
    struct Case: Sendable, CustomTestStringConvertible {
        enum Write: Sendable {
            /// POST it, with fieldValidation=Strict (kubectl apply) or without (the default, Warn).
            case create(strict: Bool)
            /// Create the good object, then PUT this status on its status subresource (the controller's write).
            case status(JSON)
        }

        let what: String
        let object: JSON
        var write: Write = .create(strict: true)
        /// The causes of a 422, in any order (upstream's order is not stable).
        var causes: [FieldCause] = []
        /// The message of a 400.
        var badRequest: String?

        var testDescription: String { what }
    }

    // Causes in upstream's words (apiextensions-apiserver's schema validation and CEL, apimachinery's field errors).
    static let urlPattern = "^https?://.+$"
    static let ttlPattern = #"^([0-9]+(\.[0-9]+)?(ms|h|m|s))+$"#
    static let notAbsolute = "url must be a valid absolute URL such as https://picsum.photos/1200"
    static let noHost = "url must name a host, e.g. https://picsum.photos/1200"
    static let controlCharacters = "url must not contain control characters such as CR, LF or tab"
    static let atLeast1s = "ttl must be at least 1s"
    static let atMost8760h = "ttl must be at most 8760h (one year)"
    static let notADuration = "type conversion error from 'string' to 'google.protobuf.Duration'"
    static let notChecked = FieldCause(
        reason: "FieldValueInvalid",
        message: "Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        field: "<nil>")

    /// A string as Go's %q prints it (apimachinery's "Invalid value: %q").
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\x%02x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func pattern(_ field: String, _ value: String, _ pattern: String) -> FieldCause {
        FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \(quoted(value)): \(field) in body should match '\(pattern)'",
                   field: field)
    }

    static func rule(_ field: String, _ value: String, _ message: String) -> FieldCause {
        FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \(quoted(value)): \(message)", field: field)
    }

    static func ruleError(_ field: String, _ error: String, _ message: String) -> FieldCause {
        FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \"string\": \(error) evaluating rule: \(message)", field: field)
    }

    static func typeError(_ field: String, _ found: String, _ wanted: String) -> FieldCause {
        FieldCause(reason: "FieldValueTypeInvalid", message: "Invalid value: \"\(found)\": \(field) in body must be of type \(wanted): \"\(found)\"",
                   field: field)
    }

    static func minimum(_ field: String, _ value: Int, _ bound: Int) -> FieldCause {
        FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \(value): \(field) in body should be greater than or equal to \(bound)",
                   field: field)
    }

    static func maximum(_ field: String, _ value: Int, _ bound: Int) -> FieldCause {
        FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \(value): \(field) in body should be less than or equal to \(bound)",
                   field: field)
    }

    static func tooLong(_ field: String, _ bound: Int) -> FieldCause {
        FieldCause(reason: "FieldValueTooLong", message: "Too long: may not be more than \(bound) bytes", field: field)
    }

    static func url(_ value: String, _ causes: [FieldCause]) -> Case {
        Case(what: "spec.url \(quoted(value))", object: with(["url": .string(value)]), causes: causes)
    }

    /// A ttl the pattern refuses and Go's time.ParseDuration cannot parse, so both duration rules fail to evaluate.
    static func unparsableTTL(_ value: String) -> Case {
        Case(what: "spec.ttl \(quoted(value))", object: with(["ttl": .string(value)]),
             causes: [pattern("spec.ttl", value, ttlPattern), ruleError("spec.ttl", notADuration, atLeast1s),
                      ruleError("spec.ttl", notADuration, atMost8760h)])
    }

    static func ttl(_ value: String, _ causes: [FieldCause]) -> Case {
        Case(what: "spec.ttl \(quoted(value))", object: with(["ttl": .string(value)]), causes: causes)
    }

    static let longURL = "https://x/" + String(repeating: "a", count: 2048)

    static let cases: [Case] = [
        // graceCount, keep, suspend: bounds and types
        Case(what: "spec.graceCount -1", object: with(["graceCount": -1]), causes: [minimum("spec.graceCount", -1, 0)]),
        Case(what: "spec.graceCount 1000001", object: with(["graceCount": 1_000_001]),
             causes: [maximum("spec.graceCount", 1_000_001, 1_000_000)]),
        Case(what: "spec.graceCount \"1\"", object: with(["graceCount": "1"]), causes: [typeError("spec.graceCount", "string", "integer"), notChecked]),
        Case(what: "spec.graceCount 1.5", object: with(["graceCount": .double(1.5)]),
             causes: [typeError("spec.graceCount", "number", "integer"), notChecked]),
        Case(what: "spec.keep 0", object: with(["keep": 0]), causes: [minimum("spec.keep", 0, 1)]),
        Case(what: "spec.keep 1001", object: with(["keep": 1001]), causes: [maximum("spec.keep", 1001, 1000)]),
        Case(what: "spec.keep true", object: with(["keep": true]), causes: [typeError("spec.keep", "boolean", "integer"), notChecked]),
        Case(what: "spec.suspend \"yes please\"", object: with(["suspend": "yes please"]),
             causes: [typeError("spec.suspend", "string", "boolean"), notChecked]),
        // ttl: the pattern, and the duration rules with Go's time.ParseDuration
        unparsableTTL("soon"), unparsableTTL("1"), unparsableTTL("1d"), unparsableTTL("1 h"), unparsableTTL(""), unparsableTTL("h"),
        unparsableTTL("1h\n"),
        ttl("500ms", [rule("spec.ttl", "500ms", atLeast1s)]),
        ttl("999ms", [rule("spec.ttl", "999ms", atLeast1s)]),
        ttl("0s", [rule("spec.ttl", "0s", atLeast1s)]),
        ttl("0", [pattern("spec.ttl", "0", ttlPattern), rule("spec.ttl", "0", atLeast1s)]),
        ttl("-1h", [pattern("spec.ttl", "-1h", ttlPattern), rule("spec.ttl", "-1h", atLeast1s)]),
        ttl(".5s", [pattern("spec.ttl", ".5s", ttlPattern), rule("spec.ttl", ".5s", atLeast1s)]),
        ttl("8761h", [rule("spec.ttl", "8761h", atMost8760h)]),
        ttl("9999999999h", [ruleError("spec.ttl", notADuration, atLeast1s), ruleError("spec.ttl", notADuration, atMost8760h)]),
        ttl(String(repeating: "1s", count: 33), [tooLong("spec.ttl", 64), notChecked]),
        Case(what: "spec.ttl 3600", object: with(["ttl": 3600]), causes: [typeError("spec.ttl", "integer", "string"), notChecked]),
        // url: the pattern, and isURL / getHostname with Go's url.ParseRequestURI
        url("ftp://x", [pattern("spec.url", "ftp://x", urlPattern)]),
        url("HTTPS://x", [pattern("spec.url", "HTTPS://x", urlPattern)]),
        url("https://", [pattern("spec.url", "https://", urlPattern), rule("spec.url", "https://", noHost)]),
        url("http:///path", [rule("spec.url", "http:///path", noHost)]),
        url("picsum.photos/1200", [pattern("spec.url", "picsum.photos/1200", urlPattern), rule("spec.url", "picsum.photos/1200", notAbsolute)]),
        url("not a url", [pattern("spec.url", "not a url", urlPattern), rule("spec.url", "not a url", notAbsolute)]),
        url("javascript:alert(1)", [pattern("spec.url", "javascript:alert(1)", urlPattern), rule("spec.url", "javascript:alert(1)", noHost)]),
        url("https://exa mple.com/", [rule("spec.url", "https://exa mple.com/", notAbsolute)]),
        url("https://example.com:port/", [rule("spec.url", "https://example.com:port/", notAbsolute)]),
        url("https://a:b:c/", [rule("spec.url", "https://a:b:c/", notAbsolute)]),
        url("https://x/%zz", [rule("spec.url", "https://x/%zz", notAbsolute)]),
        url("https://x#top", [rule("spec.url", "https://x#top", notAbsolute)]),
        url(longURL, [tooLong("spec.url", 2048), notChecked]),
        // url: control characters (CR, LF, tab, DEL)
        url("https://x/\n", [pattern("spec.url", "https://x/\n", urlPattern), rule("spec.url", "https://x/\n", notAbsolute),
                             rule("spec.url", "https://x/\n", controlCharacters)]),
        url("https://example.com/a\rb", [rule("spec.url", "https://example.com/a\rb", notAbsolute),
                                         rule("spec.url", "https://example.com/a\rb", controlCharacters)]),
        url("https://example.com/a\tb", [rule("spec.url", "https://example.com/a\tb", notAbsolute),
                                         rule("spec.url", "https://example.com/a\tb", controlCharacters)]),
        url("https://example.com/\u{7F}", [rule("spec.url", "https://example.com/\u{7F}", notAbsolute),
                                           rule("spec.url", "https://example.com/\u{7F}", controlCharacters)]),
        // unknown fields: kubectl apply asks for strict decoding
        Case(what: "unknown field spec.colour", object: with(["colour": "blue"]),
             badRequest: #"HourlyImage in version "v1alpha1" cannot be handled as a HourlyImage: strict decoding error: unknown field "spec.colour""#),
        Case(what: "unknown top-level field sepc", object: { var o = good; o["sepc"] = [:]; return o }(),
             badRequest: #"HourlyImage in version "v1alpha1" cannot be handled as a HourlyImage: strict decoding error: unknown field "sepc""#),
        // metadata, kind and apiVersion
        Case(what: "metadata.name Project_Image", object: { var o = good; o.setMeta("name", "Project_Image"); return o }(),
             causes: [FieldCause(reason: "FieldValueInvalid", message: #"Invalid value: "Project_Image": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
                                 field: "metadata.name")]),
        Case(what: "kind HourlyImages", object: { var o = good; o["kind"] = "HourlyImages"; return o }(),
             causes: [FieldCause(reason: "FieldValueInvalid", message: #"Invalid value: "HourlyImages": must be HourlyImage"#, field: "kind")]),
        Case(what: "apiVersion images.dwk.dev/v1", object: { var o = good; o["apiVersion"] = "images.dwk.dev/v1"; return o }(),
             write: .create(strict: false),
             badRequest: "the API version in the data (images.dwk.dev/v1) does not match the expected API version (images.dwk.dev/v1alpha1)"),
        // status, as the controller writes it through the status subresource
        Case(what: "status.current with a bad sha256 and fetchedAt", object: good, write: .status([
            "current": ["file": "default/bad/blobs/x.jpg", "sha256": "XYZ", "bytes": 1, "contentType": "image/jpeg", "fetchedAt": "yesterday"],
        ]), causes: [
            FieldCause(reason: "FieldValueInvalid", message: #"Invalid value: "XYZ": current.sha256 in body should match '^[a-f0-9]{64}$'"#,
                       field: "status.current.sha256"),
            FieldCause(reason: "FieldValueTypeInvalid", message: #"Invalid value: "yesterday": current.fetchedAt in body must be of type date-time: "yesterday""#,
                       field: "status.current.fetchedAt"),
            notChecked,
        ]),
        Case(what: "status.conditions[0] with status Yes, an empty reason and no message", object: good, write: .status([
            "conditions": [["type": "Ready", "status": "Yes", "reason": "", "lastTransitionTime": "2026-11-22T10:00:00Z"]],
        ]), causes: [
            FieldCause(reason: "FieldValueNotSupported", message: #"Unsupported value: "Yes": supported values: "True", "False", "Unknown""#,
                       field: "status.conditions[0].status"),
            FieldCause(reason: "FieldValueInvalid", message: #"Invalid value: "": conditions[0].reason in body should be at least 1 chars long"#,
                       field: "status.conditions[0].reason"),
            FieldCause(reason: "FieldValueRequired", message: "Required value", field: "status.conditions[0].message"),
            notChecked,
        ]),
    ]

    @Test("refused with upstream's status, field paths and messages", arguments: cases)
    func refused(_ bad: Case) async throws {
        try await ServerWithCRD.run { server in
            let response: KubeResponse
            switch bad.write {
            case .create(let strict):
                response = try await server.apply(bad.object, strict: strict)
            case .status(let status):
                let created = try await server.apply(bad.object)
                try #require(created.status == 201, "\(created.text)")
                var object = created.object
                object["status"] = status
                response = try await server.send("PUT", Paths.status(object.name), json: object.text, token: ServerWithCRD.adminToken)
            }
            let body = response.object
            if let message = bad.badRequest {
                #expect(response.status == 400, "\(response.text)")
                #expect(body["reason"] == "BadRequest")
                #expect(body["message"]?.stringValue == message)
                return
            }
            #expect(response.status == 422, "\(response.text)")
            #expect(body["reason"] == "Invalid")
            let kind = bad.object["kind"]?.stringValue ?? ""
            #expect(body["details"]?["kind"]?.stringValue == kind)
            #expect(body["details"]?["group"] == "images.dwk.dev")
            #expect(body["details"]?["name"]?.stringValue == bad.object.name)
            let causes = (body["details"]?["causes"]?.arrayValue ?? []).map {
                FieldCause(reason: $0["reason"]?.stringValue ?? "", message: $0["message"]?.stringValue ?? "", field: $0["field"]?.stringValue ?? "")
            }
            func order(_ list: [FieldCause]) -> [FieldCause] { list.sorted { ($0.field, $0.message) < ($1.field, $1.message) } }
            #expect(order(causes) == order(bad.causes), "\(response.text)")
            // "Kind.group "name" is invalid: " and the causes as "field: message", one alone or several in brackets.
            let message = body["message"]?.stringValue ?? ""
            let prefix = "\(kind).images.dwk.dev \"\(bad.object.name)\" is invalid: "
            #expect(message.hasPrefix(prefix), "\(message)")
            let list = message.dropFirst(prefix.count)
            let texts = bad.causes.map(\.text)
            if texts.count == 1 {
                #expect(list == texts[0][...])
            } else {
                #expect(list.hasPrefix("[") && list.hasSuffix("]") && list.count == texts.map(\.count).reduce(0, +) + 2 * texts.count,
                        "\(message)")
                for text in texts { #expect(list.contains(text), "\(text) not in \(message)") }
            }
        }
    }

    /// Values at the edges of what the CRD allows, and ttl and url forms Go parses.
    static let acceptedValues: [(String, JSON)] = [
        ("graceCount", 0), ("graceCount", 1_000_000), ("keep", 1), ("keep", 1000), ("suspend", true),
        ("ttl", "1s"), ("ttl", "1000ms"), ("ttl", "90s"), ("ttl", "10m"), ("ttl", "1h30m"), ("ttl", "1.5h"), ("ttl", "0.5s500ms"),
        ("ttl", "2h45m30.5s"), ("ttl", "1.0000000001s"), ("ttl", "8760h"),
        ("url", "https://picsum.photos/1200"), ("url", "http://example.com"), ("url", "https://[::1]:8443/a?b=c"),
        ("url", "https://user:pw@example.com/x.jpg"), ("url", "https://picsum.photos/id/237/200/300"), ("url", "https://example.com/a%20b"),
        ("url", "https://example.com:/x"), ("url", "https://example.com/caf\u{E9}.jpg"),
    ]

    @Test("accepted as sent", arguments: acceptedValues)
    func accepted(field: String, value: JSON) async throws {
        try await ServerWithCRD.run { server in
            let applied = try await server.apply(Self.with([field: value]))
            #expect(applied.status == 201, "\(applied.text)")
            #expect(applied.object["spec"]?[field] == value)
        }
    }

    @Test("without fieldValidation (the API's default, Warn) an unknown field is pruned with a Warning, not refused")
    func unknownFieldWarns() async throws {
        try await ServerWithCRD.run { server in
            let applied = try await server.apply(Self.with(["colour": "blue"]), strict: false)
            #expect(applied.status == 201, "\(applied.text)")
            #expect(applied.headers["warning"] == #"299 - "unknown field \"spec.colour\"""#)
            #expect(applied.object["spec"]?["colour"] == nil)
        }
    }
}
