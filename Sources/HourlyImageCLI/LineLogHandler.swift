import Foundation
import HourlyImageAPI
import Logging

/// Writes one line per log event to standard error, as text or as a JSON object. Either way no value can start a
/// new line: text escapes every control character in the message and the metadata, JSON encodes them.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let format: LogFormatOption
    private static let lock = NSLock()

    init(label: String, logLevel: Logger.Level, format: LogFormatOption) {
        self.label = label
        self.logLevel = logLevel
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard let line = line(for: event) else { return }
        Self.lock.lock()
        FileHandle.standardError.write(line)
        Self.lock.unlock()
    }

    /// The line `event` is written as, newline included.
    func line(for event: LogEvent) -> Data? {
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        return format == .json ? json(event, merged) : text(event, merged)
    }

    /// `TIME LEVEL LABEL: key=value … [SOURCE] message`, like swift-log's stream handler, escaped.
    private func text(_ event: LogEvent, _ merged: Logger.Metadata) -> Data? {
        let fields = merged.sorted { $0.key < $1.key }
            .map { "\(Redaction.logValue($0.key))=\(Redaction.logValue("\($0.value)"))" }.joined(separator: " ")
        let time = Date().formatted(Date.ISO8601FormatStyle(timeZone: .current).year().month().day()
            .time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        var line = "\(time) \(event.level) \(label):"
        if !fields.isEmpty { line += " " + fields }
        line += " [\(event.source)] \(Redaction.logValue(event.message.description))\n"
        return Data(line.utf8)
    }

    /// `{"time":…,"level":…,"logger":…,"msg":…, metadata…}` on one line; numeric metadata as JSON numbers
    /// (see ``JSONLogValue``). The four fixed keys win over metadata of the same name.
    private func json(_ event: LogEvent, _ merged: Logger.Metadata) -> Data? {
        var object = merged.mapValues(JSONLogValue.init)
        object["time"] = .string(ISO8601DateFormatter().string(from: Date()))
        object["level"] = .string(event.level.rawValue)
        object["logger"] = .string(label)
        object["msg"] = .string(event.message.description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(object) else { return nil }
        data.append(0x0A)
        return data
    }
}
