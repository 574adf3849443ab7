import Foundation
import Synchronization
import Testing

/// The directory holding built executables (beside the test bundle).
func productsDirectory() -> URL {
    for candidate in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
        var dir = candidate
        for _ in 0..<3 {
            dir = dir.deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("hourly-image").path) { return dir }
        }
    }
    return Bundle.main.bundleURL.deletingLastPathComponent()
}

/// The port in the `url` a log line with `message` names, in text or JSON logs.
func loggedPort(_ log: String, message: String) -> Int? {
    for line in log.split(separator: "\n") where line.contains(message) {
        if let match = line.firstMatch(of: /(?:url=|"url":")http:\/\/127\.0\.0\.1:(\d+)\//) { return Int(match.1) }
    }
    return nil
}

/// A running `hourly-image standalone` process, its log, and the ports it serves on.
final class StandaloneProcess: Sendable {
    let process: Process
    /// The public port: the page and image bytes.
    let port: Int
    /// The admin port: metrics, the JSON status, probes.
    let adminPort: Int
    private let log: LogBuffer

    /// Starts the binary with `--port 0 --admin-port 0` and waits until it logs both addresses it serves on.
    init(arguments: [String]) async throws {
        let binary = productsDirectory().appendingPathComponent("hourly-image")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build hourly-image first (\(binary.path))")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["standalone", "--port", "0", "--admin-port", "0", "--bind", "127.0.0.1"] + arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let log = LogBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { log.append(String(decoding: data, as: UTF8.self)) }
        }
        try process.run()
        self.process = process
        self.log = log
        var port: Int?
        var adminPort: Int?
        for _ in 0..<300 {
            port = loggedPort(log.text, message: "serving the page")
            adminPort = loggedPort(log.text, message: "serving the admin endpoints")
            if port != nil && adminPort != nil { break }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        self.port = try #require(port, "the page did not start; log:\n\(log.text)")
        self.adminPort = try #require(adminPort, "the admin port did not start; log:\n\(log.text)")
    }

    /// Everything the process wrote to standard error so far.
    var output: String { log.text }

    /// The base URL of the page.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The base URL of the admin endpoints.
    var adminURL: String { "http://127.0.0.1:\(adminPort)" }

    /// Sends a signal and waits up to `timeout` seconds for the process to exit.
    func stop(signal: Int32, timeout: Double = 10) async throws -> Process.TerminationReason {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try #require(!process.isRunning, "did not exit within \(timeout) s after signal \(signal)")
        return process.terminationReason
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// Text appended from a pipe's reader thread, read by the test.
final class LogBuffer: Sendable {
    private let storage = Mutex("")
    func append(_ text: String) { storage.withLock { $0 += text } }
    var text: String { storage.withLock { $0 } }
}
