import Logging
import Synchronization

/// Collects log records in memory, so tests can check what was logged, how often, with which metadata.
final class LogCapture: Sendable {
    /// One record: level, message, and metadata rendered as strings.
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The message and every metadata value, for `contains` checks.
        var text: String { ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    private let records = Mutex<[Record]>([])

    /// A logger whose records land here.
    func logger(_ label: String) -> Logger { Logger(label: label) { _ in Handler(capture: self) } }

    /// The warnings so far.
    var warnings: [Record] { records.withLock { $0.filter { $0.level == .warning } } }

    fileprivate func append(_ record: Record) { records.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(Record(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
        }
    }
}
