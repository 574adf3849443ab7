import Foundation
import Logging

/// A JSON value for one log field: numbers stay numbers, booleans booleans.
///
/// The convention: a metadata value given as `.stringConvertible(n)` where `n` is an integer, a floating-point
/// number or a `Bool` is written as that JSON number or boolean; everything else is a string (durations are
/// logged as seconds in a `Double`, e.g. `"seconds": .stringConvertible(0.035)`).
enum JSONLogValue: Encodable, Equatable {
    case string(String)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case bool(Bool)
    case array([JSONLogValue])
    case object([String: JSONLogValue])

    /// The JSON form of a metadata value.
    init(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let convertible): self = Self.typed(convertible)
        case .array(let values): self = .array(values.map(JSONLogValue.init))
        case .dictionary(let fields): self = .object(fields.mapValues(JSONLogValue.init))
        }
    }

    /// Numbers and booleans as themselves; non-finite numbers (not JSON) and anything else as text.
    static func typed(_ value: any CustomStringConvertible & Sendable) -> JSONLogValue {
        switch value {
        case let flag as Bool: return .bool(flag)
        case let number as any BinaryInteger:
            if let signed = Int64(exactly: number) { return .integer(signed) }
            if let unsigned = UInt64(exactly: number) { return .unsigned(unsigned) }
            return .string(value.description)
        case let number as Double where number.isFinite: return .number(number)
        case let number as Float where number.isFinite: return .number(Double(number))
        default: return .string(value.description)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .unsigned(let number): try container.encode(number)
        case .number(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let values): try container.encode(values)
        case .object(let fields): try container.encode(fields)
        }
    }
}
