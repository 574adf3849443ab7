import Foundation
import HourlyImageAPI
import Logging

/// Writes one line per event to standard error, like swift-log's stream handler, but with every control character in
/// the message and the metadata escaped: a value from a resource, a file or the network can never start a new line.
struct TextLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private static let lock = NSLock()

    init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        let fields = merged.sorted { $0.key < $1.key }
            .map { "\(Redaction.logValue($0.key))=\(Redaction.logValue("\($0.value)"))" }.joined(separator: " ")
        let time = Date().formatted(Date.ISO8601FormatStyle(timeZone: .current).year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        var line = "\(time) \(event.level) \(label):"
        if !fields.isEmpty { line += " " + fields }
        line += " [\(event.source)] \(Redaction.logValue(event.message.description))\n"
        Self.lock.lock()
        FileHandle.standardError.write(Data(line.utf8))
        Self.lock.unlock()
    }
}
