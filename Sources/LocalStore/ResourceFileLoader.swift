import Foundation
import HourlyImageAPI
import Yams

/// A problem in a resource file, naming the file, the document and the field.
public struct ResourceFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based document number within the file.
    public var document: Int
    /// What is wrong, with field paths.
    public var problems: [String]

    public var description: String {
        "\(file), document \(document): " + problems.joined(separator: "; ")
    }
}

/// Reads HourlyImages from YAML files, in the format `kubectl apply -f` takes.
public enum ResourceFileLoader {
    /// The resource used when no file is given: a Lorem Picsum image every hour, one grace view.
    public static let builtIn = HourlyImage(
        metadata: ObjectMeta(name: "project-image", namespace: "default"),
        spec: HourlyImageSpec(url: HourlyImageSpec.defaultURL, ttl: "1h", graceCount: 1))

    /// Loads every HourlyImage from the given files and directories (`*.yaml`, `*.yml`, `*.json`).
    ///
    /// - Throws: every problem found, as `[ResourceFileError]` wrapped in `ResourceFileErrors`.
    public static func load(paths: [String]) throws -> [HourlyImage] {
        var resources: [HourlyImage] = []
        var errors: [ResourceFileError] = []
        var seen: [String: String] = [:]
        for file in try expand(paths) {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                errors.append(ResourceFileError(file: file, document: 0, problems: ["cannot read: \(error.localizedDescription)"]))
                continue
            }
            let documents: [Any]
            do {
                documents = try Yams.load_all(yaml: text).map { $0 as Any }
            } catch {
                errors.append(ResourceFileError(file: file, document: 1, problems: ["not valid YAML: \(error)"]))
                continue
            }
            for (index, document) in documents.enumerated() where !(document is NSNull) {
                switch decode(document) {
                case .success(var resource):
                    resource.metadata.namespace = resource.metadata.namespace ?? "default"
                    if let other = seen[resource.key] {
                        errors.append(ResourceFileError(file: file, document: index + 1, problems: ["\(resource.key) is also defined in \(other)"]))
                    } else {
                        seen[resource.key] = "\(file), document \(index + 1)"
                        resources.append(resource)
                    }
                case .failure(let problems):
                    errors.append(ResourceFileError(file: file, document: index + 1, problems: problems.messages))
                }
            }
        }
        if !errors.isEmpty { throw ResourceFileErrors(errors: errors) }
        return resources
    }

    /// Problems with one document.
    struct Problems: Error {
        var messages: [String]
    }

    static func decode(_ document: Any) -> Result<HourlyImage, Problems> {
        guard let object = document as? [String: Any] else {
            return .failure(Problems(messages: ["expected a mapping with apiVersion, kind, metadata and spec"]))
        }
        if let kind = object["kind"] as? String, kind != HourlyImage.kind {
            return .failure(Problems(messages: ["kind: expected \(HourlyImage.kind), got \(kind)"]))
        }
        let resource: HourlyImage
        do {
            let json = try JSONSerialization.data(withJSONObject: jsonSafe(object))
            resource = try JSONDecoder().decode(HourlyImage.self, from: json)
        } catch let error as DecodingError {
            return .failure(Problems(messages: [describe(error)]))
        } catch {
            return .failure(Problems(messages: ["\(error)"]))
        }
        if case .failure(let invalid) = resource.validated() {
            return .failure(Problems(messages: invalid.issues.map(\.description)))
        }
        return .success(resource)
    }

    /// Dates that YAML parsed as timestamps become strings again, as JSON has no dates.
    static func jsonSafe(_ value: Any) -> Any {
        switch value {
        case let dict as [String: Any]: dict.mapValues(jsonSafe)
        case let array as [Any]: array.map(jsonSafe)
        case let date as Date: Timestamp(date).rfc3339
        default: value
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required field is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type == String.self ? "a string" : type == Int.self ? "an integer" : type == Bool.self ? "true or false" : "\(type)")"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)): must not be null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ResourceFileErrors(errors: [ResourceFileError(file: path, document: 0, problems: ["no such file or directory"])])
            }
            if isDirectory.boolValue {
                let entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                files += entries.filter { ["yaml", "yml", "json"].contains(($0 as NSString).pathExtension) }.map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        return files
    }
}

/// Every problem found while loading resource files.
public struct ResourceFileErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ResourceFileError]

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
