import Foundation
import KubeMeta

/// An object the client can read and write: Codable with standard metadata.
public protocol KubeObject: Codable, Sendable {
    /// Standard object metadata.
    var metadata: ObjectMeta { get set }
}

/// A list response: items plus the list's resourceVersion and continue token.
public struct ObjectList<Item: Decodable & Sendable>: Decodable, Sendable {
    /// List metadata.
    public struct Meta: Decodable, Sendable {
        public var resourceVersion: String?
        public var `continue`: String?
    }

    public var metadata: Meta
    public var items: [Item]
}

/// One event of a watch stream.
public enum WatchEvent<Object: KubeObject>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// Progress only: everything up to this resourceVersion has been sent.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a Status (410 means relist).
    case error(KubeStatus)

    /// Decodes one line of a watch response.
    public static func decode(_ line: Data) throws -> WatchEvent {
        let decoder = JSONDecoder()
        do {
            let type = try decoder.decode(WatchEnvelopeType.self, from: line).type
            switch type {
            case "ADDED": return .added(try decoder.decode(WatchEnvelopeObject<Object>.self, from: line).object)
            case "MODIFIED": return .modified(try decoder.decode(WatchEnvelopeObject<Object>.self, from: line).object)
            case "DELETED": return .deleted(try decoder.decode(WatchEnvelopeObject<Object>.self, from: line).object)
            case "BOOKMARK": return .bookmark(resourceVersion: try decoder.decode(WatchEnvelopeBookmark.self, from: line).object.metadata.resourceVersion ?? "")
            case "ERROR": return .error(try decoder.decode(WatchEnvelopeObject<KubeStatus>.self, from: line).object)
            default: throw KubeAPIError.decoding("unknown watch event type \(type)")
            }
        } catch let error as KubeAPIError {
            throw error
        } catch {
            throw KubeAPIError.decoding("watch event: \(error)")
        }
    }
}

struct WatchEnvelopeType: Decodable {
    var type: String
}

struct WatchEnvelopeObject<T: Decodable>: Decodable {
    var object: T
}

struct WatchEnvelopeBookmark: Decodable {
    struct Object: Decodable {
        struct Meta: Decodable { var resourceVersion: String? }
        var metadata: Meta
    }
    var object: Object
}

/// A JSON value, for patches.
public enum JSONValue: Codable, Sendable, Hashable {
    case string(String), int(Int), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// One RFC 6902 JSON-patch operation.
public struct JSONPatchOperation: Codable, Sendable, Hashable {
    public var op: String
    public var path: String
    public var value: JSONValue?

    /// `test`: the patch fails (422) unless the value at `path` equals `value`.
    public static func test(_ path: String, _ value: JSONValue) -> Self { .init(op: "test", path: path, value: value) }
    /// `replace` the value at `path`.
    public static func replace(_ path: String, _ value: JSONValue) -> Self { .init(op: "replace", path: path, value: value) }
    /// `add` a value at `path`.
    public static func add(_ path: String, _ value: JSONValue) -> Self { .init(op: "add", path: path, value: value) }
    /// `remove` the value at `path`.
    public static func remove(_ path: String) -> Self { .init(op: "remove", path: path, value: nil) }
}
