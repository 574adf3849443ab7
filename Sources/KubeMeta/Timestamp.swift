import Foundation

/// A point in time with whole-second precision, serialized as RFC 3339 like `metav1.Time`.
///
/// The API server writes `metav1.Time` in seconds (`2026-11-22T10:00:00Z`); keeping the same
/// precision in memory means a status read back from the server equals the one we wrote, so
/// an unchanged status is never rewritten.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z, always within years 0001 to 9999 (what RFC 3339 can write).
    public let secondsSince1970: Int64

    /// 0001-01-01T00:00:00Z, the earliest time RFC 3339 can write.
    public static let earliestSeconds: Int64 = -62_135_596_800
    /// 9999-12-31T23:59:59Z, the latest time RFC 3339 can write.
    public static let latestSeconds: Int64 = 253_402_300_799

    /// Creates a timestamp from whole seconds since the Unix epoch, clamped to years 0001 to 9999 so that every
    /// timestamp can be written and read back (a far-future expiry never becomes unreadable state).
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = min(max(secondsSince1970, Self.earliestSeconds), Self.latestSeconds)
    }

    /// Creates a timestamp from a `Date`, dropping the fractional second (clamped like `init(secondsSince1970:)`).
    public init(_ date: Date) {
        self.init(secondsSince1970: date.timeIntervalSince1970.clampedWholeSeconds)
    }

    /// The timestamp as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    /// Parses RFC 3339 (`2026-11-22T10:00:00Z`, `…00.123456Z`, `…00+02:00`).
    public init?(rfc3339 text: String) {
        guard let seconds = RFC3339.parse(text) else { return nil }
        self.init(secondsSince1970: seconds)
    }

    /// The RFC 3339 form in UTC with whole seconds, as the API server writes it.
    public var rfc3339: String { RFC3339.format(secondsSince1970) }

    public var description: String { rfc3339 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    /// The timestamp moved forward by a number of seconds; saturates at the ends of the range instead of trapping.
    public func adding(seconds: Double) -> Timestamp {
        Timestamp(secondsSince1970: secondsSince1970.saturatingAdding(seconds.clampedWholeSeconds))
    }

    /// Seconds from `other` to `self` (negative when `self` is earlier); both lie in years 0001-9999, so it cannot overflow.
    public func seconds(since other: Timestamp) -> Int64 {
        secondsSince1970 - other.secondsSince1970
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let seconds = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an RFC 3339 time such as 2026-11-22T10:00:00Z, got \"\(text)\"")
        }
        self.init(secondsSince1970: seconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

/// RFC 3339 parsing and formatting without locale-dependent formatters.
enum RFC3339 {
    static func format(_ seconds: Int64) -> String {
        let days = CivilCalendar.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        let hour = secondOfDay / 3600, minute = (secondOfDay % 3600) / 60, second = secondOfDay % 60
        return String(
            format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", year, month, day, hour, minute, second)
    }

    static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
            let day = number(8, 2), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = number(11, 2), bytes[13] == 58, let minute = number(14, 2), bytes[16] == 58,
            let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        var index = 19
        if index < bytes.count, bytes[index] == 46 {  // fractional seconds, dropped
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHour = number(index + 1, 2), bytes.count > index + 3, bytes[index + 3] == 58,
                let offsetMinute = number(index + 4, 2)
            else { return nil }
            offset = (offsetHour * 3600 + offsetMinute * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = CivilCalendar.days(fromCivil: year, month, day)
        return days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
    }
}

/// The proleptic Gregorian calendar in day numbers, without a time zone: RFC 3339 and wall-clock schedules use it.
public enum CivilCalendar {
    /// Division rounding toward negative infinity.
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Days since 1970-01-01 of a date (Howard Hinnant's days-from-civil, proleptic Gregorian calendar).
    public static func days(fromCivil y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y - 1 : y
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of a day number since 1970-01-01.
    public static func civil(fromDays z: Int64) -> (Int64, Int64, Int64) {
        let z = z + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}
