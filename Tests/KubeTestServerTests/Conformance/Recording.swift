import Foundation
@testable import KubeTestServer

/// The recorded kube-apiserver transcripts (Tests/Conformance/kube-apiserver-v1.36, format in its README.md).
enum Recordings {
    /// Tests/Conformance/kube-apiserver-v1.36 in this checkout.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Conformance/kube-apiserver-v1.36")

    /// The same recordings in `../shared` next to the repository, when that folder exists (CI, developers' machines).
    static let sharedDirectory = directory
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/conformance/kube-apiserver-v1.36")

    /// Every `NNN-*.json` step in order; new files are picked up without code changes.
    static func steps() throws -> [RecordedStep] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && $0.first?.isNumber == true }
            .sorted()
        return try names.map { name in
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            guard let json = JSON.parse(data) else { throw RecordingError(file: name, problem: "not JSON") }
            return try RecordedStep(file: name, json: json)
        }
    }
}

/// A recording that does not follow the README's format.
struct RecordingError: Error, CustomStringConvertible {
    let file: String
    let problem: String
    var description: String { "\(file): \(problem)" }
}

/// One step: a request and the answer kube-apiserver gave, or an out-of-band action.
struct RecordedStep {
    /// A value the replay takes from an earlier answer of the replaying server.
    struct Substitution {
        let target: String
        let fromStep: Int
        let fromPath: RecordingPath
    }

    /// `varies` entries: a regular expression, or the causes-list rule for Status messages.
    enum Variation {
        case match(RecordingPath, String)
        case causesList(RecordingPath, prefix: String)
    }

    let file: String
    let number: Int
    let title: String
    let identity: String?
    let json: JSON
    let substitutions: [Substitution]
    let variations: [Variation]
    let unordered: [RecordingPath]
    let compareOnly: [RecordingPath]?
    let pollSeconds: Double?

    init(file: String, json: JSON) throws {
        func path(_ text: String?) throws -> RecordingPath {
            guard let text, let path = RecordingPath(text) else { throw RecordingError(file: file, problem: "bad path \(text ?? "nil")") }
            return path
        }
        self.file = file
        self.json = json
        guard let number = json["step"]?.intValue else { throw RecordingError(file: file, problem: "no step") }
        self.number = Int(number)
        title = json["title"]?.stringValue ?? ""
        identity = json["identity"]?.stringValue
        substitutions = try (json["substitutions"]?.arrayValue ?? []).map { entry in
            guard let target = entry["target"]?.stringValue, let from = entry["from"], let step = from["step"]?.intValue else {
                throw RecordingError(file: file, problem: "bad substitution")
            }
            return Substitution(target: target, fromStep: Int(step), fromPath: try path(from["path"]?.stringValue))
        }
        variations = try (json["varies"]?.arrayValue ?? []).map { entry in
            let at = try path(entry["path"]?.stringValue)
            if entry["rule"]?.stringValue == "causes-list" { return .causesList(at, prefix: entry["prefix"]?.stringValue ?? "") }
            guard let regex = entry["match"]?.stringValue else { throw RecordingError(file: file, problem: "varies without match") }
            return .match(at, regex)
        }
        unordered = try (json["unordered"]?.arrayValue ?? []).map { try path($0.stringValue) }
        compareOnly = try json["compareOnly"]?.arrayValue.map { try $0.map { try path($0.stringValue) } }
        pollSeconds = json["poll"]?["timeoutSeconds"].flatMap { $0.intValue.map(Double.init) }
    }

    var request: JSON? { json["request"] }
    var response: JSON? { json["response"] }
    /// The out-of-band action (step 170's compaction).
    var action: JSON? { json["action"] }
}
