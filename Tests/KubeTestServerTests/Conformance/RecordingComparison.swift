import Foundation
@testable import KubeTestServer

/// Compares a replayed answer with a recorded one under the README's rules: global masking, `varies`,
/// `unordered`, `compareOnly`; returns each difference as "path: recorded …, replayed …".
struct RecordingComparison {
    /// Keys whose values vary between runs at any depth (README, "Global rule").
    static let maskedKeys: Set<String> = [
        "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "managedFields", "continue", "lastTransitionTime",
    ]
    static let masked: JSON = "<masked>"

    let step: RecordedStep

    /// Differences between the recorded and replayed response (status, Content-Type, Warning, body or events).
    func differences(status: Int, contentType: String?, warnings: [String], body: JSON?, events: [JSON]?) -> [String] {
        guard let recorded = step.response else { return [] }
        var out: [String] = []
        if let want = recorded["status"]?.intValue, Int(want) != status {
            out.append("response.status: recorded \(want), replayed \(status)")
        }
        let headers = recorded["headers"]
        if let want = headers?["Content-Type"]?.stringValue, want != contentType {
            out.append("response.headers.Content-Type: recorded \(want), replayed \(contentType ?? "none")")
        }
        let wantWarnings = headers?["Warning"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if wantWarnings != warnings {
            out.append("response.headers.Warning: recorded \(wantWarnings), replayed \(warnings)")
        }
        if let wantEvents = recorded["events"]?.arrayValue {
            let got = events ?? []
            if got.count != wantEvents.count {
                out.append("response.events: recorded \(wantEvents.count) events \(wantEvents.map { $0["type"]?.stringValue ?? "?" }), "
                           + "replayed \(got.count) \(got.map { $0["type"]?.stringValue ?? "?" })")
            }
            for (index, (want, have)) in zip(wantEvents, got).enumerated() {
                var recordedEvent = prepare(want, root: ["response", "events"])
                var replayedEvent = prepare(have, root: ["response", "events"])
                for case .match(let path, let regex) in step.variations where path.starts(with: ["response", "events"]) {
                    guard path.components.count > 2, path.components[2] == .index(index) else { continue }
                    let relative = path.dropping(3)
                    let value = relative.value(in: have)?.stringValue
                    if value.map({ $0.range(of: regex, options: .regularExpression) == nil }) ?? true {
                        out.append("\(path): \(value.map { "\"\($0)\"" } ?? "missing") does not match \(regex)")
                    }
                    recordedEvent = relative.setting(Self.masked, in: recordedEvent)
                    replayedEvent = relative.setting(Self.masked, in: replayedEvent)
                }
                out += compare(recordedEvent, replayedEvent, at: "response.events[\(index)]")
            }
        } else if let wantBody = recorded["body"] {
            out += compareBody(wantBody, body ?? .null)
        }
        return out
    }

    private func compareBody(_ recorded: JSON, _ replayed: JSON) -> [String] {
        var want = prepare(recorded, root: ["response", "body"])
        var have = prepare(replayed, root: ["response", "body"])
        var out: [String] = []
        for variation in step.variations {
            switch variation {
            case .match(let path, let regex):
                guard path.starts(with: ["response", "body"]) else { continue }
                let relative = path.dropping(2)
                // Checked before masking: a varying value (a continue token, say) must still have the recorded shape.
                let value = relative.value(in: replayed)?.stringValue
                if let value, value.range(of: regex, options: .regularExpression) != nil {
                    have = relative.setting(Self.masked, in: have)
                    want = relative.setting(Self.masked, in: want)
                } else {
                    out.append("\(path): \(value.map { "\"\($0)\"" } ?? "missing") does not match \(regex)")
                    have = relative.setting(Self.masked, in: have)
                    want = relative.setting(Self.masked, in: want)
                }
            case .causesList(let path, let prefix):
                let relative = path.dropping(2)
                // The response's own cause order, before `unordered` sorted it for comparison.
                let causes = replayed["details"]?["causes"]?.arrayValue ?? []
                let parts = causes.map { "\($0["field"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")" }
                var seen = Set<String>()
                let unique = parts.filter { seen.insert($0).inserted }
                let expected = unique.count == 1 ? prefix + unique[0] : prefix + "[" + unique.joined(separator: ", ") + "]"
                let value = relative.value(in: have)?.stringValue
                if value != expected { out.append("\(path): replayed \(value ?? "missing"), causes-list rule wants \(expected)") }
                have = relative.setting(Self.masked, in: have)
                want = relative.setting(Self.masked, in: want)
            }
        }
        if let only = step.compareOnly {
            for path in only where path.starts(with: ["response", "body"]) {
                let relative = path.dropping(2)
                out += compare(relative.value(in: want) ?? .null, relative.value(in: have) ?? .null, at: path.description)
            }
            return out
        }
        return out + compare(want, have, at: "response.body")
    }

    /// Masks the varying keys and sorts the `unordered` arrays under `root`.
    private func prepare(_ value: JSON, root: [String]) -> JSON {
        var result = Self.mask(value)
        for path in step.unordered where path.starts(with: root) {
            let relative = path.dropping(root.count)
            if let array = relative.value(in: result)?.arrayValue {
                result = relative.setting(.array(array.sorted { $0.text < $1.text }), in: result)
            }
        }
        return result
    }

    /// The value with every masked key's value replaced (present keys stay present).
    static func mask(_ value: JSON) -> JSON {
        switch value {
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { key, child in
                (key, maskedKeys.contains(key) ? masked : mask(child))
            }))
        case .array(let elements): return .array(elements.map(mask))
        default: return value
        }
    }

    /// Structural equality with a path for each difference; keys missing or extra count.
    func compare(_ want: JSON, _ have: JSON, at path: String) -> [String] {
        switch (want, have) {
        case (.object(let a), .object(let b)):
            var out: [String] = []
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = "\(path).\(key)"
                switch (a[key], b[key]) {
                case (let x?, let y?): out += compare(x, y, at: child)
                case (let x?, nil): out.append("\(child): missing, recorded \(Self.short(x))")
                case (nil, let y?): out.append("\(child): extra, replayed \(Self.short(y))")
                default: break
                }
            }
            return out
        case (.array(let a), .array(let b)):
            if a.count != b.count { return ["\(path): recorded \(a.count) elements, replayed \(b.count): replayed \(Self.short(have))"] }
            return zip(a, b).enumerated().flatMap { compare($1.0, $1.1, at: "\(path)[\($0)]") }
        case (.int(let x), .double(let y)) where Double(x) == y: return []
        case (.double(let x), .int(let y)) where x == Double(y): return []
        default:
            return want == have ? [] : ["\(path): recorded \(Self.short(want)), replayed \(Self.short(have))"]
        }
    }

    static func short(_ value: JSON) -> String {
        let text = value.text
        return text.count > 1500 ? String(text.prefix(1500)) + "…" : text
    }
}
