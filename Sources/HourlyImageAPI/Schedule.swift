import Foundation

/// When images change with `spec.schedule`: `@hourly`, `@daily` (and `@midnight`, `@weekly`, `@monthly`, `@yearly`,
/// `@annually`) or five cron fields (minute hour day-of-month month day-of-week), on the wall clock of a time zone.
///
/// Daylight-saving rules, as Vixie cron: a time skipped by a jump forward happens at the first instant after the jump;
/// a time the clock passes twice (a jump back) happens once, unless the schedule runs every hour, which then runs in
/// both of the repeated hours.
public struct Schedule: Sendable, Hashable {
    /// The expression as written.
    public let text: String
    /// The zone whose wall clock the fields name.
    public let timeZone: TimeZone
    private let minutes: UInt64, hours: UInt64, days: UInt64, months: UInt64, weekdays: UInt64
    private let anyDay: Bool, anyWeekday: Bool, everyHour: Bool

    /// The longest expression accepted (as the CRD's `maxLength`).
    public static let maximumLength = 100
    static let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
                         "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]

    /// Parses an expression; the error says which field is wrong and why.
    public init(parsing text: String, timeZone: TimeZone) throws(ValidationIssue) {
        func issue(_ message: String) -> ValidationIssue { ValidationIssue(field: "spec.schedule", message: message) }
        guard text.count <= Self.maximumLength else { throw issue("is longer than \(Self.maximumLength) characters") }
        let expanded = Self.macros[text.lowercased()] ?? text
        if text.hasPrefix("@"), Self.macros[text.lowercased()] == nil {
            throw issue("\"\(text)\" is not one of \(Self.macros.keys.sorted().joined(separator: ", "))")
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw issue("\"\(text)\" has \(fields.count) fields; a schedule is @hourly, @daily or five: minute hour day-of-month month day-of-week")
        }
        let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        self.text = text
        self.timeZone = timeZone
        minutes = try Self.field(fields[0], "minute", 0...59, names: [], issue)
        hours = try Self.field(fields[1], "hour", 0...23, names: [], issue)
        days = try Self.field(fields[2], "day of month", 1...31, names: [], issue)
        self.months = try Self.field(fields[3], "month", 1...12, names: monthNames, first: 1, issue)
        var dow = try Self.field(fields[4], "day of week", 0...7, names: dayNames, issue)
        if dow & (1 << 7) != 0 { dow |= 1 }  // 7 is Sunday too
        self.weekdays = dow & 0x7F
        anyDay = fields[2].hasPrefix("*")
        anyWeekday = fields[4].hasPrefix("*")
        everyHour = hours == (1 << 24) - 1
        if next(after: Timestamp(secondsSince1970: 1_767_225_600)) == nil {  // 2026-01-01: no time in the next five years
            throw issue("\"\(text)\" never happens (such as February 30)")
        }
    }

    /// One field: `*`, `N`, `N-M`, names (`mon`, `jan`), lists with `,`, steps with `/`.
    private static func field(
        _ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String], first: Int = 0,
        _ issue: (String) -> ValidationIssue
    ) throws(ValidationIssue) -> UInt64 {
        var bits: UInt64 = 0
        func value(_ part: Substring) throws(ValidationIssue) -> Int {
            if let number = Int(part), range.contains(number) { return number }
            if let index = names.firstIndex(of: part.lowercased()) { return index + first }
            throw issue("\(name) \"\(part)\" is not in \(range.lowerBound)-\(range.upperBound)\(names.isEmpty ? "" : " or a name such as \(names[0])")")
        }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else { throw issue("\(name) \"\(item)\" is not a cron field") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), (1...range.upperBound + 1).contains(parsed) else {
                    throw issue("\(name) step \"\(pieces[1])\" must be from 1 to \(range.upperBound + 1)")
                }
                step = parsed
            }
            var low = range.lowerBound, high = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw issue("\(name) \"\(base)\" is not a cron field") }
                low = try value(bounds[0])
                high = bounds.count == 2 ? try value(bounds[1]) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw issue("\(name) range \"\(base)\" runs backwards") }
            }
            for v in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(v) }
        }
        return bits
    }

    /// The first time the schedule names strictly after `instant`; nil when there is none in the next five years.
    public func next(after instant: Timestamp) -> Timestamp? {
        let t = instant.secondsSince1970
        // Look back two hours of wall clock: after a jump back, the repeated hour lies behind the current wall time.
        var wall = Wall(naive: floorDiv(t + offset(t), 60) * 60 - 7200)
        var best: Int64?
        for _ in 0..<100_000 {
            guard let match = nextMatch(from: wall.advanced(minutes: 1)) else { return best.map(Timestamp.init(secondsSince1970:)) }
            for candidate in instants(of: match) where candidate > t { best = min(best ?? candidate, candidate) }
            // Beyond a few hours of wall clock past the best instant, no later wall time maps to an earlier instant.
            if let best, match.naive > best + offset(best) + 3 * 3600 { return Timestamp(secondsSince1970: best) }
            wall = match
        }
        return best.map(Timestamp.init(secondsSince1970:))
    }

    private func offset(_ t: Int64) -> Int64 { Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))) }

    /// The instants at which the wall clock shows `wall`: one; two in a repeated hour (the second only for schedules
    /// that run every hour); in a skipped hour, the first instant after the jump.
    private func instants(of wall: Wall) -> [Int64] {
        let w = wall.naive
        let early = offset(w - 43200), late = offset(w + 43200)
        var found = Set([w - early, w - late].filter { $0 + offset($0) == w })
        if found.isEmpty {
            // Skipped: the first instant whose wall clock is past `wall`.
            var low = w - max(early, late), high = w - min(early, late)
            if low > high { swap(&low, &high) }
            while low < high {
                let middle = low + (high - low) / 2
                if middle + offset(middle) >= w { high = middle } else { low = middle + 1 }
            }
            found = [low]
        }
        let sorted = found.sorted()
        return everyHour ? sorted : Array(sorted.prefix(1))
    }

    /// The first wall time at or after `start` whose fields all match; nil past five years.
    private func nextMatch(from start: Wall) -> Wall? {
        var w = start
        let limit = start.year + 5
        while w.year <= limit {
            if months & (1 << UInt64(w.month)) == 0 { w = Wall(year: w.year, month: w.month + 1, day: 1, hour: 0, minute: 0); continue }
            if !dayMatches(w) { w = Wall(year: w.year, month: w.month, day: w.day + 1, hour: 0, minute: 0); continue }
            if hours & (1 << UInt64(w.hour)) == 0 { w = Wall(year: w.year, month: w.month, day: w.day, hour: w.hour + 1, minute: 0); continue }
            if minutes & (1 << UInt64(w.minute)) == 0 { w = w.advanced(minutes: 1); continue }
            return w
        }
        return nil
    }

    /// Day of month and day of week: both must match when one is `*`; either, when both are restricted (cron's rule).
    private func dayMatches(_ w: Wall) -> Bool {
        let dom = days & (1 << UInt64(w.day)) != 0
        let dow = weekdays & (1 << UInt64(w.weekday)) != 0
        if anyDay || anyWeekday { return dom && dow }
        return dom || dow
    }
}

/// A wall-clock minute without a zone: naive arithmetic, normalized on creation.
struct Wall: Hashable {
    let year: Int, month: Int, day: Int, hour: Int, minute: Int

    /// Normalizes overflowing fields (month 13, day 32, hour 24, minute 60).
    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let (y, m) = month > 12 ? (year + (month - 1) / 12, (month - 1) % 12 + 1) : (year, month)
        self.init(naive: (CivilCalendar.days(fromCivil: Int64(y), Int64(m), 1) + Int64(day - 1)) * 86400 + Int64(hour) * 3600 + Int64(minute) * 60)
    }

    /// The wall time `naive` seconds after 1970-01-01 00:00 of the wall clock (truncated to the minute).
    init(naive: Int64) {
        let days = floorDiv(naive, 86400)
        let rest = naive - days * 86400
        let (y, m, d) = CivilCalendar.civil(fromDays: days)
        (year, month, day, hour, minute) = (Int(y), Int(m), Int(d), Int(rest / 3600), Int(rest % 3600 / 60))
    }

    var naive: Int64 { CivilCalendar.days(fromCivil: Int64(year), Int64(month), Int64(day)) * 86400 + Int64(hour) * 3600 + Int64(minute) * 60 }
    /// 0 = Sunday.
    var weekday: Int { Int(floorMod(CivilCalendar.days(fromCivil: Int64(year), Int64(month), Int64(day)) + 4, 7)) }
    func advanced(minutes: Int64) -> Wall { Wall(naive: naive + minutes * 60) }
}

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { CivilCalendar.floorDiv(a, b) }
private func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
