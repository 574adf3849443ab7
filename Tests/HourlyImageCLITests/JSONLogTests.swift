import Foundation
import Logging
import Testing

@testable import HourlyImageCLI

@Suite("JSON log lines")
struct JSONLogTests {
    /// The JSON line `metadata` is logged as, parsed back.
    static func logged(_ metadata: Logger.Metadata, format: LogFormatOption = .json) throws -> [String: Any] {
        let handler = LineLogHandler(label: "test", logLevel: .info, format: format)
        let event = LogEvent(level: .info, message: "fetched image", metadata: metadata, source: "test", file: #fileID, function: #function, line: #line)
        let line = try #require(handler.line(for: event))
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false, "one line")
        return try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
    }

    @Test("integers and seconds stay JSON numbers; strings stay strings")
    func numbersAsNumbers() throws {
        let object = try Self.logged([
            "bytes": .stringConvertible(Int64(123_456)), "seconds": .stringConvertible(0.035), "workers": .stringConvertible(2),
            "sha256": "abc", "leading": .stringConvertible(true), "version": "42",
        ])
        #expect((object["bytes"] as? NSNumber)?.int64Value == 123_456)
        #expect((object["seconds"] as? NSNumber)?.doubleValue == 0.035)
        #expect((object["workers"] as? NSNumber)?.intValue == 2)
        #expect(object["sha256"] as? String == "abc")
        #expect(object["version"] as? String == "42", "a string that looks like a number is still a string")
        #expect(object["leading"] as? Bool == true)
        #expect(object["msg"] as? String == "fetched image")
        #expect(object["level"] as? String == "info")
    }

    @Test("the raw line writes 0.035, not a formatted duration, and non-finite numbers as strings")
    func rawText() throws {
        let handler = LineLogHandler(label: "test", logLevel: .info, format: .json)
        let event = LogEvent(
            level: .info, message: "m", metadata: ["seconds": .stringConvertible(0.035), "nan": .stringConvertible(Double.nan)],
            source: "test", file: #fileID, function: #function, line: #line)
        let text = String(decoding: try #require(handler.line(for: event)), as: UTF8.self)
        #expect(text.contains(#""seconds":0.035"#), "\(text)")
        #expect(text.contains(#""nan":"nan""#), "\(text)")
    }

    @Test("nested arrays and dictionaries become JSON arrays and objects")
    func nested() throws {
        let object = try Self.logged(["list": [.stringConvertible(1), "two"], "map": ["n": .stringConvertible(3)]])
        #expect((object["list"] as? [Any])?.count == 2)
        #expect(((object["map"] as? [String: Any])?["n"] as? NSNumber)?.intValue == 3)
    }
}
