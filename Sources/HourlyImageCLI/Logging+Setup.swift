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
    var logLevel: LogLevelOption = Env.parsed("LOG_LEVEL") ?? .info

    @Option(help: "text, or json for one JSON object per line (HOURLY_IMAGE_LOG_FORMAT).")
    var logFormat: LogFormatOption = Env.parsed("LOG_FORMAT") ?? .text

    /// Fails when a `HOURLY_IMAGE_*` variable any flag read holds a value that does not parse (every command has these options).
    func validate() throws {
        try Env.validate()
    }

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
