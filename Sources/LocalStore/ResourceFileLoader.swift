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
        var seen: [ResourceKey: String] = [:]
        for file in try expand(paths) {
            let text: String
            do {
                text = try read(file)
            } catch {
                errors.append(ResourceFileError(file: file, document: 0, problems: ["\(error)"]))
                continue
            }
            let (documents, parseErrors) = parse(text, file: file)
            errors += parseErrors
            for (index, document) in documents where !(document is NSNull) {
                switch decode(document) {
                case .success(var resource):
                    resource.metadata.namespace = resource.metadata.namespaceOrDefault
                    if let other = seen[ResourceKey(resource)] {
                        errors.append(ResourceFileError(file: file, document: index, problems: ["\(ResourceKey(resource)) is also defined in \(other)"]))
                    } else {
                        seen[ResourceKey(resource)] = "\(file), document \(index)"
                        resources.append(resource)
                    }
                case .failure(let problems):
                    errors.append(ResourceFileError(file: file, document: index, problems: problems.messages))
                }
            }
        }
        if !errors.isEmpty { throw ResourceFileErrors(errors: errors) }
        return resources
    }

    /// The file's text; refuses one larger than `ResourceFileLimits.maximumFileBytes` before reading it.
    static func read(_ file: String) throws -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= ResourceFileLimits.maximumFileBytes else {
            throw ResourceFileLoaderProblem("is \(size) bytes; resource files may be at most \(ResourceFileLimits.maximumFileBytes) bytes")
        }
        do {
            return try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ResourceFileLoaderProblem("cannot read: \(error.localizedDescription)")
        }
    }

    /// Every document of the text, numbered from 1, with the problems of those that could not be read: a syntax error
    /// is reported for its document (with YAML's line and column) and ends the file, since the parser cannot resume;
    /// a document whose aliases expand past the node limit is refused.
    static func parse(_ text: String, file: String) -> (documents: [(Int, Any)], errors: [ResourceFileError]) {
        var documents: [(Int, Any)] = []
        var errors: [ResourceFileError] = []
        let parser: Parser
        do {
            parser = try Parser(yaml: text)
        } catch {
            return ([], [ResourceFileError(file: file, document: 1, problems: ["not valid YAML: \(error)"])])
        }
        var number = 0
        while true {
            number += 1
            let node: Node?
            do {
                node = try parser.nextRoot()
            } catch {
                errors.append(ResourceFileError(file: file, document: number, problems: [
                    "not valid YAML: \(error)", "nothing after this point in the file was read",
                ]))
                break
            }
            guard let node else { break }
            guard ResourceFileLimits.withinNodeLimit(node) else {
                errors.append(ResourceFileError(file: file, document: number, problems: [
                    "expands to more than \(ResourceFileLimits.maximumNodes) YAML nodes once its aliases are followed; refused",
                ]))
                continue
            }
            documents.append((number, node.any))
        }
        return (documents, errors)
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
        let unknown = ResourceFileLimits.unknownFields(object)
        if !unknown.isEmpty {
            return .failure(Problems(messages: unknown.map { "unknown field \"\($0)\"" }))
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

/// A whole-file problem (too large, unreadable).
struct ResourceFileLoaderProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Every problem found while loading resource files.
public struct ResourceFileErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ResourceFileError]

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
