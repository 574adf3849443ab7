import Foundation
import HourlyImageAPI
import Testing

func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

/// The first `count` times of `expression` in `zone` after `start`.
func times(_ expression: String, _ zone: String = "UTC", after start: String, count: Int = 1) throws -> [String] {
    let schedule = try Schedule(parsing: expression, timeZone: try #require(TimeZone(identifier: zone)))
    var result: [String] = []
    var t = at(start)
    for _ in 0..<count {
        t = try #require(schedule.next(after: t))
        result.append(t.rfc3339)
    }
    return result
}

@Suite("spec.schedule: cron on a wall clock")
struct ScheduleTests {
    @Test("macros and fields land on wall-clock boundaries")
    func boundaries() throws {
        #expect(try times("@hourly", after: "2026-12-03T13:05:10Z", count: 2) == ["2026-12-03T14:00:00Z", "2026-12-03T15:00:00Z"])
        #expect(try times("@hourly", after: "2026-12-03T14:00:00Z") == ["2026-12-03T15:00:00Z"], "strictly after")
        #expect(try times("@daily", "Europe/Helsinki", after: "2026-12-03T13:00:00Z") == ["2026-12-03T22:00:00Z"])
        #expect(try times("*/15 9-17 * * mon-fri", after: "2026-12-04T17:50:00Z") == ["2026-12-07T09:00:00Z"])
        #expect(try times("0 12 * jan-mar sun", after: "2026-12-03T00:00:00Z") == ["2027-01-03T12:00:00Z"])
        #expect(try times("0 0 13 * fri", after: "2026-11-12T00:00:00Z", count: 3)
            == ["2026-11-13T00:00:00Z", "2026-11-20T00:00:00Z", "2026-11-27T00:00:00Z"], "day of month or day of week")
        #expect(try times("0 0 29 2 *", after: "2026-03-01T00:00:00Z") == ["2028-02-29T00:00:00Z"])
        #expect(try times("@weekly", after: "2026-12-03T00:00:00Z") == ["2026-12-06T00:00:00Z"])
        #expect(try times("0 0 * * 7", after: "2026-12-03T00:00:00Z") == ["2026-12-06T00:00:00Z"], "7 is Sunday")
    }

    @Test("a time skipped by the spring jump happens right after it; every hour stays every real hour")
    func springForward() throws {
        // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z).
        #expect(try times("30 2 * * *", "America/New_York", after: "2026-03-08T05:00:00Z", count: 2)
            == ["2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"])
        // Helsinki, 2026-03-29: 03:00 EET jumps to 04:00 EEST (01:00Z).
        #expect(try times("@hourly", "Europe/Helsinki", after: "2026-03-29T00:00:00Z", count: 2) == ["2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"])
        #expect(try times("@daily", "Europe/Helsinki", after: "2026-03-28T12:00:00Z") == ["2026-03-28T22:00:00Z"])
        #expect(try times("@daily", "Europe/Helsinki", after: "2026-03-29T12:00:00Z") == ["2026-03-29T21:00:00Z"], "EEST from here")
    }

    @Test("a time passed twice by the autumn jump happens once; a schedule that runs every hour runs in both hours")
    func fallBack() throws {
        // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00Z); 01:00-01:59 happens twice.
        #expect(try times("30 1 * * *", "America/New_York", after: "2026-11-01T04:00:00Z", count: 2)
            == ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"])
        #expect(try times("@hourly", "America/New_York", after: "2026-11-01T04:30:00Z", count: 4)
            == ["2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"])
        #expect(try times("30 * * * *", "America/New_York", after: "2026-11-01T05:40:00Z") == ["2026-11-01T06:30:00Z"], "the second 01:30")
    }

    @Test("bad expressions are refused with the field and the reason", arguments: [
        ("61 * * * *", "minute \"61\" is not in 0-59"),
        ("* * *", "has 3 fields"),
        ("@often", "is not one of"),
        ("5-1 * * * *", "runs backwards"),
        ("*/0 * * * *", "step \"0\" must be from 1 to 60"),
        ("0 0 30 2 *", "never happens"),
        ("0 0 * foo *", "month \"foo\" is not in 1-12"),
        ("1,,2 * * * *", "is not a cron field"),
    ])
    func refused(expression: String, message: String) {
        #expect(throws: ValidationIssue.self) { try Schedule(parsing: expression, timeZone: TimeZone(identifier: "UTC")!) }
        do {
            _ = try Schedule(parsing: expression, timeZone: TimeZone(identifier: "UTC")!)
        } catch {
            #expect(error.field == "spec.schedule")
            #expect(error.message.contains(message), "\(error.message)")
        }
        let long = String(repeating: "1,", count: 60) + "1 * * * *"
        #expect(throws: ValidationIssue.self) { try Schedule(parsing: long, timeZone: TimeZone(identifier: "UTC")!) }
    }
}
