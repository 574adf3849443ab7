import Foundation
@testable import KubeTestServer

/// Replays recorded steps in order against one test API server and compares each answer with the recording.
final class ConformanceReplay {
    /// Bearer tokens the replay sends for each recorded identity (`anonymous` sends none).
    static let tokens: [String: String] = [
        "admin": "conformance-admin-token",
        "controller-sa": "conformance-controller-token",
        "web-sa": "conformance-web-token",
        "bad-token": "conformance-invalid-token",
    ]

    /// The users behind those tokens, as the recorder's server knew them.
    static let users: [String: String] = [
        "admin": "kubernetes-admin",
        "controller-sa": "system:serviceaccount:conformance:controller",
        "web-sa": "system:serviceaccount:conformance:web",
    ]

    /// An empty server that knows the recorded identities' credentials.
    static var serverOptions: KubeTestServer.Options {
        var tokenUsers: [String: String] = [:]
        for (identity, user) in users { tokenUsers[tokens[identity]!] = user }
        var options = KubeTestServer.Options(tokens: tokenUsers)
        options.customResources = []
        options.requiresNamespaces = true
        options.allowsAnonymous = true
        options.usesRBAC = true
        options.userGroups = ["kubernetes-admin": ["system:masters"]]
        return options
    }

    /// What the replaying server answered to one step.
    struct Answer {
        var status: Int
        var contentType: String?
        var warnings: [String]
        var body: JSON?
        var events: [JSON]?

        /// The answer as the recordings' `response` object, for substitutions.
        var json: JSON {
            var members: [String: JSON] = ["status": .int(Int64(status))]
            if let body { members["body"] = body }
            if let events { members["events"] = .array(events) }
            return ["response": .object(members)]
        }
    }

    let server: KubeTestServer
    private var answers: [Int: Answer] = [:]

    init(server: KubeTestServer) { self.server = server }

    /// Replays one step (retrying a `poll` step briefly until it matches) and returns its differences.
    func replay(_ step: RecordedStep) async throws -> [String] {
        if let action = step.action {
            if action["type"]?.stringValue == "compact" {
                let revision = try substituted(step).revision
                await server.compact(upTo: revision)
            }
            return []
        }
        let deadline = ContinuousClock.now + .seconds(min(step.pollSeconds ?? 0, 3))
        while true {
            let answer = try await send(step)
            answers[step.number] = answer
            let differences = RecordingComparison(step: step).differences(
                status: answer.status, contentType: answer.contentType, warnings: answer.warnings, body: answer.body, events: answer.events)
            if differences.isEmpty || ContinuousClock.now >= deadline { return differences }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The request with values from earlier answers put in, and the compaction revision if any.
    private func substituted(_ step: RecordedStep) throws -> (path: String, body: JSON?, revision: Int?) {
        var path = step.request?["path"]?.stringValue ?? ""
        var body = step.request?["body"]
        var revision = step.action?["revision"]?.stringValue.flatMap { Int($0) }
        for substitution in step.substitutions {
            guard let earlier = answers[substitution.fromStep],
                  let value = substitution.fromPath.value(in: earlier.json) else {
                throw RecordingError(file: step.file, problem: "no value at \(substitution.fromPath) in the answer to step \(substitution.fromStep)")
            }
            if substitution.target.hasPrefix("request.path?") {
                let name = String(substitution.target.dropFirst("request.path?".count))
                path = Self.replacingQuery(name, with: value.stringValue ?? value.text, in: path)
            } else if substitution.target.hasPrefix("request.body."), let target = RecordingPath(String(substitution.target.dropFirst("request.body.".count))) {
                body = body.map { target.setting(value, in: $0) }
            } else if substitution.target == "action.revision" {
                revision = value.stringValue.flatMap { Int($0) }
            }
        }
        return (path, body, revision)
    }

    private func send(_ step: RecordedStep) async throws -> Answer {
        guard let request = step.request, let method = request["method"]?.stringValue else {
            throw RecordingError(file: step.file, problem: "no request")
        }
        let (path, body, _) = try substituted(step)
        var headers: [String: String] = ["Expect": ""]
        for (name, value) in request["headers"]?.objectValue ?? [:] { headers[name] = value.stringValue }
        if let identity = step.identity, let token = Self.tokens[identity] { headers["Authorization"] = "Bearer \(token)" }
        var payload: Data?
        if let body, body != .null {
            payload = request["rawBody"] == .bool(true) ? Data((body.stringValue ?? "").utf8) : body.data
        }
        let stream = CurlStream(url: server.baseURL + path, method: method, headers: headers, body: payload)
        defer { stream.close() }
        let recordedEvents = step.response?["events"]?.arrayValue
        if let readSeconds = request["watchReadSeconds"]?.intValue {
            return await readWatch(stream, expected: recordedEvents?.count ?? 0, seconds: Double(readSeconds))
        }
        guard let end = await stream.end(timeout: .seconds(10)) else {
            throw RecordingError(file: step.file, problem: "no answer within 10 s")
        }
        return Self.answer(status: end.status, headers: stream.headers, body: JSON.parse(stream.body), events: nil)
    }

    /// Reads a watch until the recorded number of events came and nothing more arrives, or the stream ends.
    private func readWatch(_ stream: CurlStream, expected: Int, seconds: Double) async -> Answer {
        var events: [JSON] = []
        var lines: [String] = []
        let deadline = ContinuousClock.now + .milliseconds(Int(min(seconds, 3) * 1000))
        while ContinuousClock.now < deadline {
            let wait: Duration = events.count >= expected ? .milliseconds(300) : deadline - ContinuousClock.now
            guard let line = await stream.nextLine(timeout: wait) else { break }
            lines.append(line)
            if let event = JSON.parse(Data(line.utf8)), event["type"] != nil { events.append(event) }
        }
        stream.close()
        let code = await stream.end(timeout: .seconds(3)).map(\.status) ?? 0
        let headers = stream.headers
        if code != 200 && code != 0 {
            return Self.answer(status: code, headers: headers, body: JSON.parse(Data(lines.joined().utf8)), events: nil)
        }
        return Self.answer(status: 200, headers: headers, body: nil, events: events)
    }

    private static func answer(status: Int, headers: [String], body: JSON?, events: [JSON]?) -> Answer {
        Answer(status: status, contentType: header("Content-Type", in: headers),
               warnings: headers.filter { $0.lowercased().hasPrefix("warning:") }.map { String($0.dropFirst("warning:".count)).trimmingCharacters(in: .whitespaces) },
               body: body, events: events)
    }

    private static func header(_ name: String, in lines: [String]) -> String? {
        lines.first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }

    /// The path with query parameter `name` set to `value` (percent-encoded as Go's url.QueryEscape would).
    static func replacingQuery(_ name: String, with value: String, in path: String) -> String {
        guard let question = path.firstIndex(of: "?") else { return path }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
        let pairs = path[path.index(after: question)...].split(separator: "&").map { pair -> String in
            pair.hasPrefix(name + "=") ? "\(name)=\(encoded)" : String(pair)
        }
        return String(path[..<question]) + "?" + pairs.joined(separator: "&")
    }
}
