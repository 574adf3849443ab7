import ArgumentParser
import Foundation
import Logging

/// `--log-level` values.
enum LogLevelOption: String, ExpressibleByArgument, CaseIterable {
    case debug, info, warning, error

    var level: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
    }
}

/// `--log-format` values.
enum LogFormatOption: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Flags every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "debug, info, warning or error (HOURLY_IMAGE_LOG_LEVEL).")
    var logLevel: LogLevelOption = Env.value("LOG_LEVEL").flatMap(LogLevelOption.init(rawValue:)) ?? .info

    @Option(help: "text, or json for one JSON object per line (HOURLY_IMAGE_LOG_FORMAT).")
    var logFormat: LogFormatOption = Env.value("LOG_FORMAT").flatMap(LogFormatOption.init(rawValue:)) ?? .text

    /// Installs the process-wide log handler.
    func bootstrapLogging() {
        let level = logLevel.level
        switch logFormat {
        case .text:
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, logLevel: level, format: .text) }
        case .json:
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, logLevel: level, format: .json) }
        }
    }
}

/// Environment variables: every flag also reads `HOURLY_IMAGE_<NAME>`.
enum Env {
    /// The value of `HOURLY_IMAGE_<name>`, if set and not empty.
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment["HOURLY_IMAGE_" + name], !value.isEmpty else { return nil }
        return value
    }

    /// A list from a comma-separated variable.
    static func list(_ name: String) -> [String] {
        value(name)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
    }

    /// A boolean variable (`1`, `true`, `yes`).
    static func flag(_ name: String) -> Bool {
        ["1", "true", "yes"].contains(value(name)?.lowercased() ?? "")
    }
}
